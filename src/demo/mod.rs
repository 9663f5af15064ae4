//! The demo newsroom: original stories in `demo/stories/*.toml`, with pictures
//! painted by [`pictures`], loaded into an empty database on first run; and a
//! synthetic archive of any size on top of it ([`archive`], [`synthetic`]).

pub mod archive;
pub mod pictures;
mod rng;
pub mod synthetic;
mod words;

use anyhow::{anyhow, bail, Context, Result};
use include_dir::{include_dir, Dir};
use jiff::Timestamp;
use serde::Deserialize;
use std::collections::HashMap;

use crate::domain::section::SectionTree;
use crate::domain::story::{ExternalLink, LeadImage, StoryContent};
use crate::domain::user::Role;
use crate::editorial::{Actor, Editorial, NoLocalCopies, TypedPost};
use crate::media;
use crate::store::{NewRevision, Store, VersionChange};

static STORIES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/demo/stories");
/// The demo's other editions: `editions.toml`, and each edition's stories in the folder named by its key.
static EDITIONS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/demo/editions");

const AUTHOR: &str = "demo";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoStory {
    id: i64,
    slug: String,
    section: String,
    headline: String,
    promo_headline: String,
    summary: String,
    byline: String,
    first_published: Timestamp,
    last_updated: Option<Timestamp>,
    #[serde(default)]
    related: Vec<i64>,
    body: String,
    image: Option<DemoImage>,
    #[serde(default)]
    links: Vec<ExternalLink>,
    #[serde(default)]
    earlier: Vec<EarlierVersion>,
    /// Posts, oldest first: the story is a live page, started when first published.
    #[serde(default)]
    live_post: Vec<LivePost>,
    /// The demo id of the English story this one translates (other editions' stories).
    translation_of: Option<i64>,
    /// The edition's key ("english" for `demo/stories`); set by the loader, not the file.
    #[serde(skip)]
    edition: String,
}

/// One post of a live page, published by the desk at `at`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LivePost {
    at: Timestamp,
    body: String,
    #[serde(default)]
    byline: String,
    /// Pinned as a key point when published.
    #[serde(default)]
    key_point: bool,
    image: Option<LivePicture>,
}

/// A live post's picture, painted by [`pictures`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LivePicture {
    alt: String,
    scene: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoImage {
    alt: String,
    caption: String,
    credit: String,
    scene: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EarlierVersion {
    at: Timestamp,
    headline: String,
    summary: String,
    body: String,
}

/// The seed a live post's picture is painted with (the story's own picture uses its id).
fn live_picture_seed(story_id: i64, post: usize) -> u64 {
    story_id as u64 * 1_000 + post as u64
}

/// Every picture the demo shows, named and painted as [`load`] paints them:
/// what `examples/webp_savings.rs` measures the picture formats on.
pub fn pictures() -> Result<Vec<(String, image::RgbImage)>> {
    Ok(scenes()?
        .into_iter()
        .map(|scene| (scene.name, pictures::paint(&scene.scene, scene.seed)))
        .collect())
}

/// One demo picture to paint: which it is, its name, its scene and seed, and
/// the bytes its renditions are named from.
struct Scene {
    of: PictureOf,
    name: String,
    scene: String,
    seed: u64,
    original: Vec<u8>,
}

/// Every demo picture, story by story: its own, then its live posts'.
fn scenes() -> Result<Vec<Scene>> {
    let mut scenes = Vec::new();
    for story in demo_stories()? {
        if let Some(image) = &story.image {
            scenes.push(Scene {
                of: PictureOf::Story(story.id),
                name: story.slug.clone(),
                scene: image.scene.clone(),
                seed: story.id as u64,
                original: story.slug.as_bytes().to_vec(),
            });
        }
        for (n, post) in story.live_post.iter().enumerate() {
            if let Some(picture) = &post.image {
                let seed = live_picture_seed(story.id, n);
                scenes.push(Scene {
                    of: PictureOf::Post(story.id, n),
                    name: format!("{} (post {})", story.slug, n + 1),
                    scene: picture.scene.clone(),
                    seed,
                    original: seed.to_be_bytes().to_vec(),
                });
            }
        }
    }
    Ok(scenes)
}

/// Which demo picture: a story's own, or the picture of one of its live posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PictureOf {
    Story(i64),
    Post(i64, usize),
}

/// Every demo picture painted and encoded at the standard widths, as [`load`]
/// stores them. Painting and encoding are nearly all of a load's time (12.0 of
/// 12.6 s unoptimised), so a process that loads the demo into several databases
/// (the test suite) encodes them once and passes them to [`load_with`].
pub struct DemoPictures {
    encoded: HashMap<PictureOf, media::ProcessedImage>,
}

impl DemoPictures {
    /// Paints and encodes every picture of every demo story and live post.
    pub fn encode() -> Result<DemoPictures> {
        let mut encoded = HashMap::new();
        for scene in scenes()? {
            let painted = image::DynamicImage::ImageRgb8(pictures::paint(&scene.scene, scene.seed));
            let processed = media::encode_renditions(&painted, &scene.original)?;
            encoded.insert(scene.of, processed);
        }
        Ok(DemoPictures { encoded })
    }

    fn get(&self, of: PictureOf) -> Result<&media::ProcessedImage> {
        self.encoded.get(&of).ok_or_else(|| match of {
            PictureOf::Story(id) => anyhow!("demo story {id}'s picture was not encoded"),
            PictureOf::Post(id, n) => {
                anyhow!(
                    "the picture of demo story {id}'s post {} was not encoded",
                    n + 1
                )
            }
        })
    }
}

/// Parses the embedded demo stories of every edition, sorted by id.
fn demo_stories() -> Result<Vec<DemoStory>> {
    let mut stories = Vec::new();
    let folders = std::iter::once(("english", &STORIES)).chain(
        EDITIONS
            .dirs()
            .filter_map(|d| Some((d.path().file_name()?.to_str()?, d))),
    );
    for (edition, folder) in folders {
        for file in folder.files() {
            let name = file.path().display().to_string();
            let text = file
                .contents_utf8()
                .ok_or_else(|| anyhow!("{name} is not UTF-8"))?;
            let mut story: DemoStory =
                toml::from_str(text).with_context(|| format!("demo story {name}"))?;
            story.edition = edition.to_string();
            stories.push(story);
        }
    }
    stories.sort_by_key(|s| s.id);
    Ok(stories)
}

/// Creates the demo's other editions and their sections (`demo/editions/editions.toml`),
/// checked as `dateline edition add` checks a file. Editions already there are kept.
async fn load_editions(store: &Store) -> Result<()> {
    let text = EDITIONS
        .get_file("editions.toml")
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| anyhow!("demo/editions/editions.toml is missing"))?;
    let mut file = crate::editions::parse(text)?;
    let existing = store.edition_keys().await?;
    file.edition.retain(|e| !existing.contains(&e.key));
    let (slugs, prefixes) = store.section_slugs_and_prefixes().await?;
    for (edition, sections) in crate::editions::check(&file, &slugs, &prefixes, &existing)? {
        store.create_edition(&edition, &sections).await?;
    }
    Ok(())
}

/// One published version of a demo story, oldest first.
struct Version {
    at: Timestamp,
    headline: String,
    summary: String,
    body: String,
}

fn versions(story: &DemoStory) -> Vec<Version> {
    let mut versions: Vec<Version> = story
        .earlier
        .iter()
        .map(|e| Version {
            at: e.at,
            headline: e.headline.clone(),
            summary: e.summary.clone(),
            body: e.body.clone(),
        })
        .collect();
    let final_at = story.last_updated.unwrap_or(story.first_published);
    if versions.is_empty() && story.last_updated.is_some() {
        // Updated without a recorded earlier text: the same words, published twice.
        versions.push(Version {
            at: story.first_published,
            headline: story.headline.clone(),
            summary: story.summary.clone(),
            body: story.body.clone(),
        });
    }
    versions.push(Version {
        at: final_at,
        headline: story.headline.clone(),
        summary: story.summary.clone(),
        body: story.body.clone(),
    });
    versions
}

/// Loads the demo newsroom: pictures, stories with their revision history, related
/// stories and the site-wide promos. Returns the number of stories loaded.
/// Pictures go wherever `pictures` keeps them; a CDN's public copies are
/// written for the pictures the published demo stories show.
pub async fn load(store: &Store, pictures: &media::Pictures) -> Result<usize> {
    load_with(store, pictures, &DemoPictures::encode()?).await
}

/// [`load`] with the demo's pictures already encoded.
pub async fn load_with(
    store: &Store,
    pictures: &media::Pictures,
    encoded: &DemoPictures,
) -> Result<usize> {
    load_editions(store).await?;
    let stories = demo_stories()?;
    let tree = SectionTree::new(store.sections().await?);
    let editions: HashMap<String, i64> = store
        .editions("", "GMT")
        .await?
        .into_iter()
        .map(|e| (e.key, e.id))
        .collect();
    let sections: HashMap<(i64, &str), i64> = tree
        .all()
        .iter()
        .map(|s| ((s.edition_id, s.slug.as_str()), s.id))
        .collect();
    let mut ids: HashMap<i64, i64> = HashMap::new();
    let mut contents = Vec::new();

    // First every story as a draft, so related stories can refer to each other.
    for story in &stories {
        let edition = *editions.get(&story.edition).ok_or_else(|| {
            anyhow!(
                "demo story {} is in unknown edition {}",
                story.id,
                story.edition
            )
        })?;
        let section_id = *sections
            .get(&(edition, story.section.as_str()))
            .ok_or_else(|| {
                anyhow!(
                    "demo story {} names unknown section {}",
                    story.id,
                    crate::domain::text::quoted(&story.section)
                )
            })?;
        let lead_image = match &story.image {
            Some(image) => {
                let processed = encoded.get(PictureOf::Story(story.id))?;
                let image_id = pictures
                    .insert(store, processed, story.first_published.as_second())
                    .await?;
                Some(LeadImage {
                    image_id,
                    alt: image.alt.clone(),
                    caption: image.caption.clone(),
                    credit: image.credit.clone(),
                })
            }
            None => None,
        };
        let first = &versions(story)[0];
        let content = StoryContent {
            slug: story.slug.clone(),
            section_id,
            headline: first.headline.clone(),
            promo_headline: story.promo_headline.clone(),
            summary: first.summary.clone(),
            byline: story.byline.clone(),
            body: first.body.clone(),
            lead_image,
            related: Vec::new(),
            links: story.links.clone(),
        };
        let content = content.validate(None).map_err(|e| {
            anyhow!(
                "demo story {}: {}",
                story.id,
                e.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
        let drafted_at = first.at.as_second() - 25 * 60;
        let id = store
            .create_story(
                &NewRevision {
                    content: &content,
                    action: "create",
                    author: AUTHOR,
                    at: drafted_at,
                },
                None,
            )
            .await?;
        ids.insert(story.id, id);
        contents.push(content);
    }

    // Then each published version in turn, now with related stories.
    for (story, mut content) in stories.iter().zip(contents) {
        let id = ids[&story.id];
        content.related = story
            .related
            .iter()
            .map(|r| {
                ids.get(r).copied().ok_or_else(|| {
                    anyhow!("demo story {} is related to unknown story {r}", story.id)
                })
            })
            .collect::<Result<_>>()?;
        for (n, version) in versions(story).into_iter().enumerate() {
            content.headline = version.headline;
            content.summary = version.summary;
            content.body = version.body;
            let content = content.clone().validate(Some(id)).map_err(|errors| {
                let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
                anyhow!("demo story {}: {}", story.id, errors.join("; "))
            })?;
            let action = if n == 0 { "publish" } else { "update" };
            let at = version.at.as_second();
            store
                .save_revision(
                    id,
                    &NewRevision {
                        content: &content,
                        action,
                        author: AUTHOR,
                        at,
                    },
                    None,
                )
                .await?;
            store.publish_newest(id, at, true, None).await?;
        }
    }

    // Each translation linked to the story it translates, as an editor would link it.
    for story in &stories {
        if let Some(original) = story.translation_of {
            let original = ids.get(&original).copied().ok_or_else(|| {
                anyhow!(
                    "demo story {} translates unknown story {original}",
                    story.id
                )
            })?;
            let change = VersionChange {
                story_id: original,
                other_id: ids[&story.id],
                actor: AUTHOR,
                at: Timestamp::now().as_second(),
            };
            // One transaction with its audit row and both stories' log rows.
            if store.link_versions(&change).await?.is_err() {
                bail!(
                    "demo story {} cannot be linked to story {}: one version per edition, not in its own edition",
                    story.id,
                    story.translation_of.unwrap_or_default()
                );
            }
        }
    }

    let promos = pick_promos(&stories, &ids);
    if promos.len() < 3 {
        bail!("the demo needs stories in science, technology and health for the promos");
    }
    // Through the editorial service, as an editor's choice would be: one
    // transaction with its audit row and its invalidation-log row.
    let editorial = Editorial {
        store,
        pictures,
        copies: &NoLocalCopies,
        time_zone: &jiff::tz::TimeZone::UTC,
        sections: &tree,
    };
    let desk = Actor {
        name: AUTHOR,
        role: Role::Editor,
        user_id: None,
    };
    for story in stories.iter().filter(|s| !s.live_post.is_empty()) {
        let id = ids[&story.id];
        load_live_page(store, pictures, encoded, &editorial, desk, id, story).await?;
    }
    editorial
        .curate(desk, None, &promos, Timestamp::now().as_second())
        .await?;
    let now = Timestamp::now().as_second();
    for id in ids.values() {
        pictures.sync_story(store, *id, now).await?;
    }
    Ok(stories.len())
}

/// Runs `story` (stored as `id`) as a live page through the editorial service,
/// as the desk would: started when first published, then each post published
/// (and pinned) at its time, each with its change row, audit row and history.
async fn load_live_page(
    store: &Store,
    pictures: &media::Pictures,
    encoded: &DemoPictures,
    editorial: &Editorial<'_>,
    desk: Actor<'_>,
    id: i64,
    story: &DemoStory,
) -> Result<()> {
    let stored = store
        .story(id)
        .await?
        .ok_or_else(|| anyhow!("demo story {} was not stored", story.id))?;
    editorial
        .start_live_page(desk, &stored, story.first_published.as_second())
        .await?;
    for (n, post) in story.live_post.iter().enumerate() {
        let at = post.at.as_second();
        let image_id = match &post.image {
            Some(_) => {
                let processed = encoded.get(PictureOf::Post(story.id, n))?;
                Some(pictures.insert(store, processed, at).await?)
            }
            None => None,
        };
        let typed = TypedPost {
            body: &post.body,
            image_id,
            alt: post.image.as_ref().map_or("", |p| p.alt.as_str()),
            byline: &post.byline,
        };
        let post_id = editorial
            .add_live_post(desk, &stored, typed, at)
            .await
            .with_context(|| format!("demo story {} post {}", story.id, n + 1))?;
        if post.key_point {
            editorial
                .pin_live_post(desk, &stored, post_id, true, at)
                .await?;
        }
    }
    Ok(())
}

/// The site-wide promos: the newest feature from science, technology and health.
/// The newest story of science, technology and health in each edition, English first
/// (each edition's pages show their own edition's promos).
fn pick_promos(stories: &[DemoStory], ids: &HashMap<i64, i64>) -> Vec<i64> {
    let mut editions: Vec<&str> = stories.iter().map(|s| s.edition.as_str()).collect();
    editions.sort_by_key(|e| (*e != "english", *e));
    editions.dedup();
    editions
        .into_iter()
        .flat_map(|edition| {
            ["science", "technology", "health"]
                .into_iter()
                .filter_map(move |section| {
                    stories
                        .iter()
                        .filter(|s| s.section == section && s.edition == edition)
                        .max_by_key(|s| s.last_updated.unwrap_or(s.first_published))
                        .map(|s| ids[&s.id])
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_files_are_valid_and_plentiful() {
        let stories = demo_stories().unwrap();
        assert!(stories.len() >= 18, "only {} demo stories", stories.len());
        let regions = [
            "americas",
            "africa",
            "europe",
            "middle-east",
            "south-asia",
            "asia-pacific",
        ];
        for region in regions {
            assert!(
                stories.iter().any(|s| s.section == region),
                "no demo story in {region}"
            );
        }
        assert!(stories.iter().filter(|s| !s.earlier.is_empty()).count() >= 3);
        let live = stories
            .iter()
            .find(|s| !s.live_post.is_empty())
            .expect("a live page");
        let posts = &live.live_post;
        assert!(posts.len() >= 30, "only {} live posts", posts.len());
        assert!(posts.iter().filter(|p| p.key_point).count() >= 3);
        assert!(posts.iter().any(|p| p.image.is_some()));
        assert!(posts.iter().filter(|p| !p.byline.is_empty()).count() >= 5);
        assert!(posts.windows(2).all(|w| w[0].at < w[1].at), "oldest first");
        let hours = (posts[posts.len() - 1].at.as_second() - posts[0].at.as_second()) / 3600;
        assert!(hours >= 3, "posts span {hours} hours");
        for (n, p) in posts.iter().enumerate() {
            let alt = p.image.as_ref().map_or("", |i| i.alt.as_str());
            let image = p.image.as_ref().map(|_| 1);
            assert!(
                crate::domain::live::check_post(&p.body, image, alt, &p.byline).is_ok(),
                "live post {}",
                n + 1
            );
        }
        for s in &stories {
            assert!(
                crate::domain::markup::parse(&s.body).is_ok(),
                "story {} body",
                s.id
            );
            for e in &s.earlier {
                assert!(
                    crate::domain::markup::parse(&e.body).is_ok(),
                    "story {} earlier body",
                    s.id
                );
            }
        }
    }
}
