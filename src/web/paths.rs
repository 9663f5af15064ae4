//! The site's URLs, built in one place so links and routes agree.

use crate::domain::section::Section;

/// `/news/europe/dockers-end-strike-42`: section, slug and the id that identifies the story
/// (under the edition's prefix: `/arabic/news/iraq/…-101`).
pub fn story(section: &Section, slug: &str, id: i64) -> String {
    format!(
        "{}/news/{}/{}",
        section.prefix,
        section.slug,
        story_segment(slug, id)
    )
}

/// The last part of a story's path: its slug, then its id, which alone decides.
pub fn story_segment(slug: &str, id: i64) -> String {
    format!("{slug}-{id}")
}

pub fn print(section: &Section, slug: &str, id: i64) -> String {
    format!("{}/print", story(section, slug, id))
}

/// A story's comments page: `/news/europe/dockers-end-strike-42/comments`.
pub fn comments(section: &Section, slug: &str, id: i64) -> String {
    format!("{}/comments", story(section, slug, id))
}

pub fn section(section: &Section) -> String {
    format!("{}/news/{}", section.prefix, section.slug)
}

/// A picture as the public sees it: served only while a public story shows it.
pub fn image(id: i64, width: i64) -> String {
    format!("/images/{id}/{width}")
}

/// Any picture, for signed-in staff (the editor and previews).
pub fn staff_image(id: i64, width: i64) -> String {
    format!("{STAFF_IMAGES}{id}/{width}")
}

/// Where staff fetch pictures: `/images/` paths rewritten under it show a preview's
/// unpublished pictures.
pub const STAFF_IMAGES: &str = "/newsroom/images/";

/// A live page's stream of changes after change `after` (served by `streams`).
pub fn live_events(story_id: i64, after: i64) -> String {
    format!("/live/{story_id}/events?after={after}")
}

/// The breaking-news banner's stream, one for the whole site.
pub const BREAKING_NEWS_EVENTS: &str = "/live/breaking-news/events";

/// The feed paths for a whole edition (`None`, under `prefix`) or a section: (RSS, Atom).
pub fn feed_paths(prefix: &str, section: Option<&Section>) -> (String, String) {
    let name = section.map_or("news", |s| s.slug.as_str());
    (
        format!("{prefix}/feeds/{name}.rss"),
        format!("{prefix}/feeds/{name}.atom"),
    )
}

/// A live page's Atom feed: `/feeds/live/42.atom`.
pub fn live_feed(story_id: i64) -> String {
    format!("/feeds/live/{story_id}.atom")
}

/// A live page's posts in the Content API.
pub fn api_live_posts(story_id: i64) -> String {
    format!("/api/v1/stories/{story_id}/live-posts")
}

/// Where every edition's account pages are, under the edition's prefix.
pub const ACCOUNT: &str = "/account";

/// An account page of the edition at `prefix` ("" for the English one):
/// `account("/arabic", "/saved")` is `/arabic/account/saved`, `account("", "")` the
/// English account page.
pub fn account(prefix: &str, rest: &str) -> String {
    format!("{prefix}{ACCOUNT}{rest}")
}

/// The English edition's "Sign in": the readers' sign-in. Staff sign in at `/newsroom/sign-in`.
pub const SIGN_IN: &str = "/account/sign-in";

/// A signed-in reader's saved stories; their forms post here (and to `SAVED`/remove).
pub const SAVED: &str = "/account/saved";

/// What a reader follows, the daily e-mail's hour and the private feed's address.
pub const FOLLOWING: &str = "/account/following";
/// The latest stories from what a reader follows.
pub const MY_NEWS: &str = "/account/my-news";
/// Where a daily e-mail's one-click unsubscribe link leads (`?token=…`).
pub const DAILY_UNSUBSCRIBE: &str = "/account/daily/unsubscribe";

/// A reader's private My news feed, at an address only its secret `token` finds.
pub fn my_news_feed(token: &str) -> String {
    format!("{MY_NEWS}/{token}.atom")
}

/// Where signed-in readers' comment forms post, and report comments.
pub const POST_COMMENT: &str = "/account/comments";
pub const REPORT_COMMENT: &str = "/account/comments/report";

/// The newsroom's moderation queue.
pub const MODERATION: &str = "/newsroom/comments";

/// One reader's comments, for moderators.
pub fn reader_history(reader_id: i64) -> String {
    format!("/newsroom/readers/{reader_id}")
}

/// The story id at the end of a `slug-42` path segment (or a bare `42`).
pub fn story_id_from_segment(segment: &str) -> Option<i64> {
    let digits = segment.rsplit('-').next()?;
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_pages_are_under_the_editions_prefix() {
        assert_eq!(account("", ""), "/account");
        assert_eq!(account("", "/sign-in"), SIGN_IN);
        assert_eq!(account("/arabic", "/saved"), "/arabic/account/saved");
    }

    #[test]
    fn ids_come_from_the_end_of_the_segment() {
        assert_eq!(story_id_from_segment("dockers-end-strike-42"), Some(42));
        assert_eq!(story_id_from_segment("42"), Some(42));
        assert_eq!(story_id_from_segment("no-id"), None);
        assert_eq!(story_id_from_segment("x-0"), None);
        assert_eq!(story_id_from_segment("x-99999999999999999999"), None);
    }
}
