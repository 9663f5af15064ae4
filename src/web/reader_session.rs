//! The signed-in reader, for every area that serves readers: the `dateline_reader` session cookie, its idle and absolute end, and its CSRF token. Never a member of staff: staff sessions are another cookie and another table.

use axum::extract::{FromRequestParts, OptionalFromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use cookie::SameSite;

use crate::auth;
use crate::domain::reader::{self, Reader};
use crate::web::cookies::set_cookie;
use crate::web::extract::cookie_value;
use crate::web::{paths, AppState, WebError};

/// The reader's session cookie: HttpOnly, SameSite=Lax, Secure on HTTPS, for the whole site.
pub const READER_COOKIE: &str = "dateline_reader";
/// Last-seen times are written at most this often, not on every request.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// A signed-in reader.
#[derive(Debug, Clone)]
pub struct SignedInReader {
    pub reader: Reader,
    /// This session's CSRF token, which every form that changes something carries.
    pub csrf: String,
    /// The SHA-256 of the session's secret, as the database keeps it.
    pub session_hash: String,
}

impl SignedInReader {
    /// Refuses a state-changing request whose form did not carry this session's token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), WebError> {
        if auth::same_secret(submitted, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::BadCsrf)
        }
    }
}

/// The cookie that signs a reader in with session secret `token` (empty and expired to sign out).
pub fn session_cookie(state: &AppState, token: &str) -> axum::http::HeaderValue {
    let max_age = if token.is_empty() {
        0
    } else {
        reader::SESSION_ABSOLUTE_SECONDS
    };
    set_cookie(
        state,
        READER_COOKIE,
        token,
        "/",
        Some(max_age),
        SameSite::Lax,
    )
}

/// The reader whose session cookie came with the request, if it is a live session.
/// A session past its end is deleted and counts as none.
pub async fn signed_in_reader(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<SignedInReader>, WebError> {
    let Some(token) = cookie_value(headers, READER_COOKIE).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let hash = auth::token_hash(&token);
    let Some(record) = state.store.reader_session(&hash).await? else {
        return Ok(None);
    };
    let now = state.now();
    if reader::session_ended(record.created_at, record.last_seen_at, now)
        || now >= record.expires_at
    {
        state.store.delete_reader_session(&hash).await?;
        return Ok(None);
    }
    if now - record.last_seen_at >= TOUCH_EVERY_SECONDS {
        state.store.touch_reader_session(&hash, now).await?;
    }
    Ok(Some(SignedInReader {
        reader: record.reader,
        csrf: record.csrf_token,
        session_hash: hash,
    }))
}

/// Where a reader who is not signed in goes: the sign-in of the edition the page is
/// in, coming back here afterwards (to the account page after a form post, which is
/// not repeated). Nested routes see their path without the edition's prefix, so the
/// original one decides.
fn to_sign_in(state: &AppState, parts: &Parts) -> Response {
    let original = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |o| &o.0);
    let prefix = &state.editions.for_path(original.path()).prefix;
    let here = original
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .filter(|_| parts.method == axum::http::Method::GET)
        .unwrap_or_else(|| paths::account(prefix, ""));
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", &here)
        .finish();
    Redirect::to(&format!("{}?{query}", paths::account(prefix, "/sign-in"))).into_response()
}

impl FromRequestParts<AppState> for SignedInReader {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match signed_in_reader(state, &parts.headers).await {
            Ok(Some(reader)) => Ok(reader),
            Ok(None) => Err(to_sign_in(state, parts)),
            Err(e) => Err(e.into_response()),
        }
    }
}

impl OptionalFromRequestParts<AppState> for SignedInReader {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        signed_in_reader(state, &parts.headers)
            .await
            .map_err(IntoResponse::into_response)
    }
}
