//! Linking and unlinking a story's versions in other editions (migration 0022's
//! `story_translations`): each is one transaction that checks the rules on the
//! rows it has locked, writes the link, its audit row and a log row for each of
//! the two stories (`story-<id>`), so two editors linking at once cannot put
//! two versions of one edition in a group.

use super::editorial::LOG_END;
use super::{keys, on_pool, BeginWrite, Store, StoreError};

/// Why a link or unlink was not made; the editorial service words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRefusal {
    /// There is no story with the number given.
    Unknown,
    /// Both stories are in this edition.
    SameEdition(i64),
    /// The two are versions of one story already.
    AlreadyLinked,
    /// This edition already has a version in the group: that story.
    EditionTaken { edition_id: i64, story_id: i64 },
    /// Both stories already have versions of their own, in different groups.
    BothGrouped,
    /// Unlinking two stories that are not versions of each other.
    NotLinked,
}

/// One link or unlink as the editorial service asks for it.
pub struct VersionChange<'a> {
    /// The story whose editor page the action came from.
    pub story_id: i64,
    /// The story to link to it, or to unlink from it.
    pub other_id: i64,
    pub actor: &'a str,
    pub at: i64,
}

const AUDIT: &str =
    "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)";
/// Takes a story's row lock (and says whether it exists) without changing it.
const LOCK: &str = "UPDATE stories SET revision = revision WHERE id = $1 RETURNING id";
const EDITION: &str =
    "SELECT s.edition_id FROM stories st JOIN sections s ON s.id = st.section_id \
                       WHERE st.id = $1";
const ORIGINAL: &str = "SELECT original_id FROM story_translations WHERE translation_id = $1";
const HAS_TRANSLATIONS: &str = "SELECT COUNT(*) FROM story_translations WHERE original_id = $1";
/// Every story of the group whose original is `$1`, with its edition.
const GROUP: &str =
    "SELECT st.id, s.edition_id FROM stories st JOIN sections s ON s.id = st.section_id \
                     WHERE st.id = $1 OR st.id IN (SELECT translation_id FROM story_translations \
                                                   WHERE original_id = $1) ORDER BY st.id";

/// Locks both stories' rows, in id order so that two actions on one pair cannot
/// deadlock, before any rule is read; returns `Unknown` when either is missing.
macro_rules! lock_both {
    ($tx:ident, $story:expr, $other:expr) => {
        for id in [$story.min($other), $story.max($other)] {
            let found: Option<i64> = sqlx::query_scalar(LOCK)
                .bind(id)
                .fetch_optional(&mut *$tx)
                .await?;
            if found.is_none() {
                return Ok(Err(LinkRefusal::Unknown));
            }
        }
    };
}

/// The original of the group `$1` is in, in the transaction `$tx`, and whether it has a group.
macro_rules! group_of {
    ($tx:ident, $id:expr) => {{
        let id: i64 = $id;
        let original: Option<i64> = sqlx::query_scalar(ORIGINAL)
            .bind(id)
            .fetch_optional(&mut *$tx)
            .await?;
        match original {
            Some(original) => (original, true),
            None => {
                let count: i64 = sqlx::query_scalar(HAS_TRANSLATIONS)
                    .bind(id)
                    .fetch_one(&mut *$tx)
                    .await?;
                (id, count > 0)
            }
        }
    }};
}

impl Store {
    /// Links `other_id` and `story_id` as versions of one story: the one without
    /// versions joins the other's group (a translation's group is its
    /// original's); two stories without any make a group whose original is
    /// `story_id`. Returns the keys logged, or why nothing was linked.
    pub async fn link_versions(
        &self,
        change: &VersionChange<'_>,
    ) -> Result<Result<Vec<String>, LinkRefusal>, StoreError> {
        let own_rows = self.own_log_rows_sql();
        let log = self.log_invalidation_sql();
        let (story, other) = (change.story_id, change.other_id);
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let before: i64 = sqlx::query_scalar(LOG_END).fetch_one(&mut *tx).await?;
            lock_both!(tx, story, other);
            let story_edition: Option<i64> = sqlx::query_scalar(EDITION).bind(story).fetch_optional(&mut *tx).await?;
            let other_edition: Option<i64> = sqlx::query_scalar(EDITION).bind(other).fetch_optional(&mut *tx).await?;
            let (Some(story_edition), Some(other_edition)) = (story_edition, other_edition) else {
                return Ok(Err(LinkRefusal::Unknown));
            };
            if story_edition == other_edition {
                return Ok(Err(LinkRefusal::SameEdition(other_edition)));
            }
            let (story_original, story_grouped) = group_of!(tx, story);
            let (other_original, other_grouped) = group_of!(tx, other);
            if story_grouped && other_grouped && story_original == other_original {
                return Ok(Err(LinkRefusal::AlreadyLinked));
            }
            let (joining, joining_edition, original) = match (story_grouped, other_grouped) {
                (_, false) => (other, other_edition, story_original),
                (false, true) => (story, story_edition, other_original),
                (true, true) => return Ok(Err(LinkRefusal::BothGrouped)),
            };
            sqlx::query(LOCK).bind(original).execute(&mut *tx).await?;
            let group: Vec<(i64, i64)> = sqlx::query_as(GROUP).bind(original).fetch_all(&mut *tx).await?;
            if let Some((taken_by, _)) = group.iter().find(|(_, edition)| *edition == joining_edition) {
                return Ok(Err(LinkRefusal::EditionTaken { edition_id: joining_edition, story_id: *taken_by }));
            }
            sqlx::query("INSERT INTO story_translations (translation_id, original_id) VALUES ($1, $2)")
                .bind(joining).bind(original).execute(&mut *tx).await?;
            sqlx::query(AUDIT)
                .bind(change.at).bind(change.actor).bind("link translation")
                .bind(format!("story {story}")).bind(format!("story {other} linked as a version"))
                .execute(&mut *tx).await?;
            for id in [story, other] {
                sqlx::query(log).bind(keys::story(id)).execute(&mut *tx).await?;
            }
            let logged: Vec<String> = sqlx::query_scalar(own_rows).bind(before).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            Ok(Ok(logged))
        })
    }

    /// Takes `other_id` out of `story_id`'s group (or `story_id` out of the
    /// group when `other_id` is its original). Returns the keys logged, or
    /// `NotLinked` when the two are not versions of one story.
    pub async fn unlink_versions(
        &self,
        change: &VersionChange<'_>,
    ) -> Result<Result<Vec<String>, LinkRefusal>, StoreError> {
        let own_rows = self.own_log_rows_sql();
        let log = self.log_invalidation_sql();
        let (story, other) = (change.story_id, change.other_id);
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let before: i64 = sqlx::query_scalar(LOG_END).fetch_one(&mut *tx).await?;
            lock_both!(tx, story, other);
            let (story_original, _) = group_of!(tx, story);
            let (other_original, _) = group_of!(tx, other);
            if story == other || story_original != other_original {
                return Ok(Err(LinkRefusal::NotLinked));
            }
            // The original stays where it is: whichever of the two is not it leaves.
            let leaving = if other == other_original { story } else { other };
            let removed = sqlx::query("DELETE FROM story_translations WHERE translation_id = $1")
                .bind(leaving).execute(&mut *tx).await?.rows_affected();
            if removed == 0 {
                return Ok(Err(LinkRefusal::NotLinked));
            }
            sqlx::query(AUDIT)
                .bind(change.at).bind(change.actor).bind("unlink translation")
                .bind(format!("story {story}")).bind(format!("story {other} no longer a version"))
                .execute(&mut *tx).await?;
            for id in [story, other] {
                sqlx::query(log).bind(keys::story(id)).execute(&mut *tx).await?;
            }
            let logged: Vec<String> = sqlx::query_scalar(own_rows).bind(before).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            Ok(Ok(logged))
        })
    }
}
