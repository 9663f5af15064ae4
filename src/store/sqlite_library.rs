//! Settings of the SQLite library itself (not of a connection), made once per
//! process before the first connection opens.

use libsqlite3_sys as ffi;
use std::sync::Once;

/// Turns off SQLite's count of the memory it holds. The count is kept under one
/// mutex for the whole process, taken on every allocation and free of every
/// connection, so connections on several threads queued on it (on a cache miss,
/// 4 % of the server's samples were that mutex, and more its waits). Nothing
/// here reads the count or sets a heap limit, which are all it is for.
pub fn configure() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` is only allowed before the library is
        // initialized; it returns `SQLITE_MISUSE` after, changing nothing, which is
        // why the result is not an error (a process that opened SQLite before the
        // first store, such as a test, keeps the count).
        let rc = unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int) };
        if rc != ffi::SQLITE_OK {
            tracing::debug!(
                code = rc,
                "SQLite was initialized already: its memory count stays on"
            );
        }
    });
}
