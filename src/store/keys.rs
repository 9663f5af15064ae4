//! Surrogate keys: the names that cached pages, story records and CDN objects
//! carry (`story-42`, `lists-3`, `promos`), written by the invalidation log's
//! triggers and store calls, and dropped by the web layer's caches.

pub fn story(id: i64) -> String {
    format!("{STORY_PREFIX}{id}")
}
const STORY_PREFIX: &str = "story-";

/// The stories named in log rows' keys (each row's keys space-separated).
pub fn stories_logged(logged: &[String]) -> Vec<i64> {
    let mut stories: Vec<i64> = logged
        .iter()
        .flat_map(|row| row.split(' '))
        .filter_map(|key| key.strip_prefix(STORY_PREFIX)?.parse().ok())
        .collect();
    stories.sort_unstable();
    stories.dedup();
    stories
}
/// Lists of every section: the front page, the site feed, sitemaps, API lists.
pub const ALL_LISTS: &str = "lists";
pub fn section_list(section_id: i64) -> String {
    format!("lists-{section_id}")
}
/// The site-wide promos shown on every article.
pub const PROMOS: &str = "promos";
/// What public pages show of one signed-in reader (`web::reader_pages`): never
/// a cached page's key, only that of the reader's session copies.
pub fn reader(id: i64) -> String {
    format!("{READER_PREFIX}{id}")
}
pub const READER_PREFIX: &str = "reader-";
/// A story's comments page (never its article page, which a comment leaves alone).
pub fn comments(story_id: i64) -> String {
    format!("comments-{story_id}")
}
/// The chrome every public HTML page shows (the breaking-news banner): every
/// cached page carries it (`web::cache`), so a banner change drops them all.
pub const CHROME: &str = "chrome";
/// Campaigns in the sponsor slot (`store::sponsors`): every article page and
/// print view carries it, and every node reloads its campaigns when it is dropped.
pub const SPONSORS: &str = "sponsors";
