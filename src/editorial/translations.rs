//! A story's versions in other editions: an editor links a translation to a
//! story, or unlinks one, as one transaction with its audit row and the log
//! rows of both stories (`store::translations`). The rules' refusals come back
//! as a field error for the editor page's "Versions in other editions" form.

use super::{Actor, Editorial, EditorialError};
use crate::domain::edition::Editions;
use crate::store::{LinkRefusal, VersionChange};

/// The field of the editor page the refusals are shown by.
pub const VERSION_FIELD: &str = "translation";

impl Editorial<'_> {
    /// Links story `other` to `story` as a version in another edition (editors
    /// only). `editions` names the editions in the refusals.
    pub async fn link_translation(
        &self,
        actor: Actor<'_>,
        editions: &Editions,
        story: i64,
        other: i64,
        now: i64,
    ) -> Result<(), EditorialError> {
        if !actor.role.is_editor() {
            return Err(EditorialError::NotAllowed);
        }
        if story == other {
            return Err(refused("A story cannot be linked to itself.".into()));
        }
        let change = VersionChange {
            story_id: story,
            other_id: other,
            actor: actor.name,
            at: now,
        };
        match self.store.link_versions(&change).await? {
            Ok(logged) => {
                self.copies.drop_logged(&logged);
                Ok(())
            }
            Err(refusal) => Err(refused(wording(&refusal, editions, other))),
        }
    }

    /// Takes story `other` out of `story`'s versions (editors only).
    pub async fn unlink_translation(
        &self,
        actor: Actor<'_>,
        editions: &Editions,
        story: i64,
        other: i64,
        now: i64,
    ) -> Result<(), EditorialError> {
        if !actor.role.is_editor() {
            return Err(EditorialError::NotAllowed);
        }
        let change = VersionChange {
            story_id: story,
            other_id: other,
            actor: actor.name,
            at: now,
        };
        match self.store.unlink_versions(&change).await? {
            Ok(logged) => {
                self.copies.drop_logged(&logged);
                Ok(())
            }
            Err(refusal) => Err(refused(wording(&refusal, editions, other))),
        }
    }
}

fn refused(message: String) -> EditorialError {
    EditorialError::Field {
        field: VERSION_FIELD,
        message,
    }
}

/// What the editor reads when a link or unlink of story `other` is refused.
fn wording(refusal: &LinkRefusal, editions: &Editions, other: i64) -> String {
    let name = |id: i64| {
        editions
            .by_id(id)
            .map(|e| e.english_name.clone())
            .unwrap_or_else(|| "same".into())
    };
    match refusal {
        LinkRefusal::Unknown => format!("There is no story {other}."),
        LinkRefusal::SameEdition(edition) => format!(
            "Story {other} is in the {} edition too: a translation must be in another edition.",
            name(*edition)
        ),
        LinkRefusal::AlreadyLinked => format!("Story {other} is already a version of this story."),
        LinkRefusal::EditionTaken {
            edition_id,
            story_id,
        } => format!(
            "The {} edition already has a version of this story (story {story_id}): unlink it first.",
            name(*edition_id)
        ),
        LinkRefusal::BothGrouped => format!(
            "Story {other} already has versions of its own: unlink it from them, or this story from its own, first."
        ),
        LinkRefusal::NotLinked => format!("Story {other} is not a version of this story."),
    }
}
