//! The record of stories imported from legacy pages (`dateline import`): how a
//! re-import finds its story, and the lead picture a page described but lacked.

use super::{on_pool, Store, StoreError};

/// What is kept about one imported story.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportRecord {
    pub story_id: i64,
    pub path_key: String,
    pub content_key: String,
    pub fingerprint: String,
    pub source: String,
    pub missing_image_alt: Option<String>,
    pub missing_image_caption: Option<String>,
    pub imported_at: i64,
}

impl ImportRecord {
    /// The alt text and caption of the lead picture the page described but lacked.
    pub fn missing_picture(&self) -> Option<(String, String)> {
        if self.missing_image_alt.is_none() && self.missing_image_caption.is_none() {
            return None;
        }
        Some((
            self.missing_image_alt.clone().unwrap_or_default(),
            self.missing_image_caption.clone().unwrap_or_default(),
        ))
    }
}

/// Inside transaction `$tx`: records (or refreshes) `$record` as the import of
/// story `$story`. Another story's claim on the same path moves to this one:
/// the file now holds this page.
macro_rules! write_import_record {
    ($tx:expr, $record:expr, $story:expr) => {{
        let record: &$crate::store::ImportRecord = $record;
        let story: i64 = $story;
        sqlx::query("DELETE FROM story_imports WHERE path_key = $1 AND story_id <> $2")
            .bind(&record.path_key)
            .bind(story)
            .execute(&mut *$tx)
            .await?;
        sqlx::query(
            "INSERT INTO story_imports (story_id, path_key, content_key, fingerprint, source, \
             missing_image_alt, missing_image_caption, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (story_id) DO UPDATE SET path_key = excluded.path_key, \
             content_key = excluded.content_key, fingerprint = excluded.fingerprint, source = excluded.source, \
             missing_image_alt = excluded.missing_image_alt, \
             missing_image_caption = excluded.missing_image_caption, imported_at = excluded.imported_at",
        )
        .bind(story)
        .bind(&record.path_key)
        .bind(&record.content_key)
        .bind(&record.fingerprint)
        .bind(&record.source)
        .bind(&record.missing_image_alt)
        .bind(&record.missing_image_caption)
        .bind(record.imported_at)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(super) use write_import_record;

const SELECT: &str =
    "SELECT story_id, path_key, content_key, fingerprint, source, missing_image_alt, \
     missing_image_caption, imported_at FROM story_imports";

impl Store {
    /// The earlier import of the same file, or else of the same page from another file.
    pub async fn find_import(
        &self,
        path_key: &str,
        content_key: &str,
    ) -> Result<Option<ImportRecord>, StoreError> {
        let sql = format!(
            "{SELECT} WHERE path_key = $1 OR content_key = $2 \
             ORDER BY CASE WHEN path_key = $1 THEN 0 ELSE 1 END, story_id LIMIT 1"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(path_key)
            .bind(content_key)
            .fetch_optional(pool)
            .await?))
    }

    /// The import record of a story, if it was imported.
    pub async fn import_of(&self, story_id: i64) -> Result<Option<ImportRecord>, StoreError> {
        let sql = format!("{SELECT} WHERE story_id = $1");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(story_id).fetch_optional(pool).await?))
    }
}
