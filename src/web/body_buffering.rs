//! Small request bodies are read in full before the request is routed.
//!
//! A handler may answer before it reads the body: a sign-in check that fails, or a
//! database that is down. If the client is still sending its body then, the server
//! must close the connection, and closing a socket with unread data in it sends a
//! TCP reset, which can destroy the answer before the client reads it: the client
//! sees "connection reset" instead of its 403 or 503. nginx avoids this with its
//! lingering close; here every body up to `READ_FIRST_BYTES` (every form but a
//! picture upload) has arrived before anything answers, so the answer is always
//! read and the connection stays open for the next request. Larger bodies are
//! streamed as before, after their first `READ_FIRST_BYTES`.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use hyper::body::{Body as HttpBody, Bytes, Frame, Incoming, SizeHint};
use hyper::{header, Request, StatusCode};

/// Bodies up to this size are read before routing; more is streamed.
pub const READ_FIRST_BYTES: usize = 64 * 1024;

/// The request with its body read as far as `READ_FIRST_BYTES`, or the answer for a
/// client that did not send that much within `within`.
pub async fn read_first(
    request: Request<Incoming>,
    within: Duration,
) -> Result<Request<Body>, Response> {
    // No body, or one announced larger than this: routed at once, so a body over a
    // route's limit is refused before it is read.
    let announced = request.body().size_hint().exact();
    if request.body().is_end_stream() || announced.is_some_and(|n| n > READ_FIRST_BYTES as u64) {
        return Ok(request.map(Body::new));
    }
    let (parts, mut body) = request.into_parts();
    let mut buffered = Vec::new();
    let read = async {
        while buffered.len() <= READ_FIRST_BYTES {
            match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
                None => return Ok(true),
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => buffered.extend_from_slice(&data),
                    // Trailers end the body; no handler reads them.
                    Err(_) => return Ok(true),
                },
                Some(Err(e)) => return Err(e),
            }
        }
        Ok(false)
    };
    let outcome = tokio::time::timeout(within, read).await;
    let body = match outcome {
        Err(_) => return Err(too_slow()),
        Ok(Ok(true)) => Body::from(buffered),
        Ok(Ok(false)) => Body::new(Prefixed {
            first: Some(Bytes::from(buffered)),
            rest: body,
            failed: None,
        }),
        // The client went away or broke the framing: the handler's body read fails
        // with the same error, so the answer is the one it gives for that.
        Ok(Err(e)) => Body::new(Prefixed {
            first: Some(Bytes::from(buffered)),
            rest: body,
            failed: Some(e),
        }),
    };
    Ok(Request::from_parts(parts, body))
}

/// Built outside the router's layers, so it takes the security headers as cache hits do.
fn too_slow() -> Response {
    let mut response = (
        StatusCode::REQUEST_TIMEOUT,
        [(header::CONNECTION, "close")],
        "The request's body did not arrive in time.\n",
    )
        .into_response();
    super::headers::apply(response.headers_mut());
    response
}

/// The bytes already read, then the rest of the body as it comes.
struct Prefixed {
    first: Option<Bytes>,
    rest: Incoming,
    failed: Option<hyper::Error>,
}

impl HttpBody for Prefixed {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        if let Some(first) = self.first.take() {
            if !first.is_empty() {
                return Poll::Ready(Some(Ok(Frame::data(first))));
            }
        }
        if let Some(e) = self.failed.take() {
            return Poll::Ready(Some(Err(e)));
        }
        Pin::new(&mut self.rest).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.first.is_none() && self.failed.is_none() && self.rest.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let first = self.first.as_ref().map_or(0, |b| b.len() as u64);
        let rest = self.rest.size_hint();
        let mut hint = SizeHint::new();
        hint.set_lower(rest.lower() + first);
        if let Some(upper) = rest.upper() {
            hint.set_upper(upper + first);
        }
        hint
    }
}
