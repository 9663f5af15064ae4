//! A story's comments page (`<article>/comments`), as the public site serves it and as the readers' posting forms render it again with a problem: published comments in pages, newest or oldest first, replies under their comment, and the forms for a signed-in reader.

use askama::Template;
use std::sync::Arc;

use crate::domain::comment::{Settings, MAX_COMMENT_CHARS, MAX_REPORT_CHARS};
use crate::domain::edition::Edition;
use crate::domain::story::Story;
use crate::domain::timefmt;
use crate::store::ShownComment;
use crate::web::html::{self, SafeHtml};
use crate::web::invalidation::keys;
use crate::web::views::{Chrome, ReaderChrome};
use crate::web::{paths, AppState, WebError};

/// Top-level comments on one page.
pub const PER_PAGE: i64 = 20;
/// Pages beyond this are page 1 (no story has that many comments).
const MAX_PAGE: i64 = 10_000;

/// The page, order and confirmation a comments address asks for.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CommentsQuery {
    pub page: Option<String>,
    pub order: Option<String>,
    pub done: Option<String>,
}

impl CommentsQuery {
    fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .unwrap_or(1)
    }

    fn oldest_first(&self) -> bool {
        self.order.as_deref() == Some("oldest")
    }
}

/// Fixed confirmations a redirect may ask the page to show, so that a link from
/// elsewhere cannot put words on it; shown to signed-in readers only, since the
/// anonymous page is the one caches share.
/// The notice's message id (locales/*/site.ftl), `None` for no notice.
fn notice(done: Option<&str>) -> Option<&'static str> {
    match done.unwrap_or_default() {
        "posted" => Some("comment-notice-posted"),
        "pending" => Some("comment-notice-pending"),
        "reported" => Some("comment-notice-reported"),
        _ => None,
    }
}

/// What a reader typed into a form that is shown again with a problem.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub body: String,
    /// The comment the reader was replying to.
    pub parent: Option<i64>,
    pub problem: String,
}

/// One published comment with its replies.
pub struct CommentView {
    pub id: i64,
    pub name: String,
    pub html: SafeHtml,
    pub iso: String,
    pub stamp: String,
    pub replies: Vec<CommentView>,
}

impl CommentView {
    fn new(edition: &Edition, c: &ShownComment) -> CommentView {
        let at = timefmt::from_unix(c.created_at);
        CommentView {
            id: c.id,
            name: c.reader_name.clone(),
            html: html::comment(&c.body),
            iso: timefmt::rfc3339(at),
            stamp: timefmt::edition_long_stamp(at, edition),
            replies: Vec::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "comments.html")]
struct CommentsTemplate {
    chrome: Arc<Chrome>,
    headline: String,
    article_href: String,
    sign_in_href: String,
    open: bool,
    premoderated: bool,
    comments: Vec<CommentView>,
    total: i64,
    oldest_first: bool,
    newest_href: String,
    oldest_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    story_id: i64,
    /// The session's CSRF token when a signed-in reader is shown the forms.
    csrf: Option<String>,
    notice: String,
    typed: Typed,
    max_chars: usize,
    max_report_chars: usize,
}

/// The comments address of `story`, if its section is known.
pub fn comments_href(state: &AppState, story: &Story) -> Option<String> {
    let section = state.sections.by_id(story.content.section_id)?;
    Some(paths::comments(section, &story.content.slug, story.id))
}

/// Renders the comments page of public `story` with `settings` for `reader`
/// (`None`: the page every cache may share), and returns it with its surrogate
/// keys: the story's (its headline) and its comments', never the article's alone.
pub async fn render(
    state: &AppState,
    story: &Story,
    settings: &Settings,
    reader: Option<ReaderChrome>,
    query: &CommentsQuery,
    typed: Typed,
) -> Result<(String, Vec<String>), WebError> {
    let section = state
        .sections
        .by_id(story.content.section_id)
        .ok_or(WebError::NotFound)?;
    let article_href = paths::story(section, &story.content.slug, story.id);
    let here = paths::comments(section, &story.content.slug, story.id);
    let page = query.page();
    let oldest_first = query.oldest_first();
    let found = state
        .store
        .comment_page(story.id, oldest_first, PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    let mut chrome = Chrome::clone(&Chrome::for_section(state, story.content.section_id));
    let edition = Arc::clone(&chrome.edition);
    let mut comments: Vec<CommentView> = found
        .comments
        .iter()
        .map(|c| CommentView::new(&edition, c))
        .collect();
    for reply in &found.replies {
        if let Some(parent) = comments.iter_mut().find(|c| Some(c.id) == reply.parent_id) {
            parent.replies.push(CommentView::new(&edition, reply));
        }
    }
    let order = if oldest_first { "&order=oldest" } else { "" };
    let href = |p: i64| format!("{here}?page={p}{order}");
    let csrf = reader.as_ref().map(|r| r.csrf.clone());
    let notice = match reader {
        Some(_) => notice(query.done.as_deref()).map(|id| chrome.t(id)),
        None => None,
    }
    .unwrap_or_default();
    chrome.reader = reader;
    let sign_in_query = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", &here)
        .finish();
    let sign_in_href = format!("{}?{sign_in_query}", chrome.sign_in_href);
    let shown = CommentsTemplate {
        chrome: Arc::new(chrome),
        headline: story.content.headline.clone(),
        sign_in_href,
        open: settings.is_open(),
        premoderated: settings.mode == crate::domain::comment::Mode::PreModerated,
        comments,
        total: found.total_with_replies,
        oldest_first,
        newest_href: here.clone(),
        oldest_href: format!("{here}?order=oldest"),
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page * PER_PAGE < found.total).then(|| href(page + 1)),
        story_id: story.id,
        csrf,
        notice,
        typed,
        max_chars: MAX_COMMENT_CHARS,
        max_report_chars: MAX_REPORT_CHARS,
        article_href,
    };
    Ok((
        shown.render()?,
        vec![keys::story(story.id), keys::comments(story.id)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_orders_are_read_safely() {
        let q = |page: &str, order: &str| CommentsQuery {
            page: Some(page.into()),
            order: Some(order.into()),
            done: None,
        };
        assert_eq!(q("3", "oldest").page(), 3);
        assert!(q("3", "oldest").oldest_first());
        for bad in ["0", "-2", "x", "99999999999"] {
            assert_eq!(q(bad, "").page(), 1, "{bad}");
        }
        assert!(!q("1", "<script>").oldest_first());
        assert_eq!(notice(Some("<b>")), None);
    }
}
