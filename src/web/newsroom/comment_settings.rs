//! A story's comment settings, for editors: comments off, on and checked before they appear (pre-moderation) or after (post-moderation), and open or closed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::form::NoticeQuery;
use super::{editorial_refusal, see_other, NewsroomNav, Staff};
use crate::domain::comment::Mode;
use crate::domain::user::Role;
use crate::web::comments_page::comments_href;
use crate::web::{paths, AppState, WebError};

#[derive(Template)]
#[template(path = "newsroom/comment_settings.html")]
struct SettingsTemplate {
    nav: NewsroomNav,
    csrf: String,
    id: i64,
    headline: String,
    /// The public comments page, once the story is public and comments are on.
    public_href: String,
    mode: &'static str,
    closed: bool,
    count: i64,
    queue_href: &'static str,
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    closed: String,
}

fn here(id: i64) -> String {
    format!("/newsroom/stories/{id}/comments")
}

/// `GET /newsroom/stories/{id}/comments`
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Editor)?;
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let settings = state.store.comment_settings(id).await?;
    let public_href = match comments_href(&state, &story) {
        Some(href) if settings.is_on() && story.is_public(state.now()) => href,
        _ => String::new(),
    };
    let page = SettingsTemplate {
        nav: q.nav(&state, &staff),
        csrf: staff.csrf.clone(),
        id,
        headline: story.content.headline,
        public_href,
        mode: settings.mode.as_str(),
        closed: settings.closed_at.is_some(),
        count: settings.shown_count,
        queue_href: paths::MODERATION,
    };
    Ok(Html(page.render()?).into_response())
}

/// `POST /newsroom/stories/{id}/comments`
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    staff.require(Role::Editor)?;
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let Some(mode) = Mode::parse(&form.mode) else {
        return Ok(see_other(
            &here(id),
            "Nothing was changed: choose how the story takes comments.",
        ));
    };
    let closed = form.closed == "yes";
    state
        .editorial()
        .set_comments(staff.actor(), &story, mode, closed, state.now())
        .await
        .map_err(editorial_refusal)?;
    let notice = match (mode, closed) {
        (Mode::Off, _) => "Comments are off.",
        (_, true) => "Comments are closed: the published ones still show.",
        (Mode::PreModerated, false) => "Comments are on; each waits for a moderator.",
        (Mode::PostModerated, false) => "Comments are on and appear at once.",
    };
    Ok(see_other(&here(id), notice))
}
