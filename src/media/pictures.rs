//! Where a picture's bytes are: the database (the default) or object storage.
//! Every reader and writer of rendition bytes goes through [`Pictures`], so
//! the rest of Dateline (upload, serving, demo, export) works with either.

use std::sync::Arc;

use thiserror::Error;

use super::objects::{ObjectError, ObjectStorage};
use super::ProcessedImage;
use crate::config::MediaSettings;
use crate::store::{Rendition, Store, StoreError, StoredRendition};

#[derive(Debug, Error)]
pub enum PictureError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Objects(#[from] ObjectError),
    #[error("picture {0}'s bytes are in object storage, but media_store is not \"s3\"")]
    NoObjectStorage(i64),
}

/// The configured home of pictures' bytes; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    objects: Option<Arc<ObjectStorage>>,
}

impl Pictures {
    /// Pictures kept in the database.
    pub fn database() -> Pictures {
        Pictures::default()
    }

    pub fn from_settings(settings: &MediaSettings) -> Result<Pictures, ObjectError> {
        Ok(Pictures {
            objects: match settings {
                MediaSettings::Database => None,
                MediaSettings::S3(s3) => Some(Arc::new(ObjectStorage::connect(s3)?)),
            },
        })
    }

    pub fn objects(&self) -> Option<&ObjectStorage> {
        self.objects.as_deref()
    }

    /// Stores a checked picture; returns its id. In object storage each
    /// rendition is written (under its hash) before the rows that name it.
    pub async fn insert(
        &self,
        store: &Store,
        picture: &ProcessedImage,
        now: i64,
    ) -> Result<i64, PictureError> {
        if let Some(objects) = self.objects() {
            for rendition in &picture.renditions {
                objects
                    .put_rendition(&rendition.content_type, &rendition.data)
                    .await?;
                for alternate in &rendition.alternates {
                    objects
                        .put_rendition(&alternate.content_type, &alternate.data)
                        .await?;
                }
            }
        }
        Ok(store
            .insert_image(
                picture.width,
                picture.height,
                &picture.sha256,
                &picture.renditions,
                self.objects.is_none(),
                now,
            )
            .await?)
    }

    /// The JPEG rendition of picture `id` stored for `width`, with its bytes.
    pub async fn rendition(
        &self,
        store: &Store,
        id: i64,
        width: i64,
    ) -> Result<Option<Rendition>, PictureError> {
        match store.image_rendition(id, width).await? {
            Some(row) => Ok(Some(self.bytes_of(id, row).await?)),
            None => Ok(None),
        }
    }

    /// Picture `id` at `width` in another format (WebP), if it has been made.
    pub async fn alternate(
        &self,
        store: &Store,
        id: i64,
        width: i64,
        content_type: &str,
    ) -> Result<Option<Rendition>, PictureError> {
        match store.image_alternate(id, width, content_type).await? {
            Some(row) => Ok(Some(self.bytes_of(id, row).await?)),
            None => Ok(None),
        }
    }

    async fn bytes_of(&self, id: i64, row: StoredRendition) -> Result<Rendition, PictureError> {
        let data = match (row.data, row.sha256) {
            (Some(data), _) => data,
            (None, Some(hash)) => match self.objects() {
                Some(objects) => objects.rendition(&hash).await?,
                None => return Err(PictureError::NoObjectStorage(id)),
            },
            (None, None) => return Err(no_bytes(id).into()),
        };
        Ok(Rendition {
            width: row.width,
            height: row.height,
            content_type: row.content_type,
            data,
        })
    }

    /// Whether public pictures are copied to a CDN's path (`media_public_url`).
    pub fn keeps_public_copies(&self) -> bool {
        self.public_copies().is_some()
    }

    /// The bucket, when public copies are kept in it.
    pub(super) fn public_copies(&self) -> Option<&ObjectStorage> {
        self.objects().filter(|o| o.public_url().is_some())
    }

    /// Moves up to `limit` renditions' bytes from the database to object
    /// storage: each is written, read back and compared by hash before its
    /// bytes are cleared, a batch per transaction. Returns how many moved; a
    /// run stopped at any point loses nothing, and the next goes on from there.
    pub async fn migrate_batch(&self, store: &Store, limit: i64) -> Result<usize, PictureError> {
        let Some(objects) = self.objects() else {
            return Ok(0);
        };
        let rows = store.bytes_in_database(limit).await?;
        let mut moved = Vec::with_capacity(rows.len());
        for row in &rows {
            let hash = objects.put_rendition(&row.content_type, &row.data).await?;
            // Read back and checked against the hash: only bytes that are
            // really there, whole, are cleared here.
            objects.rendition(&hash).await?;
            moved.push((row, hash));
        }
        store.clear_moved_bytes(&moved).await?;
        Ok(moved.len())
    }
}

/// A rendition row with neither bytes in the database nor a hash in object
/// storage: nothing to serve or copy.
pub(super) fn no_bytes(id: i64) -> StoreError {
    StoreError::Corrupt(format!("picture {id} has no bytes"))
}
