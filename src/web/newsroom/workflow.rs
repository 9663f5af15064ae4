//! Workflow actions with their own small forms: correct, kill, cancel a schedule.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::{see_other, Staff};
use crate::domain::story::Status;
use crate::domain::text::clean_line;
use crate::domain::workflow::{self, Action};
use crate::web::publishing;
use crate::web::{AppState, WebError};

#[derive(Deserialize)]
pub struct WorkflowForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    reason: String,
}

/// Drops everything public that shows story `id`.
async fn changed(state: &AppState, id: i64) -> Result<(), WebError> {
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    publishing::story_changed(state, id, &[story.content.section_id]).await;
    Ok(())
}

/// Checks the token and that the user may take `action` on story `id`.
async fn authorise(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: &WorkflowForm,
    action: Action,
) -> Result<(), WebError> {
    staff.check_csrf(&form.csrf)?;
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let own = story.owner_id == Some(staff.user.id);
    workflow::check(staff.user.role, own, story.stage(), action).map_err(|_| WebError::Forbidden)
}

pub async fn correct(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<WorkflowForm>,
) -> Result<Response, WebError> {
    authorise(&state, &staff, id, &form, Action::Correct).await?;
    let text = clean_line(&form.text);
    if text.is_empty() || text.chars().count() > 1000 {
        return Ok(see_other(
            &format!("/newsroom/stories/{id}"),
            "The correction was not added: write 1 to 1,000 characters.",
        ));
    }
    let now = state.now();
    state
        .store
        .add_correction(id, now, &text, &staff.user.email)
        .await?;
    changed(&state, id).await?;
    state
        .store
        .audit(
            &staff.user.email,
            "correct",
            &format!("story {id}"),
            &text,
            now,
        )
        .await?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}"),
        "Correction added to the public page.",
    ))
}

pub async fn kill(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<WorkflowForm>,
) -> Result<Response, WebError> {
    authorise(&state, &staff, id, &form, Action::Kill).await?;
    if form.confirm != "yes" {
        return Ok(see_other(
            &format!("/newsroom/stories/{id}"),
            "Not killed: tick the box to confirm.",
        ));
    }
    let now = state.now();
    state.store.set_schedule(id, None).await?;
    state.store.set_status(id, Status::Killed).await?;
    // The takedown reaches every page, list and CDN copy before this returns.
    changed(&state, id).await?;
    state
        .store
        .audit(
            &staff.user.email,
            "kill",
            &format!("story {id}"),
            &clean_line(&form.reason),
            now,
        )
        .await?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}"),
        "Killed: the public address now answers that the story was removed.",
    ))
}

pub async fn unschedule(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<WorkflowForm>,
) -> Result<Response, WebError> {
    authorise(&state, &staff, id, &form, Action::Unschedule).await?;
    state.store.set_schedule(id, None).await?;
    state
        .store
        .audit(
            &staff.user.email,
            "unschedule",
            &format!("story {id}"),
            "",
            state.now(),
        )
        .await?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}"),
        "The scheduled publication was cancelled.",
    ))
}
