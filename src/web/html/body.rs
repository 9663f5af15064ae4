//! Story bodies as HTML: paragraphs, `<h2>` crossheads and `<blockquote>`s from
//! the parsed blocks, with every piece of text escaped and every link checked when
//! it was parsed.

use super::{escape, SafeHtml};
use crate::domain::markup::{Block, Inline};
use crate::web::paths;

/// The width pictures in a body are shown at (a standard rendition width).
const PICTURE_WIDTH: i64 = 640;

/// Renders inline content (the intro, a crosshead's words).
pub fn inlines(inlines: &[Inline]) -> SafeHtml {
    let mut out = String::new();
    write_inlines(inlines, &mut out);
    SafeHtml(out)
}

/// Renders blocks, one per line.
pub fn blocks(blocks: &[Block]) -> SafeHtml {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Paragraph { content } => {
                out.push_str("<p>");
                write_inlines(content, &mut out);
                out.push_str("</p>\n");
            }
            Block::Crosshead { content } => {
                out.push_str("<h2 class=\"crosshead\">");
                write_inlines(content, &mut out);
                out.push_str("</h2>\n");
            }
            Block::Quote { paragraphs } => {
                out.push_str("<blockquote>");
                for p in paragraphs {
                    out.push_str("<p>");
                    write_inlines(p, &mut out);
                    out.push_str("</p>");
                }
                out.push_str("</blockquote>\n");
            }
        }
    }
    SafeHtml(out)
}

fn write_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => escape(text, out),
            Inline::Emphasis { content } => wrap("em", content, out),
            Inline::Strong { content } => wrap("strong", content, out),
            Inline::Link { href, content } => {
                out.push_str("<a href=\"");
                escape(href, out);
                out.push_str("\">");
                write_inlines(content, out);
                out.push_str("</a>");
            }
            Inline::Image { image_id, alt } => {
                out.push_str("<img src=\"");
                escape(&paths::image(*image_id, PICTURE_WIDTH), out);
                out.push_str(&format!(
                    "\" width=\"{PICTURE_WIDTH}\" loading=\"lazy\" alt=\""
                ));
                escape(alt, out);
                out.push_str("\">");
            }
            Inline::LineBreak => out.push_str("<br>"),
        }
    }
}

fn wrap(tag: &str, content: &[Inline], out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    write_inlines(content, out);
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
        let html = blocks(&body.blocks).into_string();
        assert!(html.contains("<em>emphasis</em>"));
        assert!(html.contains("<strong>strong</strong>"));
        assert!(html.contains("<h2 class=\"crosshead\">Crosshead</h2>"));
        assert!(html.contains("<blockquote><p>&quot;A quote,&quot; she said.</p></blockquote>"));
        assert!(html.contains("<a href=\"https://example.org/r\">the report</a>"));
        assert!(html
            .contains("<img src=\"/images/7/640\" width=\"640\" loading=\"lazy\" alt=\"A map\">"));
    }

    #[test]
    fn the_intro_renders_without_its_paragraph() {
        let body = parse("First *one*.\n\nSecond.").unwrap();
        let (intro, rest) = body.split_intro();
        assert_eq!(inlines(intro.unwrap()).as_str(), "First <em>one</em>.");
        assert_eq!(blocks(rest).as_str(), "<p>Second.</p>\n");
    }

    #[test]
    fn unparseable_stored_bodies_display_as_plain_text() {
        let body = parse_for_display("Fine.\n\n<script>x</script>");
        assert_eq!(
            blocks(&body.blocks).as_str(),
            "<p>Fine.</p>\n<p>&lt;script&gt;x&lt;/script&gt;</p>\n"
        );
    }

    #[test]
    fn escapes_text() {
        let body = parse("1 < 2 & \"x\" 'y'").unwrap();
        assert_eq!(
            blocks(&body.blocks).as_str(),
            "<p>1 &lt; 2 &amp; &quot;x&quot; &#39;y&#39;</p>\n"
        );
    }
}
