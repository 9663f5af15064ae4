//! PostgreSQL's ranked window: how to find a query's newest [`RANKED_WINDOW`]
//! matches (a rare phrase's candidates from the index of neighbouring words,
//! walk the newest ids, read the whole archive's index, or read the search
//! bands newest first), and ranking that window down to one page. The
//! SQL's filters come from `search::Sql`; SQLite ranks its window in one query.

use super::search::{bind_all, Arg, EditionCheck, Sql, Stemming, RANKED_WINDOW};
use super::search_bands::{band_bounds, band_of, newest_story_id, BAND};
use super::StoreError;
use crate::domain::search_query::SearchQuery;

/// Matches at least this dense among the stories (by the planner's estimate) are
/// found by walking the newest ids and testing each row: the window fills within
/// `RANKED_WINDOW / density` rows (2,500 at most), about 3 µs each, where the GIN
/// bitmap of a word in half of a million stories alone takes 65 ms.
const WALK_DENSITY: f64 = 0.2;

/// One word the planner expects in at most this many stories is looked for in
/// the whole archive at once: its GIN bitmap is small and most matches are wanted.
/// For one word the estimate comes from the column's lexeme statistics and is
/// close; for several it may be far too low (three words of one story were
/// estimated at 277 matches and had 12,802), so they always go band by band.
const WHOLE_ARCHIVE_MATCHES: i64 = 2 * RANKED_WINDOW;

/// A query with a phrase is answered from the index of neighbouring words
/// (migration 0032) when at most this many stories hold its phrases' pairs:
/// each is one row read and rechecked. Otherwise a rare phrase of two common
/// words rechecks every story holding both, band after band (on 100,000 stories,
/// 100 such phrases one at a time: p95 96–135 ms before, 26–31 ms after,
/// bench/RESULTS.md). A phrase whose pairs are common fills the window from the
/// newest bands first, as a word does.
const PAIR_CANDIDATES: i64 = 4 * RANKED_WINDOW;

/// How PostgreSQL looks for a query's newest matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// Walk the newest ids, testing each row: dense matches.
    Walk,
    /// One query over the whole archive's GIN index: a rare word.
    Whole,
    /// Search bands newest first (`search_bands`) until the window is full.
    Bands,
}

/// Whether PostgreSQL should walk the newest ids, from the planner's estimate of
/// the matches (`expected`) and the newest id. Only a dense estimate is trusted.
fn walk_newest(expected: Option<i64>, newest: i64) -> bool {
    match expected {
        Some(expected) if newest > 0 => expected as f64 / newest as f64 >= WALK_DENSITY,
        _ => false,
    }
}

fn how_to_look(expected: Option<i64>, newest: i64, one_word: bool) -> Look {
    if walk_newest(expected, newest) {
        return Look::Walk;
    }
    match expected {
        Some(expected) if one_word && expected <= WHOLE_ARCHIVE_MATCHES => Look::Whole,
        _ => Look::Bands,
    }
}

/// A match in the window: its score (lower is better) and when it was last updated.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub(super) struct WindowRow {
    id: i64,
    score: f64,
    updated: Option<i64>,
}

/// Ranks the window and keeps one page of ids, with the window's size: best score
/// first, then the more recently updated, then the newer story.
pub(super) fn page_of_window(
    mut window: Vec<WindowRow>,
    limit: i64,
    offset: i64,
) -> (Vec<i64>, i64) {
    window.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then(b.updated.cmp(&a.updated))
            .then(b.id.cmp(&a.id))
    });
    let page = window
        .iter()
        .skip(offset.max(0) as usize)
        .take(limit.max(0) as usize)
        .map(|row| row.id)
        .collect();
    (page, window.len() as i64)
}

/// The placeholders of the text search configurations a query is parsed with.
enum Configs {
    /// One for every story searched.
    One(String),
    /// Each story's own (`stories.search_config`), one of these.
    EachStorysOwn(Vec<String>),
}

impl Configs {
    /// The condition that story `s` matches the tsquery text in placeholder
    /// `tsquery`, and the tsquery its matches are ranked with. `once` parses each
    /// query in a sub-select, which a generic plan runs once per execution.
    fn matching(&self, tsquery: &str, once: bool) -> (String, String) {
        let parsed = |config: &str| {
            let parsed = format!("to_tsquery({config}::regconfig, {tsquery})");
            if once {
                format!("(SELECT {parsed})")
            } else {
                parsed
            }
        };
        // A query of only stop words, or one whose only lexemes are negated after
        // stop words drop out, cannot use the index and would match everything: none.
        let matches =
            |parsed: &str| format!("s.search_vector @@ {parsed} AND querytree({parsed}) <> 'T'");
        match self {
            Configs::One(config) => {
                let parsed = parsed(config);
                (matches(&parsed), parsed)
            }
            Configs::EachStorysOwn(configs) => {
                // One arm per configuration, each a scan of the GIN index (a
                // BitmapOr), and each story tested with its own: an exclusion
                // stemmed in another language cannot let a story through.
                let each: Vec<(&String, String)> = configs.iter().map(|c| (c, parsed(c))).collect();
                let arms: Vec<String> = each
                    .iter()
                    .map(|(config, parsed)| {
                        format!(
                            "(s.search_config = {config}::regconfig AND {})",
                            matches(parsed)
                        )
                    })
                    .collect();
                let rank: Vec<&str> = each.iter().map(|(_, p)| p.as_str()).collect();
                (
                    format!("({})", arms.join(" OR ")),
                    format!("({})", rank.join(" || ")),
                )
            }
        }
    }
}

/// The newest [`RANKED_WINDOW`] matches of `query` (stemmed as `stemming` says)
/// under `sql`'s filters, on PostgreSQL.
///
/// Walking the newest ids and testing each row (PostgreSQL's own plan for
/// `ORDER BY id DESC LIMIT`) reads tens of thousands of rows for a word in a few
/// per cent of a million stories, so unless the planner expects the matches to be
/// dense, they come from GIN bitmaps: the whole archive's for a rare word, else
/// each search band's, newest first, until the window is full. Each band's
/// bounds are literals in the SQL, so the planner can prove that the band's
/// partial index applies.
pub(super) async fn postgres_window(
    pool: &sqlx::PgPool,
    query: &SearchQuery,
    stemming: Stemming<'_>,
    mut sql: Sql,
) -> Result<Vec<WindowRow>, StoreError> {
    // The words are stemmed as the stories' were: with the searching edition's
    // configuration, or with each story's own.
    let configs = match stemming {
        Stemming::One(config) => Configs::One(sql.arg(Arg::Text(config.to_string()))),
        Stemming::EachStorysOwn(configs) => Configs::EachStorysOwn(
            configs
                .iter()
                .map(|c| sql.arg(Arg::Text(c.clone())))
                .collect(),
        ),
    };
    let tsquery = sql.arg(Arg::Text(query.to_tsquery()));
    let conditions_with = |matches: &str, check: EditionCheck| {
        let mut conditions = sql.conditions(check);
        conditions.push(matches.to_string());
        conditions.join(" AND ")
    };
    let parsed_each_row = configs.matching(&tsquery, false);
    // The planner is told not to walk the primary key backwards outside `Walk`;
    // parallel workers take longer to start than these plans take to run.
    let (no_walk, no_bitmaps) = ("enable_indexscan", "enable_bitmapscan");
    let serial = ("max_parallel_workers_per_gather", "0");
    // A plan made for the query's own words, never a generic one, whose default
    // estimate once chose a parallel walk (100 ms).
    let custom = ("plan_cache_mode", "force_custom_plan");
    if let Stemming::One(config) = stemming {
        if let Some(pairs) = phrase_pairs(pool, config, query).await? {
            let mut args = sql.args.clone();
            args.push(Arg::Text(pairs));
            let candidates = format!(
                "dateline_word_pairs(s.search_vector) @@ ${}::tsquery",
                args.len()
            );
            if few_candidates(pool, &candidates, &args).await? {
                // The candidates are read first, behind a fence (OFFSET 0) so that
                // the planner does not recheck them against the phrase inside the
                // bitmap scan, where it would work every candidate's pairs out again.
                let (matching, rank_query) = &parsed_each_row;
                let conditions = conditions_with(matching, EditionCheck::EachRow);
                let fenced = format!("(SELECT * FROM stories s WHERE {candidates} OFFSET 0) AS s");
                let sql_text = newest_ranked(&fenced, &conditions, rank_query);
                tracing::debug!("search: reading a phrase's candidates by its pairs");
                let settings = [(no_walk, "off"), serial, custom];
                return window_query(pool, &settings, &sql_text, &args).await;
            }
        }
    }
    let newest = newest_story_id(pool).await?;
    let matching = conditions_with(&parsed_each_row.0, EditionCheck::Join);
    let expected = estimate(pool, &matching, &sql.args).await?;
    let one_word = query.exclude.is_empty()
        && matches!(query.include.as_slice(), [clause] if clause.words.len() == 1);
    // The newest window of matches (in a band), ranked (`newest_ranked`).
    let newest_matches = |band: Option<i64>, (matching, rank_query): &(String, String)| {
        let conditions = conditions_with(matching, EditionCheck::EachRow);
        let bounds = band
            .map(|band| {
                let (above, up_to) = band_bounds(band);
                format!(" AND s.id > {above} AND s.id <= {up_to}")
            })
            .unwrap_or_default();
        newest_ranked("stories s", &format!("{conditions}{bounds}"), rank_query)
    };
    // The planner, which does not count detoasting, would rather walk the
    // primary key backwards than use a GIN bitmap; outside `Walk` it is told not
    // to, and the plan is made for the query's own words (the estimate above chose it).
    match how_to_look(expected, newest, one_word) {
        Look::Walk => {
            let sql_text = newest_matches(None, &parsed_each_row);
            let settings = [(no_bitmaps, "off"), serial, custom];
            window_query(pool, &settings, &sql_text, &sql.args).await
        }
        Look::Whole => {
            let sql_text = newest_matches(None, &parsed_each_row);
            let settings = [(no_walk, "off"), serial, custom];
            window_query(pool, &settings, &sql_text, &sql.args).await
        }
        Look::Bands => {
            // Bands newest first, in one statement under one LIMIT: PostgreSQL
            // runs a UNION ALL's arms in order and stops pulling rows at the limit,
            // so a band is read only while the window is short of full. Parallel
            // plans, which could run arms out of order, are off.
            //
            // The text changes only with the filters and the bands read, so one
            // generic plan per connection serves every query: custom plans
            // would plan the arms of a million stories each time, about 9 ms. In
            // it the query is parsed once per execution (an InitPlan), not once
            // for every row ranked or rechecked (8.5 of 26 ms for 2,500 rows).
            //
            // An arm costs about 20 µs to start even when it is never pulled, so
            // the first statement reads only the newest bands the estimate says
            // should fill the window, and the older ones are read by a second
            // statement only when they did not.
            let parsed_once = configs.matching(&tsquery, true);
            let generic = ("plan_cache_mode", "force_generic_plan");
            let settings = [(no_walk, "off"), serial, generic];
            let bands_sql = |bands: std::ops::Range<i64>, limit: &str| {
                let arms: Vec<String> = bands
                    .rev()
                    .map(|band| newest_matches(Some(band), &parsed_once))
                    .collect();
                format!(
                    "SELECT * FROM ({}) AS bands LIMIT {limit}",
                    arms.join(" UNION ALL ")
                )
            };
            let all = band_of(newest) + 1;
            let older = all - first_bands(expected, newest);
            let first = bands_sql(older..all, &RANKED_WINDOW.to_string());
            tracing::debug!(?expected, from_band = older, all, "search: reading bands");
            let mut window = window_query(pool, &settings, &first, &sql.args).await?;
            let short = RANKED_WINDOW - window.len() as i64;
            if short > 0 && older > 0 {
                // The limit is bound, not written in, so the text stays one plan.
                let mut args = sql.args.clone();
                args.push(Arg::Int(short));
                let rest = bands_sql(0..older, &format!("${}", args.len()));
                tracing::debug!(
                    older,
                    short,
                    "search: the newest bands fell short; reading the older"
                );
                window.extend(window_query(pool, &settings, &rest, &args).await?);
            }
            Ok(window)
        }
    }
}

/// The newest [`RANKED_WINDOW`] rows of `source` (stories as `s`) meeting
/// `conditions`, each with its score by `rank_query` on the headline and summary
/// only (rank_vector, migration 0010), ranked after the limit: the body's
/// lexemes are never read for ranking. Parenthesised, to be one arm of a UNION ALL.
fn newest_ranked(source: &str, conditions: &str, rank_query: &str) -> String {
    format!(
        "(SELECT w.id, -ts_rank(w.vector, {rank_query})::float8 AS score, w.updated \
         FROM (SELECT s.id, s.rank_vector AS vector, s.last_updated_at AS updated \
         FROM {source} WHERE {conditions} ORDER BY s.id DESC LIMIT {RANKED_WINDOW}) AS w)"
    )
}

/// How many of the newest bands the first statement of [`Look::Bands`] reads:
/// those that should hold the window twice over, by the planner's estimate of
/// the matches spread evenly over the ids, rounded up to a power of two so that
/// few statement texts (one generic plan each per connection) are ever made;
/// every band when there is no estimate. An estimate too high costs a second
/// statement for the older bands; one too low, arms that were not needed.
fn first_bands(expected: Option<i64>, newest: i64) -> i64 {
    let all = band_of(newest) + 1;
    let Some(expected) = expected.filter(|matches| *matches > 0) else {
        return all;
    };
    let per_band = expected as f64 * BAND as f64 / newest.max(1) as f64;
    let wanted = (2.0 * RANKED_WINDOW as f64 / per_band).ceil().max(1.0);
    if wanted >= all as f64 {
        return all;
    }
    ((wanted as u64).next_power_of_two() as i64).min(all)
}

/// The pairs of neighbouring words of the query's phrases, stemmed with
/// `config`, as tsquery text (`'talk expand' & 'prime minist'`): every match
/// has them all. `None` when the query has no phrase, or its phrases have no
/// neighbouring words (stop words between them).
async fn phrase_pairs(
    pool: &sqlx::PgPool,
    config: &str,
    query: &SearchQuery,
) -> Result<Option<String>, StoreError> {
    let phrases = query.phrases();
    if phrases.is_empty() {
        return Ok(None);
    }
    let pairs: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT dateline_phrase_pairs($1::regconfig, phrase)::text FROM unnest($2::text[]) AS phrase",
    )
    .bind(config)
    .bind(&phrases)
    .fetch_all(pool)
    .await?;
    let pairs: Vec<String> = pairs.into_iter().flatten().collect();
    Ok((!pairs.is_empty()).then(|| pairs.join(" & ")))
}

/// Whether at most [`PAIR_CANDIDATES`] stories hold the pairs of `candidates`
/// (a condition on `s` with its arguments). The planner knows how many stories
/// hold each of the commonest pairs; any other pair it puts at one floor, half
/// the rarest listed pair's share of the archive, which at a million stories
/// may be thousands; so for a pair at that floor the stories are counted, no
/// further than one past the limit.
async fn few_candidates(
    pool: &sqlx::PgPool,
    candidates: &str,
    args: &[Arg],
) -> Result<bool, StoreError> {
    let Some(expected) = estimate(pool, candidates, args).await? else {
        return Ok(false);
    };
    if expected <= PAIR_CANDIDATES {
        return Ok(true);
    }
    // A pair no story has, so never among the planner's commonest: the floor.
    let unlisted = [Arg::Text("'dateline-unlisted pair'".to_string())];
    let floor = "dateline_word_pairs(s.search_vector) @@ $1::tsquery";
    if estimate(pool, floor, &unlisted).await? != Some(expected) {
        return Ok(false);
    }
    let count = format!(
        "SELECT count(*) FROM (SELECT 1 FROM stories s WHERE {candidates} LIMIT {}) AS c",
        PAIR_CANDIDATES + 1
    );
    let held: i64 = bind_all!(sqlx::query_scalar(&count), args)
        .fetch_one(pool)
        .await?;
    Ok(held <= PAIR_CANDIDATES)
}

/// The planner's estimate of the stories `s` meeting `condition`.
async fn estimate(
    pool: &sqlx::PgPool,
    condition: &str,
    args: &[Arg],
) -> Result<Option<i64>, StoreError> {
    let explain = format!("EXPLAIN SELECT 1 FROM stories s WHERE {condition}");
    let plan: Vec<String> = bind_all!(sqlx::query_scalar(&explain), args)
        .fetch_all(pool)
        .await?;
    Ok(plan.first().and_then(|line| estimated_rows(line)))
}

/// Runs one window query with planner `settings` (name, value) for its transaction alone.
async fn window_query(
    pool: &sqlx::PgPool,
    settings: &[(&str, &str)],
    sql_text: &str,
    args: &[Arg],
) -> Result<Vec<WindowRow>, StoreError> {
    let mut tx = pool.begin().await?;
    // The names and values are the constants above, never user input.
    let set: Vec<String> = settings
        .iter()
        .map(|(name, value)| format!("set_config('{name}', '{value}', true)"))
        .collect();
    sqlx::query(&format!("SELECT {}", set.join(", ")))
        .execute(&mut *tx)
        .await?;
    let rows = bind_all!(sqlx::query_as::<_, WindowRow>(sql_text), args)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(rows)
}

/// The row estimate of the top line of a text `EXPLAIN` (`… rows=523755 width=0)`).
fn estimated_rows(line: &str) -> Option<i64> {
    let rest = &line[line.find(" rows=")? + 6..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_matches_are_walked_rare_words_searched_at_once_the_rest_by_band() {
        // A word in half the archive, or a fifth: walk the newest ids.
        assert_eq!(how_to_look(Some(500_000), 1_000_000, true), Look::Walk);
        assert_eq!(how_to_look(Some(200_000), 1_000_000, false), Look::Walk);
        // 2.5%: bands.
        assert_eq!(how_to_look(Some(25_000), 1_000_000, true), Look::Bands);
        // A rare word: the whole archive's index at once; several rare words: bands,
        // as their estimate may be far too low.
        assert_eq!(how_to_look(Some(300), 1_000_000, true), Look::Whole);
        assert_eq!(how_to_look(Some(300), 1_000_000, false), Look::Bands);
        // No estimate, or an empty archive: bands.
        assert_eq!(how_to_look(None, 1_000_000, true), Look::Bands);
        assert_eq!(how_to_look(Some(10), 0, false), Look::Bands);
    }

    #[test]
    fn the_first_statement_reads_the_bands_that_should_fill_the_window_twice() {
        // A million stories, twenty bands. A word in one story of twenty: 2,500
        // a band, so one band holds the window twice.
        assert_eq!(first_bands(Some(50_000), 1_000_000), 1);
        // One in a hundred: 500 a band, two bands.
        assert_eq!(first_bands(Some(10_000), 1_000_000), 2);
        // Three in a thousand: 150 a band, 7 bands, rounded up to 8.
        assert_eq!(first_bands(Some(3_000), 1_000_000), 8);
        // Rarer, or no estimate: every band.
        assert_eq!(first_bands(Some(1_000), 1_000_000), 20);
        assert_eq!(first_bands(None, 1_000_000), 20);
        assert_eq!(first_bands(Some(0), 1_000_000), 20);
        // Never more bands than there are.
        assert_eq!(first_bands(Some(600), 125_000), 3);
        assert_eq!(first_bands(None, 0), 1);
    }

    #[test]
    fn the_window_is_ranked_by_score_then_update_then_id_and_paged() {
        let row = |id, score, updated| WindowRow { id, score, updated };
        let window = vec![
            row(1, -0.1, Some(10)),
            row(2, -0.5, Some(5)),
            row(3, -0.1, Some(20)),
            row(4, -0.1, Some(20)),
            row(5, 0.0, None),
            row(6, 0.0, Some(1)),
        ];
        assert_eq!(
            page_of_window(window.clone(), 10, 0),
            (vec![2, 4, 3, 1, 6, 5], 6)
        );
        assert_eq!(page_of_window(window.clone(), 2, 2), (vec![3, 1], 6));
        assert_eq!(page_of_window(window, 2, 10), (vec![], 6));
    }

    #[test]
    fn row_estimates_are_read_from_the_plan() {
        let line = "Bitmap Heap Scan on stories s  (cost=5359.83..23784.90 rows=523755 width=4)";
        assert_eq!(estimated_rows(line), Some(523_755));
        assert_eq!(
            estimated_rows("Result  (cost=0.00..0.01 rows=1 width=4)"),
            Some(1)
        );
        assert_eq!(estimated_rows("no estimate here"), None);
    }
}
