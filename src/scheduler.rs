//! Scheduled publishing: a background task in `serve` that publishes stories
//! whose time has come, exactly once even with several nodes.

use std::time::Duration;

use crate::clock::Clock;
use crate::store::{Store, StoreError};

/// How often the scheduler looks for due stories.
pub const TICK: Duration = Duration::from_secs(1);

/// Publishes every story due at `now`; returns the ids this call published.
pub async fn publish_due(store: &Store, now: i64) -> Result<Vec<i64>, StoreError> {
    let mut published = Vec::new();
    for id in store.due_stories(now).await? {
        // Another node may have claimed it between the query and here; then this is a no-op.
        if store.publish_newest(id, now, true, Some(now)).await? {
            store
                .audit(
                    "scheduler",
                    "publish",
                    &format!("story {id}"),
                    "scheduled publication",
                    now,
                )
                .await?;
            published.push(id);
        }
    }
    Ok(published)
}

/// Runs `publish_due` every tick until the process ends.
pub fn spawn(store: Store, clock: Clock) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match publish_due(&store, clock.now()).await {
                Ok(ids) if !ids.is_empty() => tracing::info!(?ids, "published scheduled stories"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "scheduled publishing failed; will retry"),
            }
        }
    })
}
