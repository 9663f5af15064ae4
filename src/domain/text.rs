//! Cleaning of user-supplied text: control and bidi-override characters never reach storage or pages.

/// Characters that can spoof or corrupt text when rendered: C0/C1 controls and
/// the bidirectional embedding, override and isolate controls.
pub fn is_unsafe_char(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_newlines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        '\u{feff}' => true,
        _ => false,
    }
}

/// Unicode noncharacters (U+FDD0 to U+FDEF, and the last two code points of
/// every plane): never text anyone means, and HTML validators refuse them. Readers'
/// comments and names drop them; staff text keeps them, as typed.
pub fn is_noncharacter(c: char) -> bool {
    let n = u32::from(c);
    (0xfdd0..=0xfdef).contains(&n) || n & 0xfffe == 0xfffe
}

/// A value someone typed, quoted for a message people read: “like this”. Never
/// Rust's debug form (`"…"` with backslash escapes, `Borrowed(…)`); control
/// characters become spaces and a long value is shortened.
pub fn quoted(value: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::with_capacity(value.len().min(MAX) + 8);
    out.push('“');
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        out.push(if is_unsafe_char(c, false) { ' ' } else { c });
    }
    out.push('”');
    out
}

/// Cleans a one-line field (headline, byline, caption…): unsafe characters
/// removed, runs of whitespace collapsed, ends trimmed.
pub fn clean_line(input: &str) -> String {
    // Most text is already clean (it was cleaned when saved): check before rebuilding it.
    let already_clean = !input.starts_with(' ')
        && !input.ends_with(' ')
        && !input.contains("  ")
        && !input
            .chars()
            .any(|c| is_unsafe_char(c, false) || (c.is_whitespace() && c != ' '));
    if already_clean {
        return input.to_string();
    }
    let filtered: String = input
        .chars()
        .map(|c| {
            if c == '\n' || c == '\t' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !is_unsafe_char(*c, false))
        .collect();
    filtered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cleans multi-line text (a story body): line endings normalised to `\n`,
/// unsafe characters removed, trailing whitespace on the whole text trimmed.
pub fn clean_block(input: &str) -> String {
    let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = normalised
        .chars()
        .filter(|c| !is_unsafe_char(*c, true))
        .collect();
    cleaned.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noncharacters_are_recognised() {
        for c in [
            '\u{fdd0}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ] {
            assert!(is_noncharacter(c), "{c:?}");
        }
        for c in ['a', '\u{fdcf}', '\u{fffd}', '\u{1f4a9}'] {
            assert!(!is_noncharacter(c), "{c:?}");
        }
    }

    #[test]
    fn line_drops_controls_and_bidi_overrides() {
        assert_eq!(clean_line("a\u{202e}b\u{0}c\u{85}d"), "abcd");
        assert_eq!(clean_line("  two\n lines\t here "), "two lines here");
    }

    #[test]
    fn line_keeps_ordinary_unicode() {
        assert_eq!(
            clean_line("Zürich – “quoted” 東京 👩‍💻"),
            "Zürich – “quoted” 東京 👩‍💻"
        );
    }

    #[test]
    fn block_keeps_paragraph_breaks() {
        assert_eq!(clean_block("one\r\n\r\ntwo\u{7}\n"), "one\n\ntwo");
    }
}
