//! The breaking-news banner (migration 0019): setting and removing it, each one
//! transaction with its audit row and the log row that drops every cached public
//! page (key `chrome`), and the banner that is running.

use super::{keys, on_pool, BeginWrite, Store, StoreError};
use crate::domain::breaking::Banner;

/// The banner as it runs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RunningBanner {
    pub id: i64,
    pub text: String,
    pub link: String,
    pub set_at: i64,
    pub set_by: String,
}

const AUDIT: &str =
    "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)";

impl Store {
    /// Runs `banner` from `at` in place of any running one. Returns the keys logged.
    pub async fn set_breaking_news(
        &self,
        banner: &Banner,
        actor: &str,
        at: i64,
    ) -> Result<Vec<String>, StoreError> {
        let log = self.log_invalidation_sql();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE breaking_news SET cleared_at = $1, cleared_by = $2 WHERE cleared_at IS NULL")
                .bind(at).bind(actor).execute(&mut *tx).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO breaking_news (text, link, set_at, set_by) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(&banner.text).bind(&banner.link).bind(at).bind(actor)
            .fetch_one(&mut *tx).await?;
            sqlx::query(AUDIT)
                .bind(at).bind(actor).bind("breaking news set")
                .bind(format!("banner {id}")).bind(format!("{} → {}", banner.text, banner.link))
                .execute(&mut *tx).await?;
            sqlx::query(log).bind(keys::CHROME).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(vec![keys::CHROME.to_string()])
    }

    /// Removes the running banner, if any. Returns the keys logged (none when
    /// no banner was running).
    pub async fn clear_breaking_news(
        &self,
        actor: &str,
        at: i64,
    ) -> Result<Vec<String>, StoreError> {
        let log = self.log_invalidation_sql();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let cleared: Vec<i64> = sqlx::query_scalar(
                "UPDATE breaking_news SET cleared_at = $1, cleared_by = $2 WHERE cleared_at IS NULL RETURNING id",
            )
            .bind(at).bind(actor).fetch_all(&mut *tx).await?;
            if cleared.is_empty() {
                return Ok(Vec::new());
            }
            for id in &cleared {
                sqlx::query(AUDIT)
                    .bind(at).bind(actor).bind("breaking news removed")
                    .bind(format!("banner {id}")).bind("")
                    .execute(&mut *tx).await?;
            }
            sqlx::query(log).bind(keys::CHROME).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(vec![keys::CHROME.to_string()])
    }

    /// The banner running now, if any.
    pub async fn breaking_news(&self) -> Result<Option<RunningBanner>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, text, link, set_at, set_by FROM breaking_news WHERE cleared_at IS NULL \
             ORDER BY id DESC LIMIT 1",
        ).fetch_optional(pool).await?))
    }
}
