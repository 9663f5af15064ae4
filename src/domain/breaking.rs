//! The breaking-news banner: one line of text and a link, shown on every public
//! page until an editor removes it. What the line and the link may be.

use super::links::check_url;
use super::text::clean_line;

/// Longest banner line, in characters: it must fit one line on a phone.
pub const MAX_TEXT_CHARS: usize = 140;

/// A banner as checked, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub text: String,
    pub link: String,
}

/// A rule broken by one field, in the editor's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

/// Checks a banner as typed: a line of 1 to [`MAX_TEXT_CHARS`] characters and a
/// web, mail or site-relative link (`domain::links`).
pub fn check(text: &str, link: &str) -> Result<Banner, Problem> {
    let text = clean_line(text);
    if text.is_empty() {
        return Err(Problem {
            field: "text",
            message: "Write the banner's line: what has happened, in a few words.".into(),
        });
    }
    let count = text.chars().count();
    if count > MAX_TEXT_CHARS {
        return Err(Problem {
            field: "text",
            message: format!(
                "The banner can be at most 140 characters long so that it fits one line on a phone; this one has {count}."
            ),
        });
    }
    let link = check_url(link).map_err(|e| Problem {
        field: "link",
        message: format!("The link cannot be used: {e}. Link to the story, for example /news/…"),
    })?;
    Ok(Banner { text, link })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_banner_is_cleaned_and_kept() {
        let b = check("  Earthquake  hits\u{202e} city ", " /news/world/quake-1 ").unwrap();
        assert_eq!(b.text, "Earthquake hits city");
        assert_eq!(b.link, "/news/world/quake-1");
    }

    #[test]
    fn text_is_required_and_short() {
        assert_eq!(check(" ", "/x").unwrap_err().field, "text");
        assert!(check(&"a".repeat(MAX_TEXT_CHARS), "/x").is_ok());
        let e = check(&"a".repeat(MAX_TEXT_CHARS + 1), "/x").unwrap_err();
        assert_eq!(e.field, "text");
        assert!(e.message.contains("141"), "{}", e.message);
    }

    #[test]
    fn script_links_are_refused() {
        for link in [
            "javascript:alert(1)",
            "data:text/html,x",
            "",
            "//evil.example",
        ] {
            let e = check("Big news", link).unwrap_err();
            assert_eq!(e.field, "link", "{link}");
        }
    }
}
