//! The cached responses: each kept in every encoding with its answers' headers
//! built once, held by path and query within a byte budget, and dropped by
//! surrogate key.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::RwLock;

use super::validators;
use crate::clock::Clock;

/// One cached response in every encoding, with the headers of each answer built
/// once: a hit clones a header map rather than inserting (and hashing) a dozen
/// names.
pub struct Entry {
    surrogate_keys: String,
    pub(super) etag: HeaderValue,
    /// The second it was rendered, when sent as `Last-Modified`.
    pub(super) last_modified: Option<i64>,
    pub(super) identity: Encoded,
    pub(super) gzip: Encoded,
    pub(super) brotli: Encoded,
    /// For `304 Not Modified`: the validators and caching headers, no body's.
    pub(super) not_modified: HeaderMap,
    stored: u64,
}

/// A body and every header of a `200 OK` carrying it.
pub(super) struct Encoded {
    pub(super) body: Bytes,
    pub(super) headers: HeaderMap,
}

/// What an entry is built from: the rendered response's headers and body.
pub(super) struct Rendered {
    pub(super) content_type: HeaderValue,
    pub(super) cache_control: HeaderValue,
    pub(super) surrogate_header: Option<HeaderValue>,
    pub(super) etag: HeaderValue,
    /// Unix seconds, from `PageCache::stamp`.
    pub(super) last_modified: Option<i64>,
    pub(super) identity: Bytes,
    pub(super) gzip: Bytes,
    pub(super) brotli: Bytes,
}

impl Entry {
    pub(super) fn new(rendered: Rendered, stored: u64) -> Entry {
        let mut common = HeaderMap::with_capacity(16);
        super::super::headers::apply(&mut common);
        common.insert(header::CACHE_CONTROL, rendered.cache_control);
        common.insert(header::ETAG, rendered.etag.clone());
        common.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if let Some(keys) = &rendered.surrogate_header {
            common.insert(super::SURROGATE_KEY_HEADER, keys.clone());
        }
        if let Some(value) = rendered.last_modified.and_then(validators::http_date) {
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
    pub(super) enabled: bool,
    max_bytes: usize,
    entries: RwLock<Entries>,
    /// Bumped by every invalidation; a render that saw an older value is not stored.
    pub(super) generation: AtomicU64,
    /// The clock second of the latest invalidation (`i64::MIN` before the first).
    last_invalidation: AtomicI64,
    clock: Clock,
    pub(super) insertions: AtomicU64,
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

    pub(super) fn get(&self, key: &str) -> Option<std::sync::Arc<Entry>> {
        self.entries.read().ok()?.by_key.get(key).cloned()
    }

    pub(super) fn insert(&self, key: String, entry: Entry, seen_generation: u64) {
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
    /// cache's notes). Read after the generation the render checks against.
    pub(super) fn stamp(&self) -> Option<i64> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::cache::validators::etag_for;

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
}
