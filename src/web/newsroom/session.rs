//! Staff sessions as the newsroom's sign-in pages set them: cookies and where to go
//! after signing in. The `Staff` extractor that reads them is in `web::extract`.

pub use crate::web::cookies::set_cookie;

/// The sign-in form's own CSRF cookie, before there is a session.
pub const SIGN_IN_COOKIE: &str = "dateline_sign_in";

/// Only newsroom paths are followed after signing in, so the form cannot be used to send people elsewhere.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with("/newsroom") && !n.starts_with("//") && !n.contains("\\") => n,
        _ => "/newsroom",
    }
}
