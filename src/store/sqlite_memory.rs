//! SQLite's memory, set up once by the `dateline` binary before anything opens a
//! database: SQLite allocates through mimalloc, as the Rust side does (glibc's
//! malloc under SQLite's own calls was about a tenth of an article page built on
//! a cache miss), and keeps no memory statistics, which took a process-wide mutex
//! on every allocation (another 4 %). Measured with callgrind in bench/RESULTS.md.

use libsqlite3_sys as ffi;
use std::os::raw::{c_int, c_void};

unsafe extern "C" fn allocate(size: c_int) -> *mut c_void {
    match usize::try_from(size) {
        // SAFETY: mimalloc's malloc takes any size and returns null when it cannot.
        Ok(size) if size > 0 => unsafe { libmimalloc_sys::mi_malloc(size) },
        _ => std::ptr::null_mut(),
    }
}

unsafe extern "C" fn free(block: *mut c_void) {
    // SAFETY: SQLite frees only what `allocate` or `reallocate` returned.
    unsafe { libmimalloc_sys::mi_free(block) }
}

unsafe extern "C" fn reallocate(block: *mut c_void, size: c_int) -> *mut c_void {
    match usize::try_from(size) {
        // SAFETY: `block` came from `allocate` or `reallocate` (SQLite's contract).
        Ok(size) if size > 0 => unsafe { libmimalloc_sys::mi_realloc(block, size) },
        _ => std::ptr::null_mut(),
    }
}

unsafe extern "C" fn size_of(block: *mut c_void) -> c_int {
    // SAFETY: `block` came from `allocate` or `reallocate` (SQLite's contract).
    let size = unsafe { libmimalloc_sys::mi_usable_size(block) };
    c_int::try_from(size).unwrap_or(c_int::MAX)
}

unsafe extern "C" fn round_up(size: c_int) -> c_int {
    let Ok(wanted) = usize::try_from(size) else {
        return size;
    };
    // SAFETY: a pure function of its argument.
    let good = unsafe { libmimalloc_sys::mi_good_size(wanted) };
    c_int::try_from(good).unwrap_or(size)
}

unsafe extern "C" fn nothing_to_start(_: *mut c_void) -> c_int {
    ffi::SQLITE_OK
}

unsafe extern "C" fn nothing_to_stop(_: *mut c_void) {}

/// Points SQLite at mimalloc without statistics. Call it first thing in `main`,
/// while the process has one thread: `sqlite3_config` must not run beside any other
/// SQLite call. Returns whether SQLite took both settings; when it did not
/// (SQLite already started), it keeps its defaults, which work as before.
pub fn use_mimalloc() -> bool {
    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(allocate),
        xFree: Some(free),
        xRealloc: Some(reallocate),
        xSize: Some(size_of),
        xRoundup: Some(round_up),
        xInit: Some(nothing_to_start),
        xShutdown: Some(nothing_to_stop),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: called before any other SQLite function in this process (see above);
    // SQLite copies `methods` before `sqlite3_config` returns.
    unsafe {
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int) == ffi::SQLITE_OK
            && ffi::sqlite3_config(
                ffi::SQLITE_CONFIG_MALLOC,
                &methods as *const ffi::sqlite3_mem_methods,
            ) == ffi::SQLITE_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allocator_answers_sqlite_as_its_contract_asks() {
        // SAFETY: the functions are called as SQLite calls them, on their own blocks.
        unsafe {
            assert!(allocate(0).is_null());
            assert!(allocate(-1).is_null());
            let block = allocate(100);
            assert!(!block.is_null());
            assert_eq!(block as usize % 8, 0, "SQLite needs 8-byte alignment");
            assert!(size_of(block) >= 100);
            assert!(round_up(100) >= 100);
            let grown = reallocate(block, 10_000);
            assert!(!grown.is_null());
            assert!(size_of(grown) >= 10_000);
            free(grown);
        }
    }
}
