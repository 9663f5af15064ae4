//! Moderating readers' comments, for editors and admins: the queue of comments waiting and reported, approve, reject and bar a reader (each with a reason kept in the audit log), and one reader's history of comments.
//! Staff limited to some editions moderate comments on those editions' stories only; barring a reader, which
//! stops them commenting in every edition, is left to staff who work in every edition.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::form::NoticeQuery;
use super::{edition_access, editorial_refusal, see_other, NewsroomNav, Staff};
use crate::domain::timefmt;
use crate::domain::user::Role;
use crate::editorial::EditorialError;
use crate::store::{Decision, ModeratedComment};
use crate::web::html::{self, SafeHtml};
use crate::web::{paths, AppState, WebError};

/// Why barring a reader is not for staff limited to some editions.
const BARRING: &str = "Barring a reader stops them commenting in every edition";

/// Comments one page of the queue or of a history shows.
const PAGE: i64 = 100;

/// One comment as moderators see it, with the forms that decide it.
pub struct ModerationItem {
    pub id: i64,
    pub story_headline: String,
    pub story_href: String,
    pub reader_name: String,
    pub reader_href: String,
    pub reader_banned: bool,
    pub is_reply: bool,
    pub html: SafeHtml,
    pub stamp: String,
    /// "Waiting for a moderator", "Reported 2 times", "Published", "Rejected".
    pub state: String,
    pub reasons: Vec<String>,
    /// Whether approve and reject apply (waiting or reported).
    pub open: bool,
}

#[derive(Template)]
#[template(path = "newsroom/moderation.html")]
struct QueueTemplate {
    nav: NewsroomNav,
    csrf: String,
    items: Vec<ModerationItem>,
    back: &'static str,
}

#[derive(Template)]
#[template(path = "newsroom/reader_comments.html")]
struct HistoryTemplate {
    nav: NewsroomNav,
    csrf: String,
    reader_id: i64,
    reader_name: String,
    reader_email: String,
    banned: Option<String>,
    /// Whether they may bar the reader (they work in every edition).
    may_bar: bool,
    items: Vec<ModerationItem>,
    back: &'static str,
}

/// A moderation form: the reason, and which page it came from.
#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    back: String,
}

/// Builds the items for `comments`, with the reasons readers reported.
async fn items(
    state: &AppState,
    comments: Vec<ModeratedComment>,
) -> Result<Vec<ModerationItem>, WebError> {
    let ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
    let reports = state.store.comment_reports(&ids).await?;
    let tz = &state.site.time_zone;
    let mut items = Vec::with_capacity(comments.len());
    for c in comments {
        let story = state.store.story(c.story_id).await?;
        let story_href = story
            .as_ref()
            .map(|s| format!("/newsroom/stories/{}", s.id))
            .unwrap_or_default();
        let reported = c.reported_at.is_some() && c.status == "published";
        let state_words = match (c.status.as_str(), reported) {
            ("pending", _) => "Waiting for a moderator".to_string(),
            ("published", true) if c.reports == 1 => "Published, reported once".to_string(),
            ("published", true) => format!("Published, reported {} times", c.reports),
            ("published", false) => "Published".to_string(),
            _ => "Rejected".to_string(),
        };
        items.push(ModerationItem {
            id: c.id,
            story_headline: c.headline,
            story_href,
            reader_name: c.reader_name,
            reader_href: paths::reader_history(c.reader_id),
            reader_banned: c.reader_banned,
            is_reply: c.parent_id.is_some(),
            html: html::comment(&c.body),
            stamp: timefmt::long_stamp(timefmt::from_unix(c.created_at), tz),
            state: state_words,
            reasons: reports
                .iter()
                .filter(|r| r.comment_id == c.id && !r.reason.is_empty())
                .map(|r| r.reason.clone())
                .collect(),
            open: c.status == "pending" || reported,
        });
    }
    Ok(items)
}

/// `GET /newsroom/comments`: comments waiting for a moderator and reported ones, oldest first.
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Editor)?;
    let comments = state.store.moderation_queue(staff.user.id, PAGE).await?;
    let page = QueueTemplate {
        nav: q.nav(&state, &staff),
        csrf: staff.csrf.clone(),
        items: items(&state, comments).await?,
        back: "queue",
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /newsroom/readers/{id}`: everything one reader has written, newest first.
pub async fn history(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Editor)?;
    let reader = state.store.reader(id).await?.ok_or(WebError::NotFound)?;
    let comments = state.store.reader_comments(id, staff.user.id, PAGE).await?;
    let tz = &state.site.time_zone;
    let page = HistoryTemplate {
        nav: q.nav(&state, &staff),
        csrf: staff.csrf.clone(),
        reader_id: reader.id,
        reader_name: reader.display_name,
        reader_email: reader.email,
        banned: reader.banned_at.map(|at| {
            format!(
                "Barred from commenting since {}: {}",
                timefmt::long_stamp(timefmt::from_unix(at), tz),
                reader.ban_reason
            )
        }),
        may_bar: edition_access::works_everywhere(&state, &staff),
        items: items(&state, comments).await?,
        back: "reader",
    };
    Ok(Html(page.render()?).into_response())
}

/// Where a decision goes back to: the reader's history or the queue.
fn back_to(form: &DecisionForm, reader_id: Option<i64>) -> String {
    match (form.back.as_str(), reader_id) {
        ("reader", Some(id)) => paths::reader_history(id),
        _ => paths::MODERATION.to_string(),
    }
}

/// A refusal the moderator can fix (a missing reason) goes back with its message.
fn refused(e: EditorialError, back: &str) -> Result<Response, WebError> {
    match e {
        EditorialError::Field { message, .. } => {
            Ok(see_other(back, &format!("Nothing was changed. {message}")))
        }
        e => Err(editorial_refusal(e)),
    }
}

async fn decide(
    state: AppState,
    staff: Staff,
    id: i64,
    form: DecisionForm,
    decision: Decision,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    staff.require(Role::Editor)?;
    let comment = state.store.comment(id).await?.ok_or(WebError::NotFound)?;
    edition_access::require_comment_on(&state, &staff, comment.story_id).await?;
    let back = back_to(&form, Some(comment.reader_id));
    let done = state
        .editorial()
        .moderate(staff.actor(), id, decision, &form.reason, state.now())
        .await;
    if let Err(e) = done {
        return refused(e, &back);
    }
    let notice = match decision {
        Decision::Approve => "The comment is published.",
        Decision::Reject => "The comment was rejected and will not be shown.",
    };
    Ok(see_other(&back, notice))
}

/// `POST /newsroom/comments/{id}/approve`
pub async fn approve(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    decide(state, staff, id, form, Decision::Approve).await
}

/// `POST /newsroom/comments/{id}/reject`
pub async fn reject(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    decide(state, staff, id, form, Decision::Reject).await
}

/// `POST /newsroom/readers/{id}/ban`: bars the reader from commenting anywhere.
pub async fn ban(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    staff.require(Role::Editor)?;
    edition_access::require_every_edition(&state, &staff, BARRING)?;
    let back = back_to(&form, Some(id));
    let done = state
        .editorial()
        .ban_reader(staff.actor(), id, &form.reason, state.now())
        .await;
    match done {
        Ok(()) => Ok(see_other(&back, "The reader can no longer comment.")),
        Err(EditorialError::Store(crate::store::StoreError::NotFound(_))) => {
            Err(WebError::NotFound)
        }
        Err(e) => refused(e, &back),
    }
}
