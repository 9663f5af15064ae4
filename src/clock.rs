//! The time, from the system or, in tests, from a hand-set clock.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    /// A clock that only moves when told to, for tests of scheduling and expiry.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn manual(start: i64) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(start)))
    }

    /// Unix seconds now.
    pub fn now(&self) -> i64 {
        match self {
            Clock::System => jiff::Timestamp::now().as_second(),
            Clock::Manual(t) => t.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock; does nothing to the system clock.
    pub fn set(&self, seconds: i64) {
        if let Clock::Manual(t) = self {
            t.store(seconds, Ordering::SeqCst);
        }
    }

    pub fn advance(&self, seconds: i64) {
        if let Clock::Manual(t) = self {
            t.fetch_add(seconds, Ordering::SeqCst);
        }
    }
}
