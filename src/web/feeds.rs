//! Feeds (RSS 2.0 and Atom) for the site and every section, an Atom feed for each live page, sitemaps, and robots.txt.

mod sitemaps;

use askama::filters::{Escaper, Html};
use atom_syndication::Link as AtomLink;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::atom::{self, guid, story_url, FeedHead};
use super::cache::PUBLIC_CACHE_CONTROL;
use super::edition::PageEdition;
use super::invalidation::keys;
use super::l10n;
use super::paths;
use super::{AppState, WebError};
use crate::domain::edition::{Edition, Editions};
use crate::domain::story::Status;
use crate::domain::text::clean_line;
use crate::domain::timefmt;
use crate::store::FeedRow;

/// Stories in a feed, and posts in a live page's feed.
const FEED_SIZE: i64 = 50;

/// Feeds of every edition (under its prefix), and the sitemaps and robots.txt of the whole site.
pub fn router(editions: &Editions) -> Router<AppState> {
    let feeds = || Router::new().route("/feeds/{file}", get(feed));
    let mut router = feeds();
    for edition in editions.all().iter().filter(|e| !e.is_root()) {
        router = router.nest(&edition.prefix, feeds());
    }
    router
        .route("/feeds/live/{file}", get(live_feed))
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemaps::index))
        .route("/sitemaps/{file}", get(sitemaps::sitemap))
}

/// A public, cacheable response of `content_type` tagged with `surrogate_keys`.
fn cacheable(content_type: &'static str, surrogate_keys: &[String], body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, PUBLIC_CACHE_CONTROL.to_string()),
            (
                header::HeaderName::from_static(super::cache::SURROGATE_KEY),
                surrogate_keys.join(" "),
            ),
        ],
        body,
    )
        .into_response()
}

/// A feed's scope: the whole site or one section and its sub-sections.
struct Scope {
    title: String,
    /// The RSS description, in the edition's language.
    description: String,
    /// The edition's language, as RSS writes it (`en-gb`).
    language: String,
    page: String,
    feed_path: String,
    section_ids: Option<Vec<i64>>,
    key: String,
}

fn scope(state: &AppState, edition: &Edition, name: &str) -> Result<Scope, WebError> {
    let text = |id: &str, vars| l10n::edition_text(edition, id, vars);
    let described = |title: String| {
        let description = text("feed-description", vec![("title", title.clone().into())]);
        (title, description)
    };
    let language = edition.language.to_ascii_lowercase();
    if name == "news" {
        let (title, description) = described(text("feed-top-stories-title", Vec::new()));
        return Ok(Scope {
            title,
            description,
            language,
            page: format!("{}{}", state.site.base_url, edition.home()),
            feed_path: edition.path("/feeds/news"),
            section_ids: Some(
                state
                    .sections
                    .of_edition(edition.id)
                    .map(|s| s.id)
                    .collect(),
            ),
            key: keys::ALL_LISTS.into(),
        });
    }
    let section = state
        .sections
        .by_slug(edition.id, name)
        .ok_or(WebError::NotFound)?;
    let (title, description) = described(text(
        "feed-section-title",
        vec![("section", section.name.clone().into())],
    ));
    Ok(Scope {
        title,
        description,
        language,
        page: format!("{}{}", state.site.base_url, paths::section(section)),
        feed_path: edition.path(&format!("/feeds/{}", section.slug)),
        section_ids: Some(state.sections.subtree_ids(section.id)),
        key: keys::section_list(section.id),
    })
}

async fn feed(
    State(state): State<AppState>,
    edition: PageEdition,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let (name, kind) = file.rsplit_once('.').ok_or(WebError::NotFound)?;
    let scope = scope(&state, &edition, name)?;
    let rows = state
        .store
        .feed_stories(scope.section_ids.as_deref(), FEED_SIZE, state.now())
        .await?;
    match kind {
        "rss" => Ok(cacheable(
            "application/rss+xml; charset=utf-8",
            std::slice::from_ref(&scope.key),
            rss_feed(&state, &scope, &rows),
        )),
        "atom" => Ok(cacheable(
            "application/atom+xml; charset=utf-8",
            std::slice::from_ref(&scope.key),
            atom::feed(
                &state,
                &FeedHead {
                    title: scope.title.clone(),
                    self_link: format!("{}{}.atom", state.site.base_url, scope.feed_path),
                    page: scope.page.clone(),
                },
                &rows,
            ),
        )),
        _ => Err(WebError::NotFound),
    }
}

/// `/feeds/live/{story_id}.atom`: a live page's newest published posts. A killed
/// story is gone (410), as its article is; anything else that is not a public
/// live page does not exist (404). Cached under the story's key, which every
/// change to a published post, the page's end and the story's own changes log.
async fn live_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let id: i64 = file
        .strip_suffix(".atom")
        .and_then(|id| id.parse().ok())
        .ok_or(WebError::NotFound)?;
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    if story.status == Status::Killed {
        return Err(WebError::Gone);
    }
    let now = state.now();
    if !story.is_public(now) {
        return Err(WebError::NotFound);
    }
    let live = state
        .store
        .public_live_page(id, now, FEED_SIZE)
        .await?
        .ok_or(WebError::NotFound)?;
    let section = state
        .sections
        .by_id(story.content.section_id)
        .ok_or(WebError::NotFound)?;
    let base = &state.site.base_url;
    let page = format!(
        "{base}{}",
        paths::story(section, &story.content.slug, story.id)
    );
    let edition = state
        .editions
        .by_id(section.edition_id)
        .unwrap_or(state.editions.root());
    let headline = clean_line(&story.content.headline);
    let head = FeedHead {
        title: l10n::edition_text(
            edition,
            "live-feed-title",
            vec![("headline", headline.into())],
        ),
        self_link: format!("{base}{}", paths::live_feed(id)),
        page: page.clone(),
    };
    let changed = live.page.ended_at.unwrap_or(live.page.started_at);
    Ok(cacheable(
        "application/atom+xml; charset=utf-8",
        &[keys::story(id)],
        atom::live_feed(&state, edition, &head, id, &page, changed, &live.posts),
    ))
}

fn rss_feed(state: &AppState, scope: &Scope, rows: &[FeedRow]) -> String {
    let items: Vec<rss::Item> = rows
        .iter()
        .filter_map(|row| {
            let section = state.sections.by_id(row.section_id)?;
            let published = timefmt::from_unix(row.first_published_at.or(row.last_updated_at)?);
            Some(
                rss::ItemBuilder::default()
                    .title(Some(clean_line(&row.headline)))
                    .link(story_url(state, row))
                    // Readers treat an RSS description as HTML; the summary is plain text.
                    .description(Some(html_text(&row.summary)))
                    .guid(Some(
                        rss::GuidBuilder::default()
                            .value(guid(state, row.id))
                            .permalink(true)
                            .build(),
                    ))
                    .pub_date(Some(timefmt::rfc822(published)))
                    .categories(vec![rss::CategoryBuilder::default()
                        .name(section.name.clone())
                        .build()])
                    .build(),
            )
        })
        .collect();
    let self_link = format!("{}{}.rss", state.site.base_url, scope.feed_path);
    let atom_ext = rss::extension::atom::AtomExtensionBuilder::default()
        .links(vec![AtomLink {
            href: self_link,
            rel: "self".into(),
            mime_type: Some("application/rss+xml".into()),
            ..Default::default()
        }])
        .build();
    let last = rows
        .iter()
        .filter_map(|r| r.last_updated_at)
        .max()
        .unwrap_or(0);
    let channel = rss::ChannelBuilder::default()
        .title(scope.title.clone())
        .link(scope.page.clone())
        .description(scope.description.clone())
        .language(Some(scope.language.clone()))
        .last_build_date(Some(timefmt::rfc822(timefmt::from_unix(last))))
        .ttl(Some("5".into()))
        .atom_ext(Some(atom_ext))
        .items(items)
        .build();
    channel.to_string()
}

async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /newsroom/\nDisallow: /api/\n\nSitemap: {}/sitemap.xml\n",
        state.site.base_url
    );
    cacheable("text/plain; charset=utf-8", &["pages".into()], body)
}

/// Plain text escaped for a field that feed readers read as HTML, cleaned again
/// as pages clean it.
fn html_text(text: &str) -> String {
    let text = clean_line(text);
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = Html.write_escaped_str(&mut out, &text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_reach_rss_readers_as_text() {
        assert_eq!(
            html_text("<img src=x onerror=alert(1)> & \"quotes\"\u{202e}"),
            "&#60;img src=x onerror=alert(1)&#62; &#38; &#34;quotes&#34;"
        );
    }
}
