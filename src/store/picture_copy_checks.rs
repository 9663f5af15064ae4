//! The outbox of the CDN's public picture copies (migration 0031): pictures
//! whose copies must be brought in step with visibility, queued by the
//! transaction of the change that may have altered it, closed by the sync that
//! finished them, and otherwise claimed one at a time by the scheduler's retries.

use super::{on_pool, Store, StoreError};

/// The pictures story `$1` shows (lead, body, live posts), published or not.
pub(super) const PICTURES_OF_STORY: &str = "SELECT image_id FROM story_images WHERE story_id = $1 \
     UNION SELECT image_id FROM live_posts WHERE story_id = $1 AND image_id IS NOT NULL \
     ORDER BY 1";

/// Queues a check of picture `$1`'s copies, due at `$2`. One already queued is
/// due again and its generation moves on, so that a sync which read the
/// picture's visibility before this change cannot close it.
pub(super) const QUEUE: &str =
    "INSERT INTO picture_copy_checks (picture_id, due_at, generation) VALUES ($1, $2, 1) \
     ON CONFLICT (picture_id) DO UPDATE SET due_at = excluded.due_at, \
     generation = picture_copy_checks.generation + 1";

/// Inside transaction `$tx`: queues a check, due at `$at`, of every picture the
/// stories `$stories` show, and adds those pictures to the list `$queued`.
macro_rules! queue_copy_checks {
    ($tx:expr, $stories:expr, $at:expr, $queued:expr) => {{
        let mut pictures: Vec<i64> = Vec::new();
        for story in $stories {
            let shown: Vec<i64> =
                sqlx::query_scalar($crate::store::picture_copy_checks::PICTURES_OF_STORY)
                    .bind(story)
                    .fetch_all(&mut *$tx)
                    .await?;
            pictures.extend(shown);
        }
        pictures.sort_unstable();
        pictures.dedup();
        for picture in &pictures {
            sqlx::query($crate::store::picture_copy_checks::QUEUE)
                .bind(picture)
                .bind($at)
                .execute(&mut *$tx)
                .await?;
        }
        let queued: &mut Vec<i64> = &mut $queued;
        queued.extend(pictures);
        queued.sort_unstable();
        queued.dedup();
    }};
}
pub(super) use queue_copy_checks;

impl Store {
    /// The generation of picture `id`'s queued check, if one is queued.
    pub async fn copy_check_generation(&self, id: i64) -> Result<Option<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT generation FROM picture_copy_checks WHERE picture_id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    /// Closes picture `id`'s check if it is still at `generation`; one queued
    /// again since (by a change the sync may not have seen) stays.
    pub async fn finish_copy_check(&self, id: i64, generation: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "DELETE FROM picture_copy_checks WHERE picture_id = $1 AND generation = $2",
        )
        .bind(id)
        .bind(generation)
        .execute(pool)
        .await
        .map(|_| ())?);
        Ok(())
    }

    /// Up to `limit` pictures whose checks are due at `now`, the longest waiting first.
    pub async fn due_copy_checks(&self, now: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT picture_id FROM picture_copy_checks WHERE due_at <= $1 \
             ORDER BY due_at, picture_id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    /// Claims picture `id`'s check until `until` if it is still due at `now`:
    /// of several nodes trying at once exactly one gets it, and if that node
    /// stops before finishing, the check is due again at `until`.
    pub async fn claim_copy_check(
        &self,
        id: i64,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let claimed = on_pool!(self, pool => sqlx::query(
            "UPDATE picture_copy_checks SET due_at = $3 WHERE picture_id = $1 AND due_at <= $2",
        )
        .bind(id)
        .bind(now)
        .bind(until)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(claimed == 1)
    }

    /// Every picture with a check queued, in id order (what an operator or a test looks at).
    pub async fn queued_copy_checks(&self) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT picture_id FROM picture_copy_checks ORDER BY picture_id",
        )
        .fetch_all(pool)
        .await?))
    }
}
