//! Search ranks a query's newest matches: a word in nearly every story of a
//! big archive gets a capped count that says so, and date filters still reach
//! the older stories outside the window.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use dateline::demo::archive::{self, ArchiveOptions};
use dateline::store::RANKED_WINDOW;
use serde_json::Value;

on_both_databases!(a_word_in_most_stories_is_capped_and_filters_reach_older_ones);

/// Enough stories that "year" (in about 97% of synthetic bodies) matches more than the window.
const STORIES: u64 = 3_200;

async fn search(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/search?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("json")
}

async fn a_word_in_most_stories_is_capped_and_filters_reach_older_ones(app: TestApp) {
    let now = app.clock.now();
    let options = ArchiveOptions {
        stories: STORIES,
        seed: 11,
        end: now - now.rem_euclid(86_400),
        reset: false,
    };
    archive::load(&app.store, &options, |_| {})
        .await
        .expect("generate");

    let all = search(&app, "q=year&limit=50").await;
    assert_eq!(all["total"], RANKED_WINDOW, "{all}");
    assert_eq!(all["total_capped"], true);
    assert_eq!(all["results"].as_array().unwrap().len(), 50);
    assert_eq!(all["next_page"], 2);
    let (status, page) = app.page("/search?q=year").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("of {RANKED_WINDOW} or more stories")),
        "{page}"
    );

    // Ten years back the window holds only older stories, and a month there is not capped.
    let ten_years_ago = jiff::Timestamp::from_second(options.end - 10 * 365 * 86_400).unwrap();
    let to = ten_years_ago.strftime("%Y-%m-%d").to_string();
    let older = search(&app, &format!("q=year&to={to}")).await;
    let cutoff = ten_years_ago.as_second();
    for hit in older["results"].as_array().unwrap() {
        let published = hit["story"]["first_published"].as_str().unwrap();
        let published: jiff::Timestamp = published.parse().unwrap();
        assert!(published.as_second() < cutoff, "{hit}");
    }
    assert!(older["total"].as_i64().unwrap() > 0, "{older}");

    let month_before = jiff::Timestamp::from_second(cutoff - 30 * 86_400).unwrap();
    let from = month_before.strftime("%Y-%m-%d").to_string();
    let month = search(&app, &format!("q=year&from={from}&to={to}")).await;
    assert_eq!(month["total_capped"], false, "{month}");
    let total = month["total"].as_i64().unwrap();
    assert!(total > 0 && total < RANKED_WINDOW, "{month}");
}

/// On PostgreSQL the window's matches are looked for among the newest ids in
/// slices that grow until one holds the window (`store::search`). Matches far
/// apart in id, most of them outside the first slice, are all found and counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matches_far_apart_in_id_are_all_found() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let dateline::store::Store::Postgres(pool) = &app.store else {
        unreachable!("a PostgreSQL app");
    };
    let europe = app.section_id("europe");
    let mut matching = Vec::new();
    // Each story's id is moved far on from the last; the newest matches nothing.
    for (headline, next_id) in [
        ("Zebra crossing planned", 300_000),
        ("Zebra crossing approved", 990_000),
        ("Zebra crossing opens", 999_990),
        ("Harbour plan", 0),
    ] {
        let id = app
            .publish(
                &full_story(europe, None, headline),
                at("2026-03-01T00:00:00Z"),
            )
            .await;
        if headline.starts_with("Zebra") {
            matching.push(id);
        }
        if next_id > 0 {
            sqlx::query("SELECT setval(pg_get_serial_sequence('stories', 'id'), $1)")
                .bind(next_id)
                .execute(pool)
                .await
                .expect("move the id sequence");
        }
    }
    let found = search(&app, "q=zebra&limit=50").await;
    assert_eq!(found["total"], 3, "{found}");
    let mut ids: Vec<i64> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["story"]["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, matching, "{found}");
    // A page past the end still knows the total.
    let past = search(&app, "q=zebra&limit=2&page=3").await;
    assert_eq!(past["total"], 3, "{past}");
    assert_eq!(past["results"].as_array().unwrap().len(), 0, "{past}");
}
