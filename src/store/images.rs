//! Storing and reading pictures and their renditions.

use super::{on_pool, BeginWrite, Store, StoreError};

/// One encoded size of a picture, ready to send. `width` is the standard
/// width it is stored under; a small original is never enlarged.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Rendition {
    pub width: i64,
    pub height: i64,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A rendition's row: its bytes, or (in object storage) the SHA-256 that names them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredRendition {
    pub width: i64,
    pub height: i64,
    pub content_type: String,
    pub data: Option<Vec<u8>>,
    pub sha256: Option<String>,
}

/// The hex SHA-256 of `bytes`: a rendition's name in object storage.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// A rendition to store with a new picture.
pub struct NewRendition {
    /// The standard width this rendition answers for (see `media::WIDTHS`).
    pub width: i64,
    pub height: i64,
    pub content_type: String,
    pub data: Vec<u8>,
    /// The same rendition in other formats (WebP), kept in `image_alternates`.
    pub alternates: Vec<super::Alternate>,
}

/// A stored picture's facts, without its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImageMeta {
    pub id: i64,
    pub width: i64,
    pub height: i64,
    pub sha256: String,
    pub created_at: i64,
}

impl Store {
    /// Stores a picture and its renditions in one transaction; returns its id.
    /// With `keep_bytes` false the rows keep only each rendition's hash: the
    /// caller has already written the bytes to object storage under it.
    pub async fn insert_image(
        &self,
        width: i64,
        height: i64,
        sha256: &str,
        renditions: &[NewRendition],
        keep_bytes: bool,
        now: i64,
    ) -> Result<i64, StoreError> {
        let bytes = |data: &Vec<u8>| keep_bytes.then(|| data.clone());
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO images (width, height, sha256, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(width)
            .bind(height)
            .bind(sha256)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for r in renditions {
                sqlx::query(
                    "INSERT INTO image_renditions (image_id, width, height, content_type, data, sha256) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(r.width)
                .bind(r.height)
                .bind(&r.content_type)
                .bind(bytes(&r.data))
                .bind(content_hash(&r.data))
                .execute(&mut *tx)
                .await?;
                for alternate in &r.alternates {
                    sqlx::query(super::image_alternates::INSERT)
                        .bind(id)
                        .bind(r.width)
                        .bind(&alternate.content_type)
                        .bind(bytes(&alternate.data))
                        .bind(content_hash(&alternate.data))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The rendition stored for `target_width` (the key, not necessarily its pixel width).
    pub async fn image_rendition(
        &self,
        id: i64,
        target_width: i64,
    ) -> Result<Option<StoredRendition>, StoreError> {
        let row = on_pool!(self, pool => sqlx::query_as::<_, StoredRendition>(
            "SELECT r.width, r.height, r.content_type, r.data, r.sha256 FROM image_renditions r WHERE r.image_id = $1 AND r.width = $2",
        )
        .bind(id)
        .bind(target_width)
        .fetch_optional(pool)
        .await?);
        Ok(row)
    }

    /// The original size of a story's lead picture, if it has one.
    pub async fn lead_image_size(
        &self,
        story: &crate::domain::story::Story,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        match &story.content.lead_image {
            Some(lead) => Ok(self
                .image_meta(lead.image_id)
                .await?
                .map(|m| (m.width, m.height))),
            None => Ok(None),
        }
    }

    /// The original sizes (width, height) of the stored pictures among `ids`, by
    /// id, in one query: what a body's pictures are rendered with.
    pub async fn image_sizes(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, (i64, i64)>, StoreError> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(i64, i64, i64)> = on_pool!(self, pool => {
            let mut query = sqlx::QueryBuilder::new("SELECT id, width, height FROM images WHERE 1 = 1");
            super::public_lists::and_in(&mut query, "id", ids);
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(id, w, h)| (id, (w, h))).collect())
    }

    pub async fn image_meta(&self, id: i64) -> Result<Option<ImageMeta>, StoreError> {
        let row = on_pool!(self, pool => sqlx::query_as::<_, ImageMeta>(
            "SELECT id, width, height, sha256, created_at FROM images WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        Ok(row)
    }
}

impl Store {
    /// The public stories that show picture `id` at `now` (lead picture, body,
    /// or a published post of its live page): the picture is public exactly
    /// while this is not empty.
    pub async fn public_stories_showing(&self, id: i64, now: i64) -> Result<Vec<i64>, StoreError> {
        let sql = public_stories_showing_sql();
        Ok(
            on_pool!(self, pool => sqlx::query_scalar(&sql).bind(now).bind(id).fetch_all(pool).await?),
        )
    }
}

/// The public stories at `$1` that show picture `$2`, at most 50.
pub(super) fn public_stories_showing_sql() -> String {
    let public = super::public_lists::PUBLIC;
    format!(
        "SELECT s.id FROM story_images si JOIN stories s ON s.id = si.story_id \
         WHERE si.image_id = $2 AND {public} \
         UNION \
         SELECT s.id FROM live_posts p JOIN stories s ON s.id = p.story_id \
         WHERE p.image_id = $2 AND p.seq IS NOT NULL AND p.deleted_at IS NULL AND {public} \
         ORDER BY 1 LIMIT 50"
    )
}

impl Store {
    /// The pictures story `id` shows (lead, body, live posts), published or not:
    /// those whose public copies may change when the story's visibility does.
    pub async fn pictures_of_story(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar(super::picture_copy_checks::PICTURES_OF_STORY)
        .bind(id)
        .fetch_all(pool)
        .await?),
        )
    }
}
