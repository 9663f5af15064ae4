//! `/api/v1/search`: ranked full-text search over public stories, with
//! highlighted headlines and snippets as escaped HTML (`<mark>` only).

use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde_json::json;

use super::{cacheable_json, views, ApiError};
use crate::store::SearchScope;
use crate::web::html;
use crate::web::invalidation::keys;
use crate::web::search::{self, DateRule, SearchParams};
use crate::web::AppState;

pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = SearchParams::from_query_string(raw.as_deref());
    if let Some(other) = params.unknown.first() {
        return Err(ApiError::bad_request(format!(
            "unknown parameter {}; use q, language, section, from, to, page, limit",
            crate::domain::text::quoted(other)
        )));
    }
    // The search page's form sends its empty fields; an API client that sends one
    // has made a mistake worth telling it about (the OpenAPI types say so too).
    if let Some(name) = &params.first_empty {
        return Err(ApiError::bad_request(format!(
            "{name} is empty: give it a value or leave it out"
        )));
    }
    if params.q.is_none() {
        return Err(ApiError::bad_request(
            "q is required: the words to search for",
        ));
    }
    let language = (!params.language.is_empty()).then_some(params.language.as_str());
    let edition = super::language::edition_of(&state.editions, language)?;
    let search = search::prepare_in(&state, &edition, &params, DateRule::ApiTimes)
        .map_err(|e| ApiError::bad_request(e.message()))?;
    let results = state
        .store
        .search(
            &search.query,
            SearchScope::Public { now: state.now() },
            &search.filter,
            search.per_page,
            search.offset(),
        )
        .await?;
    let has_next =
        search.offset() + search.per_page < results.total && search.page < search::MAX_PAGE;
    let hits: Vec<_> = results
        .hits
        .iter()
        .map(|hit| {
            json!({
                "story": views::summary(&state, &hit.story),
                "headline_html": html::snippet(&hit.headline_marked, false).into_string(),
                "snippet_html": html::snippet(&hit.snippet_marked, true).into_string(),
            })
        })
        .collect();
    // Every publish, update and kill drops `lists`, so cached results never outlive a change.
    Ok(cacheable_json(
        json!({
            "query": params.q.unwrap_or_default(),
            "language": edition.language,
            "total": results.total,
            "total_capped": results.capped,
            "page": search.page,
            "per_page": search.per_page,
            "next_page": if has_next { Some(search.page + 1) } else { None },
            "results": hits,
        }),
        &[keys::ALL_LISTS.to_string()],
    ))
}
