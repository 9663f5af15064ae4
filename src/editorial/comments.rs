//! Comments in the newsroom: an editor's settings for a story's comments, and moderation (approve, reject, bar a reader), each one transaction with its audit row, after which this node drops its copies of what changed.

use super::{Actor, Editorial, EditorialError};
use crate::domain::comment::{Mode, MAX_REPORT_CHARS};
use crate::domain::story::Story;
use crate::domain::text::clean_line;
use crate::store::{Decision, ModerationNote};

/// A moderator's reason as recorded: one line, at most this many characters.
const MAX_REASON_CHARS: usize = MAX_REPORT_CHARS;

/// Only editors and admins host discussions.
fn editors_only(actor: Actor<'_>) -> Result<(), EditorialError> {
    if actor.role.is_editor() {
        Ok(())
    } else {
        Err(EditorialError::NotAllowed)
    }
}

/// The reason as the audit log keeps it; `required` refuses an empty one.
fn reason(typed: &str, required: bool) -> Result<String, EditorialError> {
    let reason: String = clean_line(typed).chars().take(MAX_REASON_CHARS).collect();
    if required && reason.is_empty() {
        return Err(EditorialError::Field {
            field: "reason",
            message: "Give a reason: it goes into the audit log.".into(),
        });
    }
    Ok(reason)
}

impl Editorial<'_> {
    /// Switches comments on `story` on (pre- or post-moderated) or off, and
    /// opens or closes them. The article's page is refreshed, since it links to
    /// its comments only while they are on.
    pub async fn set_comments(
        &self,
        actor: Actor<'_>,
        story: &Story,
        mode: Mode,
        closed: bool,
        now: i64,
    ) -> Result<(), EditorialError> {
        editors_only(actor)?;
        let detail = format!(
            "{}{}",
            mode.words(),
            if closed && mode != Mode::Off {
                ", closed"
            } else {
                ""
            }
        );
        let logged = self
            .store
            .set_comment_settings(story.id, mode, closed, actor.name, &detail, now)
            .await?;
        self.copies.drop_logged(&logged);
        Ok(())
    }

    /// Approves (a reason is optional) or rejects (a reason is required) a comment.
    pub async fn moderate(
        &self,
        actor: Actor<'_>,
        comment_id: i64,
        decision: Decision,
        typed_reason: &str,
        now: i64,
    ) -> Result<(), EditorialError> {
        editors_only(actor)?;
        let reason = reason(typed_reason, decision == Decision::Reject)?;
        let reason = if reason.is_empty() {
            "approved".to_string()
        } else {
            reason
        };
        let note = ModerationNote {
            actor: actor.name,
            reason: &reason,
            at: now,
        };
        let logged = self
            .store
            .decide_comment(comment_id, decision, note)
            .await?;
        if !logged.is_empty() {
            self.copies.drop_logged(&logged);
        }
        Ok(())
    }

    /// Bars a reader from commenting anywhere on the site, with a reason.
    pub async fn ban_reader(
        &self,
        actor: Actor<'_>,
        reader_id: i64,
        typed_reason: &str,
        now: i64,
    ) -> Result<(), EditorialError> {
        editors_only(actor)?;
        let reason = reason(typed_reason, true)?;
        let note = ModerationNote {
            actor: actor.name,
            reason: &reason,
            at: now,
        };
        self.store.ban_reader(reader_id, note).await?;
        Ok(())
    }
}
