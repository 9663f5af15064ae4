//! Readers' comments as HTML: the text escaped, line breaks as `<br>`, and web addresses as links marked `rel="nofollow ugc"`, so search engines give them no weight and no markup a reader typed is ever written.

use super::{escape, SafeHtml};
use crate::domain::comment::{pieces, Piece};

/// A comment's text as HTML.
pub fn comment(text: &str) -> SafeHtml {
    let mut out = String::with_capacity(text.len() + 16);
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => escape(t, &mut out),
            Piece::LineBreak => out.push_str("<br>"),
            Piece::Link(href) => {
                out.push_str("<a href=\"");
                escape(href, &mut out);
                out.push_str("\" rel=\"nofollow ugc\">");
                escape(href, &mut out);
                out.push_str("</a>");
            }
        }
    }
    SafeHtml(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_text_and_links_carry_nofollow_ugc() {
        assert_eq!(
            comment("<script>alert(1)</script>\nsee https://e.org/?a=1&b=\"2\"").as_str(),
            "&lt;script&gt;alert(1)&lt;/script&gt;<br>see \
             <a href=\"https://e.org/?a=1&amp;b=\" rel=\"nofollow ugc\">https://e.org/?a=1&amp;b=</a>&quot;2&quot;"
        );
        assert_eq!(
            comment("javascript:alert(1)").as_str(),
            "javascript:alert(1)"
        );
    }
}
