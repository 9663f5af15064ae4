//! A story's public versions in other editions, as article pages (hreflang links
//! and "Read this in"), the API and the sitemaps name them. A version is named
//! only while the public may see it (`Store::published_summaries`, the rule
//! related stories follow), and everything that names versions carries every
//! version's surrogate key, public or not, so publishing, updating or killing
//! one purges the pages that name it.

use std::collections::HashMap;

use crate::store::{StoreError, StorySummary, TranslationGroup};
use crate::web::invalidation::keys;
use crate::web::{paths, AppState};

/// One public version of a story.
#[derive(Debug, Clone)]
pub struct Version {
    pub story_id: i64,
    /// The edition's BCP 47 tag: `hreflang` and `lang`.
    pub language: String,
    /// The edition's language named in itself: "العربية".
    pub name: String,
    /// `ltr` or `rtl`, for the name's `dir`.
    pub direction: &'static str,
    /// The page's path on this site.
    pub path: String,
    /// The page's absolute URL.
    pub url: String,
    /// The story's absolute URL in the Content API.
    pub api_url: String,
}

/// A story's versions, itself included when public.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    /// The story these are the versions of.
    pub story_id: i64,
    /// Every public version, in the editions' order.
    pub versions: Vec<Version>,
    /// The original's absolute URL while it is public: `hreflang="x-default"`.
    pub x_default: Option<String>,
    /// The surrogate key of every version, public or not.
    pub keys: Vec<String>,
}

impl Translations {
    /// The public versions other than the story itself.
    pub fn others(&self) -> impl Iterator<Item = &Version> {
        self.versions.iter().filter(|v| v.story_id != self.story_id)
    }

    /// Whether another public version exists: only then are alternates named.
    pub fn has_others(&self) -> bool {
        self.others().next().is_some()
    }
}

/// The versions of story `story_id`.
pub async fn of_story(state: &AppState, story_id: i64) -> Result<Translations, StoreError> {
    Ok(of_stories(state, &[story_id])
        .await?
        .remove(&story_id)
        .unwrap_or(Translations {
            story_id,
            ..Translations::default()
        }))
}

/// The versions of each story in `ids` that has any; stories without are left out.
pub async fn of_stories(
    state: &AppState,
    ids: &[i64],
) -> Result<HashMap<i64, Translations>, StoreError> {
    let groups = state.store.translation_groups(ids).await?;
    let members: Vec<i64> = groups
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .collect();
    let public = state
        .store
        .published_summaries(&members, state.now())
        .await?;
    let by_id: HashMap<i64, &StorySummary> = public.iter().map(|s| (s.id, s)).collect();
    let mut found = HashMap::new();
    for group in &groups {
        let versions = of_group(state, group, &by_id);
        for id in group.members.iter().filter(|id| ids.contains(id)) {
            found.insert(
                *id,
                Translations {
                    story_id: *id,
                    ..versions.clone()
                },
            );
        }
    }
    Ok(found)
}

/// The versions of story `story_id` in `group`, its translation group if it
/// has one, given every public story among the group's members in `public`.
pub fn of_story_in(
    state: &AppState,
    story_id: i64,
    group: Option<&TranslationGroup>,
    public: &HashMap<i64, &StorySummary>,
) -> Translations {
    Translations {
        story_id,
        ..group
            .map(|g| of_group(state, g, public))
            .unwrap_or_default()
    }
}

/// The versions of `group` (for its original: callers set `story_id`).
fn of_group(
    state: &AppState,
    group: &TranslationGroup,
    public: &HashMap<i64, &StorySummary>,
) -> Translations {
    let mut versions: Vec<(usize, Version)> = group
        .members
        .iter()
        .filter_map(|id| version(state, public.get(id)?))
        .collect();
    versions.sort_by_key(|(edition_order, v)| (*edition_order, v.story_id));
    let versions: Vec<Version> = versions.into_iter().map(|(_, v)| v).collect();
    let x_default = versions
        .iter()
        .find(|v| v.story_id == group.original)
        .map(|v| v.url.clone());
    Translations {
        story_id: group.original,
        versions,
        x_default,
        keys: group.members.iter().map(|id| keys::story(*id)).collect(),
    }
}

/// A public story as a version, with its edition's place among the editions.
fn version(state: &AppState, story: &StorySummary) -> Option<(usize, Version)> {
    let section = state.sections.by_id(story.section_id)?;
    let (order, edition) = state
        .editions
        .all()
        .iter()
        .enumerate()
        .find(|(_, e)| e.id == section.edition_id)?;
    let base = &state.site.base_url;
    let path = paths::story(section, &story.slug, story.id);
    Some((
        order,
        Version {
            story_id: story.id,
            language: edition.language.clone(),
            name: edition.name.clone(),
            direction: edition.direction.as_str(),
            url: format!("{base}{path}"),
            path,
            api_url: format!("{base}/api/v1/stories/{}", story.id),
        },
    ))
}
