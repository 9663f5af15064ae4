//! What goes wrong is said in the edition's language too: a comment refused or
//! mistyped on an Arabic story, a search the Arabic search page cannot run, and
//! a live page's Atom feed of an Arabic story; the English words never appear.

use crate::api::live_posts::{post, typed};
use crate::editions::{message, page_text};
use crate::helpers::{TestApp, TEST_EDITOR};
use crate::readers::pages::signed_in;
use crate::staff::Browser;
use dateline::domain::user::Role;

/// `body` says message `id` in Arabic and not in English.
fn says_in_arabic(body: &str, id: &str) {
    let shown = page_text(body);
    let arabic = message("ar", "site.ftl", id);
    let english = message("en-GB", "site.ftl", id);
    assert!(shown.contains(&arabic), "{id}: no «{arabic}» in the page");
    assert!(
        !shown.contains(&english),
        "{id}: English «{english}» in the page"
    );
}

/// The address of a public Arabic demo story, and its id.
async fn arabic_story(app: &TestApp) -> (i64, String) {
    let (_, front) = app.page("/arabic").await;
    let href = front
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("/arabic/news/") && href.matches('/').count() == 4)
        .expect("an Arabic story on the Arabic front")
        .to_string();
    let id = href.rsplit('-').next().unwrap().parse().unwrap();
    (id, href)
}

async fn comment(app: &TestApp, reader: &Browser, story: i64, body: &str) -> (u16, String) {
    let answer = reader
        .post(
            app,
            "/account/comments",
            &[("story", &story.to_string()), ("body", body)],
        )
        .await;
    (answer.status().as_u16(), answer.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comment_problems_on_an_arabic_story_are_in_arabic() {
    let app = TestApp::sqlite_demo().await;
    let (id, _) = arabic_story(&app).await;
    let editor = app.staff(Role::Editor).await;
    let set = editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/comments"),
            &[("mode", "post")],
        )
        .await;
    assert_eq!(set.status(), 303);

    let reader = signed_in(&app, "qari@example.net", "Qari").await;
    let (status, page) = comment(&app, &reader, id, "   ").await;
    assert_eq!(status, 422);
    says_in_arabic(&page, "comment-problem-empty");
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"));

    let (status, page) = comment(&app, &reader, id, &"ب".repeat(2_001)).await;
    assert_eq!(status, 422);
    assert!(page.contains("2001"), "the length is said");
    assert!(!page.contains("A comment can be at most"), "no English");

    app.execute("UPDATE readers SET verified_at = NULL WHERE email = 'qari@example.net'")
        .await;
    let (status, page) = comment(&app, &reader, id, "كلمة").await;
    assert_eq!(status, 403);
    says_in_arabic(&page, "comment-refused-unverified");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_problems_on_the_arabic_page_are_in_arabic_and_the_api_stays_english() {
    let app = TestApp::sqlite_demo().await;
    let cases = [
        (
            "/arabic/search?q=%22unclosed",
            400,
            "search-error-unclosed-quote",
        ),
        ("/arabic/search?q=-tax", 400, "search-error-only-exclusions"),
        ("/arabic/search?q=", 200, "search-error-empty"),
        ("/arabic/search?q=word&section=nowhere", 400, ""),
        ("/arabic/search?q=word&from=yesterday", 400, ""),
        ("/arabic/search?q=word&page=zero", 400, ""),
    ];
    let english_words = [
        "no section called",
        "should look like",
        "whole number",
        "quotation mark",
    ];
    for (path, status, id) in cases {
        let (got, page) = app.page(path).await;
        assert_eq!(got, status, "{path}");
        if !id.is_empty() {
            says_in_arabic(&page, id);
        }
        for english in english_words {
            assert!(!page.contains(english), "{path} says {english:?}");
        }
        assert!(
            page.contains("class=\"search-message\" role=\"alert\""),
            "{path}: a problem is shown"
        );
    }
    // The API answers developers in English whatever language it searches.
    let api = app
        .get("/api/v1/search?q=%22unclosed&language=ar")
        .await
        .text()
        .await
        .unwrap();
    assert!(api.contains("quotation mark is not closed"), "{api}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_arabic_live_feed_is_titled_in_arabic() {
    let app = TestApp::sqlite_demo().await;
    let (id, _) = arabic_story(&app).await;
    let story = app.store.story(id).await.unwrap().unwrap();
    let now = app.clock.now();
    app.state
        .editorial()
        .start_live_page(TEST_EDITOR, &story, now)
        .await
        .unwrap();
    post(&app, &story, typed("بدأت الجلسة."), now + 1).await;
    let (status, feed) = app.page(&format!("/feeds/live/{id}.atom")).await;
    assert_eq!(status, 200);
    let title = feed
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap();
    assert!(title.contains("مباشر"), "{title}");
    assert!(!title.contains("Live:"), "{title}");
    assert!(feed.contains("بدأت الجلسة"));
}
