//! What nodes sharing one database tell each other: the invalidation log, and
//! whether the database is there and fully migrated.

use super::{on_pool, Store, StoreError, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// The PostgreSQL channel that announces a new row in `invalidations`.
pub const INVALIDATION_CHANNEL: &str = "dateline_invalidations";

/// One logged invalidation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invalidation {
    pub id: i64,
    pub keys: String,
}

impl Store {
    /// Logs an invalidation of `keys` (space-separated) and, on PostgreSQL, wakes the other nodes.
    pub async fn log_invalidation(&self, keys: &str, at: i64) -> Result<i64, StoreError> {
        let id: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "INSERT INTO invalidations (keys, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(keys)
        .bind(at)
        .fetch_one(pool)
        .await?);
        if let Store::Postgres(pool) = self {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(INVALIDATION_CHANNEL)
                .bind(id.to_string())
                .execute(pool)
                .await?;
        }
        Ok(id)
    }

    /// Invalidations with ids in `low..=high`, oldest first.
    pub async fn invalidations_between(
        &self,
        low: i64,
        high: i64,
    ) -> Result<Vec<Invalidation>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as::<_, Invalidation>(
            "SELECT id, keys FROM invalidations WHERE id >= $1 AND id <= $2 ORDER BY id LIMIT 10000",
        )
        .bind(low)
        .bind(high)
        .fetch_all(pool)
        .await?))
    }

    /// The newest invalidation's id (0 when there is none).
    pub async fn last_invalidation(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COALESCE(MAX(id), 0) FROM invalidations",
        )
        .fetch_one(pool)
        .await?))
    }

    /// Forgets invalidations older than `before`.
    pub async fn prune_invalidations(&self, before: i64) -> Result<u64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query("DELETE FROM invalidations WHERE at < $1")
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected()),
        )
    }

    /// One round trip to the database.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ())?);
        Ok(())
    }

    /// Migrations this build knows that the database has not applied (empty when current).
    pub async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let applied: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success",
        )
        .fetch_all(pool)
        .await?);
        let known = match self {
            Store::Sqlite(_) => &SQLITE_MIGRATIONS,
            Store::Postgres(_) => &POSTGRES_MIGRATIONS,
        };
        Ok(known
            .iter()
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect())
    }
}
