//! Cleaning of user-supplied text: control and bidi-override characters never reach storage or pages.

use unicode_normalization::UnicodeNormalization;

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
/// comments and names and sponsors' campaigns drop them ([`clean_shown_line`]);
/// the newsroom's own text keeps them, as typed.
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
        && !any_char(input, &MAY_BE_UNCLEAN, is_unclean_in_line);
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

/// Cleans a one-line field that is shown on public pages as typed by someone
/// outside the editing of a story (a reader's name, a sponsor's campaign): as
/// [`clean_line`], with noncharacters dropped and the text in Unicode NFC, so
/// no page that shows it fails an HTML validator.
pub fn clean_shown_line(input: &str) -> String {
    let text: String = clean_line(input)
        .chars()
        .filter(|c| !is_noncharacter(*c))
        .nfc()
        .collect();
    // Collapsed again: a dropped character may have stood between two spaces.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A character a one-line field may not keep as it is.
fn is_unclean_in_line(c: char) -> bool {
    is_unsafe_char(c, false) || (c.is_whitespace() && c != ' ')
}

/// The bytes that begin a character [`clean_line`] may drop or change: C0
/// controls, DEL, and the lead bytes of U+0080–U+00BF (C1 controls, NEL,
/// no-break space), U+1000–U+1FFF (ogham space), U+2000–U+2FFF (spaces, line
/// separators, bidi controls), U+3000–U+3FFF (ideographic space) and
/// U+F000–U+FFFF (U+FEFF).
const MAY_BE_UNCLEAN: [bool; 256] = controls_and(&[0xc2, 0xe1, 0xe2, 0xe3, 0xef]);

/// A table of bytes: the C0 controls, DEL and `others` marked. Only ASCII and
/// lead bytes may be marked, so a marked byte always begins a character.
pub(crate) const fn controls_and(others: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[0x7f] = true;
    let mut i = 0;
    while i < others.len() {
        assert!(
            others[i] < 0x80 || others[i] >= 0xc0,
            "not a character's first byte"
        );
        table[others[i] as usize] = true;
        i += 1;
    }
    table
}

/// Whether a character of `text` passes `test`, decoding only those whose
/// first byte is marked in `lead` (the others are known to fail it).
fn any_char(text: &str, lead: &[bool; 256], test: impl Fn(char) -> bool) -> bool {
    text.bytes()
        .enumerate()
        .any(|(i, b)| lead[usize::from(b)] && text[i..].chars().next().is_some_and(&test))
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
    fn the_byte_scan_finds_what_the_character_scan_finds() {
        // Every character of the first planes inside an otherwise clean line.
        for n in (0..0x3_0000u32).filter(|n| n % 7 == 0 || *n < 0x4000 || *n >= 0xf000) {
            let Some(c) = char::from_u32(n) else { continue };
            let line = format!("a{c}b");
            let slow = line.chars().any(is_unclean_in_line);
            let fast = any_char(&line, &MAY_BE_UNCLEAN, is_unclean_in_line);
            assert_eq!(fast, slow, "U+{n:04X}");
        }
    }

    #[test]
    fn block_keeps_paragraph_breaks() {
        assert_eq!(clean_block("one\r\n\r\ntwo\u{7}\n"), "one\n\ntwo");
    }
}
