//! Review notes: what an editor writes when sending a story back to its
//! reporter (required, at most 2,000 characters, cleaned like other staff text)

use super::text::clean_block;

/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The note as stored: unsafe characters removed, line endings normalised,
/// blank lines at either end trimmed; or, when nothing is left or it is too
/// long, what to tell the editor next to the field.
pub fn note(typed: &str) -> Result<String, String> {
    let cleaned = clean_block(typed);
    let cleaned = cleaned.trim_start_matches(['\n', ' ', '\t']).to_string();
    let length = cleaned.chars().count();
    if cleaned.trim().is_empty() {
        return Err(
            "Write a note for the reporter: what should change before it comes back for review."
                .into(),
        );
    }
    if length > MAX_NOTE_CHARS {
        return Err(format!(
            "A note can be at most 2,000 characters; this one has {}. Shorten it.",
            thousands(length)
        ));
    }
    Ok(cleaned)
}

/// 2001 as "2,001".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_cleaned_and_kept_with_its_lines() {
        assert_eq!(
            note("\n  Check the\u{202e} figures.\r\n\r\nAnd the quote.  \n").as_deref(),
            Ok("Check the figures.\n\nAnd the quote.")
        );
    }

    #[test]
    fn an_empty_or_long_note_is_refused() {
        assert!(note("").is_err());
        assert!(note(" \n\t\u{7}").is_err());
        assert!(note(&"é".repeat(MAX_NOTE_CHARS)).is_ok());
        let long = note(&"é".repeat(MAX_NOTE_CHARS + 1)).unwrap_err();
        assert!(long.contains("2,000") && long.contains("2,001"), "{long}");
    }
}
