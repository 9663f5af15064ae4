//! The synthetic archive: realistic-looking stories generated from the word
//! lists in [`super::words`], deterministically from a seed. Pure: no I/O.
//!
//! Story `i` of `n` depends only on the seed and `i`, so stories can be made in
//! any order; publication times rise with `i` (ids stay chronological, as they
//! are in a real newsroom) and are denser in recent years.

use super::rng::Rng;
use super::words::*;
use crate::domain::slug::slugify;
use crate::domain::story::{ExternalLink, LeadImage, StoryContent};

/// How far back the archive reaches.
pub const YEARS: i64 = 20;
const SPAN_SECONDS: i64 = YEARS * 365 * 86_400 + (YEARS / 4) * 86_400;
/// The newest stories are this many times denser in time than the oldest.
const RECENT_DENSITY: f64 = 5.0;
const MINUTE: i64 = 60;
const HOUR: i64 = 3600;

/// The author recorded on every synthetic revision; it is how they are recognised.
pub const AUTHOR: &str = "synthetic";

/// What to generate: `count` stories ending at `end` (Unix seconds), with ids
/// from `first_id`, in the given sections, reusing the given pictures.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    pub count: u64,
    pub end: i64,
    pub first_id: i64,
    /// (id, slug) of every section a story may go in.
    pub sections: Vec<(i64, String)>,
    pub image_ids: Vec<i64>,
}

/// One saved revision of a synthetic story.
#[derive(Debug, Clone)]
pub struct Version {
    pub action: &'static str,
    pub at: i64,
    pub published: bool,
    pub content: StoryContent,
}

/// A whole synthetic story: every revision, which one is live, and its times.
#[derive(Debug, Clone)]
pub struct SyntheticStory {
    pub id: i64,
    pub killed: bool,
    /// Revisions 1, 2, … in order.
    pub versions: Vec<Version>,
    /// Index into `versions` of the revision the public sees.
    pub live: usize,
    pub created_at: i64,
    pub modified_at: i64,
    pub first_published_at: i64,
    pub last_updated_at: i64,
    pub corrections: Vec<(i64, &'static str)>,
}

impl Plan {
    pub fn start(&self) -> i64 {
        self.end - SPAN_SECONDS
    }

    /// When story `index` is first published: the inverse of a distribution whose
    /// density rises linearly from 1 (twenty years ago) to `RECENT_DENSITY` (now).
    pub fn published_at(&self, index: u64) -> i64 {
        let q = (index as f64 + 0.5) / self.count.max(1) as f64;
        let g = RECENT_DENSITY - 1.0;
        let x = ((1.0 + 2.0 * g * q * (1.0 + g / 2.0)).sqrt() - 1.0) / g;
        self.start() + (x.clamp(0.0, 1.0) * SPAN_SECONDS as f64) as i64
    }

    /// Story number `index` (0-based) of the plan.
    pub fn story(&self, index: u64) -> SyntheticStory {
        let id = self.first_id + index as i64;
        let mut rng = Rng::new(self.seed ^ (index.wrapping_mul(0xA24B_AED4_963E_E407)));
        let (section_id, section_slug) = self.sections[rng.index(self.sections.len())].clone();
        let mut words = Words::new(&mut rng, &section_slug);
        let paragraphs = words.body(&mut rng);
        let headline = words.headline(&mut rng);
        let content = StoryContent {
            slug: slugify(&headline),
            section_id,
            headline,
            promo_headline: words.promo_headline(&mut rng),
            summary: words.sentence(&mut rng, false),
            byline: format!("By {}", words.person(&mut rng)),
            body: paragraphs.join("\n\n"),
            lead_image: self.lead_image(&mut rng, &words),
            related: self.related(&mut rng, id),
            links: words.links(&mut rng),
        };
        self.history(&mut rng, &mut words, id, index, content, &paragraphs)
    }

    fn lead_image(&self, rng: &mut Rng, words: &Words) -> Option<LeadImage> {
        if self.image_ids.is_empty() || !rng.chance(350) {
            return None;
        }
        Some(LeadImage {
            image_id: rng.pick(&self.image_ids),
            alt: capitalise(&format!("The {} in {}", words.thing, words.place)),
            caption: format!(
                "Work on the {} in {} has drawn crowds",
                words.thing, words.place
            ),
            credit: rng.pick(PHOTO_CREDITS).to_string(),
        })
    }

    /// Up to three earlier synthetic stories, for one story in five.
    fn related(&self, rng: &mut Rng, id: i64) -> Vec<i64> {
        let earlier = (id - self.first_id) as u64;
        if earlier == 0 || !rng.chance(200) {
            return Vec::new();
        }
        let mut related = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let back = rng.range(1, earlier.min(500)) as i64;
            if !related.contains(&(id - back)) {
                related.push(id - back);
            }
        }
        related
    }

    /// The revisions leading to `content`: published at once, drafted then
    /// published, or updated a few times; sometimes an unpublished edit on top,
    /// a correction, or a kill.
    fn history(
        &self,
        rng: &mut Rng,
        words: &mut Words,
        id: i64,
        index: u64,
        content: StoryContent,
        paragraphs: &[String],
    ) -> SyntheticStory {
        let end = self.end;
        let first_at = self.published_at(index);
        let later = |at: i64, rng: &mut Rng, lo: i64, hi: i64| {
            (at + rng.range(lo as u64, hi as u64) as i64).min(end)
        };
        let with_paragraphs = |n: usize| StoryContent {
            body: paragraphs[..n.clamp(1, paragraphs.len())].join("\n\n"),
            ..content.clone()
        };
        let mut versions = Vec::new();
        let roll = rng.range(0, 99);
        let updates = if roll >= 85 {
            rng.range(1, 3) as usize
        } else {
            0
        };
        if roll < 55 {
            versions.push(version("publish", first_at, true, content.clone()));
        } else {
            let drafted = first_at - rng.range(20, 180) as i64 * MINUTE;
            versions.push(version(
                "save",
                drafted,
                false,
                with_paragraphs(paragraphs.len() / 3),
            ));
            let mut first = with_paragraphs(paragraphs.len() * 2 / (updates + 2));
            if updates > 0 {
                first.headline = words.headline(rng);
            }
            versions.push(version("publish", first_at, true, first));
        }
        let mut last_updated_at = first_at;
        let mut at = first_at;
        for n in 1..=updates {
            at = later(at, rng, 30 * MINUTE, 8 * HOUR);
            let mut next = with_paragraphs(paragraphs.len() * (n + 2) / (updates + 2));
            if n < updates {
                next.headline = words.headline(rng);
            } else {
                next = content.clone();
            }
            let significant = !rng.chance(200);
            if significant {
                last_updated_at = at;
            }
            let action = if significant {
                "update"
            } else {
                "minor_update"
            };
            versions.push(version(action, at, true, next));
        }
        let live = versions.len() - 1;
        let modified_at = at;
        if rng.chance(20) {
            let mut pending = content.clone();
            pending.body.push_str("\n\n");
            pending.body.push_str(&words.paragraph(rng, 2));
            versions.push(version(
                "save",
                later(at, rng, HOUR, 12 * HOUR),
                false,
                pending,
            ));
        }
        let corrections = if rng.chance(10) {
            vec![(later(at, rng, HOUR, 48 * HOUR), rng.pick(CORRECTIONS))]
        } else {
            Vec::new()
        };
        SyntheticStory {
            id,
            killed: rng.chance(2),
            created_at: versions[0].at,
            versions,
            live,
            modified_at,
            first_published_at: first_at,
            last_updated_at,
            corrections,
        }
    }
}

fn version(action: &'static str, at: i64, published: bool, content: StoryContent) -> Version {
    Version {
        action,
        at,
        published,
        content,
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The recurring cast of one story: its place, subject and section vocabulary.
struct Words {
    place: String,
    thing: &'static str,
    actor: &'static str,
    things: &'static [&'static str],
}

impl Words {
    fn new(rng: &mut Rng, section_slug: &str) -> Words {
        let theme = if WORLD_REGIONS.contains(&section_slug) {
            "world"
        } else {
            section_slug
        };
        let things = THEMED_THINGS
            .iter()
            .find(|(slug, _)| *slug == theme)
            .map(|(_, list)| *list)
            .unwrap_or(GENERAL_THINGS);
        let place = format!("{}{}", rng.pick(PLACE_HEADS), rng.pick(PLACE_TAILS));
        let thing = if rng.chance(300) {
            rng.pick(GENERAL_THINGS)
        } else {
            rng.pick(things)
        };
        let actor = rng.pick(ACTORS);
        Words {
            place,
            thing,
            actor,
            things,
        }
    }

    fn person(&self, rng: &mut Rng) -> String {
        format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES))
    }

    fn headline(&mut self, rng: &mut Rng) -> String {
        match rng.range(0, 2) {
            0 => format!(
                "{} {} to {} {} {}",
                self.place,
                self.actor,
                rng.pick(HEADLINE_VERBS),
                rng.pick(ADJECTIVES),
                self.thing
            ),
            1 => capitalise(&format!(
                "{} {} {} in {}",
                rng.pick(ADJECTIVES),
                self.thing,
                rng.pick(PAST_VERBS),
                self.place
            )),
            _ => format!(
                "{}: {} {} {} over {}",
                self.place,
                capitalise(self.actor),
                rng.pick(HEADLINE_VERBS),
                self.thing,
                rng.pick(self.things)
            ),
        }
    }

    fn promo_headline(&self, rng: &mut Rng) -> String {
        if rng.chance(500) {
            return String::new();
        }
        let promo = capitalise(&format!("{} in {}", self.thing, self.place));
        if promo.chars().count() <= 60 {
            promo
        } else {
            String::new()
        }
    }

    /// One sentence. Later sentences may open with a connective.
    fn sentence(&mut self, rng: &mut Rng, later: bool) -> String {
        let text = match rng.range(0, 4) {
            0 => format!(
                "the {} {} in {} {} the {} {} {}",
                rng.pick(ADJECTIVES),
                self.actor,
                self.place,
                rng.pick(PAST_VERBS),
                rng.pick(ADJECTIVES),
                self.thing,
                rng.pick(WHEN)
            ),
            1 => format!(
                "the {} {} that {} {} {}",
                self.actor,
                rng.pick(SAYING_VERBS),
                rng.pick(CONSEQUENCES),
                rng.pick(NUMBERS),
                rng.pick(MEASURES)
            ),
            2 => format!(
                "{}, {}, {} the {} had been discussed for {} years",
                self.person(rng),
                rng.pick(ROLES),
                rng.pick(SAYING_VERBS),
                rng.pick(self.things),
                rng.pick(NUMBERS)
            ),
            3 => format!(
                "according to figures from the {}, {} {} {}",
                rng.pick(ACTORS),
                rng.pick(CONSEQUENCES),
                rng.pick(NUMBERS),
                rng.pick(MEASURES)
            ),
            _ => format!(
                "people in {} have waited {} {} for a decision on the {}",
                self.place,
                rng.pick(NUMBERS),
                rng.pick(MEASURES),
                rng.pick(self.things)
            ),
        };
        if later && rng.chance(250) {
            format!("{} {text}.", rng.pick(CONNECTIVES))
        } else {
            format!("{}.", capitalise(&text))
        }
    }

    fn paragraph(&mut self, rng: &mut Rng, max_sentences: u64) -> String {
        let mut sentences = Vec::new();
        for _ in 0..rng.range(1, max_sentences) {
            sentences.push(self.sentence(rng, true));
        }
        if rng.chance(40) {
            sentences.push(format!(
                "The findings are set out in the report *{}*.",
                rng.pick(REPORTS)
            ));
        } else if rng.chance(30) {
            sentences.push(format!(
                "The [published figures](https://www.example.org/figures/{}) run to {} pages.",
                slugify(self.thing),
                rng.range(12, 240)
            ));
        }
        sentences.join(" ")
    }

    fn quote(&mut self, rng: &mut Rng) -> String {
        format!(
            "> \"We {} the {} because {} {} {},\" said {}, {}.",
            rng.pick(HEADLINE_VERBS),
            self.thing,
            rng.pick(CONSEQUENCES),
            rng.pick(NUMBERS),
            rng.pick(MEASURES),
            self.person(rng),
            rng.pick(ROLES)
        )
    }

    /// The body's blocks: an intro, paragraphs, and for longer stories quotes and
    /// crossheads. Briefs, standard stories and long features in a 30/55/15 mix.
    fn body(&mut self, rng: &mut Rng) -> Vec<String> {
        let (paragraphs, quotes, crossheads, max_sentences) = match rng.range(0, 99) {
            0..=29 => (rng.range(3, 5), rng.range(0, 1), 0, 2),
            30..=84 => (rng.range(8, 16), 1, rng.range(0, 2), 3),
            _ => (rng.range(25, 45), rng.range(2, 4), rng.range(3, 6), 3),
        };
        let mut blocks = vec![self.sentence(rng, false)];
        for _ in 1..paragraphs {
            blocks.push(self.paragraph(rng, max_sentences));
        }
        for _ in 0..quotes {
            let at = rng.range(2, blocks.len() as u64) as usize;
            let quote = self.quote(rng);
            blocks.insert(at.min(blocks.len()), quote);
        }
        for _ in 0..crossheads {
            let at = rng.range(3, blocks.len() as u64) as usize;
            let crosshead = format!("## {}", rng.pick(CROSSHEADS));
            blocks.insert(at.min(blocks.len()), crosshead);
        }
        blocks
    }

    fn links(&mut self, rng: &mut Rng) -> Vec<ExternalLink> {
        if !rng.chance(50) {
            return Vec::new();
        }
        let report = rng.pick(REPORTS);
        vec![ExternalLink {
            title: format!("{report} (report)"),
            url: format!("https://www.example.org/reports/{}", slugify(report)),
        }]
    }
}

#[cfg(test)]
#[path = "synthetic_tests.rs"]
mod tests;
