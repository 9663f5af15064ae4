//! Bulk loading for the synthetic archive (`dateline demo --stories N`): many
//! whole stories per transaction in multi-row INSERTs with bound parameters,
//! writing exactly the rows the newsroom's own writes leave behind (the story
//! row mirroring its live revision, every revision as the same JSON snapshot,
//! related stories, links, corrections). Triggers on the tables still fire.

use sqlx::QueryBuilder;

use super::{on_pool, BeginWrite, Store, StoreError};
use crate::domain::story::{Status, StoryContent};

/// Rows per INSERT statement, kept well under both databases' bound-parameter
/// limits (32,766 on SQLite, 65,535 on PostgreSQL).
const STORY_ROWS: usize = 400;
const SMALL_ROWS: usize = 1000;

/// A whole story to insert with an id chosen by the caller.
#[derive(Debug, Clone)]
pub struct BulkStory {
    pub id: i64,
    pub status: Status,
    /// The revision the public sees; the story row mirrors it.
    pub live: StoryContent,
    pub live_revision: i64,
    pub created_at: i64,
    pub modified_at: i64,
    pub first_published_at: i64,
    pub last_updated_at: i64,
    /// Every revision, numbered from 1; the last one's number is the story's revision.
    pub revisions: Vec<BulkRevision>,
    pub corrections: Vec<BulkCorrection>,
}

#[derive(Debug, Clone)]
pub struct BulkRevision {
    pub number: i64,
    pub action: &'static str,
    pub author: &'static str,
    pub at: i64,
    pub published: bool,
    pub content: StoryContent,
}

#[derive(Debug, Clone)]
pub struct BulkCorrection {
    pub at: i64,
    pub text: String,
    pub author: &'static str,
}

/// Rows of the child tables, flattened once so each table is one series of INSERTs.
struct Children<'a> {
    revisions: Vec<(i64, &'a BulkRevision, String)>,
    related: Vec<(i64, i64, i64)>,
    links: Vec<(i64, i64, &'a str, &'a str)>,
    corrections: Vec<(i64, &'a BulkCorrection)>,
    /// (story, picture): the pictures each story's row shows.
    pictures: Vec<(i64, i64)>,
}

fn children(stories: &[BulkStory]) -> Result<Children<'_>, StoreError> {
    let mut c = Children {
        revisions: Vec::new(),
        related: Vec::new(),
        links: Vec::new(),
        corrections: Vec::new(),
        pictures: Vec::new(),
    };
    for s in stories {
        for r in &s.revisions {
            // The same snapshot format as `insert_revision!` in stories.rs.
            let json = serde_json::to_string(&r.content)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            c.revisions.push((s.id, r, json));
        }
        for (position, related) in s.live.related.iter().enumerate() {
            c.related.push((s.id, position as i64, *related));
        }
        for (position, link) in s.live.links.iter().enumerate() {
            c.links.push((
                s.id,
                position as i64,
                link.title.as_str(),
                link.url.as_str(),
            ));
        }
        for correction in &s.corrections {
            c.corrections.push((s.id, correction));
        }
        for picture in s.live.picture_ids() {
            c.pictures.push((s.id, picture));
        }
    }
    Ok(c)
}

impl Store {
    /// Inserts `stories` and everything that hangs off them in one transaction.
    pub async fn bulk_insert(&self, stories: &[BulkStory]) -> Result<(), StoreError> {
        let c = children(stories)?;
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for chunk in stories.chunks(STORY_ROWS) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO stories (id, slug, section_id, status, headline, promo_headline, summary, byline, body, \
                     lead_image_id, lead_image_alt, lead_image_caption, lead_image_credit, first_published_at, \
                     last_updated_at, created_at, modified_at, revision, live_revision) ",
                );
                q.push_values(chunk, |mut row, s| {
                    let image = s.live.lead_image.as_ref();
                    row.push_bind(s.id)
                        .push_bind(s.live.slug.as_str())
                        .push_bind(s.live.section_id)
                        .push_bind(s.status.as_str())
                        .push_bind(s.live.headline.as_str())
                        .push_bind(s.live.promo_headline.as_str())
                        .push_bind(s.live.summary.as_str())
                        .push_bind(s.live.byline.as_str())
                        .push_bind(s.live.body.as_str())
                        .push_bind(image.map(|i| i.image_id))
                        .push_bind(image.map(|i| i.alt.as_str()).unwrap_or(""))
                        .push_bind(image.map(|i| i.caption.as_str()).unwrap_or(""))
                        .push_bind(image.map(|i| i.credit.as_str()).unwrap_or(""))
                        .push_bind(s.first_published_at)
                        .push_bind(s.last_updated_at)
                        .push_bind(s.created_at)
                        .push_bind(s.modified_at)
                        .push_bind(s.revisions.len() as i64)
                        .push_bind(s.live_revision);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in c.revisions.chunks(SMALL_ROWS) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO story_revisions (story_id, number, action, author, created_at, content, published) ",
                );
                q.push_values(chunk, |mut row, (id, r, json)| {
                    row.push_bind(*id)
                        .push_bind(r.number)
                        .push_bind(r.action)
                        .push_bind(r.author)
                        .push_bind(r.at)
                        .push_bind(json.as_str())
                        .push_bind(i64::from(r.published));
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in c.related.chunks(SMALL_ROWS) {
                let mut q = QueryBuilder::new("INSERT INTO story_related (story_id, position, related_id) ");
                q.push_values(chunk, |mut row, (id, position, related)| {
                    row.push_bind(*id).push_bind(*position).push_bind(*related);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in c.links.chunks(SMALL_ROWS) {
                let mut q = QueryBuilder::new("INSERT INTO story_links (story_id, position, title, url) ");
                q.push_values(chunk, |mut row, (id, position, title, url)| {
                    row.push_bind(*id).push_bind(*position).push_bind(*title).push_bind(*url);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in c.corrections.chunks(SMALL_ROWS) {
                let mut q = QueryBuilder::new("INSERT INTO corrections (story_id, at, text, author) ");
                q.push_values(chunk, |mut row, (id, correction)| {
                    row.push_bind(*id)
                        .push_bind(correction.at)
                        .push_bind(correction.text.as_str())
                        .push_bind(correction.author);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in c.pictures.chunks(SMALL_ROWS) {
                let mut q = QueryBuilder::new("INSERT INTO story_images (story_id, image_id) ");
                q.push_values(chunk, |mut row, (id, picture)| {
                    row.push_bind(*id).push_bind(*picture);
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Whether any revision was written by `author` (synthetic stories are marked so).
    pub async fn has_revisions_by(&self, author: &str) -> Result<bool, StoreError> {
        let found: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM story_revisions WHERE author = $1 LIMIT 1) AS found",
        ).bind(author).fetch_one(pool).await?);
        Ok(found > 0)
    }

    /// The highest story id so far (0 when there are none).
    pub async fn max_story_id(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COALESCE(MAX(id), 0) FROM stories",
        ).fetch_one(pool).await?))
    }

    /// Every stored picture's id, in order.
    pub async fn image_ids(&self) -> Result<Vec<i64>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT id FROM images ORDER BY id")
            .fetch_all(pool).await?),
        )
    }

    /// After inserting stories with chosen ids: on PostgreSQL the id sequence
    /// is moved past them (the next story made in the newsroom would otherwise
    /// collide) and the planner's statistics refreshed; SQLite's next rowid is
    /// already MAX(id) + 1.
    pub async fn finish_bulk_insert(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(..) => {}
            Store::Postgres(pool) => {
                sqlx::query(
                    "SELECT setval(pg_get_serial_sequence('stories', 'id'), (SELECT MAX(id) FROM stories))",
                )
                .execute(pool)
                .await?;
                sqlx::query("ANALYZE stories, story_revisions")
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }
}
