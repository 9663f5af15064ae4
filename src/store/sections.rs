//! Reading sections.

use super::{on_pool, Store, StoreError};
use crate::domain::section::Section;

#[derive(sqlx::FromRow)]
struct SectionRow {
    id: i64,
    slug: String,
    name: String,
    parent_id: Option<i64>,
    position: i64,
    is_region: i64,
    edition_id: i64,
    prefix: String,
}

impl Store {
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        let rows: Vec<SectionRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT s.id, s.slug, s.name, s.parent_id, s.position, s.is_region, s.edition_id, e.prefix \
             FROM sections s JOIN editions e ON e.id = s.edition_id ORDER BY s.position, s.id"
        ).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|r| Section {
                id: r.id,
                slug: r.slug,
                name: r.name,
                parent_id: r.parent_id,
                position: r.position,
                is_region: r.is_region != 0,
                edition_id: r.edition_id,
                prefix: r.prefix,
            })
            .collect())
    }
}
