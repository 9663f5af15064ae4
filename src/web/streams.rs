//! Server-Sent Events for readers (an area): each live page's stream of changes
//! and the site-wide breaking-news stream. The streams are answered outside the
//! page cache and never stored; how a change reaches them is in `live_hub`.
//!
//! A live page's stream sends `retry:`, then the changes after the reader's
//! `Last-Event-ID` header (sent by the browser when it reconnects) or `after`
//! query (the page's own last change, written into the page), then every new
//! change as it is published, with a comment every 15 seconds to keep proxies
//! from closing an idle connection. A killed, embargoed or unpublished page's
//! stream ends with an `end` event; a new request to it gets 410 or 404.

use std::collections::VecDeque;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream;
use serde::Deserialize;
use tokio::sync::broadcast::{self, error::RecvError};

use super::live_hub::{banner_frame, change_frame, Frame, BATCH};
use super::{AppState, WebError};
use crate::store::LiveStreamState;

/// A comment sent this often keeps an idle connection open through proxies.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a browser waits before reconnecting after a dropped connection.
const RETRY: &[u8] = b"retry: 3000\n\n";
/// The most streams one node holds open; past it, new ones are refused with 503
/// and the page still works (its "Show new posts" link reloads it).
pub const MAX_STREAMS: usize = 60_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/live/breaking-news/events", get(banner_stream))
        .route("/live/{story_id}/events", get(live_page_stream))
}

#[derive(Deserialize)]
struct After {
    after: Option<String>,
}

/// Where a reader resumes: the `Last-Event-ID` the browser sent, else the
/// page's `after`; a value that is not an event id is ignored.
fn resume_point(headers: &HeaderMap, query: &After) -> Option<i64> {
    let parse = |s: &str| s.trim().parse::<i64>().ok().filter(|n| *n >= 0);
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(parse)
        .or_else(|| query.after.as_deref().and_then(parse))
}

fn event_stream(body: Body) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            // nginx and other proxies pass events on at once rather than buffering them.
            (
                header::HeaderName::from_static("x-accel-buffering"),
                HeaderValue::from_static("no"),
            ),
        ],
        body,
    )
        .into_response()
}

fn too_many_streams() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "30")],
        "Too many readers are following live pages on this server just now; reload the page for new posts.",
    )
        .into_response()
}

async fn live_page_stream(
    State(state): State<AppState>,
    Path(story_id): Path<String>,
    Query(after): Query<After>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let story_id: i64 = story_id.parse().map_err(|_| WebError::NotFound)?;
    if state.live.open_streams() >= MAX_STREAMS {
        return Ok(too_many_streams());
    }
    let now = state.now();
    let (running, last_change) = match state.store.live_stream_state(story_id, now).await? {
        LiveStreamState::Missing => return Err(WebError::NotFound),
        LiveStreamState::Gone => return Err(WebError::Gone),
        LiveStreamState::Running { last_change } => (true, last_change),
        LiveStreamState::Ended { last_change } => (false, last_change),
    };
    let from = resume_point(&headers, &after).unwrap_or(last_change);
    if !running && from >= last_change {
        // Nothing more will come: 204 tells a browser's EventSource to stop reconnecting.
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    // Subscribe before reading what was missed, so nothing published in between is lost;
    // what arrives twice is recognised by its id.
    let receiver = running.then(|| state.live.subscribe(&state, story_id, last_change));
    let mut stream = Following {
        edition: super::live_hub::story_edition(&state, story_id).await,
        state: state.clone(),
        story_id,
        sent: from,
        pending: VecDeque::from([Bytes::from_static(RETRY)]),
        receiver,
        closing: false,
        keep_alive: tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE),
        shutdown: state.live.closing(),
    };
    stream.catch_up().await?;
    if !running {
        stream.closing = true;
    }
    let body = stream::unfold(stream, |mut s| async move {
        let bytes = s.next().await?;
        Some((Ok::<Bytes, std::io::Error>(bytes), s))
    });
    Ok(event_stream(Body::from_stream(body)))
}

/// One reader's live-page stream.
struct Following {
    /// The live page's edition, whose language its posts are written in.
    edition: std::sync::Arc<crate::domain::edition::Edition>,
    state: AppState,
    story_id: i64,
    /// The last change this reader has been sent.
    sent: i64,
    /// Frames to send before waiting for new ones.
    pending: VecDeque<Bytes>,
    /// `None` once the live page has ended: only what is pending is sent.
    receiver: Option<broadcast::Receiver<Frame>>,
    closing: bool,
    keep_alive: tokio::time::Interval,
    /// Changes when the node shuts down.
    shutdown: tokio::sync::watch::Receiver<bool>,
}

impl Following {
    /// Queues the public changes after `sent` from the database; when the page
    /// is no longer public, queues the end.
    async fn catch_up(&mut self) -> Result<(), WebError> {
        loop {
            let now = self.state.now();
            let changes = self
                .state
                .store
                .public_live_changes_since(self.story_id, self.sent, now, BATCH)
                .await?;
            let Some(changes) = changes else {
                self.end();
                return Ok(());
            };
            for change in &changes {
                let frame = change_frame(&self.edition, change);
                self.sent = frame.id;
                self.pending.push_back(frame.bytes);
                if frame.last {
                    self.closing = true;
                }
            }
            if (changes.len() as i64) < BATCH || self.closing {
                return Ok(());
            }
        }
    }

    fn end(&mut self) {
        self.pending
            .push_back(Bytes::from_static(b"event: end\ndata: {}\n\n"));
        self.closing = true;
    }

    /// The next bytes to send, or `None` to close the stream.
    async fn next(&mut self) -> Option<Bytes> {
        loop {
            if let Some(bytes) = self.pending.pop_front() {
                return Some(bytes);
            }
            if self.closing {
                return None;
            }
            let receiver = self.receiver.as_mut()?;
            tokio::select! {
                received = receiver.recv() => match received {
                    Ok(frame) if frame.id != 0 && frame.id <= self.sent => continue,
                    Ok(frame) => {
                        if frame.id != 0 {
                            self.sent = frame.id;
                        }
                        self.closing = frame.last;
                        return Some(frame.bytes);
                    }
                    // Fell behind the broadcast: read what was missed from the database.
                    Err(RecvError::Lagged(_)) => {
                        if self.catch_up().await.is_err() {
                            return None;
                        }
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = self.keep_alive.tick() => return Some(Bytes::from_static(b": keep-alive\n\n")),
                _ = self.shutdown.changed() => return None,
            }
        }
    }
}

/// The breaking-news stream: the banner now, then each change to it.
async fn banner_stream(State(state): State<AppState>) -> Response {
    if state.live.open_streams() >= MAX_STREAMS {
        return too_many_streams();
    }
    let receiver = state.live.subscribe_banner();
    let first = banner_frame(state.live.banner().as_deref());
    let keep_alive = tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE);
    let start = VecDeque::from([Bytes::from_static(RETRY), first]);
    let shutdown = state.live.closing();
    let body = stream::unfold(
        (start, receiver, keep_alive, shutdown),
        |(mut pending, mut receiver, mut keep_alive, mut shutdown)| async move {
            loop {
                if let Some(bytes) = pending.pop_front() {
                    let next = (pending, receiver, keep_alive, shutdown);
                    return Some((Ok::<Bytes, std::io::Error>(bytes), next));
                }
                tokio::select! {
                    received = receiver.recv() => match received {
                        Ok(bytes) => pending.push_back(bytes),
                        // Only the newest banner matters: the next frame carries it.
                        Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    _ = keep_alive.tick() => pending.push_back(Bytes::from_static(b": keep-alive\n\n")),
                    _ = shutdown.changed() => return None,
                }
            }
        },
    );
    event_stream(Body::from_stream(body))
}
