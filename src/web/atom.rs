//! Atom feeds of public stories, built in one place: the site's and sections' feeds (`feeds`) and a reader's private My news feed (`readers`) share it.

use atom_syndication as atom;

use super::{paths, AppState};
use crate::domain::text::clean_line;
use crate::domain::timefmt;
use crate::store::FeedRow;

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
                    .links(vec![atom::Link {
                        href: url,
                        rel: "alternate".into(),
                        ..Default::default()
                    }])
                    .authors(vec![atom::Person {
                        name: author,
                        ..Default::default()
                    }])
                    .build(),
            )
        })
        .collect();
    atom::FeedBuilder::default()
        .title(head.title.clone())
        .id(head.self_link.clone())
        .updated(atom_time(
            rows.iter()
                .filter_map(|r| r.last_updated_at)
                .max()
                .unwrap_or(0),
        ))
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
        .authors(vec![atom::Person {
            name: state.site.name.clone(),
            ..Default::default()
        }])
        .entries(entries)
        .build()
        .to_string()
}
