//! Story bodies as HTML: paragraphs, `<h2>` crossheads, `<blockquote>`s and
//! picture figures from the parsed blocks, with every piece of text escaped and
//! every link checked when it was parsed.

use std::collections::HashMap;

use super::{escape, SafeHtml};
use crate::domain::markup::{Block, Inline};
use crate::media;
use crate::web::paths;

/// The width a picture among a paragraph's words is shown at, at most (a standard width).
const INLINE_WIDTH: i64 = 640;
/// A picture block is shown like the lead picture: the article's width.
const FIGURE_WIDTH: i64 = 976;
const FIGURE_SIZES: &str = "(min-width: 61em) 976px, 100vw";

/// The stored size (original width and height) of each picture a body shows, by
/// id: what its `srcset`, `width` and `height` are made from. A picture missing
/// here (never stored) is still shown at the standard widths, without a height.
#[derive(Debug, Clone, Default)]
pub struct PictureSizes(HashMap<i64, (i64, i64)>);

impl PictureSizes {
    pub fn new(sizes: HashMap<i64, (i64, i64)>) -> PictureSizes {
        PictureSizes(sizes)
    }

    /// No sizes known (bodies whose pictures are not looked up, like a live post's text).
    pub fn none() -> PictureSizes {
        PictureSizes::default()
    }

    /// Stored picture `id`'s original size, if it is stored.
    pub fn get(&self, id: i64) -> Option<(i64, i64)> {
        self.0.get(&id).copied()
    }
}

/// Renders inline content (the intro, a crosshead's words).
pub fn inlines(inlines: &[Inline], sizes: &PictureSizes) -> SafeHtml {
    let mut out = String::new();
    write_inlines(inlines, sizes, &mut out);
    SafeHtml(out)
}

/// Renders blocks, one per line.
pub fn blocks(blocks: &[Block], sizes: &PictureSizes) -> SafeHtml {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Paragraph { content } => {
                out.push_str("<p>");
                write_inlines(content, sizes, &mut out);
                out.push_str("</p>\n");
            }
            Block::Crosshead { content } => {
                out.push_str("<h2 class=\"crosshead\">");
                write_inlines(content, sizes, &mut out);
                out.push_str("</h2>\n");
            }
            Block::Quote { paragraphs } => {
                out.push_str("<blockquote>");
                for p in paragraphs {
                    out.push_str("<p>");
                    write_inlines(p, sizes, &mut out);
                    out.push_str("</p>");
                }
                out.push_str("</blockquote>\n");
            }
            Block::Picture {
                image_id,
                alt,
                caption,
            } => {
                out.push_str("<figure class=\"body-picture\"><img ");
                picture_attributes(
                    *image_id,
                    sizes.0.get(image_id).copied(),
                    FIGURE_WIDTH,
                    FIGURE_SIZES,
                    &mut out,
                );
                out.push_str(" loading=\"lazy\" alt=\"");
                escape(alt, &mut out);
                out.push_str("\">");
                if !caption.is_empty() {
                    out.push_str("<figcaption>");
                    escape(caption, &mut out);
                    out.push_str("</figcaption>");
                }
                out.push_str("</figure>\n");
            }
        }
    }
    SafeHtml(out)
}

/// `src`, `srcset`, `sizes`, `width` and `height` of stored picture `id` (its
/// original size `size`, when known) shown at standard width `width` at most.
/// A small original's renditions repeat its size: each size is listed once,
/// under its smallest key.
pub(super) fn picture_attributes(
    id: i64,
    size: Option<(i64, i64)>,
    width: i64,
    sizes_attribute: &str,
    out: &mut String,
) {
    let original_width = size.map_or(i64::MAX, |(w, _)| w);
    let mut listed: Vec<(i64, i64)> = Vec::new();
    for key in media::WIDTHS {
        let actual = media::rendition_width(original_width, key);
        if !listed.iter().any(|(_, a)| *a == actual) {
            listed.push((key, actual));
        }
    }
    let shown = media::rendition_width(original_width, width);
    let key = listed
        .iter()
        .find(|(_, a)| *a == shown)
        .map_or(width, |(k, _)| *k);
    let srcset = listed
        .iter()
        .map(|(k, a)| format!("{} {a}w", paths::image(id, *k)))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str("src=\"");
    escape(&paths::image(id, key), out);
    out.push_str("\" srcset=\"");
    escape(&srcset, out);
    out.push_str("\" sizes=\"");
    escape(sizes_attribute, out);
    out.push_str(&format!("\" width=\"{shown}\""));
    if let Some((w, h)) = size.filter(|(w, _)| *w > 0) {
        out.push_str(&format!(" height=\"{}\"", h * shown / w));
    }
}

fn write_inlines(inlines: &[Inline], sizes: &PictureSizes, out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => escape(text, out),
            Inline::Emphasis { content } => wrap("em", content, sizes, out),
            Inline::Strong { content } => wrap("strong", content, sizes, out),
            Inline::Link { href, content } => {
                out.push_str("<a href=\"");
                escape(href, out);
                out.push_str("\">");
                write_inlines(content, sizes, out);
                out.push_str("</a>");
            }
            Inline::Image { image_id, alt } => {
                out.push_str("<img ");
                let size = sizes.0.get(image_id).copied();
                let shown =
                    media::rendition_width(size.map_or(INLINE_WIDTH, |(w, _)| w), INLINE_WIDTH);
                picture_attributes(
                    *image_id,
                    size,
                    INLINE_WIDTH,
                    &format!("(min-width: 40em) {shown}px, 100vw"),
                    out,
                );
                out.push_str(" loading=\"lazy\" alt=\"");
                escape(alt, out);
                out.push_str("\">");
            }
            Inline::LineBreak => out.push_str("<br>"),
        }
    }
}

fn wrap(tag: &str, content: &[Inline], sizes: &PictureSizes, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    write_inlines(content, sizes, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::markup::{parse, parse_for_display};

    #[test]
    fn renders_the_allowed_subset() {
        let body = parse(
            "Intro with *emphasis* and **strong**.\n\n## Crosshead\n\n> \"A quote,\" she said.\n\nSee [the report](https://example.org/r) and ![A map](image:7).",
        )
        .unwrap();
        let html = blocks(&body.blocks, &PictureSizes::none()).into_string();
        assert!(html.contains("<em>emphasis</em>"));
        assert!(html.contains("<strong>strong</strong>"));
        assert!(html.contains("<h2 class=\"crosshead\">Crosshead</h2>"));
        assert!(html.contains("<blockquote><p>&quot;A quote,&quot; she said.</p></blockquote>"));
        assert!(html.contains("<a href=\"https://example.org/r\">the report</a>"));
        assert!(html.contains(
            "<img src=\"/images/7/640\" srcset=\"/images/7/320 320w, /images/7/640 640w, /images/7/976 976w\" \
             sizes=\"(min-width: 40em) 640px, 100vw\" width=\"640\" loading=\"lazy\" alt=\"A map\">"
        ), "{html}");
    }

    #[test]
    fn the_intro_renders_without_its_paragraph() {
        let body = parse("First *one*.\n\nSecond.").unwrap();
        let (intro, rest) = body.split_intro();
        let none = PictureSizes::none();
        assert_eq!(
            inlines(intro.unwrap(), &none).as_str(),
            "First <em>one</em>."
        );
        assert_eq!(blocks(rest, &none).as_str(), "<p>Second.</p>\n");
    }

    #[test]
    fn unparseable_stored_bodies_display_as_plain_text() {
        let body = parse_for_display("Fine.\n\n<script>x</script>");
        assert_eq!(
            blocks(&body.blocks, &PictureSizes::none()).as_str(),
            "<p>Fine.</p>\n<p>&lt;script&gt;x&lt;/script&gt;</p>\n"
        );
    }

    #[test]
    fn escapes_text() {
        let body = parse("1 < 2 & \"x\" 'y'").unwrap();
        assert_eq!(
            blocks(&body.blocks, &PictureSizes::none()).as_str(),
            "<p>1 &lt; 2 &amp; &quot;x&quot; &#39;y&#39;</p>\n"
        );
    }

    fn sized(id: i64, w: i64, h: i64) -> PictureSizes {
        PictureSizes::new(HashMap::from([(id, (w, h))]))
    }

    #[test]
    fn a_picture_block_is_a_figure_with_srcset_and_caption() {
        let body = parse("Intro.\n\n![Crowds \\<b\\>on\\</b\\> the \"quay\"](image:42 \"The quay & <i>noon</i>\")").unwrap();
        let html = blocks(&body.blocks[1..], &sized(42, 2000, 1000)).into_string();
        assert_eq!(
            html,
            "<figure class=\"body-picture\"><img src=\"/images/42/976\" \
             srcset=\"/images/42/320 320w, /images/42/640 640w, /images/42/976 976w\" \
             sizes=\"(min-width: 61em) 976px, 100vw\" width=\"976\" height=\"488\" loading=\"lazy\" \
             alt=\"Crowds &lt;b&gt;on&lt;/b&gt; the &quot;quay&quot;\">\
             <figcaption>The quay &amp; &lt;i&gt;noon&lt;/i&gt;</figcaption></figure>\n"
        );
    }

    #[test]
    fn a_small_picture_is_listed_at_its_own_size_without_a_caption() {
        let body = parse("![A stamp](image:5)").unwrap();
        let html = blocks(&body.blocks, &sized(5, 400, 300)).into_string();
        assert_eq!(
            html,
            "<figure class=\"body-picture\"><img src=\"/images/5/640\" \
             srcset=\"/images/5/320 320w, /images/5/640 400w\" \
             sizes=\"(min-width: 61em) 976px, 100vw\" width=\"400\" height=\"300\" loading=\"lazy\" \
             alt=\"A stamp\"></figure>\n"
        );
    }

    #[test]
    fn a_picture_among_words_gets_a_srcset_and_its_height() {
        let body = parse("See ![A map](image:7) here.").unwrap();
        let html = blocks(&body.blocks, &sized(7, 1200, 900)).into_string();
        assert!(html.contains("src=\"/images/7/640\" srcset=\"/images/7/320 320w, /images/7/640 640w, /images/7/976 976w\" sizes=\"(min-width: 40em) 640px, 100vw\" width=\"640\" height=\"480\""), "{html}");
    }
}
