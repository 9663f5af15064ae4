//! Makes the WebP renditions that older pictures lack, from their stored JPEG
//! (the original upload is not kept), in batches that each commit: stopped
//! half-way, a second run goes on where the first stopped. A public picture's
//! new WebP gets its public copy through the copies' outbox (`public_copies`).

use super::{PictureError, Pictures};
use crate::store::{Alternate, Store};

/// Renditions read, converted and stored at a time.
pub const BATCH: i64 = 32;

/// What a backfill did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Filled {
    /// Renditions given a WebP.
    pub made: u64,
    /// Renditions whose JPEG could not be read; they keep only the JPEG.
    pub unreadable: u64,
}

/// Gives every JPEG rendition without one a WebP, `batch` renditions at a
/// time; `progress` is told the running totals after each batch. With public
/// copies kept, a picture a public story shows at `now` is queued, in its
/// batch's transaction, for the public copy of its new WebP.
pub async fn fill_webp(
    store: &Store,
    pictures: &Pictures,
    batch: i64,
    now: i64,
    mut progress: impl FnMut(Filled),
) -> Result<Filled, PictureError> {
    let mut filled = Filled::default();
    let mut after = (0, 0);
    loop {
        let missing = store
            .renditions_missing_alternate(super::webp::CONTENT_TYPE, after, batch.max(1))
            .await?;
        let Some(last) = missing.last() else {
            return Ok(filled);
        };
        after = (last.image_id, last.width);
        let mut made = Vec::with_capacity(missing.len());
        for rendition in missing {
            let jpeg = match (rendition.data, rendition.sha256, pictures.objects()) {
                (Some(data), _, _) => data,
                (None, Some(hash), Some(objects)) => objects.rendition(&hash).await?,
                (None, _, _) => return Err(PictureError::NoObjectStorage(rendition.image_id)),
            };
            match webp_from_jpeg(&jpeg) {
                Some(data) => made.push((
                    rendition.image_id,
                    rendition.width,
                    Alternate {
                        content_type: super::webp::CONTENT_TYPE.to_string(),
                        data,
                    },
                )),
                None => filled.unreadable += 1,
            }
        }
        if let Some(objects) = pictures.objects() {
            for (_, _, alternate) in &made {
                objects
                    .put_rendition(&alternate.content_type, &alternate.data)
                    .await?;
            }
        }
        let public_copies_at = pictures.keeps_public_copies().then_some(now);
        let queued = store
            .insert_alternates(&made, pictures.objects().is_none(), public_copies_at)
            .await?;
        pictures.sync_queued(store, &queued, now).await;
        filled.made += made.len() as u64;
        progress(filled);
    }
}

fn webp_from_jpeg(jpeg: &[u8]) -> Option<Vec<u8>> {
    let decoded = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).ok()?;
    super::webp::encode(&decoded.to_rgb8(), super::webp::QUALITY).ok()
}
