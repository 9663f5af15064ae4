//! Editions and their sections (migration 0022).

use super::{on_pool, BeginWrite, Store, StoreError};
use crate::domain::edition::{self, Direction, Edition, ROOT_EDITION};

#[derive(sqlx::FromRow)]
struct EditionRow {
    id: i64,
    key: String,
    language: String,
    direction: String,
    name: String,
    english_name: String,
    prefix: String,
    time_zone: Option<String>,
    site_name: Option<String>,
    locale: String,
    search_config: String,
}

/// An edition to create, already checked (`edition::language_tag`, `url_prefix`, …).
#[derive(Debug, Clone)]
pub struct NewEdition {
    pub key: String,
    pub language: String,
    pub direction: Direction,
    pub name: String,
    pub english_name: String,
    pub prefix: String,
    pub time_zone: String,
    pub site_name: String,
    pub locale: String,
    pub search_config: String,
}

/// A section of a new edition; `parent` is another new section's slug ("" for none).
#[derive(Debug, Clone)]
pub struct NewSection {
    pub slug: String,
    pub name: String,
    pub parent: String,
    pub position: i64,
    pub is_region: bool,
}

impl Store {
    /// Every edition. The English edition's name and zone are the site's own
    /// (`site_name`, `zone_name`); a stored zone that no longer exists is an error.
    pub async fn editions(
        &self,
        site_name: &str,
        zone_name: &str,
    ) -> Result<Vec<Edition>, StoreError> {
        let rows: Vec<EditionRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, key, language, direction, name, english_name, prefix, time_zone, site_name, \
                    locale, search_config FROM editions ORDER BY position, id"
        ).fetch_all(pool).await?);
        rows.into_iter()
            .map(|r| {
                let zone_name = r.time_zone.unwrap_or_else(|| zone_name.to_string());
                let time_zone = edition::zone(&zone_name)
                    .map_err(|e| StoreError::Corrupt(format!("edition {}: {e}", r.key)))?;
                let direction = Direction::parse(&r.direction)
                    .map_err(|e| StoreError::Corrupt(format!("edition {}: {e}", r.key)))?;
                Ok(Edition {
                    id: r.id,
                    key: r.key,
                    language: r.language,
                    direction,
                    name: r.name,
                    english_name: r.english_name,
                    prefix: r.prefix,
                    time_zone,
                    time_zone_name: zone_name,
                    site_name: r.site_name.unwrap_or_else(|| site_name.to_string()),
                    locale: r.locale,
                    search_config: r.search_config,
                })
            })
            .collect()
    }

    /// The slugs of every section and the prefixes of every edition, to refuse a
    /// new edition or section that would take one of them.
    pub async fn section_slugs_and_prefixes(
        &self,
    ) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let slugs: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT DISTINCT slug FROM sections").fetch_all(pool).await?);
        let prefixes: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT prefix FROM editions").fetch_all(pool).await?);
        Ok((slugs, prefixes))
    }

    /// Creates an edition and its sections in one transaction; returns its id.
    /// Parents must come before their children in `sections`.
    pub async fn create_edition(
        &self,
        new: &NewEdition,
        sections: &[NewSection],
    ) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO editions (key, language, direction, name, english_name, prefix, time_zone, \
                                       site_name, locale, search_config, position) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                         (SELECT COALESCE(MAX(position), 0) + 1 FROM editions)) RETURNING id")
                .bind(&new.key)
                .bind(&new.language)
                .bind(new.direction.as_str())
                .bind(&new.name)
                .bind(&new.english_name)
                .bind(&new.prefix)
                .bind(&new.time_zone)
                .bind(&new.site_name)
                .bind(&new.locale)
                .bind(&new.search_config)
                .fetch_one(&mut *tx)
                .await?;
            let mut ids: Vec<(String, i64)> = Vec::new();
            for section in sections {
                let parent = ids.iter().find(|(slug, _)| *slug == section.parent).map(|(_, id)| *id);
                if !section.parent.is_empty() && parent.is_none() {
                    return Err(StoreError::NotFound("parent section"));
                }
                let section_id: i64 = sqlx::query_scalar(
                    "INSERT INTO sections (edition_id, slug, name, parent_id, position, is_region) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                    .bind(id)
                    .bind(&section.slug)
                    .bind(&section.name)
                    .bind(parent)
                    .bind(section.position)
                    .bind(i64::from(section.is_region))
                    .fetch_one(&mut *tx)
                    .await?;
                ids.push((section.slug.clone(), section_id));
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The keys of every edition.
    pub async fn edition_keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT key FROM editions")
            .fetch_all(pool).await?),
        )
    }

    /// Whether an edition with this key exists (the demo loads its editions once).
    pub async fn edition_exists(&self, key: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT id FROM editions WHERE key = $1").bind(key).fetch_optional(pool).await?);
        Ok(found.is_some())
    }

    /// The edition a story belongs to (its section's); the English one for an unknown story.
    pub async fn story_edition(&self, story_id: i64) -> Result<i64, StoreError> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT s.edition_id FROM stories st JOIN sections s ON s.id = st.section_id WHERE st.id = $1")
            .bind(story_id).fetch_optional(pool).await?);
        Ok(found.unwrap_or(ROOT_EDITION))
    }

    /// Every version of a story in other editions (its original and the original's
    /// other translations), by story id; empty when it has none.
    pub async fn translations(&self, story_id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar(super::editorial::VERSIONS)
            .bind(story_id).fetch_all(pool).await?),
        )
    }
}

/// A condition true of story `s` when the member of staff whose id is the
/// parameter `param` works in its edition (every story for one not limited).
pub(super) fn in_editions_of(param: &str) -> String {
    format!(
        "(NOT EXISTS (SELECT 1 FROM staff_editions se WHERE se.user_id = {param}) \
          OR EXISTS (SELECT 1 FROM staff_editions se JOIN sections sx ON sx.edition_id = se.edition_id \
                     WHERE se.user_id = {param} AND sx.id = s.section_id))"
    )
}

impl Store {
    /// The editions a member of staff may work in, by id; empty means every edition.
    pub async fn staff_editions(&self, user_id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT edition_id FROM staff_editions WHERE user_id = $1 ORDER BY edition_id")
            .bind(user_id).fetch_all(pool).await?))
    }

    /// Every limited member of staff's editions, as (user id, edition id), for the accounts page.
    pub async fn all_staff_editions(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT user_id, edition_id FROM staff_editions ORDER BY user_id, edition_id")
            .fetch_all(pool).await?))
    }

    /// Limits a member of staff to `editions` (none: every edition), in one
    /// transaction with its audit row (`subject` names them, `detail` says what changed).
    pub async fn set_staff_editions(
        &self,
        user_id: i64,
        editions: &[i64],
        actor: &str,
        subject: &str,
        detail: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM staff_editions WHERE user_id = $1")
                .bind(user_id).execute(&mut *tx).await?;
            for edition in editions {
                sqlx::query("INSERT INTO staff_editions (user_id, edition_id) VALUES ($1, $2)")
                    .bind(user_id).bind(edition).execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)")
                .bind(at).bind(actor).bind("set editions")
                .bind(subject).bind(detail)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
