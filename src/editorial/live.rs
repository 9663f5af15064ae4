//! Live pages in the newsroom: start one, write, publish, edit, delete and pin
//! posts, end it with a closing summary. Each checks the post's rules, then runs
//! as one transaction (`store::live`) that re-checks the role and the live page's
//! state, writes the change, its audit row and its invalidation-log rows; this
//! node then drops its copies of what was logged.

use super::{Actor, Editorial, EditorialError};
use crate::domain::live::{self, Problem, Refusal};
use crate::domain::story::Story;
use crate::store::{LiveApplied, LiveChange, LiveEdit};

/// Why a live-page action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// Refused by role or by the live page's state; nothing was written.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// A rule on one field, to show next to it.
    #[error("{}", .0.message)]
    Field(Problem),
    #[error(transparent)]
    Editorial(#[from] EditorialError),
}

impl From<crate::store::StoreError> for LiveError {
    fn from(e: crate::store::StoreError) -> Self {
        LiveError::Editorial(e.into())
    }
}

/// A post as typed in the newsroom.
#[derive(Debug, Clone, Copy)]
pub struct TypedPost<'a> {
    pub body: &'a str,
    pub image_id: Option<i64>,
    pub alt: &'a str,
    pub byline: &'a str,
}

impl Editorial<'_> {
    async fn live_commit(
        &self,
        actor: Actor<'_>,
        story: &Story,
        edit: LiveEdit<'_>,
        now: i64,
    ) -> Result<LiveApplied, LiveError> {
        let change = LiveChange {
            story_id: story.id,
            actor: actor.name,
            role: actor.role,
            at: now,
            edit,
            check_picture_copies: self.pictures.keeps_public_copies(),
        };
        let applied = self.store.apply_live_change(&change).await??;
        if !applied.logged.is_empty() {
            self.copies.drop_logged(&applied.logged);
        }
        self.pictures
            .sync_queued(self.store, &applied.pictures_to_check, now)
            .await;
        Ok(applied)
    }

    /// Makes `story` a live page.
    pub async fn start_live_page(
        &self,
        actor: Actor<'_>,
        story: &Story,
        now: i64,
    ) -> Result<(), LiveError> {
        self.live_commit(actor, story, LiveEdit::Start, now)
            .await
            .map(|_| ())
    }

    /// Writes a post on `story`'s live page: an editor's is published at once,
    /// a reporter's waits for an editor. Returns the post's id.
    pub async fn add_live_post(
        &self,
        actor: Actor<'_>,
        story: &Story,
        typed: TypedPost<'_>,
        now: i64,
    ) -> Result<i64, LiveError> {
        let post = check(typed)?;
        let edit = LiveEdit::Add {
            post: &post,
            publish: actor.role.is_editor(),
            author_id: actor.user_id,
        };
        let applied = self.live_commit(actor, story, edit, now).await?;
        applied
            .post_id
            .ok_or(LiveError::Refused(Refusal::NoSuchPost))
    }

    /// Publishes a reporter's waiting post (an editor's action).
    pub async fn publish_live_post(
        &self,
        actor: Actor<'_>,
        story: &Story,
        post_id: i64,
        now: i64,
    ) -> Result<(), LiveError> {
        self.live_commit(actor, story, LiveEdit::Publish { post_id }, now)
            .await
            .map(|_| ())
    }

    /// Replaces a post's text, picture and byline (an editor's action).
    pub async fn edit_live_post(
        &self,
        actor: Actor<'_>,
        story: &Story,
        post_id: i64,
        typed: TypedPost<'_>,
        now: i64,
    ) -> Result<(), LiveError> {
        let post = check(typed)?;
        let edit = LiveEdit::Edit {
            post_id,
            post: &post,
        };
        self.live_commit(actor, story, edit, now).await.map(|_| ())
    }

    /// Removes a post from the live page (an editor's action).
    pub async fn delete_live_post(
        &self,
        actor: Actor<'_>,
        story: &Story,
        post_id: i64,
        now: i64,
    ) -> Result<(), LiveError> {
        self.live_commit(actor, story, LiveEdit::Delete { post_id }, now)
            .await
            .map(|_| ())
    }

    /// Pins a post as a key point, or unpins it (an editor's action).
    pub async fn pin_live_post(
        &self,
        actor: Actor<'_>,
        story: &Story,
        post_id: i64,
        pinned: bool,
        now: i64,
    ) -> Result<(), LiveError> {
        self.live_commit(actor, story, LiveEdit::Pin { post_id, pinned }, now)
            .await
            .map(|_| ())
    }

    /// Ends the live page with a closing summary; it stays as an archive.
    pub async fn end_live_page(
        &self,
        actor: Actor<'_>,
        story: &Story,
        summary: &str,
        now: i64,
    ) -> Result<(), LiveError> {
        let summary = live::check_summary(summary).map_err(LiveError::Field)?;
        let edit = LiveEdit::End { summary: &summary };
        self.live_commit(actor, story, edit, now).await.map(|_| ())
    }
}

fn check(typed: TypedPost<'_>) -> Result<live::PostText, LiveError> {
    live::check_post(typed.body, typed.image_id, typed.alt, typed.byline).map_err(LiveError::Field)
}
