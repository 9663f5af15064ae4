//! The breaking-news banner, for editors and admins, `/newsroom/breaking-news`:
//! the banner running (its line, link, who set it and when), the form that sets
//! one in its place, and the button that removes it. The banner runs in every
//! edition, so staff limited to some editions neither see nor change it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::{edition_access, editorial_refusal, see_other, NewsroomNav, Staff};
use crate::domain::breaking::MAX_TEXT_CHARS;
use crate::domain::timefmt;
use crate::domain::user::Role;
use crate::editorial::EditorialError;
use crate::web::error::{log_write_refusal, refusal_status};
use crate::web::{AppState, WebError};

/// Why the banner is not for staff limited to some editions.
const EVERY_EDITION: &str = "The breaking-news banner runs in every edition";

/// Refuses anyone but editors who work in every edition.
fn may_run_the_banner(state: &AppState, staff: &Staff) -> Result<(), WebError> {
    staff.require(Role::Editor)?;
    edition_access::require_every_edition(state, staff, EVERY_EDITION)
}

/// The page's address.
pub const PATH: &str = "/newsroom/breaking-news";

/// The banner as the page shows it.
pub struct BannerView {
    pub text: String,
    pub link: String,
    pub set_by: String,
    pub set_at: String,
}

#[derive(Template)]
#[template(path = "newsroom/breaking.html")]
struct BreakingTemplate {
    nav: NewsroomNav,
    csrf: String,
    banner: Option<BannerView>,
    max_chars: usize,
    text: String,
    link: String,
    text_error: String,
    link_error: String,
    problems: Vec<String>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct BannerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    link: String,
}

/// What a refused form shows again: the text and link as typed, and the problem by field.
#[derive(Default)]
struct Typed {
    text: String,
    link: String,
    field: &'static str,
    message: String,
}

async fn render(
    state: &AppState,
    staff: &Staff,
    typed: Typed,
    status: StatusCode,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let tz = &state.site.time_zone;
    let banner = state.store.breaking_news().await?.map(|b| BannerView {
        text: b.text,
        link: b.link,
        set_by: b.set_by,
        set_at: timefmt::long_stamp(timefmt::from_unix(b.set_at), tz),
    });
    let error = |field| {
        if typed.field == field {
            typed.message.clone()
        } else {
            String::new()
        }
    };
    let page = BreakingTemplate {
        nav: NewsroomNav::new(state, Some(staff)).with_notice(notice),
        csrf: staff.csrf.clone(),
        banner,
        max_chars: MAX_TEXT_CHARS,
        text_error: error("text"),
        link_error: error("link"),
        problems: if typed.message.is_empty() {
            Vec::new()
        } else {
            vec![typed.message.clone()]
        },
        text: typed.text,
        link: typed.link,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /newsroom/breaking-news`
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    may_run_the_banner(&state, &staff)?;
    render(
        &state,
        &staff,
        Typed::default(),
        StatusCode::OK,
        q.notice.as_deref(),
    )
    .await
}

/// `POST /newsroom/breaking-news`: runs the banner in place of any running one.
pub async fn set(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<BannerForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    may_run_the_banner(&state, &staff)?;
    let done = state
        .editorial()
        .set_breaking_news(staff.actor(), &form.text, &form.link, state.now())
        .await;
    let (field, message, status) = match done {
        Ok(()) => {
            return Ok(see_other(
                PATH,
                "The banner is running on every public page.",
            ))
        }
        Err(EditorialError::Field { field, message }) => {
            (field, message, StatusCode::UNPROCESSABLE_ENTITY)
        }
        // A full disk or a read-only database: the form comes back as typed.
        Err(EditorialError::Store(e)) => match e.write_refusal() {
            Some(refusal) => {
                log_write_refusal(refusal, &e.to_string());
                ("", refusal.message().to_string(), refusal_status(refusal))
            }
            None => return Err(e.into()),
        },
        Err(e) => return Err(editorial_refusal(e)),
    };
    let typed = Typed {
        text: form.text,
        link: form.link,
        field,
        message,
    };
    render(&state, &staff, typed, status, None).await
}

/// `POST /newsroom/breaking-news/remove`
pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<BannerForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    may_run_the_banner(&state, &staff)?;
    let running = state.store.breaking_news().await?.is_some();
    state
        .editorial()
        .clear_breaking_news(staff.actor(), state.now())
        .await
        .map_err(editorial_refusal)?;
    let notice = if running {
        "The banner is removed from every public page."
    } else {
        "No banner was running."
    };
    Ok(see_other(PATH, notice))
}
