//! Staff limited to some editions (migration 0022's `staff_editions`): the one
//! check, made by a layer over every `/newsroom/stories/{id}…` route before its
//! handler runs, that the story is in an edition the member of staff works in;
//! the same check for the section a new or moved story is saved into, the
//! fronts, promos and comments they curate and moderate; and the refusal of
//! what reaches every edition at once (the breaking-news banner, barring a reader).

use axum::extract::{RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Staff;
use crate::domain::front::Front;
use crate::store::StorySummary;
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

/// Whether `staff` works in every edition there is (not limited, or limited to all of them).
pub fn works_everywhere(state: &AppState, staff: &Staff) -> bool {
    state.editions.all().iter().all(|e| staff.works_in(e.id))
}

/// Whether `staff` works in the edition of section `section_id`.
pub fn works_in_section(state: &AppState, staff: &Staff, section_id: i64) -> bool {
    state
        .sections
        .by_id(section_id)
        .is_none_or(|section| staff.works_in(section.edition_id))
}

/// The sections of the editions `staff` works in; `None` when they work in every edition.
pub fn their_sections(state: &AppState, staff: &Staff) -> Option<Vec<i64>> {
    (!staff.editions.is_empty()).then(|| {
        state
            .sections
            .all()
            .iter()
            .filter(|s| staff.works_in(s.edition_id))
            .map(|s| s.id)
            .collect()
    })
}

/// Refuses unless `staff` works in edition `edition_id`, saying which editions they do work in.
pub fn require_edition(state: &AppState, staff: &Staff, edition_id: i64) -> Result<(), WebError> {
    require(state, staff, "This story is in", edition_id)
}

/// Refuses unless `staff` works in the edition of every story in `stories`
/// (the stories an order of a front or of the promos names).
pub fn require_stories(
    state: &AppState,
    staff: &Staff,
    stories: &[StorySummary],
) -> Result<(), WebError> {
    stories
        .iter()
        .try_for_each(|story| require_section(state, staff, story.section_id))
}

/// Refuses unless `staff` works in the edition of `front`.
pub fn require_front(state: &AppState, staff: &Staff, front: Front) -> Result<(), WebError> {
    match front.edition(&state.sections) {
        Some(edition) => require(state, staff, "This front is in", edition),
        None => Ok(()),
    }
}

/// Refuses to moderate a comment on story `story_id` unless `staff` works in its edition.
pub async fn require_comment_on(
    state: &AppState,
    staff: &Staff,
    story_id: i64,
) -> Result<(), WebError> {
    if staff.editions.is_empty() {
        return Ok(());
    }
    let edition = state.store.story_edition(story_id).await?;
    require(state, staff, "This comment is on a story in", edition)
}

/// Refuses something that reaches every edition at once (`what_it_does`, such
/// as "The breaking-news banner runs in every edition") to staff limited to some.
pub fn require_every_edition(
    state: &AppState,
    staff: &Staff,
    what_it_does: &str,
) -> Result<(), WebError> {
    if works_everywhere(state, staff) {
        return Ok(());
    }
    Err(WebError::ForbiddenBecause(format!(
        "{what_it_does}, so it is left to staff who work in every edition, and your \
         account works only in {}. Ask an editor who works in every edition.",
        their_editions(state, staff)
    )))
}

/// The one refusal: "`what` the X edition, and your account works only in …".
fn require(state: &AppState, staff: &Staff, what: &str, edition_id: i64) -> Result<(), WebError> {
    if staff.works_in(edition_id) {
        return Ok(());
    }
    Err(WebError::ForbiddenBecause(format!(
        "{what} the {} edition, and your account works only in {}. \
         Ask an administrator if you need to work in it.",
        edition_name(state, edition_id),
        their_editions(state, staff)
    )))
}

fn edition_name(state: &AppState, id: i64) -> String {
    state
        .editions
        .by_id(id)
        .map(|e| e.english_name.clone())
        .unwrap_or_default()
}

/// "the Arabic edition", "the Arabic and Russian editions".
fn their_editions(state: &AppState, staff: &Staff) -> String {
    let names: Vec<String> = staff
        .editions
        .iter()
        .map(|id| edition_name(state, *id))
        .collect();
    format!(
        "the {} edition{}",
        names.join(" and "),
        if names.len() > 1 { "s" } else { "" }
    )
}
