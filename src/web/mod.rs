//! The HTTP layer: shared state, the router, and the layers every response passes through.

pub mod assets;
mod error;
mod headers;
mod images;
pub mod newsroom;
mod paths;
mod public;
mod views;

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

/// Largest request body accepted anywhere (uploads have their own, smaller checks).
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub site: Arc<SiteSettings>,
    pub sections: Arc<SectionTree>,
    pub clock: Clock,
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
        })
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    let site = Router::new()
        .merge(public::router())
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
        .with_state(state)
}
