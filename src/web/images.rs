//! Pictures, served from the database at the standard widths with year-long caching.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::{AppState, WebError};
use crate::media;

pub fn router() -> Router<AppState> {
    Router::new().route("/images/{id}/{width}", get(rendition))
}

async fn rendition(
    State(state): State<AppState>,
    Path((id, width)): Path<(String, String)>,
    request_headers: HeaderMap,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let width: i64 = width.parse().map_err(|_| WebError::NotFound)?;
    if !media::WIDTHS.contains(&width) {
        return Err(WebError::NotFound);
    }
    // A picture's bytes never change under its id, so the id and width make a strong validator.
    let etag = format!("\"img-{id}-{width}\"");
    if request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let rendition = state
        .store
        .image_rendition(id, width)
        .await?
        .ok_or(WebError::NotFound)?;
    let content_type = HeaderValue::from_str(&rendition.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
            (
                header::ETAG,
                HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"img\"")),
            ),
        ],
        rendition.data,
    )
        .into_response())
}
