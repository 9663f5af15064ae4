//! Live posts as HTML: one `<article>` per post, the same markup on the page as
//! rendered on the server and in the events a reader's stream inserts, so a post
//! pushed to an open page looks exactly as it will after a reload.

use super::body::{blocks, picture_attributes, PictureSizes};
use super::{escape, SafeHtml};
use crate::domain::markup::parse_for_display;
use crate::media;

/// What a post shows.
pub struct PostParts<'a> {
    pub id: i64,
    /// Its place in publication order (newest first on the page).
    pub seq: i64,
    pub body: &'a str,
    /// The picture's id, stored size and alt text.
    pub image: Option<(i64, i64, i64, &'a str)>,
    pub byline: &'a str,
    pub pinned: bool,
    /// "Key point", in the page's language, on a pinned post.
    pub key_label: &'a str,
    /// When it was published, as readers read it ("14:32") and as a machine does (RFC 3339).
    pub time_label: &'a str,
    pub datetime: &'a str,
}

/// The width a post's picture is shown at, at most.
const PICTURE_WIDTH: i64 = 640;

/// One post: its time (a link to the post itself), a "Key point" label when
/// pinned, the byline, the text and the picture.
pub fn live_post(post: &PostParts<'_>) -> SafeHtml {
    let mut out = String::with_capacity(post.body.len() + 400);
    out.push_str(&format!(
        "<article class=\"live-post{}\" id=\"post-{}\" data-seq=\"{}\" aria-labelledby=\"post-{}-time\">\n<header class=\"live-post-head\">",
        if post.pinned { " key-point" } else { "" },
        post.id,
        post.seq,
        post.id
    ));
    // The time is the post's heading: an `<article>` needs one, and readers
    // moving by headings go from post to post.
    out.push_str(&format!(
        "<h3 class=\"live-heading\"><a class=\"live-time\" id=\"post-{}-time\" href=\"#post-{}\"><time datetime=\"",
        post.id, post.id
    ));
    escape(post.datetime, &mut out);
    out.push_str("\">");
    escape(post.time_label, &mut out);
    out.push_str("</time></a></h3>");
    if post.pinned {
        out.push_str("<strong class=\"live-key\">");
        escape(post.key_label, &mut out);
        out.push_str("</strong>");
    }
    if !post.byline.is_empty() {
        out.push_str("<span class=\"live-byline\">");
        escape(post.byline, &mut out);
        out.push_str("</span>");
    }
    out.push_str("</header>\n");
    // Pictures in a post's text are not looked up: shown at the standard widths.
    out.push_str(blocks(&parse_for_display(post.body).blocks, &PictureSizes::none()).as_str());
    if let Some((id, width, height, alt)) = post.image {
        picture(id, (width, height), alt, &mut out);
    }
    out.push_str("</article>\n");
    SafeHtml(out)
}

fn picture(id: i64, (width, height): (i64, i64), alt: &str, out: &mut String) {
    let shown = media::rendition_width(width, PICTURE_WIDTH);
    out.push_str("<figure class=\"live-picture\"><img ");
    picture_attributes(
        id,
        Some((width, height)),
        PICTURE_WIDTH,
        &format!("(min-width: 40em) {shown}px, 100vw"),
        out,
    );
    out.push_str(" loading=\"lazy\" alt=\"");
    escape(alt, out);
    out.push_str("\"></figure>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(body: &'a str, byline: &'a str, alt: &'a str) -> PostParts<'a> {
        PostParts {
            id: 7,
            seq: 3,
            body,
            image: Some((3, 1200, 800, alt)),
            byline,
            pinned: true,
            key_label: "Key point",
            time_label: "14:32",
            datetime: "2026-12-05T14:32:00Z",
        }
    }

    #[test]
    fn a_post_is_escaped_and_labelled() {
        let html = live_post(&parts(
            "Crowds <script>x</script> **gather**",
            "Jo \"<b>\"",
            "A <crowd>",
        ));
        let html = html.as_str();
        assert!(html.contains("id=\"post-7\" data-seq=\"3\""), "{html}");
        assert!(html.contains("<strong class=\"live-key\">Key point</strong>"));
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("Jo &quot;&lt;b&gt;&quot;"), "{html}");
        assert!(html.contains("alt=\"A &lt;crowd&gt;\""), "{html}");
        assert!(html.contains("<time datetime=\"2026-12-05T14:32:00Z\">14:32</time>"));
        assert!(html.contains("/images/3/640 640w"), "{html}");
    }

    #[test]
    fn a_plain_post_has_no_label_byline_or_picture() {
        let mut p = parts("Quiet.", "", "");
        p.pinned = false;
        p.image = None;
        let html = live_post(&p);
        assert!(!html.as_str().contains("live-key"));
        assert!(!html.as_str().contains("live-byline"));
        assert!(!html.as_str().contains("<img"));
        assert!(html.as_str().contains("<p>Quiet.</p>"));
    }
}
