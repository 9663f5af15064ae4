//! API handlers: story lists and stories, sections, pictures.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use serde_json::json;

use super::{cacheable_json, views, ApiError};
use crate::domain::markup;
use crate::domain::story::{Status, Story};
use crate::domain::text::quoted;
use crate::store::ApiQuery;
use crate::web::html::PictureSizes;
use crate::web::invalidation::keys;
use crate::web::search::api_time;
use crate::web::translations;
use crate::web::AppState;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

fn encode_cursor(last_updated: i64, id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{last_updated}.{id}"))
}

fn decode_cursor(cursor: &str) -> Option<(i64, i64)> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (t, id) = text.split_once('.')?;
    Some((t.parse().ok()?, id.parse().ok()?))
}

/// A date (`2026-11-29`, midnight UTC) or an RFC 3339 time, as Unix seconds.
fn parse_time(name: &str, value: &str) -> Result<i64, ApiError> {
    api_time(name, value).map_err(ApiError::bad_request)
}

/// Reads the list's query string; unknown or malformed parameters are a clear 400.
/// `section` is a slug of the edition `language` names (English by default, as
/// before editions); `language` alone lists that edition's stories.
fn read_query(state: &AppState, raw: Option<&str>) -> Result<(ApiQuery, Vec<String>), ApiError> {
    let mut query = ApiQuery {
        limit: DEFAULT_LIMIT,
        ..ApiQuery::default()
    };
    let mut surrogate = vec![keys::ALL_LISTS.to_string()];
    let mut language = None;
    let mut section_slug = None;
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "language" => language = Some(value.into_owned()),
            "section" => section_slug = Some(value.into_owned()),
            "from" => query.from = Some(parse_time("from", &value)?),
            "to" => query.to = Some(parse_time("to", &value)?),
            "updated_since" => query.updated_since = Some(parse_time("updated_since", &value)?),
            "cursor" => {
                query.after = Some(decode_cursor(&value).ok_or_else(|| {
                    ApiError::bad_request(
                        "cursor is not valid; use the next_cursor of a previous page",
                    )
                })?)
            }
            "limit" => {
                query.limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "limit must be a whole number from 1 to {MAX_LIMIT}"
                        ))
                    })?
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {}; use language, section, from, to, updated_since, cursor, limit",
                    quoted(other)
                )))
            }
        }
    }
    let edition = super::language::edition_of(&state.editions, language.as_deref())?;
    match section_slug {
        Some(slug) => {
            let section = state.sections.by_slug(edition.id, &slug).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "unknown section {} in the {} edition",
                    quoted(&slug),
                    edition.english_name
                ))
            })?;
            query.section_ids = Some(state.sections.subtree_ids(section.id));
            surrogate = vec![keys::section_list(section.id)];
        }
        // Without a language, every edition's stories, as before editions.
        None if language.is_some() => {
            query.section_ids = Some(
                state
                    .sections
                    .of_edition(edition.id)
                    .map(|s| s.id)
                    .collect(),
            );
        }
        None => {}
    }
    Ok((query, surrogate))
}

pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (mut query, surrogate) = read_query(&state, raw.as_deref())?;
    let limit = query.limit;
    // One more than asked for tells whether there is a next page.
    query.limit = limit + 1;
    let mut rows = state.store.api_stories(&query, state.now()).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| encode_cursor(r.last_updated_at.unwrap_or(0), r.id))
    } else {
        None
    };
    let stories: Vec<_> = rows.iter().map(|r| views::summary(&state, r)).collect();
    Ok(cacheable_json(
        json!({ "stories": stories, "next_cursor": next }),
        &surrogate,
    ))
}

/// A story the public may see, or the API's 404/410.
pub async fn public_story(state: &AppState, id: &str) -> Result<Story, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found("no such story"))?;
    let story = state
        .store
        .story(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such story"))?;
    if story.status == Status::Killed {
        return Err(ApiError::new(
            StatusCode::GONE,
            "this story has been removed",
        ));
    }
    if !story.is_public(state.now()) {
        return Err(ApiError::not_found("no such story"));
    }
    Ok(story)
}

pub async fn image_size(state: &AppState, story: &Story) -> Result<Option<(i64, i64)>, ApiError> {
    Ok(state.store.lead_image_size(story).await?)
}

pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let story = public_story(&state, &id).await?;
    let body = markup::parse_for_display(&story.content.body);
    let size = image_size(&state, &story).await?;
    let pictures = PictureSizes::new(state.store.image_sizes(&body.image_ids()).await?);
    let related = state
        .store
        .published_summaries(&story.content.related, state.now())
        .await?;
    let corrections = state.store.corrections(story.id).await?;
    let live = state.store.live_page(story.id).await?;
    let versions = translations::of_story(&state, story.id).await?;
    let mut surrogate = vec![keys::story(story.id)];
    surrogate.extend(story.content.related.iter().map(|r| keys::story(*r)));
    surrogate.extend(versions.keys.iter().cloned());
    let mut value = views::story(
        &state,
        &story,
        &body,
        &pictures,
        size,
        &related,
        &corrections,
        &versions,
    );
    // Starting and ending a live page log the story's key, so the copy cached under it stays true.
    value["live"] = live.map_or(serde_json::Value::Null, |page| {
        views::live_page(&state, &page)
    });
    Ok(cacheable_json(value, &surrogate))
}

pub async fn sections(State(state): State<AppState>) -> Result<Response, ApiError> {
    let base = &state.site.base_url;
    let sections: Vec<_> = state
        .sections
        .all()
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "slug": s.slug,
                "name": s.name,
                "parent": s.parent_id.and_then(|p| state.sections.by_id(p)).map(|p| p.slug.clone()),
                "is_region": s.is_region,
                "url": format!("{base}{}", crate::web::paths::section(s)),
            })
        })
        .collect();
    Ok(cacheable_json(
        json!({ "sections": sections }),
        &["sections".to_string()],
    ))
}

pub async fn image(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found("no such image"))?;
    // The picture rule of `web::images`: public only while a public story shows
    // it; otherwise it is answered as one that does not exist.
    let stories = state.store.public_stories_showing(id, state.now()).await?;
    if stories.is_empty() {
        return Err(ApiError::not_found("no such image"));
    }
    let meta = state
        .store
        .image_meta(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such image"))?;
    let keys: Vec<String> = std::iter::once(format!("image-{id}"))
        .chain(
            stories
                .into_iter()
                .map(crate::web::invalidation::keys::story),
        )
        .collect();
    Ok(cacheable_json(
        views::image(&state, meta.id, meta.width, meta.height, None),
        &keys,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        assert_eq!(
            decode_cursor(&encode_cursor(1_700_000_000, 42)),
            Some((1_700_000_000, 42))
        );
        assert_eq!(decode_cursor("not a cursor"), None);
    }

    #[test]
    fn times_accept_dates_and_rfc3339() {
        assert_eq!(parse_time("from", "2009-02-08").unwrap(), 1_234_051_200);
        assert_eq!(
            parse_time("from", "2009-02-08T15:04:00Z").unwrap(),
            1_234_105_440
        );
        assert!(parse_time("from", "yesterday").is_err());
    }
}
