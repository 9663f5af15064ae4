//! Stable addresses: the id alone resolves, changed slugs and sections redirect,
//! drafts are invisible, killed stories are gone, pictures are cacheable.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use dateline::domain::story::Status;

async fn id_alone_and_wrong_slug_redirect_permanently(app: TestApp) {
    let id = app
        .publish(
            &full_story(app.section_id("europe"), None, "Dockers end strike"),
            at("2026-11-01T10:00:00Z"),
        )
        .await;
    let canonical = format!("/news/europe/dockers-end-strike-{id}");
    for old in [
        format!("/news/{id}"),
        format!("/news/europe/{id}"),
        format!("/news/europe/an-old-slug-{id}"),
        format!("/news/africa/dockers-end-strike-{id}"),
    ] {
        let response = app.get(&old).await;
        assert_eq!(response.status(), 301, "{old}");
        assert_eq!(response.headers()["location"], canonical.as_str(), "{old}");
    }
    let print = app.get(&format!("/news/world/x-{id}/print")).await;
    assert_eq!(print.status(), 301);
    assert_eq!(
        print.headers()["location"],
        format!("{canonical}/print").as_str()
    );
    assert_eq!(app.get(&canonical).await.status(), 200);
}

async fn changed_slug_redirects_from_the_old_address(app: TestApp) {
    let mut content = full_story(app.section_id("europe"), None, "First headline");
    let id = app.publish(&content, at("2026-11-01T10:00:00Z")).await;
    content.slug = "a-better-headline".into();
    app.save_revision(id, &content, at("2026-11-01T11:00:00Z"))
        .await;
    // A saved edit of a published story is not public until it is published.
    let unpublished = app.get(&format!("/news/europe/first-headline-{id}")).await;
    assert_eq!(unpublished.status(), 200);
    let story = app.store.story(id).await.unwrap().expect("story");
    app.edit(
        Some(&story),
        &content,
        dateline::editorial::EditRequest::Publish { significant: false },
        at("2026-11-01T11:00:00Z"),
    )
    .await;
    let response = app.get(&format!("/news/europe/first-headline-{id}")).await;
    assert_eq!(response.status(), 301);
    assert_eq!(
        response.headers()["location"],
        format!("/news/europe/a-better-headline-{id}").as_str()
    );
}

async fn missing_draft_and_killed_stories(app: TestApp) {
    let draft = app
        .draft(
            &full_story(app.section_id("europe"), None, "Secret draft"),
            at("2026-11-01T10:00:00Z"),
        )
        .await;
    let (status, html) = app
        .page(&format!("/news/europe/secret-draft-{draft}"))
        .await;
    assert_eq!(status, 404);
    assert!(!html.contains("Secret draft"));
    assert!(
        html.contains("Page not found"),
        "404 page in the site chrome"
    );
    assert!(html.contains("Sign in"));
    assert_eq!(app.get(&format!("/news/{draft}")).await.status(), 404);

    let killed = app
        .publish(
            &full_story(app.section_id("europe"), None, "Legal takedown"),
            at("2026-11-01T10:00:00Z"),
        )
        .await;
    app.store.set_status(killed, Status::Killed).await.unwrap();
    let (status, html) = app
        .page(&format!("/news/europe/legal-takedown-{killed}"))
        .await;
    assert_eq!(status, 410);
    assert!(html.contains("Story removed"));
    assert!(!html.contains("The intro paragraph"));
    let (front_status, front) = app.page("/news/europe").await;
    assert_eq!(front_status, 200);
    assert!(
        !front.contains("Legal takedown"),
        "killed stories leave the fronts"
    );

    for path in [
        "/news/europe/no-such-story-999999",
        "/news/nowhere",
        "/nothing/here",
        "/news/europe/no-id-here",
        "/news/99999999999999999999",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

async fn pictures_of_public_stories_are_served_and_cached(app: TestApp) {
    let image = app.add_image(500, 300).await;
    // A picture no public story shows answers like one that does not exist.
    assert_eq!(app.get(&format!("/images/{image}/320")).await.status(), 404);
    let story = full_story(app.section_id("europe"), Some(image), "Pictured story");
    let id = app.publish(&story, at("2026-11-01T10:00:00Z")).await;
    let response = app.get(&format!("/images/{image}/320")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=3600, s-maxage=31536000",
        "browsers an hour, shared caches a year (purged by key)"
    );
    assert_eq!(
        response.headers()["surrogate-key"],
        format!("story-{id}").as_str()
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let bytes = response.bytes().await.unwrap();
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!(decoded.width(), 320);
    // Small originals are never enlarged.
    let big = app
        .get(&format!("/images/{image}/976"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(image::load_from_memory(&big).unwrap().width(), 500);
    let again = app
        .client
        .get(format!("{}/images/{image}/320", app.base))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    for path in [
        format!("/images/{image}/321"),
        format!("/images/{}/320", image + 1000),
        "/images/x/320".to_string(),
    ] {
        assert_eq!(app.get(&path).await.status(), 404, "{path}");
    }
}

async fn every_response_carries_security_headers(app: TestApp) {
    // Twice each: the second answer comes from the page cache's fast path.
    for path in ["/", "/", "/news/europe", "/news/europe", "/nothing"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
    }
}

on_both_databases!(
    id_alone_and_wrong_slug_redirect_permanently,
    changed_slug_redirects_from_the_old_address,
    missing_draft_and_killed_stories,
    pictures_of_public_stories_are_served_and_cached,
    every_response_carries_security_headers,
);
