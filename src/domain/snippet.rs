//! Search snippets to HTML. The databases mark matches with two control
//! characters that cleaned text never contains; everything between them is the
//! story's own text and is escaped here, so the only markup is our `<mark>`.

use super::markup::escape_html;

/// Put before a match by the database's snippet function.
pub const START: char = '\u{1}';
/// Put after a match.
pub const END: char = '\u{2}';
/// Marks left-out text between or around fragments.
pub const ELLIPSIS: &str = "…";

/// Drops the body markup's own punctuation (`*`, `#`, `>` quotes, `[text](url)`
/// link targets) so a snippet reads as prose; newlines become spaces.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut line_start = true;
    while let Some(c) = chars.next() {
        match c {
            '*' | '#' | '[' => {}
            '>' if line_start => {}
            ']' if chars.peek() == Some(&'(') => {
                // A link target: skip to its closing bracket (or the end of the snippet).
                for d in chars.by_ref() {
                    if d == ')' {
                        break;
                    }
                }
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
        if c == '\n' {
            line_start = true;
        } else if !c.is_whitespace() && c != '>' {
            line_start = false;
        }
    }
    out
}

/// Renders marked text as escaped HTML with each match in `<mark>`. A stray or
/// unbalanced marker is harmless: marks are always closed.
pub fn to_html(marked: &str, tidy_markup: bool) -> String {
    let text = if tidy_markup {
        plain(marked)
    } else {
        marked.to_string()
    };
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len() + 16);
    let mut open = false;
    let mut rest = collapsed.as_str();
    while let Some(at) = rest.find([START, END]) {
        escape_html(&rest[..at], &mut out);
        let marker = rest[at..].chars().next().unwrap_or(START);
        match (marker, open) {
            (START, false) => out.push_str("<mark>"),
            (END, true) => out.push_str("</mark>"),
            _ => {}
        }
        if (marker == START) != open {
            open = !open;
        }
        rest = &rest[at + marker.len_utf8()..];
    }
    escape_html(rest, &mut out);
    if open {
        out.push_str("</mark>");
    }
    out
}

/// Marked text with the markers removed (for plain-text uses).
pub fn unmarked(marked: &str) -> String {
    marked
        .chars()
        .filter(|c| *c != START && *c != END)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_marked_and_text_escaped() {
        assert_eq!(
            to_html("a <script>\u{1}zebra\u{2}</script> & b", false),
            "a &lt;script&gt;<mark>zebra</mark>&lt;/script&gt; &amp; b"
        );
    }

    #[test]
    fn markup_punctuation_is_tidied() {
        assert_eq!(
            to_html(
                "## Head\n\n> A *quote* with a [\u{1}link\u{2}](https://x.org/a) here",
                true
            ),
            "Head A quote with a <mark>link</mark> here"
        );
    }

    #[test]
    fn stray_markers_never_leave_a_mark_open() {
        assert_eq!(to_html("\u{2}a\u{1}b", false), "a<mark>b</mark>");
        assert_eq!(to_html("\u{1}\u{1}a", false), "<mark>a</mark>");
        assert_eq!(unmarked("\u{1}a\u{2}"), "a");
        assert_eq!(to_html("", true), "");
        assert_eq!(to_html("x](", true), "x");
    }
}
