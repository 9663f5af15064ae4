//! The outbox: every outgoing message, held (no SMTP), queued, sent or failed (migration 0013).

use super::{on_pool, Store, StoreError};

/// One message in the outbox, as stored. Statuses and their meaning are `mail::Status`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// Plain text; blank once the message was sent or given up.
    pub body: String,
    /// Extra headers as a JSON array of `[name, value]` pairs; `[]` once sent or given up.
    pub headers: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub next_attempt_at: Option<i64>,
    pub sent_at: Option<i64>,
}

/// A message to write to the outbox.
#[derive(Debug, Clone)]
pub struct NewOutboxRow<'a> {
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub headers: &'a str,
    pub message_id: &'a str,
    pub status: &'a str,
    pub created_at: i64,
    /// For a queued message: when it is first due.
    pub next_attempt_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, recipient, subject, body, headers, message_id, status, attempts, \
                       last_error, created_at, next_attempt_at, sent_at";

/// The query that writes `$row` (a `NewOutboxRow`) to the outbox, returning its id:
/// also for writers that add a message inside a transaction of their own.
macro_rules! insert_outbox {
    ($row:expr) => {{
        let row: &$crate::store::NewOutboxRow<'_> = $row;
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO outbox (kind, recipient, subject, body, headers, message_id, status, \
             created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(row.kind)
        .bind(row.recipient)
        .bind(row.subject)
        .bind(row.body)
        .bind(row.headers)
        .bind(row.message_id)
        .bind(row.status)
        .bind(row.created_at)
        .bind(row.next_attempt_at)
    }};
}
pub(super) use insert_outbox;

impl Store {
    /// Writes a message to the outbox and returns its id.
    pub async fn insert_outbox(&self, row: &NewOutboxRow<'_>) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => insert_outbox!(row).fetch_one(pool).await?))
    }

    /// Claims up to `limit` queued messages due at `now` for one attempt each: their
    /// attempt count goes up and they are held off until `lease_until`, so no other
    /// node (nor this one's next round) takes them while the attempt is under way,
    /// and a node that dies mid-attempt leaves them to be tried again after the lease.
    /// One statement, so two nodes claiming at once never both get a message.
    pub async fn claim_due_outbox(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        // The outer conditions are checked again on the row itself: on PostgreSQL a
        // row another node claimed meanwhile is skipped (SKIP LOCKED) or, if its lock
        // was already released, re-read and no longer due. SQLite has one writer at a
        // time, so its statement runs whole before any other.
        let rows = match self {
            Store::Sqlite(pool, _) => {
                sqlx::query_as(&format!(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2 \
                     WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' \
                       AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3) \
                     RETURNING {COLUMNS}"
                ))
                .bind(now)
                .bind(lease_until)
                .bind(limit)
                .fetch_all(pool)
                .await?
            }
            Store::Postgres(pool) => {
                sqlx::query_as(&format!(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2 \
                     WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' \
                       AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3 \
                       FOR UPDATE SKIP LOCKED) \
                     AND status = 'queued' AND next_attempt_at <= $1 \
                     RETURNING {COLUMNS}"
                ))
                .bind(now)
                .bind(lease_until)
                .bind(limit)
                .fetch_all(pool)
                .await?
            }
        };
        let mut rows: Vec<OutboxRow> = rows;
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    /// Records that the mail server accepted a message. Its body and headers are
    /// blanked: they hold one-time links and unsubscribe tokens, which need not
    /// outlive the message's delivery.
    pub async fn mark_outbox_sent(&self, id: i64, now: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $2, body = '', headers = '[]', \
             last_error = NULL, next_attempt_at = NULL WHERE id = $1",
        ).bind(id).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Records a failed attempt: the message is tried again at `retry_at`, or, when
    /// that is `None`, given up (`failed`) and its body and headers blanked as for
    /// a sent one: its links will never be used.
    pub async fn mark_outbox_unsent(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let sql = if retry_at.is_some() {
            "UPDATE outbox SET last_error = $2, next_attempt_at = $3 WHERE id = $1"
        } else {
            "UPDATE outbox SET status = 'failed', last_error = $2, next_attempt_at = $3, \
             body = '', headers = '[]' WHERE id = $1"
        };
        on_pool!(self, pool => sqlx::query(sql)
            .bind(id).bind(error).bind(retry_at).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The newest messages first, all of them or those to one address (any case).
    pub async fn outbox(
        &self,
        recipient: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        // Two texts rather than `($1 = '' OR …)`, so the one address reads its index.
        let sql = match recipient {
            Some(_) => format!(
                "SELECT {COLUMNS} FROM outbox WHERE lower(recipient) = lower($2) \
                 ORDER BY id DESC LIMIT $1"
            ),
            None => format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"),
        };
        Ok(on_pool!(self, pool => {
            let mut query = sqlx::query_as(&sql).bind(limit);
            if let Some(recipient) = recipient {
                query = query.bind(recipient);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// One message by id.
    pub async fn outbox_message(&self, id: i64) -> Result<Option<OutboxRow>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE id = $1"
        )).bind(id).fetch_optional(pool).await?))
    }

    /// Deletes messages written before `before`, except queued ones still to be tried.
    pub async fn prune_outbox(&self, before: i64) -> Result<u64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query(
            "DELETE FROM outbox WHERE created_at < $1 AND status <> 'queued'",
        ).bind(before).execute(pool).await?.rows_affected()))
    }
}
