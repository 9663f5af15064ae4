//! Moderation and comment settings as the newsroom changes them, each one transaction with its audit row and invalidation-log rows: a story's settings, approving or rejecting a comment, barring a reader; and what moderators read: the queue and a reader's history.

use super::editions::in_editions_of;
use super::{keys, on_pool, BeginWrite, Store, StoreError};
use crate::domain::comment::Mode;

/// A moderator's decision on one comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Published (or kept, if it was reported).
    Approve,
    /// Never shown again.
    Reject,
}

/// Who decides, why and when: the audit row's actor, detail and time.
#[derive(Debug, Clone, Copy)]
pub struct ModerationNote<'a> {
    pub actor: &'a str,
    pub reason: &'a str,
    pub at: i64,
}

/// A comment in the moderation queue or a reader's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ModeratedComment {
    pub id: i64,
    pub story_id: i64,
    pub headline: String,
    pub reader_id: i64,
    pub reader_name: String,
    pub reader_banned: bool,
    pub parent_id: Option<i64>,
    pub body: String,
    pub status: String,
    pub created_at: i64,
    pub reported_at: Option<i64>,
    pub reports: i64,
}

/// What moderators read about a comment's reports.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Report {
    pub comment_id: i64,
    pub reason: String,
}

const MODERATED: &str = "SELECT c.id, c.story_id, s.headline, c.reader_id, \
     r.display_name AS reader_name, (r.banned_at IS NOT NULL) AS reader_banned, c.parent_id, \
     c.body, c.status, c.created_at, c.reported_at, \
     (SELECT COUNT(*) FROM comment_reports p WHERE p.comment_id = c.id) AS reports \
     FROM comments c JOIN readers r ON r.id = c.reader_id JOIN stories s ON s.id = c.story_id";

const AUDIT: &str =
    "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)";

impl Store {
    /// Sets a story's comment mode and whether comments are closed, with its
    /// audit row, and logs the article's and the comments page's keys (the
    /// article links to its comments only while they are on). Returns the keys.
    pub async fn set_comment_settings(
        &self,
        story_id: i64,
        mode: Mode,
        closed: bool,
        actor: &str,
        detail: &str,
        at: i64,
    ) -> Result<Vec<String>, StoreError> {
        let log = self.log_invalidation_sql();
        let logged = format!("{} {}", keys::story(story_id), keys::comments(story_id));
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO comment_settings (story_id, mode, closed_at, count_stale) \
                 VALUES ($1, $2, CASE WHEN $3 = 1 THEN $4 END, 1) \
                 ON CONFLICT (story_id) DO UPDATE SET mode = excluded.mode, \
                 closed_at = CASE WHEN $3 = 1 THEN COALESCE(comment_settings.closed_at, $4) END",
            )
            .bind(story_id).bind(mode.as_str()).bind(i64::from(closed)).bind(at)
            .execute(&mut *tx).await?;
            sqlx::query(AUDIT)
                .bind(at).bind(actor).bind("comment settings")
                .bind(format!("story {story_id}")).bind(detail)
                .execute(&mut *tx).await?;
            sqlx::query(log).bind(&logged).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(vec![logged])
    }

    /// Approves or rejects comment `id` with the moderator's reason in the audit
    /// log. When what the public sees changes, the story's count is marked stale
    /// and the comments page's key logged; returns the keys logged, or
    /// `NotFound` for no such comment.
    pub async fn decide_comment(
        &self,
        id: i64,
        decision: Decision,
        note: ModerationNote<'_>,
    ) -> Result<Vec<String>, StoreError> {
        let log = self.log_invalidation_sql();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let found: Option<(i64, String)> = sqlx::query_as(
                "SELECT story_id, status FROM comments WHERE id = $1",
            ).bind(id).fetch_optional(&mut *tx).await?;
            let Some((story_id, status)) = found else {
                return Err(StoreError::NotFound("comment"));
            };
            let (new_status, action) = match decision {
                Decision::Approve => ("published", "approve comment"),
                Decision::Reject => ("rejected", "reject comment"),
            };
            sqlx::query(
                "UPDATE comments SET status = $2, decided_at = $3, reported_at = NULL WHERE id = $1",
            ).bind(id).bind(new_status).bind(note.at).execute(&mut *tx).await?;
            sqlx::query(AUDIT)
                .bind(note.at).bind(note.actor).bind(action)
                .bind(format!("comment {id} on story {story_id}")).bind(note.reason)
                .execute(&mut *tx).await?;
            let mut logged = Vec::new();
            if (status == "published") != (new_status == "published") {
                sqlx::query("UPDATE comment_settings SET count_stale = 1 WHERE story_id = $1")
                    .bind(story_id).execute(&mut *tx).await?;
                let key = keys::comments(story_id);
                sqlx::query(log).bind(&key).execute(&mut *tx).await?;
                logged.push(key);
            }
            tx.commit().await?;
            Ok(logged)
        })
    }

    /// Bars reader `reader_id` from commenting (posting reads the bar in its own
    /// transaction, so it holds on every node from the commit) and rejects the
    /// reader's comments still waiting, with the reason in the audit log.
    pub async fn ban_reader(
        &self,
        reader_id: i64,
        note: ModerationNote<'_>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let barred = sqlx::query(
                "UPDATE readers SET banned_at = COALESCE(banned_at, $2), ban_reason = $3 WHERE id = $1",
            )
            .bind(reader_id).bind(note.at).bind(note.reason)
            .execute(&mut *tx).await?.rows_affected();
            if barred == 0 {
                return Err(StoreError::NotFound("reader"));
            }
            let rejected = sqlx::query(
                "UPDATE comments SET status = 'rejected', decided_at = $2 \
                 WHERE reader_id = $1 AND status = 'pending'",
            )
            .bind(reader_id).bind(note.at).execute(&mut *tx).await?.rows_affected();
            let detail = match rejected {
                0 => note.reason.to_string(),
                n => format!("{} (and {n} waiting comment(s) rejected)", note.reason),
            };
            sqlx::query(AUDIT)
                .bind(note.at).bind(note.actor).bind("ban reader")
                .bind(format!("reader {reader_id}")).bind(detail)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The moderation queue, oldest first: comments waiting for a moderator and
    /// published ones readers reported, on stories in the editions staff member
    /// `viewer` works in.
    pub async fn moderation_queue(
        &self,
        viewer: i64,
        limit: i64,
    ) -> Result<Vec<ModeratedComment>, StoreError> {
        let sql = format!(
            "{MODERATED} WHERE (c.status = 'pending' OR (c.status = 'published' AND c.reported_at IS NOT NULL)) \
             AND {} ORDER BY COALESCE(c.reported_at, c.created_at), c.id LIMIT $1",
            in_editions_of("$2")
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(limit).bind(viewer).fetch_all(pool).await?),
        )
    }

    /// Everything `reader_id` has written, newest first, on stories in the
    /// editions staff member `viewer` works in.
    pub async fn reader_comments(
        &self,
        reader_id: i64,
        viewer: i64,
        limit: i64,
    ) -> Result<Vec<ModeratedComment>, StoreError> {
        let sql = format!(
            "{MODERATED} WHERE c.reader_id = $1 AND {} \
             ORDER BY c.created_at DESC, c.id DESC LIMIT $2",
            in_editions_of("$3")
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(reader_id).bind(limit).bind(viewer).fetch_all(pool).await?),
        )
    }

    /// The reasons readers gave in their reports of `comment_ids`.
    pub async fn comment_reports(&self, comment_ids: &[i64]) -> Result<Vec<Report>, StoreError> {
        if comment_ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = comment_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT comment_id, reason FROM comment_reports WHERE comment_id IN ({list}) \
             ORDER BY created_at"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }
}
