//! Story body markup: a small CommonMark subset (paragraphs, `##` crossheads,
//! block quotes, links, emphasis, stored images), parsed with pulldown-cmark into
//! structured blocks. Anything else is refused with the line it is on; raw HTML never passes.
//! A stored picture alone in its paragraph, `![alt](image:42 "caption")`, is a
//! picture block (a figure with its caption); every picture needs its alt text.
//! The blocks are rendered to HTML in one place, `web::html`.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::fmt;

use super::links::check_url;
use super::text::quoted;

/// Longest body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 200_000;

/// A parsed story body.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        content: Vec<Inline>,
    },
    Crosshead {
        content: Vec<Inline>,
    },
    Quote {
        paragraphs: Vec<Vec<Inline>>,
    },
    /// A stored picture alone in its paragraph: shown as a figure, its title the caption.
    Picture {
        image_id: i64,
        alt: String,
        caption: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text { text: String },
    Emphasis { content: Vec<Inline> },
    Strong { content: Vec<Inline> },
    Link { href: String, content: Vec<Inline> },
    Image { image_id: i64, alt: String },
    LineBreak,
}

/// Why a body was refused, with the 1-based line it happened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for MarkupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for MarkupError {}

/// One open element while parsing.
enum Frame {
    /// A paragraph's content, and the caption of a picture that opened it (a
    /// picture block when nothing else follows it).
    Paragraph(Vec<Inline>, Option<String>),
    Crosshead(Vec<Inline>),
    Quote(Vec<Vec<Inline>>),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Link(String, Vec<Inline>),
    /// A picture's id, alt text as read so far, and title (the caption).
    Image(i64, String, String),
}

/// Why a picture without alt text is refused, in the journalist's words.
pub const MISSING_ALT: &str =
    "a picture needs a description for people who cannot see it (alt text)";

/// Parses body markup into blocks, or says which line holds what is not allowed.
pub fn parse(source: &str) -> Result<Body, MarkupError> {
    parse_with(source, true)
}

/// `require_alt`: refuse a picture without alt text (as saving does); stored
/// bodies from before that rule still display, their pictures with an empty alt.
fn parse_with(source: &str, require_alt: bool) -> Result<Body, MarkupError> {
    if source.len() > MAX_BODY_BYTES {
        return Err(MarkupError {
            line: 1,
            message: format!("the body is longer than {MAX_BODY_BYTES} bytes"),
        });
    }
    let line_of = |offset: usize| source[..offset.min(source.len())].matches('\n').count() + 1;
    let mut blocks = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();

    for (event, range) in Parser::new_ext(source, Options::empty()).into_offset_iter() {
        let fail = |message: String| MarkupError {
            line: line_of(range.start),
            message,
        };
        match event {
            Event::Start(tag) => stack.push(open(tag, &stack).map_err(fail)?),
            Event::End(end) => close(end, &mut stack, &mut blocks, require_alt).map_err(fail)?,
            Event::Text(text) => push_text(&mut stack, &text).map_err(fail)?,
            Event::SoftBreak => push_text(&mut stack, " ").map_err(fail)?,
            Event::HardBreak => push_inline(&mut stack, Inline::LineBreak).map_err(fail)?,
            Event::Html(_) | Event::InlineHtml(_) => {
                return Err(fail("raw HTML is not allowed".into()))
            }
            Event::Code(_) => return Err(fail("inline code is not allowed".into())),
            Event::Rule => return Err(fail("horizontal rules are not allowed".into())),
            _ => return Err(fail("this markup is not allowed".into())),
        }
    }
    Ok(Body { blocks })
}

/// Parses a stored body for display. Bodies are checked when saved, but one that
/// no longer parses (older rules, imported data) is shown as escaped plain paragraphs
/// rather than failing the page.
pub fn parse_for_display(source: &str) -> Body {
    parse_with(source, false).unwrap_or_else(|_| Body {
        blocks: source
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Block::Paragraph {
                content: vec![Inline::Text {
                    text: p.to_string(),
                }],
            })
            .collect(),
    })
}

fn open(tag: Tag<'_>, stack: &[Frame]) -> Result<Frame, String> {
    let in_quote = stack.iter().any(|f| matches!(f, Frame::Quote(_)));
    Ok(match tag {
        Tag::Paragraph => Frame::Paragraph(Vec::new(), None),
        Tag::Heading {
            level: HeadingLevel::H2,
            ..
        } => {
            if in_quote {
                return Err("crossheads cannot be inside a quote".into());
            }
            Frame::Crosshead(Vec::new())
        }
        Tag::Heading { level, .. } => {
            return Err(format!(
                "only ## crossheads are allowed (found a level {} heading)",
                level as usize
            ))
        }
        Tag::BlockQuote(_) if in_quote => return Err("quotes inside quotes are not allowed".into()),
        Tag::BlockQuote(_) => Frame::Quote(Vec::new()),
        Tag::Emphasis => Frame::Emphasis(Vec::new()),
        Tag::Strong => Frame::Strong(Vec::new()),
        Tag::Link { dest_url, .. } => {
            let href =
                check_url(&dest_url).map_err(|e| format!("link to {}: {e}", quoted(&dest_url)))?;
            Frame::Link(href, Vec::new())
        }
        Tag::Image {
            dest_url, title, ..
        } => Frame::Image(
            stored_image_id(&dest_url)?,
            String::new(),
            title.trim().to_string(),
        ),
        Tag::List(_) | Tag::Item => return Err("lists are not allowed".into()),
        Tag::CodeBlock(_) => {
            return Err(
                "code blocks are not allowed (a line indented by four spaces is one)".into(),
            )
        }
        Tag::HtmlBlock => return Err("raw HTML is not allowed".into()),
        _ => return Err("this markup is not allowed".into()),
    })
}

/// Images in a body must point at an image stored in Dateline: `image:42` or `/images/42`.
fn stored_image_id(dest: &str) -> Result<i64, String> {
    dest.strip_prefix("image:")
        .or_else(|| dest.strip_prefix("/images/"))
        .and_then(|id| id.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            format!(
                "images must refer to a stored image, like ![alt text](image:42), not {}",
                quoted(dest)
            )
        })
}

fn close(
    _end: TagEnd,
    stack: &mut Vec<Frame>,
    blocks: &mut Vec<Block>,
    require_alt: bool,
) -> Result<(), String> {
    let frame = stack.pop().ok_or("unbalanced markup")?;
    match frame {
        Frame::Paragraph(content, caption) => match stack.last_mut() {
            Some(Frame::Quote(paragraphs)) => paragraphs.push(content),
            None => blocks.push(picture_block(content, caption)),
            Some(_) => return Err("unexpected paragraph".into()),
        },
        Frame::Crosshead(content) => blocks.push(Block::Crosshead { content }),
        Frame::Quote(paragraphs) => blocks.push(Block::Quote { paragraphs }),
        Frame::Emphasis(content) => push_inline(stack, Inline::Emphasis { content })?,
        Frame::Strong(content) => push_inline(stack, Inline::Strong { content })?,
        Frame::Link(href, content) => push_inline(stack, Inline::Link { href, content })?,
        Frame::Image(image_id, alt, caption) => {
            let alt = alt.trim().to_string();
            if require_alt && alt.is_empty() {
                return Err(MISSING_ALT.into());
            }
            // A picture that opens a paragraph keeps its caption there, in case nothing follows it.
            if let Some(Frame::Paragraph(content, pending)) = stack.last_mut() {
                if content.is_empty() {
                    *pending = Some(caption);
                }
            }
            push_inline(stack, Inline::Image { image_id, alt })?
        }
    }
    Ok(())
}

/// A top-level paragraph holding one picture and nothing else is a picture block.
fn picture_block(mut content: Vec<Inline>, caption: Option<String>) -> Block {
    match (caption, content.as_mut_slice()) {
        (Some(caption), [Inline::Image { image_id, alt }]) => Block::Picture {
            image_id: *image_id,
            alt: std::mem::take(alt),
            caption,
        },
        _ => Block::Paragraph { content },
    }
}

/// The markup of a picture block, `![alt](image:42 "caption")`, its own paragraph
/// to append to a body: every ASCII punctuation character in the words is escaped
/// (CommonMark allows it anywhere), and line breaks become spaces, so it parses
/// back to exactly these words.
pub fn picture_markup(image_id: i64, alt: &str, caption: &str) -> String {
    fn escaped(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for word in text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            for c in word.chars() {
                if c.is_ascii_punctuation() {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        out
    }
    let caption = escaped(caption);
    if caption.is_empty() {
        format!("![{}](image:{image_id})", escaped(alt))
    } else {
        format!("![{}](image:{image_id} \"{caption}\")", escaped(alt))
    }
}

fn push_text(stack: &mut [Frame], text: &str) -> Result<(), String> {
    if let Some(Frame::Image(_, alt, _)) = stack.last_mut() {
        alt.push_str(text);
        return Ok(());
    }
    push_inline(
        stack,
        Inline::Text {
            text: text.to_string(),
        },
    )
}

fn push_inline(stack: &mut [Frame], inline: Inline) -> Result<(), String> {
    match stack.last_mut() {
        Some(
            Frame::Paragraph(v, _)
            | Frame::Crosshead(v)
            | Frame::Emphasis(v)
            | Frame::Strong(v)
            | Frame::Link(_, v),
        ) => {
            if let (Some(Inline::Text { text: last }), Inline::Text { text }) =
                (v.last_mut(), &inline)
            {
                last.push_str(text);
            } else {
                v.push(inline);
            }
            Ok(())
        }
        Some(Frame::Image(..)) => Err("images cannot contain other markup".into()),
        _ => Err("text outside a paragraph".into()),
    }
}

impl Body {
    /// The first paragraph, shown set apart as the intro, and the blocks after it.
    pub fn split_intro(&self) -> (Option<&[Inline]>, &[Block]) {
        match self.blocks.split_first() {
            Some((Block::Paragraph { content }, rest)) => (Some(content), rest),
            _ => (None, &self.blocks),
        }
    }

    /// The body as plain text, paragraphs separated by blank lines.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            match block {
                Block::Paragraph { content } | Block::Crosshead { content } => {
                    plain_inlines(content, &mut out)
                }
                Block::Quote { paragraphs } => {
                    for (i, p) in paragraphs.iter().enumerate() {
                        if i > 0 {
                            out.push_str("\n\n");
                        }
                        plain_inlines(p, &mut out);
                    }
                }
                // Readers read the caption under a picture; without one, its description stands in.
                Block::Picture { alt, caption, .. } => {
                    out.push_str(if caption.is_empty() { alt } else { caption })
                }
            }
        }
        out
    }

    /// The stored pictures the body shows, each once, in order of appearance.
    pub fn image_ids(&self) -> Vec<i64> {
        fn walk(inlines: &[Inline], ids: &mut Vec<i64>) {
            for inline in inlines {
                match inline {
                    Inline::Image { image_id, .. } if !ids.contains(image_id) => {
                        ids.push(*image_id)
                    }
                    Inline::Emphasis { content }
                    | Inline::Strong { content }
                    | Inline::Link { content, .. } => walk(content, ids),
                    _ => {}
                }
            }
        }
        let mut ids = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Paragraph { content } | Block::Crosshead { content } => {
                    walk(content, &mut ids)
                }
                Block::Quote { paragraphs } => paragraphs.iter().for_each(|p| walk(p, &mut ids)),
                Block::Picture { image_id, .. } if !ids.contains(image_id) => ids.push(*image_id),
                Block::Picture { .. } => {}
            }
        }
        ids
    }

    pub fn crosshead_count(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| matches!(b, Block::Crosshead { .. }))
            .count()
    }
}

pub fn plain_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push_str(text),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => plain_inlines(content, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::LineBreak => out.push(' '),
        }
    }
}

#[cfg(test)]
#[path = "markup_tests.rs"]
mod tests;
