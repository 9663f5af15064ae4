//! One newsroom action written as one transaction: the story's change, its
//! revision, its audit rows and its invalidation-log rows commit together or not
//! at all. `editorial` decides what an action changes; this writes it.
//!
//! The log rows come from the triggers of migration 0009 (a story changed in the
//! public's eyes) or from the action itself (curation). Before committing, the
//! transaction reads back the rows it wrote, so the node that made the change
//! can drop its own copies at once, and marks them as its own (on PostgreSQL the
//! connection's `dateline.node` setting does that as they are written), so its
//! follower passes over them.

use super::autosaves::CLEAR_AFTER_SAVE;
use super::imports::write_import_record;
use super::picture_copy_checks::queue_copy_checks;
use super::stories::{insert_revision, write_live_content};
use super::{keys, on_pool, BeginWrite, ImportRecord, NewRevision, Store, StoreError};
use crate::domain::story::{Status, StoryContent};

/// Which story an action is on.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// A story that does not exist yet, created by the action as a draft.
    New { owner_id: Option<i64> },
    /// An existing story. With `expected_revision`, a new text is refused with
    /// `Conflict` when someone else saved since that revision.
    Existing {
        id: i64,
        expected_revision: Option<i64>,
    },
}

/// Making the newest revision public.
#[derive(Debug, Clone, Copy)]
pub struct Publication {
    /// Moves the public "last updated" time (always for a first publication).
    pub significant: bool,
    /// Only when the story is a draft scheduled at or before this time; claiming
    /// the schedule in the transaction makes it happen once however many nodes try.
    pub due_by: Option<i64>,
    /// The times the story was first published and last updated elsewhere (an
    /// imported page's own); otherwise both are the change's time.
    pub own_times: Option<OwnTimes>,
}

/// A story's public times as another system recorded them.
#[derive(Debug, Clone, Copy)]
pub struct OwnTimes {
    /// Kept only by a first publication.
    pub first_published: i64,
    /// Set when the publication is significant.
    pub last_updated: i64,
}

/// A row for the audit log; the subject is the story.
#[derive(Debug, Clone)]
pub struct AuditNote {
    pub action: &'static str,
    pub detail: String,
}

/// Everything one action changes on one story. Unset fields are left alone.
#[derive(Debug, Clone)]
pub struct StoryChange<'a> {
    pub target: Target,
    /// Who acts, for revisions and the audit log.
    pub actor: &'a str,
    pub at: i64,
    /// A new text, saved as the next revision (required for a new story).
    pub text: Option<(&'a StoryContent, &'a str)>,
    pub embargo: Option<Option<i64>>,
    /// With an embargo set (`embargo` is `Some(Some(_))`): the same embargo on
    /// every version of the story in other editions, each with its audit row.
    pub hold_back_versions: bool,
    pub submitted: Option<Option<i64>>,
    pub schedule: Option<Option<i64>>,
    pub publish: Option<Publication>,
    /// Ends an embargo that has passed on a published story; nothing happens
    /// (and `Applied::done` is false) unless it is due at `at`.
    pub end_embargo: bool,
    pub kill: bool,
    pub correction: Option<&'a str>,
    /// An editor's note to the reporter, stored with the story's return to draft.
    pub review_note: Option<ReviewNote<'a>>,
    pub audit: Vec<AuditNote>,
    /// The member of staff whose autosave slot the change empties (their slot on
    /// the story, and on a new story their new-story slot): a save from the editor.
    pub clear_autosave: Option<i64>,
    /// Public copies of pictures are kept (`media_public_url`): the pictures
    /// the changed stories show, before and after, are queued for a check in
    /// the same transaction (`store::picture_copy_checks`).
    pub check_picture_copies: bool,
    /// The importer's record of the page the story came from, written with it
    /// so that an interrupted import finds the story again (`store::imports`).
    pub import: Option<&'a ImportRecord>,
}

/// A review note as written (migration 0021): its text, already checked
/// (`domain::review::note`), and the editor who wrote it.
#[derive(Debug, Clone, Copy)]
pub struct ReviewNote<'a> {
    pub note: &'a str,
    pub author_id: Option<i64>,
    /// The name the note is signed with (the editor's display name).
    pub author_name: &'a str,
}

impl<'a> StoryChange<'a> {
    pub fn new(target: Target, actor: &'a str, at: i64) -> Self {
        StoryChange {
            target,
            actor,
            at,
            text: None,
            embargo: None,
            hold_back_versions: false,
            submitted: None,
            schedule: None,
            publish: None,
            end_embargo: false,
            kill: false,
            correction: None,
            review_note: None,
            audit: Vec::new(),
            clear_autosave: None,
            check_picture_copies: false,
            import: None,
        }
    }
}

/// What a committed action did.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub story_id: i64,
    /// The revision the new text was saved as.
    pub revision: Option<i64>,
    /// False when a claimed condition (a due schedule or embargo) no longer held:
    /// another node did it first, and nothing was written.
    pub done: bool,
    /// The surrogate keys the transaction logged, space-separated per log row.
    pub logged: Vec<String>,
    /// The pictures queued for a check of their public copies (with
    /// `check_picture_copies`), for the node to sync once committed.
    pub pictures_to_check: Vec<i64>,
}

/// A front's or the promos' new order.
pub struct Curation<'a> {
    /// `None` for the site-wide promos; `Some(front)` for a front's placements.
    pub front: Option<&'a str>,
    pub story_ids: &'a [i64],
    /// The surrogate key of what the order shows.
    pub key: &'a str,
    pub actor: &'a str,
    pub detail: String,
    pub at: i64,
}

/// The log's end, read at the start of a write transaction: rows above it that
/// carry this node's name were written by the transaction.
/// Every version of story `$1` in other editions: its group's original and
/// the original's translations, itself left out (as `Store::translations`).
pub(super) const VERSIONS: &str =
    "WITH root AS (SELECT COALESCE((SELECT original_id FROM story_translations \
                                     WHERE translation_id = $1), $1) AS id) \
     SELECT root.id FROM root WHERE root.id <> $1 \
     UNION \
     SELECT t.translation_id FROM story_translations t, root \
     WHERE t.original_id = root.id AND t.translation_id <> $1 \
     ORDER BY 1";

pub(super) const LOG_END: &str = "SELECT COALESCE(MAX(id), 0) FROM invalidations";

impl Store {
    /// Names this transaction's log rows as this node's and returns their keys.
    /// On SQLite the transaction holds the write lock from its start, so every
    /// row above `before` is its own; on PostgreSQL the rows carry the node's
    /// name already and another node's rows are told apart by it.
    pub(super) fn own_log_rows_sql(&self) -> &'static str {
        match self {
            Store::Sqlite(..) => {
                "UPDATE invalidations SET node = (SELECT name FROM temp.dateline_node) \
                 WHERE id > $1 RETURNING keys"
            }
            Store::Postgres(_) => {
                "SELECT keys FROM invalidations WHERE id > $1 \
                 AND node = current_setting('dateline.node', true) ORDER BY id"
            }
        }
    }

    /// Runs `change` in one transaction; see [`StoryChange`].
    pub async fn apply_story_change(
        &self,
        change: &StoryChange<'_>,
    ) -> Result<Applied, StoreError> {
        let own_rows = self.own_log_rows_sql();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let before: i64 = sqlx::query_scalar(LOG_END).fetch_one(&mut *tx).await?;
            let mut applied = Applied { done: true, ..Applied::default() };
            let id = match change.target {
                Target::New { owner_id } => {
                    let (content, action) = change.text.ok_or(StoreError::NotFound("story text"))?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO stories (slug, section_id, status, headline, body, created_at, modified_at, revision, owner_id) \
                         VALUES ($1, $2, 'draft', $3, '', $4, $4, 1, $5) RETURNING id",
                    )
                    .bind(&content.slug)
                    .bind(content.section_id)
                    .bind(&content.headline)
                    .bind(change.at)
                    .bind(owner_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    write_live_content!(tx, id, content, change.at);
                    let rev = NewRevision { content, action, author: change.actor, at: change.at };
                    insert_revision!(tx, id, 1i64, rev);
                    applied.revision = Some(1);
                    id
                }
                Target::Existing { id, expected_revision } => {
                    if let Some((content, action)) = change.text {
                        // Bumping the revision first takes the row's write lock, so two savers serialise here.
                        let current: Option<(i64, String)> = sqlx::query_as(
                            "UPDATE stories SET revision = revision + 1 WHERE id = $1 RETURNING revision, status",
                        )
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                        let (number, status) = current.ok_or(StoreError::NotFound("story"))?;
                        if let Some(expected) = expected_revision {
                            if expected + 1 != number {
                                return Err(StoreError::Conflict { current: number - 1 });
                            }
                        }
                        // A published story's row keeps the live text until the revision is published.
                        if status != Status::Published.as_str() {
                            write_live_content!(tx, id, content, change.at);
                        }
                        let rev = NewRevision { content, action, author: change.actor, at: change.at };
                        insert_revision!(tx, id, number, rev);
                        applied.revision = Some(number);
                    } else {
                        // Lock the row (and learn that it exists) before changing anything.
                        let found: Option<i64> = sqlx::query_scalar(
                            "UPDATE stories SET revision = revision WHERE id = $1 RETURNING id",
                        )
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                        found.ok_or(StoreError::NotFound("story"))?;
                    }
                    if change.check_picture_copies {
                        // What the story shows before the change: an edit may take a picture out.
                        queue_copy_checks!(tx, [id], change.at, applied.pictures_to_check);
                    }
                    id
                }
            };
            applied.story_id = id;
            if change.end_embargo {
                let ended = sqlx::query(
                    "UPDATE stories SET embargo_until = NULL WHERE id = $1 AND status = 'published' \
                     AND embargo_until <= $2",
                )
                .bind(id)
                .bind(change.at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if ended == 0 {
                    return Ok(Applied { story_id: id, done: false, ..Applied::default() });
                }
            }
            if let Some(until) = change.embargo {
                sqlx::query("UPDATE stories SET embargo_until = $2 WHERE id = $1")
                    .bind(id).bind(until).execute(&mut *tx).await?;
            }
            if let (true, Some(Some(until))) = (change.hold_back_versions, change.embargo) {
                let versions: Vec<i64> = sqlx::query_scalar(VERSIONS).bind(id).fetch_all(&mut *tx).await?;
                for version in versions {
                    sqlx::query("UPDATE stories SET embargo_until = $2 WHERE id = $1")
                        .bind(version).bind(until).execute(&mut *tx).await?;
                    sqlx::query(
                        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(change.at).bind(change.actor).bind("embargo")
                    .bind(format!("story {version}")).bind(format!("held back with story {id}"))
                    .execute(&mut *tx).await?;
                }
            }
            if let Some(at) = change.submitted {
                sqlx::query("UPDATE stories SET submitted_at = $2 WHERE id = $1")
                    .bind(id).bind(at).execute(&mut *tx).await?;
            }
            if let Some(at) = change.schedule {
                sqlx::query("UPDATE stories SET scheduled_for = $2 WHERE id = $1")
                    .bind(id).bind(at).execute(&mut *tx).await?;
            }
            if let Some(publication) = change.publish {
                if let Some(due_by) = publication.due_by {
                    let claimed = sqlx::query(
                        "UPDATE stories SET scheduled_for = NULL WHERE id = $1 AND scheduled_for <= $2 AND status = 'draft' \
                         AND (embargo_until IS NULL OR embargo_until <= $2)",
                    )
                    .bind(id)
                    .bind(due_by)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if claimed == 0 {
                        return Ok(Applied { story_id: id, done: false, ..Applied::default() });
                    }
                }
                let newest: Option<(i64, String)> = sqlx::query_as(
                    "SELECT number, content FROM story_revisions WHERE story_id = $1 ORDER BY number DESC LIMIT 1",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let (number, json) = newest.ok_or(StoreError::NotFound("story"))?;
                let content: StoryContent = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                write_live_content!(tx, id, &content, change.at);
                let times = publication.own_times.unwrap_or(OwnTimes {
                    first_published: change.at,
                    last_updated: change.at,
                });
                sqlx::query(
                    "UPDATE stories SET status = 'published', live_revision = $4, submitted_at = NULL, scheduled_for = NULL, \
                     first_published_at = COALESCE(first_published_at, $2), \
                     last_updated_at = CASE WHEN last_updated_at IS NULL OR $3 = 1 THEN $5 ELSE last_updated_at END \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(times.first_published)
                .bind(i64::from(publication.significant))
                .bind(number)
                .bind(times.last_updated)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE story_revisions SET published = 1 WHERE story_id = $1 AND number = $2")
                    .bind(id)
                    .bind(number)
                    .execute(&mut *tx)
                    .await?;
            }
            if change.kill {
                sqlx::query("UPDATE stories SET status = 'killed', scheduled_for = NULL WHERE id = $1")
                    .bind(id).execute(&mut *tx).await?;
            }
            if let Some(text) = change.correction {
                sqlx::query("INSERT INTO corrections (story_id, at, text, author) VALUES ($1, $2, $3, $4)")
                    .bind(id).bind(change.at).bind(text).bind(change.actor).execute(&mut *tx).await?;
            }
            if let Some(note) = change.review_note {
                sqlx::query(
                    "INSERT INTO review_notes (story_id, author_id, author_name, note, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id).bind(note.author_id).bind(note.author_name).bind(note.note).bind(change.at)
                .execute(&mut *tx).await?;
            }
            if let Some(record) = change.import {
                write_import_record!(tx, record, id);
            }
            if let Some(user_id) = change.clear_autosave {
                let created = i64::from(matches!(change.target, Target::New { .. }));
                sqlx::query(CLEAR_AFTER_SAVE).bind(user_id).bind(id).bind(created).execute(&mut *tx).await?;
            }
            let subject = format!("story {id}");
            for note in &change.audit {
                sqlx::query(
                    "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(change.at).bind(change.actor).bind(note.action).bind(&subject).bind(&note.detail)
                .execute(&mut *tx).await?;
            }
            applied.logged = sqlx::query_scalar(own_rows).bind(before).fetch_all(&mut *tx).await?;
            if change.check_picture_copies {
                let logged = keys::stories_logged(&applied.logged);
                queue_copy_checks!(tx, logged, change.at, applied.pictures_to_check);
            }
            tx.commit().await?;
            Ok(applied)
        })
    }

    /// Replaces a front's order or the promos in one transaction with its audit
    /// row and its log row; returns the keys logged.
    pub async fn apply_curation(&self, curation: &Curation<'_>) -> Result<Vec<String>, StoreError> {
        let own_rows = self.own_log_rows_sql();
        let log = self.log_invalidation_sql();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let before: i64 = sqlx::query_scalar(LOG_END).fetch_one(&mut *tx).await?;
            match curation.front {
                Some(front) => {
                    sqlx::query("DELETE FROM front_placements WHERE front = $1").bind(front).execute(&mut *tx).await?;
                    for (position, id) in curation.story_ids.iter().enumerate() {
                        sqlx::query("INSERT INTO front_placements (front, position, story_id) VALUES ($1, $2, $3)")
                            .bind(front).bind(position as i64).bind(*id).execute(&mut *tx).await?;
                    }
                }
                None => {
                    sqlx::query("DELETE FROM promos").execute(&mut *tx).await?;
                    for (position, id) in curation.story_ids.iter().enumerate() {
                        sqlx::query("INSERT INTO promos (position, story_id) VALUES ($1, $2)")
                            .bind(position as i64).bind(*id).execute(&mut *tx).await?;
                    }
                }
            }
            sqlx::query(log).bind(curation.key).execute(&mut *tx).await?;
            let (action, subject) = match curation.front {
                Some(front) => ("curate front", format!("front {front}")),
                None => ("set promos", "site promos".to_string()),
            };
            sqlx::query(
                "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(curation.at).bind(curation.actor).bind(action).bind(&subject).bind(&curation.detail)
            .execute(&mut *tx).await?;
            let logged: Vec<String> = sqlx::query_scalar(own_rows).bind(before).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            Ok(logged)
        })
    }

    /// Published stories whose embargo has passed at `now` but is still set:
    /// the scheduler ends each (and so logs the change) exactly once.
    pub async fn embargoes_due(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        // Run every second: SQLite, left to itself, read every published story's
        // entry of `stories_public_by_id` (a million a second on a big archive)
        // rather than the few of the partial index of embargoes.
        let sql = match self {
            Store::Sqlite(..) => "SELECT id FROM stories INDEXED BY stories_embargoed \
                 WHERE status = 'published' AND embargo_until <= $1 ORDER BY embargo_until",
            Store::Postgres(_) => {
                "SELECT id FROM stories WHERE status = 'published' AND embargo_until <= $1 ORDER BY embargo_until"
            }
        };
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).bind(now).fetch_all(pool).await?))
    }
}
