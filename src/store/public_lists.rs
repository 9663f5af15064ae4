//! What the public sees of stories: the one visibility condition in SQL, and
//! the lists, feeds and sitemaps built with it. Every public query applies `PUBLIC`.

use sqlx::QueryBuilder;

use super::inline_reads::{rows_in_place, Columns};
use super::{on_pool, Store, StoreError};

/// What a front or a list needs of a story: no body.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StorySummary {
    pub id: i64,
    pub slug: String,
    pub section_id: i64,
    pub headline: String,
    pub promo_headline: String,
    pub summary: String,
    pub byline: String,
    pub lead_image_id: Option<i64>,
    pub lead_image_alt: String,
    pub lead_image_width: Option<i64>,
    pub lead_image_height: Option<i64>,
    pub first_published_at: Option<i64>,
    pub last_updated_at: Option<i64>,
    /// A running live page (lists mark it "Live"); false where a query does not say.
    #[sqlx(default)]
    pub live: bool,
}

impl StorySummary {
    /// A row of a `SUMMARY_SELECT` statement run in place (`inline_reads`).
    fn from_sqlite(c: &mut Columns) -> rusqlite::Result<StorySummary> {
        Ok(StorySummary {
            id: c.next("id")?,
            slug: c.next("slug")?,
            section_id: c.next("section_id")?,
            headline: c.next("headline")?,
            promo_headline: c.next("promo_headline")?,
            summary: c.next("summary")?,
            byline: c.next("byline")?,
            lead_image_id: c.next("lead_image_id")?,
            lead_image_alt: c.next("lead_image_alt")?,
            lead_image_width: c.next("lead_image_width")?,
            lead_image_height: c.next("lead_image_height")?,
            first_published_at: c.next("first_published_at")?,
            last_updated_at: c.next("last_updated_at")?,
            live: c.next("live")?,
        })
    }

    pub fn list_headline(&self) -> &str {
        if self.promo_headline.is_empty() {
            &self.headline
        } else {
            &self.promo_headline
        }
    }
}

/// The condition for a story the public may see, up to the current time:
/// `Story::is_public` in SQL. Every public list, feed, sitemap, search and picture
/// query uses it, so an embargo or a kill keeps a story off all of them at once.
macro_rules! public_until {
    () => {
        "s.status = 'published' AND (s.embargo_until IS NULL OR s.embargo_until <= "
    };
}

/// The public condition with the current time as `$1`.
pub(super) const PUBLIC: &str = concat!(public_until!(), "$1)");

/// `SELECT … WHERE` the public condition at `now`, for a query built with
/// `QueryBuilder` (which numbers the placeholders in each dialect's way).
pub(super) fn select_public<'a, DB>(select: &str, now: i64) -> QueryBuilder<'a, DB>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut query = QueryBuilder::new(select);
    query
        .push(concat!(" WHERE ", public_until!()))
        .push_bind(now)
        .push(")");
    query
}

/// Appends ` AND {column} IN (…)` for `ids`.
pub(super) fn and_in<'a, DB>(query: &mut QueryBuilder<'a, DB>, column: &str, ids: &[i64])
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query.push(format!(" AND {column} IN ("));
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    list.push_unseparated(")");
}

/// Columns and joins for a `StorySummary`; the story table is `s`. Whether a
/// story is a running live page costs a lookup by primary key (`live_pages`
/// logs the lists' keys when a page starts or ends).
pub(super) const SUMMARY_SELECT: &str = "SELECT s.id, s.slug, s.section_id, s.headline, s.promo_headline, s.summary, s.byline, \
     s.lead_image_id, s.lead_image_alt, i.width AS lead_image_width, i.height AS lead_image_height, \
     s.first_published_at, s.last_updated_at, (l.story_id IS NOT NULL AND l.ended_at IS NULL) AS live \
     FROM stories s LEFT JOIN images i ON i.id = s.lead_image_id LEFT JOIN live_pages l ON l.story_id = s.id";

impl Store {
    /// The newest public stories, optionally only those in `section_ids`.
    pub async fn latest_published(
        &self,
        section_ids: Option<&[i64]>,
        limit: i64,
        now: i64,
    ) -> Result<Vec<StorySummary>, StoreError> {
        if section_ids.is_some_and(<[i64]>::is_empty) {
            return Ok(Vec::new());
        }
        if let Store::Sqlite(_, inline) = self {
            let (sql, values) = newest_in_place(SUMMARY_SELECT, section_ids, limit, now);
            if let Some(rows) = inline.run(&sql, |connection, sql| {
                rows_in_place(connection, sql, values, StorySummary::from_sqlite)
            }) {
                return Ok(rows);
            }
        }
        let rows = on_pool!(self, pool => {
            let mut query = select_public(SUMMARY_SELECT, now);
            if let Some(ids) = section_ids {
                and_in(&mut query, "s.section_id", ids);
            }
            query.push(" ORDER BY s.last_updated_at DESC, s.id DESC LIMIT ").push_bind(limit);
            query.build_query_as::<StorySummary>().fetch_all(pool).await?
        });
        Ok(rows)
    }

    /// Public stories among `ids`, in the order given.
    pub async fn published_summaries(
        &self,
        ids: &[i64],
        now: i64,
    ) -> Result<Vec<StorySummary>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        if let Store::Sqlite(_, inline) = self {
            let mut sql = format!("{SUMMARY_SELECT} WHERE {PUBLIC} AND s.id IN ");
            push_placeholders(&mut sql, 2, ids.len());
            let values = std::iter::once(now).chain(ids.iter().copied());
            let read = inline.run(&sql, |connection, sql| {
                rows_in_place(connection, sql, values, StorySummary::from_sqlite)
            });
            if let Some(mut rows) = read {
                rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
                return Ok(rows);
            }
        }
        let mut rows = on_pool!(self, pool => {
            let mut query = select_public(SUMMARY_SELECT, now);
            and_in(&mut query, "s.id", ids);
            query.build_query_as::<StorySummary>().fetch_all(pool).await?
        });
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        Ok(rows)
    }

    /// The site-wide promos, in order, that are currently published.
    pub async fn promos(&self, now: i64) -> Result<Vec<StorySummary>, StoreError> {
        let ids = self.promo_ids().await?;
        self.published_summaries(&ids, now).await
    }
}

/// The newest public stories' statement for `select` (optionally within
/// `section_ids`), with its values in order, to be run in place.
fn newest_in_place<'a>(
    select: &str,
    section_ids: Option<&'a [i64]>,
    limit: i64,
    now: i64,
) -> (String, impl Iterator<Item = i64> + 'a) {
    let mut sql = format!("{select} WHERE {PUBLIC}");
    let sections = section_ids.unwrap_or_default();
    if section_ids.is_some() {
        sql.push_str(" AND s.section_id IN ");
        push_placeholders(&mut sql, 2, sections.len());
    }
    sql.push_str(&format!(
        " ORDER BY s.last_updated_at DESC, s.id DESC LIMIT ${}",
        sections.len() + 2
    ));
    let values = std::iter::once(now)
        .chain(sections.iter().copied())
        .chain([limit]);
    (sql, values)
}

/// Appends `($first, …)`: `count` numbered placeholders for an `IN` list.
fn push_placeholders(sql: &mut String, first: usize, count: usize) {
    sql.push('(');
    for n in 0..count {
        let comma = if n == 0 { "" } else { ", " };
        sql.push_str(&format!("{comma}${}", first + n));
    }
    sql.push(')');
}

/// What feeds and sitemaps need of a public story.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedRow {
    pub id: i64,
    pub slug: String,
    pub section_id: i64,
    pub headline: String,
    pub summary: String,
    pub byline: String,
    pub first_published_at: Option<i64>,
    pub last_updated_at: Option<i64>,
}

impl FeedRow {
    /// A row of a `FEED_SELECT` statement run in place (`inline_reads`).
    fn from_sqlite(c: &mut Columns) -> rusqlite::Result<FeedRow> {
        Ok(FeedRow {
            id: c.next("id")?,
            slug: c.next("slug")?,
            section_id: c.next("section_id")?,
            headline: c.next("headline")?,
            summary: c.next("summary")?,
            byline: c.next("byline")?,
            first_published_at: c.next("first_published_at")?,
            last_updated_at: c.next("last_updated_at")?,
        })
    }
}

const FEED_SELECT: &str = "SELECT s.id, s.slug, s.section_id, s.headline, s.summary, s.byline, \
     s.first_published_at, s.last_updated_at FROM stories s";

impl Store {
    /// How many stories the public can see now.
    pub async fn public_story_count(&self, now: i64) -> Result<i64, StoreError> {
        let sql = format!("SELECT COUNT(*) FROM stories s WHERE {PUBLIC}");
        Ok(on_pool!(self, pool => sqlx::query_scalar(&sql).bind(now).fetch_one(pool).await?))
    }

    /// Public stories in id order, for sitemaps: those with ids above `after_id`.
    pub async fn public_stories_after(
        &self,
        after_id: i64,
        limit: i64,
        now: i64,
    ) -> Result<Vec<FeedRow>, StoreError> {
        let sql = format!("{FEED_SELECT} WHERE {PUBLIC} AND s.id > $2 ORDER BY s.id LIMIT $3");
        if let Store::Sqlite(_, inline) = self {
            let values = [now, after_id, limit].into_iter();
            if let Some(rows) = inline.run(&sql, |connection, sql| {
                rows_in_place(connection, sql, values, FeedRow::from_sqlite)
            }) {
                return Ok(rows);
            }
        }
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(now).bind(after_id).bind(limit).fetch_all(pool).await?),
        )
    }

    /// The id a sitemap page starts after: the last id of the page before it.
    pub async fn public_id_at(&self, offset: i64, now: i64) -> Result<Option<i64>, StoreError> {
        let sql =
            format!("SELECT s.id FROM stories s WHERE {PUBLIC} ORDER BY s.id LIMIT 1 OFFSET $2");
        Ok(
            on_pool!(self, pool => sqlx::query_scalar(&sql).bind(now).bind(offset).fetch_optional(pool).await?),
        )
    }

    /// The newest public stories for a feed, optionally within sections.
    pub async fn feed_stories(
        &self,
        section_ids: Option<&[i64]>,
        limit: i64,
        now: i64,
    ) -> Result<Vec<FeedRow>, StoreError> {
        if let Store::Sqlite(_, inline) = self {
            let (sql, values) = newest_in_place(FEED_SELECT, section_ids, limit, now);
            if let Some(rows) = inline.run(&sql, |connection, sql| {
                rows_in_place(connection, sql, values, FeedRow::from_sqlite)
            }) {
                return Ok(rows);
            }
        }
        Ok(on_pool!(self, pool => {
            let mut query = select_public(FEED_SELECT, now);
            if let Some(ids) = section_ids {
                and_in(&mut query, "s.section_id", ids);
            }
            query.push(" ORDER BY s.last_updated_at DESC, s.id DESC LIMIT ").push_bind(limit);
            query.build_query_as::<FeedRow>().fetch_all(pool).await?
        }))
    }

    /// Public stories first published at or after `since`, newest first (news sitemap).
    pub async fn published_since(
        &self,
        since: i64,
        limit: i64,
        now: i64,
    ) -> Result<Vec<FeedRow>, StoreError> {
        let sql = format!("{FEED_SELECT} WHERE {PUBLIC} AND s.first_published_at >= $2 ORDER BY s.first_published_at DESC LIMIT $3");
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(now).bind(since).bind(limit).fetch_all(pool).await?),
        )
    }
}
