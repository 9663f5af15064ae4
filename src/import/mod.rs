//! Importing legacy article pages: pure parsers that turn a page (plain text in
//! the reference page's layout, or HTML) into an [`Article`], and the rules that
//! turn an article into story content. No I/O; never panics on any input.
//!
//! - [`text`]: the plain-text form; [`html`]: HTML, read with `scraper`.
//! - [`chrome`]: recognising the site furniture to drop; [`stamp`]: time stamps.

pub mod chrome;
pub mod html;
pub mod stamp;
pub mod text;

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::domain::slug::slugify;
use crate::domain::story::{FieldError, StoryContent, MAX_SUMMARY};

/// Largest page accepted, in bytes.
pub const MAX_PAGE_BYTES: usize = 5 * 1024 * 1024;

/// A block of article text, kept as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Crosshead(String),
    Quote(String),
}

/// The lead picture a page described; the picture itself is not in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingImage {
    pub alt: String,
    pub caption: String,
}

/// What was recovered from one legacy page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub headline: String,
    /// "Page last updated at …".
    pub last_updated: Timestamp,
    /// When the page says so; otherwise the last-updated time.
    pub first_published: Timestamp,
    /// The section the page names, if any (a slug or a name, as written).
    pub section: Option<String>,
    pub image: Option<MissingImage>,
    /// The intro is the first paragraph.
    pub blocks: Vec<Block>,
    /// Lines (or elements) of site furniture left out.
    pub chrome_dropped: usize,
}

impl Article {
    pub fn paragraph_count(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| !matches!(b, Block::Crosshead(_)))
            .count()
    }

    pub fn crosshead_count(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| matches!(b, Block::Crosshead(_)))
            .count()
    }

    /// The story content for this article in section `section_id`, validated like an editor's save.
    pub fn to_content(&self, section_id: i64) -> Result<StoryContent, Vec<FieldError>> {
        let intro = self.blocks.iter().find_map(|b| match b {
            Block::Paragraph(p) | Block::Quote(p) => Some(p.as_str()),
            Block::Crosshead(_) => None,
        });
        StoryContent {
            slug: slugify(&self.headline),
            section_id,
            headline: self.headline.clone(),
            promo_headline: String::new(),
            summary: shorten(intro.unwrap_or(&self.headline), MAX_SUMMARY),
            byline: String::new(),
            body: body_markup(&self.blocks),
            lead_image: None,
            related: Vec::new(),
            links: Vec::new(),
        }
        .validate(None)
    }

    /// Identifies the story whatever file it comes from: its headline and first-published time.
    pub fn content_key(&self) -> String {
        let headline = self
            .headline
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        hex_sha256(&format!(
            "dateline-import-v1\n{}\n{}",
            headline.to_lowercase(),
            self.first_published.as_second()
        ))
    }

    /// Changes whenever anything imported changes, so an identical re-import can be skipped.
    pub fn fingerprint(&self, section_id: i64) -> String {
        hex_sha256(&format!(
            "{section_id}\n{self:?}",
            self = (
                &self.headline,
                self.last_updated,
                self.first_published,
                &self.image,
                &self.blocks
            )
        ))
    }
}

/// Identifies a source file: the hash of its canonical path.
pub fn path_key(canonical_path: &str) -> String {
    hex_sha256(&format!("dateline-import-path-v1\n{canonical_path}"))
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why a page could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {MAX_PAGE_BYTES} bytes")]
    TooLarge,
    #[error("the file is binary, not a text or HTML page")]
    Binary,
    #[error("no time stamp found (expected \"Page last updated at 15:04 GMT, Sunday, 8 February 2009\" or, in HTML, a <time>, meta tag or JSON-LD date)")]
    NoTimestamp,
    #[error("no headline found")]
    NoHeadline,
    #[error("no article text found after the headline")]
    NoBody,
}

/// Reads a page of either form. HTML is recognised by its content (or `html_hint`, from
/// the file name); anything else is read as the plain-text form.
pub fn parse(bytes: &[u8], html_hint: bool) -> Result<Article, ImportError> {
    let text = decode(bytes)?;
    if html_hint || looks_like_html(&text) {
        html::parse(&text)
    } else {
        text::parse(&text)
    }
}

/// UTF-8, or Latin-1 for older pages; binary files are refused.
fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(ImportError::TooLarge);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let controls = bytes
        .iter()
        .filter(|b| **b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if bytes.contains(&0) || controls * 100 > bytes.len() {
        return Err(ImportError::Binary);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    };
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

fn looks_like_html(text: &str) -> bool {
    let start: String = text
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_lowercase();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<?xml")
        || start.starts_with("<head")
        || start.starts_with("<!--")
        || start.starts_with("<meta")
}

/// Writes blocks as body markup, escaping everything markup would read as syntax.
pub fn body_markup(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        match block {
            Block::Paragraph(text) => out.push_str(&escape_markup(text)),
            Block::Crosshead(text) => {
                out.push_str("## ");
                out.push_str(&escape_markup(text));
            }
            Block::Quote(text) => {
                out.push_str("> ");
                out.push_str(&escape_markup(text));
            }
        }
    }
    out
}

/// Escapes one line of text so the markup parser gives it back unchanged as plain text.
pub fn escape_markup(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        let special = matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '&'
                | '#'
                | '~'
                | '|'
                | '!'
                | '{'
                | '}'
        ) || (i == 0 && matches!(c, '-' | '+' | '=' | ':'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. " or "1) " at the start would open a list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')')) {
        out.insert(digits, '\\');
    }
    out
}

/// Shortens `text` to at most `max` characters at a word boundary, with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 2 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = text.chars().take(max.saturating_sub(1)).collect();
    }
    out.push('…');
    out
}

/// True when a line reads as the end of a sentence (allowing closing quotes and brackets).
pub(crate) fn ends_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '’', '”', ')', ']', ' ']);
    trimmed.ends_with(['.', '!', '?', '…', ':', ';'])
}

/// A short line without sentence punctuation: a crosshead in a body.
pub(crate) fn looks_like_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=10).contains(&words)
        && line.chars().count() <= 80
        && !ends_sentence(line)
        && !line.trim_end().ends_with(',')
        && line
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric() || "'\"‘“".contains(c))
}

#[cfg(test)]
mod tests;
