//! URL slugs: the readable part of a story's address.

pub const MAX_SLUG_LEN: usize = 80;

/// Makes a slug from a headline: lowercase ASCII letters and digits joined by hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        slug.push_str("story");
    }
    slug
}

/// True when `slug` is a well-formed slug: `a-z0-9` words joined by single hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG_LEN
        && slug.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_readable_ascii() {
        assert_eq!(
            slugify("Russia 'positive' on US approach"),
            "russia-positive-on-us-approach"
        );
        assert_eq!(slugify("¿¡!!"), "story");
        assert!(is_valid_slug(&slugify(
            "A very long headline that goes on and on and on about the weather today"
        )));
    }

    #[test]
    fn validates_slugs() {
        assert!(is_valid_slug("a-b-9"));
        for bad in ["", "-a", "a--b", "A", "a_b", "a/b"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
