//! Fronts: the front page and each section's front, whose story order editors set.

use super::edition::ROOT_EDITION;
use super::section::SectionTree;

/// A page whose order of stories editors choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Front {
    /// An edition's front page, by edition id.
    Home(i64),
    /// A section's front, by section id.
    Section(i64),
}

/// The key of the front page, as stored and in the newsroom's forms.
const HOME_KEY: &str = "home";
/// The key of a section front whose slug is `home` or which is not in the English
/// edition (slugs repeat across editions): `section:<id>`.
const SECTION_KEY: &str = "section:";
/// The key of another edition's front page: `home:<edition id>`.
const EDITION_HOME_KEY: &str = "home:";

impl Front {
    /// The key naming this front in the placements table and the newsroom's forms:
    /// `home` for the front page, a section's slug for its front (so stored orders
    /// stay readable), and `section:<id>` for a section slugged `home` or in another
    /// edition; `home:<id>` for another edition's front page. `None` for a section
    /// that does not exist.
    pub fn key(self, sections: &SectionTree) -> Option<String> {
        match self {
            Front::Home(ROOT_EDITION) => Some(HOME_KEY.to_string()),
            Front::Home(edition) => Some(format!("{EDITION_HOME_KEY}{edition}")),
            Front::Section(id) => {
                let section = sections.by_id(id)?;
                Some(
                    if section.slug == HOME_KEY || section.edition_id != ROOT_EDITION {
                        format!("{SECTION_KEY}{id}")
                    } else {
                        section.slug.clone()
                    },
                )
            }
        }
    }

    /// The edition the front belongs to; `None` for a section that does not exist.
    pub fn edition(self, sections: &SectionTree) -> Option<i64> {
        match self {
            Front::Home(edition) => Some(edition),
            Front::Section(id) => sections.by_id(id).map(|s| s.edition_id),
        }
    }

    /// The front a key names (the inverse of [`Front::key`]).
    pub fn from_key(key: &str, sections: &SectionTree) -> Option<Front> {
        if key == HOME_KEY {
            return Some(Front::Home(ROOT_EDITION));
        }
        if let Some(id) = key.strip_prefix(EDITION_HOME_KEY) {
            return id.parse().ok().map(Front::Home);
        }
        if let Some(id) = key.strip_prefix(SECTION_KEY) {
            let id: i64 = id.parse().ok()?;
            return sections.by_id(id).map(|s| Front::Section(s.id));
        }
        sections
            .by_slug(ROOT_EDITION, key)
            .filter(|s| s.slug != HOME_KEY)
            .map(|s| Front::Section(s.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::section::Section;

    fn tree() -> SectionTree {
        let section = |id: i64, slug: &str| Section {
            id,
            slug: slug.into(),
            name: slug.into(),
            parent_id: None,
            position: id,
            is_region: false,
            edition_id: if id == 3 { 2 } else { ROOT_EDITION },
            prefix: String::new(),
        };
        SectionTree::new(vec![
            section(1, "world"),
            section(2, "home"),
            section(3, "world"),
        ])
    }

    #[test]
    fn keys_name_each_front_once_even_for_a_section_slugged_home() {
        let tree = tree();
        assert_eq!(
            Front::Home(ROOT_EDITION).key(&tree).as_deref(),
            Some("home")
        );
        assert_eq!(Front::Home(2).key(&tree).as_deref(), Some("home:2"));
        assert_eq!(Front::Section(3).key(&tree).as_deref(), Some("section:3"));
        assert_eq!(Front::Section(1).key(&tree).as_deref(), Some("world"));
        assert_eq!(Front::Section(2).key(&tree).as_deref(), Some("section:2"));
        assert_eq!(Front::Section(9).key(&tree), None);
        for front in [
            Front::Home(ROOT_EDITION),
            Front::Home(2),
            Front::Section(1),
            Front::Section(2),
            Front::Section(3),
        ] {
            let key = front.key(&tree).unwrap();
            assert_eq!(Front::from_key(&key, &tree), Some(front));
        }
        assert_eq!(Front::from_key("section:9", &tree), None);
        assert_eq!(Front::from_key("nowhere", &tree), None);
    }

    #[test]
    fn a_front_belongs_to_its_edition_or_its_sections() {
        let tree = tree();
        assert_eq!(Front::Home(2).edition(&tree), Some(2));
        assert_eq!(Front::Section(3).edition(&tree), Some(2));
        assert_eq!(Front::Section(1).edition(&tree), Some(ROOT_EDITION));
        assert_eq!(Front::Section(9).edition(&tree), None);
    }
}
