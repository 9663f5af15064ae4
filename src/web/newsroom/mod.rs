//! The newsroom at `/newsroom`: sign-in, the desk, the story list and editor,
//! the workflow (sending a story back with a note among it), curation, comment settings and moderation, live pages, the
//! breaking-news banner, staff accounts and the audit log. Every handler takes a
//! [`Staff`] (so anonymous requests go to the sign-in page), checks the role it
//! needs, and checks the CSRF token of every form that changes anything.

mod accounts;
mod admin;
mod autosave;
mod breaking;
mod campaign_report;
mod campaigns;
mod comment_settings;
mod curation;
mod desk;
mod edition_access;
mod editor;
mod form;
mod history;
mod list;
mod live;
mod live_actions;
mod moderation;
mod pictures;
mod restore;
mod review;
mod saving;
mod search;
mod session;
mod sponsor_slot;
mod translations;
mod workflow;

pub use crate::web::extract::{client_address, Staff, SESSION_COOKIE};

/// The idle and absolute session lifetimes, in seconds.
/// An editorial action that did not happen, as the web answers it: a refusal is
/// 403, a store failure goes through `WebError` (503 when the database is away).
pub fn editorial_refusal(e: crate::editorial::EditorialError) -> WebError {
    use crate::editorial::EditorialError as E;
    match e {
        E::NotAllowed | E::WrongStage | E::Field { .. } => WebError::Forbidden,
        E::Conflict { .. } => WebError::Forbidden,
        E::NoSuchFront => WebError::NotFound,
        E::Store(e) => e.into(),
        E::Objects(e) => WebError::Internal(e.into()),
    }
}

impl Staff {
    /// The signed-in member of staff as the editorial service knows them.
    pub fn actor(&self) -> crate::editorial::Actor<'_> {
        crate::editorial::Actor {
            name: &self.user.email,
            role: self.user.role,
            user_id: Some(self.user.id),
        }
    }
}

pub fn session_limits() -> (i64, i64) {
    (extract::IDLE_SECONDS, extract::ABSOLUTE_SECONDS)
}

use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::media;
use crate::web::assets::{NEWSROOM_SCRIPT_PATH, NEWSROOM_STYLESHEET_PATH, STYLESHEET_PATH};
use crate::web::{extract, headers};
use crate::web::{AppState, WebError};

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/newsroom/sign-in",
            get(accounts::sign_in_form).post(accounts::sign_in),
        )
        .route("/newsroom/sign-out", post(accounts::sign_out))
        .route(
            "/newsroom/password",
            get(accounts::password_form).post(accounts::change_password),
        )
        .route("/newsroom", get(desk::page))
        .route("/newsroom/desk/lists", get(desk::lists))
        .route("/newsroom/search", get(search::search))
        .route("/newsroom/stories/new", get(editor::new_story))
        // The editor's form carries an upload; every other form keeps axum's 2 MB limit.
        .route(
            "/newsroom/stories",
            get(list::stories)
                .post(editor::create)
                .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        .route(
            "/newsroom/stories/new/autosave",
            post(autosave::new_story).layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        .route(
            "/newsroom/stories/new/autosave/discard",
            post(autosave::discard_new),
        )
        .route(
            "/newsroom/pictures",
            post(pictures::upload).layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        .route(breaking::PATH, get(breaking::page).post(breaking::set))
        .route("/newsroom/breaking-news/remove", post(breaking::remove))
        .route(
            campaigns::PATH,
            get(campaigns::list)
                .post(campaigns::create)
                .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        .route("/newsroom/campaigns/new", get(campaigns::new_campaign))
        .route("/newsroom/campaigns/staff", post(campaigns::set_power))
        .route("/newsroom/campaigns/report", get(campaign_report::page))
        .route("/newsroom/campaigns/report.csv", get(campaign_report::csv))
        .route(
            "/newsroom/campaigns/{id}",
            get(campaigns::edit)
                .post(campaigns::update)
                .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        .route("/newsroom/campaigns/{id}/end", post(campaigns::end))
        .route("/newsroom/comments", get(moderation::queue))
        .route("/newsroom/comments/{id}/approve", post(moderation::approve))
        .route("/newsroom/comments/{id}/reject", post(moderation::reject))
        .route("/newsroom/readers/{id}", get(moderation::history))
        .route("/newsroom/readers/{id}/ban", post(moderation::ban))
        .route(
            "/newsroom/fronts",
            get(curation::fronts).post(curation::save_front),
        )
        .route("/newsroom/promos", post(curation::save_promos))
        .route(
            "/newsroom/users",
            get(admin::users).post(admin::create_user),
        )
        .route("/newsroom/users/{id}", post(admin::update_user))
        .route("/newsroom/audit", get(admin::audit))
        .merge(
            story_routes().route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                edition_access::guard,
            )),
        )
        .layer(axum::middleware::from_fn(headers::private_and_same_origin))
}

/// Every route on one story (`/newsroom/stories/{id}…`): the layer over them
/// refuses a story of an edition the member of staff does not work in.
fn story_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/newsroom/stories/{id}",
            get(editor::edit)
                .post(editor::save)
                .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        // The editor's background calls (autosave, presence) answer JSON to its script.
        .route(
            "/newsroom/stories/{id}/autosave",
            post(autosave::story).layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        .route(
            "/newsroom/stories/{id}/autosave/discard",
            post(autosave::discard_story),
        )
        .route("/newsroom/stories/{id}/presence", get(autosave::presence))
        .route("/newsroom/stories/{id}/leave", post(autosave::leave))
        .route("/newsroom/stories/{id}/correct", post(workflow::correct))
        .route("/newsroom/stories/{id}/kill", post(workflow::kill))
        .route("/newsroom/stories/{id}/send-back", post(review::send_back))
        .route(
            "/newsroom/stories/{id}/unschedule",
            post(workflow::unschedule),
        )
        .route("/newsroom/stories/{id}/history", get(history::revisions))
        .route(
            "/newsroom/stories/{id}/comments",
            get(comment_settings::page).post(comment_settings::save),
        )
        .route(
            "/newsroom/stories/{id}/sponsor-slot",
            get(sponsor_slot::page).post(sponsor_slot::save),
        )
        .route("/newsroom/stories/{id}/live", get(live::page))
        .route(
            "/newsroom/stories/{id}/live/start",
            post(live_actions::start),
        )
        .route(
            "/newsroom/stories/{id}/live/posts",
            post(live_actions::write).layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        .route(
            "/newsroom/stories/{id}/live/posts/{post_id}",
            get(live::post_page)
                .post(live_actions::edit)
                .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES)),
        )
        .route(
            "/newsroom/stories/{id}/live/posts/{post_id}/publish",
            post(live_actions::publish),
        )
        .route(
            "/newsroom/stories/{id}/live/posts/{post_id}/pin",
            post(live_actions::pin),
        )
        .route(
            "/newsroom/stories/{id}/live/posts/{post_id}/delete",
            post(live_actions::delete),
        )
        .route("/newsroom/stories/{id}/live/end", post(live_actions::end))
        .route("/newsroom/stories/{id}/versions", post(translations::link))
        .route(
            "/newsroom/stories/{id}/versions/unlink",
            post(translations::unlink),
        )
}

/// Largest newsroom request body: the editor's form with the largest picture and room
/// for its text. A bigger one is refused with `413 Payload Too Large`.
pub const FORM_LIMIT_BYTES: usize = media::MAX_UPLOAD_BYTES + 1024 * 1024;

/// The signed-in user as the newsroom's chrome shows them.
pub struct NavUser {
    pub name: String,
    pub role: &'static str,
    pub is_editor: bool,
    pub is_admin: bool,
    /// Not limited to some editions: the breaking-news banner is theirs to run.
    pub all_editions: bool,
    /// Admins and staff with the commercial power: sponsor campaigns are theirs to run.
    pub commercial: bool,
    pub csrf: String,
}

/// What the newsroom's base template needs.
pub struct NewsroomNav {
    pub site_name: String,
    pub stylesheet: &'static str,
    /// The newsroom's own stylesheet and script (progressive enhancements).
    pub newsroom_stylesheet: &'static str,
    pub script: &'static str,
    pub user: Option<NavUser>,
    /// A one-line confirmation of what just happened.
    pub notice: String,
}

impl NewsroomNav {
    pub fn new(state: &AppState, staff: Option<&Staff>) -> NewsroomNav {
        NewsroomNav {
            site_name: state.site.name.clone(),
            stylesheet: STYLESHEET_PATH.as_str(),
            newsroom_stylesheet: NEWSROOM_STYLESHEET_PATH.as_str(),
            script: NEWSROOM_SCRIPT_PATH.as_str(),
            user: staff.map(|s| NavUser {
                name: s.user.display_name.clone(),
                role: s.user.role.as_str(),
                is_editor: s.user.role.is_editor(),
                is_admin: s.user.role.is_admin(),
                all_editions: edition_access::works_everywhere(state, s),
                commercial: s.user.role.is_admin() || state.sponsors.is_commercial(s.user.id),
                csrf: s.csrf.clone(),
            }),
            notice: String::new(),
        }
    }

    pub fn with_notice(mut self, notice: Option<&str>) -> NewsroomNav {
        self.notice = notice.unwrap_or_default().chars().take(200).collect();
        self
    }
}

/// A redirect after a successful POST, with a short notice for the next page.
pub fn see_other(path: &str, notice: &str) -> Response {
    let separator = if path.contains('?') { '&' } else { '?' };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("notice", notice)
        .finish();
    let location = format!("{path}{separator}{query}");
    (
        axum::http::StatusCode::SEE_OTHER,
        [(header::LOCATION, location)],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::see_other;
    use axum::http::header;

    #[test]
    fn a_notice_is_encoded_into_the_next_address() {
        let location = |path, notice| {
            see_other(path, notice).headers()[header::LOCATION]
                .to_str()
                .expect("location")
                .to_string()
        };
        assert_eq!(
            location("/newsroom/stories/4", "Saved & published: 100% #1"),
            "/newsroom/stories/4?notice=Saved+%26+published%3A+100%25+%231"
        );
        assert_eq!(
            location("/newsroom/fronts?front=home", "Front saved"),
            "/newsroom/fronts?front=home&notice=Front+saved"
        );
    }
}
