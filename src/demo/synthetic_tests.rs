//! Unit tests for the synthetic archive generator.

use super::*;
use crate::domain::markup::{parse, Block};
use std::collections::HashSet;

const END: i64 = 1_790_000_000;

fn plan(count: u64) -> Plan {
    let slugs = [
        "world",
        "uk",
        "business",
        "science",
        "technology",
        "health",
        "americas",
        "africa",
        "europe",
        "middle-east",
        "south-asia",
        "asia-pacific",
    ];
    Plan {
        seed: 7,
        count,
        end: END,
        first_id: 100,
        sections: slugs
            .iter()
            .enumerate()
            .map(|(i, s)| (i as i64 + 1, s.to_string()))
            .collect(),
        image_ids: vec![3, 4, 5],
    }
}

#[test]
fn the_same_seed_gives_the_same_stories_and_another_seed_others() {
    let a = plan(1000);
    let mut b = plan(1000);
    for i in [0, 1, 500, 999] {
        assert_eq!(
            a.story(i).versions[0].content,
            a.story(i).versions[0].content
        );
    }
    b.seed = 8;
    let differ = (0..50)
        .filter(|i| a.story(*i).versions[0].content != b.story(*i).versions[0].content)
        .count();
    assert!(differ > 45, "only {differ} of 50 differ");
}

#[test]
fn every_revision_is_valid_content_with_valid_markup() {
    let plan = plan(2000);
    for i in 0..2000 {
        let story = plan.story(i);
        assert_eq!(story.id, 100 + i as i64);
        for version in &story.versions {
            let validated = version
                .content
                .clone()
                .validate(Some(story.id))
                .unwrap_or_else(|e| panic!("story {i}: {e:?}\n{}", version.content.body));
            // Already clean: validation changes nothing, as for text saved through the newsroom.
            assert_eq!(validated, version.content, "story {i}");
            let body = parse(&version.content.body).expect("markup");
            assert!(matches!(body.blocks[0], Block::Paragraph { .. }));
        }
        assert!(story.versions[story.live].published);
        assert!(story.live + 2 >= story.versions.len());
    }
}

#[test]
fn lengths_sections_and_histories_vary() {
    let plan = plan(3000);
    let stories: Vec<_> = (0..3000).map(|i| plan.story(i)).collect();
    let words = |s: &SyntheticStory| s.versions[s.live].content.body.split_whitespace().count();
    assert!(stories.iter().any(|s| words(s) < 150), "no briefs");
    assert!(stories.iter().any(|s| words(s) > 1200), "no long features");
    let sections: HashSet<i64> = stories
        .iter()
        .map(|s| s.versions[0].content.section_id)
        .collect();
    assert_eq!(sections.len(), 12, "every section and region is used");
    let live = |s: &SyntheticStory| s.versions[s.live].content.body.clone();
    assert!(stories.iter().any(|s| live(s).contains("\n\n## ")));
    assert!(stories.iter().any(|s| live(s).contains("\n\n> \"")));
    let published = |s: &SyntheticStory| s.versions.iter().filter(|v| v.published).count();
    assert!(stories.iter().filter(|s| published(s) >= 3).count() > 100);
    assert!(stories.iter().any(|s| !s.corrections.is_empty()));
    assert!(stories.iter().any(|s| s.killed));
    assert!(stories.iter().all(|s| !s.killed || published(s) > 0));
    assert!(stories.iter().filter(|s| s.killed).count() < 30);
    let headlines: HashSet<&str> = stories
        .iter()
        .map(|s| s.versions[s.live].content.headline.as_str())
        .collect();
    assert!(
        headlines.len() > 2500,
        "{} distinct headlines",
        headlines.len()
    );
}

#[test]
fn dates_span_twenty_years_rise_with_ids_and_are_denser_lately() {
    let plan = plan(10_000);
    let mut previous = i64::MIN;
    let mut last_year = 0;
    let mut first_year = 0;
    for i in 0..10_000 {
        let story = plan.story(i);
        let first = story.first_published_at;
        assert!(
            first >= plan.start() && first <= END,
            "story {i} at {first}"
        );
        assert!(first >= previous, "ids are chronological");
        previous = first;
        let mut at = story.created_at;
        for v in &story.versions {
            assert!(
                v.at >= at && v.at <= END,
                "revision times in order and in range"
            );
            at = v.at;
        }
        assert!(story.last_updated_at >= first && story.modified_at >= story.last_updated_at);
        assert!(story.corrections.iter().all(|(at, _)| *at <= END));
        if first > END - 365 * 86_400 {
            last_year += 1;
        }
        if first < plan.start() + 365 * 86_400 {
            first_year += 1;
        }
    }
    assert!(plan.start() < END - 20 * 365 * 86_400);
    assert!(first_year > 0);
    assert!(last_year > 3 * first_year, "{last_year} vs {first_year}");
}

#[test]
fn related_stories_are_earlier_synthetic_stories() {
    let plan = plan(1000);
    let mut any = false;
    for i in 0..1000 {
        let story = plan.story(i);
        for id in &story.versions[story.live].content.related {
            any = true;
            assert!(*id >= 100 && *id < story.id);
        }
    }
    assert!(any);
}

#[test]
fn bench_search_words_come_from_the_vocabulary() {
    let plan = plan(500);
    let text: String = (0..500)
        .map(|i| plan.story(i).versions[0].content.body.to_lowercase())
        .collect();
    // Each line is a URL-encoded query: words joined by `+`, phrases in `%22`, exclusions after `-`.
    for query in include_str!("../../bench/search-words.txt").lines() {
        for word in query.split('+') {
            let word = word.replace("%22", "");
            let word = word.trim_start_matches('-');
            assert!(
                text.contains(word),
                "{word} (from {query}) is not in the generated text"
            );
        }
    }
}
