//! `/api/v1/stories/{id}/live-posts`: a public live page's published posts in
//! publication order, from after a `since` place (what a poller resumes from), in
//! pages joined by a cursor like the story list's.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use base64::Engine;
use serde_json::json;

use super::stories::{public_story, DEFAULT_LIMIT, MAX_LIMIT};
use super::{cacheable_json, views, ApiError};
use crate::domain::text::quoted;
use crate::web::invalidation::keys;
use crate::web::AppState;

/// What the query string asks for.
#[derive(Debug, PartialEq, Eq)]
struct PostsQuery {
    /// Only posts whose `seq` is greater.
    after: i64,
    limit: i64,
}

/// A cursor names the last post of a page by its place; it says `live` so that
/// a story list's cursor given here is refused rather than misread.
fn encode_cursor(seq: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("live.{seq}"))
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("live.")?
        .parse()
        .ok()
        .filter(|seq| *seq >= 0)
}

/// Reads the query string; an unknown, empty or malformed parameter is a 400
/// that says which and what it should be.
fn read_query(raw: Option<&str>) -> Result<PostsQuery, ApiError> {
    let mut query = PostsQuery {
        after: 0,
        limit: DEFAULT_LIMIT,
    };
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "since" => {
                let since = value
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "since must be a whole number from 0 to {}: the seq of the last post you have (0 for all)",
                            i64::MAX
                        ))
                    })?;
                query.after = query.after.max(since);
            }
            "cursor" => {
                let seq = decode_cursor(&value).ok_or_else(|| {
                    ApiError::bad_request(
                        "cursor is not valid; use the next_cursor of a previous page of these posts",
                    )
                })?;
                query.after = query.after.max(seq);
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
                    "unknown parameter {}; use since, cursor, limit",
                    quoted(other)
                )))
            }
        }
    }
    Ok(query)
}

/// A page of a live page's published posts, oldest first, with the live page's
/// state. Killed: 410; not public, or not a live page: 404.
pub async fn posts(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let query = read_query(raw.as_deref())?;
    let story = public_story(&state, &id).await?;
    let not_live = || ApiError::not_found("this story is not a live page");
    let page = state
        .store
        .live_page(story.id)
        .await?
        .ok_or_else(not_live)?;
    // One more than asked for tells whether there is a next page.
    let mut posts = state
        .store
        .public_live_posts_since(story.id, query.after, state.now(), query.limit + 1)
        .await?
        .ok_or_else(not_live)?;
    let next = if posts.len() as i64 > query.limit {
        posts.truncate(query.limit as usize);
        posts.last().and_then(|p| p.seq).map(encode_cursor)
    } else {
        None
    };
    let url = views::story_url(
        &state,
        story.content.section_id,
        &story.content.slug,
        story.id,
    );
    Ok(cacheable_json(
        json!({
            "live": views::live_page(&state, &page),
            "posts": posts.iter().map(|p| views::live_post(&state, &url, p)).collect::<Vec<_>>(),
            "next_cursor": next,
        }),
        &[keys::story(story.id)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor(&encode_cursor(i64::MAX)), Some(i64::MAX));
        assert_eq!(decode_cursor("not a cursor"), None);
        // A story list's cursor, "time.id", is not a place on a live page.
        let story_cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("1700000000.42");
        assert_eq!(decode_cursor(&story_cursor), None);
        let negative = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("live.-1");
        assert_eq!(decode_cursor(&negative), None);
    }

    #[test]
    fn queries_are_read_or_refused_with_a_reason() {
        assert_eq!(
            read_query(None).unwrap(),
            PostsQuery {
                after: 0,
                limit: DEFAULT_LIMIT
            }
        );
        assert_eq!(
            read_query(Some("since=7&limit=5")).unwrap(),
            PostsQuery { after: 7, limit: 5 }
        );
        let cursor = encode_cursor(9);
        assert_eq!(
            read_query(Some(&format!("since=3&cursor={cursor}")))
                .unwrap()
                .after,
            9
        );
        for bad in [
            "since=-1",
            "since=",
            "since=1.5",
            "since=99999999999999999999",
            "limit=0",
            "limit=101",
            "limit=",
            "cursor=",
            "cursor=%%%",
            "after=3",
        ] {
            let e = read_query(Some(bad)).unwrap_err();
            assert_eq!(e.status.as_u16(), 400, "{bad}");
            assert!(!e.message.is_empty(), "{bad}");
        }
    }
}
