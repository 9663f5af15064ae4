//! Public pages for a signed-in reader: the layer that takes a request carrying the reader's cookie past the page cache and makes its answer private, and the short-lived copies of readers' sessions those pages are rendered from.
//!
//! The page cache and a CDN hold one copy of each public page, the anonymous
//! one. A request that carries the `dateline_reader` cookie is never answered
//! from the page cache nor stored in it (`cache::answer_early` and
//! `cache::layer` ask [`carries_reader_cookie`], the same question this layer
//! asks): the handler renders the page again, with the reader's masthead and
//! saved state, from the record cache, and this layer answers it
//! `Cache-Control: private, no-store` without surrogate keys or validators. A
//! cookie that names no live session is answered as anonymous, privately, and
//! cleared. Anonymous requests never reach this layer's work.
//!
//! To keep a signed-in page as cheap as an anonymous one the page cache does not
//! hold, the reader is not read from the database on every request: each node
//! keeps a copy of the session (the reader's name, the session's CSRF token and
//! the ids of the saved stories) for at most [`COPY_SECONDS`], loaded by
//! `reader_session::signed_in_reader`, which also checks the session's end and
//! notes when it was last used. A change to what a copy shows logs `reader-<id>`
//! in the invalidation log (migration 0015), and every node, this one included,
//! drops that reader's copies as it drops cached pages. Nothing that changes
//! anything uses a copy: saving, removing and the account pages read the session
//! from the database.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;
use std::sync::Arc;

use super::cache::SURROGATE_KEY;
use super::extract::cookie_value;
use super::invalidation::keys;
use super::reader_session::{session_cookie, signed_in_reader, READER_COOKIE};
use super::record_cache::RecordCache;
use super::AppState;
use crate::auth;

/// How long a node answers from its copy of a session before reading it again.
/// It is also how often a session's last use is written (`reader_session`).
pub const COPY_SECONDS: i64 = 60;
/// Sessions whose copies one node keeps: a miss costs two small queries.
const COPIES: usize = 10_000;

/// What a public page shows of a signed-in reader.
#[derive(Debug)]
pub struct PageReader {
    pub id: i64,
    pub display_name: String,
    /// The session's CSRF token, for the forms on the page (sign out, save).
    pub csrf: String,
    /// The ids of the stories the reader saved, sorted.
    saved: Vec<i64>,
    /// When the copy was read from the database, by the site's clock.
    loaded_at: i64,
}

impl PageReader {
    pub fn has_saved(&self, story_id: i64) -> bool {
        self.saved.binary_search(&story_id).is_ok()
    }
}

/// The copies of readers' sessions one node keeps, by the SHA-256 of the session's secret.
pub type ReaderCopies = RecordCache<PageReader, String>;

/// A node's session copies, kept when the record cache is (`--record-cache false` keeps none).
pub fn reader_copies(enabled: bool) -> ReaderCopies {
    RecordCache::new(enabled, COPIES)
}

/// Who a public page is rendered for: nobody in particular (the page every
/// cache may share), or a signed-in reader. Set by [`layer`]; anonymous when the
/// layer did not run.
#[derive(Debug, Clone, Default)]
pub struct Visitor(Option<Arc<PageReader>>);

impl Visitor {
    pub fn reader(&self) -> Option<&PageReader> {
        self.0.as_deref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .unwrap_or_default())
    }
}

/// The one question the page cache and this layer both ask: does the request
/// carry a reader's session cookie (any value but an empty one)? Cheap when it
/// does not, as for every anonymous request.
pub fn carries_reader_cookie(headers: &HeaderMap) -> bool {
    let mentioned = headers.get_all(header::COOKIE).iter().any(|v| {
        v.as_bytes()
            .windows(READER_COOKIE.len())
            .any(|w| w == READER_COOKIE.as_bytes())
    });
    mentioned && cookie_value(headers, READER_COOKIE).is_some_and(|v| !v.is_empty())
}

/// Whether `token` could be a session secret at all (64 lowercase hex digits,
/// as `auth::random_token` makes them); anything else is not looked up.
fn well_formed(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The reader whose session the request's cookie names, from this node's copy or
/// the database; `None` for a cookie that names no live session.
async fn find(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Arc<PageReader>>, super::WebError> {
    let Some(token) = cookie_value(headers, READER_COOKIE).filter(|t| well_formed(t)) else {
        return Ok(None);
    };
    let hash = auth::token_hash(&token);
    let now = state.now();
    if let Some(copy) = state.readers.get(hash.as_str()) {
        if (copy.loaded_at..copy.loaded_at + COPY_SECONDS).contains(&now) {
            return Ok(Some(copy));
        }
    }
    let generation = state.readers.generation();
    let Some(signed_in) = signed_in_reader(state, headers).await? else {
        return Ok(None);
    };
    let saved = state.store.saved_story_ids(signed_in.reader.id).await?;
    let copy = Arc::new(PageReader {
        id: signed_in.reader.id,
        display_name: signed_in.reader.display_name,
        csrf: signed_in.csrf,
        saved,
        loaded_at: now,
    });
    state.readers.insert(
        hash,
        Arc::clone(&copy),
        vec![keys::reader(copy.id)],
        generation,
    );
    Ok(Some(copy))
}

/// Serves public pages to a request carrying the reader's cookie: finds the
/// reader, lets the handler render for them, and makes the answer private. Must
/// sit outside `cache::layer` so that it sees the final answer.
pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !carries_reader_cookie(request.headers()) {
        return next.run(request).await;
    }
    let (visitor, clear_cookie) = match find(&state, request.headers()).await {
        Ok(Some(reader)) => (Visitor(Some(reader)), false),
        Ok(None) => (Visitor(None), true),
        Err(e) => {
            // The page is still worth showing; the cookie may be good once the database answers.
            tracing::warn!(error = %e, "could not read a reader's session; answering as anonymous");
            (Visitor(None), false)
        }
    };
    request.extensions_mut().insert(visitor.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    // Nothing that would let a shared cache or a purge treat it as the public page.
    for name in [header::ETAG, header::LAST_MODIFIED, header::EXPIRES] {
        headers.remove(name);
    }
    headers.remove(SURROGATE_KEY);
    if clear_cookie {
        headers.append(header::SET_COOKIE, session_cookie(&state, ""));
    }
    // The error pages, rendered further out, show the reader's masthead too.
    response.extensions_mut().insert(visitor);
    response
}

/// For the account pages: an answer that signs a reader in or out (it sets the
/// session cookie) also tells the browser to forget the pages it kept. Public
/// pages may be kept for a minute (`max-age=60`) and a kept page would show the
/// masthead of before, "Sign in" to a reader who has just signed in; a reader's
/// own pages are never kept (`no-store`).
pub async fn forget_kept_pages(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let prefix = format!("{READER_COOKIE}=");
    let changes_session = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(prefix.as_bytes()));
    if changes_session {
        response.headers_mut().insert(
            header::HeaderName::from_static("clear-site-data"),
            HeaderValue::from_static("\"cache\""),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookies(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    #[test]
    fn only_a_reader_cookie_with_a_value_counts() {
        assert!(!carries_reader_cookie(&HeaderMap::new()));
        assert!(!carries_reader_cookie(&cookies("analytics=1; theme=dark")));
        assert!(!carries_reader_cookie(&cookies("dateline_reader=")));
        assert!(!carries_reader_cookie(&cookies("not_dateline_reader=x")));
        assert!(!carries_reader_cookie(&cookies("dateline_session=x")));
        assert!(carries_reader_cookie(&cookies("a=1; dateline_reader=junk")));
        assert!(carries_reader_cookie(&cookies("dateline_reader=x;b=2")));
    }

    #[test]
    fn only_well_formed_secrets_are_looked_up() {
        assert!(well_formed(&auth::random_token()));
        assert!(!well_formed("junk"));
        assert!(!well_formed(&"A".repeat(64)));
        assert!(!well_formed(&"0".repeat(65)));
    }

    #[test]
    fn saved_ids_are_searched() {
        let reader = PageReader {
            id: 1,
            display_name: String::new(),
            csrf: String::new(),
            saved: vec![2, 5, 9],
            loaded_at: 0,
        };
        assert!(reader.has_saved(5));
        assert!(!reader.has_saved(4));
    }
}
