//! The editorial workflow: which actions each role may take on a story in each state.

use super::story::{Status, Story};
use super::user::Role;

/// Where a story stands, derived from its status and workflow times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Draft,
    Submitted,
    Scheduled(i64),
    Published,
    Killed,
}

impl Stage {
    pub fn of(status: Status, submitted_at: Option<i64>, scheduled_for: Option<i64>) -> Stage {
        match status {
            Status::Killed => Stage::Killed,
            Status::Published => Stage::Published,
            Status::Draft => match (scheduled_for, submitted_at) {
                (Some(at), _) => Stage::Scheduled(at),
                (None, Some(_)) => Stage::Submitted,
                (None, None) => Stage::Draft,
            },
        }
    }

    /// Where `story` stands now.
    pub fn of_story(story: &Story) -> Stage {
        Stage::of(story.status, story.submitted_at, story.scheduled_for)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Draft",
            Stage::Submitted => "Awaiting review",
            Stage::Scheduled(_) => "Scheduled",
            Stage::Published => "Published",
            Stage::Killed => "Killed",
        }
    }
}

/// Something a member of staff can do to a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Save the text as a new revision (not public by itself).
    Save,
    /// Hand a draft to the editors.
    Submit,
    /// Make it public now. On a published story this is an update; `significant`
    /// moves the public "last updated" time.
    Publish {
        significant: bool,
    },
    /// Publish automatically at a future time.
    Schedule,
    Unschedule,
    /// Attach a dated correction note to a published story.
    Correct,
    /// Legal takedown: the public address answers 410.
    Kill,
    /// Return a submitted or scheduled story to its reporter as a draft, with a note.
    SendBack,
    /// Open or view in the editor.
    View,
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotAllowed,
    WrongStage,
}

/// Decides whether `role` may take `action` on a story at `stage`; `own` says
/// whether the story is the user's own.
pub fn check(role: Role, own: bool, stage: Stage, action: Action) -> Result<(), Refusal> {
    use Action::*;
    if stage == Stage::Killed && action != View {
        return Err(Refusal::WrongStage);
    }
    if !role.is_editor() {
        // Reporters work on their own stories until an editor takes them live.
        let unpublished = matches!(stage, Stage::Draft | Stage::Submitted);
        return match action {
            View | Save if own && unpublished => Ok(()),
            Submit if own && stage == Stage::Draft => Ok(()),
            View | Save | Submit => Err(if own {
                Refusal::WrongStage
            } else {
                Refusal::NotAllowed
            }),
            _ => Err(Refusal::NotAllowed),
        };
    }
    match (action, stage) {
        (View | Save, _) => Ok(()),
        (Submit, Stage::Draft) => Ok(()),
        (Publish { .. }, _) => Ok(()),
        (Schedule, Stage::Draft | Stage::Submitted | Stage::Scheduled(_)) => Ok(()),
        (Unschedule, Stage::Scheduled(_)) => Ok(()),
        (SendBack, Stage::Submitted | Stage::Scheduled(_)) => Ok(()),
        (Correct | Kill, Stage::Published) => Ok(()),
        (Kill, _) => Ok(()),
        _ => Err(Refusal::WrongStage),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    #[test]
    fn reporters_work_on_their_own_drafts_only() {
        assert_eq!(check(Role::Reporter, true, Stage::Draft, Save), Ok(()));
        assert_eq!(check(Role::Reporter, true, Stage::Draft, Submit), Ok(()));
        assert_eq!(
            check(Role::Reporter, false, Stage::Draft, Save),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            check(Role::Reporter, true, Stage::Published, Save),
            Err(Refusal::WrongStage)
        );
        assert_eq!(
            check(
                Role::Reporter,
                true,
                Stage::Draft,
                Publish { significant: true }
            ),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            check(Role::Reporter, true, Stage::Draft, Kill),
            Err(Refusal::NotAllowed)
        );
    }

    #[test]
    fn editors_run_the_workflow() {
        assert_eq!(
            check(
                Role::Editor,
                false,
                Stage::Submitted,
                Publish { significant: true }
            ),
            Ok(())
        );
        assert_eq!(
            check(Role::Editor, false, Stage::Published, Correct),
            Ok(())
        );
        assert_eq!(
            check(Role::Editor, false, Stage::Draft, Correct),
            Err(Refusal::WrongStage)
        );
        assert_eq!(
            check(Role::Editor, false, Stage::Scheduled(5), Unschedule),
            Ok(())
        );
        assert_eq!(
            check(Role::Admin, false, Stage::Killed, Save),
            Err(Refusal::WrongStage)
        );
        assert_eq!(check(Role::Admin, false, Stage::Killed, View), Ok(()));
    }

    #[test]
    fn editors_send_back_what_awaits_publication() {
        for stage in [Stage::Submitted, Stage::Scheduled(5)] {
            assert_eq!(check(Role::Editor, false, stage, SendBack), Ok(()));
            assert_eq!(check(Role::Admin, false, stage, SendBack), Ok(()));
            assert_eq!(
                check(Role::Reporter, true, stage, SendBack),
                Err(Refusal::NotAllowed)
            );
        }
        for stage in [Stage::Draft, Stage::Published, Stage::Killed] {
            assert_eq!(
                check(Role::Editor, false, stage, SendBack),
                Err(Refusal::WrongStage)
            );
        }
        // Sent back, the story is a draft again: its reporter may submit it anew.
        assert_eq!(check(Role::Reporter, true, Stage::Draft, Submit), Ok(()));
    }

    #[test]
    fn stage_is_derived() {
        assert_eq!(Stage::of(Status::Draft, Some(1), None), Stage::Submitted);
        assert_eq!(
            Stage::of(Status::Draft, Some(1), Some(9)),
            Stage::Scheduled(9)
        );
        assert_eq!(
            Stage::of(Status::Published, None, Some(9)),
            Stage::Published
        );
    }
}
