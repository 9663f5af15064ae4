//! Marked-up text as HTML: search snippets with `<mark>` around matches, and
//! revision diffs with `<ins>` and `<del>`. Everything else is the story's own
//! text, escaped.

use super::{escape, SafeHtml};
use crate::domain::diff::{Change, Piece};
use crate::domain::snippet;

/// A snippet the database marked (`snippet::START`…`snippet::END` around each
/// match) with each match in `<mark>`; `tidy_markup` drops the body markup's own
/// punctuation first (for snippets of bodies, not of headlines).
pub fn snippet(marked: &str, tidy_markup: bool) -> SafeHtml {
    let mut out = String::with_capacity(marked.len() + 16);
    for run in snippet::runs(marked, tidy_markup) {
        wrapped(&run.text, run.matched.then_some("mark"), &mut out);
    }
    SafeHtml(out)
}

/// A word-level comparison of one field, added words in `<ins>`, removed in `<del>`.
pub fn diff(pieces: &[Piece]) -> SafeHtml {
    let mut out = String::new();
    for piece in pieces {
        let tag = match piece.change {
            Change::Same => None,
            Change::Added => Some("ins"),
            Change::Removed => Some("del"),
        };
        wrapped(&piece.text, tag, &mut out);
    }
    SafeHtml(out)
}

/// Escaped text, inside `<tag>` when there is one.
fn wrapped(text: &str, tag: Option<&str>, out: &mut String) {
    if let Some(tag) = tag {
        out.push('<');
        out.push_str(tag);
        out.push('>');
    }
    escape(text, out);
    if let Some(tag) = tag {
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::diff::words;

    #[test]
    fn matches_are_marked_and_text_escaped() {
        assert_eq!(
            snippet("a <script>\u{1}zebra\u{2}</script> & b", false).as_str(),
            "a &lt;script&gt;<mark>zebra</mark>&lt;/script&gt; &amp; b"
        );
    }

    #[test]
    fn markup_punctuation_is_tidied() {
        assert_eq!(
            snippet(
                "## Head\n\n> A *quote* with a [\u{1}link\u{2}](https://x.org/a) here",
                true
            )
            .as_str(),
            "Head A quote with a <mark>link</mark> here"
        );
    }

    #[test]
    fn stray_markers_never_leave_a_mark_open() {
        assert_eq!(snippet("\u{2}a\u{1}b", false).as_str(), "a<mark>b</mark>");
        assert_eq!(snippet("\u{1}\u{1}a", false).as_str(), "<mark>a</mark>");
        assert_eq!(snippet("a\u{1}", false).as_str(), "a<mark></mark>");
        assert_eq!(snippet("", true).as_str(), "");
        assert_eq!(snippet("x](", true).as_str(), "x");
    }

    #[test]
    fn diffs_mark_added_and_removed_words() {
        assert_eq!(
            diff(&words("old <b> text", "new <b> text")).as_str(),
            "<del>old</del><ins>new</ins> &lt;b&gt; text"
        );
    }
}
