//! Accepting connections: hyper serving the router over HTTP/1.1 with a bound on
//! everything a slow or hostile client could otherwise stretch (how long the
//! headers take, how big they are, how long a request takes). `dateline serve`
//! and the tests both use it.
//!
//! HTTP/1.1 only: hyper-util's automatic HTTP/1-or-2 detection waits for a
//! client's first bytes with no time limit, so a connection that never sends
//! any would be held for ever, and HTTP/2 has no header timeout at all. Proxies
//! and load balancers speak HTTP/1.1 to their upstreams anyway.

use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

use super::{body_buffering, AppState};

pub use super::state::Limits;

/// Most header fields in one request: `431` above it. hyper's own default, which
/// keeps header parsing on the stack (another number costs a heap allocation).
pub const MAX_HEADERS: usize = 100;

/// Serves the site on `listener` until `shutdown` completes, then lets open
/// requests finish (for at most the request timeout).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = state.limits.clone();
    let app = super::router(state.clone());
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_header_size(limits.max_header_bytes);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let (state, app) = (state.clone(), app.clone());
        let request_timeout = limits.request_timeout;
        let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            // Cached public pages are answered here, before routing and every layer.
            let early = super::cache::answer_early(&state, &request);
            let app = app.clone();
            async move {
                if let Some(response) = early {
                    return Ok::<_, Infallible>(response);
                }
                let mut request = match body_buffering::read_first(request, request_timeout).await {
                    Ok(request) => request,
                    Err(answer) => return Ok(answer),
                };
                request.extensions_mut().insert(ConnectInfo(remote));
                app.oneshot(request).await
            }
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Clients that time out or send garbage end here; hyper has already answered.
            if let Err(e) = connection.await {
                tracing::debug!(%remote, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    // Streams never finish on their own: end them, and readers reconnect elsewhere.
    state.live.close_all();
    if tokio::time::timeout(limits.request_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections were still open at shutdown");
    }
    Ok(())
}
