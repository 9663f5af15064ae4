//! The CSRF token of the forms a reader fills in before there is a session (register, sign in, ask for a link, reset, confirm a link): a double-submit cookie, as the newsroom's sign-in form has.

use axum::http::{HeaderMap, HeaderValue};
use cookie::SameSite;

use super::edition::AccountEdition;
use crate::auth;
use crate::web::cookies::set_cookie;
use crate::web::extract::cookie_value;
use crate::web::{AppState, WebError};

/// The anonymous forms' token, in a cookie only the account pages of the form's
/// edition receive (`/account`, `/arabic/account`).
pub const FORM_COOKIE: &str = "dateline_account_form";
/// How long a form may stay open before it must be reloaded.
const FORM_SECONDS: i64 = 24 * 60 * 60;

/// The token for a form about to be shown: the browser's own if it has a good one, else a new one.
pub fn token(headers: &HeaderMap) -> String {
    cookie_value(headers, FORM_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(auth::random_token)
}

/// The cookie that goes with a form showing `token`.
pub fn cookie(state: &AppState, here: &AccountEdition, token: &str) -> HeaderValue {
    set_cookie(
        state,
        FORM_COOKIE,
        token,
        &here.path(""),
        Some(FORM_SECONDS),
        SameSite::Strict,
    )
}

/// Refuses a submitted form whose token is not the one in the browser's cookie;
/// returns the token, for the form shown again.
pub fn check(headers: &HeaderMap, submitted: &str) -> Result<String, WebError> {
    let expected = cookie_value(headers, FORM_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same_secret(submitted, &expected) {
        return Err(WebError::BadCsrf);
    }
    Ok(expected)
}
