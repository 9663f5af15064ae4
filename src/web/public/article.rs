//! Article pages, their print views, and each story's public history.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use std::sync::Arc;

use super::{html, moved_permanently};
use crate::domain::diff;
use crate::domain::markup;
use crate::domain::story::{Status, Story};
use crate::domain::timefmt;
use crate::web::paths;
use crate::web::publishing::keys;
use crate::web::records::RecordCache;
use crate::web::views::{ArticleView, Chrome, DiffView, StoryItem};
use crate::web::{AppState, WebError};

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticleTemplate<'a> {
    pub chrome: std::sync::Arc<Chrome>,
    pub a: &'a ArticleView,
    pub promos: Vec<&'a StoryItem>,
}

#[derive(Template)]
#[template(path = "print.html")]
struct PrintTemplate<'a> {
    chrome: std::sync::Arc<Chrome>,
    a: &'a ArticleView,
}

/// A public story with its page built, as kept in the record cache.
pub struct PublicArticle {
    pub story: Story,
    pub view: ArticleView,
    /// The story's own key and those of the related stories it shows.
    pub keys: Vec<String>,
}

/// The site-wide promos as every article shows them.
pub struct Promos {
    items: Vec<(i64, StoryItem)>,
    /// Every configured promo, public or not, so publishing one refreshes the list.
    keys: Vec<String>,
}

/// The public site's record caches.
pub struct Records {
    pub articles: RecordCache<PublicArticle>,
    pub promos: RecordCache<Promos>,
}

/// Stories kept built: enough for every story of the last weeks of a busy site.
const ARTICLE_RECORDS: usize = 20_000;

impl Records {
    pub fn new(enabled: bool) -> Records {
        Records {
            articles: RecordCache::new(enabled, ARTICLE_RECORDS),
            promos: RecordCache::new(enabled, 1),
        }
    }

    /// Drops every record built from any of `keys`.
    pub fn invalidate(&self, keys: &[String]) {
        self.articles.invalidate(keys);
        self.promos.invalidate(keys);
    }

    pub fn clear(&self) {
        self.articles.clear();
        self.promos.clear();
    }
}

enum Found {
    Story(Arc<PublicArticle>),
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

/// The public story `id`, from the record cache or built from the database.
async fn public_article(state: &AppState, id: i64) -> Result<Arc<PublicArticle>, WebError> {
    let records = &state.records.articles;
    if let Some(article) = records.get(id) {
        check_public(&article.story, state.now())?;
        return Ok(article);
    }
    let generation = records.generation();
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    check_public(&story, state.now())?;
    let view = article_view(state, &story).await?;
    let keys = std::iter::once(story.id)
        .chain(story.content.related.iter().copied())
        .map(keys::story)
        .collect::<Vec<_>>();
    let article = Arc::new(PublicArticle { story, view, keys });
    records.insert(id, Arc::clone(&article), article.keys.clone(), generation);
    Ok(article)
}

/// The promos, from the record cache or the database.
async fn promos(state: &AppState) -> Result<Arc<Promos>, WebError> {
    let records = &state.records.promos;
    if let Some(promos) = records.get(0) {
        return Ok(promos);
    }
    let generation = records.generation();
    let ids = state.store.promo_ids().await?;
    let summaries = state.store.published_summaries(&ids, state.now()).await?;
    let items = summaries
        .iter()
        .filter_map(|s| StoryItem::new(state, s, false).map(|item| (s.id, item)))
        .collect();
    let keys = std::iter::once(keys::PROMOS.to_string())
        .chain(ids.iter().map(|id| keys::story(*id)))
        .collect::<Vec<_>>();
    let promos = Arc::new(Promos { items, keys });
    records.insert(0, Arc::clone(&promos), promos.keys.clone(), generation);
    Ok(promos)
}

/// Finds the public story a path names; any other section or slug redirects to its canonical path.
async fn find(
    state: &AppState,
    section: &str,
    segment: &str,
    suffix: &str,
) -> Result<Found, WebError> {
    let id = paths::story_id_from_segment(segment).ok_or(WebError::NotFound)?;
    let article = public_article(state, id).await?;
    let story = &article.story;
    let home = state
        .sections
        .by_id(story.content.section_id)
        .ok_or(WebError::NotFound)?;
    let canonical_segment = paths::story_segment(&story.content.slug, story.id);
    if home.slug != section || segment != canonical_segment {
        let canonical = paths::story(home, &story.content.slug, story.id);
        return Ok(Found::Redirect(format!("{canonical}{suffix}")));
    }
    Ok(Found::Story(article))
}

/// Builds the article view of `story` as it stands (also used by the newsroom's preview).
pub async fn article_view(state: &AppState, story: &Story) -> Result<ArticleView, WebError> {
    let body = markup::parse_for_display(&story.content.body);
    let image_size = state.store.lead_image_size(story).await?;
    let related = state
        .store
        .published_summaries(&story.content.related, state.now())
        .await?;
    let related = StoryItem::list(state, &related, false);
    let corrections = state.store.corrections(story.id).await?;
    ArticleView::new(state, story, &body, image_size, related, &corrections).ok_or_else(|| {
        WebError::Internal(anyhow::anyhow!("story {} has an unknown section", story.id))
    })
}

/// The full article page: `view` of `story` with the site-wide promos, and the
/// surrogate keys of every story it shows.
async fn render_page(
    state: &AppState,
    story: &Story,
    view: &ArticleView,
) -> Result<(String, Vec<String>), WebError> {
    let promos = promos(state).await?;
    let mut surrogate_keys = vec![keys::story(story.id)];
    surrogate_keys.extend(story.content.related.iter().map(|id| keys::story(*id)));
    surrogate_keys.extend(promos.keys.iter().cloned());
    let page = ArticleTemplate {
        chrome: Chrome::new(state, Some(story.content.section_id)),
        a: view,
        promos: promos
            .items
            .iter()
            .filter(|(id, _)| *id != story.id)
            .map(|(_, item)| item)
            .collect(),
    };
    Ok((page.render()?, surrogate_keys))
}

/// The article page for `story` as it stands, never from the record cache (the newsroom's preview).
pub async fn render_article(
    state: &AppState,
    story: &Story,
) -> Result<(String, Vec<String>), WebError> {
    let view = article_view(state, story).await?;
    render_page(state, story, &view).await
}

pub async fn page(
    State(state): State<AppState>,
    Path((section, segment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    match find(&state, &section, &segment, "").await? {
        Found::Story(article) => {
            let story = &article.story;
            let (page, surrogate_keys) = render_page(&state, story, &article.view).await?;
            // Last-Modified describes the whole page, so the page cache sets it.
            Ok(html(page, &surrogate_keys))
        }
        Found::Redirect(to) => Ok(moved_permanently(&to)),
    }
}

pub async fn print(
    State(state): State<AppState>,
    Path((section, segment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let article = match find(&state, &section, &segment, "/print").await? {
        Found::Story(article) => article,
        Found::Redirect(to) => return Ok(moved_permanently(&to)),
    };
    let page = PrintTemplate {
        chrome: Chrome::new(&state, Some(article.story.content.section_id)),
        a: &article.view,
    };
    Ok(html(page.render()?, &article.keys))
}

/// One published version on the public history page.
pub struct VersionView {
    pub stamp: String,
    pub iso: String,
    pub headline: String,
    pub kind: &'static str,
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
}

/// The readers' history of a story: every published version, corrections, and what changed.
pub async fn history(
    State(state): State<AppState>,
    Path((section, segment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let article = match find(&state, &section, &segment, "/history").await? {
        Found::Story(article) => article,
        Found::Redirect(to) => return Ok(moved_permanently(&to)),
    };
    let story = &article.story;
    let tz = &state.site.time_zone;
    let published = state.store.published_revisions(story.id).await?;
    let mut versions = Vec::new();
    for (i, rev) in published.iter().enumerate() {
        let at = timefmt::from_unix(rev.at);
        let changes = match i.checked_sub(1).map(|p| &published[p]) {
            Some(before) => vec![
                DiffView::new(
                    "Headline",
                    &diff::words(&before.content.headline, &rev.content.headline),
                ),
                DiffView::new(
                    "Summary",
                    &diff::words(&before.content.summary, &rev.content.summary),
                ),
                DiffView::new(
                    "Text",
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
            stamp: timefmt::long_stamp(at, tz),
            iso: timefmt::rfc3339(at),
            headline: rev.content.headline.clone(),
            kind: match (i, rev.action.as_str()) {
                (0, _) => "First published",
                (_, "minor_update") => "Minor correction to the text",
                _ => "Updated",
            },
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
            stamp: timefmt::long_stamp(timefmt::from_unix(c.at), tz),
            text: c.text,
        })
        .collect();
    let home = state
        .sections
        .by_id(story.content.section_id)
        .ok_or(WebError::NotFound)?;
    let page = HistoryTemplate {
        chrome: Chrome::new(&state, Some(story.content.section_id)),
        headline: story.content.headline.clone(),
        article_href: paths::story(home, &story.content.slug, story.id),
        versions,
        corrections,
    };
    Ok(html(page.render()?, &[keys::story(story.id)]))
}
