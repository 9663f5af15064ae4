//! Live pages (migration 0018): each newsroom action on one — start, write,
//! publish, edit, delete, pin, end — as one transaction that re-reads the live
//! page's state under the story's row lock, writes the change and its audit row,
//! and reads back the invalidation-log rows its triggers wrote; and what the
//! public reads of a live page, only while its story is public (`PUBLIC`).

use super::editorial::LOG_END;
use super::picture_copy_checks::queue_copy_checks;
use super::public_lists::PUBLIC;
use super::{keys, on_pool, BeginWrite, Store, StoreError};
use crate::domain::live::{self, Action, PostText, Refusal, State};
use crate::domain::user::Role;

/// A live page: running while `ended_at` is unset.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LivePage {
    pub story_id: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    /// The editor's closing summary ('' while running).
    pub summary: String,
}

/// One post as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LivePost {
    pub id: i64,
    pub story_id: i64,
    /// Its place in publication order on its page; `None` while it waits.
    pub seq: Option<i64>,
    pub body: String,
    pub image_id: Option<i64>,
    pub image_alt: String,
    pub byline: String,
    pub pinned: bool,
    pub created_at: i64,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub author_id: Option<i64>,
    /// The picture's stored size, for its `width` and `height` (0 without one).
    pub image_width: i64,
    pub image_height: i64,
}

/// What the public sees of a live page.
#[derive(Debug, Clone)]
pub struct PublicLivePage {
    pub page: LivePage,
    /// Pinned posts (key points), newest first.
    pub key_points: Vec<LivePost>,
    /// Published posts, newest first (key points among them).
    pub posts: Vec<LivePost>,
}

/// What one action does.
#[derive(Debug, Clone, Copy)]
pub enum LiveEdit<'a> {
    Start,
    /// A new post, published at once when `publish`.
    Add {
        post: &'a PostText,
        publish: bool,
        author_id: Option<i64>,
    },
    Publish {
        post_id: i64,
    },
    Edit {
        post_id: i64,
        post: &'a PostText,
    },
    Delete {
        post_id: i64,
    },
    Pin {
        post_id: i64,
        pinned: bool,
    },
    End {
        summary: &'a str,
    },
}

impl LiveEdit<'_> {
    fn action(&self) -> Action {
        match self {
            LiveEdit::Start => Action::Start,
            LiveEdit::Add { .. } => Action::Write,
            LiveEdit::Publish { .. } => Action::Publish,
            LiveEdit::Edit { .. } => Action::Edit,
            LiveEdit::Delete { .. } => Action::Delete,
            LiveEdit::Pin { .. } => Action::Pin,
            LiveEdit::End { .. } => Action::End,
        }
    }

    fn post_id(&self) -> Option<i64> {
        match *self {
            LiveEdit::Publish { post_id }
            | LiveEdit::Edit { post_id, .. }
            | LiveEdit::Delete { post_id }
            | LiveEdit::Pin { post_id, .. } => Some(post_id),
            _ => None,
        }
    }
}

/// One action on story `story_id`'s live page.
#[derive(Debug, Clone, Copy)]
pub struct LiveChange<'a> {
    pub story_id: i64,
    /// Who acts, for the audit log, and their role, checked inside the transaction.
    pub actor: &'a str,
    pub role: Role,
    pub at: i64,
    pub edit: LiveEdit<'a>,
    /// Public copies of pictures are kept: the pictures the story shows, before
    /// and after, are queued for a check in the same transaction.
    pub check_picture_copies: bool,
}

/// What a committed action did.
#[derive(Debug, Clone, Default)]
pub struct LiveApplied {
    /// The post written or changed.
    pub post_id: Option<i64>,
    /// The surrogate keys the transaction logged, space-separated per log row.
    pub logged: Vec<String>,
    /// The pictures queued for a check of their public copies.
    pub pictures_to_check: Vec<i64>,
}

/// A post's columns and its picture's size; the post table is `p`.
pub(super) const POST: &str =
    "SELECT p.id, p.story_id, p.seq, p.body, p.image_id, p.image_alt, p.byline, \
     (p.pinned = 1) AS pinned, p.created_at, p.published_at, p.updated_at, p.author_id, \
     COALESCE(i.width, 0) AS image_width, COALESCE(i.height, 0) AS image_height \
     FROM live_posts p LEFT JOIN images i ON i.id = p.image_id";

const AUDIT: &str =
    "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)";

/// A post's audit detail: its id and the start of its text.
fn post_detail(post_id: i64, body: &str) -> String {
    let start: String = body.chars().take(80).collect();
    let more = if body.chars().nth(80).is_some() {
        "…"
    } else {
        ""
    };
    format!("post {post_id}: {start}{more}")
}

impl Store {
    /// Runs `change` in one transaction: `Ok(Err(refusal))` when the live page's
    /// state (read under the story's lock) or the role forbids it, with nothing
    /// written; `NotFound` for no such story.
    pub async fn apply_live_change(
        &self,
        change: &LiveChange<'_>,
    ) -> Result<Result<LiveApplied, Refusal>, StoreError> {
        let own_rows = self.own_log_rows_sql();
        let id = change.story_id;
        let at = change.at;
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let before: i64 = sqlx::query_scalar(LOG_END).fetch_one(&mut *tx).await?;
            // Lock the story's row: a kill, or another action on the page, waits for this one.
            let found: Option<i64> = sqlx::query_scalar(
                "UPDATE stories SET revision = revision WHERE id = $1 RETURNING id",
            )
            .bind(id).fetch_optional(&mut *tx).await?;
            found.ok_or(StoreError::NotFound("story"))?;
            let page: Option<(Option<i64>,)> = sqlx::query_as(
                "SELECT ended_at FROM live_pages WHERE story_id = $1",
            )
            .bind(id).fetch_optional(&mut *tx).await?;
            let state = State::of(page.map(|(ended,)| ended));
            if let Err(refusal) = live::check(change.role, state, change.edit.action()) {
                return Ok(Err(refusal));
            }
            if let Some(post_id) = change.edit.post_id() {
                let found: Option<(i64, Option<i64>)> = sqlx::query_as(
                    "SELECT id, published_at FROM live_posts WHERE id = $1 AND story_id = $2 AND deleted_at IS NULL",
                )
                .bind(post_id).bind(id).fetch_optional(&mut *tx).await?;
                match found {
                    None => return Ok(Err(Refusal::NoSuchPost)),
                    // Read under the story's lock: two editors pressing Publish at
                    // once publish it once.
                    Some((_, Some(_))) if matches!(change.edit, LiveEdit::Publish { .. }) => {
                        return Ok(Err(Refusal::AlreadyPublished));
                    }
                    Some(_) => {}
                }
            }
            // The next place in publication order, read under the story's lock.
            let next_seq = "(SELECT COALESCE(MAX(seq), 0) + 1 FROM live_posts WHERE story_id = $2)";
            let mut applied = LiveApplied { post_id: change.edit.post_id(), ..LiveApplied::default() };
            if change.check_picture_copies {
                // What the page shows before the change: an edit may replace a post's picture.
                queue_copy_checks!(tx, [id], at, applied.pictures_to_check);
            }
            let (action, detail) = match change.edit {
                LiveEdit::Start => {
                    sqlx::query("INSERT INTO live_pages (story_id, started_at) VALUES ($1, $2)")
                        .bind(id).bind(at).execute(&mut *tx).await?;
                    ("live page start", String::new())
                }
                LiveEdit::Add { post, publish, author_id } => {
                    let (image_id, alt) = match &post.image {
                        Some((image_id, alt)) => (Some(*image_id), alt.as_str()),
                        None => (None, ""),
                    };
                    let sql = format!(
                        "INSERT INTO live_posts (story_id, body, image_id, image_alt, byline, created_at, updated_at, \
                         published_at, seq, author_id) \
                         VALUES ($2, $3, $4, $5, $6, $1, $1, CASE WHEN $7 = 1 THEN $1 END, \
                         CASE WHEN $7 = 1 THEN {next_seq} END, $8) RETURNING id"
                    );
                    let post_id: i64 = sqlx::query_scalar(&sql)
                        .bind(at).bind(id).bind(&post.body).bind(image_id).bind(alt).bind(&post.byline)
                        .bind(i64::from(publish)).bind(author_id)
                        .fetch_one(&mut *tx).await?;
                    applied.post_id = Some(post_id);
                    let action = if publish { "live post publish" } else { "live post write" };
                    (action, post_detail(post_id, &post.body))
                }
                LiveEdit::Publish { post_id } => {
                    let sql = format!(
                        "UPDATE live_posts SET published_at = $1, updated_at = $1, seq = {next_seq} \
                         WHERE id = $3 AND published_at IS NULL"
                    );
                    sqlx::query(&sql).bind(at).bind(id).bind(post_id).execute(&mut *tx).await?;
                    ("live post publish", format!("post {post_id}"))
                }
                LiveEdit::Edit { post_id, post } => {
                    let (image_id, alt) = match &post.image {
                        Some((image_id, alt)) => (Some(*image_id), alt.as_str()),
                        None => (None, ""),
                    };
                    sqlx::query(
                        "UPDATE live_posts SET body = $2, image_id = $3, image_alt = $4, byline = $5, updated_at = $1 \
                         WHERE id = $6",
                    )
                    .bind(at).bind(&post.body).bind(image_id).bind(alt).bind(&post.byline).bind(post_id)
                    .execute(&mut *tx).await?;
                    ("live post edit", post_detail(post_id, &post.body))
                }
                LiveEdit::Delete { post_id } => {
                    sqlx::query("UPDATE live_posts SET deleted_at = $1, updated_at = $1, pinned = 0 WHERE id = $2")
                        .bind(at).bind(post_id).execute(&mut *tx).await?;
                    ("live post delete", format!("post {post_id}"))
                }
                LiveEdit::Pin { post_id, pinned } => {
                    sqlx::query("UPDATE live_posts SET pinned = $2, updated_at = $1 WHERE id = $3")
                        .bind(at).bind(i64::from(pinned)).bind(post_id).execute(&mut *tx).await?;
                    let action = if pinned { "live post pin" } else { "live post unpin" };
                    (action, format!("post {post_id}"))
                }
                LiveEdit::End { summary } => {
                    sqlx::query("UPDATE live_pages SET ended_at = $2, summary = $3 WHERE story_id = $1")
                        .bind(id).bind(at).bind(summary).execute(&mut *tx).await?;
                    ("live page end", summary.to_string())
                }
            };
            // The change as readers' streams, the public history and the post's
            // revisions see it: the post as it stands now, or the closing summary.
            let kind = action.rsplit(' ').next().unwrap_or(action);
            match applied.post_id {
                Some(post_id) => {
                    sqlx::query(
                        "INSERT INTO live_post_changes (story_id, post_id, kind, body, image_id, image_alt, byline, \
                         pinned, seq, published_at, public, at, actor) \
                         SELECT story_id, id, $1, body, image_id, image_alt, byline, pinned, seq, published_at, \
                         CASE WHEN published_at IS NULL THEN 0 ELSE 1 END, $2, $3 FROM live_posts WHERE id = $4",
                    )
                    .bind(kind).bind(at).bind(change.actor).bind(post_id)
                    .execute(&mut *tx).await?;
                }
                None if matches!(change.edit, LiveEdit::End { .. }) => {
                    sqlx::query(
                        "INSERT INTO live_post_changes (story_id, kind, body, public, at, actor) \
                         VALUES ($1, 'end', $2, 1, $3, $4)",
                    )
                    .bind(id).bind(&detail).bind(at).bind(change.actor)
                    .execute(&mut *tx).await?;
                }
                None => {}
            }
            sqlx::query(AUDIT)
                .bind(at).bind(change.actor).bind(action).bind(format!("story {id}")).bind(&detail)
                .execute(&mut *tx).await?;
            applied.logged = sqlx::query_scalar(own_rows).bind(before).fetch_all(&mut *tx).await?;
            if change.check_picture_copies {
                let logged = keys::stories_logged(&applied.logged);
                queue_copy_checks!(tx, logged, at, applied.pictures_to_check);
            }
            tx.commit().await?;
            Ok(Ok(applied))
        })
    }

    /// Story `story_id`'s live page as the newsroom sees it, whatever the story's state.
    pub async fn live_page(&self, story_id: i64) -> Result<Option<LivePage>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT story_id, started_at, ended_at, summary FROM live_pages WHERE story_id = $1",
        ).bind(story_id).fetch_optional(pool).await?))
    }

    /// Every post of a live page not deleted, waiting ones too, newest written first: the newsroom's list.
    pub async fn live_posts_for_newsroom(
        &self,
        story_id: i64,
    ) -> Result<Vec<LivePost>, StoreError> {
        let sql =
            format!("{POST} WHERE p.story_id = $1 AND p.deleted_at IS NULL ORDER BY p.id DESC");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(story_id).fetch_all(pool).await?))
    }

    /// A live page as the public sees it at `now`: its newest `limit` published
    /// posts and its key points, or `None` when the story is not a public live page.
    pub async fn public_live_page(
        &self,
        story_id: i64,
        now: i64,
        limit: i64,
    ) -> Result<Option<PublicLivePage>, StoreError> {
        let page_sql = format!(
            "SELECT l.story_id, l.started_at, l.ended_at, l.summary FROM live_pages l \
             JOIN stories s ON s.id = l.story_id WHERE l.story_id = $2 AND {PUBLIC}"
        );
        let posts_sql = format!(
            "{POST} WHERE p.story_id = $1 AND p.seq IS NOT NULL AND p.deleted_at IS NULL \
             ORDER BY p.seq DESC LIMIT $2"
        );
        let pinned_sql = format!(
            "{POST} WHERE p.story_id = $1 AND p.seq IS NOT NULL AND p.deleted_at IS NULL AND p.pinned = 1 \
             ORDER BY p.seq DESC"
        );
        on_pool!(self, pool => {
            let page: Option<LivePage> = sqlx::query_as(&page_sql)
                .bind(now).bind(story_id).fetch_optional(pool).await?;
            let Some(page) = page else { return Ok(None) };
            let posts = sqlx::query_as(&posts_sql).bind(story_id).bind(limit).fetch_all(pool).await?;
            let key_points = sqlx::query_as(&pinned_sql).bind(story_id).fetch_all(pool).await?;
            Ok(Some(PublicLivePage { page, key_points, posts }))
        })
    }

    /// The published posts after place `after_seq` on a public live page, oldest
    /// first (at most `limit`), for a reader resuming; `None` when the story is
    /// not a public live page.
    pub async fn public_live_posts_since(
        &self,
        story_id: i64,
        after_seq: i64,
        now: i64,
        limit: i64,
    ) -> Result<Option<Vec<LivePost>>, StoreError> {
        let sql = format!(
            "{POST} JOIN stories s ON s.id = p.story_id JOIN live_pages l ON l.story_id = p.story_id \
             WHERE p.story_id = $2 AND {PUBLIC} AND p.seq > $3 AND p.deleted_at IS NULL \
             ORDER BY p.seq LIMIT $4"
        );
        let public_sql = format!(
            "SELECT s.id FROM stories s JOIN live_pages l ON l.story_id = s.id WHERE s.id = $2 AND {PUBLIC}"
        );
        on_pool!(self, pool => {
            let public: Option<i64> = sqlx::query_scalar(&public_sql)
                .bind(now).bind(story_id).fetch_optional(pool).await?;
            if public.is_none() {
                return Ok(None);
            }
            let posts = sqlx::query_as(&sql)
                .bind(now).bind(story_id).bind(after_seq).bind(limit).fetch_all(pool).await?;
            Ok(Some(posts))
        })
    }
}

/// One change to a live page as readers see it (`live_post_changes`, public rows only).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LiveChangeRow {
    /// The stream's event id.
    pub id: i64,
    pub story_id: i64,
    /// `None` for the end of the live page.
    pub post_id: Option<i64>,
    /// publish, edit, delete, pin, unpin or end.
    pub kind: String,
    /// The post's text after the change (the closing summary for end).
    pub body: String,
    pub image_id: Option<i64>,
    pub image_alt: String,
    pub byline: String,
    pub pinned: bool,
    pub seq: Option<i64>,
    /// When the post was published (`None` for the end).
    pub published_at: Option<i64>,
    /// When the change was made.
    pub at: i64,
    pub image_width: i64,
    pub image_height: i64,
}

/// Whether a reader may open a live page's stream, and from where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStreamState {
    /// No public live page there (not a live page, a draft, embargoed): 404.
    Missing,
    /// Killed: 410.
    Gone,
    /// Public; `last_change` is the newest public change's id (0 for none).
    Running { last_change: i64 },
    /// Public and ended: no more changes will come.
    Ended { last_change: i64 },
}

const CHANGE: &str =
    "SELECT c.id, c.story_id, c.post_id, c.kind, c.body, c.image_id, c.image_alt, c.byline, \
     (c.pinned = 1) AS pinned, c.seq, c.published_at, c.at, \
     COALESCE(i.width, 0) AS image_width, COALESCE(i.height, 0) AS image_height \
     FROM live_post_changes c LEFT JOIN images i ON i.id = c.image_id";

impl Store {
    /// Whether story `story_id` has a live page the public may follow at `now`.
    pub async fn live_stream_state(
        &self,
        story_id: i64,
        now: i64,
    ) -> Result<LiveStreamState, StoreError> {
        let sql = format!(
            "SELECT s.status, CASE WHEN {PUBLIC} THEN 1 ELSE 0 END, \
             CASE WHEN l.story_id IS NULL THEN 0 ELSE 1 END, l.ended_at, \
             (SELECT COALESCE(MAX(c.id), 0) FROM live_post_changes c WHERE c.story_id = s.id AND c.public = 1) \
             FROM stories s LEFT JOIN live_pages l ON l.story_id = s.id WHERE s.id = $2"
        );
        type Row = (String, i32, i32, Option<i64>, i64);
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(now).bind(story_id).fetch_optional(pool).await?
        });
        Ok(match row {
            None => LiveStreamState::Missing,
            Some((status, ..)) if status == "killed" => LiveStreamState::Gone,
            Some((_, public, live, ..)) if public == 0 || live == 0 => LiveStreamState::Missing,
            Some((.., None, last_change)) => LiveStreamState::Running { last_change },
            Some((.., Some(_), last_change)) => LiveStreamState::Ended { last_change },
        })
    }

    /// The public changes to story `story_id`'s live page after event `after`,
    /// oldest first (at most `limit`); `None` when it is not a public live page at `now`.
    pub async fn public_live_changes_since(
        &self,
        story_id: i64,
        after: i64,
        now: i64,
        limit: i64,
    ) -> Result<Option<Vec<LiveChangeRow>>, StoreError> {
        let public_sql = format!(
            "SELECT s.id FROM stories s JOIN live_pages l ON l.story_id = s.id WHERE s.id = $2 AND {PUBLIC}"
        );
        let sql = format!(
            "{CHANGE} WHERE c.story_id = $1 AND c.public = 1 AND c.id > $2 ORDER BY c.id LIMIT $3"
        );
        on_pool!(self, pool => {
            let public: Option<i64> = sqlx::query_scalar(&public_sql)
                .bind(now).bind(story_id).fetch_optional(pool).await?;
            if public.is_none() {
                return Ok(None);
            }
            let changes = sqlx::query_as(&sql)
                .bind(story_id).bind(after).bind(limit).fetch_all(pool).await?;
            Ok(Some(changes))
        })
    }

    /// The live page's public history at `now`, newest first: every change to a
    /// published post and the end. `None` when it is not a public live page.
    pub async fn public_live_history(
        &self,
        story_id: i64,
        now: i64,
        limit: i64,
    ) -> Result<Option<Vec<LiveChangeRow>>, StoreError> {
        let public_sql = format!(
            "SELECT s.id FROM stories s JOIN live_pages l ON l.story_id = s.id WHERE s.id = $2 AND {PUBLIC}"
        );
        let sql =
            format!("{CHANGE} WHERE c.story_id = $1 AND c.public = 1 ORDER BY c.id DESC LIMIT $2");
        on_pool!(self, pool => {
            let public: Option<i64> = sqlx::query_scalar(&public_sql)
                .bind(now).bind(story_id).fetch_optional(pool).await?;
            if public.is_none() {
                return Ok(None);
            }
            Ok(Some(sqlx::query_as(&sql).bind(story_id).bind(limit).fetch_all(pool).await?))
        })
    }

    /// Every revision of one post, waiting ones too, oldest first: the newsroom's view.
    pub async fn live_post_revisions(
        &self,
        post_id: i64,
    ) -> Result<Vec<LiveChangeRow>, StoreError> {
        let sql = format!("{CHANGE} WHERE c.post_id = $1 ORDER BY c.id");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(post_id).fetch_all(pool).await?))
    }
}
