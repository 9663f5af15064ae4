//! Faults against the real binary: `kill -9` during a storm of newsroom writes
//! (SQLite and PostgreSQL), PostgreSQL stopped and started under load, a full
//! disk and a read-only database. Short versions run in `cargo test`; the
//! PostgreSQL restart (which would disturb other tests) and longer storms are run
//! by `bench/faults.sh`.

mod check;
mod disk;
mod kill;
mod node;
mod pg_restart;
mod storm;

use std::io::Write as _;

/// A whole-number setting from the environment (the scripts lengthen the runs with these).
fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One summary line, written past the test harness's capture so the scripts can show it.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
