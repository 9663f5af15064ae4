//! Upkeep after a load of stories (`dateline demo`, `dateline import`, a first
//! `serve`'s demo): each database's own housekeeping, run once then and never
//! on a page's path.

use super::{Store, StoreError};

impl Store {
    /// Merges SQLite's full-text index into one segment (FTS5's `optimize`), after
    /// a load of stories: each insert adds to a small segment, and a search seeks
    /// its words in every segment and merges what they hold, so one segment makes
    /// every search cheaper. Writes go on merging new segments as usual. Returns
    /// whether it merged; PostgreSQL has nothing to merge.
    pub async fn merge_search_index(&self) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(pool, _) => {
                sqlx::query("INSERT INTO stories_fts (stories_fts) VALUES ('optimize')")
                    .execute(pool)
                    .await?;
                Ok(true)
            }
            Store::Postgres(_) => Ok(false),
        }
    }

    /// Gives PostgreSQL's planner statistics of the tables a load filled
    /// (`ANALYZE`). Autovacuum analyses a table only after 50 changed rows and a
    /// tenth of its size, so the demo's tables and a small import were left
    /// unanalysed, and planned as guesses: with statistics, pgbench ran the
    /// demo article's statement at 7,165 executions a second instead of 5,157
    /// (bench/RESULTS.md). Returns whether it analysed; SQLite keeps its plans.
    pub async fn analyze_after_load(&self) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(..) => Ok(false),
            Store::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
                Ok(true)
            }
        }
    }
}
