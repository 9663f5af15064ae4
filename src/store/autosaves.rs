//! The editor's autosave slots (migration 0020): what a member of staff typed and
//! has not saved, one slot per user and story and one per user for a new story,
//! each replaced by one statement per autosave; never a revision, never public,
//! no audit row, no invalidation-log row.

use super::{on_pool, Store, StoreError};

/// Which slot: a user's slot on one story, or their slot for a story not yet created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Story(i64),
    NewStory,
}

impl Slot {
    fn story_id(self) -> Option<i64> {
        match self {
            Slot::Story(id) => Some(id),
            Slot::NewStory => None,
        }
    }
}

/// A slot as stored: the form's fields as JSON, as the web layer wrote them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Autosave {
    pub base_revision: Option<i64>,
    pub form: String,
    pub saved_at: i64,
}

/// The newest revision of a story as the autosave's answer names it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NewestRevision {
    pub number: i64,
    /// What the revision records as its author (the staff e-mail address).
    pub author: String,
    /// The author's display name, when the author is a member of staff.
    pub display_name: Option<String>,
    pub created_at: i64,
}

impl Store {
    /// Replaces the user's slot with this form, in one statement (an autosave comes
    /// every few seconds while someone types).
    pub async fn upsert_autosave(
        &self,
        user_id: i64,
        slot: Slot,
        base_revision: Option<i64>,
        form: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        // Each kind of slot has its own partial unique index, named by its predicate.
        let sql = match slot {
            Slot::Story(_) => {
                "INSERT INTO autosaves (user_id, story_id, base_revision, form, saved_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (user_id, story_id) WHERE story_id IS NOT NULL DO UPDATE SET \
                 base_revision = excluded.base_revision, form = excluded.form, saved_at = excluded.saved_at"
            }
            Slot::NewStory => {
                "INSERT INTO autosaves (user_id, story_id, base_revision, form, saved_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (user_id) WHERE story_id IS NULL DO UPDATE SET \
                 base_revision = excluded.base_revision, form = excluded.form, saved_at = excluded.saved_at"
            }
        };
        on_pool!(self, pool => sqlx::query(sql)
            .bind(user_id)
            .bind(slot.story_id())
            .bind(base_revision)
            .bind(form)
            .bind(at)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(())
    }

    /// The user's slot, if they have one.
    pub async fn autosave(&self, user_id: i64, slot: Slot) -> Result<Option<Autosave>, StoreError> {
        let sql = match slot {
            Slot::Story(_) => {
                "SELECT base_revision, form, saved_at FROM autosaves WHERE user_id = $1 AND story_id = $2"
            }
            // $2 is bound (NULL) either way, so both texts take the same parameters.
            Slot::NewStory => {
                "SELECT base_revision, form, saved_at FROM autosaves \
                 WHERE user_id = $1 AND story_id IS NULL AND $2 IS NULL"
            }
        };
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(user_id)
            .bind(slot.story_id())
            .fetch_optional(pool)
            .await?))
    }

    /// Empties the user's slot; true if there was one.
    pub async fn delete_autosave(&self, user_id: i64, slot: Slot) -> Result<bool, StoreError> {
        let sql = match slot {
            Slot::Story(_) => "DELETE FROM autosaves WHERE user_id = $1 AND story_id = $2",
            Slot::NewStory => {
                "DELETE FROM autosaves WHERE user_id = $1 AND story_id IS NULL AND $2 IS NULL"
            }
        };
        let deleted = on_pool!(self, pool => sqlx::query(sql)
            .bind(user_id)
            .bind(slot.story_id())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted > 0)
    }

    /// The story's newest revision with its author's name, for telling someone
    /// typing on an older one who saved since.
    pub async fn newest_revision_author(
        &self,
        story_id: i64,
    ) -> Result<Option<NewestRevision>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT r.number, r.author, u.display_name, r.created_at FROM story_revisions r \
             LEFT JOIN users u ON u.email = r.author \
             WHERE r.story_id = $1 ORDER BY r.number DESC LIMIT 1",
        )
        .bind(story_id)
        .fetch_optional(pool)
        .await?))
    }
}

/// The statement a save runs in its transaction to empty the saver's slots
/// (store::editorial): $1 the user, $2 the story, and the new-story slot too
/// when $3 is 1 (the save created the story).
pub(super) const CLEAR_AFTER_SAVE: &str = "DELETE FROM autosaves WHERE user_id = $1 \
     AND (story_id = $2 OR (story_id IS NULL AND $3 = 1))";
