//! Several nodes on one database, and a node's health: a change made through one
//! node reaches the others' caches; a node that loses its database keeps serving
//! what it has, says so on `/healthz`, and recovers by itself.

use std::time::{Duration, Instant};

use crate::helpers::{at, full_story, postgres_url, TestApp};
use crate::newsroom::workflow::save;
use crate::on_both_databases;
use dateline::domain::story::Status;
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

/// How soon a change must reach another node: NOTIFY wakes PostgreSQL nodes at
/// once; SQLite nodes poll four times a second (the limit leaves room for a busy machine).
fn follow_limit(app: &TestApp) -> Duration {
    if app.database_url.starts_with("postgres") {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(2)
    }
}

/// A second node, and a story in Europe published with `headline` that both
/// nodes show; returns the node, the story's id and its address.
async fn another_node_showing(app: &TestApp, headline: &str, slug: &str) -> (TestApp, i64, String) {
    let other = app.another_node().await;
    let europe = app.section_id("europe");
    let id = app
        .publish(
            &full_story(europe, None, headline),
            at("2026-03-01T00:00:00Z"),
        )
        .await;
    let path = format!("/news/europe/{slug}-{id}");
    // The other node drops what the publish named once its follower reads it;
    // what it caches before then would go.
    other.follower_read_log().await;
    assert!(other.page(&path).await.1.contains(headline));
    (other, id, path)
}

/// Asserts that `node` shows `text` at `path` within `limit`; `failure` says what went wrong.
async fn shows_within(node: &TestApp, path: &str, text: &str, limit: Duration, failure: &str) {
    assert!(
        wait_for(node, path, text, limit).await.is_some(),
        "{failure}"
    );
}

/// Asserts that `node` answers 410 Gone at `path` within `limit`.
async fn gone_within(node: &TestApp, path: &str, limit: Duration) {
    let started = Instant::now();
    while node.get(path).await.status() != 410 {
        assert!(
            started.elapsed() < limit,
            "killed story still served by the other node"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_change_through_one_node_reaches_the_other(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (other, id, path) = another_node_showing(&app, "Harbour plan", "harbour-plan").await;
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
    let limit = follow_limit(&app);
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
    gone_within(&other, &path, limit).await;
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
    health_readiness_and_metrics,
    a_change_committed_by_a_node_that_died_still_reaches_the_others
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
    // Connections that died in the outage are not handed to requests: none fails.
    for node in [&app, &other] {
        for n in 0..20 {
            // A new search each time, so each goes to the database.
            let response = node.get(&format!("/search?q=outage{n}")).await;
            assert_eq!(response.status(), 200, "a request after recovery failed");
        }
    }
    assert_eq!(other.page(&path).await.0, 200);
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

/// Requests for an API key on `node`: the status and the `x-ratelimit-remaining` header.
async fn api_request(node: &TestApp, key: &str) -> (u16, Option<String>) {
    let response = node
        .client
        .get(format!("{}/api/v1/sections", node.base))
        .header("x-api-key", key)
        .send()
        .await
        .expect("API request");
    let remaining = response
        .headers()
        .get("x-ratelimit-remaining")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (response.status().as_u16(), remaining)
}

/// Waits until the site-wide count of `bucket` in the database reaches `count`,
/// then for one more exchange, so every node has learnt it.
async fn wait_for_shared_count(app: &TestApp, bucket: &str, count: i64) {
    let dateline::store::Store::Postgres(pool) = &app.store else {
        panic!("PostgreSQL only");
    };
    let started = Instant::now();
    loop {
        let shared: Option<i64> =
            sqlx::query_scalar("SELECT sum(count)::bigint FROM api_usage WHERE bucket = $1")
                .bind(bucket)
                .fetch_one(pool)
                .await
                .expect("api_usage");
        if shared == Some(count) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the nodes' counts did not reach the database: {shared:?} of {count}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(dateline::web::cluster::POLL * 2).await;
}

/// An API key's limit holds for the whole site, not per node: requests answered by
/// one node count against the key on the other once they have exchanged counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_key_limit_holds_across_nodes() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let other = app.another_node().await;
    // Both nodes in the same minute, with the whole test inside it.
    let start = app.clock.now() / 60 * 60 + 1;
    app.clock.set(start);
    other.clock.set(start);
    let key = "shared-limit-key-0123456789";
    let id = app
        .store
        .create_api_key("partner", &dateline::auth::token_hash(key), 10, 0)
        .await
        .expect("key");
    let bucket = format!("key:{id}");

    for n in 0..6 {
        assert_eq!(
            api_request(&app, key).await.0,
            200,
            "first node, request {n}"
        );
    }
    // The other node's first request knows nothing of them yet.
    assert_eq!(api_request(&other, key).await, (200, Some("9".into())));
    wait_for_shared_count(&app, &bucket, 7).await;

    // Now it counts the first node's six: three more fit in the limit of ten.
    let answers = [
        api_request(&other, key).await,
        api_request(&other, key).await,
        api_request(&other, key).await,
    ];
    assert_eq!(
        answers.map(|(status, remaining)| (status, remaining.unwrap_or_default())),
        [(200, "2".into()), (200, "1".into()), (200, "0".into())]
    );
    assert_eq!(
        api_request(&other, key).await.0,
        429,
        "the eleventh request"
    );

    // And the first node counts the other's five.
    wait_for_shared_count(&app, &bucket, 11).await;
    assert_eq!(
        api_request(&app, key).await.0,
        429,
        "back on the first node"
    );
    drop(other);
}

/// A node that dies just after committing a change never runs the code that
/// follows the commit. The change still reaches the other nodes, because the
/// database logged it in the change's own transaction (migration 0009). Here the
/// changes are made through the store alone, as such a node leaves them: no web
/// handler, no call to `invalidation::invalidate`.
async fn a_change_committed_by_a_node_that_died_still_reaches_the_others(app: TestApp) {
    let europe = app.section_id("europe");
    let (other, id, path) = another_node_showing(&app, "Dock strike", "dock-strike").await;
    // The world front lists Europe's stories: an ancestor the log does not name.
    assert!(other.page("/news/world").await.1.contains("Dock strike"));
    let limit = follow_limit(&app);

    let mut content = full_story(europe, None, "Dock strike ends");
    content.slug = "dock-strike".to_string();
    app.save_revision(id, &content, at("2026-03-01T01:00:00Z"))
        .await;
    app.store
        .publish_newest(id, at("2026-03-01T01:00:00Z"), true, None)
        .await
        .expect("publish");
    shows_within(
        &other,
        &path,
        "Dock strike ends",
        limit,
        "the update never reached the other node's article",
    )
    .await;
    shows_within(
        &other,
        "/news/world",
        "Dock strike ends",
        limit,
        "the update never reached the parent section's front",
    )
    .await;

    app.store
        .add_correction(
            id,
            at("2026-03-01T02:00:00Z"),
            "An earlier version named the wrong port.",
            "test",
        )
        .await
        .expect("correct");
    shows_within(
        &other,
        &path,
        "the wrong port",
        limit,
        "the correction never reached the other node",
    )
    .await;

    app.store
        .set_status(id, Status::Killed)
        .await
        .expect("kill");
    gone_within(&other, &path, limit).await;
    drop(other);
}

/// When the database refuses the invalidation log's row, it refuses the change
/// with it: nothing is published that the other nodes cannot learn of.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_whose_log_entry_is_refused_is_not_made() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let dateline::store::Store::Postgres(pool) = &app.store else {
        unreachable!("a PostgreSQL app");
    };
    let editor = app.staff(Role::Editor).await;
    let (other, id, path) = another_node_showing(&app, "Ferry timetable", "ferry-timetable").await;

    for sql in [
        "CREATE FUNCTION refuse_for_the_test() RETURNS trigger LANGUAGE plpgsql \
         AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$",
        "CREATE TRIGGER refuse_log BEFORE INSERT ON invalidations \
         FOR EACH ROW EXECUTE FUNCTION refuse_for_the_test()",
    ] {
        sqlx::query(sql).execute(pool).await.expect(sql);
    }
    let fields = [
        ("headline", "Ferry timetable cut"),
        ("slug", "ferry-timetable"),
        ("action", "publish"),
    ];
    let refused = save(&app, &editor, id, &fields).await;
    assert!(
        refused.status().is_server_error(),
        "the publish was refused, got {}",
        refused.status()
    );
    for node in [&app, &other] {
        let (_, page) = node.page(&path).await;
        assert!(page.contains("Ferry timetable") && !page.contains("Ferry timetable cut"));
    }
    let story = app.store.story(id).await.unwrap().unwrap();
    assert_eq!(
        story.content.headline, "Ferry timetable",
        "nothing half-published"
    );

    sqlx::query("DROP TRIGGER refuse_log ON invalidations")
        .execute(pool)
        .await
        .expect("drop trigger");
    let published = save(&app, &editor, id, &fields).await;
    assert_eq!(published.status(), 303);
    let reached = wait_for(&other, &path, "Ferry timetable cut", Duration::from_secs(1)).await;
    assert!(reached.is_some(), "the change never reached the other node");
    drop(other);
}
