//! Readers' comments ("Have your say"): how a story takes comments, what a comment's text may be, where its links are, and whether a reader may post.

use unicode_normalization::UnicodeNormalization;

use super::text::{clean_block, is_noncharacter};

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// Longest reason a reader gives when reporting a comment.
pub const MAX_REPORT_CHARS: usize = 500;

/// How a story takes comments, chosen by an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No comments (the default); any already posted stay hidden.
    Off,
    /// A comment waits for a moderator before anyone sees it.
    PreModerated,
    /// A comment shows at once and is moderated afterwards.
    PostModerated,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::PreModerated => "pre",
            Mode::PostModerated => "post",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        [Mode::Off, Mode::PreModerated, Mode::PostModerated]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    /// As the newsroom and the audit log say it.
    pub fn words(self) -> &'static str {
        match self {
            Mode::Off => "comments off",
            Mode::PreModerated => "comments on, checked before they appear",
            Mode::PostModerated => "comments on, checked after they appear",
        }
    }
}

/// A story's comment settings as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub mode: Mode,
    /// When comments were closed: the published ones still show, no new ones.
    pub closed_at: Option<i64>,
    /// Published comments as of the scheduler's last count.
    pub shown_count: i64,
}

impl Settings {
    /// A story nobody switched comments on for.
    pub const OFF: Settings = Settings {
        mode: Mode::Off,
        closed_at: None,
        shown_count: 0,
    };

    /// Whether the story has a comments page at all.
    pub fn is_on(&self) -> bool {
        self.mode != Mode::Off
    }

    pub fn is_open(&self) -> bool {
        self.is_on() && self.closed_at.is_none()
    }
}

/// Where a comment is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Published,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Published => "published",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Pending, Status::Published, Status::Rejected]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// Why a reader may not post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The story takes no comments.
    Off,
    Closed,
    Unverified,
    /// Barred by a moderator, with the reason they gave.
    Banned(String),
}

/// Whether a reader (verified or not, barred or not) may post on a story with
/// `settings`, and if so where the comment starts: pending or published.
pub fn may_post(
    settings: &Settings,
    verified: bool,
    banned: Option<&str>,
) -> Result<Status, Refusal> {
    if let Some(reason) = banned {
        return Err(Refusal::Banned(reason.to_string()));
    }
    if !verified {
        return Err(Refusal::Unverified);
    }
    match settings.mode {
        Mode::Off => Err(Refusal::Off),
        _ if settings.closed_at.is_some() => Err(Refusal::Closed),
        Mode::PreModerated => Ok(Status::Pending),
        Mode::PostModerated => Ok(Status::Published),
    }
}

/// What is wrong with a comment as typed (the page says it in the edition's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    Empty,
    /// Longer than [`MAX_COMMENT_CHARS`]: `count` characters.
    TooLong {
        count: usize,
    },
}

/// Cleans and checks a comment as typed: control and bidi-override characters
/// removed, line breaks kept (at most one blank line in a row), trimmed; 1 to
/// [`MAX_COMMENT_CHARS`] characters. Anything else (`<`, scripts, markup) is
/// kept as text and escaped wherever it is shown.
pub fn parse_text(input: &str) -> Result<String, TextProblem> {
    let cleaned: String = clean_block(&input.replace("\r\n", "\n"))
        .chars()
        .filter(|c| !is_noncharacter(*c))
        .nfc()
        .collect();
    let mut lines: Vec<&str> = Vec::new();
    for line in cleaned.lines().map(str::trim_end) {
        let blank = line.trim().is_empty();
        if blank && lines.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        lines.push(if blank { "" } else { line });
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let text = lines.join("\n").trim().to_string();
    if text.trim().is_empty() {
        return Err(TextProblem::Empty);
    }
    let count = text.chars().count();
    if count > MAX_COMMENT_CHARS {
        return Err(TextProblem::TooLong { count });
    }
    Ok(text)
}

/// A piece of a comment's text: plain, or a web address shown as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Link(&'a str),
    LineBreak,
}

/// Splits a comment into text, `http://`/`https://` addresses and line breaks.
/// An address ends at whitespace or `<`, `>` and `"`, and trailing punctuation
/// (`.,;:!?)'`) stays text, as a reader means it.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push(Piece::LineBreak);
        }
        let mut rest = line;
        while let Some(start) = find_link_start(rest) {
            let tail = &rest[start..];
            let end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
                .unwrap_or(tail.len());
            let link = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
            let scheme_len = if link.starts_with("https://") { 8 } else { 7 };
            if start > 0 {
                out.push(Piece::Text(&rest[..start]));
            }
            if link.len() > scheme_len {
                out.push(Piece::Link(link));
            } else {
                out.push(Piece::Text(link));
            }
            rest = &tail[link.len()..];
        }
        if !rest.is_empty() {
            out.push(Piece::Text(rest));
        }
    }
    out
}

/// Where the next `http://` or `https://` begins, case-insensitively.
fn find_link_start(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let http = lower.find("http://");
    let https = lower.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Cleans a report's reason: one line, at most [`MAX_REPORT_CHARS`] characters.
pub fn parse_report_reason(input: &str) -> String {
    super::text::clean_line(input)
        .chars()
        .take(MAX_REPORT_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn text_is_stored_composed() {
        // "e" and a combining acute accent become one "é" (NFC), as in the page's text.
        assert_eq!(parse_text("Caf\u{65}\u{301}").as_deref(), Ok("Caf\u{e9}"));
    }

    use super::*;

    const PRE: Settings = Settings {
        mode: Mode::PreModerated,
        closed_at: None,
        shown_count: 0,
    };

    #[test]
    fn who_may_post_and_where_it_starts() {
        assert_eq!(may_post(&PRE, true, None), Ok(Status::Pending));
        let post = Settings {
            mode: Mode::PostModerated,
            ..PRE
        };
        assert_eq!(may_post(&post, true, None), Ok(Status::Published));
        assert_eq!(may_post(&PRE, false, None), Err(Refusal::Unverified));
        assert_eq!(
            may_post(&PRE, true, Some("spam")),
            Err(Refusal::Banned("spam".into()))
        );
        assert_eq!(may_post(&Settings::OFF, true, None), Err(Refusal::Off));
        let closed = Settings {
            closed_at: Some(1),
            ..post
        };
        assert_eq!(may_post(&closed, true, None), Err(Refusal::Closed));
    }

    #[test]
    fn text_is_cleaned_and_bounded() {
        assert_eq!(
            parse_text("  Hello\r\n\r\n\r\n<b>there</b>\u{202e}\u{10ffff} \n\n"),
            Ok("Hello\n\n<b>there</b>".into())
        );
        assert!(parse_text(" \n\u{202e}\n ").is_err());
        assert!(parse_text(&"é".repeat(2_000)).is_ok());
        assert_eq!(
            parse_text(&"x".repeat(2_001)),
            Err(TextProblem::TooLong { count: 2_001 })
        );
        assert_eq!(parse_text(" \n "), Err(TextProblem::Empty));
    }

    #[test]
    fn links_are_found_without_their_punctuation() {
        assert_eq!(
            pieces("See https://example.org/a?b=1. Or HTTP://x.y)\nhttp:// no"),
            vec![
                Piece::Text("See "),
                Piece::Link("https://example.org/a?b=1"),
                Piece::Text(". Or "),
                Piece::Link("HTTP://x.y"),
                Piece::Text(")"),
                Piece::LineBreak,
                Piece::Text("http://"),
                Piece::Text(" no"),
            ]
        );
        assert_eq!(
            pieces("javascript:alert(1) <a href=\"https://e.org\">"),
            vec![
                Piece::Text("javascript:alert(1) <a href=\""),
                Piece::Link("https://e.org"),
                Piece::Text("\">"),
            ]
        );
    }

    #[test]
    fn modes_round_trip() {
        for m in [Mode::Off, Mode::PreModerated, Mode::PostModerated] {
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        assert_eq!(Mode::parse("on"), None);
        assert_eq!(Status::parse("published"), Some(Status::Published));
    }
}
