//! The public site: fronts, articles, print views, comments pages and fixed pages.

pub mod article;
mod comments;
pub mod fronts;
mod pages;
mod search;

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::domain::edition::Editions;
use crate::store::keys;
use crate::web::cache::{PUBLIC_CACHE_CONTROL, SURROGATE_KEY};
use crate::web::AppState;

/// The public pages of every edition: the English edition's at the root, each
/// other edition's the same pages under its prefix (`/arabic`, `/arabic/news/…`).
pub fn router(editions: &Editions) -> Router<AppState> {
    let mut router = edition_pages();
    for edition in editions.all().iter().filter(|e| !e.is_root()) {
        router = router.nest(&edition.prefix, edition_pages());
    }
    router
}

fn edition_pages() -> Router<AppState> {
    Router::new()
        .route("/", get(fronts::home))
        .route("/news/{segment}", get(fronts::section_or_story_id))
        .route("/news/{section}/{story}", get(article::page))
        .route("/news/{section}/{story}/print", get(article::print))
        .route("/news/{section}/{story}/history", get(article::history))
        .route("/news/{section}/{story}/comments", get(comments::page))
        .route("/about/editorial-policy", get(pages::editorial_policy))
        .route("/search", get(search::page))
}

/// A public HTML page, tagged with the surrogate keys of what it shows.
fn html(body: String, keys: &[String]) -> Response {
    (
        [
            (header::CACHE_CONTROL, PUBLIC_CACHE_CONTROL.to_string()),
            (
                header::HeaderName::from_static(SURROGATE_KEY),
                // Every page shows the chrome (the breaking-news banner).
                format!("{} {}", keys.join(" "), keys::CHROME),
            ),
        ],
        Html(body),
    )
        .into_response()
}

/// A 301 to the canonical address.
fn moved_permanently(location: &str) -> Response {
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}
