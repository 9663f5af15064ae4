//! Staff accounts, sessions and failed sign-ins.

use super::{on_pool, BeginWrite, Store, StoreError};
use crate::domain::user::{Role, User};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    disabled: i64,
}

impl UserRow {
    fn into_user(self) -> Result<User, StoreError> {
        let role = Role::parse(&self.role).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "user {} has the unknown role {}",
                self.id, self.role
            ))
        })?;
        Ok(User {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role,
            disabled: self.disabled != 0,
        })
    }
}

/// A signed-in session and its user.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: User,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    disabled: i64,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
}

const USER_COLUMNS: &str = "id, email, display_name, role, disabled";

fn unique_violation(e: sqlx::Error, what: &'static str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what),
        _ => StoreError::from(e),
    }
}

impl Store {
    /// Creates an account working in `editions` (none: every edition), in one
    /// transaction, so an account is never there without its limits.
    pub async fn create_user(
        &self,
        email: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
        editions: &[i64],
        now: i64,
    ) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (email, display_name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(email)
            .bind(display_name)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| unique_violation(e, "e-mail address"))?;
            for edition in editions {
                sqlx::query("INSERT INTO staff_editions (user_id, edition_id) VALUES ($1, $2)")
                    .bind(id).bind(edition).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn user_count(&self) -> Result<i64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?),
        )
    }

    /// A user and their password hash, by (lowercased) e-mail.
    pub async fn user_for_sign_in(
        &self,
        email: &str,
    ) -> Result<Option<(User, String)>, StoreError> {
        let row: Option<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, password_hash FROM users WHERE email = $1"
        ).bind(email).fetch_optional(pool).await?);
        let Some((id, hash)) = row else {
            return Ok(None);
        };
        Ok(self.user(id).await?.map(|u| (u, hash)))
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row: Option<UserRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?);
        row.map(UserRow::into_user).transpose()
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let row: Option<UserRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(email).fetch_optional(pool).await?);
        row.map(UserRow::into_user).transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY email");
        let rows: Vec<UserRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        rows.into_iter().map(UserRow::into_user).collect()
    }

    pub async fn set_user_role(&self, id: i64, role: Role) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
            .bind(id).bind(role.as_str()).execute(pool).await?.rows_affected());
        if done == 0 {
            return Err(StoreError::NotFound("user"));
        }
        Ok(())
    }

    /// Disables or re-enables an account; disabling also ends its sessions.
    pub async fn set_user_disabled(&self, id: i64, disabled: bool) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query("UPDATE users SET disabled = $2 WHERE id = $1")
                .bind(id).bind(i64::from(disabled)).execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::NotFound("user"));
            }
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sets a new password hash and ends every session of the user but `keep_session`.
    pub async fn set_user_password(
        &self,
        id: i64,
        hash: &str,
        keep_session: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1").bind(id).bind(hash).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                .bind(id).bind(keep_session.unwrap_or("")).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(id_hash).bind(user_id).bind(csrf_token).bind(now)
        .execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row: Option<SessionRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.email, u.display_name, u.role, u.disabled, s.csrf_token, s.created_at, s.last_seen_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
        ).bind(id_hash).fetch_optional(pool).await?);
        let Some(r) = row else { return Ok(None) };
        let user = UserRow {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role: r.role,
            disabled: r.disabled,
        }
        .into_user()?;
        Ok(Some(SessionRecord {
            user,
            csrf_token: r.csrf_token,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
        }))
    }

    pub async fn touch_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
            .bind(id_hash).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Removes sessions idle since `idle_before` or created before `created_before`.
    pub async fn purge_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<u64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before).bind(created_before).execute(pool).await?.rows_affected()),
        )
    }

    pub async fn record_sign_in_failure(
        &self,
        email: &str,
        address: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("INSERT INTO sign_in_failures (email, address, at) VALUES ($1, $2, $3)")
            .bind(email).bind(address).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Failed sign-ins since `since` for this account and from this address.
    pub async fn sign_in_failures(
        &self,
        email: &str,
        address: &str,
        since: i64,
    ) -> Result<(i64, i64), StoreError> {
        on_pool!(self, pool => {
            let by_email: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE email = $1 AND at >= $2")
                .bind(email).bind(since).fetch_one(pool).await?;
            let by_address: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE address = $1 AND at >= $2")
                .bind(address).bind(since).fetch_one(pool).await?;
            Ok((by_email, by_address))
        })
    }

    /// A successful sign-in clears the account's failures; old failures are dropped.
    pub async fn clear_sign_in_failures(
        &self,
        email: &str,
        older_than: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM sign_in_failures WHERE email = $1 OR at < $2")
            .bind(email).bind(older_than).execute(pool).await?.rows_affected());
        Ok(())
    }
}
