//! The editor page's "Versions in other editions" box: the story's linked
//! versions (everyone who may open the story sees them), and linking
//! (`POST /newsroom/stories/{id}/versions`, field `number`) or unlinking
//! (`…/versions/unlink`, field `other`) one, editors only. A refusal shows the
//! editor page again with the message by the field and the number as typed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::editor::{editor_view, load, page, stored_form};
use super::form::Errors;
use super::{editorial_refusal, see_other, Staff};
use crate::domain::story::Story;
use crate::domain::workflow::Stage;
use crate::editorial::EditorialError;
use crate::web::error::{log_write_refusal, refusal_status};
use crate::web::{AppState, WebError};

/// One linked version as the box lists it.
pub struct VersionView {
    pub id: i64,
    pub edition: String,
    pub headline: String,
    pub status: &'static str,
    pub href: String,
}

/// The box: the versions, and the link form's number as typed and its problem.
#[derive(Default)]
pub struct VersionsView {
    pub versions: Vec<VersionView>,
    pub number: String,
    pub error: String,
}

/// The versions of `story` in other editions, by edition.
pub async fn versions_view(state: &AppState, story: &Story) -> Result<VersionsView, WebError> {
    let mut versions = Vec::new();
    for id in state.store.translations(story.id).await? {
        let Some(version) = state.store.story(id).await? else {
            continue;
        };
        let edition_id = state
            .sections
            .by_id(version.content.section_id)
            .map_or(0, |s| s.edition_id);
        let position = state
            .editions
            .all()
            .iter()
            .position(|e| e.id == edition_id)
            .unwrap_or(usize::MAX);
        versions.push((
            position,
            VersionView {
                id,
                edition: state
                    .editions
                    .by_id(edition_id)
                    .map(|e| e.english_name.clone())
                    .unwrap_or_default(),
                headline: version.content.headline.clone(),
                status: Stage::of_story(&version).label(),
                href: format!("/newsroom/stories/{id}"),
            },
        ));
    }
    versions.sort_by_key(|(position, v)| (*position, v.id));
    Ok(VersionsView {
        versions: versions.into_iter().map(|(_, v)| v).collect(),
        ..VersionsView::default()
    })
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
}

#[derive(Deserialize)]
pub struct UnlinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    other: String,
}

/// The editor page again, with the number as typed and what went wrong.
async fn again(
    state: &AppState,
    staff: &Staff,
    story: &Story,
    number: String,
    error: String,
    status: StatusCode,
) -> Result<Response, WebError> {
    let form = stored_form(state, story).await?;
    let mut view = editor_view(state, staff, Some(story), form, Errors::default()).await?;
    view.versions.number = number;
    view.versions.error = error;
    page(state, staff, view, status, None)
}

/// A story number as typed ("12", " #12 "), or the problem with it.
fn story_number(typed: &str) -> Result<i64, String> {
    let trimmed = typed.trim().trim_start_matches('#').trim();
    if trimmed.is_empty() {
        return Err("Give the number of the story to link.".into());
    }
    trimmed
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            format!(
                "{} is not a story number: give digits only, such as 12.",
                crate::domain::text::quoted(trimmed)
            )
        })
}

/// Refuses reporters before anything about the story is said, and loads it.
async fn editor_story(
    state: &AppState,
    staff: &Staff,
    csrf: &str,
    id: i64,
) -> Result<Story, WebError> {
    staff.check_csrf(csrf)?;
    if !staff.user.role.is_editor() {
        return Err(WebError::Forbidden);
    }
    load(state, staff, id).await
}

/// What a link or unlink came to: back to the editor with a notice, or the page with the refusal.
async fn answer(
    state: &AppState,
    staff: &Staff,
    story: &Story,
    typed: String,
    done: Result<(), EditorialError>,
    notice: &str,
) -> Result<Response, WebError> {
    match done {
        Ok(()) => Ok(see_other(
            &format!("/newsroom/stories/{}", story.id),
            notice,
        )),
        Err(EditorialError::Field { message, .. }) => {
            again(
                state,
                staff,
                story,
                typed,
                message,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(EditorialError::Store(e)) => match e.write_refusal() {
            Some(refusal) => {
                log_write_refusal(refusal, &e.to_string());
                let message = refusal.message().to_string();
                again(state, staff, story, typed, message, refusal_status(refusal)).await
            }
            None => Err(e.into()),
        },
        Err(e) => Err(editorial_refusal(e)),
    }
}

/// `POST /newsroom/stories/{id}/versions` (editors; field `number`).
pub async fn link(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<LinkForm>,
) -> Result<Response, WebError> {
    let story = editor_story(&state, &staff, &form.csrf, id).await?;
    let other = match story_number(&form.number) {
        Ok(other) => other,
        Err(problem) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return again(&state, &staff, &story, form.number, problem, status).await;
        }
    };
    let done = state
        .editorial()
        .link_translation(staff.actor(), &state.editions, id, other, state.now())
        .await;
    let notice = format!("Story {other} is linked as a version in another edition.");
    answer(&state, &staff, &story, form.number, done, &notice).await
}

/// `POST /newsroom/stories/{id}/versions/unlink` (editors; field `other`).
pub async fn unlink(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<UnlinkForm>,
) -> Result<Response, WebError> {
    let story = editor_story(&state, &staff, &form.csrf, id).await?;
    let other = form
        .other
        .trim()
        .parse::<i64>()
        .map_err(|_| WebError::NotFound)?;
    let done = state
        .editorial()
        .unlink_translation(staff.actor(), &state.editions, id, other, state.now())
        .await;
    let notice = format!("Story {other} is no longer linked as a version of this story.");
    answer(&state, &staff, &story, String::new(), done, &notice).await
}
