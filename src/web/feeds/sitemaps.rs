//! Sitemaps: the index, the fronts', the news sitemap of the last two days, and
//! the archive's stories in files of `SITEMAP_SIZE`, rendered from templates.
//! Every edition's fronts and stories are in them; an address with versions in
//! other editions lists them (and `x-default`) as `xhtml:link` alternates.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{cacheable, story_url};
use crate::domain::text::clean_line;
use crate::domain::timefmt;
use crate::web::invalidation::keys;
use crate::web::paths;
use crate::web::translations::{self, Translations};
use crate::web::{AppState, WebError};

/// URLs in one sitemap file. The protocol allows 50,000, but a file that full is
/// about 8 MB, over the page cache's 4 MiB entry limit (it answered 500 once an
/// archive passed ~25,000 stories); 10,000 keeps each near 1.5 MB.
const SITEMAP_SIZE: i64 = 10_000;
/// The news sitemap covers this long.
const NEWS_WINDOW_SECONDS: i64 = 48 * 3600;

/// The sitemap index: the fronts' sitemap, the news sitemap, then one sitemap per
/// `SITEMAP_SIZE` stories.
#[derive(Template)]
#[template(path = "sitemap_index.xml")]
struct SitemapIndex {
    sitemaps: Vec<String>,
}

/// A sitemap of addresses (`sitemaps/sections.xml`, `sitemaps/stories-<n>.xml`).
#[derive(Template)]
#[template(path = "sitemap.xml")]
struct Sitemap {
    urls: Vec<SitemapUrl>,
}

/// One address in a sitemap.
struct SitemapUrl {
    loc: String,
    /// When a story last changed (RFC 3339).
    lastmod: Option<String>,
    /// `always` for fronts, which change with every story.
    changefreq: Option<&'static str>,
    /// The address in every language it is published in, itself included
    /// (`hreflang`, absolute URL), then `x-default`; empty when it has no other.
    alternates: Vec<Alternate>,
}

/// An `<xhtml:link rel="alternate">` of a sitemap address.
struct Alternate {
    hreflang: String,
    href: String,
}

/// A story's alternates: every public version and the original as `x-default`.
fn story_alternates(translations: Option<&Translations>) -> Vec<Alternate> {
    let Some(translations) = translations.filter(|t| t.has_others()) else {
        return Vec::new();
    };
    let versions = translations.versions.iter().map(|v| Alternate {
        hreflang: v.language.clone(),
        href: v.url.clone(),
    });
    let x_default = translations.x_default.iter().map(|href| Alternate {
        hreflang: "x-default".into(),
        href: href.clone(),
    });
    versions.chain(x_default).collect()
}

/// The news sitemap: stories first published in the last `NEWS_WINDOW_SECONDS`.
#[derive(Template)]
#[template(path = "sitemap_news.xml")]
struct NewsSitemap {
    stories: Vec<NewsStory>,
}

/// A story in the news sitemap.
struct NewsStory {
    loc: String,
    /// Its edition's site name and language (ISO 639, as Google News reads it).
    publication: String,
    language: String,
    /// When it was first published (RFC 3339).
    published: String,
    title: String,
}

/// A sitemap as a response; every sitemap lists stories, so all carry the lists' key.
fn sitemap_response(template: &impl Template) -> Result<Response, WebError> {
    Ok(cacheable(
        "application/xml; charset=utf-8",
        &[keys::ALL_LISTS.into()],
        template.render()?,
    ))
}

pub(super) async fn index(State(state): State<AppState>) -> Result<Response, WebError> {
    let count = state.store.public_story_count(state.now()).await?;
    let pages = ((count + SITEMAP_SIZE - 1) / SITEMAP_SIZE).max(1);
    let base = &state.site.base_url;
    let sitemaps = ["sections".to_string(), "news".to_string()]
        .into_iter()
        .chain((1..=pages).map(|n| format!("stories-{n}")))
        .map(|name| format!("{base}/sitemaps/{name}.xml"))
        .collect();
    sitemap_response(&SitemapIndex { sitemaps })
}

pub(super) async fn sitemap(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let name = file.strip_suffix(".xml").ok_or(WebError::NotFound)?;
    match name {
        "sections" => sitemap_response(&fronts_sitemap(&state)),
        "news" => sitemap_response(&news_sitemap(&state).await?),
        _ => {
            let n: i64 = name
                .strip_prefix("stories-")
                .and_then(|n| n.parse().ok())
                .filter(|n| *n >= 1)
                .ok_or(WebError::NotFound)?;
            sitemap_response(&stories_sitemap(&state, n).await?)
        }
    }
}

/// Every edition's front page, each naming the others as its alternates (the
/// English one at `/` as `x-default`), and every section front.
fn fronts_sitemap(state: &AppState) -> Sitemap {
    let base = &state.site.base_url;
    let editions = state.editions.all();
    let home_url = |home: String| format!("{base}{home}");
    let homes: Vec<Alternate> = if editions.len() > 1 {
        editions
            .iter()
            .map(|e| Alternate {
                hreflang: e.language.clone(),
                href: home_url(e.home()),
            })
            .chain(std::iter::once(Alternate {
                hreflang: "x-default".into(),
                href: home_url(state.editions.root().home()),
            }))
            .collect()
    } else {
        Vec::new()
    };
    let front = |loc: String, alternates: Vec<Alternate>| SitemapUrl {
        loc,
        lastmod: None,
        changefreq: Some("always"),
        alternates,
    };
    let urls = editions
        .iter()
        .map(|e| {
            let alternates = homes
                .iter()
                .map(|a| Alternate {
                    hreflang: a.hreflang.clone(),
                    href: a.href.clone(),
                })
                .collect();
            front(home_url(e.home()), alternates)
        })
        .chain(
            state
                .sections
                .all()
                .iter()
                .map(|section| front(format!("{base}{}", paths::section(section)), Vec::new())),
        )
        .collect();
    Sitemap { urls }
}

/// What a story's edition names it in the news sitemap: the site name and the
/// language's primary subtag (`en` of `en-GB`).
fn news_publication(state: &AppState, section_id: i64) -> (String, String) {
    let edition = state
        .sections
        .by_id(section_id)
        .and_then(|s| state.editions.by_id(s.edition_id))
        .unwrap_or(state.editions.root());
    let language = edition.language.split('-').next().unwrap_or("en");
    (
        clean_line(&edition.site_name),
        language.to_ascii_lowercase(),
    )
}

async fn news_sitemap(state: &AppState) -> Result<NewsSitemap, WebError> {
    let now = state.now();
    let rows = state
        .store
        .published_since(now - NEWS_WINDOW_SECONDS, 1000, now)
        .await?;
    let stories = rows
        .iter()
        .filter_map(|row| {
            let (publication, language) = news_publication(state, row.section_id);
            Some(NewsStory {
                loc: story_url(state, row)?,
                publication,
                language,
                published: timefmt::rfc3339(timefmt::from_unix(row.first_published_at?)),
                // Cleaned again, as pages do: a control character would make the XML invalid.
                title: clean_line(&row.headline),
            })
        })
        .collect();
    Ok(NewsSitemap { stories })
}

/// The `n`th `SITEMAP_SIZE` public stories by id; not found past the last.
async fn stories_sitemap(state: &AppState, n: i64) -> Result<Sitemap, WebError> {
    let now = state.now();
    let after = if n == 1 {
        Some(0)
    } else {
        state
            .store
            .public_id_at((n - 1) * SITEMAP_SIZE - 1, now)
            .await?
    };
    let after = after.ok_or(WebError::NotFound)?;
    let rows = state
        .store
        .public_stories_after(after, SITEMAP_SIZE, now)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let versions = translations::of_stories(state, &ids).await?;
    let urls = rows
        .iter()
        .filter_map(|row| {
            Some(SitemapUrl {
                loc: story_url(state, row)?,
                lastmod: Some(timefmt::rfc3339(timefmt::from_unix(
                    row.last_updated_at.unwrap_or(0),
                ))),
                changefreq: None,
                alternates: story_alternates(versions.get(&row.id)),
            })
        })
        .collect();
    Ok(Sitemap { urls })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemaps_render_as_the_protocol_writes_them() {
        let index = SitemapIndex {
            sitemaps: vec!["https://x.test/sitemaps/news.xml".into()],
        };
        assert_eq!(
            index.render().unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <sitemap><loc>https://x.test/sitemaps/news.xml</loc></sitemap>\n\
             </sitemapindex>\n"
        );
        let sitemap = Sitemap {
            urls: vec![
                SitemapUrl {
                    loc: "https://x.test/".into(),
                    lastmod: None,
                    changefreq: Some("always"),
                    alternates: Vec::new(),
                },
                SitemapUrl {
                    loc: "https://x.test/news/world/a-1".into(),
                    lastmod: Some("2026-01-01T00:00:00Z".into()),
                    changefreq: None,
                    alternates: vec![
                        Alternate {
                            hreflang: "en-GB".into(),
                            href: "https://x.test/news/world/a-1".into(),
                        },
                        Alternate {
                            hreflang: "x-default".into(),
                            href: "https://x.test/news/world/a-1".into(),
                        },
                    ],
                },
            ],
        };
        assert_eq!(
            sitemap.render().unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n\
             <url><loc>https://x.test/</loc><changefreq>always</changefreq></url>\n\
             <url><loc>https://x.test/news/world/a-1</loc><lastmod>2026-01-01T00:00:00Z</lastmod>\
             <xhtml:link rel=\"alternate\" hreflang=\"en-GB\" href=\"https://x.test/news/world/a-1\"/>\
             <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://x.test/news/world/a-1\"/></url>\n\
             </urlset>\n"
        );
    }

    #[test]
    fn the_news_sitemap_escapes_what_staff_wrote() {
        let news = NewsSitemap {
            stories: vec![NewsStory {
                loc: "https://x.test/news/world/a-1?x=1&y=2".into(),
                publication: "Tom & Jerry's".into(),
                language: "en".into(),
                published: "2026-01-01T00:00:00Z".into(),
                title: "<script>alert(\"x\")</script>".into(),
            }],
        };
        let xml = news.render().unwrap();
        assert!(
            xml.contains("<news:name>Tom &#38; Jerry&#39;s</news:name>"),
            "{xml}"
        );
        assert!(
            xml.contains("<loc>https://x.test/news/world/a-1?x=1&#38;y=2</loc>"),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<news:title>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;</news:title>"
            ),
            "{xml}"
        );
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "));
        assert!(xml.ends_with("</news:news></url>\n</urlset>\n"), "{xml}");
    }
}
