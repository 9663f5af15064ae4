//! Reading and writing stories, their revisions, related stories, links and promos.

use super::{on_pool, BeginWrite, Publication, Store, StoreError, StoryChange, Target};
use crate::domain::story::{ExternalLink, LeadImage, Status, Story, StoryContent};

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
}

impl StorySummary {
    pub fn list_headline(&self) -> &str {
        if self.promo_headline.is_empty() {
            &self.headline
        } else {
            &self.promo_headline
        }
    }
}

/// The condition for a story the public may see, with the current time as `$1`:
/// `Story::is_public` in SQL. Every public list, feed, sitemap, search and picture
/// query uses it, so an embargo or a kill keeps a story off all of them at once.
pub(super) const PUBLIC: &str =
    "s.status = 'published' AND (s.embargo_until IS NULL OR s.embargo_until <= $1)";

/// Columns and join for a `StorySummary`; the story table is `s`.
pub(super) const SUMMARY_SELECT: &str = "SELECT s.id, s.slug, s.section_id, s.headline, s.promo_headline, s.summary, s.byline, \
     s.lead_image_id, s.lead_image_alt, i.width AS lead_image_width, i.height AS lead_image_height, \
     s.first_published_at, s.last_updated_at FROM stories s LEFT JOIN images i ON i.id = s.lead_image_id";

#[derive(sqlx::FromRow)]
struct StoryRow {
    id: i64,
    slug: String,
    section_id: i64,
    status: String,
    headline: String,
    promo_headline: String,
    summary: String,
    byline: String,
    body: String,
    lead_image_id: Option<i64>,
    lead_image_alt: String,
    lead_image_caption: String,
    lead_image_credit: String,
    first_published_at: Option<i64>,
    last_updated_at: Option<i64>,
    revision: i64,
    live_revision: Option<i64>,
    owner_id: Option<i64>,
    submitted_at: Option<i64>,
    scheduled_for: Option<i64>,
    embargo_until: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    title: String,
    url: String,
}

/// A new version of a story's content, with who saved it, when and why.
pub struct NewRevision<'a> {
    pub content: &'a StoryContent,
    /// The workflow action that produced it: create, save, publish, update…
    pub action: &'a str,
    pub author: &'a str,
    pub at: i64,
}

/// Inserts revision `$number` of story `$id` inside `$tx`. A macro rather than a
/// function because the transaction's type differs per database.
macro_rules! insert_revision {
    ($tx:expr, $id:expr, $number:expr, $rev:expr) => {{
        let snapshot = serde_json::to_string($rev.content).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO story_revisions (story_id, number, action, author, created_at, content) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($id)
        .bind($number)
        .bind($rev.action)
        .bind($rev.author)
        .bind($rev.at)
        .bind(snapshot)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Writes `$content` into the story row and its related stories and links: the
/// copy public pages read. Runs inside `$tx`.
macro_rules! write_live_content {
    ($tx:expr, $id:expr, $content:expr, $at:expr) => {{
        let (id, c): (i64, &StoryContent) = ($id, $content);
        let image = c.lead_image.as_ref();
        sqlx::query(
            "UPDATE stories SET slug = $2, section_id = $3, headline = $4, promo_headline = $5, summary = $6, \
             byline = $7, body = $8, lead_image_id = $9, lead_image_alt = $10, lead_image_caption = $11, \
             lead_image_credit = $12, modified_at = $13 WHERE id = $1",
        )
        .bind(id)
        .bind(&c.slug)
        .bind(c.section_id)
        .bind(&c.headline)
        .bind(&c.promo_headline)
        .bind(&c.summary)
        .bind(&c.byline)
        .bind(&c.body)
        .bind(image.map(|i| i.image_id))
        .bind(image.map(|i| i.alt.as_str()).unwrap_or(""))
        .bind(image.map(|i| i.caption.as_str()).unwrap_or(""))
        .bind(image.map(|i| i.credit.as_str()).unwrap_or(""))
        .bind($at)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("DELETE FROM story_related WHERE story_id = $1").bind(id).execute(&mut *$tx).await?;
        sqlx::query("DELETE FROM story_links WHERE story_id = $1").bind(id).execute(&mut *$tx).await?;
        for (position, related) in c.related.iter().enumerate() {
            sqlx::query("INSERT INTO story_related (story_id, position, related_id) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(position as i64)
                .bind(related)
                .execute(&mut *$tx)
                .await?;
        }
        for (position, link) in c.links.iter().enumerate() {
            sqlx::query("INSERT INTO story_links (story_id, position, title, url) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(position as i64)
                .bind(&link.title)
                .bind(&link.url)
                .execute(&mut *$tx)
                .await?;
        }
        // The pictures the row shows: what decides whether a picture is public.
        sqlx::query("DELETE FROM story_images WHERE story_id = $1").bind(id).execute(&mut *$tx).await?;
        for image_id in c.picture_ids() {
            // A body may name a picture id that was never stored: nothing to show, nothing to list.
            sqlx::query("INSERT INTO story_images (story_id, image_id) SELECT $1, id FROM images WHERE id = $2")
                .bind(id)
                .bind(image_id)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(super) use {insert_revision, write_live_content};

impl Store {
    /// Creates a draft story at revision 1 and returns its id. For loaders and
    /// tests; the newsroom goes through `editorial`, which also writes the audit log.
    pub async fn create_story(
        &self,
        rev: &NewRevision<'_>,
        owner_id: Option<i64>,
    ) -> Result<i64, StoreError> {
        let mut change = StoryChange::new(Target::New { owner_id }, rev.author, rev.at);
        change.text = Some((rev.content, rev.action));
        Ok(self.apply_story_change(&change).await?.story_id)
    }

    /// Saves a new revision of a story and returns its number. An unpublished
    /// story's row follows its newest text; a published story's row keeps the live
    /// text until the revision is published. When `expected_revision` is given and
    /// the story has moved on since, nothing is written and `Conflict` is returned.
    pub async fn save_revision(
        &self,
        id: i64,
        rev: &NewRevision<'_>,
        expected_revision: Option<i64>,
    ) -> Result<i64, StoreError> {
        let target = Target::Existing {
            id,
            expected_revision,
        };
        let mut change = StoryChange::new(target, rev.author, rev.at);
        change.text = Some((rev.content, rev.action));
        let applied = self.apply_story_change(&change).await?;
        applied.revision.ok_or(StoreError::NotFound("story"))
    }

    /// Makes the newest revision public at `at`. The first publication sets both
    /// times; later ones move "last updated" only when `significant`. With
    /// `due_by`, only a story scheduled at or before that time is published.
    /// Returns whether it published.
    pub async fn publish_newest(
        &self,
        id: i64,
        at: i64,
        significant: bool,
        due_by: Option<i64>,
    ) -> Result<bool, StoreError> {
        let target = Target::Existing {
            id,
            expected_revision: None,
        };
        let mut change = StoryChange::new(target, "", at);
        change.publish = Some(Publication {
            significant,
            due_by,
        });
        Ok(self.apply_story_change(&change).await?.done)
    }

    /// Sets a story's status without touching its times (e.g. a kill).
    pub async fn set_status(&self, id: i64, status: Status) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => sqlx::query("UPDATE stories SET status = $2 WHERE id = $1")
            .bind(id)
            .bind(status.as_str())
            .execute(pool)
            .await?.rows_affected());
        if done == 0 {
            return Err(StoreError::NotFound("story"));
        }
        Ok(())
    }

    /// A story in any state, with its related stories and links.
    pub async fn story(&self, id: i64) -> Result<Option<Story>, StoreError> {
        let (row, related, links) = on_pool!(self, pool => {
            let row: Option<StoryRow> = sqlx::query_as(
                "SELECT id, slug, section_id, status, headline, promo_headline, summary, byline, body, lead_image_id, \
                 lead_image_alt, lead_image_caption, lead_image_credit, first_published_at, last_updated_at, revision, \
                 live_revision, owner_id, submitted_at, scheduled_for, embargo_until FROM stories WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let related: Vec<i64> = sqlx::query_scalar(
                "SELECT related_id FROM story_related WHERE story_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let links: Vec<LinkRow> = sqlx::query_as(
                "SELECT title, url FROM story_links WHERE story_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            (row, related, links)
        });
        let status = Status::parse(&row.status).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "story {} has an unknown status, {}",
                row.id,
                crate::domain::text::quoted(&row.status)
            ))
        })?;
        Ok(Some(Story {
            id: row.id,
            status,
            first_published_at: row.first_published_at,
            last_updated_at: row.last_updated_at,
            revision: row.revision,
            live_revision: row.live_revision,
            owner_id: row.owner_id,
            submitted_at: row.submitted_at,
            scheduled_for: row.scheduled_for,
            embargo_until: row.embargo_until,
            content: StoryContent {
                slug: row.slug,
                section_id: row.section_id,
                headline: row.headline,
                promo_headline: row.promo_headline,
                summary: row.summary,
                byline: row.byline,
                body: row.body,
                lead_image: row.lead_image_id.map(|image_id| LeadImage {
                    image_id,
                    alt: row.lead_image_alt,
                    caption: row.lead_image_caption,
                    credit: row.lead_image_credit,
                }),
                related,
                links: links
                    .into_iter()
                    .map(|l| ExternalLink {
                        title: l.title,
                        url: l.url,
                    })
                    .collect(),
            },
        }))
    }

    /// The newest public stories, optionally only those in `section_ids`.
    pub async fn latest_published(
        &self,
        section_ids: Option<&[i64]>,
        limit: i64,
        now: i64,
    ) -> Result<Vec<StorySummary>, StoreError> {
        let mut sql = format!("{SUMMARY_SELECT} WHERE {PUBLIC}");
        if let Some(ids) = section_ids {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
            sql.push_str(&format!(" AND s.section_id IN ({})", marks.join(", ")));
        }
        sql.push_str(" ORDER BY s.last_updated_at DESC, s.id DESC LIMIT $2");
        let rows = on_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, StorySummary>(&sql).bind(now).bind(limit);
            for id in section_ids.unwrap_or(&[]) {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await?
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
        let marks: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "{SUMMARY_SELECT} WHERE {PUBLIC} AND s.id IN ({})",
            marks.join(", ")
        );
        let mut rows = on_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, StorySummary>(&sql).bind(now);
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await?
        });
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        Ok(rows)
    }

    /// The site-wide promos, in order, that are currently published.
    pub async fn promos(&self, now: i64) -> Result<Vec<StorySummary>, StoreError> {
        let ids = self.promo_ids().await?;
        self.published_summaries(&ids, now).await
    }

    /// Every story chosen as a site-wide promo, in order, published or not.
    pub async fn promo_ids(&self) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT story_id FROM promos ORDER BY position"
        ).fetch_all(pool).await?))
    }

    /// Replaces the site-wide promos with `story_ids`, in order, and logs
    /// `invalidate` (the promos' surrogate key) in the same transaction.
    pub async fn set_promos(&self, story_ids: &[i64], invalidate: &str) -> Result<(), StoreError> {
        let log = self.log_invalidation_sql();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(log).bind(invalidate).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM promos").execute(&mut *tx).await?;
            for (position, id) in story_ids.iter().enumerate() {
                sqlx::query("INSERT INTO promos (position, story_id) VALUES ($1, $2)")
                    .bind(position as i64)
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn story_count(&self) -> Result<i64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM stories").fetch_one(pool).await?),
        )
    }

    /// Deletes every story, picture and promo: the content a demo reset replaces.
    pub async fn delete_all_content(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for table in ["promos", "corrections", "story_images", "story_links", "story_related", "story_revisions", "stories", "image_renditions", "images"] {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
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
        let mut sql = format!("{FEED_SELECT} WHERE {PUBLIC}");
        if let Some(ids) = section_ids {
            let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
            sql.push_str(&format!(" AND s.section_id IN ({})", marks.join(", ")));
        }
        sql.push_str(" ORDER BY s.last_updated_at DESC, s.id DESC LIMIT $2");
        Ok(on_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, FeedRow>(&sql).bind(now).bind(limit);
            for id in section_ids.unwrap_or(&[]) {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await?
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
