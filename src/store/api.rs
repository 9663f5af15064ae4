//! Queries for the Content API: filtered, cursor-paged story lists and API keys.

use super::public_lists::{and_in, select_public, StorySummary, SUMMARY_SELECT};
use super::{on_pool, Store, StoreError};

/// Filters for the API's story list. Times are Unix seconds.
#[derive(Debug, Clone, Default)]
pub struct ApiQuery {
    pub section_ids: Option<Vec<i64>>,
    /// First published at or after.
    pub from: Option<i64>,
    /// First published before.
    pub to: Option<i64>,
    /// Last updated at or after.
    pub updated_since: Option<i64>,
    /// Continue after this (last_updated, id) position.
    pub after: Option<(i64, i64)>,
    pub limit: i64,
}

/// An API key's settings.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub per_minute: i64,
    pub disabled: i64,
}

impl Store {
    /// Public stories matching `query`, newest update first.
    pub async fn api_stories(
        &self,
        query: &ApiQuery,
        now: i64,
    ) -> Result<Vec<StorySummary>, StoreError> {
        if query.section_ids.as_ref().is_some_and(|ids| ids.is_empty()) {
            return Ok(Vec::new());
        }
        Ok(on_pool!(self, pool => {
            let mut q = select_public(SUMMARY_SELECT, now);
            if let Some(from) = query.from {
                q.push(" AND s.first_published_at >= ").push_bind(from);
            }
            if let Some(to) = query.to {
                q.push(" AND s.first_published_at < ").push_bind(to);
            }
            if let Some(since) = query.updated_since {
                q.push(" AND s.last_updated_at >= ").push_bind(since);
            }
            if let Some((time, id)) = query.after {
                q.push(" AND (s.last_updated_at < ").push_bind(time)
                    .push(" OR (s.last_updated_at = ").push_bind(time)
                    .push(" AND s.id < ").push_bind(id).push("))");
            }
            if let Some(ids) = &query.section_ids {
                and_in(&mut q, "s.section_id", ids);
            }
            q.push(" ORDER BY s.last_updated_at DESC, s.id DESC LIMIT ").push_bind(query.limit);
            q.build_query_as::<StorySummary>().fetch_all(pool).await?
        }))
    }

    pub async fn create_api_key(
        &self,
        name: &str,
        key_hash: &str,
        per_minute: i64,
        now: i64,
    ) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "INSERT INTO api_keys (name, key_hash, per_minute, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        ).bind(name).bind(key_hash).bind(per_minute).bind(now).fetch_one(pool).await?))
    }

    /// Adds this node's API request counts (minute, bucket, requests since the last
    /// call) to the site-wide ones and returns the new totals. PostgreSQL only: a
    /// SQLite site is one node, whose own counts are the whole truth.
    pub async fn share_api_usage(
        &self,
        counts: &[(i64, String, i64)],
        oldest_minute: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        let Store::Postgres(pool) = self else {
            return Ok(Vec::new());
        };
        // The same order on every node, so two nodes' upserts cannot deadlock.
        let mut counts = counts.to_vec();
        counts.sort();
        let (minutes, (buckets, added)): (Vec<i64>, (Vec<String>, Vec<i64>)) = counts
            .into_iter()
            .map(|(minute, bucket, count)| (minute, (bucket, count)))
            .unzip();
        let totals = sqlx::query_as(
            "INSERT INTO api_usage (minute, bucket, count) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[]) \
             ON CONFLICT (minute, bucket) DO UPDATE SET count = api_usage.count + EXCLUDED.count \
             RETURNING minute, bucket, count",
        )
        .bind(&minutes)
        .bind(&buckets)
        .bind(&added)
        .fetch_all(pool)
        .await?;
        sqlx::query("DELETE FROM api_usage WHERE minute < $1")
            .bind(oldest_minute)
            .execute(pool)
            .await?;
        Ok(totals)
    }

    pub async fn api_key(&self, key_hash: &str) -> Result<Option<ApiKey>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name, per_minute, disabled FROM api_keys WHERE key_hash = $1",
        ).bind(key_hash).fetch_optional(pool).await?))
    }
}
