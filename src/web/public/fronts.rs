//! The front page and section fronts.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{html, moved_permanently};
use crate::domain::front::Front;
use crate::store::StorySummary;
use crate::web::edition::PageEdition;
use crate::web::invalidation::keys;
use crate::web::paths;
use crate::web::reader_pages::Visitor;
use crate::web::views::{Chrome, NavLink, StoryItem};
use crate::web::{AppState, WebError};

/// Stories in each section group on the front page.
const FRONT_GROUP_SIZE: usize = 4;
/// Stories on a section front.
const SECTION_FRONT_SIZE: usize = 25;

pub struct FrontGroup {
    pub slug: String,
    pub name: String,
    pub href: String,
    pub items: Vec<StoryItem>,
}

#[derive(Template)]
#[template(path = "front.html")]
struct FrontTemplate {
    chrome: std::sync::Arc<Chrome>,
    canonical: String,
    top: Option<StoryItem>,
    groups: Vec<FrontGroup>,
}

/// The stories of a front: the editors' placements first, then the newest
/// stories from `section_ids` (all sections when `None`), without repeats.
pub async fn front_stories(
    state: &AppState,
    front: Front,
    section_ids: Option<&[i64]>,
    limit: usize,
) -> Result<Vec<StorySummary>, WebError> {
    let now = state.now();
    let placed = state.store.placements(front, &state.sections).await?;
    let placed = state.store.published_summaries(&placed, now).await?;
    fill_front(state, placed, section_ids, limit, now).await
}

/// `placed` (a front's published placements, in order) followed by the newest
/// stories from `section_ids`, without repeats, `limit` in all.
async fn fill_front(
    state: &AppState,
    mut stories: Vec<StorySummary>,
    section_ids: Option<&[i64]>,
    limit: usize,
    now: i64,
) -> Result<Vec<StorySummary>, WebError> {
    let latest = state
        .store
        .latest_published(section_ids, limit as i64 + stories.len() as i64, now)
        .await?;
    for story in latest {
        if stories.len() >= limit {
            break;
        }
        if !stories.iter().any(|s| s.id == story.id) {
            stories.push(story);
        }
    }
    stories.truncate(limit);
    Ok(stories)
}

pub async fn home(
    State(state): State<AppState>,
    edition: PageEdition,
    visitor: Visitor,
) -> Result<Response, WebError> {
    let now = state.now();
    // The placements of the front page and of every group, and their stories,
    // are read in two queries rather than two for each front.
    let sections: Vec<_> = state.sections.top_level(edition.id).collect();
    let edition_sections: Vec<i64> = state
        .sections
        .of_edition(edition.id)
        .map(|s| s.id)
        .collect();
    let home = Front::Home(edition.id);
    let mut fronts = vec![home];
    fronts.extend(sections.iter().map(|s| Front::Section(s.id)));
    let placements = state.store.placements_of(&fronts, &state.sections).await?;
    let mut placed_ids: Vec<i64> = placements.values().flatten().copied().collect();
    placed_ids.sort_unstable();
    placed_ids.dedup();
    let placed = state.store.published_summaries(&placed_ids, now).await?;
    let placed_on = |front: Front| -> Vec<StorySummary> {
        let ids = placements
            .get(&front)
            .map(Vec::as_slice)
            .unwrap_or_default();
        ids.iter()
            .filter_map(|id| placed.iter().find(|s| s.id == *id).cloned())
            .collect()
    };

    let top = fill_front(&state, placed_on(home), Some(&edition_sections), 1, now)
        .await?
        .into_iter()
        .next();
    let top_id = top.as_ref().map(|s| s.id);
    let mut groups = Vec::new();
    for section in &sections {
        let ids = state.sections.subtree_ids(section.id);
        let stories = fill_front(
            &state,
            placed_on(Front::Section(section.id)),
            Some(&ids),
            FRONT_GROUP_SIZE + 1,
            now,
        )
        .await?;
        let stories: Vec<_> = stories
            .into_iter()
            .filter(|s| Some(s.id) != top_id)
            .take(FRONT_GROUP_SIZE)
            .collect();
        if stories.is_empty() {
            continue;
        }
        groups.push(FrontGroup {
            slug: section.slug.clone(),
            name: section.name.clone(),
            href: paths::section(section),
            items: StoryItem::list(&state, &stories, false),
        });
    }
    let page = FrontTemplate {
        chrome: Chrome::for_visitor(Chrome::new(&state, &edition.0, Some(0)), &visitor),
        canonical: format!("{}{}", state.site.base_url, edition.home()),
        top: top.and_then(|s| StoryItem::new(&state, &s, true)),
        groups,
    };
    // The groups follow their sections' fronts, whose curation drops those keys.
    let mut surrogate_keys = vec![keys::ALL_LISTS.to_string()];
    surrogate_keys.extend(sections.iter().map(|s| keys::section_list(s.id)));
    Ok(html(page.render()?, &surrogate_keys))
}

#[derive(Template)]
#[template(path = "section.html")]
struct SectionTemplate {
    chrome: std::sync::Arc<Chrome>,
    canonical: String,
    name: String,
    children: Vec<NavLink>,
    top: Option<StoryItem>,
    items: Vec<StoryItem>,
}

/// `/news/europe` is a section front; `/news/42` is a story's short address.
pub async fn section_or_story_id(
    State(state): State<AppState>,
    edition: PageEdition,
    visitor: Visitor,
    Path(segment): Path<String>,
) -> Result<Response, WebError> {
    if segment.bytes().all(|b| b.is_ascii_digit()) {
        let id = paths::story_id_from_segment(&segment).ok_or(WebError::NotFound)?;
        let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
        let section = state
            .sections
            .by_id(story.content.section_id)
            .ok_or(WebError::NotFound)?;
        super::article::check_public(&story, state.now())?;
        return Ok(moved_permanently(&paths::story(
            section,
            &story.content.slug,
            story.id,
        )));
    }
    let section = state
        .sections
        .by_slug(edition.id, &segment)
        .ok_or(WebError::NotFound)?
        .clone();
    let ids = state.sections.subtree_ids(section.id);
    let stories = front_stories(
        &state,
        Front::Section(section.id),
        Some(&ids),
        SECTION_FRONT_SIZE,
    )
    .await?;
    let mut items = StoryItem::list(&state, &stories, true).into_iter();
    let top = items.next();
    let page = SectionTemplate {
        chrome: Chrome::for_visitor(Chrome::for_section(&state, section.id), &visitor),
        canonical: format!("{}{}", state.site.base_url, paths::section(&section)),
        name: section.name.clone(),
        children: state
            .sections
            .children(section.id)
            .map(|s| NavLink {
                href: paths::section(s),
                label: s.name.clone(),
                current: false,
            })
            .collect(),
        top,
        items: items.collect(),
    };
    Ok(html(page.render()?, &[keys::section_list(section.id)]))
}
