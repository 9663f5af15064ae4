//! Several nodes on one database, and a node's health: a change made through one
//! node reaches the others' caches; a node that loses its database keeps serving
//! what it has, says so on `/healthz`, and recovers by itself.

use std::time::{Duration, Instant};

use crate::helpers::{at, full_story, postgres_url, TestApp};
use crate::newsroom_workflow::save;
use crate::on_both_databases;
use dateline::domain::user::Role;

/// Polls `path` on `app` until its body contains `text`; returns how long that took.
async fn wait_for(app: &TestApp, path: &str, text: &str, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        let (_, page) = app.page(path).await;
        if page.contains(text) {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

async fn a_change_through_one_node_reaches_the_other(app: TestApp) {
    let other = app.another_node().await;
    let editor = app.staff(Role::Editor).await;
    let europe = app.section_id("europe");
    let id = app
        .publish(
            &full_story(europe, None, "Harbour plan"),
            at("2026-03-01T00:00:00Z"),
        )
        .await;
    let path = format!("/news/europe/harbour-plan-{id}");
    // Both nodes have the page and the front cached.
    for node in [&app, &other] {
        assert!(node.page(&path).await.1.contains("Harbour plan"));
        node.page("/").await;
    }
    assert!(other.state.cache.len() >= 2);

    let updated = save(
        &app,
        &editor,
        id,
        &[
            ("headline", "Harbour plan approved"),
            ("slug", "harbour-plan"),
            ("action", "publish"),
        ],
    )
    .await;
    assert_eq!(updated.status(), 303);
    // NOTIFY wakes PostgreSQL nodes at once; SQLite nodes poll every second.
    let limit = if app.database_url.starts_with("postgres") {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(2)
    };
    let took = wait_for(&other, &path, "Harbour plan approved", limit).await;
    assert!(
        took.is_some(),
        "the other node still shows the old headline"
    );
    assert!(wait_for(&other, "/", "Harbour plan approved", limit)
        .await
        .is_some());

    // A session made on one node is good on the other: sessions live in the database.
    let (status, _) = editor.get(&other, "/newsroom").await;
    assert_eq!(status, 200, "signed in on the other node too");

    // A kill too.
    editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/kill"),
            &[("confirm", "yes")],
        )
        .await;
    let started = Instant::now();
    while other.get(&path).await.status() != 410 {
        assert!(
            started.elapsed() < limit,
            "killed story still served by the other node"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn health_readiness_and_metrics(app: TestApp) {
    let (status, body) = app.page("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let (status, body) = app.page("/readyz").await;
    assert_eq!((status, body.as_str()), (200, "ready\n"));

    let editor = app.staff(Role::Editor).await;
    let id = app
        .publish(
            &full_story(app.section_id("europe"), None, "Counted story"),
            at("2026-03-01T00:00:00Z"),
        )
        .await;
    let path = format!("/news/europe/counted-story-{id}");
    app.page(&path).await;
    app.page(&path).await;
    app.page("/no/such/page").await;
    save(
        &app,
        &editor,
        id,
        &[("headline", "Counted again"), ("action", "publish")],
    )
    .await;

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let metrics = response.text().await.unwrap();
    let value = |series: &str| -> f64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(series).and_then(|v| v.trim().parse().ok()))
            .unwrap_or_else(|| panic!("no {series} in\n{metrics}"))
    };
    assert_eq!(
        value("dateline_http_requests_total{route=\"/news/{section}/{story}\",status=\"200\"}"),
        1.0,
        "the first view is rendered"
    );
    assert_eq!(
        value("dateline_http_requests_total{route=\"(page cache)\",status=\"200\"}"),
        1.0,
        "the second view is a cache hit"
    );
    assert_eq!(
        value("dateline_http_requests_total{route=\"(unmatched)\",status=\"404\"}"),
        1.0
    );
    assert!(
        value("dateline_http_request_duration_seconds_count{route=\"/news/{section}/{story}\"}")
            >= 1.0
    );
    assert_eq!(value("dateline_publishes_total"), 1.0);
    assert_eq!(value("dateline_page_cache_hits_total"), 1.0);
    assert!(value("dateline_page_cache_misses_total") >= 1.0);
}

on_both_databases!(
    a_change_through_one_node_reaches_the_other,
    health_readiness_and_metrics
);

/// Runs SQL as the PostgreSQL administrator.
async fn admin(sql: &str) {
    use sqlx::Connection;
    let url = postgres_url().expect("DATABASE_URL");
    let mut conn = sqlx::PgConnection::connect(&url)
        .await
        .expect("admin connection");
    sqlx::query(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Takes the test's database away from every node (refusing new connections and
/// ending the open ones), then gives it back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_ride_out_a_lost_database_and_recover() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let other = app.another_node().await;
    let name = app.database_url.rsplit('/').next().unwrap().to_string();
    let id = app
        .publish(
            &full_story(app.section_id("europe"), None, "Before the outage"),
            at("2026-03-01T00:00:00Z"),
        )
        .await;
    let path = format!("/news/europe/before-the-outage-{id}");
    assert_eq!(app.page(&path).await.0, 200);
    let editor = app.staff(Role::Editor).await;

    admin(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).await;
    admin(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ))
    .await;

    // Cached pages are still served; what needs the database gets a clear 503.
    let (status, page) = app.page(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Before the outage"));
    let started = Instant::now();
    loop {
        let (status, _) = app.page("/healthz").await;
        if status == 503 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "/healthz still says ok"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.page("/readyz").await.0, 503);
    let response = app.get("/news/europe?uncached=1").await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Temporarily unavailable"));
    assert_eq!(app.get("/api/v1/stories?section=world").await.status(), 503);

    admin(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).await;

    // Both nodes recover by themselves: healthy again, and changes flow between them.
    let started = Instant::now();
    for node in [&app, &other] {
        while node.page("/healthz").await.0 != 200 || node.page("/readyz").await.0 != 200 {
            assert!(started.elapsed() < Duration::from_secs(10), "no recovery");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    other.page(&path).await;
    let updated = save(
        &app,
        &editor,
        id,
        &[
            ("headline", "After the outage"),
            ("slug", "before-the-outage"),
            ("action", "publish"),
        ],
    )
    .await;
    assert_eq!(updated.status(), 303, "publishing works again");
    assert!(
        wait_for(&other, &path, "After the outage", Duration::from_secs(2))
            .await
            .is_some(),
        "the other node follows changes again"
    );
}
