//! Cookies the site sets (staff and reader sessions, forms' CSRF tokens): always HttpOnly, with a SameSite rule, and Secure when the site is on HTTPS.

use axum::http::HeaderValue;
use cookie::{Cookie, SameSite};

use crate::web::AppState;

/// A Set-Cookie header value: HttpOnly, SameSite, and Secure when the site is on HTTPS.
/// `max_age` of `Some(0)` removes the cookie; `None` keeps it until the browser closes.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<i64>,
    same_site: SameSite,
) -> HeaderValue {
    let mut cookie = Cookie::build((name.to_string(), value.to_string()))
        .path(path.to_string())
        .http_only(true)
        .same_site(same_site)
        .secure(state.site.base_url.starts_with("https://"));
    if let Some(seconds) = max_age {
        cookie = cookie.max_age(cookie::time::Duration::seconds(seconds));
    }
    HeaderValue::from_str(&cookie.build().to_string()).unwrap_or(HeaderValue::from_static(""))
}
