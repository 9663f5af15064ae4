//! The editor's background calls, answered in JSON for its script: autosave (the
//! form as typed, kept in the user's slot, never a revision), discarding the
//! slot, and presence (who else has the story open; leaving it).
//!
//! Every answer is `private, no-store` (the newsroom's layer); a refusal is
//! `{"error": "…"}` in the journalist's words with its status, never a page.

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;

use super::form::EditorForm;
use super::{editorial_refusal, see_other, Staff};
use crate::domain::story::Story;
use crate::domain::timefmt;
use crate::domain::workflow::{Action, Stage};
use crate::editorial::Editorial;
use crate::store::Slot;
use crate::web::{AppState, WebError};

/// The largest form an autosave keeps, as stored (JSON): far above any story's
/// text, so only a runaway client meets it.
pub const MAX_SLOT_BYTES: usize = 1024 * 1024;

/// A refusal as the script reads it: `{"error": "…"}` with its status.
struct JsonError(StatusCode, String);

impl JsonError {
    fn new(status: StatusCode, message: impl Into<String>) -> JsonError {
        JsonError(status, message.into())
    }
}

impl From<WebError> for JsonError {
    fn from(e: WebError) -> JsonError {
        let (status, message) = match e {
            WebError::NotFound | WebError::Gone => (
                StatusCode::NOT_FOUND,
                "This story no longer exists.".to_string(),
            ),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "You may not change this story, so your typing is not being kept.".to_string(),
            ),
            WebError::ForbiddenBecause(reason) => (StatusCode::FORBIDDEN, reason),
            WebError::BadCsrf => (
                StatusCode::FORBIDDEN,
                "This page is out of date or you signed in again elsewhere: \
                 copy your text, reload the page and paste it back."
                    .to_string(),
            ),
            WebError::BadRequest(message) => (StatusCode::BAD_REQUEST, capitalised(&message)),
            WebError::TooLarge(message) => (StatusCode::PAYLOAD_TOO_LARGE, capitalised(&message)),
            WebError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "autosave needs the database, which is unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The newsroom's database cannot be reached just now: your text is still \
                     in the page; it will be kept again when it is back."
                        .to_string(),
                )
            }
            WebError::CannotWrite(refusal, cause) => {
                crate::web::error::log_write_refusal(refusal, &cause);
                (
                    crate::web::error::refusal_status(refusal),
                    format!("{} Your text is still in the page.", refusal.message()),
                )
            }
            WebError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "autosave failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong keeping your text; it is still in the page.".to_string(),
                )
            }
        };
        JsonError(status, message)
    }
}

impl From<crate::store::StoreError> for JsonError {
    fn from(e: crate::store::StoreError) -> JsonError {
        WebError::from(e).into()
    }
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    let mut out = first.unwrap_or_default() + chars.as_str();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// What an autosave answers.
#[derive(Serialize)]
struct Saved {
    /// Site time, HH:MM:SS.
    saved_at: String,
    /// Someone else saved the story since the form was opened.
    stale: Option<Stale>,
}

#[derive(Serialize)]
struct Stale {
    revision: i64,
    author: String,
    at: String,
}

/// "14:32" (or with seconds) in the site's time zone, as the newsroom writes
/// times of day: `domain::timefmt` does the writing.
pub fn site_time(state: &AppState, at: i64, seconds: bool) -> String {
    let (at, tz) = (timefmt::from_unix(at), &state.site.time_zone);
    if seconds {
        timefmt::hours_minutes_seconds(at, tz)
    } else {
        timefmt::hours_minutes(at, tz)
    }
}

/// Loads a story and checks the user may take `action` on it.
async fn story_for(
    state: &AppState,
    staff: &Staff,
    id: i64,
    action: Action,
) -> Result<Story, WebError> {
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    Editorial::check(staff.actor(), Some(&story), action).map_err(editorial_refusal)?;
    Ok(story)
}

pub async fn story(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    // Refused before the body is read: only what the user may save is kept.
    let story = match story_for(&state, &staff, id, Action::Save).await {
        Ok(story) => story,
        Err(e) => return JsonError::from(e).into_response(),
    };
    keep(&state, &staff, Some(&story), request)
        .await
        .into_response()
}

pub async fn new_story(State(state): State<AppState>, staff: Staff, request: Request) -> Response {
    if let Err(e) = Editorial::check(staff.actor(), None, Action::Save) {
        return JsonError::from(editorial_refusal(e)).into_response();
    }
    keep(&state, &staff, None, request).await.into_response()
}

/// Reads the form and keeps it in the user's slot: one statement, and one read
/// more only when someone else has saved the story since the form was opened.
async fn keep(
    state: &AppState,
    staff: &Staff,
    story: Option<&Story>,
    request: Request,
) -> Result<Json<serde_json::Value>, JsonError> {
    // Read here rather than by an extractor, so a body that is not the editor's
    // form is refused in JSON like every other problem.
    let multipart = Multipart::from_request(request, state).await.map_err(|_| {
        JsonError::new(
            StatusCode::BAD_REQUEST,
            "The form could not be read: it was not sent as the editor's form. Reload the page.",
        )
    })?;
    let form = EditorForm::read(multipart).await?;
    staff.check_csrf(&form.csrf)?;
    let slot = story.map_or(Slot::NewStory, |s| Slot::Story(s.id));
    let base = match story {
        Some(_) => Some(form.base_revision.ok_or_else(|| {
            JsonError::new(
                StatusCode::BAD_REQUEST,
                "The form does not say which revision it was opened on: reload the page.",
            )
        })?),
        None => None,
    };
    let json = serde_json::to_string(&form).map_err(|e| WebError::Internal(e.into()))?;
    if json.len() > MAX_SLOT_BYTES {
        return Err(JsonError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "Your unsaved text is larger than {} MB and cannot be kept: save the story to keep it.",
                MAX_SLOT_BYTES / (1024 * 1024)
            ),
        ));
    }
    let now = state.now();
    state
        .store
        .upsert_autosave(staff.user.id, slot, base, &json, now)
        .await?;
    let mut stale = None;
    if let (Some(story), Some(base)) = (story, base) {
        if story.revision > base {
            if let Some(newest) = state.store.newest_revision_author(story.id).await? {
                if newest.number > base && newest.author != staff.user.email {
                    stale = Some(Stale {
                        revision: newest.number,
                        author: newest.display_name.unwrap_or(newest.author),
                        at: site_time(state, newest.created_at, false),
                    });
                }
            }
        }
    }
    let saved = Saved {
        saved_at: site_time(state, now, true),
        stale,
    };
    Ok(Json(
        serde_json::to_value(saved).map_err(|e| WebError::Internal(e.into()))?,
    ))
}

/// The `csrf` field of a small form, sent urlencoded or as multipart (the script's
/// `navigator.sendBeacon` sends `FormData`, which is multipart).
async fn csrf_field(state: &AppState, request: Request) -> Result<String, WebError> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let bad = |e: String| WebError::BadRequest(format!("the form could not be read: {e}"));
    if multipart {
        let mut form = Multipart::from_request(request, state)
            .await
            .map_err(|e| bad(e.body_text()))?;
        while let Some(field) = form.next_field().await.map_err(|e| bad(e.body_text()))? {
            if field.name() == Some("csrf") {
                return field.text().await.map_err(|e| bad(e.body_text()));
            }
        }
        return Ok(String::new());
    }
    let body = axum::body::Bytes::from_request(request, state)
        .await
        .map_err(|e| bad(e.body_text()))?;
    Ok(form_urlencoded::parse(&body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default())
}

/// "Discard them": empties the user's slot on the story and goes back to the editor.
pub async fn discard_story(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, WebError> {
    staff.check_csrf(&csrf_field(&state, request).await?)?;
    story_for(&state, &staff, id, Action::View).await?;
    discard(
        &state,
        &staff,
        Slot::Story(id),
        &format!("/newsroom/stories/{id}"),
    )
    .await
}

pub async fn discard_new(
    State(state): State<AppState>,
    staff: Staff,
    request: Request,
) -> Result<Response, WebError> {
    staff.check_csrf(&csrf_field(&state, request).await?)?;
    discard(&state, &staff, Slot::NewStory, "/newsroom/stories/new").await
}

async fn discard(
    state: &AppState,
    staff: &Staff,
    slot: Slot,
    back: &str,
) -> Result<Response, WebError> {
    let notice = if state.store.delete_autosave(staff.user.id, slot).await? {
        "Your unsaved changes were discarded."
    } else {
        "There were no unsaved changes to discard."
    };
    Ok(see_other(back, notice))
}

/// The editor's heartbeat: marks the user as having the story open and answers
/// who else has.
pub async fn presence(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Response {
    let answer = async {
        story_for(&state, &staff, id, Action::View).await?;
        let now = state.now();
        state.store.touch_presence(id, staff.user.id, now).await?;
        let others: Vec<_> = state
            .store
            .others_present(id, staff.user.id, now)
            .await?
            .into_iter()
            .map(|p| json!({ "name": p.display_name, "since": site_time(&state, p.since, false) }))
            .collect();
        Ok::<_, JsonError>(Json(json!({ "others": others })))
    };
    answer.await.into_response()
}

/// The editor was closed: the user no longer has the story open. 204.
pub async fn leave(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let answer = async {
        staff.check_csrf(&csrf_field(&state, request).await?)?;
        story_for(&state, &staff, id, Action::View).await?;
        state.store.leave_presence(id, staff.user.id).await?;
        Ok::<_, JsonError>(StatusCode::NO_CONTENT)
    };
    answer.await.into_response()
}

/// Whether the user may be offered their slot on `story` (`None`: a new story).
pub fn may_keep(staff: &Staff, story: Option<&Story>) -> bool {
    let stage = story.map(Stage::of_story).unwrap_or(Stage::Draft);
    let own = story.is_none_or(|s| s.owner_id == Some(staff.user.id));
    crate::domain::workflow::check(staff.user.role, own, stage, Action::Save).is_ok()
}
