//! `dateline_rank`, an FTS5 ranking function registered on every SQLite
//! connection: BM25 over the current row, with per-column weights like FTS5's
//! built-in `bm25(stories_fts, w0, w1, w2)`, but without the inverse document
//! frequency (IDF), and exact only for the rows that can reach the page shown.
//!
//! Why not the built-in: `bm25` learns each word's IDF by reading every match of
//! that word in the whole index, once per query. A common word matches half of a
//! million-story archive, so that read was most of a search's time even though
//! search ranks only the newest few thousand matches. Results must contain every
//! word of the query (AND), so IDF would only reweigh one word's frequency
//! against another's; term frequency, document length and the column weights,
//! which decide the order, are the same as `bm25`'s.
//!
//! Called as `dateline_rank(stories_fts, keep, w0, w1, w2)`. Reading a row's
//! length is most of a score's cost (a lookup in FTS5's `docsize` table), and
//! a page needs exact scores only for its best `keep` rows (offset + limit).
//! A row's score without its length (length 0) is an upper bound of its score,
//! so once `keep` exact scores are known, a row whose bound is below the
//! `keep`-th best cannot be among them: it gets its bound, which still sorts it
//! after every one of them, and its length is never read. `keep` 0 scores every
//! row exactly. The archive's average length is read once per query, not once
//! per row.
//!
//! Lower is better, as with `bm25`, so `ORDER BY dateline_rank(…)` is best first.

use libsqlite3_sys as ffi;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
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
pub(super) unsafe fn fts5_api(db: *mut ffi::sqlite3) -> Result<*mut ffi::fts5_api, String> {
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
    let argument = |index: c_int| {
        (index >= 0 && index < argument_count).then(|| *arguments.add(index as usize))
    };
    let keep = argument(0).map_or(0, |value| ffi::sqlite3_value_int64(value).max(0));
    // The weights follow `keep`: column c's is argument c + 1.
    let weight =
        |column: c_int| argument(column + 1).map_or(1.0, |value| ffi::sqlite3_value_double(value));
    match score(&*api, fts, keep as usize, weight) {
        Ok(score) => ffi::sqlite3_result_double(context, score),
        Err(code) => ffi::sqlite3_result_error_code(context, code),
    }
}

/// A score that orders by `f64::total_cmp`, for the heap of the best ones.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Score(f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// What one query's ranking keeps from row to row (FTS5's auxiliary data).
struct QueryRanking {
    /// The archive's average row length in tokens.
    average: f64,
    /// The best `keep` exact scores so far (higher is better), the worst on top.
    best: Best,
}

/// The best `keep` exact scores seen, and whether a row can still join them.
#[derive(Debug)]
struct Best {
    keep: usize,
    scores: BinaryHeap<Reverse<Score>>,
}

impl Best {
    fn new(keep: usize) -> Best {
        Best {
            keep,
            scores: BinaryHeap::with_capacity(keep.min(1024) + 1),
        }
    }

    /// Whether a row whose score is at most `bound` could be among the best
    /// `keep`: always until `keep` are known; then only if `bound` is not below
    /// the worst of them (at the worst's score, ties are broken by other columns).
    fn may_take(&self, bound: f64) -> bool {
        match self.scores.peek() {
            Some(Reverse(worst)) if self.keep > 0 && self.scores.len() >= self.keep => {
                bound >= worst.0
            }
            _ => true,
        }
    }

    fn add(&mut self, score: f64) {
        if self.keep == 0 {
            return;
        }
        self.scores.push(Reverse(Score(score)));
        if self.scores.len() > self.keep {
            self.scores.pop();
        }
    }
}

/// Frees a [`QueryRanking`] when FTS5 finishes the query.
unsafe extern "C" fn free_ranking(ranking: *mut c_void) {
    if !ranking.is_null() {
        drop(Box::from_raw(ranking.cast::<QueryRanking>()));
    }
}

/// This query's ranking state, made on its first row.
unsafe fn query_ranking<'a>(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    keep: usize,
) -> Result<&'a mut QueryRanking, c_int> {
    let missing = ffi::SQLITE_ERROR;
    let kept = api.xGetAuxdata.ok_or(missing)?(fts, 0).cast::<QueryRanking>();
    if !kept.is_null() {
        return Ok(&mut *kept);
    }
    let (mut rows, mut all_tokens) = (0i64, 0i64);
    check(api.xRowCount.ok_or(missing)?(fts, &mut rows))?;
    check(api.xColumnTotalSize.ok_or(missing)?(
        fts,
        -1,
        &mut all_tokens,
    ))?;
    let average = if rows > 0 && all_tokens > 0 {
        all_tokens as f64 / rows as f64
    } else {
        1.0
    };
    let ranking = Box::into_raw(Box::new(QueryRanking {
        average,
        best: Best::new(keep),
    }));
    // On failure FTS5 has already called `free_ranking` on it.
    check(api.xSetAuxdata.ok_or(missing)?(
        fts,
        ranking.cast::<c_void>(),
        Some(free_ranking),
    ))?;
    Ok(&mut *ranking)
}

fn check(rc: c_int) -> Result<(), c_int> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rc)
    }
}

/// The row's score: minus the sum over the query's phrases of BM25's saturated,
/// length-normalised frequency, where a phrase's frequency is its matches
/// weighted by column. A row that cannot be among the best `keep` gets minus
/// its score at the least length its matches allow ([`Reached`]), without its
/// length being read.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    keep: usize,
    weight: impl Fn(c_int) -> f64,
) -> Result<f64, c_int> {
    let missing = ffi::SQLITE_ERROR;
    let ranking = query_ranking(api, fts, keep)?;
    let phrase_count = api.xPhraseCount.ok_or(missing)?(fts).max(0) as usize;
    let mut instances = 0;
    check(api.xInstCount.ok_or(missing)?(fts, &mut instances))?;
    let inst = api.xInst.ok_or(missing)?;
    let mut frequencies = vec![0.0f64; phrase_count];
    let mut reached = Reached::default();
    for index in 0..instances {
        let (mut phrase, mut column, mut offset) = (0, 0, 0);
        check(inst(fts, index, &mut phrase, &mut column, &mut offset))?;
        if let Some(frequency) = frequencies.get_mut(phrase.max(0) as usize) {
            *frequency += weight(column);
        }
        reached.note(column, offset);
    }
    let bound = bm25_without_idf(&frequencies, reached.tokens(), ranking.average);
    if !ranking.best.may_take(bound) {
        return Ok(-bound);
    }
    let mut row_tokens: c_int = 0;
    check(api.xColumnSize.ok_or(missing)?(fts, -1, &mut row_tokens))?;
    let exact = bm25_without_idf(&frequencies, row_tokens as f64, ranking.average);
    ranking.best.add(exact);
    Ok(-exact)
}

/// The furthest match seen in each column: a row is at least as long as the
/// tokens up to its last match in every column, and a score only falls as the
/// row grows, so the score at that length bounds the exact one. A body whose
/// matches run to its end bounds the score almost exactly; the bound at length
/// 0 let nearly every row of the window through to a length read.
#[derive(Debug, Default)]
struct Reached {
    /// Per column (headline, summary, body): one past its furthest match's offset.
    columns: [i64; 3],
    /// Tokens reached in any further column (none today).
    others: i64,
}

impl Reached {
    fn note(&mut self, column: c_int, offset: c_int) {
        let end = i64::from(offset.max(0)) + 1;
        match self.columns.get_mut(column.max(0) as usize) {
            Some(reached) => *reached = (*reached).max(end),
            None => self.others = self.others.max(end),
        }
    }

    /// The fewest tokens the row can have.
    fn tokens(&self) -> f64 {
        (self.columns.iter().sum::<i64>() + self.others) as f64
    }
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
    use super::{bm25_without_idf, Best, Reached};

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

    #[test]
    fn a_row_without_its_length_scores_at_least_its_exact_score() {
        for frequency in [0.0, 1.0, 2.0, 4.0, 10.0, 14.0, 30.0] {
            for length in [1.0, 7.0, 100.0, 2_000.0] {
                let bound = bm25_without_idf(&[frequency, 1.0], 0.0, 120.0);
                assert!(bound >= bm25_without_idf(&[frequency, 1.0], length, 120.0));
            }
        }
    }

    #[test]
    fn a_row_is_at_least_as_long_as_its_matches_reach() {
        let mut reached = Reached::default();
        assert_eq!(reached.tokens(), 0.0);
        reached.note(0, 2);
        reached.note(2, 40);
        reached.note(2, 7);
        reached.note(0, 0);
        // Headline tokens 0..=2, body tokens 0..=40.
        assert_eq!(reached.tokens(), 3.0 + 41.0);
        // A row exactly that long scores its bound; any longer row less.
        let frequencies = [11.0, 1.0];
        let bound = bm25_without_idf(&frequencies, reached.tokens(), 120.0);
        assert_eq!(bound, bm25_without_idf(&frequencies, 44.0, 120.0));
        for length in [44.0, 45.0, 120.0, 2_000.0] {
            assert!(bound >= bm25_without_idf(&frequencies, length, 120.0));
        }
        assert!(
            bound < bm25_without_idf(&frequencies, 0.0, 120.0),
            "tighter than length 0"
        );
    }

    #[test]
    fn only_rows_that_can_reach_the_best_few_are_scored_exactly() {
        let mut best = Best::new(2);
        assert!(best.may_take(0.1));
        best.add(1.0);
        assert!(best.may_take(0.1), "fewer than two known");
        best.add(2.0);
        assert!(!best.may_take(0.9), "below both");
        assert!(best.may_take(1.0), "a tie with the worst is scored");
        best.add(1.5);
        assert!(!best.may_take(1.2), "the worst kept is now 1.5");
        // keep 0: every row is scored exactly.
        let mut every = Best::new(0);
        every.add(5.0);
        assert!(every.may_take(0.0));
    }
}
