//! Invalidation: when the public site changes, the cached pages, story records
//! and CDN objects that show the change are dropped at once, by surrogate key;
//! the editorial service gets this node's caches here.

use std::sync::Arc;

use super::AppState;
use crate::domain::section::SectionTree;
use crate::editorial::{Editorial, LocalCopies};

/// Surrogate keys: the names cached copies carry and invalidations drop.
pub use crate::store::keys;

/// `keys` as logged (space-separated) with every section's ancestors added: the
/// database's triggers name only the story's own section.
pub fn keys_from_log(sections: &SectionTree, logged: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for key in logged.split(' ').filter(|k| !k.is_empty()) {
        match key
            .strip_prefix("lists-")
            .and_then(|id| id.parse::<i64>().ok())
        {
            Some(section_id) if sections.by_id(section_id).is_some() => {
                add_section_and_ancestors(sections, section_id, &mut keys)
            }
            _ => {
                if !keys.iter().any(|k| k == key) {
                    keys.push(key.to_string());
                }
            }
        }
    }
    keys
}

/// A section's lists include its sub-sections' stories, so every ancestor changes too.
fn add_section_and_ancestors(sections: &SectionTree, section_id: i64, keys: &mut Vec<String>) {
    let mut current = sections.by_id(section_id);
    while let Some(section) = current {
        let key = keys::section_list(section.id);
        if !keys.contains(&key) {
            keys.push(key);
        }
        current = section.parent_id.and_then(|p| sections.by_id(p));
    }
}

/// Drops this node's records and cached pages carrying `keys`.
///
/// Records go first. A page rendered between the two steps would otherwise be
/// built from a record not yet dropped, yet stored under the page cache's new
/// generation, and served stale until the next change to that story.
///
/// Readers' keys name no page or record, only session copies: they go there
/// alone, so that a reader saving a story does not make the page caches start
/// a new generation.
pub fn drop_local_copies(state: &AppState, keys: &[String]) {
    let (readers, pages): (Vec<String>, Vec<String>) = keys
        .iter()
        .cloned()
        .partition(|k| k.starts_with(keys::READER_PREFIX));
    if !readers.is_empty() {
        state.readers.invalidate(&readers);
    }
    if !pages.is_empty() || readers.is_empty() {
        state.records.invalidate(&pages);
        state.cache.invalidate(&pages);
        // Open live pages and the banner learn of the change after the caches dropped it.
        super::live_hub::keys_dropped(state, &pages);
        super::sponsor_book::keys_dropped(state, &pages);
    }
}

/// Drops this node's cached copies carrying `keys`, and asks the configured CDN
/// purge URLs to drop theirs. The other nodes learn of the change from the
/// invalidation log, which the change's own transaction wrote (migration 0009's
/// triggers, or the store call that made it). This node's caches are cleared
/// before this returns; purge requests go out in the background.
pub fn invalidate(state: &AppState, keys: Vec<String>) {
    drop_local_copies(state, &keys);
    if state.purge_urls.is_empty() {
        return;
    }
    let urls = Arc::clone(&state.purge_urls);
    let client = state.http.clone();
    let header = keys.join(" ");
    tokio::spawn(async move {
        for url in urls.iter() {
            let request = client
                .request(
                    reqwest::Method::from_bytes(b"PURGE").unwrap_or(reqwest::Method::POST),
                    url,
                )
                .header("Surrogate-Key", &header)
                .send();
            match request.await {
                Ok(r) if r.status().is_success() => {}
                Ok(r) => tracing::warn!(%url, status = %r.status(), "purge request refused"),
                Err(e) => tracing::warn!(%url, error = %e, "purge request failed"),
            }
        }
    });
}

/// What the editorial service calls once a change has committed: this node's
/// copies of what the change logged go at once, CDN purges in the background.
impl LocalCopies for AppState {
    fn drop_logged(&self, logged: &[String]) {
        let mut keys: Vec<String> = Vec::new();
        for row in logged {
            for key in keys_from_log(&self.sections, row) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        invalidate(self, keys);
    }
}

impl AppState {
    /// The editorial service on this node's store and caches.
    pub fn editorial(&self) -> Editorial<'_> {
        Editorial {
            store: &self.store,
            pictures: &self.pictures,
            copies: self,
            time_zone: &self.site.time_zone,
            sections: &self.sections,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::section::Section;

    #[test]
    fn a_story_change_reaches_its_section_and_ancestors() {
        let section = |id, parent| Section {
            id,
            slug: format!("s{id}"),
            name: String::new(),
            parent_id: parent,
            position: id,
            is_region: false,
            edition_id: 1,
            prefix: String::new(),
        };
        let tree = SectionTree::new(vec![
            section(1, None),
            section(2, Some(1)),
            section(3, None),
        ]);
        assert_eq!(
            keys_from_log(&tree, "story-9 lists lists-2 lists-3"),
            ["story-9", "lists", "lists-2", "lists-1", "lists-3"],
            "a logged change reaches the ancestors too"
        );
        assert_eq!(
            keys_from_log(&tree, "promos lists-77 lists-x"),
            ["promos", "lists-77", "lists-x"],
            "keys the tree does not know are kept as they are"
        );
    }
}
