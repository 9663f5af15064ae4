//! Conditional GET (RFC 9110 §13): `Last-Modified` is the second the whole page
//! was rendered (the page cache drops a page on any change to anything it shows),
//! `If-Modified-Since` answers 304 while the page has not changed, and
//! `If-None-Match` decides alone when both are sent.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use crate::staff::{borrow, story_fields, Browser};
use dateline::domain::timefmt::{from_unix, http_date};
use dateline::domain::user::Role;

/// GETs `path` with `headers`; returns the status, Last-Modified (if any) and body.
async fn conditional(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let mut request = app.client.get(format!("{}{path}", app.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let last_modified = response
        .headers()
        .get("last-modified")
        .map(|v| v.to_str().unwrap().to_string());
    (status, last_modified, response.text().await.unwrap())
}

/// Publishes a new version of story `id` through the editor, as a journalist would.
async fn republish(
    app: &TestApp,
    editor: &Browser,
    id: i64,
    section: &str,
    headline: &'static str,
    slug: &str,
) {
    let (_, page) = editor.get(app, &format!("/newsroom/stories/{id}")).await;
    let at = page.find("name=\"base_revision\" value=\"").unwrap() + 28;
    let base = page[at..].split('"').next().unwrap().to_string();
    let mut fields = story_fields(app.section_id(section), headline, "publish");
    fields.push(("base_revision", base));
    fields.push(("slug", slug.to_string()));
    let response = editor
        .post_story(
            app,
            &format!("/newsroom/stories/{id}"),
            &borrow(&fields),
            None,
        )
        .await;
    assert_eq!(response.status(), 303, "{headline}");
}

async fn if_modified_since_answers_304_until_the_page_changes(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let published = at("2026-01-01T00:00:00Z");
    let related = app
        .publish(
            &full_story(app.section_id("europe"), None, "Related before"),
            published,
        )
        .await;
    let mut main = full_story(app.section_id("uk"), None, "Main story");
    main.related = vec![related];
    let id = app.publish(&main, published).await;
    let path = format!("/news/uk/main-story-{id}");
    // Renders in the second of this node's latest invalidation state no date (two
    // renders in one second look alike), so the page is first fetched a second on.
    app.clock.advance(1);

    let (status, last_modified, page) = conditional(&app, &path, &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Related before"));
    let last_modified = last_modified.expect("a cached page states when it was rendered");
    assert_eq!(last_modified, http_date(from_unix(app.clock.now())));
    assert_ne!(
        last_modified,
        http_date(from_unix(published)),
        "not the story's own time"
    );
    let etag = app.get(&path).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();

    // The exact value, and any later date up to now: not modified.
    let (status, lm, body) =
        conditional(&app, &path, &[("if-modified-since", &last_modified)]).await;
    assert_eq!((status, body.as_str()), (304, ""));
    assert_eq!(lm.as_deref(), Some(last_modified.as_str()));
    app.clock.advance(30);
    let later = http_date(from_unix(app.clock.now()));
    assert_eq!(
        conditional(&app, &path, &[("if-modified-since", &later)])
            .await
            .0,
        304
    );
    let head = app
        .client
        .head(format!("{}{path}", app.base))
        .header("if-modified-since", &last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 304, "HEAD too");
    // An earlier date, a date in the future, or no date at all: the page.
    for since in [
        http_date(from_unix(app.clock.now() - 3600)),
        http_date(from_unix(app.clock.now() + 3600)),
        "not a date".to_string(),
    ] {
        let (status, _, body) = conditional(&app, &path, &[("if-modified-since", &since)]).await;
        assert_eq!(status, 200, "{since}");
        assert!(body.contains("Main story"));
    }
    // If-None-Match, when sent, decides alone (RFC 9110 §13.1.3).
    let (status, _, _) = conditional(
        &app,
        &path,
        &[
            ("if-none-match", "\"other\""),
            ("if-modified-since", &last_modified),
        ],
    )
    .await;
    assert_eq!(
        status, 200,
        "a non-matching If-None-Match wins over a matching date"
    );
    let old = http_date(from_unix(published));
    let (status, _, _) = conditional(
        &app,
        &path,
        &[("if-none-match", &etag), ("if-modified-since", &old)],
    )
    .await;
    assert_eq!(
        status, 304,
        "a matching If-None-Match wins over an old date"
    );

    // A related story's headline changes: the main story did not, its page did.
    republish(
        &app,
        &editor,
        related,
        "europe",
        "Related renamed",
        "related-before",
    )
    .await;
    // Rendered a second after the change, it states its new time.
    app.clock.advance(1);
    let (status, newer, body) =
        conditional(&app, &path, &[("if-modified-since", &last_modified)]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Related renamed"));
    let newer = newer.expect("a date again");
    assert_eq!(newer, http_date(from_unix(app.clock.now())));
    assert_eq!(
        conditional(&app, &path, &[("if-modified-since", &newer)])
            .await
            .0,
        304
    );

    // The story itself is updated: modified.
    republish(&app, &editor, id, "uk", "Main story updated", "main-story").await;
    let (status, _, body) = conditional(&app, &path, &[("if-modified-since", &newer)]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Main story updated"));

    // Fronts and feeds are validated the same way.
    app.clock.advance(1);
    for front in ["/", "/news/uk", "/feeds/news.rss"] {
        let (status, lm, _) = conditional(&app, front, &[]).await;
        assert_eq!(status, 200);
        let lm = lm.unwrap_or_else(|| panic!("{front} states a date"));
        assert_eq!(
            conditional(&app, front, &[("if-modified-since", &lm)])
                .await
                .0,
            304,
            "{front}"
        );
    }
}

on_both_databases!(if_modified_since_answers_304_until_the_page_changes);
