//! Search ranks a query's newest matches: a word in nearly every story of a
//! big archive gets a capped count that says so, and date filters still reach
//! the older stories outside the window.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use dateline::demo::archive::{self, ArchiveOptions};
use dateline::store::{SearchFilter, SearchScope, RANKED_WINDOW};
use serde_json::Value;

on_both_databases!(
    a_word_in_most_stories_is_capped_and_filters_reach_older_ones,
    the_best_match_older_than_the_window_is_reached_by_a_date,
);

/// Enough stories that "year" (in about 97% of synthetic bodies) matches more than the window.
const STORIES: u64 = 3_200;

async fn search(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/search?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("json")
}

/// The ids of a page of API search results, in id order.
fn ids_found(found: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = found["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|hit| hit["story"]["id"].as_i64().expect("id"))
        .collect();
    ids.sort_unstable();
    ids
}

/// Generates [`STORIES`] synthetic stories ending today, after the ones there are.
async fn load_archive(app: &TestApp, seed: u64) -> ArchiveOptions {
    let now = app.clock.now();
    let options = ArchiveOptions {
        stories: STORIES,
        seed,
        end: now - now.rem_euclid(86_400),
        reset: false,
    };
    archive::load(&app.store, &app.state.pictures, &options, |_| {})
        .await
        .expect("generate");
    options
}

async fn a_word_in_most_stories_is_capped_and_filters_reach_older_ones(app: TestApp) {
    let options = load_archive(&app, 11).await;

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

/// The window is the newest matches by id, however good an older one is: a
/// story about the year in its headline and summary, older than the archive,
/// is on no page of the window, and a date before the archive brings it first.
async fn the_best_match_older_than_the_window_is_reached_by_a_date(app: TestApp) {
    let europe = app.section_id("europe");
    let mut story = full_story(europe, None, "Year of the year: a year in review");
    story.summary = "The year's news, year by year.".to_string();
    let oldest = app.publish(&story, at("1996-01-02T00:00:00Z")).await;
    // Twenty years back from today: none older than 2006.
    load_archive(&app, 7).await;

    for page in 1..=RANKED_WINDOW / 50 {
        let found = search(&app, &format!("q=year&limit=50&page={page}")).await;
        assert!(!ids_found(&found).contains(&oldest), "page {page}: {found}");
    }
    let dated = search(&app, "q=year&to=1997-01-01").await;
    assert_eq!(dated["total"], 1, "{dated}");
    assert_eq!(dated["results"][0]["story"]["id"], oldest, "{dated}");
    // A date range that takes in archive stories too still ranks it first.
    let wider = search(&app, "q=year&to=2008-01-01").await;
    assert!(wider["total"].as_i64().unwrap() > 1, "{wider}");
    assert_eq!(wider["results"][0]["story"]["id"], oldest, "{wider}");
}

/// On PostgreSQL the window's matches are looked for in the whole archive (one
/// rare word) or in bands of ids, newest first, until the window is full
/// (`store::search`, `store::search_bands`). Matches far apart in id, in bands
/// far apart, are all found and counted.
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
    assert_eq!(ids_found(&found), matching, "{found}");
    // A page past the end still knows the total.
    let past = search(&app, "q=zebra&limit=2&page=3").await;
    assert_eq!(past["total"], 3, "{past}");
    assert_eq!(past["results"].as_array().unwrap().len(), 0, "{past}");

    // Several words, a phrase and an exclusion are looked for band by band
    // (`store::search_bands`), newest first: the same stories, before and after the
    // bands have their own indexes.
    let queries = [
        ("q=zebra+crossing&limit=50", 3),
        ("q=%22zebra+crossing%22&limit=50", 3),
        ("q=zebra+-opens&limit=50", 2),
        ("q=crossing+approved&limit=50", 1),
    ];
    for with_band_indexes in [false, true] {
        if with_band_indexes {
            let made = app.store.ensure_search_bands().await.expect("band indexes");
            // Bands 0 to 19 hold ids up to 1,000,000 (50,000 each; the newest is
            // 999,991), and one more is made ahead.
            assert_eq!(made, 21);
            let valid: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 WHERE c.relname LIKE 'stories\\_search\\_band\\_%' AND i.indisvalid",
            )
            .fetch_one(pool)
            .await
            .expect("count the band indexes");
            assert_eq!(valid, 21);
            assert_eq!(app.store.ensure_search_bands().await.expect("again"), 0);
        }
        for (query, expected) in queries {
            let found = search(&app, query).await;
            assert_eq!(
                found["total"], expected,
                "{query} {with_band_indexes}: {found}"
            );
            assert!(
                ids_found(&found).iter().all(|id| matching.contains(id)),
                "{query}: {found}"
            );
        }
    }
}

/// On PostgreSQL, a window that fills across two search bands holds exactly the
/// newest matches: the bands are read newest first in one statement that stops
/// at the window (`store::search`), and every page of the window together is
/// that set, for one word and for a query with an exclusion. Then, with the
/// newest ids far beyond the matches, the first statement's newest bands
/// (`first_bands`) hold none of them and a second statement reads the older
/// bands: the same set again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_across_bands_holds_exactly_the_newest_matches() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let dateline::store::Store::Postgres(pool) = &app.store else {
        unreachable!("a PostgreSQL app");
    };
    // The archive's ids run from 47,101 to 50,300, so its newest 500 matches
    // of "year" cross the end of band 0 (ids up to 50,000).
    sqlx::query("SELECT setval(pg_get_serial_sequence('stories', 'id'), 47099)")
        .execute(pool)
        .await
        .expect("move the id sequence");
    let europe = app.section_id("europe");
    app.publish(
        &full_story(europe, None, "The year ahead"),
        at("2026-03-01T00:00:00Z"),
    )
    .await;
    load_archive(&app, 5).await;
    let newest_matches = || async {
        let mut newest: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM stories WHERE status = 'published' \
             AND (embargo_until IS NULL OR embargo_until <= $1) \
             AND search_vector @@ to_tsquery('english', 'year') ORDER BY id DESC LIMIT $2",
        )
        .bind(app.clock.now())
        .bind(RANKED_WINDOW)
        .fetch_all(pool)
        .await
        .expect("the newest matches");
        newest.sort_unstable();
        newest
    };
    let newest = newest_matches().await;
    assert_eq!(newest.len() as i64, RANKED_WINDOW);
    assert!(
        newest[0] <= 50_000 && newest[newest.len() - 1] > 50_000,
        "the window spans two bands: {}..{}",
        newest[0],
        newest[newest.len() - 1]
    );
    let window_found = |query: &'static str| {
        let app = &app;
        async move {
            let mut found = Vec::new();
            for page in 1..=RANKED_WINDOW / 50 {
                let results = search(app, &format!("q={query}&limit=50&page={page}")).await;
                assert_eq!(results["total"], RANKED_WINDOW, "{query}: {results}");
                found.extend(ids_found(&results));
            }
            found.sort_unstable();
            found
        }
    };
    // With the planner's statistics, so that its estimate (and with it how
    // many bands the first statement reads) is the one a real archive gets.
    sqlx::query("ANALYZE stories")
        .execute(pool)
        .await
        .expect("analyse");
    app.store.ensure_search_bands().await.expect("band indexes");
    for query in ["year", "year+-zebra"] {
        assert_eq!(window_found(query).await, newest, "{query}");
    }

    // A story far on (band 5): the matches are now about 3,100 among 300,000
    // ids.
    sqlx::query("SELECT setval(pg_get_serial_sequence('stories', 'id'), 299999)")
        .execute(pool)
        .await
        .expect("move the id sequence");
    app.publish(
        &full_story(europe, None, "Harbour plan"),
        at("2026-03-02T00:00:00Z"),
    )
    .await;
    sqlx::query("ANALYZE stories")
        .execute(pool)
        .await
        .expect("analyse");
    app.store.ensure_search_bands().await.expect("band indexes");
    let newest_now = newest_matches().await;
    for query in ["year", "year+-zebra"] {
        assert_eq!(window_found(query).await, newest_now, "{query}");
    }
    // The page's edition check lowers the planner's estimate (a semi-join), so
    // the API's searches read every band at once. Without an edition the
    // estimate is close (about 3,100 matches over 300,000 ids): the first
    // statement reads the newest 2 bands (4 and 5), which hold none of the
    // matches (ids up to 50,300), and a second reads bands 0 to 3.
    for words in ["year", "year -zebra"] {
        let query = dateline::domain::search_query::parse(words).expect("a query");
        let scope = SearchScope::Public {
            now: app.clock.now(),
        };
        let mut found = Vec::new();
        for page in 0..RANKED_WINDOW / 50 {
            let results = app
                .store
                .search(&query, scope, &SearchFilter::default(), 50, page * 50)
                .await
                .expect("search");
            assert_eq!(results.total, RANKED_WINDOW, "{words}");
            found.extend(results.hits.iter().map(|hit| hit.story.id));
        }
        found.sort_unstable();
        assert_eq!(found, newest_now, "{words}");
    }
}
