//! Scheduled publishing and ending embargoes: `web::publishing` runs
//! [`crate::editorial::publish_due`] and [`crate::editorial::end_due_embargoes`]
//! every tick, on every node; each story is claimed by exactly one.

use std::time::Duration;

/// How often the scheduler looks for due stories.
pub const TICK: Duration = Duration::from_secs(1);
