//! Keeps the CDN's public copies of pictures (`media_public_url`) in step with
//! visibility: after every change that can make a story public or withdraw it
//! (publish, kill, embargo, a due schedule, a live post), each picture the
//! changed stories show — before and after the change — is written to the
//! public path if a public story shows it, and deleted from it otherwise.

use super::{Editorial, EditorialError};
use crate::store::Target;

impl Editorial<'_> {
    /// The pictures a story shows before `target` changes it: an edit may take
    /// one out, and it must leave the public path with the story's other copies.
    pub(super) async fn pictures_before(
        &self,
        target: &Target,
    ) -> Result<Vec<i64>, EditorialError> {
        match target {
            Target::Existing { id, .. } if self.pictures.keeps_public_copies() => {
                Ok(self.store.pictures_of_story(*id).await?)
            }
            _ => Ok(Vec::new()),
        }
    }

    /// Brings the public copies of `pictures` and of every picture shown by the
    /// stories the change logged (`story-{id}` keys) in step with visibility at `now`.
    pub(super) async fn sync_public_pictures(
        &self,
        logged: &[String],
        mut pictures: Vec<i64>,
        now: i64,
    ) -> Result<(), EditorialError> {
        if !self.pictures.keeps_public_copies() {
            return Ok(());
        }
        for story in logged
            .iter()
            .flat_map(|row| row.split(' '))
            .filter_map(|key| key.strip_prefix("story-")?.parse::<i64>().ok())
        {
            pictures.extend(self.store.pictures_of_story(story).await?);
        }
        pictures.sort_unstable();
        pictures.dedup();
        for picture in pictures {
            self.pictures.sync_public(self.store, picture, now).await?;
        }
        Ok(())
    }
}
