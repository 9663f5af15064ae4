//! Storage: one `Store` over SQLite (the embedded default) or PostgreSQL.
//!
//! Both databases accept the same SQL for almost everything Dateline does
//! (`$1` placeholders, `RETURNING`, integer times), so each query is written
//! once and run on whichever pool is open through [`on_pool!`]. Where the
//! dialects differ, the two versions sit next to each other.

mod api;
mod audit;
mod bulk;
mod cluster;
mod images;
mod imports;
mod newsroom;
mod search;
mod sections;
mod stories;
mod users;

pub use api::{ApiKey, ApiQuery};
pub use audit::AuditEntry;
pub use bulk::{BulkCorrection, BulkRevision, BulkStory};
pub use cluster::{Invalidation, INVALIDATION_CHANNEL};
pub use images::{ImageMeta, NewRendition, Rendition};
pub use imports::ImportRecord;
pub use newsroom::{
    Correction, ListFilter, NewsroomRow, Presence, RevisionRecord, PRESENCE_SECONDS,
};
pub use search::{SearchFilter, SearchHit, SearchResults, SearchScope};
pub use stories::{FeedRow, NewRevision, StorySummary};
pub use users::SessionRecord;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;
use thiserror::Error;

/// Runs `$body` with `$pool` bound to whichever pool the store holds.
/// The body is compiled once per database, so the same query text serves both.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    BadUrl(String),
    #[error("cannot open database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("that {0} is already taken")]
    Duplicate(&'static str),
    #[error("the story was changed by someone else (now at revision {current})")]
    Conflict { current: i64 },
}

impl StoreError {
    /// The database could not be reached (as opposed to refusing a query): worth a
    /// 503 and a retry rather than a 500.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(e) => {
                matches!(
                    e,
                    sqlx::Error::PoolTimedOut
                        | sqlx::Error::PoolClosed
                        | sqlx::Error::Io(_)
                        | sqlx::Error::Tls(_)
                        | sqlx::Error::WorkerCrashed
                ) || e
                    .as_database_error()
                    .and_then(|d| d.code())
                    // PostgreSQL: 08 connection exceptions, 53 insufficient resources (too
                    // many connections), 57P operator intervention (shutdown, restart), and
                    // 55000 from a database closed to connections for maintenance.
                    .is_some_and(|code| {
                        code.starts_with("08")
                            || code.starts_with("53")
                            || code.starts_with("57P")
                            || code == "55000"
                    })
            }
            _ => false,
        }
    }
}

/// A connection pool to the site's database.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    /// Opens the database named by `url`, creating an SQLite file if it does not exist.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let connect_error = |source| StoreError::Connect {
            url: redact(url),
            source,
        };
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(connect_error)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // A pooled connection is not pinged before each use: a failed query reports itself,
            // and the ping doubled the round trips of every page.
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(connect_error)?;
            Ok(Store::Sqlite(pool))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(connect_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(3))
                .connect_with(options)
                .await
                .map_err(connect_error)?;
            Ok(Store::Postgres(pool))
        } else {
            Err(StoreError::BadUrl(redact(url)))
        }
    }

    /// Applies any migrations not yet applied.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Store::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Writes a consistent copy of an SQLite database to `path` while it stays in use
    /// (`VACUUM INTO` reads one snapshot). Refused for PostgreSQL: use `pg_dump`.
    pub async fn backup_into(&self, path: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query("VACUUM INTO $1")
                    .bind(path)
                    .execute(pool)
                    .await?;
                Ok(())
            }
            Store::Postgres(_) => Err(StoreError::Corrupt(
                "PostgreSQL databases are backed up with pg_dump".into(),
            )),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// A database URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
