//! `dateline migrate`: bring the database schema up to date.

use anyhow::Result;

use crate::config::Settings;

pub async fn run(settings: Settings) -> Result<()> {
    let store = super::open_store(&settings).await?;
    println!(
        "{} database {} is up to date",
        store.kind(),
        crate::store::redact(&settings.database)
    );
    store.close().await;
    Ok(())
}
