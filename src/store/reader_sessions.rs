//! Readers' sessions, signing in by password, and everything stored about one reader for their data export.

use super::readers::ReaderRow;
use super::{on_pool, Store, StoreError};
use crate::domain::reader::Reader;

/// A reader's signed-in session and the reader.
#[derive(Debug, Clone)]
pub struct ReaderSessionRecord {
    pub reader: Reader,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

/// A session joined to its reader.
#[derive(sqlx::FromRow)]
struct SessionJoin {
    #[sqlx(flatten)]
    reader: ReaderRow,
    csrf_token: String,
    session_created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct SessionTimes {
    id_hash: String,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

/// One session as the data export lists it (never its secret or hash).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SessionSummary {
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// The session the export was asked for from.
    pub this_session: bool,
}

/// One mailed link as the data export lists it (never its secret or hash).
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct TokenSummary {
    pub purpose: String,
    pub new_email: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// Everything stored about one reader.
#[derive(Debug, Clone)]
pub struct ReaderData {
    pub reader: Reader,
    pub sessions: Vec<SessionSummary>,
    pub links: Vec<TokenSummary>,
}

impl Store {
    /// A reader and their password hash, by address whatever its case.
    pub async fn reader_for_sign_in(
        &self,
        email: &str,
    ) -> Result<Option<(Reader, String)>, StoreError> {
        let row: Option<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, password_hash FROM readers WHERE lower(email) = lower($1)",
        ).bind(email).fetch_optional(pool).await?);
        let Some((id, hash)) = row else {
            return Ok(None);
        };
        Ok(self.reader(id).await?.map(|r| (r, hash)))
    }

    /// Opens a session, dropping the reader's sessions that have passed their end.
    pub async fn create_reader_session(
        &self,
        id_hash: &str,
        reader_id: i64,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM reader_sessions WHERE reader_id = $1 AND expires_at < $2")
                .bind(reader_id).bind(now).execute(pool).await?;
            sqlx::query(
                "INSERT INTO reader_sessions (id_hash, reader_id, csrf_token, created_at, last_seen_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $4, $5)",
            )
            .bind(id_hash).bind(reader_id).bind(csrf_token).bind(now).bind(expires_at)
            .execute(pool).await?;
        });
        Ok(())
    }

    pub async fn reader_session(
        &self,
        id_hash: &str,
    ) -> Result<Option<ReaderSessionRecord>, StoreError> {
        let row: Option<SessionJoin> = on_pool!(self, pool => sqlx::query_as(
            "SELECT r.id, r.email, r.display_name, r.verified_at, r.created_at, r.banned_at, r.ban_reason, \
             r.daily_email_hour, r.edition_id, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at, s.expires_at \
             FROM reader_sessions s JOIN readers r ON r.id = s.reader_id WHERE s.id_hash = $1",
        ).bind(id_hash).fetch_optional(pool).await?);
        Ok(row.map(|r| ReaderSessionRecord {
            csrf_token: r.csrf_token,
            created_at: r.session_created_at,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
            reader: r.reader.into(),
        }))
    }

    pub async fn touch_reader_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE reader_sessions SET last_seen_at = $2 WHERE id_hash = $1")
            .bind(id_hash).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn delete_reader_session(&self, id_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM reader_sessions WHERE id_hash = $1")
            .bind(id_hash).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Everything stored about a reader; `this_session` marks the session asking.
    pub async fn reader_data(
        &self,
        id: i64,
        this_session: &str,
    ) -> Result<Option<ReaderData>, StoreError> {
        let Some(reader) = self.reader(id).await? else {
            return Ok(None);
        };
        let sessions: Vec<SessionTimes> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id_hash, created_at, last_seen_at, expires_at FROM reader_sessions \
             WHERE reader_id = $1 ORDER BY created_at, id_hash",
        ).bind(id).fetch_all(pool).await?);
        let links: Vec<TokenSummary> = on_pool!(self, pool => sqlx::query_as(
            "SELECT purpose, new_email, created_at, expires_at, used_at FROM reader_tokens \
             WHERE reader_id = $1 ORDER BY created_at, id",
        ).bind(id).fetch_all(pool).await?);
        Ok(Some(ReaderData {
            reader,
            sessions: sessions
                .into_iter()
                .map(|s| SessionSummary {
                    created_at: s.created_at,
                    last_seen_at: s.last_seen_at,
                    expires_at: s.expires_at,
                    this_session: s.id_hash == this_session,
                })
                .collect(),
            links,
        }))
    }
}
