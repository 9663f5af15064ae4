//! The real PostgreSQL server stopped and started again under reads and writes:
//! cached pages keep answering, what needs the database answers 503 (never 500),
//! the node recovers by itself within seconds, and no acknowledged write is lost.
//!
//! Stopping the cluster breaks every other test using it, so this is `#[ignore]`d
//! and run alone by `bench/faults.sh` (`PG_CLUSTER`, default the only one in
//! `/etc/postgresql` with the name `main`).

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dateline::store::Store;

use super::check;
use super::kill::europe;
use super::node::{client, Newsroom, Node};
use super::storm::{self, until_ok, OnNoAnswer};
use super::{env_number, say};

/// `pg_ctlcluster VERSION main ACTION`, as root, for the machine's cluster.
fn pg_ctl(action: &str) {
    let version = std::env::var("PG_CLUSTER").unwrap_or_else(|_| {
        std::fs::read_dir("/etc/postgresql")
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .unwrap_or_else(|| "15".into())
    });
    let mut command = Command::new("pg_ctlcluster");
    command.args(["--skip-systemctl-redirect", &version, "main", action]);
    if action == "stop" {
        command.args(["-m", "fast"]);
    }
    let status = command.status().expect("run pg_ctlcluster");
    assert!(status.success(), "pg_ctlcluster {action} failed");
}

/// Starts PostgreSQL again if the test ends (or fails) while it is stopped.
struct StartAgain(bool);

impl Drop for StartAgain {
    fn drop(&mut self) {
        if self.0 {
            pg_ctl("start");
        }
    }
}

/// One read: the phase it began in, what kind of page it was, and its status (0: no answer).
type Seen = (u8, &'static str, u16);

const BEFORE: u8 = 0;
const DOWN: u8 = 1;
const AFTER: u8 = 2;

#[test]
#[ignore = "stops the machine's PostgreSQL: run alone by bench/faults.sh"]
fn postgres_restart_under_load() {
    let outage_ms = env_number("FAULTS_OUTAGE_MS", 3000) as u64;
    let workers = env_number("FAULTS_WORKERS", 4);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(database) = runtime.block_on(crate::helpers::PgDatabase::create()) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let node = Node::start(&database.url, dir.path());
    let section = runtime.block_on(europe(&database.url));
    let newsroom = runtime
        .block_on(Newsroom::sign_in(&node.url))
        .expect("sign in");
    let base = node.url.clone();
    let http = client();

    runtime.block_on(async {
        // Articles to read from the cache while the database is away: the storm never touches them.
        let sitemap = http
            .get(format!("{base}/sitemaps/stories-1.xml"))
            .send()
            .await
            .expect("sitemap")
            .text()
            .await
            .expect("sitemap body");
        let articles: Vec<String> = sitemap
            .split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            // The sitemap names the configured base URL (port 0 here): keep the path.
            .filter_map(|loc| loc.find("/news/").map(|at| format!("{base}{}", &loc[at..])))
            .take(8)
            .collect();
        assert!(articles.len() >= 4, "articles in the sitemap: {sitemap}");
        for url in &articles {
            let status = http.get(url).send().await.expect("warm").status();
            assert_eq!(status, 200, "{url}");
        }

        // Writers, and readers of cached articles and of newsroom pages (which need the
        // database). Each kind of page has its own reader, so that a read waiting for the
        // database never holds up the reads of cached pages.
        let stop = Arc::new(AtomicBool::new(false));
        let phase = Arc::new(AtomicU8::new(BEFORE));
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let writers = {
            let newsroom = newsroom.clone();
            let stop = Arc::clone(&stop);
            tokio::spawn(async move {
                storm::run(&newsroom, section, workers, "r", stop, OnNoAnswer::KeepGoing).await
            })
        };
        let mut readers = Vec::new();
        for kind in ["cached", "database"] {
            let (http, stop, phase, seen) = (
                http.clone(),
                Arc::clone(&stop),
                Arc::clone(&phase),
                Arc::clone(&seen),
            );
            let (articles, newsroom) = (articles.clone(), newsroom.clone());
            readers.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let at = phase.load(Ordering::SeqCst);
                    let answer = if kind == "cached" {
                        http.get(&articles[n % articles.len()]).send().await
                    } else {
                        // The newsroom reads the session from the database on every request.
                        newsroom.get("/newsroom").await
                    };
                    let status = answer.map_or(0, |r| r.status().as_u16());
                    seen.lock().expect("seen").push((at, kind, status));
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }));
        }

        tokio::time::sleep(Duration::from_millis(1500)).await;
        let mut guard = StartAgain(true);
        tokio::task::spawn_blocking(|| pg_ctl("stop"))
            .await
            .expect("stop");
        // Requests that begin from here on find the database gone.
        phase.store(DOWN, Ordering::SeqCst);
        let outage_started = Instant::now();
        let health_down = {
            let start = Instant::now();
            let mut down = None;
            // At least FAULTS_OUTAGE_MS, and until what is checked below has happened while
            // PostgreSQL was stopped: /healthz has said 503 for a second (the follower
            // notices when its query gives up: the pool's 3 s acquire timeout), a cached
            // article was answered, and a page needing the database was answered with a
            // 503. A request waits up to that 3 s for a connection, so an outage only
            // about as long as that may end before any such wait has run out: then every
            // page that needed the database is answered 200, late, and the run shows
            // nothing of the outage. The outage lasts until it has been seen instead.
            let least = Duration::from_millis(outage_ms);
            let seen_down = |kind: &str, status: u16| {
                seen.lock()
                    .expect("seen")
                    .iter()
                    .any(|(p, k, s)| *p == DOWN && *k == kind && *s == status)
            };
            while start.elapsed() < least
                || down.is_none_or(|d| start.elapsed() < d + Duration::from_secs(1))
                || !seen_down("cached", 200)
                || !seen_down("database", 503)
            {
                if start.elapsed() > Duration::from_secs(20) {
                    break;
                }
                let status = http.get(format!("{base}/healthz")).send().await.map(|r| r.status().as_u16());
                if down.is_none() && matches!(status, Ok(503)) {
                    down = Some(start.elapsed());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            down
        };
        tokio::task::spawn_blocking(|| pg_ctl("start"))
            .await
            .expect("start");
        guard.0 = false;
        let outage = outage_started.elapsed();
        let started = Instant::now();
        phase.store(AFTER, Ordering::SeqCst);
        let healthy = until_ok(&http, &format!("{base}/healthz"), Duration::from_secs(30)).await;
        // A write through the newsroom goes through again.
        let written = {
            let mut done = None;
            while started.elapsed() < Duration::from_secs(30) {
                let fields = [
                    ("headline", "Written after the restart".to_string()),
                    ("summary", "The database is back.".to_string()),
                    ("section", section.to_string()),
                    ("body", "It came back.".to_string()),
                    ("action", "save".to_string()),
                ];
                if let Ok(r) = newsroom.post_story("/newsroom/stories", &fields).await {
                    if r.status() == 303 {
                        done = Some(started.elapsed());
                        break;
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            done
        };
        tokio::time::sleep(Duration::from_millis(1500)).await;
        stop.store(true, Ordering::SeqCst);
        let ledger = writers.await.expect("writers");
        for reader in readers {
            reader.await.expect("reader");
        }

        let seen = seen.lock().expect("seen").clone();
        let count = |phase: u8, kind: &str, ok: &dyn Fn(u16) -> bool| {
            seen.iter()
                .filter(|(p, k, s)| *p == phase && *k == kind && ok(*s))
                .count()
        };
        let cached_down = count(DOWN, "cached", &|_| true);
        let cached_down_ok = count(DOWN, "cached", &|s| s == 200);
        let database_down = count(DOWN, "database", &|_| true);
        let database_down_503 = count(DOWN, "database", &|s| s == 503);
        let errors_500: Vec<_> = seen.iter().filter(|(_, _, s)| *s >= 500 && *s != 503).collect();
        let refused_writes: Vec<_> = ledger.refusals.iter().filter(|(s, _)| *s != 503).collect();

        let store = Store::connect(&database.url).await.expect("reopen");
        let report = check::verify(&store, &ledger).await;
        store.close().await;

        assert!(health_down.is_some(), "/healthz never said 503 while PostgreSQL was stopped");
        assert!(cached_down > 0 && cached_down == cached_down_ok,
            "cached articles while PostgreSQL was stopped: {cached_down_ok} of {cached_down} answered 200 (0: no answer): {:?}",
            seen.iter().filter(|(p, k, _)| *p == DOWN && *k == "cached").map(|s| s.2).collect::<Vec<_>>());
        // A request that began during the outage waits up to 3 s for a connection, so it
        // may be answered once PostgreSQL is back; otherwise it is a 503, and the outage
        // lasted until at least one was.
        let database_down_200 = count(DOWN, "database", &|s| s == 200);
        assert!(database_down_503 > 0 && database_down == database_down_503 + database_down_200,
            "pages needing the database while it was stopped: {database_down_503} of {database_down} answered 503 (at least one must, the rest 200): {:?}; the server's log:\n{}",
            seen.iter().filter(|(p, k, _)| *p == DOWN && *k == "database").map(|s| s.2).collect::<Vec<_>>(),
            node.log_text());
        assert!(errors_500.is_empty(), "server errors other than 503: {errors_500:?}; the server's log:\n{}", node.log_text());
        assert!(refused_writes.is_empty(), "writes refused otherwise than with 503: {refused_writes:?}");
        assert!(ledger.no_answer.is_empty(), "writes that got no answer at all: {:?}; the server's log:\n{}", ledger.no_answer, node.log_text());
        let healthy = healthy.expect("/healthz not 200 within 30 s of PostgreSQL starting");
        let written = written.expect("no newsroom write succeeded within 30 s of PostgreSQL starting");
        assert!(written < Duration::from_secs(10), "writes came back after {written:?}");
        report.assert_clean("PostgreSQL after a restart");
        say(&format!(
            "faults: PostgreSQL stopped {:.1} s under load: cached articles {cached_down_ok}/{cached_down} answered 200, \
             database pages {database_down_503}/{database_down} answered 503 (the rest 200 once it was back), no 500s; /healthz 503 after {:.2} s; \
             after start: /healthz 200 in {:.2} s, first newsroom write in {:.2} s; \
             {} writes acknowledged ({} publishes), {} refused with 503, all present: PASS",
            outage.as_secs_f64(),
            health_down.map_or(0.0, |d| d.as_secs_f64()),
            healthy.as_secs_f64(),
            written.as_secs_f64(),
            ledger.acked.len(),
            ledger.publishes(),
            ledger.refusals.len(),
        ));
    });
    assert!(
        !node.log_text().contains("panicked"),
        "the server panicked:\n{}",
        node.log_text()
    );
}
