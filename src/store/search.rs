//! Full-text search with each database's own engine: SQLite FTS5 ranked by
//! bm25, PostgreSQL tsvector ranked by ts_rank with ts_headline snippets.
//! The two SQL texts differ, so they sit side by side here; the query
//! language is parsed once in `domain::search_query`.
//!
//! Both engines return highlighted text with the control-character markers of
//! `domain::snippet`, which turns them into escaped HTML.

use super::public_lists::{StorySummary, PUBLIC};
use super::search_bands::{band_bounds, band_of, newest_story_id};
use super::{Store, StoreError};
use crate::domain::search_query::SearchQuery;
use crate::domain::snippet::{ELLIPSIS, END, START};

/// Binds `$args` in order to the query `$q`.
macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for arg in $args {
            q = match arg {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.as_str()),
            };
        }
        q
    }};
}

/// Who is searching: the public sees only public stories; staff see drafts too.
#[derive(Debug, Clone, Copy)]
pub enum SearchScope {
    /// Public stories at this time.
    Public { now: i64 },
    /// Every story; with `own_or_published`, only that user's stories and published ones.
    Newsroom { own_or_published: Option<i64> },
}

/// Filters beside the query. Times are Unix seconds on first publication.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub section_ids: Option<Vec<i64>>,
    /// First published at or after.
    pub from: Option<i64>,
    /// First published before.
    pub to: Option<i64>,
}

/// One result: the story's list fields and its highlighted text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHit {
    #[sqlx(flatten)]
    pub story: StorySummary,
    pub status: String,
    pub modified_at: i64,
    pub submitted_at: Option<i64>,
    pub scheduled_for: Option<i64>,
    /// The headline with matches between `snippet::START` and `snippet::END`.
    pub headline_marked: String,
    /// A passage of the body around the best matches, marked the same way.
    pub snippet_marked: String,
}

/// A page of results and how many there are in all.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Matching stories, counted up to [`RANKED_WINDOW`].
    pub total: i64,
    /// The window is full: at least `total` stories match, maybe more.
    pub capped: bool,
    pub hits: Vec<SearchHit>,
}

/// How many of a query's newest matches are ranked for relevance. A common
/// word matches half a million-story archive, and ranking every match costs
/// seconds; ranking the newest few thousand keeps a search within milliseconds
/// at any archive size, and a date filter reaches anything older. Paging never
/// goes past `MAX_PAGE × MAX_PER_PAGE` results (2,500), so nothing reachable is lost.
pub const RANKED_WINDOW: i64 = 2_500;

/// Matches at least this dense among the stories (by the planner's estimate) are
/// found by walking the newest ids and testing each row: the window fills within
/// `RANKED_WINDOW / density` rows (12,500 at most), about 3 µs each, where the GIN
/// bitmap of a word in half of a million stories alone takes 65 ms.
const WALK_DENSITY: f64 = 0.2;

/// One word the planner expects in at most this many stories is looked for in
/// the whole archive at once: its GIN bitmap is small and most matches are wanted.
/// For one word the estimate comes from the column's lexeme statistics and is
/// close; for several it may be far too low (three words of one story were
/// estimated at 277 matches and had 12,802), so they always go band by band.
const WHOLE_ARCHIVE_MATCHES: i64 = 2 * RANKED_WINDOW;

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
struct WindowRow {
    id: i64,
    score: f64,
    updated: Option<i64>,
}

/// Ranks the window and keeps one page of ids, with the window's size: best score
/// first, then the more recently updated, then the newer story.
fn page_of_window(mut window: Vec<WindowRow>, limit: i64, offset: i64) -> (Vec<i64>, i64) {
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

/// The newest [`RANKED_WINDOW`] matches of `query` under `sql`'s filters, on PostgreSQL.
///
/// Walking the newest ids and testing each row (PostgreSQL's own plan for
/// `ORDER BY id DESC LIMIT`) reads tens of thousands of rows for a word in a few
/// per cent of a million stories, so unless the planner expects the matches to be
/// dense, they come from GIN bitmaps: the whole archive's for a rare word, else
/// each search band's, newest first, until the window is full. Each band's
/// bounds are literals in the SQL, so the planner can prove that the band's
/// partial index applies.
async fn postgres_window(
    pool: &sqlx::PgPool,
    query: &SearchQuery,
    mut sql: Sql,
) -> Result<Vec<WindowRow>, StoreError> {
    let tsquery = sql.arg(Arg::Text(query.to_tsquery()));
    // A query of only stop words, or one whose only lexemes are negated after
    // stop words drop out, cannot use the index and would match everything: none.
    let matching = |parsed: &str| {
        let mut conditions = sql.conditions.clone();
        conditions.push(format!(
            "s.search_vector @@ {parsed} AND querytree({parsed}) <> 'T'"
        ));
        conditions.join(" AND ")
    };
    let parsed = format!("to_tsquery('english', {tsquery})");
    let newest = newest_story_id(pool).await?;
    let explain = format!(
        "EXPLAIN SELECT 1 FROM stories s WHERE {}",
        matching(&parsed)
    );
    let plan: Vec<String> = bind_all!(sqlx::query_scalar(&explain), &sql.args)
        .fetch_all(pool)
        .await?;
    let expected = plan.first().and_then(|line| estimated_rows(line));
    let one_word = query.exclude.is_empty()
        && matches!(query.include.as_slice(), [clause] if clause.words.len() == 1);
    // The newest window of matches (in a band), ranked by the headline and summary
    // only (rank_vector, migration 0010) after the limit: the body's lexemes are
    // never read for ranking. `parsed` is how the statement gets the tsquery.
    let newest_matches = |band: Option<i64>, parsed: &str| {
        let conditions = matching(parsed);
        let bounds = band
            .map(|band| {
                let (above, up_to) = band_bounds(band);
                format!(" AND s.id > {above} AND s.id <= {up_to}")
            })
            .unwrap_or_default();
        format!(
            "(SELECT w.id, -ts_rank(w.vector, {parsed})::float8 AS score, w.updated \
             FROM (SELECT s.id, s.rank_vector AS vector, s.last_updated_at AS updated \
             FROM stories s WHERE {conditions}{bounds} ORDER BY s.id DESC LIMIT {RANKED_WINDOW}) AS w)"
        )
    };
    // The planner, which does not count detoasting, would rather walk the
    // primary key backwards than use a GIN bitmap; outside `Walk` it is told not to.
    // Parallel workers take longer to start than these plans take to run.
    let (no_walk, no_bitmaps) = ("enable_indexscan", "enable_bitmapscan");
    let serial = ("max_parallel_workers_per_gather", "0");
    // A plan made for the query's own words (the estimate above chose it), never
    // a generic one, whose default estimate once chose a parallel walk (100 ms).
    let custom = ("plan_cache_mode", "force_custom_plan");
    match how_to_look(expected, newest, one_word) {
        Look::Walk => {
            let sql_text = newest_matches(None, &parsed);
            let settings = [(no_bitmaps, "off"), serial, custom];
            window_query(pool, &settings, &sql_text, &sql.args).await
        }
        Look::Whole => {
            let sql_text = newest_matches(None, &parsed);
            let settings = [(no_walk, "off"), serial, custom];
            window_query(pool, &settings, &sql_text, &sql.args).await
        }
        Look::Bands => {
            // Every band, newest first, in one statement under one LIMIT: PostgreSQL
            // runs a UNION ALL's arms in order and stops pulling rows at the limit,
            // so a band is read only while the window is short of full. Parallel
            // plans, which could run arms out of order, are off.
            //
            // The text changes only with the filters and the number of bands, so
            // one generic plan per connection serves every query: custom plans
            // would plan the arms of a million stories each time, about 9 ms. In
            // it the query is parsed once per execution (an InitPlan), not once
            // for every row ranked or rechecked (8.5 of 26 ms for 2,500 rows).
            let parsed_once = format!("(SELECT {parsed})");
            let arms: Vec<String> = (0..=band_of(newest))
                .rev()
                .map(|band| newest_matches(Some(band), &parsed_once))
                .collect();
            let sql_text = format!(
                "SELECT * FROM ({}) AS bands LIMIT {RANKED_WINDOW}",
                arms.join(" UNION ALL ")
            );
            let generic = ("plan_cache_mode", "force_generic_plan");
            let settings = [(no_walk, "off"), serial, generic];
            window_query(pool, &settings, &sql_text, &sql.args).await
        }
    }
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

/// One page of the ranked window: ids best first, and how many the window holds.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
struct Ranked {
    id: i64,
    matched: i64,
}

/// Ranks `window_sql` (rows of `id`, `score` (lower is better) and `updated`)
/// in the database and keeps one page, so only the page's ids come back; ties go
/// to the more recently updated, then the newer story. `count(*) OVER ()` counts the whole window.
fn page_of(window_sql: &str, limit: &str, offset: &str) -> String {
    format!(
        "SELECT id, count(*) OVER () AS matched FROM ({window_sql}) AS window_rows \
         ORDER BY score, updated DESC, id DESC LIMIT {limit} OFFSET {offset}"
    )
}

/// The count when the page came back empty (a page past the end), from the window alone.
fn count_of(window_sql: &str) -> String {
    format!("SELECT count(*) FROM ({window_sql}) AS window_rows")
}

/// Puts `hits` in the order of `page` (the page query returns them in any order).
fn in_page_order(page: &[i64], mut hits: Vec<SearchHit>) -> Vec<SearchHit> {
    hits.sort_by_key(|hit| page.iter().position(|id| *id == hit.story.id));
    hits
}

/// A bound value, so one list of arguments serves both the count and the page.
enum Arg {
    Int(i64),
    Text(String),
}

/// SQL text with numbered placeholders and the values that go with them.
#[derive(Default)]
struct Sql {
    conditions: Vec<String>,
    args: Vec<Arg>,
}

impl Sql {
    fn arg(&mut self, value: Arg) -> String {
        self.args.push(value);
        format!("${}", self.args.len())
    }

    fn filters(&mut self, scope: SearchScope, filter: &SearchFilter) -> Option<()> {
        match scope {
            SearchScope::Public { now } => {
                // PUBLIC expects the time as $1; this is always the first argument.
                debug_assert!(self.args.is_empty());
                self.arg(Arg::Int(now));
                self.conditions.push(PUBLIC.to_string());
            }
            SearchScope::Newsroom {
                own_or_published: Some(user),
            } => {
                let user = self.arg(Arg::Int(user));
                self.conditions
                    .push(format!("(s.owner_id = {user} OR s.status = 'published')"));
            }
            SearchScope::Newsroom {
                own_or_published: None,
            } => {}
        }
        if let Some(from) = filter.from {
            let from = self.arg(Arg::Int(from));
            self.conditions
                .push(format!("s.first_published_at >= {from}"));
        }
        if let Some(to) = filter.to {
            let to = self.arg(Arg::Int(to));
            self.conditions.push(format!("s.first_published_at < {to}"));
        }
        if let Some(ids) = &filter.section_ids {
            if ids.is_empty() {
                return None;
            }
            let marks = self.ids(ids);
            self.conditions.push(format!("s.section_id IN ({marks})"));
        }
        Some(())
    }

    /// Placeholders for a list of ids, for `IN (…)`.
    fn ids(&mut self, ids: &[i64]) -> String {
        let marks: Vec<String> = ids.iter().map(|id| self.arg(Arg::Int(*id))).collect();
        marks.join(", ")
    }

    fn where_clause(&self) -> String {
        self.conditions.join(" AND ")
    }
}

/// Runs the window's page query on `$executor` and returns the page's ids and the
/// window's size, counting it separately only when the page is past its end.
macro_rules! ranked_page {
    ($executor:expr, $ranked_sql:expr, $count_sql:expr, $args:expr, $filter_args:expr, $offset:expr) => {{
        let ranked = bind_all!(sqlx::query_as::<_, Ranked>($ranked_sql), $args)
            .fetch_all($executor)
            .await?;
        let page: Vec<i64> = ranked.iter().map(|r| r.id).collect();
        let total: i64 = match ranked.first() {
            Some(first) => first.matched,
            None if $offset == 0 => 0,
            None => {
                bind_all!(sqlx::query_scalar($count_sql), &$args[..$filter_args])
                    .fetch_one($executor)
                    .await?
            }
        };
        (page, total)
    }};
}

const HIT_COLUMNS: &str = "s.id, s.slug, s.section_id, s.headline, s.promo_headline, s.summary, s.byline, \
     s.lead_image_id, s.lead_image_alt, i.width AS lead_image_width, i.height AS lead_image_height, \
     s.first_published_at, s.last_updated_at, s.status, s.modified_at, s.submitted_at, s.scheduled_for";

/// Words of body text around the matches in a snippet.
const SNIPPET_WORDS: i64 = 30;

/// Escapes `<`, `>` and `&` in SQL before `ts_headline`, whose parser would
/// otherwise drop anything that looks like an HTML tag from the snippet; undone
/// exactly by [`unescape_headline`] so that escaping for the page happens once, in Rust.
fn escaped_sql(column: &str) -> String {
    format!("replace(replace(replace({column}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')")
}

fn unescape_headline(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Store {
    /// One page of stories matching `query`, best first among the newest
    /// [`RANKED_WINDOW`] matches. First the window (found newest first, so it
    /// stops early) ranked down to one page of ids: in the database on SQLite, in
    /// Rust on PostgreSQL, whose window may take several queries
    /// (`postgres_window`). Then the text of just that page's stories with their
    /// highlights.
    pub async fn search(
        &self,
        query: &SearchQuery,
        scope: SearchScope,
        filter: &SearchFilter,
        limit: i64,
        offset: i64,
    ) -> Result<SearchResults, StoreError> {
        let mut sql = Sql::default();
        if sql.filters(scope, filter).is_none() {
            return Ok(SearchResults {
                total: 0,
                capped: false,
                hits: Vec::new(),
            });
        }
        let (page, total) = match self {
            Store::Sqlite(pool) => {
                let matching = sql.arg(Arg::Text(query.to_fts5()));
                sql.conditions.push(format!("stories_fts MATCH {matching}"));
                // Column weights: a headline match counts ten times a body match, the summary
                // four. dateline_rank is bm25 without the whole-index read (store::fts_rank).
                let window_sql = format!(
                    "SELECT s.id, dateline_rank(stories_fts, 10.0, 4.0, 1.0) AS score, s.last_updated_at AS updated \
                     FROM stories_fts JOIN stories s INDEXED BY stories_search_filter \
                     ON s.id = stories_fts.rowid WHERE {} \
                     ORDER BY stories_fts.rowid DESC LIMIT {RANKED_WINDOW}",
                    sql.where_clause()
                );
                // Ranked in the database down to one page of ids.
                let filter_args = sql.args.len();
                let (l, o) = (sql.arg(Arg::Int(limit)), sql.arg(Arg::Int(offset)));
                let ranked_sql = page_of(&window_sql, &l, &o);
                let count_sql = count_of(&window_sql);
                ranked_page!(
                    pool,
                    &ranked_sql,
                    &count_sql,
                    &sql.args,
                    filter_args,
                    offset
                )
            }
            Store::Postgres(pool) => {
                let window = postgres_window(pool, query, sql).await?;
                page_of_window(window, limit, offset)
            }
        };
        let capped = total >= RANKED_WINDOW;
        if page.is_empty() {
            return Ok(SearchResults {
                total,
                capped,
                hits: Vec::new(),
            });
        }
        // Highlights for the page only, with each engine's own functions.
        let mut marked = Sql::default();
        let hits = match self {
            Store::Sqlite(pool) => {
                let matching = marked.arg(Arg::Text(query.to_fts5()));
                let (start, end) = (START.to_string(), END.to_string());
                let (start, end) = (marked.arg(Arg::Text(start)), marked.arg(Arg::Text(end)));
                let ellipsis = marked.arg(Arg::Text(ELLIPSIS.to_string()));
                let ids = marked.ids(&page);
                let page_sql = format!(
                    "SELECT {HIT_COLUMNS}, highlight(stories_fts, 0, {start}, {end}) AS headline_marked, \
                     snippet(stories_fts, 2, {start}, {end}, {ellipsis}, {SNIPPET_WORDS}) AS snippet_marked \
                     FROM stories_fts JOIN stories s ON s.id = stories_fts.rowid \
                     LEFT JOIN images i ON i.id = s.lead_image_id \
                     WHERE stories_fts MATCH {matching} AND stories_fts.rowid IN ({ids})"
                );
                let hits = bind_all!(sqlx::query_as::<_, SearchHit>(&page_sql), &marked.args)
                    .fetch_all(pool)
                    .await?;
                in_page_order(&page, hits)
            }
            Store::Postgres(pool) => {
                let tsquery = marked.arg(Arg::Text(query.to_tsquery()));
                let options = |extra: &str| {
                    format!("StartSel={START}, StopSel={END}, {extra}, FragmentDelimiter=\" {ELLIPSIS} \"")
                };
                let whole = marked.arg(Arg::Text(options("HighlightAll=true")));
                let passage = marked.arg(Arg::Text(options(&format!(
                    "MaxFragments=2, MaxWords={SNIPPET_WORDS}, MinWords=12"
                ))));
                let ids = marked.ids(&page);
                let page_sql = format!(
                    "SELECT {HIT_COLUMNS}, \
                     ts_headline('english', {}, to_tsquery('english', {tsquery}), {whole}) AS headline_marked, \
                     ts_headline('english', {}, to_tsquery('english', {tsquery}), {passage}) AS snippet_marked \
                     FROM stories s LEFT JOIN images i ON i.id = s.lead_image_id WHERE s.id IN ({ids})",
                    escaped_sql("s.headline"),
                    escaped_sql("s.body"),
                );
                let mut hits = bind_all!(sqlx::query_as::<_, SearchHit>(&page_sql), &marked.args)
                    .fetch_all(pool)
                    .await?;
                for hit in &mut hits {
                    hit.headline_marked = unescape_headline(&hit.headline_marked);
                    hit.snippet_marked = unescape_headline(&hit.snippet_marked);
                }
                in_page_order(&page, hits)
            }
        };
        Ok(SearchResults {
            total,
            capped,
            hits,
        })
    }
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

    #[test]
    fn headline_escaping_round_trips() {
        let text = "a <b> & &amp; &lt;";
        let escaped = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert_eq!(unescape_headline(&escaped), text);
    }
}
