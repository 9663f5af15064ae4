//! What a public live page reads beyond its story: the live page's state is read
//! with the story itself (`Store::article_rows`, so an ordinary story
//! costs no query more), and one page of posts with every key point in one query.

use super::live::{LivePage, LivePost, POST};
use super::{on_pool, Store, StoreError};

/// A story's live page as its public article needs it, read in the story's own query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveHead {
    pub page: LivePage,
    /// The newest public change's id (0 for none): where a reader's stream starts.
    /// Read before the posts, so a change made in between is sent, never lost.
    pub last_change: i64,
}

/// One page of a live page's published posts.
#[derive(Debug, Clone, Default)]
pub struct LivePostsPage {
    /// Newest first, at most the limit asked for.
    pub posts: Vec<LivePost>,
    /// Every pinned post (key point), newest first, on this page or not.
    pub key_points: Vec<LivePost>,
    /// Whether older posts come after the last of `posts`.
    pub more: bool,
}

impl Store {
    /// Story `story_id`'s published posts placed before `before` (every one
    /// when `None`), newest first, at most `limit`, and its key points, in one
    /// query. The caller has already found the story public (this reads posts
    /// whatever the story's state).
    pub async fn live_posts_page(
        &self,
        story_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<LivePostsPage, StoreError> {
        // The newest `limit + 1` posts before `before`, and the pinned posts: the
        // rows before `before`, newest first, begin with the newest posts, since
        // any pinned one among them older than those comes after all of them.
        let sql = format!(
            "{POST} WHERE p.story_id = $1 AND p.seq IS NOT NULL AND p.deleted_at IS NULL \
             AND (p.pinned = 1 OR p.seq IN (SELECT q.seq FROM live_posts q \
             WHERE q.story_id = $1 AND q.seq IS NOT NULL AND q.deleted_at IS NULL AND q.seq < $2 \
             ORDER BY q.seq DESC LIMIT $3)) \
             ORDER BY p.seq DESC"
        );
        let before = before.unwrap_or(i64::MAX);
        let rows: Vec<LivePost> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(story_id).bind(before).bind(limit + 1).fetch_all(pool).await?);
        let key_points = rows.iter().filter(|p| p.pinned).cloned().collect();
        let mut posts: Vec<LivePost> = rows
            .into_iter()
            .filter(|p| p.seq.is_some_and(|seq| seq < before))
            .take(usize::try_from(limit + 1).unwrap_or(usize::MAX))
            .collect();
        let more = posts.len() as i64 > limit;
        posts.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(LivePostsPage {
            posts,
            key_points,
            more,
        })
    }
}
