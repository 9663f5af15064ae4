//! View models: what templates see. Built from domain values; never database rows.

use jiff::{Timestamp, Zoned};
use std::collections::HashMap;
use std::sync::Arc;

use super::assets::STYLESHEET_PATH;
use super::html::{self, SafeHtml};
use super::l10n;
use super::paths;
use super::reader_pages::Visitor;
use super::AppState;
use crate::domain::diff;
use crate::domain::edition::Edition;
use crate::domain::links::check_url;
use crate::domain::markup::Body;
use crate::domain::story::Story;
use crate::domain::text::clean_line;
use crate::domain::timefmt;
use crate::media;
use crate::store::{Correction, RunningBanner, StorySummary};

#[derive(Clone)]
pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// A feed offered with `<link rel="alternate">`.
#[derive(Clone)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    pub mime: &'static str,
}

/// The masthead's corner for a signed-in reader, instead of "Sign in".
#[derive(Clone)]
pub struct ReaderChrome {
    pub name: String,
    /// The session's CSRF token, for the sign-out button.
    pub csrf: String,
}

/// The parts of every page around the content.
#[derive(Clone)]
pub struct Chrome {
    /// The edition the page belongs to: its language, direction, prefix and name.
    pub edition: Arc<Edition>,
    /// The edition's front page (`/` or `/arabic`) and search page.
    pub home_href: String,
    pub search_href: String,
    pub policy_href: String,
    pub feeds: Vec<FeedLink>,
    pub site_name: String,
    pub stylesheet: &'static str,
    /// The edition's readers' sign-in (`/arabic/account/sign-in`).
    pub sign_in_href: String,
    pub at_home: bool,
    pub sections: Vec<NavLink>,
    pub regions: Vec<NavLink>,
    pub year: i16,
    /// What the masthead's search box shows (the search page fills it in).
    pub search_query: String,
    /// The signed-in reader the page is for; `None` in every page a cache may share.
    pub reader: Option<ReaderChrome>,
    /// The breaking-news banner running when the chrome was built.
    pub banner: Option<BannerView>,
}

/// The breaking-news banner as every public page shows it.
#[derive(Clone)]
pub struct BannerView {
    pub text: String,
    pub href: String,
    /// The hub's banner it was built from, to tell when it is no longer the one running.
    source: Arc<RunningBanner>,
}

impl BannerView {
    /// The banner running now (`live_hub`), if any; its link checked again, as stored links are.
    fn running(state: &AppState) -> Option<BannerView> {
        let source = state.live.banner()?;
        Some(BannerView {
            text: clean_line(&source.text),
            href: check_url(&source.link).ok()?,
            source,
        })
    }

    /// Whether this is the banner `running` (the same one the hub holds).
    fn is(this: Option<&BannerView>, running: Option<&Arc<RunningBanner>>) -> bool {
        match (this, running) {
            (None, None) => true,
            (Some(b), Some(r)) => Arc::ptr_eq(&b.source, r),
            _ => false,
        }
    }
}

/// Built chromes by edition and current section. Sections are fixed while the
/// process runs; the copyright year is why entries are rebuilt after a minute.
#[derive(Default)]
pub struct ChromeCache {
    built: std::sync::RwLock<HashMap<(i64, Option<i64>), BuiltChrome>>,
}

/// A chrome and when it was built.
type BuiltChrome = (std::time::Instant, Arc<Chrome>);

const CHROME_LIFETIME: std::time::Duration = std::time::Duration::from_secs(60);

impl Chrome {
    /// `current` is the section being shown (or that of the story), `Some(0)` for the
    /// edition's home page. A chrome built with another banner than the one running
    /// is built again.
    pub fn new(state: &AppState, edition: &Arc<Edition>, current: Option<i64>) -> Arc<Chrome> {
        let now = std::time::Instant::now();
        let banner = state.live.banner();
        let key = (edition.id, current);
        if let Ok(built) = state.chromes.built.read() {
            if let Some((at, chrome)) = built.get(&key) {
                if now.duration_since(*at) < CHROME_LIFETIME
                    && BannerView::is(chrome.banner.as_ref(), banner.as_ref())
                {
                    return Arc::clone(chrome);
                }
            }
        }
        let chrome = Arc::new(Chrome::build(state, edition, current));
        if let Ok(mut built) = state.chromes.built.write() {
            built.insert(key, (now, Arc::clone(&chrome)));
        }
        chrome
    }

    /// The chrome of a section's edition, with that section current (a section
    /// front, or a story filed under it).
    pub fn for_section(state: &AppState, section_id: i64) -> Arc<Chrome> {
        Chrome::new(state, section_edition(state, section_id), Some(section_id))
    }

    /// An account page of the chrome's edition: `account_href("/saved")` is
    /// `/arabic/account/saved` in the Arabic edition.
    pub fn account_href(&self, rest: &str) -> String {
        paths::account(&self.edition.prefix, rest)
    }

    /// The chrome for `visitor`: the shared one for anyone, a copy with the
    /// reader's corner of the masthead for a signed-in reader.
    pub fn for_visitor(shared: Arc<Chrome>, visitor: &Visitor) -> Arc<Chrome> {
        if visitor.reader().is_none() {
            return shared;
        }
        let mut chrome = Chrome::clone(&shared);
        chrome.set_reader(visitor);
        Arc::new(chrome)
    }

    /// Puts `visitor`'s corner in the masthead (nothing for an anonymous visitor).
    pub fn set_reader(&mut self, visitor: &Visitor) {
        self.reader = visitor.reader().map(|r| ReaderChrome {
            name: r.display_name.clone(),
            csrf: r.csrf.clone(),
        });
    }

    /// A chrome of its own, for a page that changes it (the search page fills in the query).
    pub fn build(state: &AppState, edition: &Arc<Edition>, current: Option<i64>) -> Chrome {
        let tree = &state.sections;
        let current_root = current.and_then(|id| tree.root_of(id)).map(|s| s.id);
        let link = |s: &crate::domain::section::Section, current: bool| NavLink {
            href: paths::section(s),
            label: s.name.clone(),
            current,
        };
        let mut feeds = Vec::new();
        let section = current.and_then(|id| tree.by_id(id));
        for scope in [None, section]
            .into_iter()
            .enumerate()
            .filter(|(i, s)| *i == 0 || s.is_some())
            .map(|(_, s)| s)
        {
            let (rss, atom) = paths::feed_paths(&edition.prefix, scope);
            let messages = l10n::Messages {
                locale: &edition.locale,
                site: &edition.site_name,
                year: 0,
            };
            let title = match scope {
                Some(s) => messages.get(
                    "feed-section-title",
                    vec![("section", s.name.clone().into())],
                ),
                None => messages.get("feed-top-stories-title", Vec::new()),
            };
            feeds.push(FeedLink {
                title: format!("{title} (RSS)"),
                href: rss,
                mime: "application/rss+xml",
            });
            feeds.push(FeedLink {
                title: format!("{title} (Atom)"),
                href: atom,
                mime: "application/atom+xml",
            });
        }
        Chrome {
            edition: Arc::clone(edition),
            home_href: edition.home(),
            search_href: edition.path("/search"),
            policy_href: edition.path("/about/editorial-policy"),
            feeds,
            site_name: edition.site_name.clone(),
            stylesheet: STYLESHEET_PATH.as_str(),
            sign_in_href: paths::account(&edition.prefix, "/sign-in"),
            at_home: current == Some(0),
            sections: tree
                .top_level(edition.id)
                .map(|s| link(s, Some(s.id) == current_root))
                .collect(),
            regions: tree
                .regions(edition.id)
                .map(|s| link(s, Some(s.id) == current))
                .collect(),
            year: Zoned::now()
                .with_time_zone(edition.time_zone.clone())
                .year(),
            search_query: String::new(),
            reader: None,
            banner: BannerView::running(state),
        }
    }
}

/// Page text in the chrome's edition language (`locales/`, through `l10n`).
/// Every message gets `$site` (the edition's site name) and `$year`.
impl Chrome {
    fn messages(&self) -> l10n::Messages<'_> {
        l10n::Messages {
            locale: &self.edition.locale,
            site: &self.site_name,
            year: self.year,
        }
    }

    /// Message `id` (plain text; the template escapes it).
    pub fn t(&self, id: &str) -> String {
        self.messages().get(id, Vec::new())
    }

    /// Message `id` with one variable: text, or a number for plurals.
    pub fn t1(&self, id: &str, name: &'static str, value: impl l10n::Arg) -> String {
        self.messages().get(id, vec![(name, value.value())])
    }

    pub fn t2(
        &self,
        id: &str,
        name: &'static str,
        value: impl l10n::Arg,
        name2: &'static str,
        value2: impl l10n::Arg,
    ) -> String {
        self.messages()
            .get(id, vec![(name, value.value()), (name2, value2.value())])
    }

    /// Message `id` with three variables (the search page's "Showing 1–10 of 57").
    #[allow(clippy::too_many_arguments)]
    pub fn t3(
        &self,
        id: &str,
        name: &'static str,
        value: impl l10n::Arg,
        name2: &'static str,
        value2: impl l10n::Arg,
        name3: &'static str,
        value3: impl l10n::Arg,
    ) -> String {
        let vars = vec![
            (name, value.value()),
            (name2, value2.value()),
            (name3, value3.value()),
        ];
        self.messages().get(id, vars)
    }

    /// Message `id` as HTML written as the English pages always wrote it
    /// (`&copy;`, `&ndash;`, `&ldquo;`): the footer, the search page's headings.
    pub fn th(&self, id: &str) -> SafeHtml {
        html::page_text(&self.t(id))
    }

    pub fn th1(&self, id: &str, name: &'static str, value: impl l10n::Arg) -> SafeHtml {
        html::page_text(&self.t1(id, name, value))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn th3(
        &self,
        id: &str,
        name: &'static str,
        value: impl l10n::Arg,
        name2: &'static str,
        value2: impl l10n::Arg,
        name3: &'static str,
        value3: impl l10n::Arg,
    ) -> SafeHtml {
        html::page_text(&self.t3(id, name, value, name2, value2, name3, value3))
    }

    /// A message that wraps markup the template writes (`page-last-updated`
    /// around a `<time>`, `comments-order` around two links): the escaped text
    /// before, between and after the markup of variables `names`.
    pub fn pieces(&self, id: &str, names: &[&'static str]) -> l10n::Pieces {
        self.messages().pieces(id, names)
    }
}

pub struct ImageView {
    pub src: String,
    pub srcset: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

impl ImageView {
    /// A picture at `width` (a standard width), with a srcset of all of them.
    pub fn new(id: i64, original: (i64, i64), width: i64, alt: &str) -> ImageView {
        let (ow, oh) = original;
        // Renditions of a small original repeat its size; list each size once, under its smallest key.
        let mut sizes: Vec<(i64, i64)> = Vec::new();
        for key in media::WIDTHS {
            let actual = media::rendition_width(ow, key);
            if !sizes.iter().any(|(_, a)| *a == actual) {
                sizes.push((key, actual));
            }
        }
        let shown = media::rendition_width(ow, width);
        let key = sizes
            .iter()
            .find(|(_, a)| *a == shown)
            .map_or(width, |(k, _)| *k);
        let srcset = sizes
            .iter()
            .map(|(k, a)| format!("{} {a}w", paths::image(id, *k)))
            .collect::<Vec<_>>()
            .join(", ");
        ImageView {
            src: paths::image(id, key),
            srcset,
            width: shown,
            height: if ow > 0 { oh * shown / ow } else { oh },
            alt: clean_line(alt),
            caption: String::new(),
            credit: String::new(),
        }
    }
}

/// A story in a list or a front.
pub struct StoryItem {
    pub href: String,
    pub headline: String,
    pub summary: String,
    pub updated_iso: String,
    pub updated_short: String,
    pub image: Option<ImageView>,
    /// A running live page: marked "Live" in lists.
    pub live: bool,
}

impl StoryItem {
    /// Builds list items, skipping any whose section is unknown.
    pub fn list(state: &AppState, stories: &[StorySummary], with_images: bool) -> Vec<StoryItem> {
        stories
            .iter()
            .filter_map(|s| StoryItem::new(state, s, with_images))
            .collect()
    }

    pub fn new(state: &AppState, s: &StorySummary, with_image: bool) -> Option<StoryItem> {
        let section = state.sections.by_id(s.section_id)?;
        let updated = timefmt::from_unix(s.last_updated_at.unwrap_or(0));
        Some(StoryItem {
            href: paths::story(section, &s.slug, s.id),
            headline: clean_line(s.list_headline()),
            summary: clean_line(&s.summary),
            updated_iso: timefmt::rfc3339(updated),
            updated_short: timefmt::edition_short_date(updated, edition_of(state, section)),
            live: s.live,
            image: match (
                with_image,
                s.lead_image_id,
                s.lead_image_width,
                s.lead_image_height,
            ) {
                (true, Some(id), Some(w), Some(h)) => {
                    Some(ImageView::new(id, (w, h), 320, &s.lead_image_alt))
                }
                _ => None,
            },
        })
    }
}

pub struct LinkView {
    pub href: String,
    pub title: String,
}

/// Everything an article page and its print view show.
pub struct ArticleView {
    pub headline: String,
    pub summary: String,
    pub byline: String,
    pub canonical: String,
    pub print_href: String,
    pub updated_iso: String,
    pub updated_long: String,
    pub image: Option<ImageView>,
    pub intro_html: SafeHtml,
    pub body_html: SafeHtml,
    pub related: Vec<StoryItem>,
    pub links: Vec<LinkView>,
    pub history_href: String,
    pub corrections: Vec<CorrectionView>,
    pub published_iso: String,
    pub section_name: String,
    /// The lead picture's absolute URL, for social cards and structured data.
    pub image_url: String,
    /// JSON-LD `NewsArticle`, safe to place inside a script element.
    pub json_ld: SafeHtml,
    /// The link to the story's comments while they are on, with their count as
    /// of the article's render (the article is never re-rendered for a comment).
    pub comments: Option<CommentsLink>,
}

/// "Have your say": the article's link to its comments page.
pub struct CommentsLink {
    pub href: String,
    pub count: i64,
    pub open: bool,
}

pub struct CorrectionView {
    pub date: String,
    pub iso: String,
    pub text: String,
}

/// A word-level comparison of one field, added and removed words marked.
pub struct DiffView {
    pub label: &'static str,
    pub changed: bool,
    pub html: SafeHtml,
}

impl DiffView {
    pub fn new(label: &'static str, pieces: &[diff::Piece]) -> DiffView {
        DiffView {
            label,
            changed: diff::changed(pieces),
            html: html::diff(pieces),
        }
    }
}

impl ArticleView {
    /// `image_size` is the lead picture's original size, when it has one;
    /// `pictures` the sizes of those in the body.
    pub fn new(
        state: &AppState,
        story: &Story,
        body: &Body,
        pictures: &html::PictureSizes,
        image_size: Option<(i64, i64)>,
        related: Vec<StoryItem>,
        corrections: &[Correction],
    ) -> Option<ArticleView> {
        let c = &story.content;
        let section = state.sections.by_id(c.section_id)?;
        let updated = last_updated(story);
        let (intro, rest) = body.split_intro();
        let image = match (&c.lead_image, image_size) {
            (Some(lead), Some(size)) => {
                let mut view = ImageView::new(lead.image_id, size, 976, &lead.alt);
                view.caption = clean_line(&lead.caption);
                view.credit = clean_line(&lead.credit);
                Some(view)
            }
            _ => None,
        };
        let published = first_published(story);
        let canonical = format!(
            "{}{}",
            state.site.base_url,
            paths::story(section, &c.slug, story.id)
        );
        let image_url = image
            .as_ref()
            .map(|i| format!("{}{}", state.site.base_url, i.src))
            .unwrap_or_default();
        let json_ld = html::script_json(&news_article(
            state,
            story,
            &canonical,
            &image_url,
            &section.name,
            published,
            updated,
        ));
        Some(ArticleView {
            published_iso: timefmt::rfc3339(published),
            section_name: section.name.clone(),
            image_url,
            json_ld,
            comments: None,
            // Text was cleaned when saved; cleaning again protects pages from older or imported rows.
            headline: clean_line(&c.headline),
            summary: clean_line(&c.summary),
            byline: clean_line(&c.byline),
            canonical: format!(
                "{}{}",
                state.site.base_url,
                paths::story(section, &c.slug, story.id)
            ),
            print_href: paths::print(section, &c.slug, story.id),
            history_href: format!("{}/history", paths::story(section, &c.slug, story.id)),
            corrections: corrections
                .iter()
                .map(|k| {
                    let at = timefmt::from_unix(k.at);
                    CorrectionView {
                        date: timefmt::edition_short_date(at, edition_of(state, section)),
                        iso: timefmt::rfc3339(at),
                        text: clean_line(&k.text),
                    }
                })
                .collect(),
            updated_iso: timefmt::rfc3339(updated),
            updated_long: timefmt::edition_long_stamp(updated, edition_of(state, section)),
            image,
            intro_html: intro
                .map(|intro| html::inlines(intro, pictures))
                .unwrap_or_default(),
            body_html: html::blocks(rest, pictures),
            related,
            // Links are checked when saved; checking again keeps a bad stored one off the page.
            links: c
                .links
                .iter()
                .filter_map(|l| {
                    let href = check_url(&l.url).ok()?;
                    Some(LinkView {
                        href,
                        title: clean_line(&l.title),
                    })
                })
                .collect(),
        })
    }
}

/// When a story was first published, as its page says.
pub fn first_published(story: &Story) -> Timestamp {
    timefmt::from_unix(
        story
            .first_published_at
            .or(story.last_updated_at)
            .unwrap_or(0),
    )
}

/// When a story was last updated, as its page says ("Page last updated at").
pub fn last_updated(story: &Story) -> Timestamp {
    timefmt::from_unix(
        story
            .last_updated_at
            .or(story.first_published_at)
            .unwrap_or(0),
    )
}

/// schema.org `NewsArticle` for search engines (a script element takes it
/// through `html::script_json`). A struct rather than a `serde_json::Value`:
/// building the map was 5 % of an article's instructions. Its fields are in
/// the order of their names, as a `Value`'s map keeps them, so a live page's
/// `Value` made from it (`serde_json::to_value`) writes them in the same order.
#[derive(serde::Serialize)]
pub struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "articleSection")]
    section: &'a str,
    author: Agent,
    #[serde(rename = "dateModified")]
    modified: String,
    #[serde(rename = "datePublished")]
    published: String,
    description: String,
    headline: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[&'a str; 1]>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Agent,
    url: &'a str,
}

/// A schema.org `Person` or `Organization`.
#[derive(serde::Serialize)]
struct Agent {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// The `NewsArticle` of `story`, at `canonical`, in section `section`.
pub fn news_article<'a>(
    state: &AppState,
    story: &Story,
    canonical: &'a str,
    image_url: &'a str,
    section: &'a str,
    published: Timestamp,
    updated: Timestamp,
) -> NewsArticle<'a> {
    let c = &story.content;
    let author = if c.byline.is_empty() {
        Agent {
            kind: "Organization",
            name: state.site.name.clone(),
            url: None,
        }
    } else {
        Agent {
            kind: "Person",
            name: clean_line(c.byline.trim_start_matches("By ")),
            url: None,
        }
    };
    NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        section,
        author,
        modified: timefmt::rfc3339(updated),
        published: timefmt::rfc3339(published),
        description: clean_line(&c.summary),
        headline: clean_line(&c.headline),
        image: (!image_url.is_empty()).then_some([image_url]),
        main_entity_of_page: canonical,
        publisher: Agent {
            kind: "Organization",
            name: state.site.name.clone(),
            url: Some(format!("{}/", state.site.base_url)),
        },
        url: canonical,
    }
}

/// The edition of section `section_id`, so of its stories (the English one for
/// an unknown section): a story belongs to the edition of its section.
pub fn section_edition(state: &AppState, section_id: i64) -> &Arc<Edition> {
    match state.sections.by_id(section_id) {
        Some(section) => edition_of(state, section),
        None => state.editions.root(),
    }
}

/// The edition a section belongs to (the English one for an unknown edition):
/// its language and zone write the dates of the section's stories.
pub fn edition_of<'a>(
    state: &'a AppState,
    section: &crate::domain::section::Section,
) -> &'a Arc<Edition> {
    state
        .editions
        .by_id(section.edition_id)
        .unwrap_or(state.editions.root())
}
