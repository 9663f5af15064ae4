//! Scheduled publishing, ending embargoes, the retries of public picture copies and the
//! readers' daily e-mail: every node runs [`crate::editorial::publish_due`],
//! [`crate::editorial::end_due_embargoes`], `Pictures::retry_copy_checks` and
//! [`daily::send_due`] every tick; each story, each picture's check and each reader's day
//! is claimed by exactly one.
//! Every few ticks it also recounts the comments of stories whose count is stale
//! (the count an article shows as of its render, so that a comment never re-renders the article).

pub mod daily;

use std::time::Duration;

use crate::editorial;
use crate::media::public_copies::Retried;
use crate::web::AppState;

/// How often the scheduler looks for due stories.
pub const TICK: Duration = Duration::from_secs(1);
/// Comment counts are refreshed every this many ticks, up to this many stories at a time.
const COUNT_EVERY_TICKS: u64 = 5;
const COUNT_BATCH: i64 = 500;

/// Publishes due stories, ends due embargoes and sends due daily e-mails every
/// second. Every node runs it; each story is claimed by exactly one (see
/// `editorial::scheduled`), and each reader's day too (see `daily`).
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks: u64 = 0;
        loop {
            interval.tick().await;
            ticks += 1;
            if ticks.is_multiple_of(COUNT_EVERY_TICKS) {
                if let Err(e) = state.store.refresh_comment_counts(COUNT_BATCH).await {
                    tracing::warn!(error = %e, "refreshing comment counts failed; will retry");
                }
            }
            crate::web::sponsor_book::tick(&state);
            let now = state.now();
            match editorial::publish_due(&state.editorial(), now).await {
                Ok(ids) => {
                    for id in ids {
                        state.metrics.publishes.inc();
                        tracing::info!(id, "published a scheduled story");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "scheduled publishing failed; will retry"),
            }
            match editorial::end_due_embargoes(&state.editorial(), now).await {
                Ok(ids) => {
                    for id in ids {
                        tracing::info!(id, "an embargo ended");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "ending embargoes failed; will retry"),
            }
            retry_picture_copies(&state, now).await;
            match daily::send_due(&state, now).await {
                Ok(run) if run.sent + run.nothing_new > 0 => {
                    tracing::info!(
                        sent = run.sent,
                        nothing_new = run.nothing_new,
                        "daily e-mails"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "daily e-mails failed; will retry"),
            }
        }
    })
}

/// Retries the public picture copies that a failed or interrupted sync left
/// (`media::public_copies`); each picture's check is claimed by one node.
async fn retry_picture_copies(state: &AppState, now: i64) {
    let retried = match state.pictures.retry_copy_checks(&state.store, now).await {
        Ok(retried) => retried,
        Err(e) => {
            return tracing::warn!(error = %e, "retrying public picture copies failed; will retry")
        }
    };
    if retried != Retried::default() {
        tracing::info!(
            synced = retried.synced,
            failed = retried.failed,
            "public picture copies retried"
        );
    }
}
