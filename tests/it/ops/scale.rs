//! A synthetic archive (`dateline demo --stories N`) is served like stories
//! written in the newsroom: article pages, section fronts and the API list.

use crate::helpers::TestApp;
use crate::on_both_databases;
use dateline::demo::archive::{self, ArchiveOptions};
use dateline::domain::story::Status;
use serde_json::Value;
use std::collections::HashSet;

on_both_databases!(a_synthetic_archive_is_served_and_not_generated_twice);

const STORIES: u64 = 500;
/// The demo newsroom's own stories (`demo/stories/`), loaded first.
/// The English demo's 25 stories and the Arabic and Russian editions' 10 each.
const DEMO_STORIES: usize = 45;

async fn a_synthetic_archive_is_served_and_not_generated_twice(app: TestApp) {
    let now = app.clock.now();
    let options = ArchiveOptions {
        stories: STORIES,
        seed: 3,
        end: now - now.rem_euclid(86_400),
        reset: false,
    };
    let report = archive::load(&app.store, &app.state.pictures, &options, |_| {})
        .await
        .expect("generate");
    assert_eq!(
        report.demo_stories, DEMO_STORIES,
        "the demo is loaded first"
    );
    assert_eq!(report.inserted, STORIES);
    let first = report.first_id;
    let synthetic = |id: i64| id >= first && id < first + STORIES as i64;

    // The newest synthetic story that is live: its short address leads to its page.
    let mut id = first + STORIES as i64 - 1;
    let story = loop {
        let story = app.store.story(id).await.unwrap().expect("story");
        if story.status == Status::Published {
            break story;
        }
        id -= 1;
    };
    let response = app.get(&format!("/news/{id}")).await;
    assert_eq!(response.status(), 301);
    let canonical = response.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = app.page(&canonical).await;
    assert_eq!(status, 200);
    assert!(page.contains(&story.content.headline), "{page}");

    // Its section front is made of synthetic stories, newest first.
    let section = app
        .state
        .sections
        .by_id(story.content.section_id)
        .unwrap()
        .slug
        .clone();
    let (status, front) = app.page(&format!("/news/{section}")).await;
    assert_eq!(status, 200);
    let on_front: HashSet<i64> = story_ids(&front)
        .into_iter()
        .filter(|i| synthetic(*i))
        .collect();
    assert!(on_front.contains(&id), "newest story on its front");
    assert!(
        on_front.len() >= 20,
        "{} synthetic stories on the front",
        on_front.len()
    );

    // The API lists every public story: the demo's and the synthetic ones.
    let mut listed = Vec::new();
    let mut path = "/api/v1/stories?limit=100".to_string();
    loop {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        listed.extend(
            page["stories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/stories?limit=100&cursor={cursor}"),
            None => break,
        }
    }
    let live = STORIES - report.killed;
    assert_eq!(
        listed.iter().filter(|i| synthetic(**i)).count() as u64,
        live
    );
    assert_eq!(listed.len() as u64, DEMO_STORIES as u64 + live);

    // Running again without --reset is refused and changes nothing.
    let again = archive::load(&app.store, &app.state.pictures, &options, |_| {}).await;
    let message = again.expect_err("refused").to_string();
    assert!(message.contains("--reset"), "{message}");
    assert_eq!(
        app.store.story_count().await.unwrap(),
        DEMO_STORIES as i64 + STORIES as i64
    );
}

/// Story ids linked from a page (`…-<id>` at the end of `/news/` links).
fn story_ids(html: &str) -> Vec<i64> {
    let document = scraper::Html::parse_document(html);
    let links = scraper::Selector::parse("a[href*='/news/']").unwrap();
    document
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| href.rsplit('-').next()?.parse().ok())
        .collect()
}
