//! The web layer's one error type. Handlers return it; a middleware turns it into
//! a full HTML page inside the site's chrome, and 500s are logged without leaking their cause.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::edition::PageEdition;
use super::reader_pages::Visitor;
use super::views::Chrome;
use super::AppState;
use crate::store::{StoreError, WriteRefusal};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    #[error("forbidden")]
    Forbidden,
    /// Forbidden, with the reason the error page gives (written for the user).
    #[error("forbidden: {0}")]
    ForbiddenBecause(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("payload too large: {0}")]
    TooLarge(String),
    #[error("the form's security token is missing or out of date")]
    BadCsrf,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database reads but refuses to write (a full disk, a read-only file).
    #[error("the database cannot write: {1}")]
    CannotWrite(WriteRefusal, String),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl From<crate::media::PictureError> for WebError {
    fn from(e: crate::media::PictureError) -> Self {
        match e {
            crate::media::PictureError::Store(e) => e.into(),
            e => WebError::Internal(e.into()),
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        if let Some(refusal) = e.write_refusal() {
            WebError::CannotWrite(refusal, e.to_string())
        } else if e.is_unavailable() {
            WebError::Unavailable(e.to_string())
        } else {
            WebError::Internal(e.into())
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(e.into())
    }
}

/// Marks a response whose body the error-page middleware should render.
#[derive(Clone, Copy)]
struct ErrorPage;

#[derive(Clone, Copy)]
struct CsrfFailure;

/// The reason a `ForbiddenBecause` page gives.
#[derive(Clone)]
struct Because(String);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Gone => StatusCode::GONE,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::ForbiddenBecause(reason) => {
                let mut response = StatusCode::FORBIDDEN.into_response();
                response.extensions_mut().insert(ErrorPage);
                response.extensions_mut().insert(Because(reason.clone()));
                return response;
            }
            WebError::BadRequest(message) => {
                return (StatusCode::BAD_REQUEST, message.clone()).into_response();
            }
            WebError::TooLarge(message) => {
                return (StatusCode::PAYLOAD_TOO_LARGE, message.clone()).into_response();
            }
            // Told apart from Forbidden by its own marker, so the page can say what to do.
            WebError::BadCsrf => {
                let mut response = StatusCode::FORBIDDEN.into_response();
                response.extensions_mut().insert(ErrorPage);
                response.extensions_mut().insert(CsrfFailure);
                return response;
            }
            // The database is away: say so, and when to try again; cached pages are still served.
            WebError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "request needs the database, which is unavailable");
                let mut response = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "5")],
                )
                    .into_response();
                response.extensions_mut().insert(ErrorPage);
                return response;
            }
            // Said plainly to the user (the page names the cause), and logged with it.
            WebError::CannotWrite(refusal, cause) => {
                let refusal = *refusal;
                log_write_refusal(refusal, cause);
                let mut response = refusal_status(refusal).into_response();
                response.extensions_mut().insert(ErrorPage);
                response.extensions_mut().insert(refusal);
                return response;
            }
            WebError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage);
        response
    }
}

/// 507 Insufficient Storage for a full disk; 503 for a database that is read-only.
pub fn refusal_status(refusal: WriteRefusal) -> StatusCode {
    match refusal {
        WriteRefusal::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
        WriteRefusal::ReadOnly => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The page text (locales/*/site.ftl) saying why a change was not saved; the
/// English text is [`WriteRefusal::message`], which the newsroom shows.
fn refusal_message_id(refusal: WriteRefusal) -> &'static str {
    match refusal {
        WriteRefusal::DiskFull => "error-not-saved-disk-full",
        WriteRefusal::ReadOnly => "error-not-saved-read-only",
    }
}

/// Logs a refused write with its cause, for whoever looks after the server.
pub fn log_write_refusal(refusal: WriteRefusal, cause: &str) {
    let what = match refusal {
        WriteRefusal::DiskFull => "the database's disk is full",
        WriteRefusal::ReadOnly => "the database is read-only",
    };
    tracing::error!(error = %cause, "a change was not saved: {what}");
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    chrome: std::sync::Arc<Chrome>,
    title: &'a str,
    message: &'a str,
}

/// Replaces the empty body of an error response with a page in the site's chrome.
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // Newsroom pages are English; public ones are in the edition of their path.
    let edition = PageEdition::of_path(&state, request.uri().path());
    let response = next.run(request).await;
    if response.extensions().get::<ErrorPage>().is_none() {
        return response;
    }
    let status = response.status();
    let csrf = response.extensions().get::<CsrfFailure>().is_some();
    let refusal = response.extensions().get::<WriteRefusal>().copied();
    // The page's text, in the edition's language (locales/*/site.ftl).
    // A newsroom refusal that says why (`WebError::ForbiddenBecause`) is shown as it is.
    let because = response.extensions().get::<Because>().cloned();
    let (title, message) = match status {
        StatusCode::FORBIDDEN if because.is_some() => ("error-forbidden-title", None),
        _ if refusal.is_some() => ("error-not-saved-title", None),
        StatusCode::FORBIDDEN if csrf => {
            ("error-form-expired-title", Some("error-form-expired-text"))
        }
        StatusCode::FORBIDDEN => ("error-forbidden-title", Some("error-forbidden-text")),
        StatusCode::NOT_FOUND => ("error-not-found-title", Some("error-not-found-text")),
        StatusCode::GONE => ("error-gone-title", Some("error-gone-text")),
        StatusCode::SERVICE_UNAVAILABLE => {
            ("error-unavailable-title", Some("error-unavailable-text"))
        }
        _ => ("error-server-title", Some("error-server-text")),
    };
    // A signed-in reader's public pages say who is signed in, their error pages too.
    let visitor = response
        .extensions()
        .get::<Visitor>()
        .cloned()
        .unwrap_or_default();
    let chrome = Chrome::for_visitor(Chrome::new(&state, &edition.0, None), &visitor);
    let title = chrome.t(title);
    let message = match (message, &because) {
        (Some(id), _) => chrome.t(id),
        (None, Some(because)) => because.0.clone(),
        (None, None) => refusal.map_or_else(String::new, |r| chrome.t(refusal_message_id(r))),
    };
    let page = ErrorTemplate {
        chrome,
        title: &title,
        message: &message,
    };
    match page.render() {
        Ok(html) => {
            let mut page =
                (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response();
            if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
                page.headers_mut()
                    .insert(header::RETRY_AFTER, retry.clone());
            }
            // A layer's cookie (`reader_pages` clearing a dead session) still goes out.
            for cookie in response.headers().get_all(header::SET_COOKIE) {
                page.headers_mut()
                    .append(header::SET_COOKIE, cookie.clone());
            }
            page
        }
        Err(_) => (status, title.clone()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_write_reads_the_same_in_the_newsroom_and_on_english_pages() {
        for refusal in [WriteRefusal::DiskFull, WriteRefusal::ReadOnly] {
            let english = crate::web::l10n::message(
                crate::web::l10n::SOURCE_LOCALE,
                refusal_message_id(refusal),
                &fluent_bundle::FluentArgs::new(),
            );
            assert_eq!(english, refusal.message());
        }
    }
}
