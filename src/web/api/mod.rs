//! The read-only JSON Content API under `/api/v1`, described by `/api/openapi.json`.
//! Keys are optional; a key (header `X-Api-Key` or `Authorization: Bearer`) gets its
//! own rate limit, and requests without one share a per-address limit.

mod language;
mod limits;

mod live;
pub mod ninjs;
mod search;
mod stories;
mod views;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::AppState;
use crate::store::StoreError;

/// The OpenAPI 3.1 description of this API, kept true by a test against real responses.
const OPENAPI: &str = include_str!("../../../static/openapi.json");

pub fn router(state: AppState) -> Router<AppState> {
    let cached = Router::new()
        .route("/api/v1/stories", get(stories::list))
        .route("/api/v1/stories/{id}", get(stories::one))
        .route("/api/v1/stories/{id}/ninjs", get(ninjs::story))
        .route("/api/v1/stories/{id}/live-posts", get(live::posts))
        .route("/api/v1/sections", get(stories::sections))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/images/{id}", get(stories::image))
        .route("/api/openapi.json", get(openapi))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::cache::layer,
        ));
    cached
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { ApiError::not_found("no such API resource") }),
        )
        .layer(axum::middleware::from_fn_with_state(state, limits::layer))
}

async fn openapi() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, super::cache::PUBLIC_CACHE_CONTROL),
        ],
        OPENAPI,
    )
        .into_response()
}

/// An error as JSON: `{"error": {"status": 404, "message": "…"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        Self::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if let Some(refusal) = e.write_refusal() {
            super::error::log_write_refusal(refusal, &e.to_string());
            return ApiError::new(super::error::refusal_status(refusal), refusal.message());
        }
        if e.is_unavailable() {
            tracing::warn!(error = %e, "API request needs the database, which is unavailable");
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is temporarily unavailable; try again in a few seconds",
            );
        }
        tracing::error!(error = %e, "API request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server could not complete the request",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            Json(json!({ "error": { "status": self.status.as_u16(), "message": self.message } }));
        (self.status, [(header::CACHE_CONTROL, "no-store")], body).into_response()
    }
}

/// A public, cacheable JSON response tagged with surrogate keys.
pub fn cacheable_json(value: serde_json::Value, keys: &[String]) -> Response {
    (
        [
            (
                header::CACHE_CONTROL,
                super::cache::PUBLIC_CACHE_CONTROL.to_string(),
            ),
            (
                header::HeaderName::from_static(super::cache::SURROGATE_KEY),
                keys.join(" "),
            ),
        ],
        Json(value),
    )
        .into_response()
}
