//! The HTTP layer: shared state, the router, and the layers every response passes through.

mod api;
mod article_page;
pub mod assets;
mod body_first;
pub mod cache;
pub mod cluster;
mod error;
mod extract;
pub mod feeds;
mod headers;
mod health;
mod images;
mod metrics;
pub mod newsroom;
pub mod paths;
pub mod public;
pub mod publishing;
mod rate_limits;
pub mod records;
mod search;
pub mod server;
mod views;

pub use api::ninjs::document as ninjs_document;
pub use api::ninjs::uri as ninjs_uri;
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

/// What every handler can reach. One pointer, so the many clones a request makes
/// through the layers cost one reference count rather than one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state itself.
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub site: Arc<SiteSettings>,
    pub sections: Arc<SectionTree>,
    pub clock: Clock,
    /// Rendered public responses; see `cache`.
    pub cache: Arc<PageCache>,
    /// Public story records, dropped with the pages that show them; see `records`.
    pub records: Arc<article_page::Records>,
    /// Whether the database answered the last time this node looked.
    pub health: Arc<cluster::DatabaseHealth>,
    /// How far this node's follower has read the invalidation log; see `cluster`.
    pub follower: Arc<cluster::FollowerProgress>,
    /// Prometheus counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Lets a scraper that is not on this machine read `/metrics`.
    pub metrics_token: Option<Arc<str>>,
    /// Site chrome built once per section.
    pub chromes: Arc<views::ChromeCache>,
    /// CDN or proxy endpoints told to drop changed objects (may be empty).
    pub purge_urls: Arc<Vec<String>>,
    /// For purge requests.
    pub http: reqwest::Client,
    /// API request counts per key or address.
    pub rate_limits: Arc<rate_limits::RateLimiter>,
    /// How long and how big a request may be; see `server`.
    pub limits: server::Limits,
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
        Ok(AppState(Arc::new(Shared {
            store,
            site: Arc::new(site),
            sections: Arc::new(sections),
            cache: Arc::new(PageCache::new(true, DEFAULT_CACHE_BYTES, clock.clone())),
            clock,
            records: Arc::new(article_page::Records::new(true)),
            chromes: Arc::default(),
            health: Arc::default(),
            follower: Arc::default(),
            metrics: Arc::default(),
            metrics_token: None,
            purge_urls: Arc::new(Vec::new()),
            rate_limits: Arc::default(),
            limits: server::Limits::default(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
        })))
    }

    /// Turns the page cache and the record cache on or off, and sets the purge URLs.
    pub fn with_distribution(
        self,
        cache_enabled: bool,
        records_enabled: bool,
        purge_urls: Vec<String>,
    ) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.cache = Arc::new(PageCache::new(
            cache_enabled,
            DEFAULT_CACHE_BYTES,
            shared.clock.clone(),
        ));
        shared.records = Arc::new(article_page::Records::new(records_enabled));
        shared.purge_urls = Arc::new(purge_urls);
        AppState(Arc::new(shared))
    }

    /// Lets holders of `token` read `/metrics` from other machines.
    pub fn with_metrics_token(self, token: Option<String>) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.metrics_token = token.map(Arc::from);
        AppState(Arc::new(shared))
    }

    /// Replaces the request limits (tests shorten the timeouts).
    pub fn with_limits(self, limits: server::Limits) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.limits = limits;
        AppState(Arc::new(shared))
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

/// The whole site, with the body size and request time limits of `state.limits`
/// (the limits on headers are applied where connections are served, in `server`).
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
            .merge(health::router())
            .fallback(error::not_found)
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                error::render_error_pages,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                metrics::track,
            ));
    headers::secure(site)
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(state.limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            state.limits.request_timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
