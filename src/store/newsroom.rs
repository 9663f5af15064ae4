//! What the newsroom needs beyond the public pages: story lists by workflow
//! stage, revision history, workflow times, corrections, fronts and presence.

use super::{on_pool, Store, StoreError};
use crate::domain::front::Front;
use crate::domain::section::SectionTree;
use crate::domain::story::StoryContent;

/// Which stories the newsroom list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFilter {
    /// Drafts owned by the given user.
    MyDrafts(i64),
    AwaitingReview,
    Scheduled,
    Published,
    Killed,
    /// Imported from a legacy page that described a lead picture it did not
    /// contain, and still without one.
    ImportedWithoutPicture,
    /// Every story.
    All,
}

/// A line in the newsroom's story list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NewsroomRow {
    pub id: i64,
    pub headline: String,
    pub section_id: i64,
    pub status: String,
    pub submitted_at: Option<i64>,
    pub scheduled_for: Option<i64>,
    pub embargo_until: Option<i64>,
    pub modified_at: i64,
    pub owner_name: Option<String>,
    /// When it became a live page (`None`: not one), and when that ended.
    pub live_started_at: Option<i64>,
    pub live_ended_at: Option<i64>,
}

/// One saved version of a story.
#[derive(Debug, Clone)]
pub struct RevisionRecord {
    pub number: i64,
    pub action: String,
    pub author: String,
    pub at: i64,
    pub published: bool,
    pub content: StoryContent,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    number: i64,
    action: String,
    author: String,
    created_at: i64,
    published: i64,
    content: String,
}

impl RevisionRow {
    fn into_record(self) -> Result<RevisionRecord, StoreError> {
        Ok(RevisionRecord {
            number: self.number,
            action: self.action,
            author: self.author,
            at: self.created_at,
            published: self.published != 0,
            content: serde_json::from_str(&self.content)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        })
    }
}

/// Someone else with a story open in the editor.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Presence {
    pub display_name: String,
    pub since: i64,
}

/// A dated correction note.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Correction {
    pub at: i64,
    pub text: String,
    pub author: String,
}

const REVISION_COLUMNS: &str = "number, action, author, created_at, published, content";

impl Store {
    /// The newsroom's story list, newest change first, optionally only headlines containing `search`.
    pub async fn newsroom_stories(
        &self,
        filter: ListFilter,
        search: &str,
        limit: i64,
    ) -> Result<Vec<NewsroomRow>, StoreError> {
        self.newsroom_stories_for(0, filter, search, limit).await
    }

    /// As [`Store::newsroom_stories`], only stories of the editions the member
    /// of staff `viewer` works in (0: every edition).
    pub async fn newsroom_stories_for(
        &self,
        viewer: i64,
        filter: ListFilter,
        search: &str,
        limit: i64,
    ) -> Result<Vec<NewsroomRow>, StoreError> {
        let condition = match filter {
            ListFilter::MyDrafts(_) => "s.status = 'draft' AND s.owner_id = $3",
            ListFilter::AwaitingReview => {
                "s.status = 'draft' AND s.submitted_at IS NOT NULL AND s.scheduled_for IS NULL"
            }
            ListFilter::Scheduled => "s.status = 'draft' AND s.scheduled_for IS NOT NULL",
            ListFilter::Published => "s.status = 'published'",
            ListFilter::Killed => "s.status = 'killed'",
            ListFilter::ImportedWithoutPicture => {
                "s.lead_image_id IS NULL AND EXISTS (SELECT 1 FROM story_imports i WHERE i.story_id = s.id \
                 AND (i.missing_image_alt IS NOT NULL OR i.missing_image_caption IS NOT NULL))"
            }
            ListFilter::All => "1 = 1",
        };
        let owner = match filter {
            ListFilter::MyDrafts(id) => id,
            _ => 0,
        };
        // LOWER(…) LIKE works the same on both databases; the pattern's wildcards are escaped.
        // $3 appears in every variant ("$3 = $3") so the bound parameters are always the same.
        let pattern = format!(
            "%{}%",
            search
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let sql = format!(
            "SELECT s.id, s.headline, s.section_id, s.status, s.submitted_at, s.scheduled_for, s.embargo_until, \
             s.modified_at, u.display_name AS owner_name, lp.started_at AS live_started_at, lp.ended_at AS live_ended_at \
             FROM stories s LEFT JOIN users u ON u.id = s.owner_id LEFT JOIN live_pages lp ON lp.story_id = s.id \
             WHERE {condition} AND ($3 = $3) AND {} AND LOWER(s.headline) LIKE $1 ESCAPE '\\' ORDER BY s.modified_at DESC, s.id DESC LIMIT $2",
            super::editions::in_editions_of("$4")
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(pattern).bind(limit).bind(owner).bind(viewer).fetch_all(pool).await?),
        )
    }

    pub async fn revisions(&self, story_id: i64) -> Result<Vec<RevisionRecord>, StoreError> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM story_revisions WHERE story_id = $1 ORDER BY number"
        );
        let rows: Vec<RevisionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(story_id).fetch_all(pool).await?);
        rows.into_iter().map(RevisionRow::into_record).collect()
    }

    pub async fn revision(
        &self,
        story_id: i64,
        number: i64,
    ) -> Result<Option<RevisionRecord>, StoreError> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM story_revisions WHERE story_id = $1 AND number = $2"
        );
        let row: Option<RevisionRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(story_id).bind(number).fetch_optional(pool).await?);
        row.map(RevisionRow::into_record).transpose()
    }

    pub async fn newest_revision(
        &self,
        story_id: i64,
    ) -> Result<Option<RevisionRecord>, StoreError> {
        let sql = format!("SELECT {REVISION_COLUMNS} FROM story_revisions WHERE story_id = $1 ORDER BY number DESC LIMIT 1");
        let row: Option<RevisionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(story_id).fetch_optional(pool).await?);
        row.map(RevisionRow::into_record).transpose()
    }

    /// Revisions that were public, oldest first: the readers' history of a story.
    pub async fn published_revisions(
        &self,
        story_id: i64,
    ) -> Result<Vec<RevisionRecord>, StoreError> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM story_revisions WHERE story_id = $1 AND published = 1 ORDER BY number"
        );
        let rows: Vec<RevisionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(story_id).fetch_all(pool).await?);
        rows.into_iter().map(RevisionRow::into_record).collect()
    }

    /// Marks a draft as submitted for review (`Some(time)`) or back to draft (`None`).
    pub async fn set_submitted(&self, id: i64, at: Option<i64>) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE stories SET submitted_at = $2 WHERE id = $1").bind(id).bind(at).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn set_schedule(&self, id: i64, at: Option<i64>) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE stories SET scheduled_for = $2 WHERE id = $1").bind(id).bind(at).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn set_embargo(&self, id: i64, until: Option<i64>) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE stories SET embargo_until = $2 WHERE id = $1").bind(id).bind(until).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Ids of unpublished stories whose scheduled time has come and whose embargo has passed.
    pub async fn due_stories(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT id FROM stories WHERE status = 'draft' AND scheduled_for <= $1 \
             AND (embargo_until IS NULL OR embargo_until <= $1) ORDER BY scheduled_for",
        ).bind(now).fetch_all(pool).await?))
    }

    pub async fn add_correction(
        &self,
        story_id: i64,
        at: i64,
        text: &str,
        author: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("INSERT INTO corrections (story_id, at, text, author) VALUES ($1, $2, $3, $4)")
            .bind(story_id).bind(at).bind(text).bind(author).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn corrections(&self, story_id: i64) -> Result<Vec<Correction>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT at, text, author FROM corrections WHERE story_id = $1 ORDER BY at, id",
        ).bind(story_id).fetch_all(pool).await?))
    }

    /// The editor-chosen order of a front (stored under [`Front::key`]).
    pub async fn placements(
        &self,
        front: Front,
        sections: &SectionTree,
    ) -> Result<Vec<i64>, StoreError> {
        let Some(key) = front.key(sections) else {
            return Ok(Vec::new());
        };
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT story_id FROM front_placements WHERE front = $1 ORDER BY position",
        ).bind(&key).fetch_all(pool).await?))
    }

    /// The placements of several fronts at once: each front's story ids in order
    /// (fronts with none are left out).
    pub async fn placements_of(
        &self,
        fronts: &[Front],
        sections: &SectionTree,
    ) -> Result<std::collections::HashMap<Front, Vec<i64>>, StoreError> {
        let mut placements = std::collections::HashMap::new();
        let keys: Vec<(String, Front)> = fronts
            .iter()
            .filter_map(|f| Some((f.key(sections)?, *f)))
            .collect();
        if keys.is_empty() {
            return Ok(placements);
        }
        let rows: Vec<(String, i64)> = on_pool!(self, pool => {
            let mut query = sqlx::QueryBuilder::new("SELECT front, story_id FROM front_placements WHERE front IN (");
            let mut list = query.separated(", ");
            for (key, _) in &keys {
                list.push_bind(key.as_str());
            }
            query.push(") ORDER BY front, position");
            query.build_query_as().fetch_all(pool).await?
        });
        for (key, id) in rows {
            if let Some((_, front)) = keys.iter().find(|(k, _)| *k == key) {
                placements.entry(*front).or_insert_with(Vec::new).push(id);
            }
        }
        Ok(placements)
    }

    /// Records that `user_id` has the story open now, keeping when they first opened it.
    pub async fn touch_presence(
        &self,
        story_id: i64,
        user_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO story_presence (story_id, user_id, since, seen_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (story_id, user_id) DO UPDATE SET seen_at = excluded.seen_at, \
             since = CASE WHEN story_presence.seen_at < $4 THEN excluded.since ELSE story_presence.since END",
        )
        .bind(story_id).bind(user_id).bind(now).bind(now - PRESENCE_SECONDS)
        .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Others who have had the story open within the presence window.
    pub async fn others_present(
        &self,
        story_id: i64,
        user_id: i64,
        now: i64,
    ) -> Result<Vec<Presence>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT u.display_name, p.since FROM story_presence p JOIN users u ON u.id = p.user_id \
             WHERE p.story_id = $1 AND p.user_id <> $2 AND p.seen_at >= $3 ORDER BY p.since",
        ).bind(story_id).bind(user_id).bind(now - PRESENCE_SECONDS).fetch_all(pool).await?))
    }

    pub async fn leave_presence(&self, story_id: i64, user_id: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM story_presence WHERE story_id = $1 AND user_id = $2")
            .bind(story_id).bind(user_id).execute(pool).await?.rows_affected());
        Ok(())
    }
}

/// How long an open editor counts as present after it was last loaded or saved.
pub const PRESENCE_SECONDS: i64 = 15 * 60;
