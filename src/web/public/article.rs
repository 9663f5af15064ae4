//! Article pages and their print views.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{html, moved_permanently};
use crate::domain::markup;
use crate::domain::story::{Status, Story};
use crate::web::paths;
use crate::web::views::{ArticleView, Chrome, StoryItem};
use crate::web::{AppState, WebError};

#[derive(Template)]
#[template(path = "article.html")]
struct ArticleTemplate {
    chrome: Chrome,
    a: ArticleView,
    promos: Vec<StoryItem>,
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

/// Finds the published story a path names; any other section or slug redirects to its canonical path.
async fn find(
    state: &AppState,
    section: &str,
    segment: &str,
    suffix: &str,
) -> Result<Found, WebError> {
    let id = paths::story_id_from_segment(segment).ok_or(WebError::NotFound)?;
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    match story.status {
        Status::Published => {}
        Status::Killed => return Err(WebError::Gone),
        Status::Draft => return Err(WebError::NotFound),
    }
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

async fn view(state: &AppState, story: &Story) -> Result<ArticleView, WebError> {
    let body = markup::parse_for_display(&story.content.body);
    let image_size = match &story.content.lead_image {
        Some(lead) => state
            .store
            .image_meta(lead.image_id)
            .await?
            .map(|m| (m.width, m.height)),
        None => None,
    };
    let related = state
        .store
        .published_summaries(&story.content.related)
        .await?;
    let related = StoryItem::list(state, &related, false);
    ArticleView::new(state, story, &body, image_size, related).ok_or_else(|| {
        WebError::Internal(anyhow::anyhow!("story {} has an unknown section", story.id))
    })
}

pub async fn page(
    State(state): State<AppState>,
    Path((section, segment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let story = match find(&state, &section, &segment, "").await? {
        Found::Story(story) => story,
        Found::Redirect(to) => return Ok(moved_permanently(&to)),
    };
    let a = view(&state, &story).await?;
    let promos = state.store.promos().await?;
    let promos: Vec<_> = promos.into_iter().filter(|p| p.id != story.id).collect();
    let page = ArticleTemplate {
        chrome: Chrome::new(&state, Some(story.content.section_id)),
        a,
        promos: StoryItem::list(&state, &promos, false),
    };
    Ok(html(page.render()?))
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
        a: view(&state, &story).await?,
    };
    Ok(html(page.render()?))
}
