//! Reader accounts and their one-time links: registering, redeeming a link (each in one transaction), settings, deleting, and what a reader's data export holds.

use super::{on_pool, BeginWrite, Store, StoreError};
use crate::domain::reader::{Reader, TokenPurpose};

#[derive(sqlx::FromRow)]
pub(super) struct ReaderRow {
    id: i64,
    email: String,
    display_name: String,
    verified_at: Option<i64>,
    created_at: i64,
    banned_at: Option<i64>,
    ban_reason: String,
    daily_email_hour: Option<i64>,
    edition_id: i64,
}

impl From<ReaderRow> for Reader {
    fn from(r: ReaderRow) -> Reader {
        Reader {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            verified_at: r.verified_at,
            created_at: r.created_at,
            banned_at: r.banned_at,
            ban_reason: r.ban_reason,
            daily_email_hour: r.daily_email_hour,
            edition_id: r.edition_id,
        }
    }
}

/// The columns of [`ReaderRow`], for every query that reads a reader.
pub(super) const READER_COLUMNS: &str =
    "id, email, display_name, verified_at, created_at, banned_at, ban_reason, daily_email_hour, edition_id";

/// A registration as typed, the password already hashed.
pub struct NewReader<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    /// The edition of the page registered on: the language of the reader's e-mails.
    pub edition_id: i64,
}

/// What a registration found, and so which mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registration {
    /// A new account, not yet verified: the token verifies it.
    Created { reader_id: i64 },
    /// The address had an account that was never verified: it now has the new name,
    /// password and edition, earlier verification links no longer work, and the token verifies it.
    Renewed { reader_id: i64 },
    /// The address belongs to a verified account, which is left as it was: the token
    /// signs its owner in, and the mail tells them someone tried to register (in the
    /// language of the account's edition, `edition_id`).
    Existing {
        reader_id: i64,
        display_name: String,
        edition_id: i64,
    },
}

/// A session to open in the same transaction as what signs the reader in.
pub struct NewReaderSession<'a> {
    pub id_hash: &'a str,
    pub csrf_token: &'a str,
    pub expires_at: i64,
}

/// A link that was accepted: the reader as it now is, and for a change of address the old one.
#[derive(Debug, Clone)]
pub struct Redeemed {
    pub reader: Reader,
    pub old_email: Option<String>,
}

/// A valid (unused, unexpired) link, as looked at before it is used.
#[derive(Debug, Clone)]
pub struct TokenLook {
    pub reader_id: i64,
    pub new_email: Option<String>,
}

/// Writes one link inside the transaction `$tx`, lasting as long as its purpose allows,
/// first dropping the reader's links that ended a day ago or more (a macro, as the transaction's type differs by database).
macro_rules! insert_token {
    ($tx:expr, $reader_id:expr, $purpose:expr, $token_hash:expr, $new_email:expr, $now:expr) => {{
        sqlx::query("DELETE FROM reader_tokens WHERE reader_id = $1 AND expires_at < $2")
            .bind($reader_id)
            .bind($now - 24 * 60 * 60)
            .execute(&mut *$tx)
            .await?;
        sqlx::query(
            "INSERT INTO reader_tokens (token_hash, reader_id, purpose, new_email, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($token_hash)
        .bind($reader_id)
        .bind($purpose.as_str())
        .bind($new_email)
        .bind($now)
        .bind($now + $purpose.lifetime_seconds())
        .execute(&mut *$tx)
        .await?;
    }};
}

fn unique_violation(e: sqlx::Error, what: &'static str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what),
        _ => StoreError::from(e),
    }
}

impl Store {
    /// Registers `new` or, if its address has an account, prepares the mail for its
    /// owner; writes the one-time link either way, in one transaction. See [`Registration`].
    pub async fn register_reader(
        &self,
        new: &NewReader<'_>,
        token_hash: &str,
        now: i64,
    ) -> Result<Registration, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let found: Option<(i64, Option<i64>, String, i64)> = sqlx::query_as(
                "SELECT id, verified_at, display_name, edition_id FROM readers WHERE lower(email) = lower($1)",
            ).bind(new.email).fetch_optional(&mut *tx).await?;
            let (outcome, purpose) = match found {
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO readers (email, display_name, password_hash, created_at, edition_id) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(new.email).bind(new.display_name).bind(new.password_hash).bind(now).bind(new.edition_id)
                    .fetch_one(&mut *tx).await.map_err(|e| unique_violation(e, "e-mail address"))?;
                    (Registration::Created { reader_id: id }, TokenPurpose::Verify)
                }
                Some((id, None, _, _)) => {
                    sqlx::query("UPDATE readers SET display_name = $2, password_hash = $3, edition_id = $4 WHERE id = $1")
                        .bind(id).bind(new.display_name).bind(new.password_hash).bind(new.edition_id)
                        .execute(&mut *tx).await?;
                    sqlx::query(
                        "UPDATE reader_tokens SET used_at = $2 \
                         WHERE reader_id = $1 AND purpose = 'verify' AND used_at IS NULL",
                    ).bind(id).bind(now).execute(&mut *tx).await?;
                    (Registration::Renewed { reader_id: id }, TokenPurpose::Verify)
                }
                Some((id, Some(_), display_name, edition_id)) => {
                    (Registration::Existing { reader_id: id, display_name, edition_id }, TokenPurpose::SignIn)
                }
            };
            let reader_id = match &outcome {
                Registration::Created { reader_id }
                | Registration::Renewed { reader_id }
                | Registration::Existing { reader_id, .. } => *reader_id,
            };
            insert_token!(tx, reader_id, purpose, token_hash, None::<&str>, now);
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// Writes a one-time link for `reader_id` (the hash of its secret), dropping its links that ended a day ago or more.
    pub async fn create_reader_token(
        &self,
        reader_id: i64,
        purpose: TokenPurpose,
        token_hash: &str,
        new_email: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            insert_token!(tx, reader_id, purpose, token_hash, new_email, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A link that would work now, without using it (the page that asks to confirm).
    pub async fn reader_token(
        &self,
        hash: &str,
        purpose: TokenPurpose,
        now: i64,
    ) -> Result<Option<TokenLook>, StoreError> {
        let row: Option<(i64, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT reader_id, new_email FROM reader_tokens \
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        ).bind(hash).bind(purpose.as_str()).bind(now).fetch_optional(pool).await?);
        Ok(row.map(|(reader_id, new_email)| TokenLook {
            reader_id,
            new_email,
        }))
    }

    /// Uses a link and does what it is for, in one transaction; `None` when the link
    /// is unknown, used, expired or for something else. Every link proves the address
    /// it was mailed to, so the account is verified. A reset sets `new_password_hash`,
    /// ends every session and every other sign-in or reset link; a change of address
    /// sets the new one (`Duplicate` if another account has it, and nothing changes)
    /// and ends the account's other links, which were mailed to the old address.
    /// `session`, if given, is opened for the reader in the same transaction.
    pub async fn redeem_reader_token(
        &self,
        hash: &str,
        purpose: TokenPurpose,
        new_password_hash: Option<&str>,
        session: Option<&NewReaderSession<'_>>,
        now: i64,
    ) -> Result<Option<Redeemed>, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let used: Option<(i64, Option<String>)> = sqlx::query_as(
                "UPDATE reader_tokens SET used_at = $3 \
                 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
                 RETURNING reader_id, new_email",
            ).bind(hash).bind(purpose.as_str()).bind(now).fetch_optional(&mut *tx).await?;
            let Some((id, new_email)) = used else {
                return Ok(None);
            };
            let mut old_email = None;
            match purpose {
                TokenPurpose::Verify | TokenPurpose::SignIn => {
                    sqlx::query("UPDATE readers SET verified_at = COALESCE(verified_at, $2) WHERE id = $1")
                        .bind(id).bind(now).execute(&mut *tx).await?;
                }
                TokenPurpose::Reset => {
                    sqlx::query(
                        "UPDATE readers SET password_hash = $2, verified_at = COALESCE(verified_at, $3) WHERE id = $1",
                    ).bind(id).bind(new_password_hash.unwrap_or_default()).bind(now).execute(&mut *tx).await?;
                    sqlx::query("DELETE FROM reader_sessions WHERE reader_id = $1")
                        .bind(id).execute(&mut *tx).await?;
                    sqlx::query(
                        "UPDATE reader_tokens SET used_at = $2 \
                         WHERE reader_id = $1 AND purpose IN ('reset', 'sign_in') AND used_at IS NULL",
                    ).bind(id).bind(now).execute(&mut *tx).await?;
                }
                TokenPurpose::ChangeEmail => {
                    let new_email = new_email.unwrap_or_default();
                    let old: String = sqlx::query_scalar("SELECT email FROM readers WHERE id = $1")
                        .bind(id).fetch_one(&mut *tx).await?;
                    sqlx::query("UPDATE readers SET email = $2, verified_at = $3 WHERE id = $1")
                        .bind(id).bind(&new_email).bind(now).execute(&mut *tx).await
                        .map_err(|e| unique_violation(e, "e-mail address"))?;
                    sqlx::query("UPDATE reader_tokens SET used_at = $2 WHERE reader_id = $1 AND used_at IS NULL")
                        .bind(id).bind(now).execute(&mut *tx).await?;
                    old_email = Some(old);
                }
            }
            if let Some(session) = session {
                sqlx::query(
                    "INSERT INTO reader_sessions (id_hash, reader_id, csrf_token, created_at, last_seen_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $4, $5)",
                ).bind(session.id_hash).bind(id).bind(session.csrf_token).bind(now).bind(session.expires_at)
                .execute(&mut *tx).await?;
            }
            let sql = format!("SELECT {READER_COLUMNS} FROM readers WHERE id = $1");
            let row: ReaderRow = sqlx::query_as(&sql).bind(id).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok(Some(Redeemed { reader: row.into(), old_email }))
        })
    }

    pub async fn reader(&self, id: i64) -> Result<Option<Reader>, StoreError> {
        let sql = format!("SELECT {READER_COLUMNS} FROM readers WHERE id = $1");
        let row: Option<ReaderRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?);
        Ok(row.map(Reader::from))
    }

    /// A reader by address, whatever its case.
    pub async fn reader_by_email(&self, email: &str) -> Result<Option<Reader>, StoreError> {
        let sql = format!("SELECT {READER_COLUMNS} FROM readers WHERE lower(email) = lower($1)");
        let row: Option<ReaderRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(email).fetch_optional(pool).await?);
        Ok(row.map(Reader::from))
    }

    /// A reader's password hash.
    pub async fn reader_password_hash(&self, id: i64) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT password_hash FROM readers WHERE id = $1",
        ).bind(id).fetch_optional(pool).await?))
    }

    /// Sets the edition whose language the reader's e-mails are in (an existing
    /// edition: the foreign key refuses any other).
    pub async fn set_reader_edition(&self, id: i64, edition_id: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE readers SET edition_id = $2 WHERE id = $1")
            .bind(id).bind(edition_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn set_reader_display_name(&self, id: i64, name: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE readers SET display_name = $2 WHERE id = $1")
            .bind(id).bind(name).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Sets a new password hash, ends every session of the reader but `keep_session`,
    /// and every sign-in or reset link still out.
    pub async fn set_reader_password(
        &self,
        id: i64,
        hash: &str,
        keep_session: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE readers SET password_hash = $2 WHERE id = $1")
                .bind(id).bind(hash).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM reader_sessions WHERE reader_id = $1 AND id_hash <> $2")
                .bind(id).bind(keep_session).execute(&mut *tx).await?;
            sqlx::query(
                "UPDATE reader_tokens SET used_at = $2 \
                 WHERE reader_id = $1 AND purpose IN ('reset', 'sign_in') AND used_at IS NULL",
            ).bind(id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes a reader and, through the foreign keys' cascades, everything it owns.
    /// The comments pages that showed the reader's comments are logged for every
    /// node, this one too, and their counts marked stale, in the same transaction.
    pub async fn delete_reader(&self, id: i64) -> Result<(), StoreError> {
        let log = self.log_for_every_node_sql();
        let shown =
            "SELECT DISTINCT story_id FROM comments WHERE reader_id = $1 AND status = 'published'";
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let stories: Vec<i64> = sqlx::query_scalar(shown).bind(id).fetch_all(&mut *tx).await?;
            if !stories.is_empty() {
                sqlx::query(&format!(
                    "UPDATE comment_settings SET count_stale = 1 WHERE story_id IN ({shown})"
                ))
                .bind(id).execute(&mut *tx).await?;
                let keys = stories.iter().map(|s| super::keys::comments(*s)).collect::<Vec<_>>().join(" ");
                sqlx::query(log).bind(keys).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM readers WHERE id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
