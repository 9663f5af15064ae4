//! Word-level differences between two texts, for revision history.

use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// A run of words that is the same, added or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub change: Change,
    pub text: String,
}

/// Compares `old` and `new` word by word, joining neighbouring words with the same change.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let diff = TextDiff::from_words(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Insert => Change::Added,
            ChangeTag::Delete => Change::Removed,
        };
        match pieces.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => pieces.push(Piece {
                change: kind,
                text: change.value().to_string(),
            }),
        }
    }
    pieces
}

/// True when the two texts differ at all.
pub fn changed(pieces: &[Piece]) -> bool {
    pieces.iter().any(|p| p.change != Change::Same)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_changed_words() {
        let pieces = words("the quick brown fox", "the slow brown fox jumps");
        let removed: Vec<_> = pieces
            .iter()
            .filter(|p| p.change == Change::Removed)
            .map(|p| p.text.trim())
            .collect();
        let added: String = pieces
            .iter()
            .filter(|p| p.change == Change::Added)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(removed, ["quick"]);
        assert!(added.contains("slow") && added.contains("jumps"));
        assert!(changed(&pieces));
        assert!(!changed(&words("same", "same")));
    }
}
