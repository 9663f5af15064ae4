//! Staff sessions as the newsroom's sign-in pages set them: cookies and where to go
//! after signing in. The `Staff` extractor that reads them is in `web::extract`.

use axum::http::HeaderValue;
use cookie::{Cookie, SameSite};

use crate::web::AppState;

/// The sign-in form's own CSRF cookie, before there is a session.
pub const SIGN_IN_COOKIE: &str = "dateline_sign_in";

/// A Set-Cookie header value: HttpOnly, SameSite, and Secure when the site is on HTTPS.
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

/// Only newsroom paths are followed after signing in, so the form cannot be used to send people elsewhere.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with("/newsroom") && !n.starts_with("//") && !n.contains("\\") => n,
        _ => "/newsroom",
    }
}
