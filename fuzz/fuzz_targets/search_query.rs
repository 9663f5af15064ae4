//! The search box's language: any text is a query or a message for the reader,
//! never a panic; and what reaches either engine keeps every clause inside quotes.
#![no_main]

use dateline::domain::search_query;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let query = match search_query::parse(input) {
        Ok(query) => query,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(!query.include.is_empty());
    assert!(query.include.len() + query.exclude.len() <= search_query::MAX_CLAUSES);
    // FTS5: each clause one string, its quotes doubled, so quotes always pair up.
    let fts5 = query.to_fts5();
    assert_eq!(fts5.matches('"').count() % 2, 0, "{fts5:?} from {input:?}");
    // tsquery: no quote or backslash inside a clause can end its string early.
    let tsquery = query.to_tsquery();
    assert!(!tsquery.contains('\\'), "{tsquery:?} from {input:?}");
    let clauses = query.include.len() + query.exclude.len();
    assert_eq!(tsquery.matches('\'').count(), 2 * clauses, "{tsquery:?}");
});
