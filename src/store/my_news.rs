//! A reader's "My news": the latest public stories from the sections, regions and topics they follow, gathered once for the My news page, its private feed and the daily e-mail.
//!
//! Only public stories ever appear: sections are read with the public lists'
//! condition (`public_lists::PUBLIC`) and topics through the public search,
//! which applies the same condition.

use std::collections::HashSet;

use super::{Following, SearchFilter, SearchScope, Store, StoreError, StorySummary};
use crate::domain::follow::{followed_section_ids, STORIES_PER_TOPIC, TOPIC_WINDOW_SECONDS};
use crate::domain::search_query;
use crate::domain::section::SectionTree;

impl Store {
    /// Up to `limit` public stories from what `following` names, newest first,
    /// each once. A followed section brings its sub-sections, as its front does.
    /// With `since`, only stories first published then or later (the daily
    /// e-mail's day); without, topics look back [`TOPIC_WINDOW_SECONDS`].
    pub async fn followed_stories(
        &self,
        sections: &SectionTree,
        following: &Following,
        since: Option<i64>,
        limit: usize,
        now: i64,
    ) -> Result<Vec<StorySummary>, StoreError> {
        let section_ids = followed_section_ids(sections, &following.section_ids);
        let limit_sql = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stories = self
            .public_stories_in(&section_ids, since, limit_sql, now)
            .await?;
        let filter = SearchFilter {
            from: Some(since.unwrap_or(now - TOPIC_WINDOW_SECONDS)),
            // A topic is looked for in every edition, as sections are followed in any.
            ..SearchFilter::default()
        };
        for topic in &following.topics {
            // A topic was checked when followed; one that no longer parses finds nothing.
            let Ok(query) = search_query::parse(&topic.topic) else {
                continue;
            };
            let found = self
                .search(
                    &query,
                    SearchScope::Public { now },
                    &filter,
                    STORIES_PER_TOPIC,
                    0,
                )
                .await?;
            stories.extend(found.hits.into_iter().map(|hit| hit.story));
        }
        let mut seen = HashSet::new();
        stories.retain(|s| seen.insert(s.id));
        stories.sort_by_key(|s| std::cmp::Reverse((s.last_updated_at, s.id)));
        stories.truncate(limit);
        Ok(stories)
    }
}
