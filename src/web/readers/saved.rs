//! "Save for later": saving a public story from its article page, removing it, and the reader's saved stories at `/account/saved`, newest saved first, public ones only.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use std::sync::Arc;

use super::edition::AccountEdition;
use super::views::{AccountBar, Problem};
use super::{bar, respond, see_other};
use crate::domain::timefmt;
use crate::store::{SaveOutcome, MAX_SAVED_STORIES};
use crate::web::invalidation::{drop_local_copies, keys};
use crate::web::paths;
use crate::web::reader_session::SignedInReader;
use crate::web::views::Chrome;
use crate::web::{AppState, WebError};

/// Saved stories shown on one page.
const PER_PAGE: i64 = 20;

/// One saved story in the list.
pub struct SavedItem {
    pub story_id: i64,
    pub href: String,
    pub headline: String,
    pub summary: String,
    pub section: String,
    pub saved_iso: String,
    pub saved_stamp: String,
}

#[derive(Template)]
#[template(path = "account/saved.html")]
struct SavedPage {
    chrome: Arc<Chrome>,
    bar: AccountBar,
    title: String,
    problems: Vec<Problem>,
    csrf: String,
    items: Vec<SavedItem>,
    total: i64,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<String>,
    done: Option<String>,
}

/// The saving and removing forms: the story, the session's token, and where the
/// form was (`article`, or a page of the saved list).
#[derive(Deserialize, Default)]
pub struct SaveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    story: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    page: String,
}

/// Fixed confirmations the list shows after a redirect (`?done=…`), as message ids.
fn notice(done: Option<&str>) -> Option<&'static str> {
    match done.unwrap_or_default() {
        "removed" => Some("account-notice-story-removed"),
        "saved" => Some("account-notice-story-saved"),
        _ => None,
    }
}

/// A page number as typed: anything but a small positive number is page 1.
fn page_number(typed: Option<&str>) -> i64 {
    typed
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| (1..=MAX_SAVED_STORIES).contains(p))
        .unwrap_or(1)
}

fn list_href(here: &AccountEdition, page: i64) -> String {
    if page > 1 {
        format!("{}?page={page}", here.path("/saved"))
    } else {
        here.path("/saved")
    }
}

/// The saved stories page, with `problem` at the top if there is one.
async fn list_page(
    state: &AppState,
    here: &AccountEdition,
    reader: &SignedInReader,
    page: i64,
    notice: Option<&str>,
    problem: &str,
) -> Result<SavedPage, WebError> {
    let now = state.now();
    let found = state
        .store
        .saved_stories(reader.reader.id, now, PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    let edition = &here.chrome.edition;
    let items = found
        .stories
        .iter()
        .filter_map(|saved| {
            let s = &saved.story;
            let section = state.sections.by_id(s.section_id)?;
            let at = timefmt::from_unix(saved.saved_at);
            Some(SavedItem {
                story_id: s.id,
                href: paths::story(section, &s.slug, s.id),
                headline: s.list_headline().to_string(),
                summary: s.summary.clone(),
                section: section.name.clone(),
                saved_iso: timefmt::rfc3339(at),
                saved_stamp: timefmt::edition_long_stamp(at, edition),
            })
        })
        .collect();
    let problems = if problem.is_empty() {
        Vec::new()
    } else {
        vec![Problem {
            href: String::new(),
            text: problem.to_string(),
        }]
    };
    Ok(SavedPage {
        chrome: Arc::clone(&here.chrome),
        bar: bar(here, Some(reader), notice),
        title: here.t("account-saved-title"),
        problems,
        csrf: reader.csrf.clone(),
        items,
        total: found.total,
        page,
        prev_href: (page > 1).then(|| list_href(here, page - 1)),
        next_href: (page * PER_PAGE < found.total).then(|| list_href(here, page + 1)),
    })
}

/// `GET /account/saved`: the reader's public saved stories, newest saved first.
pub async fn list(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let page = page_number(query.page.as_deref());
    let notice = notice(query.done.as_deref());
    let shown = list_page(&state, &here, &reader, page, notice, "").await?;
    respond(StatusCode::OK, shown, &[])
}

/// A story id as a form sends it.
fn story_id(typed: &str) -> Result<i64, WebError> {
    typed
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(WebError::NotFound)
}

/// The address of public story `id`, or 404: a story that is not public cannot be saved.
async fn public_story(state: &AppState, id: i64) -> Result<String, WebError> {
    let story = state.store.story(id).await?;
    let story = story
        .filter(|s| s.is_public(state.now()))
        .ok_or(WebError::NotFound)?;
    let section = state
        .sections
        .by_id(story.content.section_id)
        .ok_or(WebError::NotFound)?;
    Ok(paths::story(section, &story.content.slug, story.id))
}

/// This node's copies of the reader's session go at once, so the next page shows
/// the change; the other nodes follow the row the store logged.
fn forget_copies(state: &AppState, reader: &SignedInReader) {
    drop_local_copies(state, &[keys::reader(reader.reader.id)]);
}

/// `POST /account/saved`: saves a public story, then back to where the form was.
pub async fn save(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<SaveForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let id = story_id(&form.story)?;
    let article = public_story(&state, id).await?;
    let key = keys::reader(reader.reader.id);
    let outcome = state
        .store
        .save_story(reader.reader.id, id, state.now(), &key)
        .await?;
    forget_copies(&state, &reader);
    if outcome == SaveOutcome::Full {
        let problem = here.t1("account-saved-full", "max", MAX_SAVED_STORIES);
        let shown = list_page(&state, &here, &reader, 1, None, &problem).await?;
        return respond(StatusCode::CONFLICT, shown, &[]);
    }
    Ok(match form.from.as_str() {
        "article" => see_other(&article, "", &[]),
        _ => see_other(&here.path("/saved"), "saved", &[]),
    })
}

/// `POST /account/saved/remove`: removes a story (public or not), then back to
/// the article or the page of the list the form was on.
pub async fn remove(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<SaveForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let id = story_id(&form.story)?;
    let key = keys::reader(reader.reader.id);
    state
        .store
        .remove_saved_story(reader.reader.id, id, &key)
        .await?;
    forget_copies(&state, &reader);
    if form.from == "article" {
        if let Ok(article) = public_story(&state, id).await {
            return Ok(see_other(&article, "", &[]));
        }
    }
    Ok(see_other(
        &list_href(&here, page_number(Some(&form.page))),
        "removed",
        &[],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_small_and_positive() {
        assert_eq!(page_number(None), 1);
        assert_eq!(page_number(Some("3")), 3);
        for bad in ["0", "-1", "x", "99999999999999999999", "1e3"] {
            assert_eq!(page_number(Some(bad)), 1, "{bad}");
        }
    }

    #[test]
    fn notices_are_fixed_texts() {
        assert_eq!(notice(Some("<script>")), None);
        assert_eq!(
            notice(Some("removed")),
            Some("account-notice-story-removed")
        );
    }
}
