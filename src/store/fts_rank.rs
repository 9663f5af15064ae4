//! `dateline_rank`, an FTS5 ranking function registered on every SQLite
//! connection: BM25 over the current row, with per-column weights like FTS5's
//! built-in `bm25(stories_fts, w0, w1, w2)`, but without the inverse document
//! frequency (IDF).
//!
//! Why not the built-in: `bm25` learns each word's IDF by reading every match of
//! that word in the whole index, once per query. A common word matches half of a
//! million-story archive, so that read was most of a search's time even though
//! search ranks only the newest few thousand matches. Results must contain every
//! word of the query (AND), so IDF would only reweigh one word's frequency
//! against another's; term frequency, document length and the column weights,
//! which decide the order, are the same as `bm25`'s.
//!
//! Lower is better, as with `bm25`, so `ORDER BY dateline_rank(…)` is best first.

use libsqlite3_sys as ffi;
use std::ffi::{c_int, c_void};
use std::ptr;

/// BM25's usual constants, the ones FTS5's `bm25` uses.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Registers `dateline_rank` on one connection (`db` must be an open handle).
pub fn register(db: *mut ffi::sqlite3) -> Result<(), String> {
    // SAFETY: `db` is a live connection handle that the caller holds locked; the
    // function pointer and name outlive the connection.
    unsafe {
        let api = fts5_api(db)?;
        let create = (*api)
            .xCreateFunction
            .ok_or("this SQLite's FTS5 cannot register functions")?;
        let rc = create(
            api,
            c"dateline_rank".as_ptr(),
            ptr::null_mut(),
            Some(rank),
            None,
        );
        if rc != ffi::SQLITE_OK {
            return Err(format!(
                "registering dateline_rank failed (SQLite code {rc})"
            ));
        }
    }
    Ok(())
}

/// FTS5's API object, handed out through `SELECT fts5(?1)` as SQLite documents.
unsafe fn fts5_api(db: *mut ffi::sqlite3) -> Result<*mut ffi::fts5_api, String> {
    let mut statement = ptr::null_mut();
    let rc = ffi::sqlite3_prepare_v2(
        db,
        c"SELECT fts5(?1)".as_ptr(),
        -1,
        &mut statement,
        ptr::null_mut(),
    );
    if rc != ffi::SQLITE_OK {
        return Err(format!("this SQLite has no FTS5 (SQLite code {rc})"));
    }
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    ffi::sqlite3_bind_pointer(
        statement,
        1,
        (&mut api as *mut *mut ffi::fts5_api).cast::<c_void>(),
        c"fts5_api_ptr".as_ptr(),
        None,
    );
    ffi::sqlite3_step(statement);
    ffi::sqlite3_finalize(statement);
    if api.is_null() || (*api).iVersion < 2 {
        return Err("this SQLite's FTS5 API is missing or too old".into());
    }
    Ok(api)
}

unsafe extern "C" fn rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    context: *mut ffi::sqlite3_context,
    argument_count: c_int,
    arguments: *mut *mut ffi::sqlite3_value,
) {
    let weight = |column: c_int| {
        if column >= 0 && column < argument_count {
            ffi::sqlite3_value_double(*arguments.add(column as usize))
        } else {
            1.0
        }
    };
    match score(&*api, fts, weight) {
        Ok(score) => ffi::sqlite3_result_double(context, score),
        Err(code) => ffi::sqlite3_result_error_code(context, code),
    }
}

fn check(rc: c_int) -> Result<(), c_int> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rc)
    }
}

/// The row's score: minus the sum over the query's phrases of BM25's saturated,
/// length-normalised frequency, where a phrase's frequency is its matches weighted by column.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    weight: impl Fn(c_int) -> f64,
) -> Result<f64, c_int> {
    let missing = ffi::SQLITE_ERROR;
    let phrase_count = api.xPhraseCount.ok_or(missing)?(fts).max(0) as usize;
    let (mut rows, mut all_tokens, mut row_tokens, mut instances) = (0i64, 0i64, 0 as c_int, 0);
    check(api.xRowCount.ok_or(missing)?(fts, &mut rows))?;
    check(api.xColumnTotalSize.ok_or(missing)?(
        fts,
        -1,
        &mut all_tokens,
    ))?;
    check(api.xColumnSize.ok_or(missing)?(fts, -1, &mut row_tokens))?;
    check(api.xInstCount.ok_or(missing)?(fts, &mut instances))?;
    let inst = api.xInst.ok_or(missing)?;
    let mut frequencies = vec![0.0f64; phrase_count];
    for index in 0..instances {
        let (mut phrase, mut column, mut offset) = (0, 0, 0);
        check(inst(fts, index, &mut phrase, &mut column, &mut offset))?;
        if let Some(frequency) = frequencies.get_mut(phrase.max(0) as usize) {
            *frequency += weight(column);
        }
    }
    let average = if rows > 0 && all_tokens > 0 {
        all_tokens as f64 / rows as f64
    } else {
        1.0
    };
    Ok(-bm25_without_idf(&frequencies, row_tokens as f64, average))
}

/// Σ f·(k1+1) / (f + k1·(1 − b + b·length/average)) over the phrases' weighted frequencies.
fn bm25_without_idf(frequencies: &[f64], length: f64, average: f64) -> f64 {
    let norm = K1 * (1.0 - B + B * length / average);
    frequencies
        .iter()
        .map(|f| f * (K1 + 1.0) / (f + norm))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::bm25_without_idf;

    #[test]
    fn more_matches_and_shorter_rows_score_higher() {
        let average = 100.0;
        assert!(
            bm25_without_idf(&[3.0], 100.0, average) > bm25_without_idf(&[1.0], 100.0, average)
        );
        assert!(bm25_without_idf(&[2.0], 50.0, average) > bm25_without_idf(&[2.0], 400.0, average));
        // A headline match weighted ten outscores three body matches.
        assert!(
            bm25_without_idf(&[10.0], 100.0, average) > bm25_without_idf(&[3.0], 100.0, average)
        );
        assert_eq!(bm25_without_idf(&[0.0, 0.0], 100.0, average), 0.0);
    }

    #[test]
    fn frequency_saturates() {
        let at = |f: f64| bm25_without_idf(&[f], 100.0, 100.0);
        assert!(at(100.0) < 1.2 + 1.0);
        assert!(at(2.0) - at(1.0) > at(20.0) - at(19.0));
    }
}
