//! An article page on a cache miss reads its story and everything it lists in
//! two SQL statements (three for a live page, whose posts are the third),
//! counted from sqlx's statement log (`crate::statements`) on the demo
//! newsroom, a sponsor campaign running; and the page still shows every part
//! those statements read.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::helpers::{TestApp, TEST_EDITOR};
use crate::newsroom::sponsor_campaigns::{create, fields};
use crate::on_both_databases_with_demo;
use crate::statements;
use dateline::domain::comment::Mode;
use dateline::domain::markup;
use dateline::domain::user::Role;
use dateline::editorial::{EditRequest, TypedPost};
use dateline::store::ArticleRows;

/// A query string no other request carries, so that only this test's request counts.
fn unique_uri(path: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{path}?statements={}-{n}", std::process::id())
}

/// A story's public path: where its short address redirects.
async fn path_of(app: &TestApp, id: i64) -> String {
    let response = app.get(&format!("/news/{id}")).await;
    assert_eq!(response.status(), 301, "/news/{id}");
    response.headers()["location"].to_str().unwrap().to_string()
}

/// A demo story with everything an article lists: a lead picture, related
/// stories and versions in other editions, given a picture in its body.
async fn richest_demo_story(app: &TestApp) -> ArticleRows {
    for id in 1..=400 {
        let Some(rows) = app.store.article_rows(id).await.unwrap() else {
            continue;
        };
        let content = &rows.story.content;
        if rows.story.is_public(app.clock.now())
            && content.lead_image.is_some()
            && !content.related.is_empty()
            && rows.translations.is_some()
        {
            let mut content = content.clone();
            let picture = app.add_image(1200, 800).await;
            content
                .body
                .push_str(&format!("\n\n![A map of the route](image:{picture})"));
            let update = EditRequest::Publish { significant: false };
            app.edit(Some(&rows.story), &content, update, app.clock.now())
                .await;
            return app.store.article_rows(id).await.unwrap().unwrap();
        }
    }
    panic!("the demo has no story with a picture, related stories and translations");
}

/// Serves `path` once as a first (uncached) request and returns the page and
/// the statements it ran (summarised).
async fn first_request(app: &TestApp, path: &str) -> (String, Vec<String>) {
    let uri = unique_uri(path);
    statements::watch(&uri);
    let (status, page) = app.page(&uri).await;
    assert_eq!(status, 200, "{uri}");
    (page, statements::run_for(&uri))
}

async fn an_article_page_miss_runs_two_statements(app: TestApp) {
    let rows = richest_demo_story(&app).await;
    let story = &rows.story;
    let now = app.clock.now();
    app.store
        .add_correction(
            story.id,
            now - 60,
            "An earlier version misspelt a name.",
            "test",
        )
        .await
        .unwrap();
    app.store
        .set_comment_settings(story.id, Mode::PostModerated, false, "test", "", now - 60)
        .await
        .unwrap();
    // A campaign runs on the whole site: the slot is chosen from the node's
    // copy of the campaigns, without a statement.
    let admin = app.staff(Role::Admin).await;
    create(&app, &admin, &fields(&app, "Harbour Bank")).await;
    let path = path_of(&app, story.id).await;

    let (page, statements) = first_request(&app, &path).await;
    assert_eq!(
        statements.len(),
        2,
        "statements for an article page on a miss: {statements:#?}"
    );
    // Everything the two statements read is on the page, and the campaign.
    assert!(page.contains("Harbour Bank"), "the sponsor slot's campaign");
    assert!(
        page.contains("An earlier version misspelt a name."),
        "correction"
    );
    assert!(page.contains(&format!("{path}/comments")), "comments link");
    let lead = story.content.lead_image.as_ref().unwrap().image_id;
    assert!(page.contains(&format!("/images/{lead}/")), "lead picture");
    let body_pictures = markup::parse_for_display(&story.content.body).image_ids();
    assert!(!body_pictures.is_empty());
    for id in body_pictures {
        assert!(
            page.contains(&format!("/images/{id}/")),
            "body picture {id}"
        );
    }
    let public_related = app
        .store
        .published_summaries(&story.content.related, now)
        .await
        .unwrap();
    assert!(!public_related.is_empty());
    for related in &public_related {
        let href = path_of(&app, related.id).await;
        assert!(page.contains(&format!("href=\"{href}\"")), "related {href}");
    }
    let group = rows.translations.as_ref().unwrap();
    let versions = app
        .store
        .published_summaries(&group.members, now)
        .await
        .unwrap();
    assert!(versions.len() > 1, "the story has public versions");
    for version in versions.iter().filter(|v| v.id != story.id) {
        let href = path_of(&app, version.id).await;
        assert!(page.contains(&format!("{href}\"")), "version {href}");
    }
    let promos = app.store.promos(now).await.unwrap();
    let edition_of = |section_id| app.state.sections.by_id(section_id).map(|s| s.edition_id);
    let shown = promos
        .iter()
        .filter(|p| {
            p.id != story.id && edition_of(p.section_id) == edition_of(story.content.section_id)
        })
        .collect::<Vec<_>>();
    assert!(
        !shown.is_empty(),
        "the demo has promos in the story's edition"
    );
    for promo in shown {
        let mut headline = String::new();
        dateline::web::html::escape(promo.list_headline(), &mut headline);
        assert!(page.contains(&headline), "promo {}", promo.id);
    }

    // Another story, the promos now kept: still two.
    let other = story.content.related[0];
    let (_, statements) = first_request(&app, &path_of(&app, other).await).await;
    assert_eq!(
        statements.len(),
        2,
        "statements for a second article on a miss: {statements:#?}"
    );
}

async fn a_live_page_miss_runs_three_statements(app: TestApp) {
    let rows = richest_demo_story(&app).await;
    let now = app.clock.now();
    let editorial = app.state.editorial();
    editorial
        .start_live_page(TEST_EDITOR, &rows.story, now - 600)
        .await
        .unwrap();
    let post = TypedPost {
        body: "Delegates are arriving for the evening session.",
        image_id: None,
        alt: "",
        byline: "",
    };
    editorial
        .add_live_post(TEST_EDITOR, &rows.story, post, now - 300)
        .await
        .unwrap();
    let path = path_of(&app, rows.story.id).await;
    let (page, statements) = first_request(&app, &path).await;
    assert_eq!(
        statements.len(),
        3,
        "statements for a live page on a miss: {statements:#?}"
    );
    assert!(page.contains("Delegates are arriving for the evening session."));
}

on_both_databases_with_demo!(
    an_article_page_miss_runs_two_statements,
    a_live_page_miss_runs_three_statements
);
