//! Request counts for the API's rate limits: a fixed one-minute window per bucket
//! (a key or a client address).
//!
//! Each node counts its own requests at once and, on PostgreSQL, adds them to
//! site-wide counts in the database about once a second (`share`), learning the
//! other nodes' counts in return. A limit therefore holds for the whole site, give
//! or take the requests of the last second; and a node that cannot reach the
//! database still holds every client to the limit on its own.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::web::AppState;

/// Requests counted in the current minute, by key or address.
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

/// One bucket's minute.
#[derive(Debug, Clone, Copy)]
struct Window {
    minute: i64,
    /// Requests this node answered in the minute.
    here: i64,
    /// Of those, the ones not yet added to the site-wide count.
    unshared: i64,
    /// Requests the other nodes answered, as of the last exchange.
    elsewhere: i64,
}

impl Window {
    fn new(minute: i64) -> Window {
        Window {
            minute,
            here: 0,
            unshared: 0,
            elsewhere: 0,
        }
    }
}

impl RateLimiter {
    /// Counts one request against `bucket`; returns the requests left, or the seconds to wait when over `limit`.
    pub fn count(&self, bucket: String, limit: i64, now: i64) -> Result<i64, i64> {
        let minute = now / 60;
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, w| w.minute == minute);
        }
        let window = windows.entry(bucket).or_insert(Window::new(minute));
        if window.minute != minute {
            *window = Window::new(minute);
        }
        window.here += 1;
        window.unshared += 1;
        let used = window.here + window.elsewhere;
        if used > limit {
            Err(60 - now % 60)
        } else {
            Ok(limit - used)
        }
    }

    /// This minute's buckets with the requests not yet shared (zero included, so
    /// the exchange also brings back the other nodes' counts), now marked shared.
    fn take_unshared(&self, minute: i64) -> Vec<(i64, String, i64)> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        windows.retain(|_, w| w.minute >= minute);
        windows
            .iter_mut()
            .map(|(bucket, w)| {
                let added = std::mem::take(&mut w.unshared);
                (w.minute, bucket.clone(), added)
            })
            .collect()
    }

    /// Puts back counts that could not be shared, for the next exchange.
    fn restore(&self, counts: Vec<(i64, String, i64)>) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        for (minute, bucket, added) in counts {
            if let Some(w) = windows.get_mut(&bucket).filter(|w| w.minute == minute) {
                w.unshared += added;
            }
        }
    }

    /// Takes in site-wide totals: what is not this node's shared count is the others'.
    fn learn(&self, totals: Vec<(i64, String, i64)>) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        for (minute, bucket, total) in totals {
            if let Some(w) = windows.get_mut(&bucket).filter(|w| w.minute == minute) {
                let shared_here = w.here - w.unshared;
                w.elsewhere = (total - shared_here).max(0);
            }
        }
    }
}

/// Exchanges this node's counts with the site-wide ones (PostgreSQL; nothing to
/// do on SQLite). Called about once a second by the cluster follower.
pub async fn share(state: &AppState) {
    if !matches!(state.store, crate::store::Store::Postgres(_)) {
        return;
    }
    let minute = state.now() / 60;
    let counts = state.rate_limits.take_unshared(minute);
    if counts.is_empty() {
        return;
    }
    match state.store.share_api_usage(&counts, minute - 1).await {
        Ok(totals) => state.rate_limits.learn(totals),
        Err(e) => {
            tracing::debug!(error = %e, "could not share API request counts");
            state.rate_limits.restore(counts);
        }
    }
}
