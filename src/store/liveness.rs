//! Which pooled PostgreSQL connections to test before a request gets one.
//!
//! Pinging every connection before use doubled the round trips of each page, so
//! the pool does not. But a connection that died while it sat idle (the database
//! was restarted, or an administrator ended its backend) would then fail the
//! first request that got it, after the database was back: each of up to 16
//! dead connections would cost one reader or editor a 503. So a connection is
//! pinged first when it has been idle a while, or when this process has lately
//! seen the database unreachable; a dead one is dropped and another taken.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A connection idle this long is tested before use. Under load connections
/// are seldom idle this long, so the busy path pays no extra round trip.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);
/// For this long after the database was last found unreachable, every
/// connection is tested before use.
const TEST_AFTER_LOSS: Duration = Duration::from_secs(10);

/// When a connection was last found lost, as `now_stamp` (0: never).
static LAST_LOSS: AtomicU64 = AtomicU64::new(0);

/// Now, in milliseconds after the first call plus one, as `LAST_LOSS` keeps it.
fn now_stamp() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_millis() as u64 + 1
}

/// Notes that a query failed because the database could not be reached.
pub(crate) fn note_lost_connection() {
    LAST_LOSS.fetch_max(now_stamp(), Ordering::Relaxed);
}

/// Whether a connection idle for `idle_for` should be pinged before it is used.
pub(crate) fn worth_testing(idle_for: Duration) -> bool {
    should_test(idle_for, since_last_loss())
}

/// How long ago a connection was last found lost, if ever.
fn since_last_loss() -> Option<Duration> {
    match LAST_LOSS.load(Ordering::Relaxed) {
        0 => None,
        at => Some(Duration::from_millis(now_stamp().saturating_sub(at))),
    }
}

fn should_test(idle_for: Duration, since_loss: Option<Duration>) -> bool {
    idle_for >= IDLE_BEFORE_PING || since_loss.is_some_and(|since| since <= TEST_AFTER_LOSS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_connections_are_tested_and_busy_ones_only_soon_after_a_loss() {
        let busy = Duration::from_millis(10);
        assert!(should_test(Duration::from_secs(5), None));
        assert!(!should_test(busy, None));
        assert!(should_test(busy, Some(Duration::from_secs(2))));
        assert!(!should_test(busy, Some(Duration::from_secs(60))));
    }

    #[test]
    fn a_lost_connection_is_remembered() {
        note_lost_connection();
        assert!(since_last_loss().is_some_and(|since| since < Duration::from_secs(1)));
        assert!(worth_testing(Duration::from_millis(10)));
    }
}
