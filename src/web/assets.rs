//! The stylesheet, served under a name that changes with its content so it can be cached for a year.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

use super::AppState;

const STYLESHEET: &str = include_str!("../../static/site.css");

/// `/static/site.<hash>.css`
pub static STYLESHEET_PATH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(STYLESHEET.as_bytes());
    let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("/static/site.{hash}.css")
});

pub fn router() -> Router<AppState> {
    Router::new().route(STYLESHEET_PATH.as_str(), get(stylesheet))
}

async fn stylesheet() -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLESHEET,
    )
        .into_response()
}
