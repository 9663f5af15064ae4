//! Lists read inside one row as JSON text, so that a story and everything it
//! lists (related stories, links, pictures, corrections…) come back from the
//! database in a single statement. Each dialect aggregates in its own words;
//! both give `[]` for no rows, and the caller decodes with `serde_json`.

use serde::de::DeserializeOwned;

use super::{Store, StoreError};

impl Store {
    /// A JSON array of `value`, one per row of `from` (a table with its
    /// `WHERE`) in `order`: a subquery usable as a column.
    pub(super) fn json_values(&self, value: &str, from: &str, order: &str) -> String {
        match self {
            // SQLite 3.44 and later take ORDER BY inside an aggregate.
            Store::Sqlite(_) => {
                format!("(SELECT json_group_array({value} ORDER BY {order}) FROM {from})")
            }
            Store::Postgres(_) => format!(
                "COALESCE((SELECT json_agg({value} ORDER BY {order})::text FROM {from}), '[]')"
            ),
        }
    }

    /// A JSON array with one array of `columns` per row of `from` in `order`.
    pub(super) fn json_rows(&self, columns: &str, from: &str, order: &str) -> String {
        let row = match self {
            Store::Sqlite(_) => format!("json_array({columns})"),
            Store::Postgres(_) => format!("json_build_array({columns})"),
        };
        self.json_values(&row, from, order)
    }
}

/// Decodes a list read by [`Store::json_values`] or [`Store::json_rows`];
/// `what` names it if the database handed back something else.
pub(super) fn decode<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("the {what} list could not be read: {e}")))
}
