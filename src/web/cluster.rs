//! Several nodes, one site: each node follows the database's invalidation log so
//! a change published through any node drops stale copies on every node, and
//! watches its own connection to the database for `/healthz`.
//!
//! On PostgreSQL a NOTIFY (received by a task of its own) wakes the follower at
//! once, and a poll every second catches a notification missed while the
//! listening connection was down. SQLite nodes poll four times a second.
//!
//! Ids come from a sequence, so a row committed late can appear behind one
//! already read: such gaps are looked at again for a while.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::AppState;
use crate::store::Store;

/// How often the log is read when no notification comes.
pub const POLL: Duration = Duration::from_secs(1);
/// How often an SQLite node reads the log: no notification ever comes, and a
/// read of the newest rows of a local file costs microseconds.
const SQLITE_POLL: Duration = Duration::from_millis(250);
/// How long a gap in the ids is watched for a late commit.
const GAP_WATCH: Duration = Duration::from_secs(30);
/// Log rows older than this are pruned.
const KEEP_SECONDS: i64 = 24 * 3600;

/// The last invalidation log id this node's follower has read (applied, or
/// passed over as its own), so tests can wait for it instead of sleeping.
#[derive(Default)]
pub struct FollowerProgress(AtomicI64);

impl FollowerProgress {
    pub fn read_up_to(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    fn record(&self, last: i64) {
        self.0.store(last, Ordering::SeqCst);
    }
}

/// What the follower knows about the database, for `/healthz`.
#[derive(Default)]
pub struct DatabaseHealth {
    down: AtomicBool,
    last_error: Mutex<String>,
}

impl DatabaseHealth {
    pub fn is_up(&self) -> bool {
        !self.down.load(Ordering::SeqCst)
    }

    pub fn last_error(&self) -> String {
        self.last_error
            .lock()
            .map(|e| e.clone())
            .unwrap_or_default()
    }

    fn record(&self, result: &Result<(), String>) {
        match result {
            Ok(()) => {
                if self.down.swap(false, Ordering::SeqCst) {
                    tracing::info!("database reachable again");
                }
            }
            Err(e) => {
                if !self.down.swap(true, Ordering::SeqCst) {
                    tracing::warn!(error = %e, "database unreachable; serving what is cached");
                }
                if let Ok(mut last) = self.last_error.lock() {
                    *last = e.clone();
                }
            }
        }
    }
}

/// The follower's place in the log.
struct Position {
    /// Every id up to here has been applied or is in `gaps`.
    last: i64,
    /// Ids skipped over, with when they were first missed.
    gaps: BTreeMap<i64, Instant>,
}

impl Position {
    /// Reads what is new since the last call and drops it from this node's caches.
    async fn catch_up(&mut self, state: &AppState) -> Result<usize, String> {
        let mut applied = 0;
        let now = Instant::now();
        self.gaps
            .retain(|_, since| now.duration_since(*since) < GAP_WATCH);
        if let (Some(low), Some(high)) = (
            self.gaps.keys().next().copied(),
            self.gaps.keys().last().copied(),
        ) {
            let late = state
                .store
                .invalidations_between(low, high)
                .await
                .map_err(|e| e.to_string())?;
            for row in late {
                if self.gaps.remove(&row.id).is_some() && !row.own {
                    apply(state, &row.keys);
                    applied += 1;
                }
            }
        }
        let rows = state
            .store
            .invalidations_between(self.last + 1, i64::MAX)
            .await
            .map_err(|e| e.to_string())?;
        for row in rows {
            for missing in self.last + 1..row.id {
                self.gaps.insert(missing, now);
            }
            self.last = row.id;
            if !row.own {
                apply(state, &row.keys);
                applied += 1;
            }
        }
        state.follower.record(self.last);
        Ok(applied)
    }
}

/// Drops this node's copies of what the logged `keys` name (no new log entry: the change is logged once).
fn apply(state: &AppState, keys: &str) {
    let keys = super::invalidation::keys_from_log(&state.sections, keys);
    super::invalidation::drop_local_copies(state, &keys);
}

/// Starts following the log from its current end. The end is read before this
/// returns when the database answers, so a node knows its place in the log
/// before it serves (and caches) anything.
pub async fn spawn_follower(state: AppState) -> tokio::task::JoinHandle<()> {
    let known = read_position(&state).await;
    tokio::spawn(async move {
        let mut position = match known {
            Some(position) => position,
            None => wait_for_position(&state).await,
        };
        let wake = Arc::new(Notify::new());
        let _forwarder = match &state.store {
            Store::Postgres(_) => {
                let (store, wake) = (state.store.clone(), Arc::clone(&wake));
                Some(StopOnDrop(tokio::spawn(async move {
                    store
                        .wake_on_invalidations(POLL, || wake.notify_one())
                        .await
                })))
            }
            Store::Sqlite(..) => None,
        };
        let mut poll = tokio::time::interval(match state.store {
            Store::Postgres(_) => POLL,
            Store::Sqlite(..) => SQLITE_POLL,
        });
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_prune = Instant::now();
        let mut last_share = Instant::now();
        loop {
            tokio::select! {
                _ = wake.notified() => {}
                _ = poll.tick() => {}
            }
            let result = position.catch_up(&state).await.map(|_| ());
            state.health.record(&result);
            if result.is_ok() && last_share.elapsed() >= POLL {
                last_share = Instant::now();
                super::rate_limits::share(&state).await;
            }
            if result.is_ok() && last_prune.elapsed() > Duration::from_secs(3600) {
                last_prune = Instant::now();
                if let Err(e) = state.store.prune_invalidations(KEEP_SECONDS).await {
                    tracing::warn!(error = %e, "could not prune the invalidation log");
                }
            }
        }
    })
}

/// The log's current end, or `None` while the database cannot be read.
async fn read_position(state: &AppState) -> Option<Position> {
    match state.store.last_invalidation().await {
        Ok(last) => {
            state.health.record(&Ok(()));
            state.follower.record(last);
            Some(Position {
                last,
                gaps: BTreeMap::new(),
            })
        }
        Err(e) => {
            state.health.record(&Err(e.to_string()));
            None
        }
    }
}

/// Reads the log's end once the database answers. What this node cached in the
/// meantime (from before an outage at startup) may predate a change logged
/// before that end, which the follower will never read: it is dropped.
async fn wait_for_position(state: &AppState) -> Position {
    loop {
        tokio::time::sleep(POLL).await;
        if let Some(position) = read_position(state).await {
            state.records.clear();
            state.cache.clear();
            return position;
        }
    }
}

/// Stops a task when dropped: the forwarder ends with the follower that owns it.
struct StopOnDrop(tokio::task::JoinHandle<()>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
