//! Full-text search with each database's own engine: SQLite FTS5 ranked by
//! bm25, PostgreSQL tsvector ranked by ts_rank with ts_headline snippets.
//! The two SQL texts differ, so they sit side by side here; the query
//! language is parsed once in `domain::search_query`.
//!
//! Both engines return highlighted text with the control-character markers of
//! `domain::snippet`, which turns them into escaped HTML.

use super::stories::{StorySummary, PUBLIC};
use super::{Store, StoreError};
use crate::domain::search_query::SearchQuery;
use crate::domain::snippet::{ELLIPSIS, END, START};

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

/// PostgreSQL looks for the window's matches among the newest ids first, in
/// slices that grow until one holds the whole window (see `Store::search`).
/// The first slice: small, as the planner can under-count matches many times over.
const FIRST_SLICE: i64 = 10_000;

/// The next slice's size after `span` ids held `matched` matches: at the same
/// density, enough to fill the window with a quarter to spare, and at least
/// four times the last, so a search takes a few slices at most.
fn next_slice(span: i64, matched: i64) -> i64 {
    let wanted = if matched <= 0 {
        span.saturating_mul(16)
    } else {
        (span.saturating_mul(RANKED_WINDOW) / matched).saturating_mul(5) / 4
    };
    wanted.max(span.saturating_mul(4))
}

/// Matches at least this dense among the stories (by the planner's estimate) are
/// found by walking the newest ids and testing each row: the window fills within
/// `RANKED_WINDOW / density` rows (12,500 at most), about 3 µs each, where the GIN
/// bitmap of a word in half of a million stories alone takes 65 ms.
const WALK_DENSITY: f64 = 0.2;

/// Whether PostgreSQL should walk the newest ids rather than search slices,
/// from the planner's estimate of the matches (`expected`) and the newest id.
/// Only a dense estimate is trusted: it over-counts a rare word little, but
/// under-counts words that go together (three words of one story were estimated
/// at 277 matches and had 12,802), so slices still start small and grow.
fn walk_newest(expected: Option<i64>, newest: i64) -> bool {
    match expected {
        Some(expected) if newest > 0 => expected as f64 / newest as f64 >= WALK_DENSITY,
        _ => false,
    }
}

/// The first slice for a query the planner expects `expected` matches of. For
/// one word its estimate comes from the column's lexeme statistics and is close,
/// so the slice that should hold the window (with a quarter to spare) is searched
/// at once; otherwise (or with no estimate) `FIRST_SLICE`, grown as needed.
fn first_span(expected: Option<i64>, newest: i64, one_word: bool) -> i64 {
    match expected {
        Some(expected) if one_word && expected > 0 && newest > 0 => {
            let density = expected as f64 / newest as f64;
            let span = (RANKED_WINDOW as f64 / density * 1.25).min(i64::MAX as f64 / 2.0);
            (span as i64).max(FIRST_SLICE)
        }
        _ => FIRST_SLICE,
    }
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
    /// [`RANKED_WINDOW`] matches. Two queries: the window (walked newest first so
    /// it stops early) ranked in the database down to one page of ids, then the
    /// text of just that page's stories with their highlights, the costly part.
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
        // The window: each engine's own matching and score.
        let window_sql = match self {
            Store::Sqlite(_) => {
                let matching = sql.arg(Arg::Text(query.to_fts5()));
                sql.conditions.push(format!("stories_fts MATCH {matching}"));
                // Column weights: a headline match counts ten times a body match, the summary
                // four. dateline_rank is bm25 without the whole-index read (store::fts_rank).
                format!(
                    "SELECT s.id, dateline_rank(stories_fts, 10.0, 4.0, 1.0) AS score, s.last_updated_at AS updated \
                     FROM stories_fts JOIN stories s INDEXED BY stories_search_filter \
                     ON s.id = stories_fts.rowid WHERE {} \
                     ORDER BY stories_fts.rowid DESC LIMIT {RANKED_WINDOW}",
                    sql.where_clause()
                )
            }
            Store::Postgres(_) => {
                let tsquery = sql.arg(Arg::Text(query.to_tsquery()));
                // A query of only stop words, or one whose only lexemes are negated after
                // stop words drop out, cannot use the index and would match everything: none.
                sql.conditions.push(format!(
                    "s.search_vector @@ to_tsquery('english', {tsquery}) \
                     AND querytree(to_tsquery('english', {tsquery})) <> 'T'"
                ));
                // The slice of ids searched; set for each slice below.
                let above = sql.arg(Arg::Int(0));
                sql.conditions.push(format!("s.id > {above}"));
                // Ranked after the limit, and by the headline and summary only
                // (rank_vector, migration 0010): the body's lexemes are never read.
                format!(
                    "SELECT w.id, -ts_rank(w.vector, to_tsquery('english', {tsquery}))::float8 AS score, w.updated \
                     FROM (SELECT s.id, s.rank_vector AS vector, s.last_updated_at AS updated \
                     FROM stories s WHERE {} ORDER BY s.id DESC LIMIT {RANKED_WINDOW}) AS w",
                    sql.where_clause()
                )
            }
        };
        // Ranked in the database down to one page of ids, the same on both engines.
        let filter_args = sql.args.len();
        let (l, o) = (sql.arg(Arg::Int(limit)), sql.arg(Arg::Int(offset)));
        let ranked_sql = page_of(&window_sql, &l, &o);
        let count_sql = count_of(&window_sql);
        let (page, total) = match self {
            Store::Sqlite(pool) => {
                ranked_page!(
                    pool,
                    &ranked_sql,
                    &count_sql,
                    &sql.args,
                    filter_args,
                    offset
                )
            }
            // Walking the newest ids and testing each row's tsvector (PostgreSQL's own
            // plan for `ORDER BY id DESC LIMIT`) reads tens of thousands of rows for a
            // word in a few per cent of a million stories, each tsvector detoasted:
            // hundreds of ms. So, unless the planner expects the matches to be dense
            // (`walk_newest`), the newest ids are searched in slices, with the GIN and
            // primary-key bitmaps combined (the planner,
            // which does not count detoasting, has to be told), until a slice holds the
            // window or covers everything. The window is the same either way: the
            // newest RANKED_WINDOW matches.
            Store::Postgres(pool) => {
                let newest: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM stories")
                    .fetch_one(pool)
                    .await?;
                let explain = format!(
                    "EXPLAIN SELECT 1 FROM stories s WHERE {}",
                    sql.where_clause()
                );
                let plan: Vec<String> =
                    bind_all!(sqlx::query_scalar(&explain), &sql.args[..filter_args])
                        .fetch_all(pool)
                        .await?;
                let expected = plan.first().and_then(|line| estimated_rows(line));
                let above_arg = filter_args - 1;
                let walk = walk_newest(expected, newest);
                let one_word = query.exclude.is_empty()
                    && matches!(query.include.as_slice(), [clause] if clause.words.len() == 1);
                let mut span = first_span(expected, newest, one_word);
                loop {
                    let above = if walk || span >= newest {
                        0
                    } else {
                        newest - span
                    };
                    sql.args[above_arg] = Arg::Int(above);
                    let mut tx = pool.begin().await?;
                    let setting = if walk {
                        "SET LOCAL enable_bitmapscan = off"
                    } else {
                        "SET LOCAL enable_indexscan = off"
                    };
                    sqlx::query(setting).execute(&mut *tx).await?;
                    let (page, total) = ranked_page!(
                        &mut *tx,
                        &ranked_sql,
                        &count_sql,
                        &sql.args,
                        filter_args,
                        offset
                    );
                    tx.commit().await?;
                    if above == 0 || total >= RANKED_WINDOW {
                        break (page, total);
                    }
                    // A page past this slice's end may still be within the whole window.
                    span = next_slice(span, total);
                }
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
    fn slices_grow_to_fill_the_window_in_a_few_steps() {
        // Nothing in the first slice: sixteen times wider.
        assert_eq!(next_slice(10_000, 0), 160_000);
        // 100 matches in 10,000 ids: 312,500 ids should hold 3,125.
        assert_eq!(next_slice(10_000, 100), 312_500);
        // Nearly full: still at least four times wider.
        assert_eq!(next_slice(10_000, 2_400), 40_000);
        // Never overflows.
        assert!(next_slice(i64::MAX / 2, 1) > 0);
    }

    #[test]
    fn only_dense_matches_are_walked() {
        // A word in half the archive: walk the newest ids.
        assert!(walk_newest(Some(500_000), 1_000_000));
        assert!(walk_newest(Some(200_000), 1_000_000));
        // 2.5%: slices.
        assert!(!walk_newest(Some(25_000), 1_000_000));
        // No estimate, or an empty archive: slices.
        assert!(!walk_newest(None, 1_000_000));
        assert!(!walk_newest(Some(10), 0));
    }

    #[test]
    fn one_word_starts_with_the_slice_its_estimate_needs() {
        // 2.5% of a million: 125,000 ids should hold 3,125 matches.
        assert_eq!(first_span(Some(25_000), 1_000_000, true), 125_000);
        // Several words: the estimate may be far too low, so start small.
        assert_eq!(first_span(Some(277), 1_000_000, false), FIRST_SLICE);
        assert_eq!(first_span(None, 1_000_000, true), FIRST_SLICE);
        // Never below the first slice; a rare word covers the archive.
        assert_eq!(first_span(Some(900_000), 1_000_000, true), FIRST_SLICE);
        assert!(first_span(Some(1), 1_000_000, true) >= 1_000_000);
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
