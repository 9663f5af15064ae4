//! Full-text search with each database's own engine: SQLite FTS5 ranked by
//! bm25, PostgreSQL tsvector ranked by ts_rank with ts_headline snippets.
//! The two SQL texts differ, so they sit side by side here; the query
//! language is parsed once in `domain::search_query`.
//!
//! Both engines return highlighted text with the control-character markers of
//! `domain::snippet`, which turns them into escaped HTML.

use super::fts_pairs::BY_PAIRS;
use super::public_lists::{StorySummary, PUBLIC};
use super::search_postgres::{page_of_window, postgres_window};
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
pub(super) use bind_all;

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
    /// Only this edition's stories, searched with its stemming; `None` searches
    /// every edition, stemmed as `story_configs` says.
    pub edition: Option<SearchEdition>,
    /// Without an edition, PostgreSQL's text search configurations of the
    /// editions searched (the newsroom's search): each story is matched with its
    /// own edition's, so a Russian word finds a Russian story by its stem. Empty:
    /// every story is searched with English stemming.
    pub story_configs: Vec<String>,
    pub section_ids: Option<Vec<i64>>,
    /// First published at or after.
    pub from: Option<i64>,
    /// First published before.
    pub to: Option<i64>,
}

/// The edition a search is made in: its id, and PostgreSQL's text search
/// configuration for its stories (`Edition::search_config`).
#[derive(Debug, Clone)]
pub struct SearchEdition {
    pub id: i64,
    pub config: String,
}

/// The configuration a search without an edition parses its words with: the
/// stories' default before editions (migration 0004).
const DEFAULT_CONFIG: &str = "english";

/// How PostgreSQL stems a search's words.
#[derive(Debug, Clone, Copy)]
pub(super) enum Stemming<'a> {
    /// With one configuration, for every story searched.
    One(&'a str),
    /// With each story's own configuration (`stories.search_config`), one of these.
    EachStorysOwn(&'a [String]),
}

impl SearchFilter {
    /// How PostgreSQL stems this search's words.
    pub(super) fn stemming(&self) -> Stemming<'_> {
        match (&self.edition, self.story_configs.as_slice()) {
            (Some(edition), _) => Stemming::One(&edition.config),
            (None, []) => Stemming::One(DEFAULT_CONFIG),
            (None, configs) => Stemming::EachStorysOwn(configs),
        }
    }
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

/// How many of a query's newest matches are ranked for relevance: what the
/// public search's deepest page (50 pages of 10, `web::search`) can show. A
/// common word matches half a million-story archive, and ranking every match
/// costs seconds; ranking the newest few hundred keeps a search within
/// milliseconds at any archive size, and a date filter reaches anything older.
/// For news, the newest matches are the ones a reader wants first. (It was
/// 2,500, the API's 50 pages of 50: ranking five times the rows for pages
/// almost nobody opens cost half of a search's instructions at a million
/// stories, bench/RESULTS.md; the API's `limit=50` now pages to 10.)
pub const RANKED_WINDOW: i64 = 500;

/// On SQLite a story's entry in the search index is numbered `NEWEST_FIRST - id`
/// (`stories.search_rowid`, migration 0033), so that FTS5, which reads its lists
/// in rowid order far faster than backwards, meets the newest stories first.
const NEWEST_FIRST: i64 = 1 << 62;

/// One page of the ranked window: ids best first, and how many the window holds.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
struct Ranked {
    id: i64,
    matched: i64,
}

/// Ranks `window_sql` (rows of `id`, `score` (lower is better) and `updated`)
/// in the database and keeps one page, so only the page's ids come back; ties go
/// to the more recently updated, then the newer story. The window is kept once
/// and counted once: `count(*) OVER ()` made SQLite copy every row of it into a
/// table for the window function and delete it from there again: 8.6 % of a
/// search's instructions at a million stories (bench/RESULTS.md).
fn page_of(window_sql: &str, limit: &str, offset: &str) -> String {
    format!(
        "WITH window_rows AS MATERIALIZED ({window_sql}) \
         SELECT id, (SELECT count(*) FROM window_rows) AS matched FROM window_rows \
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
#[derive(Clone)]
pub(super) enum Arg {
    Int(i64),
    Text(String),
}

/// SQL text with numbered placeholders and the values that go with them.
#[derive(Default)]
pub(super) struct Sql {
    pub(super) conditions: Vec<String>,
    pub(super) args: Vec<Arg>,
    /// The placeholder of the edition searched, if one is: its condition is
    /// written in the form each query needs (`Sql::conditions`).
    edition: Option<String>,
}

/// How a query keeps to one edition's stories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EditionCheck {
    /// `s.section_id IN (SELECT …)`, a semi-join: SQLite's plan, and the form
    /// PostgreSQL's estimate of the matches was tuned with (`search_postgres`).
    Join,
    /// The edition's section ids read once into an array, each row tested
    /// against it. PostgreSQL planned the join with the sections outside and
    /// read a band's matches once for each section: twelve times in the English
    /// edition (30,408 heap blocks for one band instead of 2,534).
    EachRow,
}

impl Sql {
    pub(super) fn arg(&mut self, value: Arg) -> String {
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
        if let Some(edition) = &filter.edition {
            self.edition = Some(self.arg(Arg::Int(edition.id)));
        }
        Some(())
    }

    /// Every condition, the edition's written as `check` says.
    pub(super) fn conditions(&self, check: EditionCheck) -> Vec<String> {
        let mut conditions = self.conditions.clone();
        if let Some(id) = &self.edition {
            let sections = format!("SELECT id FROM sections WHERE edition_id = {id}");
            conditions.push(match check {
                EditionCheck::Join => format!("s.section_id IN ({sections})"),
                EditionCheck::EachRow => format!("s.section_id = ANY (ARRAY({sections}))"),
            });
        }
        conditions
    }

    /// Placeholders for a list of ids, for `IN (…)`.
    fn ids(&mut self, ids: &[i64]) -> String {
        let marks: Vec<String> = ids.iter().map(|id| self.arg(Arg::Int(*id))).collect();
        marks.join(", ")
    }

    fn where_clause(&self) -> String {
        self.conditions(EditionCheck::Join).join(" AND ")
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
            Store::Sqlite(pool, _) => {
                // Phrases by their pairs of words: one short list each (store::fts_pairs).
                let by_pairs = query.to_fts5_marked(&BY_PAIRS.to_string());
                let matching = sql.arg(Arg::Text(by_pairs));
                sql.conditions.push(format!("stories_fts MATCH {matching}"));
                // Column weights: a headline match counts ten times a body match, the summary
                // four. dateline_rank is bm25 without the whole-index read, exact for the rows
                // that can reach this page, the best offset + limit (store::fts_rank).
                let keep = offset.max(0).saturating_add(limit.max(0));
                let window_sql = format!(
                    "SELECT s.id, dateline_rank(stories_fts, {keep}, 10.0, 4.0, 1.0) AS score, s.last_updated_at AS updated \
                     FROM stories_fts JOIN stories s INDEXED BY stories_search_filter \
                     ON s.id = {NEWEST_FIRST} - stories_fts.rowid WHERE {} \
                     ORDER BY stories_fts.rowid LIMIT {RANKED_WINDOW}",
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
                let window = postgres_window(pool, query, filter.stemming(), sql).await?;
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
            Store::Sqlite(pool, _) => {
                let matching = marked.arg(Arg::Text(query.to_fts5()));
                let (start, end) = (START.to_string(), END.to_string());
                let (start, end) = (marked.arg(Arg::Text(start)), marked.arg(Arg::Text(end)));
                let ellipsis = marked.arg(Arg::Text(ELLIPSIS.to_string()));
                let rowids: Vec<i64> = page.iter().map(|id| NEWEST_FIRST - id).collect();
                let rowids = marked.ids(&rowids);
                let page_sql = format!(
                    "SELECT {HIT_COLUMNS}, highlight(stories_fts, 0, {start}, {end}) AS headline_marked, \
                     snippet(stories_fts, 2, {start}, {end}, {ellipsis}, {SNIPPET_WORDS}) AS snippet_marked \
                     FROM stories_fts JOIN stories s ON s.id = {NEWEST_FIRST} - stories_fts.rowid \
                     LEFT JOIN images i ON i.id = s.lead_image_id \
                     WHERE stories_fts MATCH {matching} AND stories_fts.rowid IN ({rowids})"
                );
                let hits = bind_all!(sqlx::query_as::<_, SearchHit>(&page_sql), &marked.args)
                    .fetch_all(pool)
                    .await?;
                in_page_order(&page, hits)
            }
            Store::Postgres(pool) => {
                // Highlighted as matched: with the edition's stemming, or each story's own.
                let config = match filter.stemming() {
                    Stemming::One(config) => {
                        format!("{}::regconfig", marked.arg(Arg::Text(config.to_string())))
                    }
                    Stemming::EachStorysOwn(_) => "s.search_config".to_string(),
                };
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
                     ts_headline({config}, {}, to_tsquery({config}, {tsquery}), {whole}) AS headline_marked, \
                     ts_headline({config}, {}, to_tsquery({config}, {tsquery}), {passage}) AS snippet_marked \
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
    fn headline_escaping_round_trips() {
        let text = "a <b> & &amp; &lt;";
        let escaped = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert_eq!(unescape_headline(&escaped), text);
    }
}
