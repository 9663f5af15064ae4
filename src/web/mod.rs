//! The HTTP layer: shared state, the router, and the layers every response passes through.
//!
//! # Layers
//! `src/web` has three tiers, and imports only point down:
//! - **The root**: this file's [`router`], which merges the areas, and `server`, which serves it.
//! - **The areas**: `public/` (the reader's site), `newsroom/`, `readers/` (reader accounts),
//!   `api/`, `feeds.rs` and `streams.rs` (live pages' events). An area
//!   may import the bottom layer and the layers below the web (`editorial`, `store`, `domain`,
//!   `media`…), never another area and never the root.
//! - **The bottom layer**: every other module here: `state` (what handlers reach),
//!   `error`, `cache` and `headers` (responses), `atom` (Atom feeds), `paths`, `html` (the one place HTML is
//!   rendered from domain values, as `SafeHtml`), `views` and `article_page` (view
//!   models and the article renderer the public site and the newsroom's preview share),
//!   `extract` (the signed-in staff member and the client's address), `reader_session`
//!   (the signed-in reader), `reader_pages` (public pages for a signed-in reader), `comments_page`
//!   (a story's comments page, shown by `public` and again by `readers`' forms), `cookies`, `search`,
//!   `invalidation`, `live_hub` (open streams and the banner), `live_page` (a live page's
//!   posts, links and structured data, shown by the article and its print view), `record_cache`, `rate_limits`, `cluster`, `images`, `assets`, `health`…
//!   It never imports an area or the root.
//!
//! Something two areas need moves down into the bottom layer. `tests/it/ops/layers.rs` holds a test
//! that reads every import and fails on one that points sideways or up.

mod api;
mod article_page;
pub mod assets;
pub mod atom;
mod body_buffering;
pub mod cache;
pub mod cluster;
mod comments_page;
mod cookies;
pub mod edition;
pub(crate) mod edition_mail;
mod error;
mod extract;
pub mod feeds;
mod headers;
mod health;
pub mod html;
mod images;
pub mod invalidation;
mod l10n;
pub mod live_hub;
mod live_page;
mod live_posts;
mod metrics;
pub mod newsroom;
pub mod paths;
pub mod public;
mod rate_limits;
mod reader_pages;
mod reader_session;
mod readers;
pub mod record_cache;
mod search;
pub mod server;
pub mod sponsor_book;
mod sponsors;
mod state;
mod streams;
mod translations;
mod views;

pub use api::ninjs::document as ninjs_document;
pub use api::ninjs::uri as ninjs_uri;
pub use error::WebError;
pub use state::{AppState, Shared, DEFAULT_CACHE_BYTES};

use axum::Router;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The whole site, with the body size and request time limits of `state.limits`
/// (the limits on headers are applied where connections are served, in `server`).
pub fn router(state: AppState) -> Router {
    let site = Router::new()
        // Public pages, feeds and sitemaps go through the page cache, except
        // for signed-in readers, whose answers are private (`reader_pages`).
        .merge(
            public::router(&state.editions)
                .merge(feeds::router(&state.editions))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    cache::layer,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    reader_pages::layer,
                )),
        )
        .merge(streams::router())
        .merge(api::router(state.clone()))
        .merge(images::router())
        .merge(sponsors::router())
        .merge(assets::router())
        .merge(newsroom::router(&state))
        .merge(readers::router(&state.editions))
        .merge(health::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state.clone());
    // The layers every answer passes through wrap the routed site once. Added
    // with `Router::layer` they wrapped each route, and a route is cloned, with
    // all its layers, for every request (and each middleware clones what it
    // wraps again): about 80 boxed clones per request, 6 % of a page's
    // instructions. The two above stay on the routes: `metrics::track` reads
    // the route matched.
    let layers = ServiceBuilder::new()
        .layer(TraceLayer::new_for_http())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            state.limits.request_timeout,
        ))
        // The timeout's own answer needs a body type with an empty value.
        .map_response(axum::response::IntoResponse::into_response)
        .layer(RequestBodyLimitLayer::new(state.limits.max_body_bytes))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::map_response(headers::secure));
    Router::new().fallback_service(layers.service(site))
}
