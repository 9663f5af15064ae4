//! The HTTP layer: shared state, the router, and the layers every response passes through.

mod api;
pub mod assets;
pub mod cache;
mod error;
pub mod feeds;
mod headers;
mod images;
pub mod newsroom;
pub mod paths;
pub mod public;
pub mod publishing;
mod views;

pub use api::ninjs::document as ninjs_document;
pub use error::WebError;

use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::config::SiteSettings;
use crate::domain::section::SectionTree;
use crate::store::{Store, StoreError};
use cache::PageCache;

/// Memory for cached pages (all encodings).
pub const DEFAULT_CACHE_BYTES: usize = 256 * 1024 * 1024;

/// Largest request body accepted anywhere (uploads have their own, smaller checks).
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub site: Arc<SiteSettings>,
    pub sections: Arc<SectionTree>,
    pub clock: Clock,
    /// Rendered public responses; see `cache`.
    pub cache: Arc<PageCache>,
    /// CDN or proxy endpoints told to drop changed objects (may be empty).
    pub purge_urls: Arc<Vec<String>>,
    /// For purge requests.
    pub http: reqwest::Client,
    /// API request counts per key or address.
    pub rate_limits: Arc<api::RateLimiter>,
}

impl AppState {
    pub async fn new(store: Store, site: SiteSettings) -> Result<AppState, StoreError> {
        Self::with_clock(store, site, Clock::System).await
    }

    pub async fn with_clock(
        store: Store,
        site: SiteSettings,
        clock: Clock,
    ) -> Result<AppState, StoreError> {
        let sections = SectionTree::new(store.sections().await?);
        Ok(AppState {
            store,
            site: Arc::new(site),
            sections: Arc::new(sections),
            clock,
            cache: Arc::new(PageCache::new(true, DEFAULT_CACHE_BYTES)),
            purge_urls: Arc::new(Vec::new()),
            rate_limits: Arc::default(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
        })
    }

    /// Turns the page cache on or off and sets the purge URLs.
    pub fn with_distribution(mut self, cache_enabled: bool, purge_urls: Vec<String>) -> AppState {
        self.cache = Arc::new(PageCache::new(cache_enabled, DEFAULT_CACHE_BYTES));
        self.purge_urls = Arc::new(purge_urls);
        self
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    let site =
        Router::new()
            // Public pages, feeds and sitemaps go through the page cache.
            .merge(public::router().merge(feeds::router()).layer(
                axum::middleware::from_fn_with_state(state.clone(), cache::layer),
            ))
            .merge(api::router(state.clone()))
            .merge(images::router())
            .merge(assets::router())
            .merge(newsroom::router())
            .fallback(error::not_found)
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                error::render_error_pages,
            ));
    headers::secure(site)
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::fast_path,
        ))
        .with_state(state)
}
