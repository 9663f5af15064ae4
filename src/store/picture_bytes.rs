//! Moving pictures' bytes out of the database (`dateline media migrate`), and
//! the per-picture lock under which a picture's public copies are changed.

use std::sync::{Arc, LazyLock};

use super::{on_pool, BeginWrite, Store, StoreError};

/// The two tables that hold rendition bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `image_renditions`: the JPEGs.
    Renditions,
    /// `image_alternates`: the same renditions in other formats (WebP).
    Alternates,
}

/// A rendition whose bytes are still in the database.
#[derive(Debug, Clone)]
pub struct BytesInDatabase {
    pub table: Table,
    pub image_id: i64,
    pub width: i64,
    pub content_type: String,
    pub data: Vec<u8>,
}

impl Store {
    /// Up to `limit` renditions whose bytes are in the database, JPEGs first,
    /// in (picture, width) order: a migration moves them and clears them, so
    /// the next call answers the next ones.
    pub async fn bytes_in_database(&self, limit: i64) -> Result<Vec<BytesInDatabase>, StoreError> {
        let mut found = Vec::new();
        for (table, sql) in [
            (
                Table::Renditions,
                "SELECT image_id, width, content_type, data FROM image_renditions \
                 WHERE data IS NOT NULL ORDER BY image_id, width LIMIT $1",
            ),
            (
                Table::Alternates,
                "SELECT image_id, width, content_type, data FROM image_alternates \
                 WHERE data IS NOT NULL ORDER BY image_id, width, content_type LIMIT $1",
            ),
        ] {
            let left = limit - found.len() as i64;
            if left <= 0 {
                break;
            }
            let rows: Vec<(i64, i64, String, Vec<u8>)> = on_pool!(self, pool => sqlx::query_as(sql)
                .bind(left)
                .fetch_all(pool)
                .await?);
            found.extend(
                rows.into_iter()
                    .map(|(image_id, width, content_type, data)| BytesInDatabase {
                        table,
                        image_id,
                        width,
                        content_type,
                        data,
                    }),
            );
        }
        Ok(found)
    }

    /// Records that each rendition's bytes are in object storage under its
    /// hash, and clears them here, in one transaction.
    pub async fn clear_moved_bytes(
        &self,
        moved: &[(&BytesInDatabase, String)],
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for (row, sha256) in moved {
                let sql = match row.table {
                    Table::Renditions => "UPDATE image_renditions SET data = NULL, sha256 = $1 \
                        WHERE image_id = $2 AND width = $3 AND data IS NOT NULL",
                    Table::Alternates => "UPDATE image_alternates SET data = NULL, sha256 = $1 \
                        WHERE image_id = $2 AND width = $3 AND content_type = $4 AND data IS NOT NULL",
                };
                sqlx::query(sql)
                    .bind(sha256)
                    .bind(row.image_id)
                    .bind(row.width)
                    .bind(&row.content_type)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// How many renditions (JPEG and other formats) keep their bytes in the database.
    pub async fn count_bytes_in_database(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM image_renditions WHERE data IS NOT NULL) \
                  + (SELECT COUNT(*) FROM image_alternates WHERE data IS NOT NULL)",
        )
        .fetch_one(pool)
        .await?))
    }

    /// Holds picture `id`'s lock until dropped, so two nodes (or two requests)
    /// changing its public copies at once cannot leave a withdrawn picture
    /// public. PostgreSQL: a transaction-scoped advisory lock, seen by every
    /// node. SQLite has one node per file: a lock in this process.
    pub async fn lock_picture(&self, id: i64) -> Result<PictureLock, StoreError> {
        match self {
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
                    .bind(PICTURE_LOCK_CLASS)
                    .bind(id as i32)
                    .execute(&mut *tx)
                    .await?;
                Ok(PictureLock::Postgres(tx))
            }
            Store::Sqlite(..) => {
                let stripe = &SQLITE_PICTURE_LOCKS[id.rem_euclid(STRIPES as i64) as usize];
                Ok(PictureLock::Sqlite(Arc::clone(stripe).lock_owned().await))
            }
        }
    }
}

/// The advisory lock class of pictures (its key is the picture's id; ids
/// beyond 2³¹ share keys, which only makes two pictures wait for each other).
const PICTURE_LOCK_CLASS: i32 = 0x5049_4354; // "PICT"

const STRIPES: usize = 64;
static SQLITE_PICTURE_LOCKS: LazyLock<Vec<Arc<tokio::sync::Mutex<()>>>> =
    LazyLock::new(|| (0..STRIPES).map(|_| Arc::default()).collect());

/// A held picture lock; dropping it releases it.
pub enum PictureLock {
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
    Sqlite(tokio::sync::OwnedMutexGuard<()>),
}
