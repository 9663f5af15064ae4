//! Storage: one `Store` over SQLite (the embedded default) or PostgreSQL.
//!
//! Both databases accept the same SQL for almost everything Dateline does
//! (`$1` placeholders, `RETURNING`, integer times), so each query is written
//! once and run on whichever pool is open through [`on_pool!`]. Where the
//! dialects differ, the two versions sit next to each other.

mod api;
mod article_rows;
mod audit;
mod autosaves;
mod breaking;
mod bulk;
mod cluster;
mod comments;
mod daily;
mod desk;
mod editions;
mod editorial;
mod follows;
mod fts_pairs;
mod fts_rank;
mod image_alternates;
mod images;
mod imports;
mod inline_reads;
mod json_lists;
pub mod keys;
mod live;
mod live_page;
mod liveness;
mod maintenance;
mod moderation;
mod my_news;
mod newsroom;
mod outbox;
mod picture_bytes;
mod picture_copy_checks;
mod public_lists;
mod reader_sessions;
mod readers;
mod redact;
mod saved_stories;
mod search;
mod search_bands;
mod search_postgres;
mod sections;
mod sponsors;
mod sqlite_library;
mod stories;
mod translation_groups;
mod translations;
mod users;

pub use api::{ApiKey, ApiQuery};
pub use article_rows::ArticleRows;
pub use audit::AuditEntry;
pub use autosaves::{Autosave, NewestRevision, Slot};
pub use breaking::RunningBanner;
pub use bulk::{BulkCorrection, BulkRevision, BulkStory};
pub use cluster::{Invalidation, INVALIDATION_CHANNEL};
pub use comments::{CommentPage, CommentRecord, ExportedComment, NewComment, Posted, ShownComment};
pub use daily::{DailyClaim, DailyEmail, DueReader, UNSUBSCRIBE_KEEP_SECONDS};
pub use desk::{DeskRow, ReviewNoteRecord, DESK_LIST_LENGTH};
pub use editions::{NewEdition, NewSection};
pub use editorial::{
    Applied, AuditNote, Curation, OwnTimes, Publication, ReviewNote, StoryChange, Target,
};
pub use follows::{FollowedTopic, Following, TopicAdded};
pub use image_alternates::{Alternate, MissingAlternate};
pub use images::{content_hash, ImageMeta, NewRendition, Rendition, StoredRendition};
pub use imports::ImportRecord;
pub use live::{
    LiveApplied, LiveChange, LiveChangeRow, LiveEdit, LivePage, LivePost, LiveStreamState,
    PublicLivePage,
};
pub use live_page::{LiveHead, LivePostsPage};
pub use moderation::{Decision, ModeratedComment, ModerationNote, Report};
pub use newsroom::{
    Correction, ListFilter, NewsroomRow, Presence, RevisionRecord, PRESENCE_SECONDS,
};
pub use outbox::{NewOutboxRow, OutboxRow};
pub use picture_bytes::{BytesInDatabase, PictureLock, Table};
pub use public_lists::{FeedRow, StorySummary};
pub use reader_sessions::{ReaderData, ReaderSessionRecord, SessionSummary, TokenSummary};
pub use readers::{NewReader, NewReaderSession, Redeemed, Registration, TokenLook};
pub use redact::redact;
pub use saved_stories::{SaveOutcome, SavedPage, SavedStory, MAX_SAVED_STORIES};
pub use search::{
    SearchEdition, SearchFilter, SearchHit, SearchResults, SearchScope, RANKED_WINDOW,
};
pub use sponsors::{CampaignRecord, SponsorCounts, SponsorEvent};
pub use stories::{DeletedPictures, NewRevision, PromoEdition};
pub use translation_groups::TranslationGroup;
pub use translations::{LinkRefusal, VersionChange};
pub use users::SessionRecord;

pub use inline_reads::{InlineReads, STATEMENT_LOG};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;

/// Runs `$body` with `$pool` bound to whichever pool the store holds.
/// The body is compiled once per database, so the same query text serves both.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool, _) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Starts a transaction that writes. On SQLite it takes the write lock at once,
/// waiting its turn under the busy timeout: a deferred transaction holds only a
/// read snapshot until its first write, and if another connection commits before
/// then, SQLite cannot upgrade it and fails at once with `SQLITE_BUSY` ("database
/// is locked"), which the kill -9 write storm showed as 500s on concurrent saves
/// and publishes. PostgreSQL locks rows as it goes.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>>
           + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        // Not `BEGIN IMMEDIATE` through sqlx's `begin_with`: after a COMMIT that fails (a
        // full disk) sqlx still counts the connection as inside a transaction and refuses
        // a custom BEGIN on it for good. A write that matches no row takes the lock as well.
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE stories SET id = id WHERE 0")
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// The migration that made `story_images` (the pictures each story shows).
const STORY_IMAGES_MIGRATION: i64 = 12;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unsupported database URL {}: use sqlite://PATH or postgres://USER@HOST/DB", crate::domain::text::quoted(.0))]
    BadUrl(String),
    #[error("cannot open database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Db(sqlx::Error),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("that {0} is already taken")]
    Duplicate(&'static str),
    #[error("the story was changed by someone else (now at revision {current})")]
    Conflict { current: i64 },
}

/// Why the database refused to write while it still reads: the disk it lives on is
/// full, or it (or its file system) is read-only. Reads go on; the user is told which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteRefusal {
    DiskFull,
    ReadOnly,
}

impl WriteRefusal {
    /// A sentence for the person whose change was not saved.
    pub fn message(self) -> &'static str {
        match self {
            WriteRefusal::DiskFull => "The database could not save this: the disk it is stored on is full. Nothing was changed. Keep a copy of your text and tell the site's administrators; reading the site still works.",
            WriteRefusal::ReadOnly => "The database could not save this: it is read-only just now. Nothing was changed. Keep a copy of your text and tell the site's administrators; reading the site still works.",
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        let e = StoreError::Db(e);
        if e.is_unavailable() {
            liveness::note_lost_connection();
        }
        e
    }
}

impl StoreError {
    /// The database answered but cannot write: a full disk or a read-only database.
    /// SQLite reports its primary result code (`SQLITE_FULL` 13, `SQLITE_READONLY` 8)
    /// in the low byte of the extended code sqlx gives; PostgreSQL has `53100
    /// disk_full` and `25006 read_only_sql_transaction` (a hot standby).
    pub fn write_refusal(&self) -> Option<WriteRefusal> {
        let StoreError::Db(e) = self else {
            return None;
        };
        let database = e.as_database_error()?;
        let code = database.code()?;
        let sqlite = database
            .try_downcast_ref::<sqlx::sqlite::SqliteError>()
            .is_some();
        if sqlite {
            match code.parse::<i64>().ok()? & 0xff {
                13 => Some(WriteRefusal::DiskFull),
                8 => Some(WriteRefusal::ReadOnly),
                _ => None,
            }
        } else {
            match code.as_ref() {
                "53100" => Some(WriteRefusal::DiskFull),
                "25006" => Some(WriteRefusal::ReadOnly),
                _ => None,
            }
        }
    }

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
                        // The conversation with the server broke off mid-message.
                        | sqlx::Error::Protocol(_)
                ) || e
                    .as_database_error()
                    .and_then(|d| d.code())
                    // PostgreSQL: 08 connection exceptions, 53 insufficient resources (too
                    // many connections; not 53100, a full disk, which refuses writes only),
                    // 57 operator intervention (shutdown, restart, and statements cancelled
                    // by them), and 55000 from a database closed to connections for maintenance.
                    .is_some_and(|code| {
                        code.starts_with("08")
                            || (code.starts_with("53") && code != "53100")
                            || code.starts_with("57")
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
    /// The pool, and the public pages' reads run in place (`inline_reads`).
    Sqlite(SqlitePool, InlineReads),
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
            sqlite_library::configure();
            let options = SqliteConnectOptions::from_str(url)
                .map_err(connect_error)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // The name this node's connections stamp on the log rows they write.
            let node = Arc::new(cluster::new_node_name());
            let file = options.get_filename().to_path_buf();
            match open_sqlite(options, Arc::clone(&node)).await {
                Ok(pool) => Ok(Store::Sqlite(pool, InlineReads::of_file(file))),
                // A WAL database on a read-only file system opens only if its `-shm` file
                // is there or can be made; after a clean shutdown it is not. Nothing can
                // change the file then, so SQLite may read it as immutable: pages are served
                // and every write is refused (and said so) instead of the site being down.
                Err(e) if sqlite_file_is_read_only(url) => {
                    let options = SqliteConnectOptions::from_str(url)
                        .map_err(connect_error)?
                        .read_only(true)
                        .immutable(true)
                        .foreign_keys(true);
                    let pool = open_sqlite(options, node)
                        .await
                        .map_err(|_| connect_error(e))?;
                    tracing::warn!(
                        url = %redact(url),
                        "the database file is read-only: serving it read-only; every change will be refused"
                    );
                    // Read through the pool alone: an immutable file is rare and not worth a second way in.
                    Ok(Store::Sqlite(pool, InlineReads::default()))
                }
                Err(e) => Err(connect_error(e)),
            }
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(connect_error)?;
            // Log rows written through this pool name it (migration 0009), so this node's
            // follower can pass over the changes it made itself. JIT compilation is off:
            // it starts on any plan costed above `jit_above_cost`, such as a search's
            // planner estimate on a million stories, where a new connection's first
            // use took 22-84 ms against 0.4 ms without it (psql). Pooled connections
            // pay that once, and bench/search.sh showed no difference either way;
            // none of these short queries gains from compilation.
            // Both are set after connecting rather than as startup options, which
            // connection poolers such as PgBouncer refuse by default.
            let node = Arc::new(cluster::new_node_name());
            let pool = PgPoolOptions::new()
                .max_connections(16)
                // Not every connection is pinged before use; see `liveness` for which are.
                .test_before_acquire(false)
                .before_acquire(|connection, meta| {
                    Box::pin(async move {
                        if liveness::worth_testing(meta.idle_for) {
                            sqlx::Connection::ping(connection).await?;
                        }
                        Ok(true)
                    })
                })
                .acquire_timeout(Duration::from_secs(3))
                .after_connect(move |connection, _| {
                    let node = Arc::clone(&node);
                    Box::pin(async move {
                        sqlx::query(
                            "SELECT set_config($1, $2, false), set_config('jit', 'off', false)",
                        )
                        .bind(cluster::NODE_SETTING)
                        .bind(node.as_str())
                        .execute(connection)
                        .await
                        .map(|_| ())
                    })
                })
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
        // A database that already has tables (a fresh one has no migration table yet).
        let pending = self.pending_migrations().await.ok();
        let lists_pictures_now = pending
            .as_ref()
            .is_some_and(|pending| pending.contains(&STORY_IMAGES_MIGRATION));
        // Up to date, nothing runs, so nothing can break a reference.
        let up_to_date = pending.as_ref().is_some_and(Vec::is_empty);
        match self {
            Store::Sqlite(pool, _) => migrate_sqlite(pool, !up_to_date).await?,
            Store::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        if lists_pictures_now {
            self.list_body_pictures().await?;
        }
        Ok(())
    }

    /// Fills `story_images` with the pictures in existing stories' bodies, which
    /// the migration that made the table could not parse.
    async fn list_body_pictures(&self) -> Result<(), StoreError> {
        let rows: Vec<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, body FROM stories WHERE body LIKE '%image%'",
        ).fetch_all(pool).await?);
        for (id, body) in rows {
            for image in crate::domain::markup::parse_for_display(&body).image_ids() {
                on_pool!(self, pool => sqlx::query(
                    "INSERT INTO story_images (story_id, image_id) SELECT $1, id FROM images WHERE id = $2 \
                     ON CONFLICT DO NOTHING",
                ).bind(id).bind(image).execute(pool).await?.rows_affected());
            }
        }
        Ok(())
    }

    /// Writes a consistent copy of an SQLite database to `path` while it stays in use
    /// (`VACUUM INTO` reads one snapshot). Refused for PostgreSQL: use `pg_dump`.
    pub async fn backup_into(&self, path: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool, _) => {
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
            Store::Sqlite(..) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    pub async fn close(&self) {
        if let Store::Sqlite(_, inline) = self {
            inline.close();
        }
        on_pool!(self, pool => pool.close().await)
    }
}

async fn open_sqlite(
    options: SqliteConnectOptions,
    node: Arc<String>,
) -> Result<SqlitePool, sqlx::Error> {
    // A pooled connection is not pinged before each use: a failed query reports itself,
    // and the ping doubled the round trips of every page.
    SqlitePoolOptions::new()
        .max_connections(8)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(10))
        // A connection handed back while sqlx still counts a transaction open on it is
        // closed, not reused. After a statement fails with a full disk, SQLite has already
        // rolled the transaction back, sqlx's ROLLBACK then fails and its count stays at
        // one, and the next "transaction" on that connection would be a savepoint inside
        // a transaction that never commits: writes answered as saved but not durable, and
        // "database is locked" (517) on about half the saves once the disk had room again
        // (found by the full-disk test).
        .after_release(|conn, _| {
            Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
        })
        .after_connect(move |connection, _| {
            let node = Arc::clone(&node);
            Box::pin(async move {
                {
                    let mut handle = connection.lock_handle().await?;
                    let db = handle.as_raw_handle().as_ptr();
                    fts_rank::register(db)
                        .and_then(|()| fts_pairs::register(db))
                        .map_err(|e| sqlx::Error::Configuration(e.into()))?;
                }
                // SQLite has no session settings: a connection-private table holds
                // the node's name, as `dateline.node` does on PostgreSQL.
                sqlx::query("CREATE TEMP TABLE IF NOT EXISTS dateline_node (name TEXT NOT NULL)")
                    .execute(&mut *connection)
                    .await?;
                sqlx::query("DELETE FROM temp.dateline_node")
                    .execute(&mut *connection)
                    .await?;
                sqlx::query("INSERT INTO temp.dateline_node (name) VALUES ($1)")
                    .bind(node.as_str())
                    .execute(&mut *connection)
                    .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
}

/// True when the SQLite file named by `url` exists but cannot be opened for writing
/// (a read-only file system, or a file this user may not write).
fn sqlite_file_is_read_only(url: &str) -> bool {
    let Ok(options) = SqliteConnectOptions::from_str(url) else {
        return false;
    };
    let path = options.get_filename();
    path.is_file()
        && std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .is_err_and(|e| {
                e.kind() == std::io::ErrorKind::PermissionDenied
                    || e.kind() == std::io::ErrorKind::ReadOnlyFilesystem
            })
}

/// Runs SQLite's migrations with foreign keys off, as SQLite's procedure for
/// rebuilding a table requires (0022 rebuilds `sections`; with them on, dropping
/// the old table would cascade to the rows that refer to it), then, with
/// `check_references`, checks every foreign key, and turns them back on. The
/// pragma cannot change inside a transaction, so it is set on the connection
/// before sqlx begins each one. The check reads every row that has a foreign
/// key (about 2.7 s of CPU at each start of a million-story archive), so it is
/// left out when nothing was pending.
async fn migrate_sqlite(pool: &sqlx::SqlitePool, check_references: bool) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await.map_err(StoreError::Db)?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .map_err(StoreError::Db)?;
    let applied = SQLITE_MIGRATIONS.run(&mut *conn).await;
    let broken: Vec<(String,)> = if check_references {
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(&mut *conn)
            .await
            .map_err(StoreError::Db)?
    } else {
        Vec::new()
    };
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await
        .map_err(StoreError::Db)?;
    applied?;
    if let Some((table,)) = broken.first() {
        return Err(StoreError::Corrupt(format!(
            "after the migrations, rows of {table} refer to rows that do not exist"
        )));
    }
    Ok(())
}
