//! A story's translation group (the original and every translation of it, one
//! per edition, from `story_translations`) looked up for many stories at once,
//! as article pages, the API and sitemaps name the other versions.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::QueryBuilder;

use super::{on_pool, Store, StoreError};

/// The versions of one story in several editions, public or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationGroup {
    /// The story the others translate: `x-default` when it is public.
    pub original: i64,
    /// The original, then its translations by id.
    pub members: Vec<i64>,
}

/// Ids bound in one query, well under both databases' limits on parameters.
const CHUNK: usize = 1_000;

impl Store {
    /// The groups of the stories in `ids` that have versions in other editions,
    /// each once, by original id. Stories without translations have no group.
    pub async fn translation_groups(
        &self,
        ids: &[i64],
    ) -> Result<Vec<TranslationGroup>, StoreError> {
        // First each story's original (a story naming none may be one), then
        // every translation of those originals.
        let mut originals = BTreeSet::new();
        for chunk in ids.chunks(CHUNK) {
            let links = self
                .translation_links("translation_id", chunk)
                .await?
                .into_iter()
                .chain(self.translation_links("original_id", chunk).await?);
            originals.extend(links.map(|(_, original)| original));
        }
        let originals: Vec<i64> = originals.into_iter().collect();
        let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for chunk in originals.chunks(CHUNK) {
            for (translation, original) in self.translation_links("original_id", chunk).await? {
                groups.entry(original).or_default().push(translation);
            }
        }
        Ok(groups
            .into_iter()
            .map(|(original, mut translations)| {
                translations.sort_unstable();
                translations.insert(0, original);
                TranslationGroup {
                    original,
                    members: translations,
                }
            })
            .collect())
    }

    /// Rows of `story_translations` (translation, original) whose `column` is in `ids`.
    async fn translation_links(
        &self,
        column: &str,
        ids: &[i64],
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(on_pool!(self, pool => {
            let mut query = QueryBuilder::new(format!(
                "SELECT translation_id, original_id FROM story_translations WHERE {column} IN ("
            ));
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            list.push_unseparated(")");
            query.build_query_as::<(i64, i64)>().fetch_all(pool).await?
        }))
    }
}
