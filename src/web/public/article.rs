//! Article pages, their print views, and each story's public history.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

use super::{html, moved_permanently};
use crate::domain::diff;
use crate::domain::edition::Edition;
use crate::domain::markup;
use crate::domain::story::{Status, Story};
use crate::domain::timefmt;
use crate::store::StorySummary;
use crate::web::article_page::{
    self, build_view, keep_promos, render_page, ArticleParts, LiveArticle, Promos, PublicArticle,
};
use crate::web::edition::PageEdition;
use crate::web::invalidation::keys;
use crate::web::live_page::{self, apply_to_view, LiveView, POSTS_PER_PAGE};
use crate::web::paths;
use crate::web::reader_pages::Visitor;
use crate::web::sponsor_book::SponsorView;
use crate::web::translations;
use crate::web::views::{ArticleView, Chrome, DiffView};
use crate::web::{AppState, WebError};

#[derive(Template)]
#[template(path = "print.html")]
struct PrintTemplate<'a> {
    chrome: std::sync::Arc<Chrome>,
    a: &'a ArticleView,
    live: Option<&'a LiveView>,
    print: bool,
    /// Only a campaign that allows the print view.
    sponsor: Option<SponsorView>,
}

pub(super) enum Found {
    /// The story, and the promos when building it read them.
    Story(Arc<PublicArticle>, Option<Arc<Promos>>),
    Redirect(String),
}

/// What the public sees of a story at `now`: killed stories are gone; drafts and
/// embargoed stories do not exist.
pub fn check_public(story: &Story, now: i64) -> Result<(), WebError> {
    if story.status == Status::Killed {
        return Err(WebError::Gone);
    }
    if !story.is_public(now) {
        return Err(WebError::NotFound);
    }
    Ok(())
}

/// The public story `id`, from the record cache or built from the database,
/// with the promos when it read them too.
async fn public_article(
    state: &AppState,
    id: i64,
) -> Result<(Arc<PublicArticle>, Option<Arc<Promos>>), WebError> {
    let records = &state.records.articles;
    if let Some(article) = records.get(&id) {
        check_public(&article.story, state.now())?;
        return Ok((article, None));
    }
    let generation = records.generation();
    let promos_generation = state.records.promos.generation();
    let rows = state
        .store
        .article_rows(id)
        .await?
        .ok_or(WebError::NotFound)?;
    check_public(&rows.story, state.now())?;
    let edition = article_page::edition_of(state, &rows.story)?;
    let cached_promos = state.records.promos.get(&edition);
    // Every story the page lists, read together: related stories, versions in
    // other editions and, unless kept, the promos.
    let story = rows.story;
    let group = rows.translations;
    let mut listed = story.content.related.clone();
    listed.extend(group.iter().flat_map(|g| g.members.iter().copied()));
    if cached_promos.is_none() {
        listed.extend(Promos::ids_in(edition, &rows.promos));
    }
    let summaries = state
        .store
        .published_summaries(&listed, state.now())
        .await?;
    let public: HashMap<i64, &StorySummary> = summaries.iter().map(|s| (s.id, s)).collect();
    let parts = ArticleParts {
        picture_sizes: rows.picture_sizes,
        related: story
            .content
            .related
            .iter()
            .filter_map(|id| public.get(id).map(|s| (*s).clone()))
            .collect(),
        corrections: rows.corrections,
        comments: rows.comments,
    };
    let mut view = build_view(state, &story, parts)?;
    let translations = translations::of_story_in(state, story.id, group.as_ref(), &public);
    let promos = match cached_promos {
        Some(promos) => promos,
        None => keep_promos(
            state,
            edition,
            Promos::new(state, edition, &rows.promos, &public),
            promos_generation,
        ),
    };
    // A live page's newest posts: the one query more than an ordinary story's.
    let live = match rows.live {
        Some(head) => {
            let posts = state
                .store
                .live_posts_page(story.id, None, POSTS_PER_PAGE)
                .await?;
            apply_to_view(state, &story, &mut view, &head, &posts.posts);
            let path = path_of(state, &story)?;
            let live = LiveView::new(state, &story, &head, &posts, &path, None);
            Some(LiveArticle { head, view: live })
        }
        None => None,
    };
    let mut keys = std::iter::once(story.id)
        .chain(story.content.related.iter().copied())
        .map(keys::story)
        .collect::<Vec<_>>();
    keys.extend(translations.keys.iter().cloned());
    let article = Arc::new(PublicArticle {
        story,
        view,
        keys,
        live,
        translations,
    });
    records.insert(id, Arc::clone(&article), article.keys.clone(), generation);
    Ok((article, Some(promos)))
}

/// Finds the public story a path names; any other section or slug redirects to its canonical path.
/// A story asked for under another edition's prefix redirects to its own edition.
pub(super) async fn find(
    state: &AppState,
    edition: &Edition,
    section: &str,
    segment: &str,
    suffix: &str,
) -> Result<Found, WebError> {
    let id = paths::story_id_from_segment(segment).ok_or(WebError::NotFound)?;
    let (article, promos) = public_article(state, id).await?;
    let story = &article.story;
    let home = state
        .sections
        .by_id(story.content.section_id)
        .ok_or(WebError::NotFound)?;
    let canonical_segment = paths::story_segment(&story.content.slug, story.id);
    if home.edition_id != edition.id || home.slug != section || segment != canonical_segment {
        let canonical = paths::story(home, &story.content.slug, story.id);
        return Ok(Found::Redirect(format!("{canonical}{suffix}")));
    }
    Ok(Found::Story(article, promos))
}

/// The story's public path.
fn path_of(state: &AppState, story: &Story) -> Result<String, WebError> {
    let home = state
        .sections
        .by_id(story.content.section_id)
        .ok_or(WebError::NotFound)?;
    Ok(paths::story(home, &story.content.slug, story.id))
}

/// An article's query: a live page's older posts are `?before={place}`.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleQuery {
    before: Option<String>,
}

impl ArticleQuery {
    /// The place older posts are listed before; anything else shows the newest.
    fn before(&self) -> Option<i64> {
        self.before
            .as_deref()
            .and_then(|b| b.parse::<i64>().ok())
            .filter(|b| *b > 0)
    }
}

/// How browsers and shared caches keep a running live page.
pub const LIVE_CACHE_CONTROL: &str =
    "public, max-age=0, must-revalidate, s-maxage=3600, stale-if-error=86400";

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    edition: PageEdition,
    Path((section, segment)): Path<(String, String)>,
    Query(query): Query<ArticleQuery>,
) -> Result<Response, WebError> {
    match find(&state, &edition, &section, &segment, "").await? {
        Found::Story(article, promos) => {
            let story = &article.story;
            let older = older_posts(&state, &article, &query).await?;
            let live = older.as_ref().or(article.live.as_ref().map(|l| &l.view));
            let promos = match promos {
                Some(promos) => promos,
                None => {
                    article_page::promos(&state, article_page::edition_of(&state, story)?).await?
                }
            };
            let (page, surrogate_keys) = render_page(
                &state,
                story,
                &article.view,
                live,
                &article.translations,
                &promos,
                &visitor,
            )?;
            // Last-Modified describes the whole page, so the page cache sets it.
            let mut response = html(page, &surrogate_keys);
            if article.live.as_ref().is_some_and(|l| l.view.running) {
                // A running live page changes by the minute: browsers ask again each
                // time (a 304 while nothing changed), so "Show new posts" shows them;
                // shared caches keep it, purged by its key at each change.
                response.headers_mut().insert(
                    axum::http::header::CACHE_CONTROL,
                    axum::http::HeaderValue::from_static(LIVE_CACHE_CONTROL),
                );
            }
            Ok(response)
        }
        Found::Redirect(to) => Ok(moved_permanently(&to)),
    }
}

/// A live page's older posts, when `query` asks for them (`None` for the newest,
/// which the record holds, and for an ordinary story).
async fn older_posts(
    state: &AppState,
    article: &PublicArticle,
    query: &ArticleQuery,
) -> Result<Option<LiveView>, WebError> {
    let (Some(live), Some(before)) = (&article.live, query.before()) else {
        return Ok(None);
    };
    let story = &article.story;
    let posts = state
        .store
        .live_posts_page(story.id, Some(before), POSTS_PER_PAGE)
        .await?;
    let path = path_of(state, story)?;
    Ok(Some(LiveView::new(
        state,
        story,
        &live.head,
        &posts,
        &path,
        Some(before),
    )))
}

/// The print view: a live page's newest posts are in it, its streams and script are not.
pub async fn print(
    State(state): State<AppState>,
    edition: PageEdition,
    Path((section, segment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let article = match find(&state, &edition, &section, &segment, "/print").await? {
        Found::Story(article, _) => article,
        Found::Redirect(to) => return Ok(moved_permanently(&to)),
    };
    let page = PrintTemplate {
        chrome: Chrome::for_section(&state, article.story.content.section_id),
        a: &article.view,
        live: article.live.as_ref().map(|l| &l.view),
        print: true,
        sponsor: state
            .sponsors
            .slot(&state.sections, &article.story, state.now(), true),
    };
    let mut surrogate_keys = article.keys.clone();
    surrogate_keys.push(keys::SPONSORS.to_string());
    Ok(html(page.render()?, &surrogate_keys))
}

/// One published version on the public history page.
pub struct VersionView {
    pub stamp: String,
    pub iso: String,
    pub headline: String,
    pub kind: String,
    /// Changes from the version before; empty for the first.
    pub changes: Vec<DiffView>,
}

pub struct CorrectionItem {
    pub stamp: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "story_history.html")]
struct HistoryTemplate {
    chrome: std::sync::Arc<Chrome>,
    headline: String,
    article_href: String,
    versions: Vec<VersionView>,
    corrections: Vec<CorrectionItem>,
    /// A live page's post changes, newest first, by day (empty for an ordinary story).
    live_days: Vec<live_page::LiveHistoryDay>,
}

/// The readers' history of a story: every published version, corrections, and what changed.
pub async fn history(
    State(state): State<AppState>,
    visitor: Visitor,
    edition: PageEdition,
    Path((section, segment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let article = match find(&state, &edition, &section, &segment, "/history").await? {
        Found::Story(article, _) => article,
        Found::Redirect(to) => return Ok(moved_permanently(&to)),
    };
    let story = &article.story;
    let chrome = Chrome::for_visitor(
        Chrome::for_section(&state, story.content.section_id),
        &visitor,
    );
    let edition = &chrome.edition;
    let published = state.store.published_revisions(story.id).await?;
    let mut versions = Vec::new();
    for (i, rev) in published.iter().enumerate() {
        let at = timefmt::from_unix(rev.at);
        let changes = match i.checked_sub(1).map(|p| &published[p]) {
            Some(before) => vec![
                // Message ids: the template writes them in the edition's language.
                DiffView::new(
                    "history-field-headline",
                    &diff::words(&before.content.headline, &rev.content.headline),
                ),
                DiffView::new(
                    "history-field-summary",
                    &diff::words(&before.content.summary, &rev.content.summary),
                ),
                DiffView::new(
                    "history-field-text",
                    &diff::words(
                        &markup::parse_for_display(&before.content.body).plain_text(),
                        &markup::parse_for_display(&rev.content.body).plain_text(),
                    ),
                ),
            ]
            .into_iter()
            .filter(|d| d.changed)
            .collect(),
            None => Vec::new(),
        };
        versions.push(VersionView {
            stamp: timefmt::edition_long_stamp(at, edition),
            iso: timefmt::rfc3339(at),
            headline: rev.content.headline.clone(),
            kind: chrome.t(match (i, rev.action.as_str()) {
                (0, _) => "history-first-published",
                (_, "minor_update") => "history-minor-correction",
                _ => "history-updated",
            }),
            changes,
        });
    }
    versions.reverse();
    let corrections = state
        .store
        .corrections(story.id)
        .await?
        .into_iter()
        .map(|c| CorrectionItem {
            stamp: timefmt::edition_long_stamp(timefmt::from_unix(c.at), edition),
            text: c.text,
        })
        .collect();
    let live_days = match &article.live {
        Some(_) => {
            let changes = state
                .store
                .public_live_history(story.id, state.now(), live_page::HISTORY_CHANGES)
                .await?
                .ok_or(WebError::NotFound)?;
            live_page::history(&chrome, &changes)
        }
        None => Vec::new(),
    };
    let page = HistoryTemplate {
        chrome,
        headline: story.content.headline.clone(),
        article_href: path_of(&state, story)?,
        versions,
        corrections,
        live_days,
    };
    Ok(html(page.render()?, &[keys::story(story.id)]))
}
