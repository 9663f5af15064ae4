//! Reader accounts at `/account…` in every edition (`/arabic/account…`, each page in its edition's language): registering and verifying the address, signing in by password or by an e-mailed link, resetting a password, the account's settings, its data export and deleting it; saved stories; what the reader follows, My news and its private feed, and the daily e-mail's unsubscribe link; posting and reporting comments. Every page is `private, no-store` and never enters the page cache.

mod comments;
mod data;
mod edition;
mod email_language;
mod following;
mod forms;
mod limits;
mod links;
mod mail;
mod my_news;
mod problems;
mod register;
mod reset;
mod saved;
mod settings;
mod sign_in;
mod unsubscribe;
mod views;

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth;
use crate::domain::edition::Editions;
use crate::domain::reader::SESSION_ABSOLUTE_SECONDS;
use crate::store::NewReaderSession;
use crate::web::extract::cookie_value;
use crate::web::headers::private_and_same_origin;
use crate::web::reader_pages::forget_kept_pages;
use crate::web::reader_session::{SignedInReader, READER_COOKIE};
use crate::web::{paths, AppState, WebError};
use edition::AccountEdition;
use std::sync::Arc;
use views::{AccountBar, Page, SettingsPage};

/// The account pages of every edition: the English edition's at `/account…`, each
/// other edition's the same pages under its prefix (`/arabic/account/sign-in`).
/// One session cookie (path `/`) serves them all.
pub fn router(editions: &Editions) -> Router<AppState> {
    let mut router = account_pages();
    let mut unsubscribe = unsubscribe::router();
    for edition in editions.all().iter().filter(|e| !e.is_root()) {
        router = router.nest(&edition.prefix, account_pages());
        // The daily e-mail's body links to its edition's address of the page.
        unsubscribe = unsubscribe.nest(&edition.prefix, unsubscribe::router());
    }
    router
        .layer(axum::middleware::from_fn(private_and_same_origin))
        .layer(axum::middleware::from_fn(forget_kept_pages))
        // Links carry one-time secrets in their query string: never pass them on.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // The daily e-mail's one-click unsubscribe: its link's secret is the authority.
        .merge(unsubscribe)
}

/// One edition's account pages, under `/account`.
fn account_pages() -> Router<AppState> {
    Router::new()
        .route("/account", get(settings::page))
        .route(
            "/account/register",
            get(register::form).post(register::submit),
        )
        .route(
            "/account/verify",
            get(register::confirm_page).post(register::verify),
        )
        .route("/account/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/account/sign-out", post(sign_in::sign_out))
        .route(
            "/account/sign-in-link",
            get(sign_in::link_form).post(sign_in::link_request),
        )
        .route(
            "/account/sign-in-link/use",
            get(sign_in::link_page).post(sign_in::link_use),
        )
        .route("/account/reset", get(reset::form).post(reset::request))
        .route(
            "/account/reset/new",
            get(reset::new_form).post(reset::set_new),
        )
        .route("/account/name", post(settings::change_name))
        .route("/account/email", post(settings::change_email))
        .route(
            "/account/email/confirm",
            get(settings::email_confirm_page).post(settings::email_confirm),
        )
        .route("/account/password", post(settings::change_password))
        .route("/account/delete", post(settings::delete))
        .route("/account/email-language", post(email_language::save))
        .route("/account/data.json", get(data::export))
        .route("/account/saved", get(saved::list).post(saved::save))
        .route("/account/saved/remove", post(saved::remove))
        .route(paths::FOLLOWING, get(following::page))
        .route("/account/following/sections", post(following::section))
        .route("/account/following/topics", post(following::add_topic))
        .route(
            "/account/following/topics/remove",
            post(following::remove_topic),
        )
        .route("/account/following/daily", post(following::daily))
        .route("/account/following/feed", post(following::feed))
        .route(paths::MY_NEWS, get(my_news::page))
        .route("/account/my-news/{file}", get(my_news::feed))
        .route("/account/comments", post(comments::post))
        .route("/account/comments/report", post(comments::report))
}

/// Fixed confirmations a redirect may ask the next page to show (`?done=…`), as
/// message ids, so a link from elsewhere cannot put words of its own on the site's pages.
fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done.unwrap_or_default() {
        "verified" => "account-notice-verified",
        "signed-in" => "account-notice-signed-in",
        "signed-out" => "account-notice-signed-out",
        "name" => "account-notice-name",
        "password" => "account-notice-password",
        "reset" => "account-notice-reset",
        "email-sent" => "account-notice-email-sent",
        "email-changed" => "account-notice-email-changed",
        "deleted" => "account-notice-deleted",
        _ => return None,
    })
}

/// The account corner of the masthead, and the confirmation `notice` (a message id) in the page's language.
fn bar(here: &AccountEdition, reader: Option<&SignedInReader>, notice: Option<&str>) -> AccountBar {
    AccountBar {
        signed_in: reader.map(|r| r.reader.display_name.clone()),
        notice: notice.map(|id| here.t(id)).unwrap_or_default(),
    }
}

/// A page titled `title` in the chrome of the page's edition.
fn page(
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
    done: Option<&str>,
    title: impl Into<String>,
) -> Page {
    Page {
        chrome: Arc::clone(&here.chrome),
        bar: bar(here, reader, notice(done)),
        title: title.into(),
        lead: Vec::new(),
        problems: Vec::new(),
        forms: Vec::new(),
        links: Vec::new(),
    }
}

/// Renders a page with `status`, adding `cookies`.
fn respond(
    status: StatusCode,
    page: impl askama::Template,
    cookies: &[HeaderValue],
) -> Result<Response, WebError> {
    let mut response = (status, Html(page.render()?)).into_response();
    for cookie in cookies {
        response
            .headers_mut()
            .append(header::SET_COOKIE, cookie.clone());
    }
    Ok(response)
}

/// Renders the settings page.
fn respond_settings(status: StatusCode, page: SettingsPage) -> Result<Response, WebError> {
    respond(status, page, &[])
}

/// `303 See Other` to `path`, showing the fixed confirmation `done` there.
fn see_other(path: &str, done: &str, cookies: &[HeaderValue]) -> Response {
    let separator = if path.contains('?') { '&' } else { '?' };
    let location = if done.is_empty() {
        path.to_string()
    } else {
        format!("{path}{separator}done={done}")
    };
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    for cookie in cookies {
        response
            .headers_mut()
            .append(header::SET_COOKIE, cookie.clone());
    }
    response
}

/// Only this site's own public and account pages are followed after signing in, so
/// the form cannot send a reader elsewhere, nor into the newsroom; anything else
/// goes to the account page of the edition at `prefix`.
fn safe_next(next: Option<&str>, prefix: &str) -> String {
    // The sign-in and sign-out pages of any edition.
    let signing = |n: &str| n.split('?').next().unwrap_or(n).contains("/account/sign-");
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.starts_with("/newsroom")
                && !signing(n) =>
        {
            n.to_string()
        }
        _ => paths::account(prefix, ""),
    }
}

/// A session about to be opened: the secret for the cookie, and what the database keeps.
struct FreshSession {
    secret: String,
    hash: String,
    csrf: String,
    expires_at: i64,
}

impl FreshSession {
    fn new(state: &AppState) -> FreshSession {
        let secret = auth::random_token();
        FreshSession {
            hash: auth::token_hash(&secret),
            secret,
            csrf: auth::random_token(),
            expires_at: state.now() + SESSION_ABSOLUTE_SECONDS,
        }
    }

    fn record(&self) -> NewReaderSession<'_> {
        NewReaderSession {
            id_hash: &self.hash,
            csrf_token: &self.csrf,
            expires_at: self.expires_at,
        }
    }
}

/// Ends the session the browser came with, if any: every sign-in starts a new session,
/// so a session id planted in a browser beforehand is worth nothing.
async fn end_presented_session(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<(), WebError> {
    if let Some(old) = cookie_value(headers, READER_COOKIE).filter(|t| !t.is_empty()) {
        state
            .store
            .delete_reader_session(&auth::token_hash(&old))
            .await?;
    }
    Ok(())
}

/// Hashes a password with argon2id away from the threads that answer requests.
async fn hash_password(password: String) -> Result<String, WebError> {
    tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| WebError::Internal(anyhow::anyhow!(e)))?
        .map_err(|e| WebError::Internal(anyhow::anyhow!(e)))
}

/// Checks a password against a hash (or, with `None`, spends the same time on a
/// dummy) away from the threads that answer requests.
async fn verify_password(password: String, hash: Option<String>) -> Result<bool, WebError> {
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => auth::verify_password(&password, &hash),
        None => {
            auth::verify_dummy(&password);
            false
        }
    })
    .await
    .map_err(|e| WebError::Internal(anyhow::anyhow!(e)))
}

/// The `Retry-After` header of a refused request.
fn retry_after(seconds: i64) -> (HeaderName, HeaderValue) {
    (header::RETRY_AFTER, HeaderValue::from(seconds.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sites_own_pages_follow_a_sign_in() {
        assert_eq!(safe_next(Some("/news/europe/x-4"), ""), "/news/europe/x-4");
        assert_eq!(
            safe_next(Some("/arabic/news/iraq/x-4"), "/arabic"),
            "/arabic/news/iraq/x-4"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/newsroom/users",
            "/account/sign-out",
            "account",
        ] {
            assert_eq!(safe_next(Some(bad), ""), "/account", "{bad}");
        }
        assert_eq!(safe_next(None, ""), "/account");
        // In another edition, its own account page; its sign-in pages lead nowhere.
        assert_eq!(safe_next(None, "/arabic"), "/arabic/account");
        assert_eq!(
            safe_next(Some("/arabic/account/sign-out"), "/arabic"),
            "/arabic/account"
        );
    }

    #[test]
    fn notices_are_fixed_texts() {
        assert_eq!(notice(Some("<script>")), None);
        assert_eq!(
            notice(Some("signed-out")),
            Some("account-notice-signed-out")
        );
    }
}
