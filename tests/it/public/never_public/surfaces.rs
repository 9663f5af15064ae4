//! The reader-facing surfaces of the never-public matrix: what to fetch for a
//! story on each, and how to tell whether a response shows any of the story.

use super::matrix::{Expect, Matrix};
use crate::helpers::TestApp;

/// A story of the matrix: one per editorial state.
pub struct Subject {
    /// The state's name, as the failures report it.
    pub state: &'static str,
    pub id: i64,
    pub headline: String,
    pub slug: String,
    /// A word of the headline found nowhere else on the site, for search.
    pub word: &'static str,
    /// The section's slug, and its parent's.
    pub section: &'static str,
    pub parent: &'static str,
    /// The lead picture's id.
    pub image: i64,
    /// The picture in its text (`![…](image:N "…")`, a figure of its own).
    pub body_image: i64,
    /// For a subject that is a live page: the picture of its one published post.
    pub live_image: Option<i64>,
    /// The sponsor campaign sold for this story alone (0 until it is made).
    pub campaign: i64,
}

/// What of a story a text can show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mark {
    Headline,
    Id,
    Slug,
    Picture,
}

pub const ALL_MARKS: &[Mark] = &[Mark::Headline, Mark::Id, Mark::Slug, Mark::Picture];

/// True when `text` has `prefix` followed by the number `n` and then not another digit.
fn number_after(text: &str, prefix: &str, n: i64) -> bool {
    let needle = format!("{prefix}{n}");
    text.match_indices(&needle).any(|(at, _)| {
        !text[at + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// True when a JSON document has a story object (one with a headline) whose id is `id`.
/// (A plain text search for `"id":7` would also find picture 7.)
fn json_names_story(value: &serde_json::Value, id: i64) -> bool {
    match value {
        serde_json::Value::Object(map) => {
            (map.contains_key("headline") && map.get("id").and_then(|v| v.as_i64()) == Some(id))
                || map.values().any(|v| json_names_story(v, id))
        }
        serde_json::Value::Array(items) => items.iter().any(|v| json_names_story(v, id)),
        _ => false,
    }
}

/// True when `text` names story `id` as addresses and documents do: a path
/// ending `-{id}` (after a slug), `/news/{id}`, or a story's JSON `"id"`.
fn mentions_id(text: &str, id: i64) -> bool {
    let ending = format!("-{id}");
    let slug_ending = text.match_indices(&ending).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + ending.len()..].chars().next();
        before.is_some_and(|c| c.is_ascii_alphanumeric())
            && after.is_none_or(|c| c.is_whitespace() || "\"'/<#?&".contains(c))
    });
    slug_ending
        || number_after(text, "/news/", id)
        || text
            .find('{')
            .and_then(|at| serde_json::from_str::<serde_json::Value>(&text[at..]).ok())
            .is_some_and(|doc| json_names_story(&doc, id))
}

impl Subject {
    /// The marks of this story that `text` shows.
    pub fn marks_in(&self, text: &str) -> Vec<Mark> {
        let mut found = Vec::new();
        if text.contains(&self.headline) {
            found.push(Mark::Headline);
        }
        if mentions_id(text, self.id) {
            found.push(Mark::Id);
        }
        if text.contains(&self.slug) {
            found.push(Mark::Slug);
        }
        let pictures = [self.image, self.body_image]
            .into_iter()
            .chain(self.live_image);
        if pictures.into_iter().any(|image| {
            number_after(text, "/images/", image) || number_after(text, "/api/v1/images/", image)
        }) {
            found.push(Mark::Picture);
        }
        found
    }

    /// The article's address.
    pub fn path(&self) -> String {
        format!("/news/{}/{}-{}", self.section, self.slug, self.id)
    }
}

/// The matrix's columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surface {
    Article,
    Print,
    History,
    Fronts,
    Related,
    Promos,
    Feeds,
    Sitemaps,
    Api,
    Ninjs,
    Search,
    OgImages,
    Pictures,
    /// The picture in the story's text: its renditions, and the print view showing it.
    BodyPictures,
    /// A live page's post picture and its event stream (subjects that are live pages only).
    Live,
    /// The picture and click-through of the campaign sold for the story alone.
    Sponsor,
}

pub const HTTP_SURFACES: &[Surface] = &[
    Surface::Article,
    Surface::Print,
    Surface::History,
    Surface::Fronts,
    Surface::Related,
    Surface::Promos,
    Surface::Feeds,
    Surface::Sitemaps,
    Surface::Api,
    Surface::Ninjs,
    Surface::Search,
    Surface::OgImages,
    Surface::Pictures,
    Surface::BodyPictures,
    Surface::Live,
    Surface::Sponsor,
];

/// How an address answers for a story that is public and for one that is not.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// The story's own document: 200 when public, 404 or 410 when not.
    Own,
    /// The short address: 301 to the article when public, 404 or 410 when not.
    Redirect,
    /// A page about other things too: always 200, showing the story only when public.
    Listing,
    /// A page whose OpenGraph and JSON-LD pictures are checked (always 200).
    Meta,
    /// The story's own article, for its OpenGraph picture: 200 when public.
    OwnMeta,
    /// A public picture rendition: 200 naming the story in its surrogate key
    /// (so that a kill purges it from a CDN) when public, 404 when not.
    Picture,
    /// A picture asked for again with its validator: 304 when public; when not,
    /// 404, since a 304 would tell anyone guessing ids that the picture exists.
    Revalidate,
    /// A picture asked for by a browser that accepts WebP: 200 `image/webp`
    /// when public, 404 when not, as the JPEG.
    WebpPicture,
    /// The WebP asked for again with its own validator: 304 when public, 404 when not.
    WebpRevalidate,
    /// The newsroom's copy of a picture, asked for without signing in: never 200.
    StaffOnly,
    /// A live page's event stream: 200 `text/event-stream` when public (its body,
    /// which never ends, is not read); 410 once killed, else 404, when not.
    Stream,
    /// The picture of a campaign sold for the story alone: 200, counted as one
    /// impression, when the story is public; 404, counted as nothing, when not.
    SponsorPicture,
    /// A click on that campaign: 303 to the sponsor either way (a page kept
    /// from before still leads on), counted as one click only when the story is public.
    SponsorClick,
}

struct Probe {
    path: String,
    kind: Kind,
    /// What the address shows of the story once it is public.
    shows: &'static [Mark],
}

fn probe(path: impl Into<String>, kind: Kind, shows: &'static [Mark]) -> Probe {
    Probe {
        path: path.into(),
        kind,
        shows,
    }
}

/// The addresses that make up the matrix's HTTP cells.
pub struct Site {
    /// A public story whose related box lists every subject.
    pub host: String,
    /// A public story that is nobody's related story: its promos box is the promo list.
    pub bystander: String,
    /// An API key with a high limit, so the matrix is not rate-limited.
    pub api_key: String,
    /// Whether a subject's public half includes the news sitemap (it lists only
    /// stories first published in the last 48 hours).
    pub news_window: bool,
}

use Mark::{Headline as H, Id as I, Picture as P, Slug as S};

fn probes(site: &Site, s: &Subject, surface: Surface) -> Vec<Probe> {
    let article = s.path();
    match surface {
        Surface::Article => vec![
            probe(&article, Kind::Own, &[H, I, S, P]),
            probe(format!("/news/{}", s.id), Kind::Redirect, &[I, S]),
        ],
        Surface::Print => vec![probe(format!("{article}/print"), Kind::Own, &[H])],
        Surface::History => vec![probe(format!("{article}/history"), Kind::Own, &[H])],
        Surface::Fronts => vec![
            probe("/", Kind::Listing, &[H, I, S]),
            probe(format!("/news/{}", s.section), Kind::Listing, &[H, I, S]),
            probe(format!("/news/{}", s.parent), Kind::Listing, &[H, I, S]),
        ],
        Surface::Related => vec![probe(&site.host, Kind::Listing, &[H, I, S])],
        Surface::Promos => vec![probe(&site.bystander, Kind::Listing, &[H, I, S])],
        Surface::Feeds => ["news", s.section, s.parent]
            .iter()
            .flat_map(|name| {
                [
                    probe(format!("/feeds/{name}.rss"), Kind::Listing, &[H, I, S]),
                    probe(format!("/feeds/{name}.atom"), Kind::Listing, &[H, I, S]),
                ]
            })
            .collect(),
        Surface::Sitemaps => {
            let mut list = vec![
                probe("/sitemap.xml", Kind::Listing, &[]),
                probe("/sitemaps/stories-1.xml", Kind::Listing, &[I, S]),
            ];
            let news: &'static [Mark] = if site.news_window { &[H, I, S] } else { &[] };
            list.push(probe("/sitemaps/news.xml", Kind::Listing, news));
            list
        }
        Surface::Api => vec![
            probe(
                format!("/api/v1/stories/{}", s.id),
                Kind::Own,
                &[H, I, S, P],
            ),
            probe("/api/v1/stories", Kind::Listing, &[H, I]),
            probe(
                format!("/api/v1/stories?section={}", s.section),
                Kind::Listing,
                &[H, I],
            ),
            probe(
                format!("/api/v1/stories?section={}", s.parent),
                Kind::Listing,
                &[H, I],
            ),
        ],
        Surface::Ninjs => vec![probe(
            format!("/api/v1/stories/{}/ninjs", s.id),
            Kind::Own,
            &[H],
        )],
        Surface::Search => vec![
            // The results page marks the searched word inside the headline.
            probe(format!("/search?q={}", s.word), Kind::Listing, &[I, S]),
            probe(format!("/api/v1/search?q={}", s.word), Kind::Listing, &[H]),
        ],
        Surface::OgImages => vec![
            probe(&article, Kind::OwnMeta, &[P]),
            probe("/", Kind::Meta, &[]),
            probe(format!("/news/{}", s.section), Kind::Meta, &[]),
            probe(format!("/news/{}", s.parent), Kind::Meta, &[]),
            probe(&site.host, Kind::Meta, &[]),
            probe(&site.bystander, Kind::Meta, &[]),
        ],
        Surface::Pictures => {
            let mut list: Vec<Probe> = dateline::media::WIDTHS
                .iter()
                .map(|w| probe(format!("/images/{}/{w}", s.image), Kind::Picture, &[]))
                .collect();
            let width = dateline::media::WIDTHS[0];
            list.push(probe(
                format!("/images/{}/{width}", s.image),
                Kind::Revalidate,
                &[],
            ));
            list.extend(webp_probes(s.image));
            list.push(probe(
                format!("/newsroom/images/{}/{width}", s.image),
                Kind::StaffOnly,
                &[],
            ));
            list.push(probe(format!("/api/v1/images/{}", s.image), Kind::Own, &[]));
            list
        }
        Surface::BodyPictures => {
            let mut list: Vec<Probe> = dateline::media::WIDTHS
                .iter()
                .map(|w| probe(format!("/images/{}/{w}", s.body_image), Kind::Picture, &[]))
                .collect();
            let width = dateline::media::WIDTHS[0];
            list.push(probe(
                format!("/images/{}/{width}", s.body_image),
                Kind::Revalidate,
                &[],
            ));
            list.extend(webp_probes(s.body_image));
            list.push(probe(format!("{article}/print"), Kind::Own, &[H, P]));
            list
        }
        Surface::Live => match s.live_image {
            Some(image) => {
                let mut list: Vec<Probe> = dateline::media::WIDTHS
                    .iter()
                    .map(|w| probe(format!("/images/{image}/{w}"), Kind::Picture, &[]))
                    .collect();
                list.push(probe(format!("/live/{}/events", s.id), Kind::Stream, &[]));
                list
            }
            None => Vec::new(),
        },
        Surface::Sponsor => vec![
            probe(
                format!("/sponsor/{}/picture", s.campaign),
                Kind::SponsorPicture,
                &[],
            ),
            probe(
                format!("/sponsor/{}/go", s.campaign),
                Kind::SponsorClick,
                &[],
            ),
        ],
    }
}

/// Picture `image` as a browser that accepts WebP asks for it, then again with
/// the WebP's validator (issue 20): the same rule as the JPEG.
fn webp_probes(image: i64) -> [Probe; 2] {
    let width = dateline::media::WIDTHS[1];
    [
        probe(format!("/images/{image}/{width}"), Kind::WebpPicture, &[]),
        probe(
            format!("/images/{image}/{width}"),
            Kind::WebpRevalidate,
            &[],
        ),
    ]
}

/// Where the matrix's campaigns lead (`newsroom::sponsor`).
pub const SPONSOR_LINK: &str = "https://bank.example/offer?from=dateline";

/// A response as a reader's client sees it.
struct Answer {
    status: u16,
    location: String,
    surrogate_key: String,
    content_type: String,
    body: String,
    /// For a campaign's addresses: what the fetch added to its count
    /// (impressions for the picture, clicks for the click-through).
    counted: i64,
}

/// Campaign `id`'s impressions and clicks, every day together.
async fn sponsor_counts(node: &TestApp, id: i64) -> (i64, i64) {
    let days = node.store.sponsor_counts(Some(id)).await.expect("counts");
    days.iter().fold((0, 0), |(seen, clicked), day| {
        (seen + day.impressions, clicked + day.clicks)
    })
}

async fn fetch(node: &TestApp, site: &Site, subject: &Subject, p: &Probe) -> Answer {
    let path = &p.path;
    let sponsor = matches!(p.kind, Kind::SponsorPicture | Kind::SponsorClick);
    let before = if sponsor {
        sponsor_counts(node, subject.campaign).await
    } else {
        (0, 0)
    };
    let mut request = node.client.get(format!("{}{path}", node.base));
    if path.starts_with("/api/") {
        request = request.header("x-api-key", &site.api_key);
    }
    if matches!(p.kind, Kind::WebpPicture | Kind::WebpRevalidate) {
        request = request.header("accept", "image/avif,image/webp,*/*;q=0.8");
    }
    if matches!(p.kind, Kind::Revalidate | Kind::WebpRevalidate) {
        // The validator a browser or CDN holds from when the picture was public.
        let mut parts = path.trim_start_matches("/images/").split('/');
        let (id, width) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let format = if p.kind == Kind::WebpRevalidate {
            "-webp"
        } else {
            ""
        };
        request = request.header("if-none-match", format!("\"img-{id}-{width}{format}\""));
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let surrogate_key = response
        .headers()
        .get(dateline::web::cache::SURROGATE_KEY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    // An open stream never ends: its body is not read (dropping it closes the stream).
    let body = if p.kind == Kind::Stream && status == 200 {
        String::new()
    } else {
        let bytes = response.bytes().await.expect("body");
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let counted = if sponsor {
        let after = sponsor_counts(node, subject.campaign).await;
        match p.kind {
            Kind::SponsorPicture => after.0 - before.0,
            _ => after.1 - before.1,
        }
    } else {
        0
    };
    Answer {
        status,
        location,
        surrogate_key,
        content_type,
        body,
        counted,
    }
}

/// The OpenGraph and JSON-LD parts of a page: where its pictures are named.
fn meta_of(page: &str) -> String {
    let mut out = String::new();
    for part in page.split("<meta ").skip(1) {
        let tag = part.split('>').next().unwrap_or("");
        if tag.contains("og:") || tag.contains("twitter:") {
            out.push_str(tag);
            out.push('\n');
        }
    }
    for part in page.split("application/ld+json").skip(1) {
        out.push_str(part.split("</script>").next().unwrap_or(""));
        out.push('\n');
    }
    out
}

fn names(marks: &[Mark]) -> String {
    marks
        .iter()
        .map(|m| format!("{m:?}").to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks `surfaces` for `subject` on `node` and records a cell per surface.
pub async fn check(
    matrix: &mut Matrix,
    node: (&TestApp, &str),
    site: &Site,
    subject: &Subject,
    surfaces: &[Surface],
    expect: Expect,
) {
    let (app, node_name) = node;
    for &surface in surfaces {
        let mut problems = Vec::new();
        let probes = probes(site, subject, surface);
        if probes.is_empty() {
            continue;
        }
        for p in probes {
            let answer = fetch(app, site, subject, &p).await;
            problems.extend(judge(subject, &p, &answer, expect));
        }
        matrix.record(
            subject.state,
            &format!("{surface:?}"),
            node_name,
            expect,
            problems,
        );
    }
}

/// What is wrong with where a click-through leads: to the sponsor, always.
fn leads_to_sponsor(path: &str, answer: &Answer) -> Option<String> {
    (answer.location != SPONSOR_LINK).then(|| format!("{path} leads to {:?}", answer.location))
}

/// What is wrong with `answer` for probe `p`, if anything.
fn judge(subject: &Subject, p: &Probe, answer: &Answer, expect: Expect) -> Vec<String> {
    let mut problems = Vec::new();
    let path = &p.path;
    let status = answer.status;
    let text = match p.kind {
        Kind::Meta | Kind::OwnMeta => meta_of(&answer.body),
        _ => format!("{}\n{}", answer.location, answer.body),
    };
    let seen = subject.marks_in(&text);
    match expect {
        Expect::Hidden => {
            let gone = matches!(status, 404 | 410);
            match p.kind {
                Kind::StaffOnly if status == 200 => {
                    problems.push(format!("{path} answered 200 to a reader"))
                }
                Kind::StaffOnly => {}
                Kind::Stream => {
                    let wanted = if subject.state == "killed" { 410 } else { 404 };
                    if status != wanted {
                        problems.push(format!("{path} answered {status}, not {wanted}"));
                    }
                }
                Kind::Own
                | Kind::Redirect
                | Kind::OwnMeta
                | Kind::Picture
                | Kind::Revalidate
                | Kind::WebpPicture
                | Kind::WebpRevalidate
                    if !gone =>
                {
                    problems.push(format!("{path} answered {status}, not 404/410"))
                }
                Kind::Listing | Kind::Meta if status != 200 => {
                    problems.push(format!("{path} answered {status}, not 200"))
                }
                Kind::SponsorPicture if status != 404 => {
                    problems.push(format!("{path} answered {status}, not 404"))
                }
                Kind::SponsorClick if status != 303 => {
                    problems.push(format!("{path} answered {status}, not 303"))
                }
                Kind::SponsorClick => problems.extend(leads_to_sponsor(path, answer)),
                _ => {}
            }
            if answer.counted != 0 {
                problems.push(format!("{path} was counted ({:+})", answer.counted));
            }
            // (A refusal of the newsroom's copy names its own address, to sign in and come back.)
            if !seen.is_empty() && p.kind != Kind::StaffOnly {
                problems.push(format!("{path} shows its {}", names(&seen)));
            }
        }
        Expect::Shown => {
            let wanted = match p.kind {
                Kind::Redirect => 301,
                Kind::Revalidate | Kind::WebpRevalidate => 304,
                Kind::SponsorClick => 303,
                _ => 200,
            };
            if p.kind == Kind::StaffOnly {
                if status == 200 {
                    problems.push(format!("{path} answered 200 to a reader"));
                }
            } else if status != wanted {
                problems.push(format!("{path} answered {status}, not {wanted}"));
            }
            if p.kind == Kind::Stream && !answer.content_type.starts_with("text/event-stream") {
                problems.push(format!("{path} is sent as {:?}", answer.content_type));
            }
            if p.kind == Kind::WebpPicture && answer.content_type != "image/webp" {
                problems.push(format!(
                    "{path} is sent as {:?}, not WebP",
                    answer.content_type
                ));
            }
            if p.kind == Kind::SponsorPicture && !answer.content_type.starts_with("image/") {
                problems.push(format!("{path} is sent as {:?}", answer.content_type));
            }
            if p.kind == Kind::SponsorClick {
                problems.extend(leads_to_sponsor(path, answer));
            }
            let sponsor = matches!(p.kind, Kind::SponsorPicture | Kind::SponsorClick);
            if sponsor && answer.counted != 1 {
                problems.push(format!(
                    "{path} was counted {} times, not once",
                    answer.counted
                ));
            }
            let story_key = format!("story-{}", subject.id);
            if p.kind == Kind::Picture && !answer.surrogate_key.split(' ').any(|k| k == story_key) {
                problems.push(format!(
                    "{path}'s surrogate key {:?} does not name {story_key}",
                    answer.surrogate_key
                ));
            }
            let missing: Vec<Mark> = p
                .shows
                .iter()
                .copied()
                .filter(|m| !seen.contains(m))
                .collect();
            if !missing.is_empty() {
                problems.push(format!("{path} does not show its {}", names(&missing)));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_only_where_they_name_the_story() {
        assert!(mentions_id("href=\"/news/europe/a-slug-7\"", 7));
        assert!(mentions_id("<loc>https://x/news/7</loc>", 7));
        assert!(mentions_id(
            "{\"items\":[{\"id\":7,\"headline\":\"x\"}]}",
            7
        ));
        assert!(!mentions_id("{\"image\":{\"id\":7}}", 7));
        assert!(!mentions_id("tabindex=\"-7\"", 7));
        assert!(!mentions_id("href=\"/news/europe/a-slug-77\"", 7));
        assert!(!mentions_id("2026-07-12", 7));
        assert!(!mentions_id("{\"id\":71,\"headline\":\"x\"}", 7));
    }
}
