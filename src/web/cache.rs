//! The in-process cache of rendered public responses: the middleware that answers from it and fills it.
//!
//! Public GET responses marked `Cache-Control: public` are kept with their gzip and
//! brotli encodings and served without rendering again. Each entry carries the
//! surrogate keys its handler listed (`story-42`, `section-7`, `lists`…); a change
//! to a story drops exactly the entries that carry its keys. A render that began
//! before an invalidation is never stored, so nothing stale survives a publish.
//!
//! A request carrying a reader's session cookie is never answered from the cache
//! nor stored in it: it is rendered for the reader and answered privately
//! (`reader_pages`, which asks the same question).
//!
//! How validators are chosen and weighed is in [`validators`].

mod accept_encoding;
mod entries;
mod validators;

pub use entries::PageCache;
pub use validators::etag_for;

use accept_encoding::Coding;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use entries::{Entry, Rendered};
use std::io::Write;
use std::sync::atomic::Ordering;
use validators::{not_modified, not_modified_since};

use super::reader_pages::carries_reader_cookie;
use super::AppState;

/// Header naming the keys a response depends on (for this cache and for a CDN).
pub const SURROGATE_KEY: &str = "surrogate-key";

/// How long browsers and shared caches keep public pages. Shared caches (a CDN)
/// may keep them for an hour because every change purges them by surrogate key.
pub const PUBLIC_CACHE_CONTROL: &str =
    "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400";
const SURROGATE_KEY_HEADER: axum::http::HeaderName =
    axum::http::HeaderName::from_static(SURROGATE_KEY);
/// Largest body that is cached.
const MAX_ENTRY_BYTES: usize = 4 * 1024 * 1024;

/// Builds the response for a cached entry, honouring `If-None-Match`,
/// `If-Modified-Since` and `Accept-Encoding`. This is the hot path of the whole
/// site: it copies prepared headers and shares the body.
fn respond(entry: &Entry, request: &HeaderMap, head: bool, now: i64) -> Response {
    if not_modified(request, &entry.etag) || not_modified_since(request, entry.last_modified, now) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        *response.headers_mut() = entry.not_modified.clone();
        return response;
    }
    let encoded = match accept_encoding::preferred(request) {
        Some(Coding::Brotli) => &entry.brotli,
        Some(Coding::Gzip) => &entry.gzip,
        None => &entry.identity,
    };
    // A HEAD answer keeps the GET's Content-Length, as HTTP asks.
    let mut response = Response::new(if head {
        Body::empty()
    } else {
        Body::from(encoded.body.clone())
    });
    *response.headers_mut() = encoded.headers.clone();
    response
}

fn gzip(data: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(data);
    encoder.finish().map(Bytes::from).unwrap_or_default()
}

fn brotli(data: &[u8]) -> Bytes {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 9,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut std::io::Cursor::new(data), &mut out, &params);
    Bytes::from(out)
}

/// Answers a GET or HEAD of a cached public response before the router sees the
/// request (`server` calls it first); the entry's headers include the security
/// headers the router's layers would add. The API is left to its own layers,
/// which count requests against rate limits before its cache.
pub fn answer_early<B>(state: &AppState, request: &axum::http::Request<B>) -> Option<Response> {
    let method = request.method();
    if !state.cache.enabled
        || (method != Method::GET && method != Method::HEAD)
        || carries_reader_cookie(request.headers())
    {
        return None;
    }
    let key = request.uri().path_and_query().map_or("", |p| p.as_str());
    if key.starts_with("/api/") {
        return None;
    }
    let started = std::time::Instant::now();
    let entry = state.cache.get(key)?;
    state.cache.hits.fetch_add(1, Ordering::Relaxed);
    let response = respond(
        &entry,
        request.headers(),
        method == Method::HEAD,
        state.now(),
    );
    state.metrics.observe_cache_hit(response.status(), started);
    Some(response)
}

/// Serves public GETs from the cache, filling it on a miss; adds validators and
/// answers 304s. Requests from readers pass straight through.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let head = request.method() == Method::HEAD;
    // A reader's page is theirs: no shared copy, no validators of the shared copy
    // (a 304 would let the browser show the anonymous page it holds).
    if (request.method() != Method::GET && !head) || carries_reader_cookie(request.headers()) {
        return next.run(request).await;
    }
    let cache = &state.cache;
    if cache.enabled {
        let key = request.uri().path_and_query().map_or("", |p| p.as_str());
        if let Some(entry) = cache.get(key) {
            cache.hits.fetch_add(1, Ordering::Relaxed);
            return respond(&entry, request.headers(), head, state.now());
        }
        cache.misses.fetch_add(1, Ordering::Relaxed);
    }
    let key = request
        .uri()
        .path_and_query()
        .map_or(String::new(), |p| p.as_str().to_string());
    let mut validators = HeaderMap::new();
    for name in [
        header::IF_NONE_MATCH,
        header::IF_MODIFIED_SINCE,
        header::ACCEPT_ENCODING,
    ] {
        if let Some(value) = request.headers().get(&name) {
            validators.insert(name, value.clone());
        }
    }
    let generation = cache.generation.load(Ordering::SeqCst);
    let stamp = cache.stamp();
    let response = next.run(request).await;
    let public = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    if response.status() != StatusCode::OK
        || !public
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Only this layer can say when the whole page last changed.
    parts.headers.remove(header::LAST_MODIFIED);
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ENTRY_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "response too large").into_response();
    };
    let etag = etag_for(&bytes);
    if !cache.enabled {
        // Validators only; compression is left to the compression layer, on demand.
        if not_modified(&validators, &etag) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
        }
        parts.headers.insert(header::ETAG, etag);
        return Response::from_parts(parts, Body::from(bytes));
    }
    let header = |name| parts.headers.get(name).cloned();
    let rendered = Rendered {
        content_type: header(header::CONTENT_TYPE)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        cache_control: header(header::CACHE_CONTROL).unwrap_or(HeaderValue::from_static("public")),
        surrogate_header: header(SURROGATE_KEY_HEADER),
        etag,
        last_modified: stamp,
        gzip: gzip(&bytes),
        brotli: brotli(&bytes),
        identity: bytes,
    };
    let entry = Entry::new(rendered, cache.insertions.fetch_add(1, Ordering::Relaxed));
    let response = respond(&entry, &validators, head, state.now());
    cache.insert(key, entry, generation);
    response
}
