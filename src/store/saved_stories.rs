//! Readers' saved stories: saving and removing one (each logged so every node drops its copy of the reader), the ids a reader has saved, and the public ones, newest saved first.

use super::public_lists::{StorySummary, PUBLIC, SUMMARY_SELECT};
use super::{on_pool, BeginWrite, Store, StoreError};

/// The most stories one reader keeps saved. Each node keeps the ids of its
/// signed-in readers' saved stories in memory, so this also bounds that copy.
pub const MAX_SAVED_STORIES: i64 = 500;

/// What saving a story did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved,
    /// It was saved already; nothing changed.
    AlreadySaved,
    /// The reader has [`MAX_SAVED_STORIES`] saved; nothing changed.
    Full,
}

/// A saved story as the saved page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SavedStory {
    #[sqlx(flatten)]
    pub story: StorySummary,
    pub saved_at: i64,
}

/// The public saved stories on one page, and how many there are in all.
#[derive(Debug, Clone)]
pub struct SavedPage {
    pub stories: Vec<SavedStory>,
    pub total: i64,
}

impl Store {
    /// The statement that logs `$1` for every node, this one included: written
    /// without a node name, like migration 0015's triggers.
    pub(super) fn log_for_every_node_sql(&self) -> &'static str {
        match self {
            Store::Sqlite(..) => {
                "INSERT INTO invalidations (keys, at, node) VALUES ($1, unixepoch(), NULL)"
            }
            Store::Postgres(_) => {
                "INSERT INTO invalidations (keys, at, node) \
                 VALUES ($1, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT), NULL)"
            }
        }
    }

    /// Saves `story_id` for `reader_id`, and logs `key` (the reader's copies) in
    /// the same transaction. The caller has checked that the story is public.
    pub async fn save_story(
        &self,
        reader_id: i64,
        story_id: i64,
        now: i64,
        key: &str,
    ) -> Result<SaveOutcome, StoreError> {
        let log = self.log_for_every_node_sql();
        let lock = match self {
            // The write lock is already the whole database's.
            Store::Sqlite(..) => "SELECT id FROM readers WHERE id = $1",
            // Two saves by one reader wait for each other, so the count below holds.
            Store::Postgres(_) => "SELECT id FROM readers WHERE id = $1 FOR UPDATE",
        };
        let outcome = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let reader: Option<i64> = sqlx::query_scalar(lock)
                .bind(reader_id)
                .fetch_optional(&mut *tx)
                .await?;
            if reader.is_none() {
                return Err(StoreError::NotFound("reader"));
            }
            let (saved, count): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN story_id = $2 THEN 1 ELSE 0 END), 0), COUNT(*) \
                 FROM saved_stories WHERE reader_id = $1",
            )
            .bind(reader_id)
            .bind(story_id)
            .fetch_one(&mut *tx)
            .await?;
            let outcome = if saved > 0 {
                SaveOutcome::AlreadySaved
            } else if count >= MAX_SAVED_STORIES {
                SaveOutcome::Full
            } else {
                sqlx::query("INSERT INTO saved_stories (reader_id, story_id, saved_at) VALUES ($1, $2, $3)")
                    .bind(reader_id)
                    .bind(story_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(log).bind(key).execute(&mut *tx).await?;
                SaveOutcome::Saved
            };
            tx.commit().await?;
            outcome
        });
        Ok(outcome)
    }

    /// Removes `story_id` from `reader_id`'s saved stories, logging `key` when it
    /// was there; false when it was not.
    pub async fn remove_saved_story(
        &self,
        reader_id: i64,
        story_id: i64,
        key: &str,
    ) -> Result<bool, StoreError> {
        let log = self.log_for_every_node_sql();
        let removed = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let removed = sqlx::query("DELETE FROM saved_stories WHERE reader_id = $1 AND story_id = $2")
                .bind(reader_id)
                .bind(story_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if removed {
                sqlx::query(log).bind(key).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            removed
        });
        Ok(removed)
    }

    /// Every story `reader_id` has saved, public or not (at most [`MAX_SAVED_STORIES`]).
    pub async fn saved_story_ids(&self, reader_id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT story_id FROM saved_stories WHERE reader_id = $1 ORDER BY story_id LIMIT $2",
        )
        .bind(reader_id)
        .bind(MAX_SAVED_STORIES)
        .fetch_all(pool)
        .await?))
    }

    /// Every story `reader_id` has saved and when, newest saved first, public or
    /// not: for the reader's data export.
    pub async fn saved_story_rows(&self, reader_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT story_id, saved_at FROM saved_stories WHERE reader_id = $1 \
             ORDER BY saved_at DESC, story_id DESC",
        )
        .bind(reader_id)
        .fetch_all(pool)
        .await?))
    }

    /// `reader_id`'s saved stories that are public at `now`, newest saved first:
    /// `limit` of them after `offset`, and how many there are.
    pub async fn saved_stories(
        &self,
        reader_id: i64,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<SavedPage, StoreError> {
        // A story summary's columns and picture join, with the saved rows in front.
        let (columns, pictures) = SUMMARY_SELECT
            .split_once(" FROM stories s")
            .ok_or(StoreError::NotFound("the story summary's columns"))?;
        let list = format!(
            "{columns}, v.saved_at FROM saved_stories v JOIN stories s ON s.id = v.story_id{pictures} \
             WHERE {PUBLIC} AND v.reader_id = $2 \
             ORDER BY v.saved_at DESC, v.story_id DESC LIMIT $3 OFFSET $4"
        );
        let count = format!(
            "SELECT COUNT(*) FROM saved_stories v JOIN stories s ON s.id = v.story_id \
             WHERE {PUBLIC} AND v.reader_id = $2"
        );
        let (stories, total) = on_pool!(self, pool => {
            let stories: Vec<SavedStory> = sqlx::query_as(&list)
                .bind(now)
                .bind(reader_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            let total: i64 = sqlx::query_scalar(&count)
                .bind(now)
                .bind(reader_id)
                .fetch_one(pool)
                .await?;
            (stories, total)
        });
        Ok(SavedPage { stories, total })
    }
}
