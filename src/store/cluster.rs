//! What nodes sharing one database tell each other: the invalidation log, and
//! whether the database is there and fully migrated.

use super::{on_pool, Store, StoreError, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// The PostgreSQL channel that announces a new row in `invalidations` (sent by
/// the trigger `invalidations_notify`, migration 0009).
pub const INVALIDATION_CHANNEL: &str = "dateline_invalidations";

/// One logged invalidation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invalidation {
    pub id: i64,
    pub keys: String,
    /// Logged by this node (its PostgreSQL connections' `dateline.node`, or an
    /// SQLite transaction of its that named the rows): this node dropped its
    /// copies when it made the change, so it need not drop them again.
    pub own: bool,
}

/// The PostgreSQL setting naming the node whose connection wrote a log row.
pub(crate) const NODE_SETTING: &str = "dateline.node";

/// A name for one store's connections, unique among the nodes of one database.
pub(crate) fn new_node_name() -> String {
    format!("{}-{:016x}", std::process::id(), rand::random::<u64>())
}

impl Store {
    /// The statement that logs an invalidation of `$1` (space-separated keys),
    /// stamped with the database's clock as the triggers of migration 0009 stamp
    /// theirs. On PostgreSQL a trigger on the log wakes the other nodes when the
    /// transaction commits. Run it inside the change's own transaction.
    pub(crate) fn log_invalidation_sql(&self) -> &'static str {
        match self {
            Store::Sqlite(..) => "INSERT INTO invalidations (keys, at) VALUES ($1, unixepoch())",
            Store::Postgres(_) => {
                "INSERT INTO invalidations (keys, at) VALUES ($1, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT))"
            }
        }
    }

    /// Logs an invalidation of `keys` (space-separated) on its own, for a change
    /// whose transaction could not log it (an import).
    pub async fn log_invalidation(&self, keys: &str) -> Result<(), StoreError> {
        let sql = self.log_invalidation_sql();
        on_pool!(self, pool => sqlx::query(sql).bind(keys).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    /// Invalidations with ids in `low..=high`, oldest first.
    pub async fn invalidations_between(
        &self,
        low: i64,
        high: i64,
    ) -> Result<Vec<Invalidation>, StoreError> {
        let sql = match self {
            // A transaction of this node's names its rows before committing
            // (store::editorial); rows written elsewhere stay unnamed.
            Store::Sqlite(..) => {
                "SELECT id, keys, COALESCE(node = (SELECT name FROM temp.dateline_node), FALSE) AS own \
                 FROM invalidations WHERE id >= $1 AND id <= $2 ORDER BY id LIMIT 10000"
            }
            // Every connection of this store carries its node's name (Store::connect).
            Store::Postgres(_) => {
                "SELECT id, keys, COALESCE(node = current_setting('dateline.node', true), FALSE) AS own \
                 FROM invalidations WHERE id >= $1 AND id <= $2 ORDER BY id LIMIT 10000"
            }
        };
        Ok(
            on_pool!(self, pool => sqlx::query_as::<_, Invalidation>(sql)
        .bind(low)
        .bind(high)
        .fetch_all(pool)
        .await?),
        )
    }

    /// The newest invalidation's id (0 when there is none).
    pub async fn last_invalidation(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COALESCE(MAX(id), 0) FROM invalidations",
        )
        .fetch_one(pool)
        .await?))
    }

    /// Forgets invalidations logged more than `keep_seconds` ago by the database's clock.
    pub async fn prune_invalidations(&self, keep_seconds: i64) -> Result<u64, StoreError> {
        let sql = match self {
            Store::Sqlite(..) => "DELETE FROM invalidations WHERE at < unixepoch() - $1",
            Store::Postgres(_) => {
                "DELETE FROM invalidations WHERE at < CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) - $1"
            }
        };
        Ok(on_pool!(self, pool => sqlx::query(sql)
            .bind(keep_seconds)
            .execute(pool)
            .await?
            .rows_affected()))
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
            Store::Sqlite(..) => &SQLITE_MIGRATIONS,
            Store::Postgres(_) => &POSTGRES_MIGRATIONS,
        };
        Ok(known
            .iter()
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect())
    }
}

impl Store {
    /// Calls `wake` on every NOTIFY of the invalidation channel, for as long as
    /// the node runs (PostgreSQL; on SQLite it returns at once, as no
    /// notification ever comes). After a lost connection it listens again,
    /// `retry` later; the follower's own poll covers the gap.
    ///
    /// Run it in a task of its own: `PgListener::recv` is not safe to cancel
    /// while it reconnects. A `select!` that dropped it mid-`LISTEN` handed the
    /// half-subscribed connection back to the pool, and the next query on it
    /// failed with "unexpected message: NotificationResponse" (a publish
    /// answered 503 after the database came back).
    pub async fn wake_on_invalidations(&self, retry: std::time::Duration, wake: impl Fn()) {
        let Store::Postgres(pool) = self else {
            return;
        };
        loop {
            let mut listener = match listen(pool).await {
                Ok(listener) => listener,
                Err(e) => {
                    tracing::debug!(error = %e, "cannot listen for invalidations yet");
                    tokio::time::sleep(retry).await;
                    continue;
                }
            };
            loop {
                match listener.recv().await {
                    Ok(_) => wake(),
                    Err(e) => {
                        // recv reconnects on its next call.
                        tracing::debug!(error = %e, "invalidation listener lost its connection");
                        tokio::time::sleep(retry).await;
                    }
                }
            }
        }
    }
}

/// A listener subscribed to the invalidation channel.
async fn listen(pool: &sqlx::PgPool) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(INVALIDATION_CHANNEL).await?;
    Ok(listener)
}
