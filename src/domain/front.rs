//! Fronts: the front page and each section's front, whose story order editors set.

use super::section::SectionTree;

/// A page whose order of stories editors choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Front {
    /// The site's front page.
    Home,
    /// A section's front, by section id.
    Section(i64),
}

/// The key of the front page, as stored and in the newsroom's forms.
const HOME_KEY: &str = "home";
/// The key of a section front whose slug is `home`, which would otherwise collide.
const SECTION_KEY: &str = "section:";

impl Front {
    /// The key naming this front in the placements table and the newsroom's forms:
    /// `home` for the front page, a section's slug for its front (so stored orders
    /// stay readable), and `section:<id>` for a section slugged `home`. `None` for
    /// a section that does not exist.
    pub fn key(self, sections: &SectionTree) -> Option<String> {
        match self {
            Front::Home => Some(HOME_KEY.to_string()),
            Front::Section(id) => {
                let section = sections.by_id(id)?;
                Some(if section.slug == HOME_KEY {
                    format!("{SECTION_KEY}{id}")
                } else {
                    section.slug.clone()
                })
            }
        }
    }

    /// The front a key names (the inverse of [`Front::key`]).
    pub fn from_key(key: &str, sections: &SectionTree) -> Option<Front> {
        if key == HOME_KEY {
            return Some(Front::Home);
        }
        if let Some(id) = key.strip_prefix(SECTION_KEY) {
            let id: i64 = id.parse().ok()?;
            return sections.by_id(id).map(|s| Front::Section(s.id));
        }
        sections
            .by_slug(key)
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
        };
        SectionTree::new(vec![section(1, "world"), section(2, "home")])
    }

    #[test]
    fn keys_name_each_front_once_even_for_a_section_slugged_home() {
        let tree = tree();
        assert_eq!(Front::Home.key(&tree).as_deref(), Some("home"));
        assert_eq!(Front::Section(1).key(&tree).as_deref(), Some("world"));
        assert_eq!(Front::Section(2).key(&tree).as_deref(), Some("section:2"));
        assert_eq!(Front::Section(9).key(&tree), None);
        for front in [Front::Home, Front::Section(1), Front::Section(2)] {
            let key = front.key(&tree).unwrap();
            assert_eq!(Front::from_key(&key, &tree), Some(front));
        }
        assert_eq!(Front::from_key("section:9", &tree), None);
        assert_eq!(Front::from_key("nowhere", &tree), None);
    }
}
