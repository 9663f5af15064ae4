//! Reading and writing stories, their revisions, related stories, links and promos.

use super::inline_reads::Columns;
use super::json_lists::{decode, sorted};
use super::picture_copy_checks::QUEUE;
use super::{
    on_pool, BeginWrite, LiveHead, LivePage, Publication, Store, StoreError, StoryChange, Target,
};
use crate::domain::story::{ExternalLink, LeadImage, Status, Story, StoryContent};

#[derive(sqlx::FromRow)]
pub(super) struct StoryRow {
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
    /// Related story ids in order, as JSON (`json_lists`).
    related_json: String,
    /// `[title, url]` of each external link in order, as JSON.
    links_json: String,
    /// The live page's columns, read only by [`Store::article_rows`].
    #[sqlx(default)]
    live_started_at: Option<i64>,
    #[sqlx(default)]
    live_ended_at: Option<i64>,
    #[sqlx(default)]
    live_summary: Option<String>,
    #[sqlx(default)]
    live_last_change: Option<i64>,
}

/// A story's own columns; the story table is `s`.
const STORY_COLUMNS: &str = "SELECT s.id, s.slug, s.section_id, s.status, s.headline, s.promo_headline, \
     s.summary, s.byline, s.body, s.lead_image_id, s.lead_image_alt, s.lead_image_caption, s.lead_image_credit, \
     s.first_published_at, s.last_updated_at, s.revision, s.live_revision, s.owner_id, s.submitted_at, \
     s.scheduled_for, s.embargo_until";

/// The live page's columns, after [`Store::story_select`]: a lookup by primary
/// key, and one of the change log's index, that find nothing for an ordinary story.
pub(super) const LIVE_COLUMNS: &str =
    ", l.started_at AS live_started_at, l.ended_at AS live_ended_at, \
     l.summary AS live_summary, (SELECT MAX(c.id) FROM live_post_changes c \
     WHERE c.story_id = l.story_id AND c.public = 1) AS live_last_change";

/// The join the live page's columns read from.
pub(super) const LIVE_JOIN: &str = " FROM stories s LEFT JOIN live_pages l ON l.story_id = s.id";

impl Store {
    /// `SELECT` of a story's columns with its related stories and links, so
    /// that one statement reads a whole story (the story table is `s`).
    pub(super) fn story_select(&self) -> String {
        let related = self.json_rows(
            "r.position, r.related_id",
            "story_related r WHERE r.story_id = s.id",
        );
        let links = self.json_rows(
            "k.position, k.title, k.url",
            "story_links k WHERE k.story_id = s.id",
        );
        format!("{STORY_COLUMNS}, {related} AS related_json, {links} AS links_json")
    }
}

impl StoryRow {
    /// The row as [`super::inline_reads`] reads it: the columns `FromRow` reads,
    /// in the order [`Store::story_select`] and [`LIVE_COLUMNS`] write them.
    pub(super) fn from_sqlite(c: &mut Columns) -> rusqlite::Result<StoryRow> {
        Ok(StoryRow {
            id: c.next("id")?,
            slug: c.next("slug")?,
            section_id: c.next("section_id")?,
            status: c.next("status")?,
            headline: c.next("headline")?,
            promo_headline: c.next("promo_headline")?,
            summary: c.next("summary")?,
            byline: c.next("byline")?,
            body: c.next("body")?,
            lead_image_id: c.next("lead_image_id")?,
            lead_image_alt: c.next("lead_image_alt")?,
            lead_image_caption: c.next("lead_image_caption")?,
            lead_image_credit: c.next("lead_image_credit")?,
            first_published_at: c.next("first_published_at")?,
            last_updated_at: c.next("last_updated_at")?,
            revision: c.next("revision")?,
            live_revision: c.next("live_revision")?,
            owner_id: c.next("owner_id")?,
            submitted_at: c.next("submitted_at")?,
            scheduled_for: c.next("scheduled_for")?,
            embargo_until: c.next("embargo_until")?,
            related_json: c.next("related_json")?,
            links_json: c.next("links_json")?,
            live_started_at: c.next("live_started_at")?,
            live_ended_at: c.next("live_ended_at")?,
            live_summary: c.next("live_summary")?,
            live_last_change: c.next("live_last_change")?,
        })
    }

    /// The story, and its live page if it is one and the row read it.
    pub(super) fn into_story(self) -> Result<(Story, Option<LiveHead>), StoreError> {
        let row = self;
        let status = Status::parse(&row.status).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "story {} has an unknown status, {}",
                row.id,
                crate::domain::text::quoted(&row.status)
            ))
        })?;
        let related: Vec<i64> = sorted::<i64, _>(decode(&row.related_json, "related stories")?);
        let links: Vec<(i64, String, String)> = decode(&row.links_json, "links")?;
        let links = sorted(
            links
                .into_iter()
                .map(|(at, title, url)| (at, (title, url)))
                .collect(),
        );
        let live = row.live_head();
        let story = Story {
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
                    .map(|(title, url)| ExternalLink { title, url })
                    .collect(),
            },
        };
        Ok((story, live))
    }

    fn live_head(&self) -> Option<LiveHead> {
        Some(LiveHead {
            page: LivePage {
                story_id: self.id,
                started_at: self.live_started_at?,
                ended_at: self.live_ended_at,
                summary: self.live_summary.clone().unwrap_or_default(),
            },
            last_change: self.live_last_change.unwrap_or(0),
        })
    }
}

/// A site-wide promo: its story, and the edition the story belongs to (an
/// article shows its own edition's promos).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct PromoEdition {
    pub story_id: i64,
    pub edition_id: i64,
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
            own_times: None,
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
        let sql = format!("{} FROM stories s WHERE s.id = $1", self.story_select());
        let row: Option<StoryRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?);
        Ok(match row {
            Some(row) => Some(row.into_story()?.0),
            None => None,
        })
    }

    /// Every story chosen as a site-wide promo, in order, published or not.
    pub async fn promo_ids(&self) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT story_id FROM promos ORDER BY position"
        ).fetch_all(pool).await?))
    }

    /// Every story chosen as a site-wide promo, in order, published or not,
    /// with the edition its section belongs to.
    pub async fn promo_editions(&self) -> Result<Vec<PromoEdition>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT p.story_id, sec.edition_id FROM promos p \
             JOIN stories s ON s.id = p.story_id JOIN sections sec ON sec.id = s.section_id \
             ORDER BY p.position"
        ).fetch_all(pool).await?))
    }

    pub async fn story_count(&self) -> Result<i64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM stories").fetch_one(pool).await?),
        )
    }

    /// Deletes every story, picture and promo: the content a demo reset
    /// replaces. With `public_copies_at`, a check of each deleted picture's
    /// public copies is queued in the same transaction (no story shows it any
    /// more, so the check deletes them). Returns what the bucket holds of them.
    pub async fn delete_all_content(
        &self,
        public_copies_at: Option<i64>,
    ) -> Result<DeletedPictures, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let deleted = DeletedPictures {
                pictures: sqlx::query_scalar("SELECT id FROM images ORDER BY id")
                    .fetch_all(&mut *tx)
                    .await?,
                object_hashes: sqlx::query_scalar(
                    "SELECT sha256 FROM image_renditions WHERE data IS NULL \
                     UNION SELECT sha256 FROM image_alternates WHERE data IS NULL ORDER BY 1",
                )
                .fetch_all(&mut *tx)
                .await?,
            };
            if let Some(at) = public_copies_at {
                for picture in &deleted.pictures {
                    sqlx::query(QUEUE).bind(picture).bind(at).execute(&mut *tx).await?;
                }
            }
            for table in ["promos", "live_post_changes", "live_posts", "live_pages", "corrections", "story_images", "story_links", "story_related", "story_revisions", "stories", "image_renditions", "images"] {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(deleted)
        })
    }
}

/// The pictures a demo reset deleted, as object storage still holds them.
#[derive(Debug, Clone, Default)]
pub struct DeletedPictures {
    /// Every picture's id, whose public copies (`public/images/{id}/…`) must go.
    pub pictures: Vec<i64>,
    /// The hashes of the renditions whose bytes were in object storage.
    pub object_hashes: Vec<String>,
}
