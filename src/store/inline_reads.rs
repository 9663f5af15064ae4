//! The reads that build public pages on SQLite, run on the calling thread.
//!
//! sqlx runs each SQLite connection on a thread of its own and passes every
//! statement to it and every row back. On an article page read from the
//! database those hand-offs (context switches between the server's threads and
//! the connections') were about a third of the page's CPU (`perf`,
//! bench/RESULTS.md, 2026-12-07 fifth session). These reads take tens of
//! microseconds and, in WAL mode, do not wait for writers, so they run in place,
//! on connections of their own (rusqlite, over the SQLite library sqlx links).
//!
//! They only ever speed a read up: where one cannot run here (the file will not
//! open so, SQLite answers busy, any error at all) the caller reads through
//! the pool as before, and any error it reports is the pool's.

use rusqlite::{Connection, OpenFlags};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Connections kept open between reads, at least: one per thread reading at
/// once (the runtime has one per core; a connection opened afresh reads the
/// schema, several times a read's cost).
const IDLE_KEPT: usize = 16;
/// Prepared statements kept per connection (the lists' `IN (…)` has one per length).
const STATEMENTS_KEPT: usize = 64;

/// The tracing target of the statements run here.
pub const STATEMENT_LOG: &str = "dateline::statement";

/// A statement's first words, as a log line names it.
fn summary(sql: &str) -> &str {
    let end = sql.char_indices().nth(60).map_or(sql.len(), |(at, _)| at);
    &sql[..end]
}

/// In-place readers of one SQLite file, or none (an in-memory or read-only
/// database, or a store built without them: `InlineReads::default()`).
#[derive(Clone, Default)]
pub struct InlineReads {
    file: Option<Arc<File>>,
}

struct File {
    path: PathBuf,
    /// How many idle connections are kept: `IDLE_KEPT`, or two per core if more.
    keep: usize,
    idle: Mutex<Vec<Connection>>,
    /// Reads that could not run here (the first is logged as a warning, later ones as debug).
    failures: AtomicU64,
}

impl std::fmt::Debug for InlineReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InlineReads")
            .field("path", &self.file.as_ref().map(|file| &file.path))
            .finish()
    }
}

impl InlineReads {
    /// Readers of the database file at `path`, which the pool has opened (and
    /// so created and put in WAL mode). In-memory databases have no file to share.
    pub(super) fn of_file(path: PathBuf) -> InlineReads {
        let name = path.to_string_lossy();
        if name.is_empty() || name == ":memory:" || name.starts_with("file:") {
            return InlineReads::default();
        }
        InlineReads {
            file: Some(Arc::new(File {
                path,
                keep: std::thread::available_parallelism()
                    .map_or(IDLE_KEPT, |cores| IDLE_KEPT.max(2 * cores.get())),
                idle: Mutex::new(Vec::new()),
                failures: AtomicU64::new(0),
            })),
        }
    }

    /// Whether reads run here at all (a file database, opened writable).
    pub fn is_on(&self) -> bool {
        self.file.is_some()
    }

    /// Closes the connections kept; a read after this opens one again.
    pub(super) fn close(&self) {
        if let Some(file) = &self.file {
            file.idle().clear();
        }
    }

    /// How many reads could not run here and went through the pool; busy
    /// answers are not counted. Tests hold it at zero.
    pub fn failures(&self) -> u64 {
        self.file
            .as_ref()
            .map_or(0, |file| file.failures.load(Ordering::Relaxed))
    }

    /// Runs `read` of the one statement `sql` here, on a connection of its
    /// own; `None` when it could not, and the caller should read through the pool.
    pub(super) fn run<T>(
        &self,
        sql: &str,
        read: impl FnOnce(&Connection, &str) -> rusqlite::Result<T>,
    ) -> Option<T> {
        let file = self.file.as_ref()?;
        // As sqlx logs the statements it runs (and tests count them, tests/it/statements.rs).
        tracing::debug!(target: STATEMENT_LOG, summary = summary(sql), "statement run in place");
        let connection = match file.take() {
            Ok(connection) => connection,
            Err(e) => {
                file.failed("open a reading connection", &e);
                return None;
            }
        };
        match read(&connection, sql) {
            Ok(value) => {
                file.give_back(connection);
                Some(value)
            }
            Err(e) => {
                // Busy is the one failure expected now and then (a reader can meet
                // a checkpoint or a recovery): the pool waits for it.
                if e.sqlite_error_code() != Some(rusqlite::ErrorCode::DatabaseBusy) {
                    file.failed("read", &e);
                }
                file.give_back(connection);
                None
            }
        }
    }
}

impl File {
    fn take(&self) -> rusqlite::Result<Connection> {
        if let Some(connection) = self.idle().pop() {
            return Ok(connection);
        }
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Never waits: busy is handed to the pool, which waits without holding a thread.
        connection.busy_timeout(std::time::Duration::ZERO)?;
        connection.pragma_update(None, "query_only", true)?;
        connection.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        Ok(connection)
    }

    fn give_back(&self, connection: Connection) {
        let mut idle = self.idle();
        if idle.len() < self.keep {
            idle.push(connection);
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // A panic while the list was held cannot leave it half-changed.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn failed(&self, what: &str, error: &rusqlite::Error) {
        if self.failures.fetch_add(1, Ordering::Relaxed) > 0 {
            tracing::debug!(%error, "could not {what} in place; read through the pool");
        } else {
            tracing::warn!(%error, "could not {what} in place; reading through the pool (said once)");
        }
    }
}

/// Runs `sql` with `values` bound in order and reads each row with `read`.
pub(super) fn rows_in_place<T>(
    connection: &Connection,
    sql: &str,
    values: impl Iterator<Item = i64>,
    read: impl Fn(&mut Columns) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = connection.prepare_cached(sql)?;
    // A statement's columns are the same for all its rows: the first row's names
    // are checked, the rest are read by position.
    let mut first = true;
    let rows = statement.query_map(rusqlite::params_from_iter(values), |row| {
        let columns = &mut Columns {
            row,
            next: 0,
            check_names: first,
        };
        first = false;
        read(columns)
    })?;
    rows.collect()
}

/// A row's columns read in the statement's order, each checked by name (in a
/// list, on its first row): a reader that disagrees with its statement fails
/// (and the read goes through the pool) rather than read the wrong column.
/// Looking each column up by name instead cost 7 % of an article page (SQLite
/// compares every name before it).
pub(super) struct Columns<'r, 's> {
    row: &'r rusqlite::Row<'s>,
    next: usize,
    check_names: bool,
}

impl<'r, 's> Columns<'r, 's> {
    pub(super) fn of(row: &'r rusqlite::Row<'s>) -> Self {
        Columns {
            row,
            next: 0,
            check_names: true,
        }
    }

    /// The next column, which must be called `name`.
    pub(super) fn next<T: rusqlite::types::FromSql>(&mut self, name: &str) -> rusqlite::Result<T> {
        let index = self.next;
        self.next += 1;
        let statement: &rusqlite::Statement = self.row.as_ref();
        if self.check_names && statement.column_name(index)? != name {
            return Err(rusqlite::Error::InvalidColumnName(name.to_string()));
        }
        self.row.get(index)
    }
}
