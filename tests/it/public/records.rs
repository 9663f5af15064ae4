//! The record cache: an article the page cache does not hold is built from
//! records in memory, and every newsroom action that changes what the article
//! shows drops those records before it returns.

use crate::helpers::{at, full_story, TestApp, TEST_EDITOR};
use crate::newsroom::workflow::{create, save};
use crate::on_both_databases;
use dateline::domain::user::Role;

/// Fetches `path` with a query string never used before, so the page cache cannot answer.
async fn fresh(app: &TestApp, path: &str, n: &mut u32) -> (u16, String) {
    *n += 1;
    app.page(&format!("{path}?fresh={n}")).await
}

fn promos_of(page: &str) -> &str {
    page.split("class=\"promos\"").nth(1).unwrap_or("")
}

async fn records_follow_every_change_to_what_an_article_shows(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let europe = app.section_id("europe");
    let related = create(&app, &editor, "Related original", "publish").await;
    let promo = create(&app, &editor, "Promo waiting", "save").await;
    let mut watched = full_story(europe, None, "Story under watch");
    watched.related = vec![related];
    let id = app.publish(&watched, at("2026-01-01T00:00:00Z")).await;
    app.state
        .editorial()
        .curate(TEST_EDITOR, None, &[promo], app.clock.now())
        .await
        .unwrap();
    let path = format!("/news/europe/story-under-watch-{id}");
    let mut n = 0;

    let (status, page) = fresh(&app, &path, &mut n).await;
    assert_eq!(status, 200);
    assert!(page.contains("Related original"));
    assert!(
        !promos_of(&page).contains("Promo waiting"),
        "a draft is no promo"
    );
    assert!(app.state.records.articles.get(&id).is_some(), "record kept");

    // The related story is renamed: the box shows the new headline.
    let renamed = save(
        &app,
        &editor,
        related,
        &[("headline", "Related renamed"), ("action", "publish")],
    )
    .await;
    assert_eq!(renamed.status(), 303);
    let (_, page) = fresh(&app, &path, &mut n).await;
    assert!(page.contains("Related renamed") && !page.contains("Related original"));

    // The promo is published: every article lists it.
    let published = save(
        &app,
        &editor,
        promo,
        &[("headline", "Promo waiting"), ("action", "publish")],
    )
    .await;
    assert_eq!(published.status(), 303);
    let (_, page) = fresh(&app, &path, &mut n).await;
    assert!(promos_of(&page).contains("Promo waiting"));

    // A correction shows at once, on the article and its print view.
    let corrected = editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/correct"),
            &[("text", "An earlier version misnamed the town.")],
        )
        .await;
    assert_eq!(corrected.status(), 303);
    let (_, page) = fresh(&app, &path, &mut n).await;
    assert!(page.contains("An earlier version misnamed the town."));
    let (_, print) = fresh(&app, &format!("{path}/print"), &mut n).await;
    assert!(print.contains("An earlier version misnamed the town."));

    // The related story is killed: it leaves the box.
    editor
        .post(
            &app,
            &format!("/newsroom/stories/{related}/kill"),
            &[("confirm", "yes")],
        )
        .await;
    let (_, page) = fresh(&app, &path, &mut n).await;
    assert!(!page.contains("Related renamed"));

    // The story itself is killed: 410 at once.
    editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/kill"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(fresh(&app, &path, &mut n).await.0, 410);
    assert_eq!(fresh(&app, &format!("{path}/print"), &mut n).await.0, 410);
}

on_both_databases!(records_follow_every_change_to_what_an_article_shows);
