//! The daily e-mail's records: each reader's hour and last day, the claim that gives each reader's day to exactly one node (with its e-mail, in one transaction), and the one-click unsubscribe links (migration 0017).

use super::outbox::insert_outbox;
use super::{on_pool, BeginWrite, NewOutboxRow, Store, StoreError};

/// How long an unsubscribe link from a daily e-mail keeps working.
pub const UNSUBSCRIBE_KEEP_SECONDS: i64 = 90 * 24 * 60 * 60;

/// A reader whose daily e-mail is due.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueReader {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// The edition whose language the e-mail is written in.
    pub edition_id: i64,
    /// The day last claimed (yyyymmdd), to give back if sending fails.
    pub last_daily_on: Option<i64>,
}

/// What a claimed day's e-mail writes with the claim.
#[derive(Debug, Clone)]
pub struct DailyEmail<'a> {
    /// The SHA-256 of the e-mail's unsubscribe link's secret.
    pub unsubscribe_hash: &'a str,
    /// The e-mail, as its outbox row.
    pub outbox: NewOutboxRow<'a>,
}

/// Who took a reader's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DailyClaim {
    /// Another node did first (or the reader is no longer due).
    Elsewhere,
    /// This call did; `outbox_id` is the e-mail written with it, if any.
    Claimed { outbox_id: Option<i64> },
}

impl Store {
    /// Sets the hour of the reader's daily e-mail (`None`: no e-mail). With
    /// `day_done`, that day counts as already sent (see `domain::follow::day_done_on_choosing`).
    pub async fn set_daily_hour(
        &self,
        reader_id: i64,
        hour: Option<i64>,
        day_done: Option<i64>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE readers SET daily_email_hour = $2, last_daily_on = COALESCE($3, last_daily_on) WHERE id = $1",
        ).bind(reader_id).bind(hour).bind(day_done).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The last day whose daily e-mail was claimed for the reader (yyyymmdd).
    pub async fn last_daily_on(&self, reader_id: i64) -> Result<Option<i64>, StoreError> {
        let day: Option<Option<i64>> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT last_daily_on FROM readers WHERE id = $1",
        ).bind(reader_id).fetch_optional(pool).await?);
        Ok(day.flatten())
    }

    /// Up to `limit` verified readers whose e-mail is due on `day` at `hour` (their hour
    /// has come and the day is not claimed). Only a look: [`Store::claim_daily`] decides.
    pub async fn due_daily_readers(
        &self,
        day: i64,
        hour: i64,
        limit: i64,
    ) -> Result<Vec<DueReader>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, email, display_name, edition_id, last_daily_on FROM readers \
             WHERE daily_email_hour IS NOT NULL AND daily_email_hour <= $2 \
               AND (last_daily_on IS NULL OR last_daily_on < $1) AND verified_at IS NOT NULL \
             ORDER BY id LIMIT $3",
        ).bind(day).bind(hour).bind(limit).fetch_all(pool).await?))
    }

    /// Claims the reader's e-mail for `day`, `UPDATE … WHERE last_daily_on < day …
    /// RETURNING`, and writes what goes with it in the same transaction: with
    /// `email`, its unsubscribe link and its outbox row (and the reader's links
    /// older than [`UNSUBSCRIBE_KEEP_SECONDS`] go). However many nodes try, one
    /// claims the day (on PostgreSQL the others wait for its row lock and then
    /// find the day taken; SQLite has one writer), and the claim and the message
    /// commit together or not at all, so the e-mail is written exactly once.
    pub async fn claim_daily(
        &self,
        reader_id: i64,
        day: i64,
        hour: i64,
        email: Option<&DailyEmail<'_>>,
        now: i64,
    ) -> Result<DailyClaim, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let claimed: Option<i64> = sqlx::query_scalar(
                "UPDATE readers SET last_daily_on = $2 \
                 WHERE id = $1 AND daily_email_hour IS NOT NULL AND daily_email_hour <= $3 \
                   AND (last_daily_on IS NULL OR last_daily_on < $2) AND verified_at IS NOT NULL \
                 RETURNING id",
            ).bind(reader_id).bind(day).bind(hour).fetch_optional(&mut *tx).await?;
            if claimed.is_none() {
                return Ok(DailyClaim::Elsewhere);
            }
            let mut outbox_id = None;
            if let Some(email) = email {
                sqlx::query("DELETE FROM reader_unsubscribe_tokens WHERE reader_id = $1 AND created_at < $2")
                    .bind(reader_id).bind(now - UNSUBSCRIBE_KEEP_SECONDS).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO reader_unsubscribe_tokens (token_hash, reader_id, created_at) VALUES ($1, $2, $3)")
                    .bind(email.unsubscribe_hash).bind(reader_id).bind(now).execute(&mut *tx).await?;
                outbox_id = Some(insert_outbox!(&email.outbox).fetch_one(&mut *tx).await?);
            }
            tx.commit().await?;
            Ok(DailyClaim::Claimed { outbox_id })
        })
    }

    /// Whether an unsubscribe link (the SHA-256 of its secret) works.
    pub async fn unsubscribe_link_works(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT reader_id FROM reader_unsubscribe_tokens WHERE token_hash = $1 AND created_at >= $2",
        ).bind(token_hash).bind(now - UNSUBSCRIBE_KEEP_SECONDS).fetch_optional(pool).await?);
        Ok(found.is_some())
    }

    /// Stops the daily e-mail of the reader whose unsubscribe link this is; false
    /// when the link is unknown or too old. Using it twice is harmless.
    pub async fn unsubscribe_daily(&self, token_hash: &str, now: i64) -> Result<bool, StoreError> {
        let reader: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "UPDATE readers SET daily_email_hour = NULL WHERE id = \
             (SELECT reader_id FROM reader_unsubscribe_tokens WHERE token_hash = $1 AND created_at >= $2) \
             RETURNING id",
        ).bind(token_hash).bind(now - UNSUBSCRIBE_KEEP_SECONDS).fetch_optional(pool).await?);
        Ok(reader.is_some())
    }
}
