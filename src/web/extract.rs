//! Request extractors every part of the site may use: the signed-in member of
//! staff (the session cookie, idle and absolute expiry, CSRF tokens) and the
//! client's address.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::Cookie;
use std::net::SocketAddr;

use crate::auth;
use crate::domain::user::{Role, User};
use crate::web::{AppState, WebError};

pub const SESSION_COOKIE: &str = "dateline_session";
/// A session unused this long ends.
pub const IDLE_SECONDS: i64 = 2 * 60 * 60;
/// No session lasts longer than this, however busy.
pub const ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
/// Last-seen times are written at most this often, not on every request.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub csrf: String,
    pub session_hash: String,
    /// The editions they may work in, by id; empty means every edition (migration 0022).
    pub editions: Vec<i64>,
}

impl Staff {
    /// Refuses unless the user has at least `role`.
    pub fn require(&self, role: Role) -> Result<(), WebError> {
        if self.user.role >= role {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// Whether they may work on stories of edition `edition_id`.
    pub fn works_in(&self, edition_id: i64) -> bool {
        self.editions.is_empty() || self.editions.contains(&edition_id)
    }

    /// Refuses a state-changing request whose form did not carry this session's token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), WebError> {
        if auth::same_secret(submitted, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::BadCsrf)
        }
    }
}

/// Reads a cookie's value from the request headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_string()))
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// Where an anonymous visitor goes: the sign-in page, coming back here afterwards.
fn to_sign_in(parts: &Parts) -> Response {
    let here = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/newsroom");
    let next = if parts.method == axum::http::Method::GET {
        here
    } else {
        "/newsroom"
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    Redirect::to(&format!("/newsroom/sign-in?{query}")).into_response()
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Already read for this request by a layer (`newsroom::edition_access`).
        if let Some(staff) = parts.extensions.get::<Staff>() {
            return Ok(staff.clone());
        }
        let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in(parts));
        };
        let hash = auth::token_hash(&token);
        let record = state
            .store
            .session(&hash)
            .await
            .map_err(|e| WebError::from(e).into_response())?;
        let Some(record) = record else {
            return Err(to_sign_in(parts));
        };
        let now = state.now();
        let expired =
            now - record.last_seen_at > IDLE_SECONDS || now - record.created_at > ABSOLUTE_SECONDS;
        if expired || record.user.disabled {
            state
                .store
                .delete_session(&hash)
                .await
                .map_err(|e| WebError::from(e).into_response())?;
            return Err(to_sign_in(parts));
        }
        if now - record.last_seen_at >= TOUCH_EVERY_SECONDS {
            state
                .store
                .touch_session(&hash, now)
                .await
                .map_err(|e| WebError::from(e).into_response())?;
        }
        let editions = state
            .store
            .staff_editions(record.user.id)
            .await
            .map_err(|e| WebError::from(e).into_response())?;
        Ok(Staff {
            user: record.user,
            csrf: record.csrf_token,
            session_hash: hash,
            editions,
        })
    }
}

/// The client's address, for rate limiting sign-ins ("unknown" if the server did not record it).
pub fn client_address(parts_extensions: &axum::http::Extensions) -> String {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_in_location(method: &str, uri: &str) -> String {
        let (parts, ()) = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .body(())
            .expect("request")
            .into_parts();
        let response = to_sign_in(&parts);
        response.headers()[header::LOCATION]
            .to_str()
            .expect("location")
            .to_string()
    }

    #[test]
    fn the_sign_in_redirect_carries_the_whole_address_back() {
        let location = sign_in_location("GET", "/newsroom/search?q=flood+defences&page=2");
        let query = location
            .strip_prefix("/newsroom/sign-in?")
            .expect("sign-in page");
        let next: Vec<_> = form_urlencoded::parse(query.as_bytes()).collect();
        assert_eq!(next.len(), 1, "{location}");
        assert_eq!(next[0].0, "next");
        assert_eq!(next[0].1, "/newsroom/search?q=flood+defences&page=2");
        // A form post is not repeated after signing in.
        assert_eq!(
            sign_in_location("POST", "/newsroom/stories/4/publish"),
            "/newsroom/sign-in?next=%2Fnewsroom"
        );
    }
}
