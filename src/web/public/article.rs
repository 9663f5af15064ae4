//! Article pages, their print views, and each story's public history.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{html, moved_permanently};
use crate::domain::diff;
use crate::domain::markup;
use crate::domain::story::{Status, Story};
use crate::domain::timefmt;
use crate::web::paths;
use crate::web::publishing::keys;
use crate::web::views::{ArticleView, Chrome, DiffView, StoryItem};
use crate::web::{AppState, WebError};

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticleTemplate {
    pub chrome: Chrome,
    pub a: ArticleView,
    pub promos: Vec<StoryItem>,
}

#[derive(Template)]
#[template(path = "print.html")]
struct PrintTemplate {
    chrome: Chrome,
    a: ArticleView,
}

enum Found {
    Story(Box<Story>),
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

/// Finds the public story a path names; any other section or slug redirects to its canonical path.
async fn find(
    state: &AppState,
    section: &str,
    segment: &str,
    suffix: &str,
) -> Result<Found, WebError> {
    let id = paths::story_id_from_segment(segment).ok_or(WebError::NotFound)?;
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    check_public(&story, state.now())?;
    let home = state
        .sections
        .by_id(story.content.section_id)
        .ok_or(WebError::NotFound)?;
    let canonical = paths::story(home, &story.content.slug, story.id);
    if home.slug != section || segment != format!("{}-{}", story.content.slug, story.id) {
        return Ok(Found::Redirect(format!("{canonical}{suffix}")));
    }
    Ok(Found::Story(Box::new(story)))
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

/// The full article page for `story`, with the site-wide promos, and the
/// surrogate keys of every story it shows.
pub async fn render_article(
    state: &AppState,
    story: &Story,
) -> Result<(String, Vec<String>), WebError> {
    let a = article_view(state, story).await?;
    let promos = state.store.promos(state.now()).await?;
    let promos: Vec<_> = promos.into_iter().filter(|p| p.id != story.id).collect();
    let mut surrogate_keys = vec![keys::story(story.id), keys::PROMOS.to_string()];
    surrogate_keys.extend(
        story
            .content
            .related
            .iter()
            .chain(promos.iter().map(|p| &p.id))
            .map(|id| keys::story(*id)),
    );
    let page = ArticleTemplate {
        chrome: Chrome::new(state, Some(story.content.section_id)),
        a,
        promos: StoryItem::list(state, &promos, false),
    };
    Ok((page.render()?, surrogate_keys))
}

pub async fn page(
    State(state): State<AppState>,
    Path((section, segment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    match find(&state, &section, &segment, "").await? {
        Found::Story(story) => {
            let (page, surrogate_keys) = render_article(&state, &story).await?;
            let mut response = html(page, &surrogate_keys);
            if let Some(at) = story.last_updated_at.or(story.first_published_at) {
                if let Ok(value) =
                    axum::http::HeaderValue::from_str(&timefmt::http_date(timefmt::from_unix(at)))
                {
                    response
                        .headers_mut()
                        .insert(axum::http::header::LAST_MODIFIED, value);
                }
            }
            Ok(response)
        }
        Found::Redirect(to) => Ok(moved_permanently(&to)),
    }
}

pub async fn print(
    State(state): State<AppState>,
    Path((section, segment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let story = match find(&state, &section, &segment, "/print").await? {
        Found::Story(story) => story,
        Found::Redirect(to) => return Ok(moved_permanently(&to)),
    };
    let page = PrintTemplate {
        chrome: Chrome::new(&state, Some(story.content.section_id)),
        a: article_view(&state, &story).await?,
    };
    Ok(html(page.render()?, &[keys::story(story.id)]))
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
    chrome: Chrome,
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
    let story = match find(&state, &section, &segment, "/history").await? {
        Found::Story(story) => story,
        Found::Redirect(to) => return Ok(moved_permanently(&to)),
    };
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
