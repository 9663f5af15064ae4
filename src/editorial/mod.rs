//! The editorial service: every newsroom action on a story — save, submit,
//! publish, update, schedule, embargo, correct, kill, curation, pictures, and
//! the comments' settings and moderation (`comments`), live pages and their
//! posts (`live`), a legacy page imported (`import`), sending a story back
//! with a note (`review`), linking its versions in other editions
//! (`translations`) — as one function that checks the workflow and embargo rules and then writes the
//! change, its revision, its audit rows and its invalidation-log rows in one
//! transaction (`store::editorial`). Once it commits, this node's own cached
//! copies of what changed are dropped before the function returns; other nodes
//! follow the log. With a CDN's public copies of pictures, the same transaction
//! queues the pictures to check, synced once it commits (`media::public_copies`).
//! Handlers parse, authorise the session, call one of these and render what it
//! returns.

mod breaking;
mod comments;
mod import;
mod live;
mod review;
mod scheduled;
mod translations;

pub use import::ImportedPage;
pub use live::{LiveError, TypedPost};

pub use scheduled::{end_due_embargoes, publish_due};
pub use translations::VERSION_FIELD;

use jiff::tz::TimeZone;

use crate::domain::embargo::{self, PublishAt};
use crate::domain::front::Front;
use crate::domain::section::SectionTree;
use crate::domain::story::{Story, StoryContent};
use crate::domain::timefmt;
use crate::domain::user::Role;
use crate::domain::workflow::{self, Action, Refusal, Stage};
use crate::media;
use crate::store::keys;
use crate::store::{AuditNote, Curation, Publication, Store, StoreError, StoryChange, Target};

/// Drops this node's cached copies of what a committed change logged. The web
/// layer implements it over its page and record caches (and CDN purges).
pub trait LocalCopies: Send + Sync {
    /// `logged` holds the keys of each log row the change wrote, space-separated.
    fn drop_logged(&self, logged: &[String]);
}

/// For a process that keeps no copies (the command line): the nodes serving the
/// site drop theirs when they read the change's log row.
pub struct NoLocalCopies;

impl LocalCopies for NoLocalCopies {
    fn drop_logged(&self, _logged: &[String]) {}
}

/// Who takes an action.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// What the revision history and audit log call them.
    pub name: &'a str,
    pub role: Role,
    pub user_id: Option<i64>,
}

impl Actor<'_> {
    /// The scheduler, acting on what an editor already decided.
    pub const SCHEDULER: Actor<'static> = Actor {
        name: "scheduler",
        role: Role::Editor,
        user_id: None,
    };
}

/// Why an action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EditorialError {
    #[error("you may not do that to this story")]
    NotAllowed,
    #[error("the story is not at a stage where that can be done")]
    WrongStage,
    /// A rule on one field, to show next to it.
    #[error("{field}: {message}")]
    Field {
        field: &'static str,
        message: String,
    },
    #[error("the story was changed by someone else (now at revision {current})")]
    Conflict { current: i64 },
    #[error("there is no such front")]
    NoSuchFront,
    #[error(transparent)]
    Store(StoreError),
    /// Object storage failed to store a picture or change its public copies.
    #[error(transparent)]
    Objects(crate::media::objects::ObjectError),
}

impl From<media::PictureError> for EditorialError {
    fn from(e: media::PictureError) -> Self {
        match e {
            media::PictureError::Store(e) => e.into(),
            media::PictureError::Objects(e) => EditorialError::Objects(e),
            e @ media::PictureError::NoObjectStorage(_) => {
                EditorialError::Store(StoreError::Corrupt(e.to_string()))
            }
        }
    }
}

impl From<StoreError> for EditorialError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { current } => EditorialError::Conflict { current },
            e => EditorialError::Store(e),
        }
    }
}

impl From<Refusal> for EditorialError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotAllowed => EditorialError::NotAllowed,
            Refusal::WrongStage => EditorialError::WrongStage,
        }
    }
}

/// What the story editor's button asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditRequest {
    Save,
    Submit,
    Publish {
        significant: bool,
    },
    /// Publish at this time (already checked to be in the future).
    Schedule(i64),
}

impl EditRequest {
    fn action(self) -> Action {
        match self {
            EditRequest::Save => Action::Save,
            EditRequest::Submit => Action::Submit,
            EditRequest::Publish { significant } => Action::Publish { significant },
            EditRequest::Schedule(_) => Action::Schedule,
        }
    }
}

/// A save from the story editor: the new text and what to do with it.
pub struct Edit<'a> {
    pub content: &'a StoryContent,
    /// The revision the form was opened at, for conflict detection.
    pub base_revision: Option<i64>,
    /// The embargo as the form now has it.
    pub embargo: Option<i64>,
    pub request: EditRequest,
}

/// What a save did, for the notice shown after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Saved,
    Submitted,
    Published,
    Updated {
        significant: bool,
    },
    /// Publishing waits for the embargo to end at this time.
    WaitsForEmbargo(i64),
    Scheduled(i64),
}

impl Saved {
    /// The notice shown to the journalist.
    pub fn notice(self, tz: &TimeZone) -> String {
        let stamp = |at| timefmt::long_stamp(timefmt::from_unix(at), tz);
        match self {
            Saved::Saved => "Saved.".into(),
            Saved::Submitted => "Saved and submitted for review.".into(),
            Saved::Published => "Published.".into(),
            Saved::Updated { significant: true } => {
                "Update published; the page's last-updated time has moved.".into()
            }
            Saved::Updated { significant: false } => {
                "Minor fix published; the last-updated time is unchanged.".into()
            }
            Saved::WaitsForEmbargo(at) => {
                format!("Embargoed: scheduled to publish at {}.", stamp(at))
            }
            Saved::Scheduled(at) => format!("Scheduled to publish at {}.", stamp(at)),
        }
    }
}

/// The revision's recorded action: what the public history calls it.
fn revision_action(request: EditRequest, stage: Stage) -> &'static str {
    match (request, stage) {
        (EditRequest::Publish { significant: true }, Stage::Published) => "update",
        (EditRequest::Publish { significant: false }, Stage::Published) => "minor_update",
        (EditRequest::Publish { .. }, _) => "publish",
        (EditRequest::Submit, _) => "submit",
        (EditRequest::Schedule(_), _) => "schedule",
        (EditRequest::Save, _) => "save",
    }
}

/// The editorial service over one store, dropping copies through `copies`.
pub struct Editorial<'a> {
    pub store: &'a Store,
    /// Where pictures' bytes go, and their public copies for a CDN.
    pub pictures: &'a media::Pictures,
    pub copies: &'a dyn LocalCopies,
    /// For the times written into audit rows.
    pub time_zone: &'a TimeZone,
    /// For the keys fronts are stored under.
    pub sections: &'a SectionTree,
}

impl Editorial<'_> {
    /// Commits `change`, drops this node's copies of what it logged, and
    /// syncs the public copies of the pictures it queued. A failed sync does
    /// not fail the action: its checks stay queued for the scheduler's retry.
    async fn commit(
        &self,
        mut change: StoryChange<'_>,
    ) -> Result<crate::store::Applied, EditorialError> {
        change.check_picture_copies = self.pictures.keeps_public_copies();
        let applied = self.store.apply_story_change(&change).await?;
        if !applied.logged.is_empty() {
            self.copies.drop_logged(&applied.logged);
        }
        self.pictures
            .sync_queued(self.store, &applied.pictures_to_check, change.at)
            .await;
        Ok(applied)
    }

    fn stamp(&self, at: i64) -> String {
        timefmt::long_stamp(timefmt::from_unix(at), self.time_zone)
    }

    /// May `actor` take `action` on `story` (`None`: a story not yet created)?
    pub fn check(
        actor: Actor<'_>,
        story: Option<&Story>,
        action: Action,
    ) -> Result<(), EditorialError> {
        let stage = story.map(Stage::of_story).unwrap_or(Stage::Draft);
        let own = story.is_none_or(|s| s.owner_id.is_some() && s.owner_id == actor.user_id);
        workflow::check(actor.role, own, stage, action)?;
        Ok(())
    }

    /// Saves the editor's text as a new revision of `story` (or a new story) and
    /// does what the button asked, in one transaction. Returns the story's id.
    pub async fn save(
        &self,
        actor: Actor<'_>,
        story: Option<&Story>,
        edit: Edit<'_>,
        now: i64,
    ) -> Result<(i64, Saved), EditorialError> {
        self.save_holding_back(actor, story, edit, false, now).await
    }

    /// As [`Editorial::save`]; with `hold_back` (editors only), an embargo the
    /// edit sets also applies, in the same transaction, to every version of the
    /// story in other editions. Without it the other versions stay as they are.
    pub async fn save_holding_back(
        &self,
        actor: Actor<'_>,
        story: Option<&Story>,
        edit: Edit<'_>,
        hold_back: bool,
        now: i64,
    ) -> Result<(i64, Saved), EditorialError> {
        if hold_back && !actor.role.is_editor() {
            return Err(EditorialError::NotAllowed);
        }
        Self::check(actor, story, Action::Save)?;
        Self::check(actor, story, edit.request.action())?;
        let stage = story.map(Stage::of_story).unwrap_or(Stage::Draft);
        let stored_embargo = story.and_then(|s| s.embargo_until);
        embargo::may_change(actor.role, stored_embargo, edit.embargo, now).map_err(|m| {
            EditorialError::Field {
                field: "embargo",
                message: m.to_string(),
            }
        })?;
        let target = match story {
            None => Target::New {
                owner_id: actor.user_id,
            },
            Some(s) => Target::Existing {
                id: s.id,
                expected_revision: edit.base_revision,
            },
        };
        let rev_action = revision_action(edit.request, stage);
        let mut change = StoryChange::new(target, actor.name, now);
        change.text = Some((edit.content, rev_action));
        // What the saver had typed is saved now: their autosave goes in the same transaction.
        change.clear_autosave = actor.user_id;
        change.audit.push(AuditNote {
            action: rev_action,
            detail: edit.content.headline.clone(),
        });
        let picture = |c: &StoryContent| c.lead_image.as_ref().map(|i| i.image_id);
        let stored_picture = story.and_then(|s| picture(&s.content));
        if stored_picture != picture(edit.content) {
            change.audit.push(AuditNote {
                action: "picture",
                detail: match picture(edit.content) {
                    Some(id) => format!("lead picture {id} attached"),
                    None => "lead picture removed".into(),
                },
            });
        }
        // Holding back re-applies an embargo to the other versions even when this one keeps its own.
        let hold_back = hold_back && story.is_some() && edit.embargo.is_some_and(|t| t > now);
        if stored_embargo != edit.embargo || hold_back {
            change.embargo = Some(edit.embargo);
            change.hold_back_versions = hold_back;
            change.audit.push(AuditNote {
                action: "embargo",
                detail: edit
                    .embargo
                    .map(|t| self.stamp(t))
                    .unwrap_or_else(|| "lifted".into()),
            });
        }
        let saved = match edit.request {
            EditRequest::Save => Saved::Saved,
            EditRequest::Submit => {
                change.submitted = Some(Some(now));
                Saved::Submitted
            }
            EditRequest::Schedule(at) => {
                change.schedule = Some(Some(at));
                Saved::Scheduled(at)
            }
            EditRequest::Publish { significant } => match embargo::publish_at(edit.embargo, now) {
                PublishAt::EmbargoEnd(until) => {
                    change.schedule = Some(Some(until));
                    change.audit.push(AuditNote {
                        action: "schedule",
                        detail: "at the end of the embargo".into(),
                    });
                    Saved::WaitsForEmbargo(until)
                }
                PublishAt::Now => {
                    change.publish = Some(Publication {
                        significant,
                        due_by: None,
                        own_times: None,
                    });
                    if stage == Stage::Published {
                        Saved::Updated { significant }
                    } else {
                        Saved::Published
                    }
                }
            },
        };
        let applied = self.commit(change).await?;
        Ok((applied.story_id, saved))
    }

    /// Attaches a dated correction note to a published story.
    pub async fn correct(
        &self,
        actor: Actor<'_>,
        story: &Story,
        text: &str,
        now: i64,
    ) -> Result<(), EditorialError> {
        Self::check(actor, Some(story), Action::Correct)?;
        let mut change = StoryChange::new(existing(story), actor.name, now);
        change.correction = Some(text);
        change.audit.push(AuditNote {
            action: "correct",
            detail: text.to_string(),
        });
        self.commit(change).await.map(|_| ())
    }

    /// A legal takedown: the story leaves every public surface at once and its
    /// address answers that it was removed. Cancels any schedule.
    pub async fn kill(
        &self,
        actor: Actor<'_>,
        story: &Story,
        reason: &str,
        now: i64,
    ) -> Result<(), EditorialError> {
        Self::check(actor, Some(story), Action::Kill)?;
        let mut change = StoryChange::new(existing(story), actor.name, now);
        change.kill = true;
        change.audit.push(AuditNote {
            action: "kill",
            detail: reason.to_string(),
        });
        self.commit(change).await.map(|_| ())
    }

    /// Cancels a scheduled publication.
    pub async fn unschedule(
        &self,
        actor: Actor<'_>,
        story: &Story,
        now: i64,
    ) -> Result<(), EditorialError> {
        Self::check(actor, Some(story), Action::Unschedule)?;
        let mut change = StoryChange::new(existing(story), actor.name, now);
        change.schedule = Some(None);
        change.audit.push(AuditNote {
            action: "unschedule",
            detail: String::new(),
        });
        self.commit(change).await.map(|_| ())
    }

    /// Replaces a front's order (`Some(front)`) or the site-wide promos (`None`).
    /// `key` is the surrogate key of what the order shows.
    pub async fn curate(
        &self,
        actor: Actor<'_>,
        front: Option<Front>,
        story_ids: &[i64],
        now: i64,
    ) -> Result<(), EditorialError> {
        if !actor.role.is_editor() {
            return Err(EditorialError::NotAllowed);
        }
        // What the order shows: the front page is every section's list; a section's front, its own.
        let key = match front {
            Some(Front::Home(_)) => keys::ALL_LISTS.to_string(),
            Some(Front::Section(id)) => keys::section_list(id),
            None => keys::PROMOS.to_string(),
        };
        let front = match front {
            Some(front) => Some(
                front
                    .key(self.sections)
                    .ok_or(EditorialError::NoSuchFront)?,
            ),
            None => None,
        };
        let detail = story_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let logged = self
            .store
            .apply_curation(&Curation {
                front: front.as_deref(),
                story_ids,
                key: &key,
                actor: actor.name,
                detail,
                at: now,
            })
            .await?;
        self.copies.drop_logged(&logged);
        Ok(())
    }

    /// Checks and stores an uploaded picture in the standard widths; returns its
    /// id. A picture is not public until a public story shows it.
    pub async fn store_picture(
        &self,
        bytes: &[u8],
        now: i64,
    ) -> Result<Result<i64, media::MediaError>, EditorialError> {
        let picture = match media::process_upload(bytes) {
            Ok(picture) => picture,
            Err(e) => return Ok(Err(e)),
        };
        let id = self.pictures.insert(self.store, &picture, now).await?;
        Ok(Ok(id))
    }
}

fn existing(story: &Story) -> Target {
    Target::Existing {
        id: story.id,
        expected_revision: None,
    }
}
