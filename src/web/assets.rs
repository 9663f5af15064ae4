//! The stylesheet and the live pages' script, each served under a name that
//! changes with its content so it can be cached for a year.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

use super::AppState;

const STYLESHEET: &str = include_str!("../../static/site.css");

/// `/static/site.<hash>.css`
pub static STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/static/site.{}.css", short_hash(STYLESHEET)));

const LIVE_SCRIPT: &str = include_str!("../../static/live.js");

/// `/static/live.<hash>.js`: the live pages' one script.
pub static LIVE_SCRIPT_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/static/live.{}.js", short_hash(LIVE_SCRIPT)));

fn short_hash(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(STYLESHEET_PATH.as_str(), get(stylesheet))
        .route(LIVE_SCRIPT_PATH.as_str(), get(live_script))
}

async fn live_script() -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        LIVE_SCRIPT,
    )
        .into_response()
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
