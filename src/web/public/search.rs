//! The public search page, `/search?q=…`: ranked results with highlighted
//! snippets, filters by section and date, and pages of ten. A plain GET form,
//! so it works without JavaScript; a query that cannot run gets a message.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::html;
use crate::domain::timefmt;
use crate::store::SearchScope;
use crate::web::edition::PageEdition;
use crate::web::html::{snippet, SafeHtml};
use crate::web::invalidation::keys;
use crate::web::paths;
use crate::web::reader_pages::Visitor;
use crate::web::search::{self, DateRule, SearchError, SearchParams};
use crate::web::views::Chrome;
use crate::web::{AppState, WebError};

pub struct SectionOption {
    pub slug: String,
    pub name: String,
    pub selected: bool,
}

pub struct ResultItem {
    pub href: String,
    /// Escaped HTML with `<mark>` around matches.
    pub headline_html: SafeHtml,
    pub snippet_html: SafeHtml,
    pub section: String,
    pub published_iso: String,
    pub published_short: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchTemplate {
    chrome: std::sync::Arc<Chrome>,
    q: String,
    from: String,
    to: String,
    sections: Vec<SectionOption>,
    /// Why the search did not run, for the reader.
    message: String,
    searched: bool,
    results: Vec<ResultItem>,
    total: i64,
    /// More match than were ranked: `total` is a lower bound.
    capped: bool,
    first: i64,
    last: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// This page's address (`search_path`, the edition's) with the same search at another page number.
fn page_href(search_path: &str, params: &SearchParams, page: i64) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("q", params.q.as_deref().unwrap_or(""));
    for (name, value) in [
        ("section", &params.section),
        ("from", &params.from),
        ("to", &params.to),
    ] {
        if !value.is_empty() {
            query.append_pair(name, value);
        }
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    format!("{search_path}?{}", query.finish())
}

pub async fn page(
    State(state): State<AppState>,
    edition: PageEdition,
    visitor: Visitor,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let mut params = SearchParams::from_query_string(raw.as_deref());
    // The page size is the page's choice; other unknown parameters (tracking tags) are ignored.
    params.limit.clear();
    let mut chrome = Chrome::build(&state, &edition.0, None);
    chrome.search_query = params.q.clone().unwrap_or_default();
    chrome.set_reader(&visitor);
    let mut page = SearchTemplate {
        chrome: std::sync::Arc::new(chrome),
        q: params.q.clone().unwrap_or_default(),
        from: params.from.clone(),
        to: params.to.clone(),
        sections: state
            .sections
            .of_edition(edition.id)
            .map(|s| SectionOption {
                slug: s.slug.clone(),
                // Regions and sub-sections are indented under their parent, with CSS or without.
                name: match s.parent_id {
                    Some(_) => format!("\u{2013} {}", s.name),
                    None => s.name.clone(),
                },
                selected: s.slug == params.section,
            })
            .collect(),
        message: String::new(),
        searched: false,
        results: Vec::new(),
        total: 0,
        capped: false,
        first: 0,
        last: 0,
        prev_href: None,
        next_href: None,
    };
    let search = match search::prepare_in(&state, &edition, &params, DateRule::SiteDays) {
        Ok(search) => search,
        Err(error) => {
            // A bare /search shows just the form; an empty box says what to do, with 200.
            let status = match (&error, &params.q) {
                (SearchError::Empty(_), None) => StatusCode::OK,
                (SearchError::Empty(m), Some(_)) => {
                    page.message = m.clone();
                    StatusCode::OK
                }
                (SearchError::Invalid(m), _) => {
                    page.message = m.clone();
                    StatusCode::BAD_REQUEST
                }
            };
            if status == StatusCode::OK {
                return Ok(html(page.render()?, &[keys::ALL_LISTS.to_string()]));
            }
            return Ok((
                status,
                [(header::CACHE_CONTROL, "no-store")],
                Html(page.render()?),
            )
                .into_response());
        }
    };
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
    let search_path = edition.path("/search");
    page.searched = true;
    page.total = results.total;
    page.capped = results.capped;
    page.results = results
        .hits
        .iter()
        .filter_map(|hit| {
            let s = &hit.story;
            let section = state.sections.by_id(s.section_id)?;
            let published = timefmt::from_unix(s.first_published_at.unwrap_or(0));
            Some(ResultItem {
                href: paths::story(section, &s.slug, s.id),
                headline_html: snippet(&hit.headline_marked, false),
                snippet_html: snippet(&hit.snippet_marked, true),
                section: section.name.clone(),
                published_iso: timefmt::rfc3339(published),
                published_short: timefmt::edition_short_date(published, &edition),
            })
        })
        .collect();
    if !page.results.is_empty() {
        page.first = search.offset() + 1;
        page.last = search.offset() + results.hits.len() as i64;
    }
    if search.page > 1 {
        page.prev_href = Some(page_href(&search_path, &params, search.page - 1));
    }
    if !page.results.is_empty() && page.last < results.total && search.page < search::MAX_PAGE {
        page.next_href = Some(page_href(&search_path, &params, search.page + 1));
    }
    Ok(html(page.render()?, &[keys::ALL_LISTS.to_string()]))
}
