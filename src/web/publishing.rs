//! What happens after the public site changes: the cache entries and CDN objects
//! that show the changed story are dropped, at once. Also runs the scheduler.

use std::sync::Arc;

use super::AppState;
use crate::domain::section::SectionTree;

/// Surrogate keys, built by handlers and used to invalidate.
pub mod keys {
    pub fn story(id: i64) -> String {
        format!("story-{id}")
    }
    /// Lists of every section: the front page, the site feed, sitemaps, API lists.
    pub const ALL_LISTS: &str = "lists";
    pub fn section_list(section_id: i64) -> String {
        format!("lists-{section_id}")
    }
    /// The site-wide promos shown on every article.
    pub const PROMOS: &str = "promos";
}

/// The keys to drop when a story in `section_ids` (its old and new sections) changes.
pub fn keys_for_story(sections: &SectionTree, story_id: i64, section_ids: &[i64]) -> Vec<String> {
    let mut keys = vec![keys::story(story_id), keys::ALL_LISTS.to_string()];
    for id in section_ids {
        // A section's lists include its sub-sections' stories, so every ancestor changes too.
        let mut current = sections.by_id(*id);
        while let Some(section) = current {
            let key = keys::section_list(section.id);
            if !keys.contains(&key) {
                keys.push(key);
            }
            current = section.parent_id.and_then(|p| sections.by_id(p));
        }
    }
    keys
}

/// Drops cached copies carrying `keys` here, on every other node (through the
/// database's invalidation log), and at the configured CDN purge URLs. This node's
/// caches are cleared before this returns; purge requests go out in the background.
pub async fn invalidate(state: &AppState, keys: Vec<String>) {
    state.cache.invalidate(&keys);
    state.records.invalidate(&keys);
    let joined = keys.join(" ");
    if let Err(e) = state.store.log_invalidation(&joined, state.now()).await {
        tracing::error!(error = %e, ?keys, "could not tell other nodes about a change; will retry every second");
        state.unsent_invalidations.push(joined);
    }
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

/// A story changed in the public's eyes (published, updated, corrected, killed, moved).
pub async fn story_changed(state: &AppState, story_id: i64, section_ids: &[i64]) {
    invalidate(
        state,
        keys_for_story(&state.sections, story_id, section_ids),
    )
    .await;
}

/// Publishes due stories every second and drops what they change from caches.
pub fn spawn_scheduler(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(crate::scheduler::TICK);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match crate::scheduler::publish_due(&state.store, state.now()).await {
                Ok(ids) => {
                    for id in ids {
                        state.metrics.publishes.inc();
                        let section = state
                            .store
                            .story(id)
                            .await
                            .ok()
                            .flatten()
                            .map(|s| s.content.section_id);
                        story_changed(&state, id, &section.into_iter().collect::<Vec<_>>()).await;
                        tracing::info!(id, "published a scheduled story");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "scheduled publishing failed; will retry"),
            }
        }
    })
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
        };
        let tree = SectionTree::new(vec![
            section(1, None),
            section(2, Some(1)),
            section(3, None),
        ]);
        assert_eq!(
            keys_for_story(&tree, 9, &[2, 3]),
            ["story-9", "lists", "lists-2", "lists-1", "lists-3"]
        );
    }
}
