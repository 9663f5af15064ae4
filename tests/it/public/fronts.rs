//! The front page and section fronts, on the demo newsroom.

use crate::helpers::TestApp;
use crate::on_both_databases_with_demo;
use dateline::domain::edition::ROOT_EDITION;
use scraper::{Html, Selector};

async fn demo_newsroom_fills_every_front(app: TestApp) {
    let loaded = app.store.story_count().await.expect("count the stories");
    assert!(loaded >= 18, "the demo holds {loaded} stories");
    let (status, html) = app.page("/").await;
    assert_eq!(status, 200);
    let doc = Html::parse_document(&html);
    let top = Selector::parse("article.top-story h2 a").unwrap();
    let top_href = doc
        .select(&top)
        .next()
        .expect("a top story")
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    let group = Selector::parse("section.front-group").unwrap();
    assert!(
        doc.select(&group).count() >= 4,
        "stories grouped by section"
    );
    assert_eq!(app.get(&top_href).await.status(), 200);

    // Every section and region has a front with stories from it and its
    // sub-sections (the other editions' fronts: tests/it/public/editions_chrome.rs).
    let link = Selector::parse("ul.story-list a, article.top-story h2 a").unwrap();
    let english = app.state.sections.of_edition(ROOT_EDITION);
    for section in english {
        let (status, html) = app.page(&format!("/news/{}", section.slug)).await;
        assert_eq!(status, 200, "{}", section.slug);
        let doc = Html::parse_document(&html);
        let stories: Vec<String> = doc
            .select(&link)
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert!(!stories.is_empty(), "{} front has stories", section.slug);
        let own: Vec<String> = app
            .state
            .sections
            .subtree_ids(section.id)
            .iter()
            .map(|id| format!("/news/{}/", app.state.sections.by_id(*id).unwrap().slug))
            .collect();
        for href in &stories {
            assert!(
                own.iter().any(|prefix| href.starts_with(prefix)),
                "{href} on {} front",
                section.slug
            );
        }
    }

    // Some demo stories were updated after first publication, with several revisions kept.
    let mut updated = 0;
    for id in 1..=loaded {
        if let Some(story) = app.store.story(id).await.unwrap() {
            if story.revision >= 3 && story.last_updated_at > story.first_published_at {
                updated += 1;
            }
        }
    }
    assert!(
        updated >= 3,
        "only {updated} demo stories have several revisions and a later update"
    );
}

on_both_databases_with_demo!(demo_newsroom_fills_every_front);
