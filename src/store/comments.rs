//! Readers' comments as the public sees them: a story's comment settings, posting (the ban, the settings and the parent checked inside the posting transaction), the published comments of a page, reporting one, and the scheduler's batched refresh of the counts articles show (migration 0016).

use super::public_lists::PUBLIC;
use super::{keys, on_pool, BeginWrite, Store, StoreError};
use crate::domain::comment::{self, Mode, Refusal, Settings, Status};

/// A comment a reader is posting, its text already checked.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub story_id: i64,
    pub reader_id: i64,
    /// The comment replied to; a reply to a reply goes under its top-level comment.
    pub parent_id: Option<i64>,
    pub body: &'a str,
    pub at: i64,
}

/// What posting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    /// Stored with this id and status (pending under pre-moderation).
    Stored {
        id: i64,
        status: Status,
    },
    Refused(Refusal),
    /// The comment replied to is not a published comment on this story.
    NoSuchParent,
    /// The story is not public at the comment's time (killed, embargoed or
    /// unpublished since the page was read): nothing was stored.
    StoryNotPublic,
}

/// One published comment as a comments page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ShownComment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub reader_name: String,
    pub body: String,
    pub created_at: i64,
}

/// One page of a story's published comments.
#[derive(Debug, Clone, Default)]
pub struct CommentPage {
    /// Top-level comments, in the order asked for.
    pub comments: Vec<ShownComment>,
    /// Their published replies, oldest first.
    pub replies: Vec<ShownComment>,
    /// Published top-level comments in all.
    pub total: i64,
    /// Published comments in all, replies included.
    pub total_with_replies: i64,
}

/// A comment as moderation and reporting find it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRecord {
    pub id: i64,
    pub story_id: i64,
    pub reader_id: i64,
    pub parent_id: Option<i64>,
    pub status: String,
}

/// A reader's comment as their data export lists it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ExportedComment {
    pub id: i64,
    pub story_id: i64,
    pub parent_id: Option<i64>,
    pub body: String,
    pub status: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    mode: String,
    closed_at: Option<i64>,
    shown_count: i64,
}

impl SettingsRow {
    fn settings(self) -> Result<Settings, StoreError> {
        Ok(Settings {
            mode: Mode::parse(&self.mode)
                .ok_or_else(|| StoreError::Corrupt(format!("comment mode {:?}", self.mode)))?,
            closed_at: self.closed_at,
            shown_count: self.shown_count,
        })
    }
}

const SETTINGS: &str =
    "SELECT mode, closed_at, shown_count FROM comment_settings WHERE story_id = $1";

impl Store {
    /// A story's comment settings; off when nobody switched them on.
    pub async fn comment_settings(&self, story_id: i64) -> Result<Settings, StoreError> {
        let row: Option<SettingsRow> = on_pool!(self, pool => sqlx::query_as(SETTINGS)
            .bind(story_id).fetch_optional(pool).await?);
        row.map_or(Ok(Settings::OFF), SettingsRow::settings)
    }

    /// Posts a comment in one transaction that reads the story's visibility, the reader's ban and
    /// verification, the story's settings and the parent as they are at that
    /// moment on every node (PostgreSQL locks the reader's and the settings' rows,
    /// so a ban or a change of settings waits for the post, or the post for it). A published
    /// comment marks the story's count stale and logs the comments page's key.
    pub async fn post_comment(&self, new: &NewComment<'_>) -> Result<Posted, StoreError> {
        let (reader_sql, settings_sql) = match self {
            Store::Sqlite(..) => (
                "SELECT verified_at, banned_at, ban_reason FROM readers WHERE id = $1",
                SETTINGS.to_string(),
            ),
            Store::Postgres(_) => (
                "SELECT verified_at, banned_at, ban_reason FROM readers WHERE id = $1 FOR SHARE",
                // FOR UPDATE, not FOR SHARE: the post may mark the row stale, and two
                // posts that both held a share lock would deadlock upgrading it.
                format!("{SETTINGS} FOR UPDATE"),
            ),
        };
        let log = self.log_invalidation_sql();
        let key = keys::comments(new.story_id);
        // The visibility rule read inside the transaction; on PostgreSQL the share
        // lock makes a kill or an embargo wait for the post, or the post for it.
        let public_sql = format!(
            "SELECT s.id FROM stories s WHERE s.id = $2 AND {PUBLIC}{}",
            if matches!(self, Store::Postgres(_)) {
                " FOR SHARE"
            } else {
                ""
            }
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let public: Option<i64> = sqlx::query_scalar(&public_sql)
                .bind(new.at).bind(new.story_id).fetch_optional(&mut *tx).await?;
            if public.is_none() {
                return Ok(Posted::StoryNotPublic);
            }
            let reader: Option<(Option<i64>, Option<i64>, String)> = sqlx::query_as(reader_sql)
                .bind(new.reader_id).fetch_optional(&mut *tx).await?;
            let Some((verified_at, banned_at, ban_reason)) = reader else {
                return Err(StoreError::NotFound("reader"));
            };
            let settings: Option<SettingsRow> = sqlx::query_as(&settings_sql)
                .bind(new.story_id).fetch_optional(&mut *tx).await?;
            let settings = settings.map_or(Ok(Settings::OFF), SettingsRow::settings)?;
            let banned = banned_at.map(|_| ban_reason.as_str());
            let status = match comment::may_post(&settings, verified_at.is_some(), banned) {
                Ok(status) => status,
                Err(refusal) => return Ok(Posted::Refused(refusal)),
            };
            let parent_id = match new.parent_id {
                None => None,
                Some(parent) => {
                    let found: Option<(i64, Option<i64>)> = sqlx::query_as(
                        "SELECT id, parent_id FROM comments \
                         WHERE id = $1 AND story_id = $2 AND status = 'published'",
                    )
                    .bind(parent).bind(new.story_id).fetch_optional(&mut *tx).await?;
                    match found {
                        Some((id, grandparent)) => Some(grandparent.unwrap_or(id)),
                        None => return Ok(Posted::NoSuchParent),
                    }
                }
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO comments (story_id, reader_id, parent_id, body, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(new.story_id).bind(new.reader_id).bind(parent_id).bind(new.body)
            .bind(status.as_str()).bind(new.at)
            .fetch_one(&mut *tx).await?;
            if status == Status::Published {
                sqlx::query("UPDATE comment_settings SET count_stale = 1 WHERE story_id = $1")
                    .bind(new.story_id).execute(&mut *tx).await?;
                sqlx::query(log).bind(&key).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(Posted::Stored { id, status })
        })
    }

    /// A page of `story_id`'s published top-level comments, newest first unless
    /// `oldest_first`, with their published replies.
    pub async fn comment_page(
        &self,
        story_id: i64,
        oldest_first: bool,
        limit: i64,
        offset: i64,
    ) -> Result<CommentPage, StoreError> {
        let order = if oldest_first {
            "c.created_at, c.id"
        } else {
            "c.created_at DESC, c.id DESC"
        };
        let select =
            "SELECT c.id, c.parent_id, r.display_name AS reader_name, c.body, c.created_at \
                      FROM comments c JOIN readers r ON r.id = c.reader_id";
        let top = format!(
            "{select} WHERE c.story_id = $1 AND c.status = 'published' AND c.parent_id IS NULL \
             ORDER BY {order} LIMIT $2 OFFSET $3"
        );
        let replies = format!(
            "{select} WHERE c.story_id = $1 AND c.status = 'published' AND c.parent_id IN \
             (SELECT t.id FROM comments t WHERE t.story_id = $1 AND t.status = 'published' \
              AND t.parent_id IS NULL ORDER BY {} LIMIT $2 OFFSET $3) \
             ORDER BY c.created_at, c.id",
            order.replace("c.", "t.")
        );
        let totals =
            "SELECT COALESCE(SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END), 0), COUNT(*) \
                      FROM comments WHERE story_id = $1 AND status = 'published'";
        on_pool!(self, pool => {
            let comments: Vec<ShownComment> = sqlx::query_as(&top)
                .bind(story_id).bind(limit).bind(offset).fetch_all(pool).await?;
            let replies: Vec<ShownComment> = sqlx::query_as(&replies)
                .bind(story_id).bind(limit).bind(offset).fetch_all(pool).await?;
            let (total, total_with_replies): (i64, i64) = sqlx::query_as(totals)
                .bind(story_id).fetch_one(pool).await?;
            Ok(CommentPage { comments, replies, total, total_with_replies })
        })
    }

    /// The comment `id`, whatever its status.
    pub async fn comment(&self, id: i64) -> Result<Option<CommentRecord>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, story_id, reader_id, parent_id, status FROM comments WHERE id = $1",
        ).bind(id).fetch_optional(pool).await?))
    }

    /// Records `reader_id`'s report of a published comment (once per reader) and
    /// puts the comment in the moderation queue; false when the comment is not
    /// published or the reader had reported it already.
    pub async fn report_comment(
        &self,
        comment_id: i64,
        reader_id: i64,
        reason: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let added = sqlx::query(
                "INSERT INTO comment_reports (comment_id, reader_id, reason, created_at) \
                 SELECT id, $2, $3, $4 FROM comments WHERE id = $1 AND status = 'published' \
                 ON CONFLICT DO NOTHING",
            )
            .bind(comment_id).bind(reader_id).bind(reason).bind(at)
            .execute(&mut *tx).await?.rows_affected() > 0;
            if added {
                sqlx::query("UPDATE comments SET reported_at = COALESCE(reported_at, $2) WHERE id = $1")
                    .bind(comment_id).bind(at).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Recounts the published comments of up to `batch` stories whose count is
    /// stale and returns their ids. The flags are cleared before counting, in
    /// the same transaction: a comment committed after the clear sets its flag
    /// again for the next round, and on PostgreSQL the count, a later statement,
    /// sees every comment committed before the clear.
    pub async fn refresh_comment_counts(&self, batch: i64) -> Result<Vec<i64>, StoreError> {
        // A read first, so that the usual answer (nothing stale) takes no write lock.
        let stale: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT story_id FROM comment_settings WHERE count_stale = 1 LIMIT 1",
        ).fetch_optional(pool).await?);
        if stale.is_none() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ids: Vec<i64> = sqlx::query_scalar(
                "UPDATE comment_settings SET count_stale = 0 WHERE story_id IN \
                 (SELECT story_id FROM comment_settings WHERE count_stale = 1 LIMIT $1) \
                 RETURNING story_id",
            )
            .bind(batch).fetch_all(&mut *tx).await?;
            for id in &ids {
                sqlx::query(
                    "UPDATE comment_settings SET shown_count = \
                     (SELECT COUNT(*) FROM comments WHERE story_id = $1 AND status = 'published') \
                     WHERE story_id = $1",
                )
                .bind(*id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// Everything `reader_id` wrote and reported, oldest first: for the reader's data export.
    pub async fn reader_comment_rows(
        &self,
        reader_id: i64,
    ) -> Result<(Vec<ExportedComment>, Vec<(i64, String, i64)>), StoreError> {
        on_pool!(self, pool => {
            let comments: Vec<ExportedComment> = sqlx::query_as(
                "SELECT id, story_id, parent_id, body, status, created_at FROM comments \
                 WHERE reader_id = $1 ORDER BY created_at, id",
            ).bind(reader_id).fetch_all(pool).await?;
            let reports: Vec<(i64, String, i64)> = sqlx::query_as(
                "SELECT comment_id, reason, created_at FROM comment_reports \
                 WHERE reader_id = $1 ORDER BY created_at, comment_id",
            ).bind(reader_id).fetch_all(pool).await?;
            Ok((comments, reports))
        })
    }
}
