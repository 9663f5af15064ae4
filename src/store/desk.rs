//! The desk's lists (awaiting review, scheduled and embargoes ending within a
//! day, recently published, stories open elsewhere, a reporter's drafts and
//! what was sent back to them) and a story's review notes (migration 0021)

use super::editions::in_editions_of;
use super::newsroom::PRESENCE_SECONDS;
use super::{on_pool, Store, StoreError};

/// How many stories each of the desk's lists shows; the full list is a tab away.
pub const DESK_LIST_LENGTH: i64 = 20;

/// One story on the desk, with the time the list is about.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeskRow {
    pub id: i64,
    pub headline: String,
    pub section_id: i64,
    /// The story's owner (its reporter), when it has one.
    pub owner_name: Option<String>,
    /// The list's time: submitted, due, embargo's end, last updated, opened,
    /// last changed, or sent back.
    pub at: i64,
    /// Someone else with the story open (open elsewhere); the editor who wrote
    /// the newest note (sent back).
    #[sqlx(default)]
    pub who: Option<String>,
    /// The newest review note (sent back).
    #[sqlx(default)]
    pub note: Option<String>,
}

/// A note an editor wrote when sending the story back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewNoteRecord {
    pub note: String,
    pub author_name: String,
    pub created_at: i64,
}

/// What every list selects before its own columns.
const STORY: &str = "s.id, s.headline, s.section_id, o.display_name AS owner_name";
const OWNER: &str = "LEFT JOIN users o ON o.id = s.owner_id";

impl Store {
    /// Submitted drafts not yet scheduled, the longest waiting first.
    pub async fn desk_awaiting_review(
        &self,
        viewer: i64,
        limit: i64,
    ) -> Result<Vec<DeskRow>, StoreError> {
        let sql = format!(
            "SELECT {STORY}, s.submitted_at AS at FROM stories s {OWNER} \
             WHERE s.status = 'draft' AND s.submitted_at IS NOT NULL AND s.scheduled_for IS NULL \
             AND {} ORDER BY s.submitted_at, s.id LIMIT $1",
            in_editions_of("$2")
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(limit).bind(viewer).fetch_all(pool).await?),
        )
    }

    /// Drafts due to publish by `until` (one that is overdue is about to go), soonest first.
    pub async fn desk_scheduled_until(
        &self,
        viewer: i64,
        until: i64,
        limit: i64,
    ) -> Result<Vec<DeskRow>, StoreError> {
        let sql = format!(
            "SELECT {STORY}, s.scheduled_for AS at FROM stories s {OWNER} \
             WHERE s.status = 'draft' AND s.scheduled_for IS NOT NULL AND s.scheduled_for <= $1 \
             AND {} ORDER BY s.scheduled_for, s.id LIMIT $2",
            in_editions_of("$3")
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(until).bind(limit).bind(viewer).fetch_all(pool).await?),
        )
    }

    /// Stories (not killed) whose embargo ends after `now` and by `until`, soonest first.
    pub async fn desk_embargoes_ending(
        &self,
        viewer: i64,
        now: i64,
        until: i64,
        limit: i64,
    ) -> Result<Vec<DeskRow>, StoreError> {
        let sql = format!(
            "SELECT {STORY}, s.embargo_until AS at FROM stories s {OWNER} \
             WHERE s.embargo_until > $1 AND s.embargo_until <= $2 AND s.status <> 'killed' \
             AND {} ORDER BY s.embargo_until, s.id LIMIT $3",
            in_editions_of("$4")
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(now).bind(until).bind(limit).bind(viewer).fetch_all(pool).await?),
        )
    }

    /// Published stories, the newest publication first, each with its last
    /// update; only `owner_id`'s when given.
    pub async fn desk_recently_published(
        &self,
        viewer: i64,
        owner_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<DeskRow>, StoreError> {
        // One query text for both cases: the owner 0 is nobody's, and means "anyone's".
        let sql = format!(
            "SELECT {STORY}, COALESCE(s.last_updated_at, s.first_published_at, s.modified_at) AS at \
             FROM stories s {OWNER} \
             WHERE s.status = 'published' AND ($2 = 0 OR s.owner_id = $2) \
             AND {} ORDER BY s.first_published_at DESC, s.id DESC LIMIT $1",
            in_editions_of("$3")
        );
        let owner = owner_id.unwrap_or(0);
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(limit).bind(owner).bind(viewer).fetch_all(pool).await?),
        )
    }

    /// Stories someone other than `user_id` has had open within the presence
    /// window at `now`: one row per person and story, the latest opened first.
    pub async fn desk_open_elsewhere(
        &self,
        user_id: i64,
        now: i64,
        limit: i64,
    ) -> Result<Vec<DeskRow>, StoreError> {
        let sql = format!(
            "SELECT {STORY}, p.since AS at, u.display_name AS who \
             FROM story_presence p JOIN stories s ON s.id = p.story_id JOIN users u ON u.id = p.user_id {OWNER} \
             WHERE p.user_id <> $1 AND p.seen_at >= $2 AND {} \
             ORDER BY p.since DESC, s.id, u.id LIMIT $3",
            in_editions_of("$1")
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(user_id).bind(now - PRESENCE_SECONDS).bind(limit).fetch_all(pool).await?))
    }

    /// `owner_id`'s drafts, the latest changed first.
    pub async fn desk_drafts_of(
        &self,
        owner_id: i64,
        limit: i64,
    ) -> Result<Vec<DeskRow>, StoreError> {
        let sql = format!(
            "SELECT {STORY}, s.modified_at AS at FROM stories s {OWNER} \
             WHERE s.status = 'draft' AND s.owner_id = $1 \
             ORDER BY s.modified_at DESC, s.id DESC LIMIT $2"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(owner_id).bind(limit).fetch_all(pool).await?),
        )
    }

    /// `owner_id`'s drafts an editor sent back and that have not been submitted
    /// since: the newest review note is newer than the last submission. Each
    /// with that note, who wrote it and when; the latest sent back first.
    pub async fn desk_sent_back_to(
        &self,
        owner_id: i64,
        limit: i64,
    ) -> Result<Vec<DeskRow>, StoreError> {
        let sql = format!(
            "SELECT {STORY}, n.created_at AS at, n.author_name AS who, n.note \
             FROM stories s JOIN review_notes n ON n.id = (SELECT MAX(r.id) FROM review_notes r WHERE r.story_id = s.id) {OWNER} \
             WHERE s.status = 'draft' AND s.owner_id = $1 AND s.scheduled_for IS NULL \
             AND (s.submitted_at IS NULL OR s.submitted_at < n.created_at) \
             ORDER BY n.created_at DESC, s.id DESC LIMIT $2"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(owner_id).bind(limit).fetch_all(pool).await?),
        )
    }

    /// A story's review notes, newest first.
    pub async fn review_notes(&self, story_id: i64) -> Result<Vec<ReviewNoteRecord>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT note, author_name, created_at FROM review_notes WHERE story_id = $1 \
             ORDER BY created_at DESC, id DESC",
        ).bind(story_id).fetch_all(pool).await?))
    }
}
