//! A picture's renditions in formats other than JPEG (WebP), one per standard
//! width and format, served to browsers that accept them (`web::images`).

use super::picture_copy_checks::QUEUE;
use super::{content_hash, on_pool, BeginWrite, Store, StoreError, StoredRendition};

/// A rendition in another format, stored with its JPEG.
#[derive(Debug, Clone)]
pub struct Alternate {
    /// `image/webp`: the format, and the `Content-Type` it is sent with.
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A JPEG rendition that has no alternate in some format yet, with its bytes,
/// to make that alternate from (`media::backfill`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MissingAlternate {
    pub image_id: i64,
    pub width: i64,
    /// The JPEG, or (in object storage) `None` and its hash.
    pub data: Option<Vec<u8>>,
    pub sha256: Option<String>,
}

/// Adds an alternate; a second one of the same rendition and format is ignored,
/// so two backfills running at once cannot fail each other.
pub(super) const INSERT: &str =
    "INSERT INTO image_alternates (image_id, width, content_type, data, sha256) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (image_id, width, content_type) DO NOTHING";

impl Store {
    /// Rendition `target_width` of picture `id` in `content_type`, if it has been made.
    pub async fn image_alternate(
        &self,
        id: i64,
        target_width: i64,
        content_type: &str,
    ) -> Result<Option<StoredRendition>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as::<_, StoredRendition>(
            "SELECT r.width, r.height, a.content_type, a.data, a.sha256 \
             FROM image_alternates a \
             JOIN image_renditions r ON r.image_id = a.image_id AND r.width = a.width \
             WHERE a.image_id = $1 AND a.width = $2 AND a.content_type = $3",
        )
        .bind(id)
        .bind(target_width)
        .bind(content_type)
        .fetch_optional(pool)
        .await?))
    }

    /// Up to `limit` renditions with no alternate in `content_type`, in
    /// (picture, width) order after `after`: a backfill walks them in batches
    /// and, by moving past each, cannot loop on one it could not convert.
    pub async fn renditions_missing_alternate(
        &self,
        content_type: &str,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<MissingAlternate>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as::<_, MissingAlternate>(
            "SELECT r.image_id, r.width, r.data, r.sha256 FROM image_renditions r \
             WHERE (r.image_id > $2 OR (r.image_id = $2 AND r.width > $3)) \
             AND NOT EXISTS (SELECT 1 FROM image_alternates a \
                 WHERE a.image_id = r.image_id AND a.width = r.width AND a.content_type = $1) \
             ORDER BY r.image_id, r.width LIMIT $4",
        )
        .bind(content_type)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(pool)
        .await?),
        )
    }

    /// Stores a batch of alternates made by a backfill, in one transaction;
    /// without `keep_bytes` only their hashes (the bytes are in object storage).
    /// With `public_copies_at`, each picture a public story shows at that time
    /// gets a check of its public copies queued in the same transaction (its
    /// new WebP must be copied too); returns those pictures.
    pub async fn insert_alternates(
        &self,
        alternates: &[(i64, i64, Alternate)],
        keep_bytes: bool,
        public_copies_at: Option<i64>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut pictures: Vec<i64> = alternates.iter().map(|(id, _, _)| *id).collect();
        pictures.sort_unstable();
        pictures.dedup();
        let showing = super::images::public_stories_showing_sql();
        let mut queued = Vec::new();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for (image_id, width, alternate) in alternates {
                sqlx::query(INSERT)
                    .bind(image_id)
                    .bind(width)
                    .bind(&alternate.content_type)
                    .bind(keep_bytes.then_some(&alternate.data))
                    .bind(content_hash(&alternate.data))
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(at) = public_copies_at {
                for &picture in &pictures {
                    let public: Vec<i64> = sqlx::query_scalar(&showing)
                        .bind(at)
                        .bind(picture)
                        .fetch_all(&mut *tx)
                        .await?;
                    if !public.is_empty() {
                        sqlx::query(QUEUE).bind(picture).bind(at).execute(&mut *tx).await?;
                        queued.push(picture);
                    }
                }
            }
            tx.commit().await?;
        });
        Ok(queued)
    }

    /// How many renditions have no alternate in `content_type`.
    pub async fn count_missing_alternates(&self, content_type: &str) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM image_renditions r WHERE NOT EXISTS (SELECT 1 FROM image_alternates a \
             WHERE a.image_id = r.image_id AND a.width = r.width AND a.content_type = $1)",
        )
        .bind(content_type)
        .fetch_one(pool)
        .await?))
    }
}
