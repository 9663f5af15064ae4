//! A reader's "My news": the latest public stories from the sections, regions and topics they follow, gathered once for the My news page, its private feed and the daily e-mail.
//!
//! Only public stories ever appear: sections are read with the public lists'
//! condition (`store::public_lists::PUBLIC`) and topics through the public search,
//! which applies the same condition.

use std::collections::HashSet;

use crate::domain::search_query;
use crate::domain::section::SectionTree;
use crate::store::{Following, SearchFilter, SearchScope, Store, StoreError, StorySummary};

/// Stories on the My news page and in its feed.
pub const PAGE_SIZE: usize = 30;
/// How far back a topic's matches are looked for on the page and in the feed:
/// "latest" news, and a topic search that stays within a month of matches.
pub const TOPIC_WINDOW_SECONDS: i64 = 30 * 24 * 60 * 60;
/// Matches taken from each topic: its best among the window's newest.
const PER_TOPIC: i64 = 10;

/// Up to `limit` public stories from what `following` names, newest first, each
/// once. A followed section brings its sub-sections, as its front does. With
/// `since`, only stories first published then or later (the daily e-mail's day);
/// without, topics look back [`TOPIC_WINDOW_SECONDS`].
pub async fn latest(
    store: &Store,
    sections: &SectionTree,
    following: &Following,
    since: Option<i64>,
    limit: usize,
    now: i64,
) -> Result<Vec<StorySummary>, StoreError> {
    let mut section_ids: Vec<i64> = Vec::new();
    for id in &following.section_ids {
        for id in sections.subtree_ids(*id) {
            if !section_ids.contains(&id) {
                section_ids.push(id);
            }
        }
    }
    // Sections that no longer exist have no stories; an empty list asks for none.
    section_ids.retain(|id| sections.by_id(*id).is_some());
    let limit_sql = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stories = store
        .public_stories_in(&section_ids, since, limit_sql, now)
        .await?;
    let filter = SearchFilter {
        section_ids: None,
        from: Some(since.unwrap_or(now - TOPIC_WINDOW_SECONDS)),
        to: None,
    };
    for topic in &following.topics {
        // A topic was checked when followed; one that no longer parses finds nothing.
        let Ok(query) = search_query::parse(&topic.topic) else {
            continue;
        };
        let found = store
            .search(&query, SearchScope::Public { now }, &filter, PER_TOPIC, 0)
            .await?;
        stories.extend(found.hits.into_iter().map(|hit| hit.story));
    }
    let mut seen = HashSet::new();
    stories.retain(|s| seen.insert(s.id));
    stories.sort_by(|a, b| {
        (b.last_updated_at, b.id).cmp(&(a.last_updated_at, a.id))
    });
    stories.truncate(limit);
    Ok(stories)
}
