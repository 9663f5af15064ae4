//! `dateline media migrate`: moves an installation's pictures from the
//! database to object storage, in committed batches (`media::Pictures::migrate_batch`),
//! so it can be stopped at any point and run again to go on.

use anyhow::{bail, Result};

use crate::cli::MediaCommand;
use crate::config::{MediaSettings, Settings};

/// Renditions moved per transaction.
const BATCH: i64 = 16;

pub async fn run(settings: Settings, command: MediaCommand) -> Result<()> {
    let MediaCommand::Migrate { limit } = command;
    if settings.media == MediaSettings::Database {
        bail!(
            "media_store is \"database\": set media_store = \"s3\" and the s3_* settings \
             (see docs/OPERATIONS.md) to move the pictures to object storage"
        );
    }
    let store = super::open_store(&settings).await?;
    let pictures = super::pictures(&settings)?;
    let left = store.count_bytes_in_database().await?;
    println!("{left} picture renditions are in the database");
    let mut budget = limit.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    let mut moved = 0u64;
    loop {
        let batch = budget.map_or(BATCH, |b| b.min(BATCH));
        if batch == 0 {
            break;
        }
        let done = pictures.migrate_batch(&store, batch).await?;
        if done == 0 {
            break;
        }
        moved += done as u64;
        if let Some(b) = budget.as_mut() {
            *b -= done as i64;
        }
        println!("  moved {moved}");
    }
    let left = store.count_bytes_in_database().await?;
    println!("moved {moved} picture renditions to object storage; {left} left in the database");
    store.close().await;
    Ok(())
}
