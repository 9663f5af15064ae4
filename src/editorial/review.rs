//! Sending a story back: an editor returns a submitted or scheduled story to
//! its reporter as a draft, with a note; one transaction with the note and its
//! audit row

use super::{existing, Actor, Editorial, EditorialError};
use crate::domain::story::Story;
use crate::domain::workflow::Action;
use crate::store::{AuditNote, ReviewNote, StoryChange};

impl Editorial<'_> {
    /// Clears the story's submission (and any schedule), stores `note` (already
    /// checked by `domain::review::note`) signed `author_name`, and writes the
    /// audit row, in one transaction. The reporter may then edit and submit again.
    pub async fn send_back(
        &self,
        actor: Actor<'_>,
        author_name: &str,
        story: &Story,
        note: &str,
        now: i64,
    ) -> Result<(), EditorialError> {
        Self::check(actor, Some(story), Action::SendBack)?;
        let mut change = StoryChange::new(existing(story), actor.name, now);
        change.submitted = Some(None);
        if story.scheduled_for.is_some() {
            change.schedule = Some(None);
        }
        change.review_note = Some(ReviewNote {
            note,
            author_id: actor.user_id,
            author_name,
        });
        change.audit.push(AuditNote {
            action: "send back",
            detail: note.to_string(),
        });
        self.commit(change).await.map(|_| ())
    }
}
