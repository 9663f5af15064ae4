//! Atom feeds of public stories, built in one place: the site's and sections' feeds and each live page's feed (`feeds`) and a reader's private My news feed (`readers`) share it.

use atom_syndication as atom;

use super::{live_posts, paths, AppState};
use crate::domain::edition::Edition;
use crate::domain::text::clean_line;
use crate::domain::timefmt;
use crate::store::{FeedRow, LivePost};

/// What a feed says about itself.
pub struct FeedHead {
    pub title: String,
    /// The feed's own absolute address, also its id.
    pub self_link: String,
    /// The page the feed follows.
    pub page: String,
}

/// A story's absolute address, if its section exists.
pub fn story_url(state: &AppState, row: &FeedRow) -> Option<String> {
    let section = state.sections.by_id(row.section_id)?;
    Some(format!(
        "{}{}",
        state.site.base_url,
        paths::story(section, &row.slug, row.id)
    ))
}

/// A story's permanent identifier: its short address, which never changes with the slug.
pub fn guid(state: &AppState, id: i64) -> String {
    format!("{}/news/{id}", state.site.base_url)
}

fn atom_time(seconds: i64) -> atom::FixedDateTime {
    timefmt::rfc3339(timefmt::from_unix(seconds))
        .parse()
        .unwrap_or_default()
}

/// The Atom document of `rows` under `head`.
pub fn feed(state: &AppState, head: &FeedHead, rows: &[FeedRow]) -> String {
    let entries: Vec<atom::Entry> = rows
        .iter()
        .filter_map(|row| {
            let url = story_url(state, row)?;
            let author = if row.byline.is_empty() {
                state.site.name.clone()
            } else {
                row.byline.trim_start_matches("By ").to_string()
            };
            Some(
                atom::EntryBuilder::default()
                    .title(clean_line(&row.headline))
                    .id(guid(state, row.id))
                    .updated(atom_time(row.last_updated_at.unwrap_or(0)))
                    .published(row.first_published_at.map(atom_time))
                    .summary(Some(atom::Text::plain(row.summary.clone())))
                    .links(vec![alternate(url)])
                    .authors(vec![person(author)])
                    .build(),
            )
        })
        .collect();
    let updated = rows
        .iter()
        .filter_map(|r| r.last_updated_at)
        .max()
        .unwrap_or(0);
    document(state, head, updated, entries)
}

/// The Atom document of a live page's published `posts` (newest first) under
/// `head`: one entry per post, its content the post as the page shows it.
/// `article_url` is the live page's address, `updated` when the page last
/// changed apart from its posts (started or ended). Posts without words of their
/// own are titled in `edition`'s language.
pub fn live_feed(
    state: &AppState,
    edition: &Edition,
    head: &FeedHead,
    story_id: i64,
    article_url: &str,
    updated: i64,
    posts: &[LivePost],
) -> String {
    let entries = posts
        .iter()
        .map(|post| {
            let content = atom::Content {
                value: Some(live_posts::html(state, post).into_string()),
                content_type: Some("html".into()),
                ..Default::default()
            };
            // Entries without a byline have the feed's author, the site.
            let byline = clean_line(post.byline.trim_start_matches("By "));
            let authors = if byline.is_empty() {
                Vec::new()
            } else {
                vec![person(byline)]
            };
            atom::EntryBuilder::default()
                .title(live_posts::title_in(edition, post))
                // The story's permanent address, which never changes with its slug.
                .id(live_posts::on_page(&guid(state, story_id), post.id))
                .updated(atom_time(post.updated_at))
                .published(post.published_at.map(atom_time))
                .content(Some(content))
                .links(vec![alternate(live_posts::on_page(article_url, post.id))])
                .authors(authors)
                .build()
        })
        .collect();
    let updated = posts.iter().map(|p| p.updated_at).fold(updated, i64::max);
    document(state, head, updated, entries)
}

fn person(name: String) -> atom::Person {
    atom::Person {
        name,
        ..Default::default()
    }
}

fn alternate(href: String) -> atom::Link {
    atom::Link {
        href,
        rel: "alternate".into(),
        ..Default::default()
    }
}

/// The feed around `entries`: its title, id, links, author (the site, for
/// entries without one of their own) and time of the last change.
fn document(state: &AppState, head: &FeedHead, updated: i64, entries: Vec<atom::Entry>) -> String {
    atom::FeedBuilder::default()
        .title(head.title.clone())
        .id(head.self_link.clone())
        .updated(atom_time(updated))
        .links(vec![
            atom::Link {
                href: head.self_link.clone(),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
            atom::Link {
                href: head.page.clone(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ])
        .authors(vec![person(state.site.name.clone())])
        .entries(entries)
        .build()
        .to_string()
}
