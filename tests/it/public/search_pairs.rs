//! SQLite's search index holds each word's pair with the next (migration 0034,
//! `store::fts_pairs`), and search asks for phrases by their pairs. A phrase
//! asked for by its pairs must match exactly the rows, and score exactly as,
//! the same phrase asked for by its words: across columns, with repeats,
//! stemming, diacritics, punctuation, exclusions and edits.

use crate::helpers::{full_story, TestApp};
use dateline::domain::search_query;
use dateline::store::Store;
use sqlx::SqlitePool;

/// What `store::fts_pairs::BY_PAIRS` is: a query string starting with it is
/// looked up by its pairs of neighbouring words.
const BY_PAIRS: &str = "\u{1}";

/// Each row FTS5 matches for `expression`, in index order, with its score as
/// search ranks it (every row scored exactly).
async fn matches(pool: &SqlitePool, expression: &str) -> Vec<(i64, f64)> {
    sqlx::query_as(
        "SELECT rowid, dateline_rank(stories_fts, 0, 10.0, 4.0, 1.0) FROM stories_fts \
         WHERE stories_fts MATCH $1 ORDER BY rowid",
    )
    .bind(expression)
    .fetch_all(pool)
    .await
    .unwrap_or_else(|e| panic!("{expression:?}: {e}"))
}

/// How many stories hold the pair `first second` (stemmed) in the index itself.
async fn stories_with_pair(pool: &SqlitePool, first: &str, second: &str) -> i64 {
    let mut connection = pool.acquire().await.unwrap();
    sqlx::query(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, stories_fts, row)",
    )
    .execute(&mut *connection)
    .await
    .unwrap();
    sqlx::query_scalar("SELECT coalesce(max(doc), 0) FROM temp.search_terms WHERE term = $1")
        .bind(format!("{BY_PAIRS}{first} {second}"))
        .fetch_one(&mut *connection)
        .await
        .unwrap()
}

/// Checks every query both ways and returns how many rows each matched.
async fn same_both_ways(pool: &SqlitePool, queries: &[&str]) -> Vec<usize> {
    let mut counts = Vec::new();
    for text in queries {
        let query = search_query::parse(text).unwrap();
        let by_words = matches(pool, &query.to_fts5()).await;
        let by_pairs = matches(pool, &query.to_fts5_marked(BY_PAIRS)).await;
        assert_eq!(by_pairs, by_words, "{text}: by pairs and by words differ");
        counts.push(by_words.len());
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phrases_by_pairs_match_and_score_as_by_words() {
    let app = TestApp::sqlite().await;
    let section = app.section_id("europe");
    let texts = [
        // Repeats, and the phrase in every column.
        (
            "Talks expanded, talks expanded",
            "Expanded talks.",
            "Talks talks talks expanded. The talks expanded again.",
        ),
        // "talks" ends the headline and "expanded" begins the summary: not a phrase.
        (
            "Harbour talks",
            "Expanded hours at the port.",
            "The harbour wall repaired; a harbour wall, the harbour wall repaired again.",
        ),
        // Stemming, case, punctuation and diacritics.
        (
            "TALKING, EXPANDS: café crème",
            "Covid-19 cases rise.",
            "Cafe creme prices; covid 19 cases; talking expands.",
        ),
        ("Nothing alike", "Quiet day.", "Expanded. Talks."),
    ];
    let mut at = 1_000;
    for (headline, summary, body) in texts {
        let mut content = full_story(section, None, headline);
        content.summary = summary.to_string();
        content.body = body.to_string();
        app.publish(&content, at).await;
        at += 60;
    }
    let Store::Sqlite(pool, _) = &app.store else {
        unreachable!("SQLite")
    };
    let queries = [
        r#""talks expanded""#,
        r#""expanded talks""#,
        r#""talks talks""#,
        r#""talks talks talks expanded""#,
        r#""harbour talks expanded""#,
        r#""harbour wall repaired""#,
        r#""harbour wall""#,
        r#""talking expanding""#,
        r#""café crème""#,
        "covid-19",
        r#""covid 19 cases""#,
        r#""talks expanded" creme"#,
        r#"talks -"talks expanded""#,
        r#""talks expanded" -"expanded talks""#,
        "talks",
        r#""expanded""#,
    ];
    let counts = same_both_ways(pool, &queries).await;
    // Not vacuous: the phrases find what they should.
    assert_eq!(
        counts,
        [2, 2, 1, 1, 0, 1, 1, 2, 1, 1, 1, 1, 2, 1, 4, 4],
        "rows matched, query by query: {queries:?}"
    );
    // The pairs are in the index itself, and only within a column.
    assert_eq!(stories_with_pair(pool, "talk", "expand").await, 2);
    assert_eq!(stories_with_pair(pool, "harbour", "wall").await, 1);
    assert_eq!(stories_with_pair(pool, "cafe", "creme").await, 1);

    // An edit takes the old pairs out and puts the new ones in.
    sqlx::query("UPDATE stories SET body = 'Ferry talks expanded.', summary = 'Ferry.' WHERE headline = 'Nothing alike'")
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(stories_with_pair(pool, "talk", "expand").await, 3);
    assert_eq!(same_both_ways(pool, &[r#""talks expanded""#]).await, [3]);
    sqlx::query("UPDATE stories SET body = 'Calm.' WHERE headline = 'Nothing alike'")
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(stories_with_pair(pool, "talk", "expand").await, 2);
    sqlx::query("INSERT INTO stories_fts (stories_fts, rank) VALUES ('integrity-check', 1)")
        .execute(pool)
        .await
        .expect("the index agrees with the stories");
}
