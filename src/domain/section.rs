//! Sections and regions: the hierarchy stories are filed under (World → Europe, …).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub position: i64,
    /// Regions form the regional navigation at the foot of every page.
    pub is_region: bool,
    /// The edition the section belongs to (`edition::ROOT_EDITION` for English).
    pub edition_id: i64,
    /// That edition's URL prefix ("" or "/arabic"), so that paths need no lookup.
    pub prefix: String,
}

/// All sections, in display order, with the lookups pages need.
#[derive(Debug, Clone, Default)]
pub struct SectionTree {
    sections: Vec<Section>,
}

impl SectionTree {
    pub fn new(mut sections: Vec<Section>) -> Self {
        sections.sort_by_key(|s| (s.position, s.id));
        Self { sections }
    }

    pub fn all(&self) -> &[Section] {
        &self.sections
    }

    pub fn by_id(&self, id: i64) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The section of `edition` with this slug (slugs are unique within an edition).
    pub fn by_slug(&self, edition: i64, slug: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.edition_id == edition && s.slug == slug)
    }

    /// The sections of one edition.
    pub fn of_edition(&self, edition: i64) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(move |s| s.edition_id == edition)
    }

    /// An edition's sections with no parent, for its main navigation.
    pub fn top_level(&self, edition: i64) -> impl Iterator<Item = &Section> {
        self.of_edition(edition).filter(|s| s.parent_id.is_none())
    }

    pub fn children(&self, id: i64) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(move |s| s.parent_id == Some(id))
    }

    /// An edition's regions, for its regional navigation.
    pub fn regions(&self, edition: i64) -> impl Iterator<Item = &Section> {
        self.of_edition(edition).filter(|s| s.is_region)
    }

    /// The section and all its descendants, for a front that gathers its children's stories.
    pub fn subtree_ids(&self, id: i64) -> Vec<i64> {
        let mut ids = vec![id];
        let mut i = 0;
        while i < ids.len() {
            let parent = ids[i];
            ids.extend(self.children(parent).map(|s| s.id));
            i += 1;
        }
        ids
    }

    /// The top-level ancestor of a section (itself when it has no parent).
    pub fn root_of(&self, id: i64) -> Option<&Section> {
        let mut current = self.by_id(id)?;
        for _ in 0..self.sections.len() {
            match current.parent_id.and_then(|p| self.by_id(p)) {
                Some(parent) => current = parent,
                None => break,
            }
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: i64, slug: &str, parent: Option<i64>) -> Section {
        Section {
            id,
            slug: slug.into(),
            name: slug.into(),
            parent_id: parent,
            position: id,
            is_region: parent.is_some(),
            edition_id: 1,
            prefix: String::new(),
        }
    }

    #[test]
    fn tree_lookups() {
        let tree = SectionTree::new(vec![
            section(1, "world", None),
            section(2, "europe", Some(1)),
            section(3, "africa", Some(1)),
            section(4, "uk", None),
        ]);
        assert_eq!(tree.subtree_ids(1), vec![1, 2, 3]);
        assert_eq!(tree.root_of(3).unwrap().slug, "world");
        assert_eq!(tree.regions(1).count(), 2);
        assert_eq!(tree.regions(2).count(), 0);
        assert_eq!(
            tree.top_level(1)
                .map(|s| s.slug.as_str())
                .collect::<Vec<_>>(),
            ["world", "uk"]
        );
        assert_eq!(tree.by_slug(1, "uk").unwrap().id, 4);
        assert!(tree.by_slug(2, "uk").is_none());
    }
}
