//! The newsroom's full-text search, `/newsroom/search?q=…`: the same query
//! language and engines as the public search, over drafts, scheduled, published
//! and killed stories. Editors search everything; reporters their own stories
//! and what is published (the same stories the workflow lets them read); staff
//! limited to some editions, those editions' stories. On PostgreSQL each story
//! is matched with its own edition's stemming.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::{edition_access, NewsroomNav, Staff};
use crate::domain::story::Status;
use crate::domain::timefmt;
use crate::domain::workflow::Stage;
use crate::store::{SearchFilter, SearchScope};
use crate::web::html::{self, SafeHtml};
use crate::web::search::{self, DateRule, SearchError, SearchParams};
use crate::web::{AppState, WebError};

/// Results per page in the newsroom.
const PER_PAGE: i64 = 20;

pub struct Hit {
    pub href: String,
    pub headline_html: SafeHtml,
    pub snippet_html: SafeHtml,
    pub section: String,
    pub stage: String,
    pub changed: String,
}

#[derive(Template)]
#[template(path = "newsroom/search.html")]
struct SearchTemplate {
    nav: NewsroomNav,
    q: String,
    message: String,
    searched: bool,
    total: i64,
    /// More match than were ranked: `total` is a lower bound.
    capped: bool,
    hits: Vec<Hit>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

fn page_href(q: &str, page: i64) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("q", q)
        .append_pair("page", &page.to_string())
        .finish();
    format!("/newsroom/search?{query}")
}

pub async fn search(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let mut params = SearchParams::from_query_string(raw.as_deref());
    // Only the words and the page number apply here.
    params.section.clear();
    params.from.clear();
    params.to.clear();
    params.limit = PER_PAGE.to_string();
    let q = params.q.clone().unwrap_or_default();
    let mut page = SearchTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)),
        q: q.clone(),
        message: String::new(),
        searched: false,
        total: 0,
        capped: false,
        hits: Vec::new(),
        prev_href: None,
        next_href: None,
    };
    let search = match search::prepare(&state, &params, DateRule::SiteDays) {
        Ok(search) => search,
        Err(error) => {
            let status = match &error {
                SearchError::Empty(_) => StatusCode::OK,
                SearchError::Invalid(_) => StatusCode::BAD_REQUEST,
            };
            if params.q.is_some() {
                page.message = error.message().to_string();
            }
            return Ok((status, Html(page.render()?)).into_response());
        }
    };
    let scope = SearchScope::Newsroom {
        own_or_published: (!staff.user.role.is_editor()).then_some(staff.user.id),
    };
    // A member of staff limited to some editions finds only their sections' stories;
    // each story is matched in its own edition's language.
    let mut story_configs: Vec<String> = Vec::new();
    for edition in state.editions.all() {
        if staff.works_in(edition.id) && !story_configs.contains(&edition.search_config) {
            story_configs.push(edition.search_config.clone());
        }
    }
    let filter = SearchFilter {
        section_ids: edition_access::their_sections(&state, &staff),
        story_configs,
        ..SearchFilter::default()
    };
    let results = state
        .store
        .search(
            &search.query,
            scope,
            &filter,
            search.per_page,
            search.offset(),
        )
        .await?;
    let tz = &state.site.time_zone;
    page.searched = true;
    page.total = results.total;
    page.capped = results.capped;
    page.hits = results
        .hits
        .iter()
        .map(|hit| {
            let status = Status::parse(&hit.status).unwrap_or(Status::Draft);
            Hit {
                href: format!("/newsroom/stories/{}", hit.story.id),
                headline_html: html::snippet(&hit.headline_marked, false),
                snippet_html: html::snippet(&hit.snippet_marked, true),
                section: state
                    .sections
                    .by_id(hit.story.section_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                stage: Stage::of(status, hit.submitted_at, hit.scheduled_for)
                    .label()
                    .to_string(),
                changed: timefmt::long_stamp(timefmt::from_unix(hit.modified_at), tz),
            }
        })
        .collect();
    if search.page > 1 {
        page.prev_href = Some(page_href(&q, search.page - 1));
    }
    if search.offset() + (results.hits.len() as i64) < results.total
        && !results.hits.is_empty()
        && search.page < search::MAX_PAGE
    {
        page.next_href = Some(page_href(&q, search.page + 1));
    }
    Ok(Html(page.render()?).into_response())
}
