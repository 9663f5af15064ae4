//! Lists read inside one row as JSON text, so that a story and everything it
//! lists (related stories, links, pictures, corrections…) come back from the
//! database in a single statement. Each dialect aggregates in its own words;
//! both give `[]` for no rows, and the caller decodes with `serde_json`.

use serde::de::DeserializeOwned;

use super::{Store, StoreError};

impl Store {
    /// A JSON array of `value`, one per row of `from` (a table with its
    /// `WHERE`): a subquery usable as a column. The rows come in no particular
    /// order, so a list with an order reads its position too and the caller
    /// sorts ([`sorted`]): an `ORDER BY` inside the aggregate made SQLite build
    /// a temporary B-tree for every list, a tenth of an article page's work.
    pub(super) fn json_values(&self, value: &str, from: &str) -> String {
        match self {
            Store::Sqlite(..) => format!("(SELECT json_group_array({value}) FROM {from})"),
            Store::Postgres(_) => {
                format!("COALESCE((SELECT json_agg({value})::text FROM {from}), '[]')")
            }
        }
    }

    /// A JSON array with one array of `columns` per row of `from`, in no particular order.
    pub(super) fn json_rows(&self, columns: &str, from: &str) -> String {
        let row = match self {
            Store::Sqlite(..) => format!("json_array({columns})"),
            Store::Postgres(_) => format!("json_build_array({columns})"),
        };
        self.json_values(&row, from)
    }
}

/// Decodes a list read by [`Store::json_values`] or [`Store::json_rows`];
/// `what` names it if the database handed back something else.
pub(super) fn decode<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("the {what} list could not be read: {e}")))
}

/// The items of a list read with its positions as `(position, item)`, in order.
pub(super) fn sorted<K: Ord, T>(mut rows: Vec<(K, T)>) -> Vec<T> {
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.into_iter().map(|(_, item)| item).collect()
}
