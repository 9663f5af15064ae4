//! The plain-text form of a legacy article page, as in the reference page: a
//! "Page last updated at …" line, the headline, the lead picture's alt text and
//! caption as one two-line block, then the intro and body paragraphs separated by
//! blank lines, single short lines as crossheads, and the site's chrome at the foot.

use super::chrome::{classify, Chrome};
use super::{ends_sentence, looks_like_heading, stamp, Article, Block, ImportError, MissingImage};

/// Prefixes of the lines that carry the page's time stamps.
pub(super) const UPDATED: &[&str] = &[
    "page last updated at ",
    "last updated at ",
    "last updated: ",
    "updated: ",
];
pub(super) const PUBLISHED: &[&str] = &[
    "first published at ",
    "first published: ",
    "published at ",
    "published: ",
];

/// A paragraph of real prose: enough words to be a sentence, and ending like one.
fn is_prose(line: &str) -> bool {
    line.split_whitespace().count() >= 8 && ends_sentence(line)
}

/// Reads one page of text.
pub fn parse(input: &str) -> Result<Article, ImportError> {
    let blocks = split_blocks(input);
    let ends_after = chrome_verdicts(&blocks);
    let mut last_updated = None;
    let mut first_published = None;
    let mut headline: Option<String> = None;
    let mut image = None;
    let mut body: Vec<Block> = Vec::new();
    let mut chrome_dropped = 0;
    let mut ended = false;
    // Index of the block right after the headline, where a picture's alt text and caption go.
    let mut picture_slot = None;

    for (index, block) in blocks.iter().enumerate() {
        if ended {
            chrome_dropped += block.len();
            continue;
        }
        let mut lines: Vec<&str> = Vec::new();
        for line in block {
            if let Some(at) = stamp_after(line, UPDATED) {
                last_updated.get_or_insert(at);
                continue;
            }
            if let Some(at) = stamp_after(line, PUBLISHED) {
                first_published.get_or_insert(at);
                continue;
            }
            match classify(line) {
                Some(kind) if body.is_empty() || kind.ends_article() || ends_after[index + 1] => {
                    chrome_dropped += 1;
                    if !body.is_empty() {
                        ended = true;
                        break;
                    }
                }
                _ => lines.push(line),
            }
        }
        if ended {
            // Whatever followed the chrome in its own block goes with it.
            chrome_dropped += lines.len();
            continue;
        }
        if lines.is_empty() {
            continue;
        }
        if headline.is_none() {
            headline = Some(lines.remove(0).to_string());
            picture_slot = Some(index + 1);
            if lines.is_empty() {
                continue;
            }
        }
        if picture_slot == Some(index) && body.is_empty() {
            if let Some(found) = picture(&lines) {
                image = Some(found);
                continue;
            }
        }
        if lines.len() > 1 && lines.iter().all(|l| !ends_sentence(l) || l.ends_with('?')) {
            // Several headline-like lines together: links to other stories.
            chrome_dropped += lines.len();
            continue;
        }
        let text = lines.join(" ");
        if !body.is_empty() && looks_like_heading(&text) {
            body.push(Block::Crosshead(text));
        } else {
            body.push(Block::Paragraph(text));
        }
    }

    // A heading with nothing after it is not a crosshead.
    if let Some(Block::Crosshead(text)) = body.last() {
        let text = text.clone();
        body.pop();
        body.push(Block::Paragraph(text));
    }
    let last_updated = last_updated
        .or(first_published)
        .ok_or(ImportError::NoTimestamp)?;
    let headline = headline.ok_or(ImportError::NoHeadline)?;
    if body.is_empty() {
        return Err(ImportError::NoBody);
    }
    Ok(Article {
        headline,
        last_updated,
        first_published: first_published.unwrap_or(last_updated).min(last_updated),
        section: None,
        image,
        blocks: body,
        chrome_dropped,
    })
}

/// Trimmed, non-empty lines grouped into blank-line-separated blocks.
fn split_blocks(input: &str) -> Vec<Vec<&str>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for line in input.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// The time after one of `prefixes`, when the line is a time-stamp line.
pub(super) fn stamp_after(line: &str, prefixes: &[&str]) -> Option<jiff::Timestamp> {
    let lower = line.to_lowercase();
    prefixes.iter().find_map(|prefix| {
        if !lower.starts_with(prefix) {
            return None;
        }
        // The prefixes are ASCII, so their length is a character boundary in `line` too.
        line.get(prefix.len()..).and_then(stamp::parse)
    })
}

/// Chrome inside the body ends the article when it is the kind that only follows
/// articles, or when no prose follows it before the next such chrome. Entry `i` says
/// whether chrome just before block `i` ends the article: one pass from the end.
fn chrome_verdicts(blocks: &[Vec<&str>]) -> Vec<bool> {
    let mut verdicts = vec![true; blocks.len() + 1];
    for (i, block) in blocks.iter().enumerate().rev() {
        let mut verdict = verdicts[i + 1];
        for line in block.iter().rev() {
            if classify(line).is_some_and(Chrome::ends_article) {
                verdict = true;
            } else if is_prose(line) {
                verdict = false;
            }
        }
        verdicts[i] = verdict;
    }
    verdicts
}

/// The block after the headline, when it is a picture's alt text (and caption).
fn picture(lines: &[&str]) -> Option<MissingImage> {
    match lines {
        [alt, caption] if !is_prose(alt) => Some(MissingImage {
            alt: alt.to_string(),
            caption: caption.to_string(),
        }),
        [alt] if !ends_sentence(alt) => Some(MissingImage {
            alt: alt.to_string(),
            caption: String::new(),
        }),
        _ => None,
    }
}
