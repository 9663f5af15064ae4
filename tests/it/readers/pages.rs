//! Public pages for signed-in readers and the caches: every public page asked for by a signed-in reader is rendered for them and answered privately, and nothing of the reader (name, e-mail address, saved state, session or CSRF token) ever reaches what an anonymous request is served, cached or not, on both databases; dead and junk cookies, conditional and HEAD requests, and copies of a session dropped on every node when it ends.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use crate::readers::visitor::{csrf, Visitor, READER_PASSWORD};
use crate::staff::Browser;
use dateline::domain::comment::Mode::PostModerated;
use dateline::web::assets::STYLESHEET_PATH;

/// The reader's name: `<`, `&` and quotes show that it is escaped, and no page
/// would contain it by chance.
const NAME: &str = "Zephyrine <Q&A> O'Hara";
const NAME_ESCAPED: &str = "Zephyrine &#60;Q&#38;A&#62; O&#39;Hara";

/// A verified reader signed in through the form, as a browser with their cookie and token.
pub async fn signed_in(app: &TestApp, email: &str, name: &str) -> Browser {
    app.verified_reader(email, name, READER_PASSWORD).await;
    let mut visitor = Visitor::new(app);
    let answer = visitor.sign_in(email, READER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    // Kept anonymous pages would still say "Sign in": the browser is told to forget them.
    assert_eq!(answer.header("clear-site-data"), "\"cache\"");
    let account = visitor.get("/account").await;
    Browser {
        email: email.to_string(),
        cookie: format!("dateline_reader={}", visitor.cookies["dateline_reader"]),
        csrf: csrf(&account.body),
    }
}

/// What must never appear in anything an anonymous request is served.
fn traces(reader: &Browser) -> Vec<String> {
    let token = reader
        .cookie
        .trim_start_matches("dateline_reader=")
        .to_string();
    vec![
        NAME.to_string(),
        NAME_ESCAPED.to_string(),
        "Zephyrine".to_string(),
        reader.email.clone(),
        token,
        reader.csrf.clone(),
        "Signed in as".to_string(),
        "Saved stories".to_string(),
        "/account/my-news".to_string(),
        "Save for later".to_string(),
        "Remove from saved".to_string(),
        "/account/sign-out".to_string(),
    ]
}

/// One answer as the tests compare them.
struct Seen {
    status: u16,
    cache_control: String,
    has_surrogate_key: bool,
    has_etag: bool,
    body: String,
}

async fn fetch(app: &TestApp, path: &str, cookie: Option<&str>) -> Seen {
    let mut request = app.client.get(format!("{}{path}", app.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("request");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    Seen {
        status: response.status().as_u16(),
        cache_control: header("cache-control"),
        has_surrogate_key: response.headers().contains_key("surrogate-key"),
        has_etag: response.headers().contains_key("etag"),
        body: String::from_utf8_lossy(&response.bytes().await.expect("body")).into_owned(),
    }
}

/// A site with a story that has a picture, saved by a signed-in reader; every
/// public address there is, and the article's.
async fn site(app: &TestApp) -> (Browser, Vec<String>, String) {
    let image = app.add_image(800, 450).await;
    let id = app
        .publish(
            &full_story(
                app.section_id("europe"),
                Some(image),
                "Harbour talks resume",
            ),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let article = format!("/news/europe/harbour-talks-resume-{id}");
    // Comments on, so that the comments page (its forms for the reader) is among the pages.
    app.store
        .set_comment_settings(id, PostModerated, false, "test", "", 0)
        .await
        .expect("comments on");
    let reader = signed_in(app, "zephyrine@example.net", NAME).await;
    let saved = reader
        .post(
            app,
            "/account/saved",
            &[("story", &id.to_string()), ("from", "article")],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let pages = vec![
        "/".to_string(),
        "/news/europe".to_string(),
        "/news/world".to_string(),
        article.clone(),
        format!("{article}?utm_source=mail"),
        format!("{article}/print"),
        format!("{article}/history"),
        format!("{article}/comments"),
        format!("/news/{id}"),
        "/search?q=harbour".to_string(),
        "/search".to_string(),
        "/about/editorial-policy".to_string(),
        "/feeds/news.rss".to_string(),
        "/feeds/europe.atom".to_string(),
        "/sitemap.xml".to_string(),
        "/sitemaps/sections.xml".to_string(),
        "/sitemaps/news.xml".to_string(),
        "/sitemaps/stories-1.xml".to_string(),
        "/robots.txt".to_string(),
        format!("/images/{image}/320"),
        STYLESHEET_PATH.to_string(),
        "/api/v1/stories".to_string(),
        format!("/api/v1/stories/{id}"),
        "/news/no-such-section".to_string(),
        "/no/such/page".to_string(),
    ];
    (reader, pages, article)
}

fn assert_anonymous(seen: &Seen, path: &str, traces: &[String]) {
    for trace in traces {
        assert!(
            !trace.is_empty() && !seen.body.contains(trace.as_str()),
            "{path}: an anonymous answer contains {trace:?}"
        );
    }
}

/// A signed-in reader's answer: theirs, and private.
fn assert_private_and_theirs(seen: &Seen, path: &str) {
    if path.starts_with("/images/") || path.starts_with("/api/") || path == STYLESHEET_PATH.as_str()
    {
        // Not pages: the same for everyone, outside the reader's layer.
        return;
    }
    // Error pages say `no-store` alone, which keeps them out of every cache as well.
    let expected = if seen.status == 200 {
        "private, no-store"
    } else {
        "no-store"
    };
    assert!(
        seen.cache_control == "private, no-store" || seen.cache_control == expected,
        "{path}: {}",
        seen.cache_control
    );
    assert!(
        !seen.has_surrogate_key,
        "{path}: a surrogate key on a reader's answer"
    );
    assert!(!seen.has_etag, "{path}: a validator on a reader's answer");
    // Every public page with the masthead (the print view has none; an address
    // outside the public site is answered by the router's fallback) says who is signed in.
    if seen.body.contains("<header class=\"masthead\">") && !path.starts_with("/no/") {
        assert!(
            seen.body.contains(&format!("Signed in as {NAME_ESCAPED}")),
            "{path}: {}",
            seen.body
        );
        assert!(seen.body.contains("action=\"/account/sign-out\""), "{path}");
        assert!(!seen.body.contains(">Sign in</a>"), "{path}");
    }
}

async fn nothing_of_a_reader_reaches_anonymous_answers(app: TestApp) {
    let (reader, pages, article) = site(&app).await;
    let traces = traces(&reader);

    // Anonymous first, so the page cache holds every page; then the reader; then
    // anonymous again: the same bytes as before, nothing of the reader.
    let mut before = Vec::new();
    for path in &pages {
        let seen = fetch(&app, path, None).await;
        assert_anonymous(&seen, path, &traces);
        before.push(seen);
    }
    for path in &pages {
        let seen = fetch(&app, path, Some(&reader.cookie)).await;
        assert_private_and_theirs(&seen, path);
    }
    for (path, first) in pages.iter().zip(&before) {
        let again = fetch(&app, path, None).await;
        assert_anonymous(&again, path, &traces);
        assert_eq!(again.status, first.status, "{path}");
        assert_eq!(again.body, first.body, "{path}: the anonymous page changed");
    }

    // Now with nothing cached: the reader first. Nothing they were served was kept.
    app.state.cache.clear();
    app.state.records.clear();
    for path in &pages {
        let seen = fetch(&app, path, Some(&reader.cookie)).await;
        assert_private_and_theirs(&seen, path);
    }
    let api_entries = 2;
    assert!(
        app.state.cache.len() <= api_entries,
        "a reader's answers entered the page cache ({} entries)",
        app.state.cache.len()
    );
    for (path, first) in pages.iter().zip(&before) {
        let again = fetch(&app, path, None).await;
        assert_anonymous(&again, path, &traces);
        assert_eq!(again.body, first.body, "{path}: the anonymous page changed");
    }

    // The reader's own article: their saved state, with forms carrying their token.
    let theirs = fetch(&app, &article, Some(&reader.cookie)).await;
    assert!(
        theirs.body.contains("Remove from saved stories"),
        "{}",
        theirs.body
    );
    assert!(theirs
        .body
        .contains(&format!("name=\"csrf\" value=\"{}\"", reader.csrf)));
    // A HEAD is answered like the GET, privately, without a body.
    let head = app
        .client
        .head(format!("{}{article}", app.base))
        .header("cookie", &reader.cookie)
        .send()
        .await
        .expect("head");
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["cache-control"], "private, no-store");
    assert!(head.bytes().await.expect("body").is_empty());
}

async fn a_reader_never_gets_the_anonymous_page_by_its_validators(app: TestApp) {
    let (reader, _, article) = site(&app).await;
    // A render in the second of the latest change states no Last-Modified.
    app.clock.advance(1);
    let anonymous = app.get(&article).await;
    let etag = anonymous.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_string();
    let modified = anonymous.headers()["last-modified"]
        .to_str()
        .expect("date")
        .to_string();
    // The browser holds the anonymous copy and now has the cookie: it must get the
    // reader's page, not a 304 that would keep "Sign in" on screen.
    let response = app
        .client
        .get(format!("{}{article}", app.base))
        .header("cookie", &reader.cookie)
        .header("if-none-match", &etag)
        .header("if-modified-since", &modified)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("body").contains(NAME_ESCAPED));
}

async fn dead_and_junk_cookies_are_anonymous_private_and_cleared(app: TestApp) {
    let (reader, _, article) = site(&app).await;
    let well_formed = format!("dateline_reader={}", dateline::auth::random_token());
    for cookie in [
        "dateline_reader=junk",
        well_formed.as_str(),
        "dateline_reader=%3Cscript%3E",
    ] {
        app.state.cache.clear();
        let response = app
            .client
            .get(format!("{}{article}", app.base))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "{cookie}");
        assert_eq!(
            response.headers()["cache-control"],
            "private, no-store",
            "{cookie}"
        );
        let cleared = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.starts_with("dateline_reader=;") && v.contains("Max-Age=0"));
        assert!(cleared, "{cookie}: the cookie is cleared");
        let body = response.text().await.expect("body");
        assert!(body.contains(">Sign in</a>"), "{cookie}");
        assert!(!body.contains("Save for later"), "{cookie}");
        assert_eq!(
            app.state.cache.len(),
            0,
            "{cookie}: an answer to a cookie was cached"
        );
    }
    // Empty, it is no cookie at all: the shared page, from the cache.
    let empty = fetch(&app, &article, Some("dateline_reader=")).await;
    assert!(
        empty.cache_control.starts_with("public"),
        "{}",
        empty.cache_control
    );

    // Signing out ends the session everywhere: its copy on this node goes with it.
    assert!(fetch(&app, &article, Some(&reader.cookie))
        .await
        .body
        .contains(NAME_ESCAPED));
    let out = reader.post(&app, "/account/sign-out", &[]).await;
    assert_eq!(out.status(), 303);
    // The browser forgets the pages it kept, which showed the reader's masthead of before.
    assert_eq!(out.headers()["clear-site-data"], "\"cache\"");
    app.follower_read_log().await;
    let after = fetch(&app, &article, Some(&reader.cookie)).await;
    assert!(
        !after.body.contains(NAME_ESCAPED),
        "a signed-out session still shows the reader"
    );
    assert!(after.body.contains(">Sign in</a>"));
}

async fn a_readers_copies_follow_their_changes_on_every_node(app: TestApp) {
    let (reader, _, article) = site(&app).await;
    let other = app.another_node().await;
    for node in [&app, &other] {
        let seen = fetch(node, &article, Some(&reader.cookie)).await;
        assert!(
            seen.body.contains("Remove from saved stories"),
            "saved, on both nodes"
        );
    }
    // Removing on one node: at once there, on the other once it has read the log.
    let story = article.rsplit('-').next().expect("id").to_string();
    let removed = reader
        .post(
            &app,
            "/account/saved/remove",
            &[("story", &story), ("from", "article")],
        )
        .await;
    assert_eq!(removed.status(), 303);
    assert_eq!(removed.headers()["location"], article.as_str());
    assert!(fetch(&app, &article, Some(&reader.cookie))
        .await
        .body
        .contains("Save for later"));
    other.follower_read_log().await;
    assert!(fetch(&other, &article, Some(&reader.cookie))
        .await
        .body
        .contains("Save for later"));

    // A new name shows on both nodes.
    let renamed = reader
        .post(
            &app,
            "/account/name",
            &[("display_name", "Zephyrine Renamed")],
        )
        .await;
    assert_eq!(
        renamed.status(),
        303,
        "{}",
        renamed.text().await.unwrap_or_default()
    );
    for node in [&app, &other] {
        node.follower_read_log().await;
        assert!(fetch(node, &article, Some(&reader.cookie))
            .await
            .body
            .contains("Signed in as Zephyrine Renamed"));
    }

    // Deleting the account ends the session on both nodes.
    let deleted = reader
        .post(
            &app,
            "/account/delete",
            &[("password", READER_PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(
        deleted.status(),
        303,
        "{}",
        deleted.text().await.unwrap_or_default()
    );
    for node in [&app, &other] {
        node.follower_read_log().await;
        let seen = fetch(node, &article, Some(&reader.cookie)).await;
        assert!(
            !seen.body.contains("Zephyrine"),
            "a deleted reader still shows"
        );
        assert!(seen.body.contains(">Sign in</a>"));
    }
}

on_both_databases!(
    nothing_of_a_reader_reaches_anonymous_answers,
    a_reader_never_gets_the_anonymous_page_by_its_validators,
    dead_and_junk_cookies_are_anonymous_private_and_cleared,
    a_readers_copies_follow_their_changes_on_every_node,
);
