//! The in-process cache of rendered public responses, and HTTP validators.
//!
//! Public GET responses marked `Cache-Control: public` are kept with their gzip and
//! brotli encodings and served without rendering again. Each entry carries the
//! surrogate keys its handler listed (`story-42`, `section-7`, `lists`…); a change
//! to a story drops exactly the entries that carry its keys. A render that began
//! before an invalidation is never stored, so nothing stale survives a publish.
//!
//! # Validators
//!
//! Every cached response carries a strong `ETag` (a hash of its body) and, where it
//! can be stated honestly, a `Last-Modified`: the second the page was rendered. A
//! page shows much more than its story (related boxes, promos, the chrome's
//! section lists…), and any change to any of them drops the cached page, so a page
//! still cached has not changed since it was rendered. Two renders in the same
//! second cannot be told apart by an HTTP date, so a render in the same second as
//! (or earlier than) this node's latest invalidation carries no `Last-Modified`:
//! otherwise a client holding the earlier render could be told "not modified".
//! `If-Modified-Since` then answers 304 when it names that second or later (and is
//! not in the future); `If-None-Match`, when sent, decides alone (RFC 9110
//! §13.1.3). With the page cache off nothing records when a page last changed, so
//! no `Last-Modified` is sent at all.

mod accept_encoding;

use accept_encoding::Coding;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::RwLock;

use super::AppState;
use crate::clock::Clock;
use crate::domain::timefmt;

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

/// One cached response in every encoding, with the headers of each answer built
/// once: a hit clones a header map rather than inserting (and hashing) a dozen
/// names.
pub struct Entry {
    surrogate_keys: String,
    etag: HeaderValue,
    /// The second it was rendered, when sent as `Last-Modified`.
    last_modified: Option<i64>,
    identity: Encoded,
    gzip: Encoded,
    brotli: Encoded,
    /// For `304 Not Modified`: the validators and caching headers, no body's.
    not_modified: HeaderMap,
    stored: u64,
}

/// A body and every header of a `200 OK` carrying it.
struct Encoded {
    body: Bytes,
    headers: HeaderMap,
}

/// What an entry is built from: the rendered response's headers and body.
struct Rendered {
    content_type: HeaderValue,
    cache_control: HeaderValue,
    surrogate_header: Option<HeaderValue>,
    etag: HeaderValue,
    /// Unix seconds, from `PageCache::stamp`.
    last_modified: Option<i64>,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl Entry {
    fn new(rendered: Rendered, stored: u64) -> Entry {
        let mut common = HeaderMap::with_capacity(16);
        super::headers::apply(&mut common);
        common.insert(header::CACHE_CONTROL, rendered.cache_control);
        common.insert(header::ETAG, rendered.etag.clone());
        common.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if let Some(keys) = &rendered.surrogate_header {
            common.insert(SURROGATE_KEY_HEADER, keys.clone());
        }
        if let Some(value) = rendered.last_modified.and_then(http_date) {
            common.insert(header::LAST_MODIFIED, value);
        }
        let encoded = |body: Bytes, encoding: Option<&'static str>| {
            let mut headers = common.clone();
            headers.insert(header::CONTENT_TYPE, rendered.content_type.clone());
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            Encoded { body, headers }
        };
        Entry {
            surrogate_keys: rendered
                .surrogate_header
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string(),
            etag: rendered.etag,
            last_modified: rendered.last_modified,
            identity: encoded(rendered.identity, None),
            gzip: encoded(rendered.gzip, Some("gzip")),
            brotli: encoded(rendered.brotli, Some("br")),
            not_modified: common,
            stored,
        }
    }

    fn bytes(&self) -> usize {
        self.identity.body.len() + self.gzip.body.len() + self.brotli.body.len()
    }

    fn has_key(&self, key: &str) -> bool {
        self.surrogate_keys.split(' ').any(|k| k == key)
    }
}

/// The entries by path and query, with the bytes of their bodies kept as a
/// running sum: an insert checks the budget without reading every entry.
#[derive(Default)]
struct Entries {
    by_key: HashMap<String, std::sync::Arc<Entry>>,
    bytes: usize,
}

impl Entries {
    fn insert(&mut self, key: String, entry: Entry) {
        self.bytes += entry.bytes();
        if let Some(old) = self.by_key.insert(key, std::sync::Arc::new(entry)) {
            self.bytes -= old.bytes();
        }
    }

    fn retain(&mut self, mut keep: impl FnMut(&Entry) -> bool) {
        let mut dropped = 0;
        self.by_key.retain(|_, entry| {
            let kept = keep(entry);
            if !kept {
                dropped += entry.bytes();
            }
            kept
        });
        self.bytes -= dropped;
    }

    fn clear(&mut self) {
        self.by_key.clear();
        self.bytes = 0;
    }
}

/// Rendered responses by path and query.
pub struct PageCache {
    enabled: bool,
    max_bytes: usize,
    entries: RwLock<Entries>,
    /// Bumped by every invalidation; a render that saw an older value is not stored.
    generation: AtomicU64,
    /// The clock second of the latest invalidation (`i64::MIN` before the first).
    last_invalidation: AtomicI64,
    clock: Clock,
    insertions: AtomicU64,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
}

impl PageCache {
    pub fn new(enabled: bool, max_bytes: usize, clock: Clock) -> PageCache {
        PageCache {
            enabled,
            max_bytes,
            entries: RwLock::new(Entries::default()),
            generation: AtomicU64::new(0),
            last_invalidation: AtomicI64::new(i64::MIN),
            clock,
            insertions: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn get(&self, key: &str) -> Option<std::sync::Arc<Entry>> {
        self.entries.read().ok()?.by_key.get(key).cloned()
    }

    fn insert(&self, key: String, entry: Entry, seen_generation: u64) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        // Checked under the write lock, which invalidation also takes: no stale insert can slip in.
        if self.generation.load(Ordering::SeqCst) != seen_generation {
            return;
        }
        entries.insert(key, entry);
        if entries.bytes > self.max_bytes {
            // Drop the older half: simple, and rare with a sensible budget.
            let mut ages: Vec<u64> = entries.by_key.values().map(|e| e.stored).collect();
            ages.sort_unstable();
            let cutoff = ages[ages.len() / 2];
            entries.retain(|e| e.stored > cutoff);
        }
    }

    /// The `Last-Modified` second for a render starting now, or `None` when a render
    /// in this second could differ from an earlier one in the same second (see the
    /// module's notes). Read after the generation the render checks against.
    fn stamp(&self) -> Option<i64> {
        let now = self.clock.now();
        (self.enabled && now > self.last_invalidation.load(Ordering::SeqCst)).then_some(now)
    }

    /// Notes an invalidation's time; called under the write lock, before the
    /// generation moves, so a render that sees the new generation sees this too.
    fn note_invalidation(&self) {
        self.last_invalidation
            .fetch_max(self.clock.now(), Ordering::SeqCst);
    }

    /// Drops every entry carrying any of `keys`.
    pub fn invalidate(&self, keys: &[String]) {
        if let Ok(mut entries) = self.entries.write() {
            self.note_invalidation();
            self.generation.fetch_add(1, Ordering::SeqCst);
            entries.retain(|e| !keys.iter().any(|k| e.has_key(k)));
        }
    }

    /// Drops everything (e.g. after sections change).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            self.note_invalidation();
            self.generation.fetch_add(1, Ordering::SeqCst);
            entries.clear();
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.by_key.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn not_modified(request: &HeaderMap, etag: &HeaderValue) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                t.trim() == "*" || t.trim().trim_start_matches("W/") == etag.to_str().unwrap_or("")
            })
        })
}

/// Whether `If-Modified-Since` says the client holds the entry: only when no
/// `If-None-Match` was sent, the entry states a `Last-Modified`, and the date is
/// valid, not in the future, and that second or later.
fn not_modified_since(request: &HeaderMap, last_modified: Option<i64>, now: i64) -> bool {
    if request.contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    let (Some(last_modified), Some(since)) = (
        last_modified,
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(timefmt::parse_http_date),
    ) else {
        return false;
    };
    since >= last_modified && since <= now
}

fn http_date(seconds: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&timefmt::http_date(timefmt::from_unix(seconds))).ok()
}

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

/// A strong validator from the body's hash. XXH3 is specified (so every node and
/// every build gives the same tag) and hashes a page in about a microsecond; a
/// validator need not resist forgery, and 128 bits make a collision negligible.
pub fn etag_for(body: &[u8]) -> HeaderValue {
    let hash = xxhash_rust::xxh3::xxh3_128(body);
    HeaderValue::from_str(&format!("\"{hash:032x}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Answers a GET or HEAD of a cached public response before the router sees the
/// request (`server` calls it first); the entry's headers include the security
/// headers the router's layers would add. The API is left to its own layers,
/// which count requests against rate limits before its cache.
pub fn answer_early<B>(state: &AppState, request: &axum::http::Request<B>) -> Option<Response> {
    let method = request.method();
    if !state.cache.enabled || (method != Method::GET && method != Method::HEAD) {
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

/// Serves public GETs from the cache, filling it on a miss; adds validators and answers 304s.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(keys: &str, stored: u64) -> Entry {
        let rendered = Rendered {
            content_type: HeaderValue::from_static("text/html"),
            cache_control: HeaderValue::from_static("public"),
            surrogate_header: Some(HeaderValue::from_str(keys).unwrap()),
            etag: etag_for(keys.as_bytes()),
            last_modified: None,
            identity: Bytes::from_static(b"x"),
            gzip: Bytes::new(),
            brotli: Bytes::new(),
        };
        Entry::new(rendered, stored)
    }

    #[test]
    fn invalidation_drops_exactly_the_tagged_entries() {
        let cache = PageCache::new(true, 1 << 20, Clock::default());
        cache.insert("/a".into(), entry("story-1 lists", 0), 0);
        cache.insert("/b".into(), entry("story-2", 1), 0);
        cache.invalidate(&["story-1".into()]);
        assert!(cache.get("/a").is_none());
        assert!(cache.get("/b").is_some());
    }

    #[test]
    fn the_byte_budget_counts_each_key_once_and_drops_the_oldest() {
        // Each test entry's bodies are one byte.
        let cache = PageCache::new(true, 2, Clock::default());
        for _ in 0..3 {
            cache.insert("/a".into(), entry("story-1", 0), 0);
        }
        cache.insert("/b".into(), entry("story-2", 1), 0);
        assert_eq!(cache.len(), 2, "replacing /a must not count it again");
        cache.invalidate(&["story-2".into()]);
        let generation = cache.generation.load(Ordering::SeqCst);
        cache.insert("/c".into(), entry("story-3", 2), generation);
        assert_eq!(cache.len(), 2, "an invalidation must give its bytes back");
        cache.insert("/d".into(), entry("story-4", 3), generation);
        assert!(cache.get("/a").is_none(), "over budget, the oldest goes");
        assert!(cache.get("/d").is_some());
        assert!(cache.entries.read().unwrap().bytes <= 2);
    }

    #[test]
    fn a_render_older_than_an_invalidation_is_not_stored() {
        let cache = PageCache::new(true, 1 << 20, Clock::default());
        let seen = cache.generation.load(Ordering::SeqCst);
        cache.invalidate(&["story-1".into()]);
        cache.insert("/a".into(), entry("story-1", 0), seen);
        assert!(cache.is_empty());
    }

    #[test]
    fn last_modified_is_left_out_in_the_second_of_an_invalidation() {
        let clock = Clock::manual(1_000);
        let cache = PageCache::new(true, 1 << 20, clock.clone());
        assert_eq!(cache.stamp(), Some(1_000), "nothing invalidated yet");
        cache.invalidate(&["story-1".into()]);
        assert_eq!(cache.stamp(), None, "could equal an earlier render's date");
        clock.advance(1);
        assert_eq!(cache.stamp(), Some(1_001));
        clock.set(900);
        assert_eq!(cache.stamp(), None, "a clock set back never reuses a date");
        let off = PageCache::new(false, 1 << 20, clock);
        assert_eq!(off.stamp(), None, "without the cache nothing knows");
    }

    #[test]
    fn if_modified_since_is_weighed_only_without_if_none_match() {
        let mut h = HeaderMap::new();
        let date =
            |s: i64| HeaderValue::from_str(&timefmt::http_date(timefmt::from_unix(s))).unwrap();
        h.insert(header::IF_MODIFIED_SINCE, date(1_000));
        assert!(not_modified_since(&h, Some(1_000), 1_000));
        assert!(not_modified_since(&h, Some(999), 1_000));
        assert!(!not_modified_since(&h, Some(1_001), 1_001), "changed since");
        assert!(!not_modified_since(&h, None, 1_000), "no date stated");
        assert!(
            !not_modified_since(&h, Some(900), 999),
            "a date in the future"
        );
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\""));
        assert!(!not_modified_since(&h, Some(1_000), 1_000));
    }
}
