//! Queries for the Content API: filtered, cursor-paged story lists and API keys.

use super::public_lists::{StorySummary, PUBLIC, SUMMARY_SELECT};
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
        // Parameters: $1 now, $2 limit, $3 from, $4 to, $5 updated_since, $6/$7 cursor, then sections.
        let mut sql = format!(
            "{SUMMARY_SELECT} WHERE {PUBLIC} \
             AND ($3 < 0 OR s.first_published_at >= $3) \
             AND ($4 < 0 OR s.first_published_at < $4) \
             AND ($5 < 0 OR s.last_updated_at >= $5) \
             AND ($7 < 0 OR s.last_updated_at < $6 OR (s.last_updated_at = $6 AND s.id < $7))"
        );
        if let Some(ids) = &query.section_ids {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 8)).collect();
            sql.push_str(&format!(" AND s.section_id IN ({})", marks.join(", ")));
        }
        sql.push_str(" ORDER BY s.last_updated_at DESC, s.id DESC LIMIT $2");
        let (after_time, after_id) = query.after.unwrap_or((-1, -1));
        Ok(on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, StorySummary>(&sql)
                .bind(now)
                .bind(query.limit)
                .bind(query.from.unwrap_or(-1))
                .bind(query.to.unwrap_or(-1))
                .bind(query.updated_since.unwrap_or(-1))
                .bind(after_time)
                .bind(after_id);
            for id in query.section_ids.as_deref().unwrap_or(&[]) {
                q = q.bind(*id);
            }
            q.fetch_all(pool).await?
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
