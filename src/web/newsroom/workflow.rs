//! Workflow actions with their own small forms: correct, kill, cancel a schedule.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::{editorial_refusal, see_other, Staff};
use crate::domain::story::Story;
use crate::domain::text::clean_line;
use crate::domain::workflow::Action;
use crate::editorial::Editorial;
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

/// Checks the token and loads the story the action is on.
async fn load(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: &WorkflowForm,
) -> Result<Story, WebError> {
    staff.check_csrf(&form.csrf)?;
    state.store.story(id).await?.ok_or(WebError::NotFound)
}

pub async fn correct(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<WorkflowForm>,
) -> Result<Response, WebError> {
    let story = load(&state, &staff, id, &form).await?;
    Editorial::check(staff.actor(), Some(&story), Action::Correct).map_err(editorial_refusal)?;
    let text = clean_line(&form.text);
    if text.is_empty() || text.chars().count() > 1000 {
        return Ok(see_other(
            &format!("/newsroom/stories/{id}"),
            "The correction was not added: write 1 to 1,000 characters.",
        ));
    }
    state
        .editorial()
        .correct(staff.actor(), &story, &text, state.now())
        .await
        .map_err(editorial_refusal)?;
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
    let story = load(&state, &staff, id, &form).await?;
    Editorial::check(staff.actor(), Some(&story), Action::Kill).map_err(editorial_refusal)?;
    if form.confirm != "yes" {
        return Ok(see_other(
            &format!("/newsroom/stories/{id}"),
            "Not killed: tick the box to confirm.",
        ));
    }
    // The takedown reaches every page, list and CDN copy before this returns.
    state
        .editorial()
        .kill(
            staff.actor(),
            &story,
            &clean_line(&form.reason),
            state.now(),
        )
        .await
        .map_err(editorial_refusal)?;
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
    let story = load(&state, &staff, id, &form).await?;
    state
        .editorial()
        .unschedule(staff.actor(), &story, state.now())
        .await
        .map_err(editorial_refusal)?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}"),
        "The scheduled publication was cancelled.",
    ))
}
