//! The HTML form of a legacy article page, read with a real HTML parser (`scraper`):
//! headline from `<h1>` (or meta tags, JSON-LD, `<title>`), times from JSON-LD, meta
//! tags, `<time>` or a "Page last updated at" line, the lead picture from the first
//! `<figure>`, and the text of the main content region without scripts, styles,
//! navigation, asides, headers, footers and forms.

use jiff::Timestamp;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::chrome::classify;
use super::text::{stamp_after, PUBLISHED, UPDATED};
use super::{stamp, Article, Block, ImportError, MissingImage};

/// Elements that are never article text and are not counted as chrome.
const IGNORED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "video",
    "audio", "canvas", "button", "input", "select", "textarea", "head", "title", "meta", "link",
    "br", "hr", "img", "picture", "source",
];
/// Site furniture: dropped and counted.
const CHROME: &[&str] = &["nav", "aside", "footer", "header", "form", "menu", "table"];
/// Block-level children that mean a container's loose text is not one paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "table",
    "nav",
    "aside",
    "footer",
    "header",
    "form",
];

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn first<'a>(doc: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    doc.select(&selector(css)?).next()
}

/// The element's text with whitespace collapsed.
fn text_of(el: ElementRef<'_>) -> String {
    let joined: String = el.text().collect();
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn meta(doc: &Html, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        let css = format!("meta[property=\"{name}\"], meta[name=\"{name}\"]");
        first(doc, &css)
            .and_then(|m| m.value().attr("content"))
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|c| !c.is_empty())
    })
}

/// The first JSON-LD object describing an article (or anything with a headline).
fn json_ld(doc: &Html) -> Option<Value> {
    let sel = selector("script[type=\"application/ld+json\"]")?;
    let mut candidates = Vec::new();
    for script in doc.select(&sel) {
        let Ok(value) = serde_json::from_str::<Value>(&script.text().collect::<String>()) else {
            continue;
        };
        let items = match value {
            Value::Array(items) => items,
            Value::Object(ref o) if o.get("@graph").is_some_and(Value::is_array) => {
                o["@graph"].as_array().cloned().unwrap_or_default()
            }
            other => vec![other],
        };
        candidates.extend(items.into_iter().filter(|i| i.get("headline").is_some()));
    }
    candidates.into_iter().next()
}

fn ld_string(ld: Option<&Value>, key: &str) -> Option<String> {
    let value = ld?.get(key)?;
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.first()?.as_str()?.to_string(),
        _ => return None,
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Reads one HTML page.
pub fn parse(input: &str) -> Result<Article, ImportError> {
    let doc = Html::parse_document(input);
    let ld = json_ld(&doc);
    let region = ["article", "main", "[role=\"main\"]", "body"]
        .iter()
        .find_map(|css| first(&doc, css))
        .unwrap_or_else(|| doc.root_element());

    let headline = first_heading(region)
        .or_else(|| {
            doc.select(&selector("h1")?)
                .map(text_of)
                .find(|t| !t.is_empty())
        })
        .or_else(|| meta(&doc, &["og:title", "twitter:title"]))
        .or_else(|| ld_string(ld.as_ref(), "headline"))
        .or_else(|| first(&doc, "title").map(text_of).filter(|t| !t.is_empty()))
        .ok_or(ImportError::NoHeadline)?;

    let (mut text_updated, mut text_published) = (None, None);
    for chunk in doc.root_element().text() {
        let line = chunk.split_whitespace().collect::<Vec<_>>().join(" ");
        if text_updated.is_none() {
            text_updated = stamp_after(&line, UPDATED);
        }
        if text_published.is_none() {
            text_published = stamp_after(&line, PUBLISHED);
        }
    }
    let time_element = first(&doc, "time[datetime]")
        .and_then(|t| t.value().attr("datetime"))
        .and_then(stamp::parse);
    let when = |s: Option<String>| s.as_deref().and_then(stamp::parse);
    let published = when(ld_string(ld.as_ref(), "datePublished"))
        .or_else(|| when(meta(&doc, &["article:published_time", "date", "dc.date"])))
        .or(text_published);
    let updated: Option<Timestamp> = when(ld_string(ld.as_ref(), "dateModified"))
        .or_else(|| {
            when(meta(
                &doc,
                &["article:modified_time", "og:updated_time", "last-modified"],
            ))
        })
        .or(text_updated)
        .or(time_element)
        .or(published);
    let last_updated = updated.ok_or(ImportError::NoTimestamp)?;

    let section = meta(&doc, &["article:section", "section"])
        .or_else(|| ld_string(ld.as_ref(), "articleSection"));
    let (blocks, image, chrome_dropped) = walk(region);
    if blocks.is_empty() {
        return Err(ImportError::NoBody);
    }
    Ok(Article {
        headline,
        last_updated,
        first_published: published.unwrap_or(last_updated).min(last_updated),
        section,
        image,
        blocks,
        chrome_dropped,
    })
}

fn first_heading(region: ElementRef<'_>) -> Option<String> {
    region
        .select(&selector("h1")?)
        .map(text_of)
        .find(|t| !t.is_empty())
}

/// Walks the content region in document order (with an explicit stack, so deep
/// nesting cannot overflow), collecting blocks, the lead picture and dropped chrome.
fn walk(region: ElementRef<'_>) -> (Vec<Block>, Option<MissingImage>, usize) {
    let mut blocks = Vec::new();
    let mut image = None;
    let mut dropped = 0;
    let mut stack = vec![region];
    let mut first = true;
    while let Some(el) = stack.pop() {
        let name = el.value().name();
        let is_root = std::mem::take(&mut first);
        if IGNORED.contains(&name) || (name == "h1" && !is_root) {
            continue;
        }
        if CHROME.contains(&name) && !is_root {
            dropped += text_lines(el);
            continue;
        }
        match name {
            "figure" => {
                if image.is_none() && blocks.is_empty() {
                    image = figure(el);
                }
            }
            "p" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "li" | "dd" => {
                let text = text_of(el);
                if text.is_empty()
                    || stamp_after(&text, UPDATED).is_some()
                    || stamp_after(&text, PUBLISHED).is_some()
                {
                    continue;
                }
                if classify(&text).is_some() {
                    dropped += 1;
                    continue;
                }
                blocks.push(match name {
                    "blockquote" => Block::Quote(text),
                    "p" | "li" | "dd" => Block::Paragraph(text),
                    _ => Block::Crosshead(text),
                });
            }
            "ul" | "ol" if mostly_links(el) => dropped += text_lines(el),
            _ if !is_root && has_loose_text(el) => {
                let text = text_of(el);
                if classify(&text).is_some() {
                    dropped += 1;
                } else if stamp_after(&text, UPDATED).is_none() {
                    blocks.push(Block::Paragraph(text));
                }
            }
            _ => {
                let children: Vec<ElementRef<'_>> =
                    el.children().filter_map(ElementRef::wrap).collect();
                stack.extend(children.into_iter().rev());
            }
        }
    }
    // The intro is a paragraph: leading headings are not crossheads.
    while matches!(blocks.first(), Some(Block::Crosshead(_))) {
        blocks.remove(0);
        dropped += 1;
    }
    (blocks, image, dropped)
}

/// A container holding text of its own and no block-level children: one paragraph.
fn has_loose_text(el: ElementRef<'_>) -> bool {
    let has_text = el
        .children()
        .any(|c| c.value().as_text().is_some_and(|t| !t.trim().is_empty()));
    has_text
        && !el
            .children()
            .filter_map(ElementRef::wrap)
            .any(|c| BLOCKS.contains(&c.value().name()))
}

fn text_lines(el: ElementRef<'_>) -> usize {
    el.text().filter(|t| !t.trim().is_empty()).count()
}

/// A list whose text is mostly link text: links to other stories, not article text.
fn mostly_links(el: ElementRef<'_>) -> bool {
    let all = text_of(el).chars().count();
    let links: usize = selector("a")
        .map(|a| el.select(&a).map(|a| text_of(a).chars().count()).sum())
        .unwrap_or(0);
    links * 2 >= all
}

fn figure(el: ElementRef<'_>) -> Option<MissingImage> {
    let alt = selector("img")
        .and_then(|s| el.select(&s).next())
        .and_then(|img| img.value().attr("alt"))
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let caption = selector("figcaption")
        .and_then(|s| el.select(&s).next())
        .map(text_of)
        .unwrap_or_default();
    match (alt.is_empty(), caption.is_empty()) {
        (true, true) => None,
        (true, false) => Some(MissingImage {
            alt: caption.clone(),
            caption,
        }),
        _ => Some(MissingImage { alt, caption }),
    }
}
