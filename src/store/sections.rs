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
}

impl Store {
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        let rows: Vec<SectionRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, slug, name, parent_id, position, is_region FROM sections ORDER BY position, id"
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
            })
            .collect())
    }
}
