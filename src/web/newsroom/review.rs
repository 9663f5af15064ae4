//! Sending a story back to its reporter, `POST /newsroom/stories/{id}/send-
//! back` (editors): the note is checked, the story returns to draft through
//! `editorial::send_back`, and a refusal shows the editor page again with the
//! message by the field and the note as typed

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::editor::{editor_view, load, page, stored_form};
use super::form::Errors;
use super::{editorial_refusal, see_other, Staff};
use crate::domain::review;
use crate::domain::story::Story;
use crate::domain::workflow::{Action, Stage};
use crate::editorial::{Editorial, EditorialError};
use crate::web::error::{log_write_refusal, refusal_status};
use crate::web::{AppState, WebError};

#[derive(Deserialize)]
pub struct SendBackForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

/// Why a story at `stage` cannot be sent back, in the editor's words.
fn wrong_stage(stage: Stage) -> &'static str {
    match stage {
        Stage::Draft => "Nothing was sent back: this story is a draft, not awaiting review, so it is already with its reporter.",
        Stage::Published => "Nothing was sent back: this story is already published. Update it or add a correction instead.",
        Stage::Killed => "Nothing was sent back: this story has been killed.",
        Stage::Submitted | Stage::Scheduled(_) => "Nothing was sent back: the story changed stage meanwhile. Reload the page and try again.",
    }
}

/// The editor page again, with the note as typed and what went wrong.
async fn again(
    state: &AppState,
    staff: &Staff,
    story: &Story,
    note: String,
    error: String,
    refusal: String,
    status: StatusCode,
) -> Result<Response, WebError> {
    let form = stored_form(state, story).await?;
    let mut view = editor_view(state, staff, Some(story), form, Errors::default()).await?;
    view.send_back.note = note;
    view.send_back.error = error;
    view.send_back.refusal = refusal;
    page(state, staff, view, status, None)
}

/// `POST /newsroom/stories/{id}/send-back` (editors and admins; field `note`).
pub async fn send_back(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<SendBackForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    // Reporters are refused before anything about the story is said.
    if !staff.user.role.is_editor() {
        return Err(WebError::Forbidden);
    }
    let story = load(&state, &staff, id).await?;
    let stage = Stage::of_story(&story);
    if let Err(e) = Editorial::check(staff.actor(), Some(&story), Action::SendBack) {
        return match e {
            EditorialError::WrongStage => {
                let refusal = wrong_stage(stage).to_string();
                again(
                    &state,
                    &staff,
                    &story,
                    form.note,
                    String::new(),
                    refusal,
                    StatusCode::CONFLICT,
                )
                .await
            }
            e => Err(editorial_refusal(e)),
        };
    }
    let note = match review::note(&form.note) {
        Ok(note) => note,
        Err(problem) => {
            return again(
                &state,
                &staff,
                &story,
                form.note,
                problem,
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let done = state
        .editorial()
        .send_back(
            staff.actor(),
            &staff.user.display_name,
            &story,
            &note,
            state.now(),
        )
        .await;
    match done {
        Ok(()) => Ok(see_other(
            &format!("/newsroom/stories/{id}"),
            "Sent back to the reporter with your note: the story is a draft again.",
        )),
        // A full disk or a read-only database: the note comes back as typed.
        Err(EditorialError::Store(e)) => match e.write_refusal() {
            Some(refusal) => {
                log_write_refusal(refusal, &e.to_string());
                again(
                    &state,
                    &staff,
                    &story,
                    form.note,
                    refusal.message().to_string(),
                    String::new(),
                    refusal_status(refusal),
                )
                .await
            }
            None => Err(e.into()),
        },
        Err(e) => Err(editorial_refusal(e)),
    }
}
