//! The CDN's public copies of pictures (`media_public_url`), kept in step with
//! visibility through an outbox (`store::picture_copy_checks`): a change queues
//! its pictures in its own transaction, the node syncs them once it commits,
//! and every node's scheduler retries what a failed or interrupted sync left.
//! So a copy can outlive its story's withdrawal (or be missing after a
//! publication) only until object storage answers again.

use super::objects::public_key;
use super::pictures::no_bytes;
use super::{webp, PictureError, Pictures, WIDTHS};
use crate::store::Store;

/// Seconds a node that claimed a check has before another node may try it,
/// which is also how long a failed check waits for its next try.
pub const RETRY_AFTER: i64 = 60;
/// Checks one scheduler tick tries at the most.
const RETRY_BATCH: i64 = 32;

/// What a retry did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Retried {
    /// Checks this node claimed and finished.
    pub synced: usize,
    /// Checks this node claimed whose sync failed: tried again after [`RETRY_AFTER`].
    pub failed: usize,
}

impl Pictures {
    /// Writes picture `id`'s public copies while a public story shows it and
    /// deletes them otherwise, then closes its queued check unless a change
    /// queued it again meanwhile. Holds the picture's lock throughout, so that
    /// two nodes deciding at once end on the decision made last.
    pub async fn sync_public(&self, store: &Store, id: i64, now: i64) -> Result<(), PictureError> {
        let Some(objects) = self.public_copies() else {
            return Ok(());
        };
        let _lock = store.lock_picture(id).await?;
        // Read before visibility: a change committed after this bumps it.
        let queued = store.copy_check_generation(id).await?;
        let public = !store.public_stories_showing(id, now).await?.is_empty();
        for width in WIDTHS {
            for format in ["image/jpeg", webp::CONTENT_TYPE] {
                let key = public_key(id, width, format);
                if !public {
                    objects.delete(&key).await?;
                    continue;
                }
                let row = if format == webp::CONTENT_TYPE {
                    store.image_alternate(id, width, format).await?
                } else {
                    store.image_rendition(id, width).await?
                };
                // Copied within the bucket; written from the database while
                // `dateline media migrate` has not moved its bytes yet.
                match row.map(|row| (row.data, row.sha256)) {
                    None => {}
                    Some((Some(data), _)) => objects.put_public(&key, format, &data).await?,
                    Some((None, Some(hash))) => objects.copy_rendition(&hash, &key).await?,
                    Some((None, None)) => return Err(no_bytes(id).into()),
                }
            }
        }
        if let Some(generation) = queued {
            store.finish_copy_check(id, generation).await?;
        }
        Ok(())
    }

    /// Brings the public copies of every picture story `id` shows in step with
    /// whether each is public now (a no-op without `media_public_url`).
    pub async fn sync_story(&self, store: &Store, id: i64, now: i64) -> Result<(), PictureError> {
        if self.public_copies().is_none() {
            return Ok(());
        }
        for picture in store.pictures_of_story(id).await? {
            self.sync_public(store, picture, now).await?;
        }
        Ok(())
    }

    /// Syncs the pictures a committed change queued. A failure is logged, not
    /// returned: the change is done, and its check stays queued for the
    /// scheduler to retry. Returns how many pictures failed.
    pub async fn sync_queued(&self, store: &Store, pictures: &[i64], now: i64) -> usize {
        let mut failed = 0;
        for &picture in pictures {
            if let Err(e) = self.sync_public(store, picture, now).await {
                failed += 1;
                tracing::warn!(picture, error = %e, "public copy not synced; the scheduler will retry");
            }
        }
        failed
    }

    /// The scheduler's retry (every node, every tick): claims each check due
    /// at `now`, one at a time as `editorial::scheduled` claims stories, and
    /// syncs it; a failed one waits [`RETRY_AFTER`] seconds.
    pub async fn retry_copy_checks(
        &self,
        store: &Store,
        now: i64,
    ) -> Result<Retried, PictureError> {
        let mut retried = Retried::default();
        if self.public_copies().is_none() {
            return Ok(retried);
        }
        for picture in store.due_copy_checks(now, RETRY_BATCH).await? {
            if !store
                .claim_copy_check(picture, now, now + RETRY_AFTER)
                .await?
            {
                continue; // another node has it
            }
            match self.sync_public(store, picture, now).await {
                Ok(()) => retried.synced += 1,
                Err(e) => {
                    retried.failed += 1;
                    tracing::warn!(picture, error = %e, "public copy still not synced; will retry");
                }
            }
        }
        Ok(retried)
    }
}
