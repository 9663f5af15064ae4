//! A story's sponsor slot, for editors, `/newsroom/stories/{id}/sponsor-slot`:
//! switched off (tragedies, sensitive coverage), no campaign ever shows on the
//! story, whatever it was sold for; that switch always wins over the campaigns.
//! Like every story route, it is refused to staff limited to other editions
//! (`edition_access::guard`, the layer over the story routes).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::campaigns::changed;
use super::form::{chosen, NoticeQuery};
use super::{see_other, NewsroomNav, Staff};
use crate::domain::user::Role;
use crate::web::{AppState, WebError};

#[derive(Template)]
#[template(path = "newsroom/sponsor_slot.html")]
struct SlotTemplate {
    nav: NewsroomNav,
    csrf: String,
    id: i64,
    headline: String,
    off: bool,
}

#[derive(Deserialize)]
pub struct SlotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slot: String,
}

/// The form's radio group: whether the slot is switched off.
const SLOT_CHOICES: [(&str, bool); 2] = [("off", true), ("on", false)];

fn here(id: i64) -> String {
    format!("/newsroom/stories/{id}/sponsor-slot")
}

/// `GET /newsroom/stories/{id}/sponsor-slot`
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Editor)?;
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let page = SlotTemplate {
        nav: q.nav(&state, &staff),
        csrf: staff.csrf.clone(),
        id,
        headline: story.content.headline,
        off: state.store.sponsor_slot_off(id).await?,
    };
    Ok(Html(page.render()?).into_response())
}

/// `POST /newsroom/stories/{id}/sponsor-slot`: `slot=off` or `slot=on`.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<SlotForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    staff.require(Role::Editor)?;
    state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let off = chosen(&form.slot, &SLOT_CHOICES).ok_or_else(|| {
        WebError::BadRequest("Choose whether the story shows the sponsor slot.".into())
    })?;
    state
        .store
        .set_sponsor_slot(id, off, &staff.user.email, state.now())
        .await?;
    changed(&state).await?;
    crate::web::invalidation::invalidate(&state, vec![crate::store::keys::story(id)]);
    let notice = if off {
        "The sponsor slot is off on this story: no campaign shows on it."
    } else {
        "The sponsor slot is on again on this story."
    };
    Ok(see_other(&here(id), notice))
}
