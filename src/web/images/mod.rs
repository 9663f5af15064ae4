//! Pictures, served at the standard widths from wherever their bytes are kept
//! (the database, or object storage: `media::Pictures`).
//!
//! A picture is public only while a public story shows it (its lead picture or
//! one in its body, `story_images`): the same rule as the story itself, so a
//! draft's, an embargoed or a killed story's pictures answer 404 like a picture
//! that does not exist, and guessing ids finds nothing unpublished. Responses
//! carry the surrogate keys of the stories that show them, so a kill or an
//! embargo purges them from a CDN; browsers keep them for an hour, not a year,
//! so a withdrawn picture leaves their caches too. Staff see any picture at
//! `/newsroom/images/…` (previews, the editor), private and never stored.
//!
//! The same address answers with a WebP to a browser whose `Accept` asks for
//! one (`accept`) and the picture has one, else with the JPEG; every answer
//! says `Vary: Accept`, and each format has its own ETag. The visibility check
//! comes first and is the same for both.

mod accept;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::extract::Staff;
use super::invalidation::keys;
use super::{AppState, WebError};
use crate::media;
use crate::store::Rendition;

/// Browsers an hour; a CDN a year, purged by surrogate key when the story changes.
const PUBLIC_PICTURE_CACHE: &str = "public, max-age=3600, s-maxage=31536000";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/images/{id}/{width}", get(public_rendition))
        .route("/newsroom/images/{id}/{width}", get(staff_rendition))
}

/// The picture id and standard width of a picture path, or `None` (a 404).
fn parse(id: &str, width: &str) -> Option<(i64, i64)> {
    let id: i64 = id.parse().ok()?;
    let width: i64 = width.parse().ok()?;
    media::WIDTHS.contains(&width).then_some((id, width))
}

/// A picture's bytes never change under its id, so the id, width and format
/// make a strong validator (the JPEG's keeps the form it had before WebP).
fn etag(id: i64, width: i64, webp: bool) -> String {
    if webp {
        format!("\"img-{id}-{width}-webp\"")
    } else {
        format!("\"img-{id}-{width}\"")
    }
}

fn matches_etag(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
}

async fn public_rendition(
    State(state): State<AppState>,
    Path((id, width)): Path<(String, String)>,
    request_headers: HeaderMap,
) -> Result<Response, WebError> {
    let (id, width) = parse(&id, &width).ok_or(WebError::NotFound)?;
    let stories = state.store.public_stories_showing(id, state.now()).await?;
    if stories.is_empty() {
        return Err(WebError::NotFound);
    }
    let surrogate = stories
        .iter()
        .map(|s| keys::story(*s))
        .collect::<Vec<_>>()
        .join(" ");
    let headers = |etag: String| {
        [
            (header::CACHE_CONTROL, PUBLIC_PICTURE_CACHE.to_string()),
            (
                header::HeaderName::from_static(super::cache::SURROGATE_KEY),
                surrogate.clone(),
            ),
            (header::VARY, "Accept".to_string()),
            (header::ETAG, etag),
        ]
    };
    let accept = request_headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    if accept::prefers_webp(accept) {
        let etag = etag(id, width, true);
        // The WebP's validator was only ever sent with its bytes, so it exists.
        if matches_etag(&request_headers, &etag) {
            return Ok((StatusCode::NOT_MODIFIED, headers(etag)).into_response());
        }
        let webp = state
            .pictures
            .alternate(&state.store, id, width, media::webp::CONTENT_TYPE)
            .await?;
        if let Some(webp) = webp {
            return Ok((headers(etag), picture(webp)).into_response());
        }
        // Not made yet (an older picture before `dateline migrate`): the JPEG.
    }
    let etag = etag(id, width, false);
    if matches_etag(&request_headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, headers(etag)).into_response());
    }
    let rendition = state
        .pictures
        .rendition(&state.store, id, width)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((headers(etag), picture(rendition)).into_response())
}

async fn staff_rendition(
    State(state): State<AppState>,
    _staff: Staff,
    Path((id, width)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, width) = parse(&id, &width).ok_or(WebError::NotFound)?;
    let rendition = state
        .pictures
        .rendition(&state.store, id, width)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((
        [(header::CACHE_CONTROL, "private, no-store")],
        picture(rendition),
    )
        .into_response())
}

fn picture(rendition: Rendition) -> impl IntoResponse {
    let content_type = HeaderValue::from_str(&rendition.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    ([(header::CONTENT_TYPE, content_type)], rendition.data)
}
