//! `kill -9` of `dateline serve` in the middle of a storm of creates, saves and
//! publishes, then a restart on the same database: every acknowledged write is
//! there as sent, nothing is half-applied, and SQLite's integrity check is `ok`.
//!
//! The short version runs in `cargo test`; `bench/faults.sh` runs more rounds and
//! longer storms through `FAULTS_ROUNDS`, `FAULTS_STORM_MS` and `FAULTS_WORKERS`.

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dateline::store::Store;

use super::check;
use super::node::{Newsroom, Node};
use super::storm::{self, Ledger, OnNoAnswer};
use super::{env_number, say};

#[test]
fn kill_9_during_a_write_storm_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("dateline.db").display());
    kill_storm("SQLite", &url, dir.path());
}

#[test]
fn kill_9_during_a_write_storm_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(database) = runtime.block_on(crate::helpers::PgDatabase::create()) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    kill_storm("PostgreSQL", &database.url, dir.path());
}

/// The Europe section's id: the storm writes there.
pub async fn europe(url: &str) -> i64 {
    let store = Store::connect(url).await.expect("open the database");
    let id = store
        .sections()
        .await
        .expect("sections")
        .into_iter()
        .find(|s| s.slug == "europe")
        .expect("Europe")
        .id;
    store.close().await;
    id
}

fn kill_storm(kind: &str, url: &str, dir: &std::path::Path) {
    let rounds = env_number("FAULTS_ROUNDS", 1);
    let storm_ms = env_number("FAULTS_STORM_MS", 1500);
    let workers = env_number("FAULTS_WORKERS", 6);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mut node = Node::start(url, dir);
    let section = runtime.block_on(europe(url));
    let mut newsroom = runtime
        .block_on(Newsroom::sign_in(&node.url))
        .expect("sign in");
    let mut ledger = Ledger::default();
    let mut in_flight = 0;
    let mut stories = 0;
    for round in 0..rounds {
        let stop = Arc::new(AtomicBool::new(false));
        let round_ledger = runtime.block_on(async {
            let storm = {
                let newsroom = newsroom.clone();
                let stop = Arc::clone(&stop);
                let tag = format!("k{round}");
                tokio::spawn(async move {
                    storm::run(&newsroom, section, workers, &tag, stop, OnNoAnswer::Stop).await
                })
            };
            tokio::time::sleep(Duration::from_millis(storm_ms as u64)).await;
            node.kill9();
            stop.store(true, Ordering::SeqCst);
            storm.await.expect("storm")
        });
        in_flight += round_ledger.pending.len();
        assert!(
            round_ledger.refusals.is_empty(),
            "{kind}: writes refused before the kill: {:?}\nthe server's log:\n{}",
            round_ledger.refusals,
            node.log_text()
        );
        assert!(
            !round_ledger.acked.is_empty(),
            "{kind}: no write was acknowledged in {storm_ms} ms"
        );
        ledger.merge(round_ledger);

        // The same database, a new process: it must start, and everything acknowledged is there.
        node = Node::start(url, dir);
        newsroom = newsroom.at(&node.url);
        let report = runtime.block_on(async {
            let store = Store::connect(url).await.expect("reopen the database");
            let report = check::verify(&store, &ledger).await;
            store.close().await;
            report
        });
        report.assert_clean(&format!("{kind}, after kill -9 number {}", round + 1));
        stories = report.stories;
        let public = runtime.block_on(check::verify_public(&node.url, &ledger, 25));
        assert!(
            public.is_empty(),
            "{kind}: public pages after the restart:\n{}",
            public.join("\n")
        );
    }

    // The restarted server takes writes again with the session it had before the kill.
    let after = runtime.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let newsroom = newsroom.clone();
            let stop = Arc::clone(&stop);
            tokio::spawn(async move {
                storm::run(&newsroom, section, 1, "after", stop, OnNoAnswer::Stop).await
            })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, Ordering::SeqCst);
        writer.await.expect("writer")
    });
    assert!(
        !after.acked.is_empty() && after.refusals.is_empty() && after.pending.is_empty(),
        "{kind}: writing after the restart: {after:?}"
    );
    assert!(
        !node.log_text().contains("panicked"),
        "{kind}: the server panicked:\n{}",
        node.log_text()
    );
    say(&format!(
        "faults: kill -9 storm on {kind}: {rounds} kill(s), {} writes acknowledged ({} publishes) and all present as sent, {in_flight} in flight at the kills, {stories} stories consistent{}: PASS",
        ledger.acked.len(),
        ledger.publishes(),
        if kind == "SQLite" { ", integrity_check ok" } else { "" }
    ));
    let _ = std::io::stderr().flush();
}
