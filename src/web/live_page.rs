//! A story's live page as the public sees it: what the article page and its
//! print view show below the intro (the ended notice, key points, the posts,
//! each rendered by `html::live_post`), its links to the stream, the script and
//! the Atom feed, its `LiveBlogPosting` structured data, and the post changes
//! its public history lists.

use jiff::Timestamp;

use super::assets::LIVE_SCRIPT_PATH;
use super::html::{self, SafeHtml};
use super::l10n;
use super::paths;
use super::views::{self, ArticleView, Chrome};
use super::AppState;
use crate::domain::edition::Edition;
use crate::domain::markup::parse_for_display;
use crate::domain::story::Story;
use crate::domain::text::clean_line;
use crate::domain::timefmt;
use crate::store::{LiveChangeRow, LiveHead, LivePost, LivePostsPage};

/// Posts on one page: the newest on the article, older ones behind "Older posts".
pub const POSTS_PER_PAGE: i64 = 50;
/// Posts listed as `liveBlogUpdate` in the structured data.
const JSON_LD_UPDATES: usize = 20;
/// Longest key point, in characters, "…" included.
const KEY_POINT_CHARS: usize = 160;
/// Longest headline of a post in the structured data, in characters.
const UPDATE_HEADLINE_CHARS: usize = 110;
/// Changes listed on the public history page.
pub const HISTORY_CHANGES: i64 = 1_000;

/// One key point: a pinned post's text, linking to the post.
pub struct KeyPointView {
    pub id: i64,
    pub href: String,
    pub text: String,
}

/// What a live page shows besides the story.
pub struct LiveView {
    pub running: bool,
    /// The newest posts of a running page, which follows new ones as they come:
    /// only it links the streams and the script (an older page stays as it is).
    pub follows: bool,
    pub stream_href: String,
    pub banner_stream_href: &'static str,
    pub script: &'static str,
    pub feed_href: String,
    pub feed_title: String,
    /// The closing summary ('' while running).
    pub summary: String,
    pub key_points: Vec<KeyPointView>,
    /// Each published post on this page, newest first, as `html::live_post` renders it.
    pub posts: Vec<SafeHtml>,
    /// The page's own path: "Show new posts" reloads it.
    pub refresh_href: String,
    /// "Show new posts" on the running page's newest posts, a way back to them
    /// from older ones, nothing on an ended page's newest.
    pub refresh_label: Option<String>,
    /// The next older page, when there is one.
    pub older_href: Option<String>,
}

impl LiveView {
    /// The live page `head` of `story` at `path`, showing `page`'s posts:
    /// the newest when `before` is `None`, else those placed before it.
    pub fn new(
        state: &AppState,
        story: &Story,
        head: &LiveHead,
        page: &LivePostsPage,
        path: &str,
        before: Option<i64>,
    ) -> LiveView {
        let running = head.page.ended_at.is_none();
        let edition = views::section_edition(state, story.content.section_id);
        let shown = |id: i64| page.posts.iter().any(|p| p.id == id);
        LiveView {
            running,
            follows: running && before.is_none(),
            stream_href: paths::live_events(story.id, head.last_change),
            banner_stream_href: paths::BREAKING_NEWS_EVENTS,
            script: LIVE_SCRIPT_PATH.as_str(),
            feed_href: paths::live_feed(story.id),
            feed_title: l10n::edition_text(
                edition,
                "live-feed-link-title",
                vec![("headline", clean_line(&story.content.headline).into())],
            ),
            summary: clean_line(&head.page.summary),
            key_points: page
                .key_points
                .iter()
                .map(|p| KeyPointView {
                    id: p.id,
                    // A key point older than this page's posts leads to the page that shows it.
                    href: match p.seq {
                        Some(seq) if !shown(p.id) => {
                            format!("{path}?before={}#post-{}", seq + 1, p.id)
                        }
                        _ => format!("#post-{}", p.id),
                    },
                    text: shorten(&plain_text(&p.body), KEY_POINT_CHARS),
                })
                .collect(),
            posts: page.posts.iter().map(|p| render(edition, p)).collect(),
            refresh_href: path.to_string(),
            refresh_label: match (running, before) {
                (_, Some(_)) => Some("live-back-to-latest"),
                (true, None) => Some("live-show-new-posts"),
                (false, None) => None,
            }
            .map(|id| l10n::edition_text(edition, id, Vec::new())),
            older_href: page
                .more
                .then(|| page.posts.last().and_then(|p| p.seq))
                .flatten()
                .map(|seq| format!("{path}?before={seq}")),
        }
    }
}

/// One post as the page shows it (the stream, the feed and the API render it the same way).
fn render(edition: &Edition, post: &LivePost) -> SafeHtml {
    super::live_posts::html_in(edition, post)
}

/// A post's text without markup, on one line.
fn plain_text(body: &str) -> String {
    parse_for_display(body)
        .plain_text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` cut to at most `max` characters, the last an ellipsis when cut: at
/// the end of a word when one ends in the second half.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    let whole_word = text.chars().nth(max - 1).is_some_and(char::is_whitespace);
    if !whole_word {
        if let Some(space) = cut.rfind(char::is_whitespace) {
            if cut[..space].chars().count() >= max / 2 {
                cut.truncate(space);
            }
        }
    }
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// The live page's "Page last updated at": its newest post or its end, when
/// later than the story's own update.
pub fn last_updated(story: &Story, head: &LiveHead, posts: &[LivePost]) -> Timestamp {
    let newest = posts
        .iter()
        .filter_map(|p| p.published_at.map(|at| at.max(p.updated_at)))
        .chain(head.page.ended_at)
        .max()
        .map(timefmt::from_unix);
    let story_updated = views::last_updated(story);
    newest.map_or(story_updated, |at| at.max(story_updated))
}

/// Puts the live page's last update in `view` and replaces its `NewsArticle`
/// with a `LiveBlogPosting`: the coverage's start and end, and the newest posts
/// as `liveBlogUpdate`.
pub fn apply_to_view(
    state: &AppState,
    story: &Story,
    view: &mut ArticleView,
    head: &LiveHead,
    posts: &[LivePost],
) {
    let updated = last_updated(story, head, posts);
    view.updated_iso = timefmt::rfc3339(updated);
    view.updated_long = timefmt::edition_long_stamp(
        updated,
        views::section_edition(state, story.content.section_id),
    );
    let article = views::news_article(
        state,
        story,
        &view.canonical,
        &view.image_url,
        &view.section_name,
        views::first_published(story),
        updated,
    );
    // A `Value` to add the live page's own fields to (the same order of keys);
    // a struct of strings always converts.
    let mut value = serde_json::to_value(&article).unwrap_or_default();
    value["@type"] = "LiveBlogPosting".into();
    value["coverageStartTime"] = timefmt::rfc3339(timefmt::from_unix(head.page.started_at)).into();
    if let Some(ended) = head.page.ended_at {
        value["coverageEndTime"] = timefmt::rfc3339(timefmt::from_unix(ended)).into();
    }
    let updates: Vec<serde_json::Value> = posts
        .iter()
        .take(JSON_LD_UPDATES)
        .map(|p| blog_posting(state, &view.canonical, p))
        .collect();
    value["liveBlogUpdate"] = updates.into();
    view.json_ld = html::script_json(&value);
}

/// One post as a schema.org `BlogPosting`.
fn blog_posting(state: &AppState, canonical: &str, post: &LivePost) -> serde_json::Value {
    let text = plain_text(&post.body);
    let published = timefmt::from_unix(post.published_at.unwrap_or(post.created_at));
    let mut value = serde_json::json!({
        "@type": "BlogPosting",
        "headline": headline(&text),
        "articleBody": text,
        "datePublished": timefmt::rfc3339(published),
        "url": format!("{canonical}#post-{}", post.id),
    });
    if post.updated_at > post.published_at.unwrap_or(post.updated_at) {
        value["dateModified"] = timefmt::rfc3339(timefmt::from_unix(post.updated_at)).into();
    }
    let byline = clean_line(post.byline.trim_start_matches("By "));
    if !byline.is_empty() {
        value["author"] = serde_json::json!({ "@type": "Person", "name": byline });
    }
    if let Some(id) = post.image_id {
        value["image"] = format!("{}{}", state.site.base_url, paths::image(id, 640)).into();
    }
    value
}

/// A post's first words, as a headline: its first sentence when that is short
/// enough, else its first words up to [`UPDATE_HEADLINE_CHARS`].
fn headline(text: &str) -> String {
    let sentence = text
        .split_inclusive(['.', '!', '?'])
        .next()
        .unwrap_or(text)
        .trim();
    if !sentence.is_empty() && sentence.chars().count() <= UPDATE_HEADLINE_CHARS {
        return sentence.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 2 > UPDATE_HEADLINE_CHARS {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// One change to a live page on its public history.
pub struct LiveChangeView {
    pub time: String,
    pub iso: String,
    pub what: String,
    /// The post's text after the change, or the closing summary; '' when not
    /// shown (a deleted post's text is never shown again, in any change).
    pub text: String,
}

/// The changes of one day, newest first.
pub struct LiveHistoryDay {
    pub day: String,
    pub changes: Vec<LiveChangeView>,
}

/// A live page's public changes (newest first) for its history page, by day.
pub fn history(chrome: &Chrome, rows: &[LiveChangeRow]) -> Vec<LiveHistoryDay> {
    let edition = &chrome.edition;
    let deleted: Vec<i64> = rows
        .iter()
        .filter(|c| c.kind == "delete")
        .filter_map(|c| c.post_id)
        .collect();
    let mut days: Vec<LiveHistoryDay> = Vec::new();
    for row in rows {
        let at = timefmt::from_unix(row.at);
        let (what, shows_text) = match row.kind.as_str() {
            "publish" => ("history-live-published", true),
            "edit" => ("history-live-edited", true),
            "pin" => ("history-live-pinned", true),
            "unpin" => ("history-live-unpinned", true),
            "delete" => ("history-live-deleted", false),
            "end" => ("history-live-ended", true),
            _ => continue,
        };
        let hidden = row.post_id.is_some_and(|id| deleted.contains(&id));
        let text = if shows_text && !hidden {
            match row.kind.as_str() {
                "end" => clean_line(&row.body),
                _ => plain_text(&row.body),
            }
        } else {
            String::new()
        };
        let change = LiveChangeView {
            time: timefmt::edition_clock_time(at, edition),
            iso: timefmt::rfc3339(at),
            what: chrome.t(what),
            text,
        };
        let day = timefmt::edition_short_date(at, edition);
        match days.last_mut() {
            Some(last) if last.day == day => last.changes.push(change),
            _ => days.push(LiveHistoryDay {
                day,
                changes: vec![change],
            }),
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_points_are_cut_with_an_ellipsis() {
        assert_eq!(shorten("Short.", 160), "Short.");
        let long = "word ".repeat(50);
        let cut = shorten(long.trim(), 160);
        assert_eq!(cut.chars().count(), 160);
        assert!(cut.ends_with(" word…"), "{cut}");
        // At the end of a word, without a space before the ellipsis.
        for max in [155, 156, 157, 158] {
            let cut = shorten(&"abcd ".repeat(50), max);
            assert!(cut.ends_with(" abcd…"), "{cut}");
            assert!(cut.chars().count() <= max);
        }
        // A word longer than half the room is cut where the room ends.
        assert_eq!(shorten(&"é".repeat(161), 160).chars().count(), 160);
    }

    #[test]
    fn a_headline_is_the_first_sentence_or_the_first_words() {
        assert_eq!(
            headline("Bridge reopens. Traffic is light."),
            "Bridge reopens."
        );
        let long = "many words ".repeat(30);
        let h = headline(long.trim());
        assert!(h.chars().count() <= UPDATE_HEADLINE_CHARS, "{h}");
        assert!(h.ends_with("words…") || h.ends_with("many…"), "{h}");
        assert_eq!(headline(""), "");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("The **bridge** is [open](https://example.org).\n\nMore."),
            "The bridge is open. More."
        );
    }
}
