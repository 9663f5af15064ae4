//! `dateline migrate`: bring the database schema up to date, then give older
//! pictures the WebP renditions they lack (resumable: see `media::backfill`).

use anyhow::Result;

use crate::config::Settings;
use crate::media::backfill;

pub async fn run(settings: Settings) -> Result<()> {
    let store = super::open_store(&settings).await?;
    println!(
        "{} database {} is up to date",
        store.kind(),
        crate::store::redact(&settings.database)
    );
    let missing = store
        .count_missing_alternates(crate::media::webp::CONTENT_TYPE)
        .await?;
    if missing > 0 {
        println!("making WebP renditions for {missing} picture renditions that lack one");
    }
    let mut batches = 0u64;
    let pictures = super::pictures(&settings)?;
    let now = jiff::Timestamp::now().as_second();
    let filled = backfill::fill_webp(&store, &pictures, backfill::BATCH, now, |so_far| {
        batches += 1;
        if batches.is_multiple_of(16) {
            println!("  {} made so far", so_far.made);
        }
    })
    .await?;
    println!("WebP renditions made: {}", filled.made);
    if filled.unreadable > 0 {
        println!(
            "{} renditions could not be read and are served as JPEG only",
            filled.unreadable
        );
    }
    store.close().await;
    Ok(())
}
