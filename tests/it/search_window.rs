//! Search ranks a query's newest matches: a word in nearly every story of a
//! big archive gets a capped count that says so, and date filters still reach
//! the older stories outside the window.

use crate::helpers::TestApp;
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
