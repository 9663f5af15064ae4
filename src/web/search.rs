//! What the public search page and the API's search share: reading the
//! query string into a parsed query, filters and a page number, with a
//! message for the reader when something cannot be used.

use crate::domain::edition::Edition;
use crate::domain::search_query::{self, QueryError, SearchQuery, MAX_CLAUSES, MAX_QUERY_CHARS};
use crate::domain::text::quoted;
use crate::store::{SearchEdition, SearchFilter};
use crate::web::l10n::{self, SOURCE_LOCALE};
use crate::web::AppState;

/// Results on a public page and the API's default page size.
pub const PAGE_SIZE: i64 = 10;
/// Largest API page.
pub const MAX_PER_PAGE: i64 = 50;
/// Deepest page served: ranked results beyond it are not worth the database's time.
pub const MAX_PAGE: i64 = 50;

/// The search parameters as the reader sent them (echoed back into the form).
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    /// `None` when there was no `q` at all: a bare search page, not an empty search.
    pub q: Option<String>,
    pub section: String,
    pub from: String,
    pub to: String,
    pub page: String,
    pub limit: String,
    /// The API's edition, by its BCP 47 tag (the public page's edition is its path's).
    pub language: String,
    /// Parameters this page does not know, in order.
    pub unknown: Vec<String>,
    /// The first known parameter sent with an empty value (the public form sends
    /// its empty fields; the API refuses them).
    pub first_empty: Option<String>,
}

impl SearchParams {
    pub fn from_query_string(raw: Option<&str>) -> SearchParams {
        let mut params = SearchParams::default();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let value = value.into_owned();
            if value.is_empty() && params.first_empty.is_none() {
                params.first_empty = Some(key.to_string());
            }
            match key.as_ref() {
                "q" => params.q = Some(value),
                "section" => params.section = value,
                "from" => params.from = value,
                "to" => params.to = value,
                "page" => params.page = value,
                "limit" => params.limit = value,
                "language" => params.language = value,
                other => params.unknown.push(other.to_string()),
            }
        }
        params
    }
}

/// A search ready to run.
#[derive(Debug, Clone)]
pub struct Search {
    pub query: SearchQuery,
    pub filter: SearchFilter,
    /// From 1.
    pub page: i64,
    pub per_page: i64,
}

impl Search {
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

/// Why a search cannot run, as a message for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// No words to look for (an empty box): not really an error.
    Empty(String),
    Invalid(String),
}

impl SearchError {
    pub fn message(&self) -> &str {
        match self {
            SearchError::Empty(m) | SearchError::Invalid(m) => m,
        }
    }
}

/// How the `from` and `to` dates are read.
#[derive(Debug, Clone, Copy)]
pub enum DateRule {
    /// The public page: plain dates in the site's time zone, `to` including its day.
    SiteDays,
    /// The API, like its story list: midnight UTC or RFC 3339, `to` exclusive.
    ApiTimes,
}

/// A date (`2026-11-29`, midnight UTC) or an RFC 3339 time, as Unix seconds, or a
/// message saying what is wrong (the API's story list and its search both read times so).
pub fn api_time(name: &str, value: &str) -> Result<i64, String> {
    if let Ok(ts) = value.parse::<jiff::Timestamp>() {
        return Ok(ts.as_second());
    }
    if let Ok(date) = value.parse::<jiff::civil::Date>() {
        if let Ok(zoned) = date.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(zoned.timestamp().as_second());
        }
    }
    Err(format!(
        "{name} must be a date (2026-11-29) or an RFC 3339 time (2026-11-29T15:04:00Z), not {}",
        quoted(value)
    ))
}

/// A date of the public form (in the edition's zone, `to` including its day) or
/// of the API (see [`api_time`]).
fn parse_date(
    edition: &Edition,
    words: &Words<'_>,
    name: &'static str,
    value: &str,
    rule: DateRule,
) -> Result<i64, String> {
    let value = value.trim();
    match rule {
        DateRule::ApiTimes => api_time(name, value),
        DateRule::SiteDays => {
            let field = words.say(&format!("search-field-{name}"), &[]);
            let date: jiff::civil::Date = value.parse().map_err(|_| {
                words.say(
                    "search-error-date",
                    &[("field", field), ("value", value.into())],
                )
            })?;
            let out_of_range = |_| words.say("search-error-date-range", &[]);
            let day = if name == "to" {
                date.tomorrow().map_err(out_of_range)?
            } else {
                date
            };
            day.to_zoned(edition.time_zone.clone())
                .map(|z| z.timestamp().as_second())
                .map_err(out_of_range)
        }
    }
}

/// The language a search's problems are told in: the public page's edition's;
/// the API answers developers in English whatever edition it searches.
struct Words<'a>(&'a str);

impl Words<'_> {
    fn for_surface(edition: &Edition, rule: DateRule) -> Words<'_> {
        match rule {
            DateRule::SiteDays => Words(&edition.locale),
            DateRule::ApiTimes => Words(SOURCE_LOCALE),
        }
    }

    fn say(&self, id: &str, args: &[(&'static str, String)]) -> String {
        let mut fluent = fluent_bundle::FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, l10n::Arg::value(value));
        }
        l10n::message(self.0, id, &fluent)
    }

    fn query_problem(&self, e: QueryError) -> String {
        let max = |n: usize| vec![("max", n.to_string())];
        match e {
            QueryError::Empty => self.say("search-error-empty", &[]),
            QueryError::TooLong => self.say("search-error-too-long", &max(MAX_QUERY_CHARS)),
            QueryError::TooManyClauses => self.say("search-error-too-many", &max(MAX_CLAUSES)),
            QueryError::UnclosedQuote => self.say("search-error-unclosed-quote", &[]),
            QueryError::OnlyExclusions => self.say("search-error-only-exclusions", &[]),
        }
    }
}

fn whole_number(name: &str, value: &str, max: i64) -> Result<i64, String> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| format!("{name} must be a whole number from 1 to {max}."))
}

/// Checks the parameters of a search in the English edition (the newsroom's,
/// which uses the words and the page only).
pub fn prepare(
    state: &AppState,
    params: &SearchParams,
    rule: DateRule,
) -> Result<Search, SearchError> {
    prepare_in(state, state.editions.root(), params, rule)
}

/// Checks the parameters of a search in `edition`, which finds only that
/// edition's stories; the filters are empty strings when not given.
pub fn prepare_in(
    state: &AppState,
    edition: &Edition,
    params: &SearchParams,
    rule: DateRule,
) -> Result<Search, SearchError> {
    let words = Words::for_surface(edition, rule);
    let query = search_query::parse(params.q.as_deref().unwrap_or("")).map_err(|e| match e {
        QueryError::Empty => SearchError::Empty(words.query_problem(e)),
        _ => SearchError::Invalid(words.query_problem(e)),
    })?;
    let invalid = SearchError::Invalid;
    let mut filter = SearchFilter {
        edition: Some(SearchEdition {
            id: edition.id,
            config: edition.search_config.clone(),
        }),
        ..SearchFilter::default()
    };
    if !params.section.is_empty() {
        let section = state
            .sections
            .by_slug(edition.id, &params.section)
            .ok_or_else(|| {
                invalid(words.say(
                    "search-error-no-section",
                    &[("section", params.section.clone())],
                ))
            })?;
        filter.section_ids = Some(state.sections.subtree_ids(section.id));
    }
    if !params.from.trim().is_empty() {
        filter.from =
            Some(parse_date(edition, &words, "from", &params.from, rule).map_err(invalid)?);
    }
    if !params.to.trim().is_empty() {
        filter.to = Some(parse_date(edition, &words, "to", &params.to, rule).map_err(invalid)?);
    }
    let page = if params.page.is_empty() {
        1
    } else {
        let page = whole_number("page", &params.page, MAX_PAGE);
        page.map_err(|_| invalid(words.say("search-error-page", &[("max", MAX_PAGE.to_string())])))?
    };
    let per_page = if params.limit.is_empty() {
        PAGE_SIZE
    } else {
        whole_number("limit", &params.limit, MAX_PER_PAGE).map_err(invalid)?
    };
    Ok(Search {
        query,
        filter,
        page,
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deepest_public_page_ends_where_the_ranked_window_does() {
        // Pages past the window would be empty; a window past the pages ranks
        // rows no reader can reach.
        assert_eq!(MAX_PAGE * PAGE_SIZE, crate::store::RANKED_WINDOW);
    }
}
