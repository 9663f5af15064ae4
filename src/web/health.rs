//! Operations endpoints: `/healthz` (is this node fit to serve), `/readyz` (is the
//! database reachable and migrated), and `/metrics` for Prometheus.

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::time::Duration;

use super::AppState;

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

fn plain(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        body,
    )
        .into_response()
}

/// Answers from what the node already knows (the invalidation follower looks at
/// the database every second), so a load balancer's probe never waits on it.
async fn healthz(State(state): State<AppState>) -> Response {
    if state.health.is_up() {
        plain(StatusCode::OK, "ok\n".into())
    } else {
        plain(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "database unreachable: {}\n(cached pages are still served)\n",
                state.health.last_error()
            ),
        )
    }
}

async fn readyz(State(state): State<AppState>) -> Response {
    let check = async {
        state.store.ping().await?;
        state.store.pending_migrations().await
    };
    match tokio::time::timeout(READY_TIMEOUT, check).await {
        Ok(Ok(pending)) if pending.is_empty() => plain(StatusCode::OK, "ready\n".into()),
        Ok(Ok(pending)) => plain(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "database migrations not applied: {} (run `dateline migrate`)\n",
                pending
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Ok(Err(e)) => plain(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unreachable: {e}\n"),
        ),
        Err(_) => plain(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "database did not answer within {} s\n",
                READY_TIMEOUT.as_secs()
            ),
        ),
    }
}

/// Metrics are for the operator: answered to this machine, or to anyone holding the
/// configured bearer token; everyone else gets the ordinary 404.
async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let token_ok = state.metrics_token.as_deref().is_some_and(|token| {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| crate::auth::same_secret(given, token))
    });
    if !peer.ip().is_loopback() && !token_ok {
        return super::error::not_found().await.into_response();
    }
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
        ],
        state.metrics.render(&state),
    )
        .into_response()
}
