//! Search bands (PostgreSQL): one partial GIN index of `search_vector` for each
//! band of `BAND` story ids, beside the index of every story.
//!
//! A search wants a query's newest matches. The GIN index of the whole archive
//! hands back every match at once: for a word in one story of twenty, 52,000 of
//! a million, 10-13 ms before a row is read, and a slice of the newest ids costs
//! as much again in primary-key bitmap. A band's own index holds only its
//! stories, so the newest band's matches come back in about 1 ms (measured with
//! EXPLAIN ANALYZE on a million stories). `Store::search` reads bands newest
//! first and stops when the window is full.
//!
//! The indexes are made with `CREATE INDEX CONCURRENTLY`, so stories can still
//! be written meanwhile, one node at a time (an advisory lock), and one band
//! ahead of the newest story, so a band's index is there before its first row.
//! Until a band has its index, its searches use the whole archive's index, with
//! the same results.

use super::{Store, StoreError};

/// Story ids per band; a million stories make twenty bands. A band's matches
/// are all read from the table (a bitmap scan cannot stop early), so smaller
/// bands would read fewer rows for a common word, but the planner weighs every
/// partial index on `stories` for every statement on the table it plans: with
/// bands of 10,000 (102 indexes at a million) the section fronts, front page
/// and feeds served 22–40 % fewer pages a second (bench/RESULTS.md).
pub const BAND: i64 = 50_000;

/// What every band index's name starts with.
const INDEX_PREFIX: &str = "stories_search_band_";

/// The advisory lock held while a node makes band indexes ("dateline" + 1).
const BANDS_LOCK: i64 = 0x6461_7465_6c69_6e01;

/// The band that holds story `id` (ids start at 1).
pub fn band_of(id: i64) -> i64 {
    (id.max(1) - 1) / BAND
}

/// The ids of band `band`: above the first, up to and including the second.
pub fn band_bounds(band: i64) -> (i64, i64) {
    (band * BAND, (band + 1) * BAND)
}

/// The name of band `band`'s index.
fn index_name(band: i64) -> String {
    format!("{INDEX_PREFIX}{band}")
}

/// The band of an index named by `index_name`, if `name` is one.
fn band_of_index(name: &str) -> Option<i64> {
    name.strip_prefix(INDEX_PREFIX)?.parse().ok()
}

impl Store {
    /// Makes the band indexes that are missing, up to one band beyond the newest
    /// story, and remakes any left invalid by an interrupted build. Returns how
    /// many it made; 0 on SQLite, or when another node is making them now.
    pub async fn ensure_search_bands(&self) -> Result<usize, StoreError> {
        let Store::Postgres(pool) = self else {
            return Ok(0);
        };
        // One connection throughout: the advisory lock belongs to it.
        let mut connection = pool.acquire().await?;
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(BANDS_LOCK)
            .fetch_one(&mut *connection)
            .await?;
        if !locked {
            return Ok(0);
        }
        let made = make_missing_bands(&mut connection).await;
        let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(BANDS_LOCK)
            .execute(&mut *connection)
            .await;
        let made = made?;
        unlocked?;
        Ok(made)
    }
}

/// The newest story's id, 0 when there is none: how far the bands reach.
pub async fn newest_story_id<'e>(executor: impl sqlx::PgExecutor<'e>) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM stories")
            .fetch_one(executor)
            .await?,
    )
}

async fn make_missing_bands(connection: &mut sqlx::PgConnection) -> Result<usize, StoreError> {
    let newest = newest_story_id(&mut *connection).await?;
    // `_` is LIKE's any-character: escaped, the prefix matches only itself.
    let pattern = format!("{}%", INDEX_PREFIX.replace('_', "\\_"));
    let existing: Vec<(String, bool)> = sqlx::query_as(
        "SELECT c.relname::text, i.indisvalid FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indexrelid \
         WHERE i.indrelid = 'stories'::regclass AND c.relname LIKE $1",
    )
    .bind(pattern)
    .fetch_all(&mut *connection)
    .await?;
    let mut made = 0;
    for band in 0..=band_of(newest) + 1 {
        let name = index_name(band);
        match existing
            .iter()
            .find(|(n, _)| band_of_index(n) == Some(band))
        {
            Some((_, true)) => continue,
            Some((_, false)) => {
                sqlx::query(&format!("DROP INDEX CONCURRENTLY IF EXISTS {name}"))
                    .execute(&mut *connection)
                    .await?;
            }
            None => {}
        }
        let (above, up_to) = band_bounds(band);
        let started = std::time::Instant::now();
        sqlx::query(&format!(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON stories USING GIN (search_vector) \
             WHERE id > {above} AND id <= {up_to}"
        ))
        .execute(&mut *connection)
        .await?;
        tracing::info!(
            band,
            above,
            up_to,
            seconds = started.elapsed().as_secs_f64(),
            "made a search band index"
        );
        made += 1;
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_fall_in_the_band_whose_bounds_hold_them() {
        for id in [
            1,
            2,
            BAND - 1,
            BAND,
            BAND + 1,
            3 * BAND,
            3 * BAND + 1,
            999_990,
        ] {
            let (above, up_to) = band_bounds(band_of(id));
            assert!(id > above && id <= up_to, "{id}: {above}..={up_to}");
        }
        assert_eq!(band_of(BAND), 0);
        assert_eq!(band_of(BAND + 1), 1);
    }

    #[test]
    fn index_names_round_trip() {
        assert_eq!(band_of_index(&index_name(17)), Some(17));
        assert_eq!(band_of_index("stories_search"), None);
        assert_eq!(band_of_index("stories_search_band_x"), None);
    }
}
