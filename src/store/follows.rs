//! What readers follow (sections, regions, topics), the private feed's token, and the public stories of followed sections (migration 0017).

use super::public_lists::{and_in, select_public, SUMMARY_SELECT};
use super::{on_pool, BeginWrite, Store, StoreError, StorySummary};

/// A topic a reader follows: a search in the search box's language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct FollowedTopic {
    pub id: i64,
    pub topic: String,
    pub created_at: i64,
}

/// Everything one reader follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Following {
    /// Section and region ids, in the order followed.
    pub section_ids: Vec<i64>,
    pub topics: Vec<FollowedTopic>,
}

impl Following {
    pub fn is_empty(&self) -> bool {
        self.section_ids.is_empty() && self.topics.is_empty()
    }
}

/// Whether a topic was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicAdded {
    Added,
    /// The reader already follows it (whatever its case): nothing changed.
    AlreadyFollowed,
    /// The reader follows as many topics as allowed: nothing changed.
    TooMany,
}

impl Store {
    /// What `reader_id` follows.
    pub async fn following(&self, reader_id: i64) -> Result<Following, StoreError> {
        let section_ids: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT section_id FROM reader_followed_sections WHERE reader_id = $1 \
             ORDER BY created_at, section_id",
        ).bind(reader_id).fetch_all(pool).await?);
        let topics: Vec<FollowedTopic> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, topic, created_at FROM reader_topics WHERE reader_id = $1 ORDER BY created_at, id",
        ).bind(reader_id).fetch_all(pool).await?);
        Ok(Following {
            section_ids,
            topics,
        })
    }

    /// Follows a section or region; following it again changes nothing.
    pub async fn follow_section(
        &self,
        reader_id: i64,
        section_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO reader_followed_sections (reader_id, section_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (reader_id, section_id) DO NOTHING",
        ).bind(reader_id).bind(section_id).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn unfollow_section(
        &self,
        reader_id: i64,
        section_id: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "DELETE FROM reader_followed_sections WHERE reader_id = $1 AND section_id = $2",
        ).bind(reader_id).bind(section_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Follows `topic` (already checked by `domain::follow::parse_topic`) unless the
    /// reader follows it or `max` topics already; counted and written in one transaction.
    pub async fn add_topic(
        &self,
        reader_id: i64,
        topic: &str,
        max: usize,
        now: i64,
    ) -> Result<TopicAdded, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let same: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM reader_topics WHERE reader_id = $1 AND lower(topic) = lower($2)",
            ).bind(reader_id).bind(topic).fetch_optional(&mut *tx).await?;
            if same.is_some() {
                return Ok(TopicAdded::AlreadyFollowed);
            }
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reader_topics WHERE reader_id = $1")
                .bind(reader_id).fetch_one(&mut *tx).await?;
            if count >= i64::try_from(max).unwrap_or(i64::MAX) {
                return Ok(TopicAdded::TooMany);
            }
            let inserted = sqlx::query(
                "INSERT INTO reader_topics (reader_id, topic, created_at) VALUES ($1, $2, $3)",
            ).bind(reader_id).bind(topic).bind(now).execute(&mut *tx).await;
            match inserted {
                Ok(_) => {}
                // Two requests at once on PostgreSQL: the unique index keeps one.
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Ok(TopicAdded::AlreadyFollowed)
                }
                Err(e) => return Err(e.into()),
            }
            tx.commit().await?;
            Ok(TopicAdded::Added)
        })
    }

    /// Stops following one of the reader's topics (another reader's id changes nothing).
    pub async fn remove_topic(&self, reader_id: i64, topic_id: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM reader_topics WHERE reader_id = $1 AND id = $2")
            .bind(reader_id).bind(topic_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The newest public stories in `section_ids`, first published at or after
    /// `since` when given (the one visibility rule, `PUBLIC`, as every public list).
    pub async fn public_stories_in(
        &self,
        section_ids: &[i64],
        since: Option<i64>,
        limit: i64,
        now: i64,
    ) -> Result<Vec<StorySummary>, StoreError> {
        if section_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(on_pool!(self, pool => {
            let mut query = select_public(SUMMARY_SELECT, now);
            and_in(&mut query, "s.section_id", section_ids);
            if let Some(since) = since {
                query.push(" AND s.first_published_at >= ").push_bind(since);
            }
            query.push(" ORDER BY s.last_updated_at DESC, s.id DESC LIMIT ").push_bind(limit);
            query.build_query_as::<StorySummary>().fetch_all(pool).await?
        }))
    }

    /// Gives the reader a new private feed address (the SHA-256 of its secret),
    /// replacing any earlier one, which stops working at once.
    pub async fn renew_feed_token(
        &self,
        reader_id: i64,
        token_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO reader_feed_tokens (reader_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (reader_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        ).bind(reader_id).bind(token_hash).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Ends the reader's private feed address.
    pub async fn revoke_feed_token(&self, reader_id: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM reader_feed_tokens WHERE reader_id = $1")
            .bind(reader_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// When the reader's private feed address was made, if they have one.
    pub async fn feed_token_created(&self, reader_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT created_at FROM reader_feed_tokens WHERE reader_id = $1",
        ).bind(reader_id).fetch_optional(pool).await?))
    }

    /// The reader a private feed address belongs to, by the SHA-256 of its secret.
    pub async fn reader_by_feed_token(&self, token_hash: &str) -> Result<Option<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT reader_id FROM reader_feed_tokens WHERE token_hash = $1",
        ).bind(token_hash).fetch_optional(pool).await?))
    }
}
