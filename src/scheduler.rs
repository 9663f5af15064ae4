//! Scheduled publishing: finds stories whose time has come and publishes each
//! exactly once, even with several nodes. `web::publishing` runs it every tick.

use std::time::Duration;

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
