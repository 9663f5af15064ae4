//! The public site: fronts, articles, print views and fixed pages.

pub mod article;
pub mod fronts;
mod pages;

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(fronts::home))
        .route("/news/{segment}", get(fronts::section_or_story_id))
        .route("/news/{section}/{story}", get(article::page))
        .route("/news/{section}/{story}/print", get(article::print))
        .route("/news/{section}/{story}/history", get(article::history))
        .route("/about/editorial-policy", get(pages::editorial_policy))
}

/// A public HTML page. Short shared-cache lifetime until exact invalidation exists.
fn html(body: String) -> Response {
    ([(header::CACHE_CONTROL, "public, max-age=60")], Html(body)).into_response()
}

/// A 301 to the canonical address.
fn moved_permanently(location: &str) -> Response {
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}
