//! API keys and rate limits: a fixed one-minute window per key, or per address
//! without a key, counted by [`crate::web::rate_limits`].

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use crate::auth;
use crate::web::extract::client_address;
use crate::web::AppState;

/// Requests a minute allowed without a key, per client address.
pub const ANONYMOUS_PER_MINUTE: i64 = 120;

fn presented_key(request: &Request) -> Option<String> {
    let headers = request.headers();
    let from_header = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    let from_bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    from_header.or(from_bearer).map(|k| k.trim().to_string())
}

pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let now = state.now();
    let (bucket, limit) = match presented_key(&request) {
        Some(key) => match state.store.api_key(&auth::token_hash(&key)).await {
            Ok(Some(k)) if k.disabled == 0 => (format!("key:{}", k.id), k.per_minute),
            Ok(_) => {
                return ApiError::new(StatusCode::UNAUTHORIZED, "the API key is not valid")
                    .into_response()
            }
            Err(e) => return ApiError::from(e).into_response(),
        },
        None => {
            let address = client_address(request.extensions());
            (format!("addr:{address}"), ANONYMOUS_PER_MINUTE)
        }
    };
    match state.rate_limits.count(bucket, limit, now) {
        Ok(remaining) => {
            let mut response = next.run(request).await;
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
            headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
            response
        }
        Err(wait) => {
            let message =
                format!("rate limit of {limit} requests a minute reached; try again in {wait} s");
            let mut response =
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, message).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
            response
        }
    }
}
