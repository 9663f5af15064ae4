//! HTTP validators of cached responses: the `ETag` and `Last-Modified` they
//! carry, and whether a conditional request's `If-None-Match` or
//! `If-Modified-Since` says the client already holds one.
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

use axum::http::{header, HeaderMap, HeaderValue};

use crate::domain::timefmt;

pub(super) fn not_modified(request: &HeaderMap, etag: &HeaderValue) -> bool {
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
pub(super) fn not_modified_since(
    request: &HeaderMap,
    last_modified: Option<i64>,
    now: i64,
) -> bool {
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

pub(super) fn http_date(seconds: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&timefmt::http_date(timefmt::from_unix(seconds))).ok()
}

/// A strong validator from the body's hash. XXH3 is specified (so every node and
/// every build gives the same tag) and hashes a page in about a microsecond; a
/// validator need not resist forgery, and 128 bits make a collision negligible.
pub fn etag_for(body: &[u8]) -> HeaderValue {
    let hash = xxhash_rust::xxh3::xxh3_128(body);
    HeaderValue::from_str(&format!("\"{hash:032x}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

#[cfg(test)]
mod tests {
    use super::*;

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
