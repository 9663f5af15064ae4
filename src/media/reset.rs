//! Deleting every story and picture (`dateline demo --reset`) with what object
//! storage holds of them, and nothing else: a bucket may hold other data. The
//! public copies go through the outbox (a check queued for each picture in the
//! deleting transaction, so that one not deleted now is retried by the serving
//! nodes' scheduler); the renditions the database named, `renditions/{sha256}`,
//! are deleted by hash once the rows naming them are gone.

use super::objects::rendition_key;
use super::{PictureError, Pictures};
use crate::store::Store;

/// What a reset deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// Pictures deleted, whose public copies went with them.
    pub pictures: usize,
    /// Renditions deleted from object storage.
    pub renditions: usize,
}

/// Deletes every story, picture and promo, then the deleted pictures' public
/// copies and the renditions in object storage the database named.
pub async fn delete_all_content(
    store: &Store,
    pictures: &Pictures,
    now: i64,
) -> Result<Removed, PictureError> {
    let public_copies_at = pictures.keeps_public_copies().then_some(now);
    let deleted = store.delete_all_content(public_copies_at).await?;
    if public_copies_at.is_some() {
        // No story shows them now: each sync deletes the picture's copies.
        for &picture in &deleted.pictures {
            pictures.sync_public(store, picture, now).await?;
        }
    }
    let mut removed = Removed {
        pictures: deleted.pictures.len(),
        renditions: 0,
    };
    if let Some(objects) = pictures.objects() {
        for hash in &deleted.object_hashes {
            objects.delete(&rendition_key(hash)).await?;
            removed.renditions += 1;
        }
    }
    Ok(removed)
}
