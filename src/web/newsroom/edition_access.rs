//! Staff limited to some editions (migration 0022's `staff_editions`): the one
//! check, made by a layer over every `/newsroom/stories/{id}…` route before its
//! handler runs, that the story is in an edition the member of staff works in;
//! and the same check for the section a new or moved story is saved into.

use axum::extract::{RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Staff;
use crate::web::{AppState, WebError};

/// Refuses a story route when the story is in an edition `staff` does not work
/// in. The member of staff read here is kept for the handler (`Staff`'s extractor).
pub async fn guard(
    State(state): State<AppState>,
    staff: Staff,
    params: RawPathParams,
    mut request: Request,
    next: Next,
) -> Response {
    let story_id = params
        .iter()
        .find(|(name, _)| *name == "id")
        .and_then(|(_, value)| value.parse::<i64>().ok());
    if let (Some(id), false) = (story_id, staff.editions.is_empty()) {
        // An unknown story is the handler's to answer (404).
        match state.store.story(id).await {
            Ok(Some(story)) => {
                if let Err(refusal) = require_section(&state, &staff, story.content.section_id) {
                    return refusal.into_response();
                }
            }
            Ok(None) => {}
            Err(e) => return WebError::from(e).into_response(),
        }
    }
    request.extensions_mut().insert(staff);
    next.run(request).await
}

/// Refuses unless `staff` works in the edition of section `section_id` (an
/// unknown section is left to the form's own checks).
pub fn require_section(state: &AppState, staff: &Staff, section_id: i64) -> Result<(), WebError> {
    let Some(section) = state.sections.by_id(section_id) else {
        return Ok(());
    };
    require_edition(state, staff, section.edition_id)
}

/// Refuses unless `staff` works in edition `edition_id`, saying which editions they do work in.
pub fn require_edition(state: &AppState, staff: &Staff, edition_id: i64) -> Result<(), WebError> {
    if staff.works_in(edition_id) {
        return Ok(());
    }
    let name = |id: i64| {
        state
            .editions
            .by_id(id)
            .map(|e| e.english_name.clone())
            .unwrap_or_default()
    };
    let theirs: Vec<String> = staff.editions.iter().map(|id| name(*id)).collect();
    Err(WebError::ForbiddenBecause(format!(
        "This story is in the {} edition, and your account works only in the {} edition{}. \
         Ask an administrator if you need to work in it.",
        name(edition_id),
        theirs.join(" and "),
        if theirs.len() > 1 { "s" } else { "" }
    )))
}
