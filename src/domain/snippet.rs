//! Search snippets as text: the databases mark matches with two control
//! characters that cleaned text never contains, and a marked snippet is split
//! here into matched and unmatched runs of plain text (`web::html` renders them).

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

/// A stretch of snippet text: a match the database marked, or the text around matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub matched: bool,
}

/// Splits marked text into runs, whitespace collapsed (and, with `tidy_markup`,
/// body markup punctuation dropped). A stray or unbalanced marker is harmless:
/// a second start inside a match and an end outside one are ignored, and a match
/// still open at the end closes there. Matches are kept even when empty, so every
/// start the database wrote has its run.
pub fn runs(marked: &str, tidy_markup: bool) -> Vec<Run> {
    let text = if tidy_markup {
        plain(marked)
    } else {
        marked.to_string()
    };
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut runs = Vec::new();
    let mut open = false;
    let mut rest = collapsed.as_str();
    let mut run = String::new();
    while let Some(at) = rest.find([START, END]) {
        run.push_str(&rest[..at]);
        let marker = rest[at..].chars().next().unwrap_or(START);
        match (marker, open) {
            (START, false) => {
                if !run.is_empty() {
                    runs.push(Run {
                        text: std::mem::take(&mut run),
                        matched: false,
                    });
                }
                open = true;
            }
            (END, true) => {
                runs.push(Run {
                    text: std::mem::take(&mut run),
                    matched: true,
                });
                open = false;
            }
            _ => {}
        }
        rest = &rest[at + marker.len_utf8()..];
    }
    run.push_str(rest);
    if open || !run.is_empty() {
        runs.push(Run {
            text: run,
            matched: open,
        });
    }
    runs
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

    fn run(text: &str, matched: bool) -> Run {
        Run {
            text: text.into(),
            matched,
        }
    }

    #[test]
    fn matches_are_runs_of_their_own() {
        assert_eq!(
            runs("a <script>\u{1}zebra\u{2}</script>  &\n b", false),
            [
                run("a <script>", false),
                run("zebra", true),
                run("</script> & b", false)
            ]
        );
    }

    #[test]
    fn markup_punctuation_is_tidied() {
        assert_eq!(
            runs(
                "## Head\n\n> A *quote* with a [\u{1}link\u{2}](https://x.org/a) here",
                true
            ),
            [
                run("Head A quote with a ", false),
                run("link", true),
                run(" here", false)
            ]
        );
    }

    #[test]
    fn stray_markers_never_leave_a_match_open() {
        assert_eq!(
            runs("\u{2}a\u{1}b", false),
            [run("a", false), run("b", true)]
        );
        assert_eq!(runs("\u{1}\u{1}a", false), [run("a", true)]);
        assert_eq!(runs("x\u{1}", false), [run("x", false), run("", true)]);
        assert_eq!(unmarked("\u{1}a\u{2}"), "a");
        assert_eq!(runs("", true), []);
        assert_eq!(runs("x](", true), [run("x", false)]);
    }
}
