//! HTTP caching: the in-process cache, validators, encodings, exact invalidation
//! on publish, update and kill, purge requests, and the page weight budget.

use crate::helpers::{at, full_story, TestApp};
use crate::staff::{borrow, story_fields, story_id_from};
use crate::{on_both_databases, on_both_databases_with_demo};
use dateline::domain::user::Role;
use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

fn hits(app: &TestApp) -> u64 {
    app.state.cache.hits.load(Ordering::SeqCst)
}

async fn cached_pages_are_validated_and_compressed(app: TestApp) {
    let id = app
        .publish(
            &full_story(app.section_id("europe"), None, "Cache me"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let path = format!("/news/europe/cache-me-{id}");
    // A render in the second of the latest invalidation states no Last-Modified.
    app.clock.advance(1);
    let first = app.get(&path).await;
    let cache_control = first.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cache_control.contains("public")
            && cache_control.contains("s-maxage")
            && cache_control.contains("stale-while-revalidate"),
        "{cache_control}"
    );
    assert!(first.headers()["surrogate-key"]
        .to_str()
        .unwrap()
        .split(' ')
        .any(|k| k == format!("story-{id}")));
    assert!(first.headers().contains_key("last-modified"));
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let plain = first.text().await.unwrap();
    let before = hits(&app);
    let again = app.get(&path).await;
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(again.text().await.unwrap(), plain);
    assert_eq!(hits(&app), before + 1, "served from the cache");

    let not_modified = app
        .client
        .get(format!("{}{path}", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), 304);

    let gz = app
        .client
        .get(format!("{}{path}", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz.bytes().await.unwrap()[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, plain);
    let br = app
        .client
        .get(format!("{}{path}", app.base))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert!(br.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("Accept-Encoding"));
    let mut text = String::new();
    brotli::Decompressor::new(&br.bytes().await.unwrap()[..], 4096)
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, plain);

    // The cached page's encoding follows the q-values: a zero weight refuses, however written.
    for (accept, encoding) in [
        ("gzip;q=0.5, br;q=0.1", Some("gzip")),
        ("br;q=0.0, gzip", Some("gzip")),
        ("br;q=0, gzip;q=0", None),
        ("*;q=0", None),
        ("identity", None),
    ] {
        let before = hits(&app);
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(hits(&app), before + 1, "{accept}: served from the cache");
        assert_eq!(
            response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
    }
}

/// Fetches pages so they are cached, then returns their texts after `change` runs.
async fn refresh(app: &TestApp, paths: &[String]) -> Vec<String> {
    let mut pages = Vec::new();
    for path in paths {
        pages.push(app.page(path).await.1);
    }
    pages
}

async fn publishing_refreshes_exactly_the_pages_that_show_the_story(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let older = app
        .publish(
            &full_story(app.section_id("europe"), None, "Older Europe story"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let business = app
        .publish(
            &full_story(app.section_id("business"), None, "Markets calm"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let mut linking = full_story(app.section_id("uk"), None, "Story with a link");
    linking.related = vec![older];
    let linking = app.publish(&linking, at("2026-01-02T00:00:00Z")).await;
    let watched: Vec<String> = vec![
        "/".into(),
        "/news/europe".into(),
        "/news/world".into(),
        "/feeds/news.rss".into(),
        "/feeds/europe.atom".into(),
        "/sitemaps/stories-1.xml".into(),
        "/sitemaps/news.xml".into(),
        "/api/v1/stories".into(),
        "/api/v1/stories?section=europe".into(),
        format!("/news/uk/story-with-a-link-{linking}"),
        format!("/news/europe/older-europe-story-{older}"),
    ];
    refresh(&app, &watched).await;
    app.page("/news/business").await;

    // Publish a new story: it is on every front that should list it, the moment publishing returns.
    let fields = story_fields(
        app.section_id("europe"),
        "Fresh headline appears",
        "publish",
    );
    let id = story_id_from(
        &editor
            .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
            .await,
    );
    let pages = refresh(&app, &watched[..9]).await;
    let listed = |page: &str| {
        page.contains("Fresh headline appears")
            || page.contains(&format!("fresh-headline-appears-{id}"))
    };
    for (path, page) in watched.iter().zip(&pages) {
        assert!(listed(page), "{path} lists the new story");
    }
    // An unrelated front stays cached.
    let before = hits(&app);
    let (_, business_front) = app.page("/news/business").await;
    assert_eq!(hits(&app), before + 1, "business front still cached");
    assert!(business_front.contains("Markets calm") && !business_front.contains("Fresh headline"));

    // Update a story's headline: pages linking to it show the new words.
    let base = {
        let (_, page) = editor
            .get(&app, &format!("/newsroom/stories/{older}"))
            .await;
        let at = page.find("name=\"base_revision\" value=\"").unwrap() + 28;
        page[at..].split('"').next().unwrap().to_string()
    };
    let mut fields = story_fields(app.section_id("europe"), "Older story renamed", "publish");
    fields.push(("base_revision", base));
    fields.push(("slug", "older-europe-story".into()));
    assert_eq!(
        editor
            .post_story(
                &app,
                &format!("/newsroom/stories/{older}"),
                &borrow(&fields),
                None
            )
            .await
            .status(),
        303
    );
    let (_, linking_page) = app.page(&watched[9]).await;
    assert!(
        linking_page.contains("Older story renamed"),
        "related box refreshed"
    );
    let (_, own_page) = app.page(&watched[10]).await;
    assert!(own_page.contains("<h1 id=\"headline\">Older story renamed</h1>"));

    // Kill: gone everywhere at once.
    editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/kill"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(
        app.get(&format!("/news/europe/fresh-headline-appears-{id}"))
            .await
            .status(),
        410
    );
    for (path, page) in watched.iter().zip(refresh(&app, &watched[..9]).await) {
        assert!(!listed(&page), "killed story left {path}");
    }
    assert_eq!(
        app.get(&format!("/api/v1/stories/{id}")).await.status(),
        410
    );
    let _ = business;
}

async fn page_weight_stays_within_budget(app: TestApp) {
    let (_, front) = app.page("/").await;
    let css_path = front
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let css = app.get(&css_path).await.bytes().await.unwrap().len();
    let mut heaviest = 0;
    for id in 1..=24 {
        let response = app.get(&format!("/news/{id}")).await;
        let Some(location) = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
        else {
            continue;
        };
        let (_, html) = app.page(&location).await;
        assert!(
            !html.contains("<script") || html.contains("application/ld+json"),
            "no JavaScript on {location}"
        );
        heaviest = heaviest.max(html.len());
    }
    assert!(heaviest > 0);
    assert!(
        heaviest + css <= 30 * 1024,
        "heaviest article {heaviest} B + CSS {css} B exceeds 30 KB"
    );
}

on_both_databases!(
    cached_pages_are_validated_and_compressed,
    publishing_refreshes_exactly_the_pages_that_show_the_story,
);

on_both_databases_with_demo!(page_weight_stays_within_budget);

#[tokio::test]
async fn changes_send_purge_requests_to_the_cdn() {
    let received: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sink = received.clone();
    let receiver = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let sink = sink.clone();
        async move {
            let key = request
                .headers()
                .get("surrogate-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            sink.lock()
                .unwrap()
                .push((request.method().to_string(), key));
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let purge_url = format!("http://{}/purge", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });

    let app = TestApp::sqlite_with_purge_urls(vec![purge_url]).await;
    let editor = app.staff(Role::Editor).await;
    let fields = story_fields(app.section_id("africa"), "Purge me", "publish");
    let id = story_id_from(
        &editor
            .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
            .await,
    );
    editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/kill"),
            &[("confirm", "yes")],
        )
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let got = received.lock().unwrap().clone();
        let for_story: Vec<_> = got
            .iter()
            .filter(|(_, k)| k.split(' ').any(|k| k == format!("story-{id}")))
            .collect();
        if for_story.len() >= 2 {
            assert!(for_story
                .iter()
                .all(|(m, k)| m == "PURGE" && k.contains("lists")));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "purges for publish and kill not received: {got:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
