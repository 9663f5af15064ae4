//! A full disk and a read-only database under the real binary: a change that cannot
//! be saved is refused with a message saying why (and the editor keeps the text),
//! the log names the cause, and the public site goes on being served.
//!
//! Both need to mount file systems (a small tmpfs; a read-only bind mount), which
//! root can do here. Where mounting is not possible the tests say they are skipped,
//! except under `CI=true`, where that is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::node::{client, Newsroom, Node};
use super::say;

/// Saves that failed after the full disk had room again (reported in the summary).
static RECOVERY_FAILURES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A mount that is undone when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Runs `mount ARGS…`; on failure, skips the test (`None`) or, in CI, fails it.
fn mount(args: &[&str], at: &Path, what: &str) -> Option<Mount> {
    std::fs::create_dir_all(at).expect("mount point");
    let output = Command::new("mount").args(args).arg(at).output();
    let failure = match output {
        Ok(o) if o.status.success() => return Some(Mount(at.to_path_buf())),
        Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
        Err(e) => e.to_string(),
    };
    if crate::helpers::in_ci() {
        panic!("CI=true but the {what} test cannot mount a file system: {failure}");
    }
    say(&format!(
        "\n*** {what} test SKIPPED: cannot mount a file system here ({failure}) ***\n"
    ));
    None
}

/// Editor fields for a story in `section`.
fn story(section: i64, headline: &str, body: &str, action: &str) -> Vec<(&'static str, String)> {
    vec![
        ("headline", headline.to_string()),
        ("summary", format!("About {headline}.")),
        ("section", section.to_string()),
        ("byline", "By The Tests".to_string()),
        ("body", body.to_string()),
        ("action", action.to_string()),
    ]
}

/// Public pages that must keep answering 200 while writes are refused: the
/// front page, a section, the article, its feed, a search (a database read the
/// cache cannot answer) and the API.
async fn reads_go_on(base: &str, article: i64, token: &str) {
    let http = client();
    for path in [
        "/".to_string(),
        "/news/europe".to_string(),
        "/feeds/europe.rss".to_string(),
        format!("/search?q={token}"),
        format!("/api/v1/stories/{article}"),
        "/api/v1/stories?limit=5".to_string(),
    ] {
        let response = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("read");
        assert_eq!(response.status(), 200, "{path} while writes are refused");
    }
    let short = http
        .get(format!("{base}/news/{article}"))
        .send()
        .await
        .expect("article");
    assert_eq!(short.status(), 301);
    let location = short.headers()["location"].to_str().expect("location");
    let page = http
        .get(format!("{base}{location}"))
        .send()
        .await
        .expect("article page");
    assert_eq!(page.status(), 200, "the article while writes are refused");
    assert!(page.text().await.expect("body").contains(token));
}

/// Copies the write-ahead log into the database and empties it, as the server
/// would at a checkpoint (the server is idle, so nothing holds the log).
async fn checkpoint_and_truncate_wal(url: &str) {
    let store = dateline::store::Store::connect(url).await.expect("open");
    if let dateline::store::Store::Sqlite(pool, _) = &store {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await
            .expect("checkpoint");
        assert_eq!(busy, 0, "the checkpoint could not finish");
    }
    store.close().await;
}

/// The story id in the editor's redirect.
fn created(response: &reqwest::Response) -> i64 {
    let location = response.headers()["location"].to_str().expect("location");
    location
        .trim_start_matches("/newsroom/stories/")
        .split(['?', '/'])
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no story id in {location}"))
}

/// Signs in to the node at `base` and publishes a story in Europe through the
/// newsroom; returns the session, the section and the story's id.
async fn publish_first_story(
    database_url: &str,
    base: &str,
    headline: &str,
    body: &str,
) -> (Newsroom, i64, i64) {
    let section = super::kill::europe(database_url).await;
    let newsroom = Newsroom::sign_in(base).await.expect("sign in");
    let response = newsroom
        .post_story(
            "/newsroom/stories",
            &story(section, headline, body, "publish"),
        )
        .await
        .expect("create");
    assert_eq!(response.status(), 303);
    (newsroom, section, created(&response))
}

#[test]
fn a_full_disk_refuses_writes_clearly_and_reads_go_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let disk = dir.path().join("disk");
    let Some(_mount) = mount(
        &["-t", "tmpfs", "-o", "size=48m", "tmpfs"],
        &disk,
        "disk-full",
    ) else {
        return;
    };
    let url = format!("sqlite://{}", disk.join("dateline.db").display());
    // The log stays off the full disk.
    let node = Node::start(&url, dir.path());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let (newsroom, section, id) = publish_first_story(
            &url,
            &node.url,
            "Reservoir zqfull level",
            "Before the disk filled.",
        )
        .await;

        // Empty the write-ahead log first: SQLite reuses room already in it, so with
        // a log left large by the demo's import, saves could go on fitting for a
        // while on a full disk. Emptied, the next write must grow it.
        checkpoint_and_truncate_wal(&url).await;

        // Fill the file system to the last byte.
        let filler = disk.join("filler");
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&filler).expect("filler");
            let chunk = vec![0u8; 64 * 1024];
            while file.write_all(&chunk).is_ok() {}
            let small = [0u8; 512];
            while file.write_all(&small).is_ok() {}
            let _ = file.flush();
        }

        // A few small writes may still fit in pages SQLite already holds; big ones run
        // out at once. Each either saves or says why it did not.
        let big = "A paragraph that will not fit on a full disk. ".repeat(2000);
        let mut refused = None;
        for attempt in 0..20 {
            let headline = format!("Flood attempt {attempt} zqunsaved");
            let response = newsroom
                .post_story(
                    &format!("/newsroom/stories/{id}"),
                    &[
                        story(section, &headline, &big, "save"),
                        vec![("base_revision", String::new())],
                    ]
                    .concat(),
                )
                .await
                .expect("save on a full disk");
            match response.status().as_u16() {
                303 => continue,
                status => {
                    refused = Some((status, headline, response.text().await.expect("body")));
                    break;
                }
            }
        }
        let (status, headline, page) = refused.unwrap_or_else(|| {
            panic!(
                "no write was refused on a full disk; the log:\n{}",
                node.log_text()
            )
        });
        assert_eq!(
            status,
            507,
            "status for a full disk: {page}\nthe log:\n{}",
            node.log_text()
        );
        assert!(
            page.contains("The database could not save this: the disk it is stored on is full."),
            "the message says why: {page}"
        );
        assert!(
            page.contains(&headline),
            "the editor comes back with the text as typed"
        );
        // Forms other than the editor say it too, on the error page.
        let response = newsroom
            .post_story(
                "/newsroom/stories",
                &story(section, "Another zqunsaved", &big, "save"),
            )
            .await
            .expect("create on a full disk");
        assert_eq!(
            response.status(),
            507,
            "a new story on a full disk; the log:\n{}",
            node.log_text()
        );
        assert!(response
            .text()
            .await
            .expect("body")
            .contains("disk it is stored on is full"));

        reads_go_on(&node.url, id, "zqfull").await;
        let log = node.log_text();
        assert!(
            log.contains("the database's disk is full") && log.contains("database or disk is full"),
            "the log names the cause: {log}"
        );
        assert!(!log.contains("panicked"), "{log}");

        // Room again: every save goes through, without a restart.
        std::fs::remove_file(&filler).expect("free the disk");
        let mut statuses = Vec::new();
        for attempt in 0..16 {
            let response = newsroom
                .post_story(
                    &format!("/newsroom/stories/{id}"),
                    &story(
                        section,
                        &format!("Reservoir zqfull level after {attempt}"),
                        "Room again.",
                        "publish",
                    ),
                )
                .await
                .expect("save after freeing room");
            statuses.push(response.status().as_u16());
        }
        let failed = statuses.iter().filter(|s| **s != 303).count();
        assert!(
            failed == 0,
            "saving once there is room again: {statuses:?}; the log:\n{}",
            node.log_text()
        );
        RECOVERY_FAILURES.store(failed, std::sync::atomic::Ordering::SeqCst);
        let store = dateline::store::Store::connect(&url).await.expect("open");
        if let dateline::store::Store::Sqlite(pool, _) = &store {
            let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(pool)
                .await
                .expect("integrity_check");
            assert_eq!(integrity, "ok");
        }
        store.close().await;
    });
    say(&format!(
        "faults: full disk: saves refused with 507 and the reason, editor text kept, cause logged, public pages and API served, writes resume when there is room ({} of 16 saves after freeing room failed): PASS",
        RECOVERY_FAILURES.load(std::sync::atomic::Ordering::SeqCst)
    ));
}

#[test]
fn a_read_only_database_refuses_writes_clearly_and_reads_go_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let url = format!("sqlite://{}", data.join("dateline.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");

    // A site with a published story and a signed-in session, shut down cleanly.
    let node = Node::start(&url, dir.path());
    let (newsroom, section, id) = runtime.block_on(publish_first_story(
        &url,
        &node.url,
        "Archive zqreadonly opens",
        "Read, never written.",
    ));
    node.stop();
    for leftover in ["dateline.db-wal", "dateline.db-shm"] {
        assert!(
            !data.join(leftover).exists(),
            "{leftover} left after a clean shutdown"
        );
    }

    let read_only = dir.path().join("read-only");
    let Some(_bind) = mount(
        &["--bind", &data.display().to_string()],
        &read_only,
        "read-only database",
    ) else {
        return;
    };
    // Made read-only in place: the one `Mount` above undoes both.
    let Some(remounted) = mount(&["-o", "remount,bind,ro"], &read_only, "read-only database")
    else {
        return;
    };
    std::mem::forget(remounted);
    let ro_url = format!("sqlite://{}", read_only.join("dateline.db").display());
    let node = Node::start(&ro_url, dir.path());
    let newsroom = newsroom.at(&node.url);
    runtime.block_on(async {
        reads_go_on(&node.url, id, "zqreadonly").await;
        // The session from before still opens the newsroom (reading it writes nothing).
        let page = newsroom.get("/newsroom").await.expect("newsroom");
        assert_eq!(page.status(), 200);

        let headline = "Edited on a read-only disk zqlost";
        let response = newsroom
            .post_story(
                &format!("/newsroom/stories/{id}"),
                &story(section, headline, "This cannot be saved.", "save"),
            )
            .await
            .expect("save");
        assert_eq!(response.status(), 503);
        let page = response.text().await.expect("body");
        assert!(
            page.contains("The database could not save this: it is read-only just now."),
            "the message says why: {page}"
        );
        assert!(
            page.contains(headline),
            "the editor keeps the text as typed"
        );

        // Signing in needs a new session row: refused the same way, on the error page.
        let http = client();
        let form = http
            .get(format!("{}/newsroom/sign-in", node.url))
            .send()
            .await
            .expect("sign-in form");
        let cookie = crate::staff::set_cookie(&form, "dateline_sign_in").expect("cookie");
        let token = crate::staff::csrf_in(&form.text().await.expect("form")).expect("token");
        let response = http
            .post(format!("{}/newsroom/sign-in", node.url))
            .header("cookie", format!("dateline_sign_in={cookie}"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", super::node::ADMIN_EMAIL),
                ("password", super::node::ADMIN_PASSWORD),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status(), 503);
        assert!(response
            .text()
            .await
            .expect("body")
            .contains("it is read-only just now"));
        tokio::time::sleep(Duration::from_millis(100)).await;
    });
    let log = node.log_text();
    assert!(
        log.contains("serving it read-only") && log.contains("the database is read-only"),
        "the log names the cause: {log}"
    );
    assert!(!log.contains("panicked"), "{log}");
    say("faults: read-only database: serves read-only, saves and sign-ins refused with 503 and the reason, cause logged, public pages and API served: PASS");
}
