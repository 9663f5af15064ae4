//! Sponsorship campaigns: what a campaign may be (sponsor, picture's alt text,
//! line, destination, window, placement), and which campaign a story's sponsor
//! slot shows at a given time (the fair rotation).
//!
//! Rotation: the campaigns that may show on a story at `now` are taken in id
//! order and the slot shows the one at `(story id + hour number) mod count`.
//! Every story gets each campaign in turn, hour by hour, and at any hour the
//! stories are spread evenly over the campaigns; the choice depends on nothing
//! a reader sends, so one rendered page serves every reader for the hour.

use super::links::check_url;
use super::text::clean_shown_line;

pub const MAX_SPONSOR_CHARS: usize = 80;
pub const MAX_LINE_CHARS: usize = 120;
pub const MAX_ALT_CHARS: usize = 250;
/// How long one campaign holds a story's slot before the next takes it.
pub const ROTATION_SECONDS: i64 = 3600;

/// Where a campaign runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Every story of every edition.
    Site,
    /// Stories filed under these sections or regions, or anything below them.
    Sections(Vec<i64>),
    /// These stories only.
    Stories(Vec<i64>),
}

impl Placement {
    pub fn kind(&self) -> &'static str {
        match self {
            Placement::Site => "site",
            Placement::Sections(_) => "sections",
            Placement::Stories(_) => "stories",
        }
    }
}

/// A campaign as typed into the newsroom's form (times already read in the site's zone).
#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    pub sponsor: String,
    pub alt: String,
    pub line: String,
    pub link: String,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    /// `site`, `sections` or `stories`.
    pub placement: String,
    pub sections: Vec<i64>,
    /// Story numbers as typed, separated by commas or spaces.
    pub stories: String,
    pub in_print: bool,
}

/// A campaign as checked, ready to store (its picture is stored apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignDraft {
    pub sponsor: String,
    pub alt: String,
    pub line: String,
    pub link: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub placement: Placement,
    pub in_print: bool,
}

/// A rule broken by one field, in the seller's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        field,
        message: message.into(),
    }
}

/// A required one-line text of at most `max` characters, cleaned.
fn line_field(
    value: &str,
    field: &'static str,
    what: &str,
    max: usize,
    problems: &mut Vec<Problem>,
) -> String {
    // Shown beside every story it runs on: cleaned as readers' text is.
    let text = clean_shown_line(value);
    let count = text.chars().count();
    if text.is_empty() {
        problems.push(problem(field, format!("Write {what}.")));
    } else if count > max {
        problems.push(problem(
            field,
            format!(
                "{} can be at most {max} characters long; this has {count}.",
                capitalise(what)
            ),
        ));
    }
    text
}

fn capitalise(what: &str) -> String {
    let mut chars = what.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Checks where a click goes: a web address (`http` or `https`) with a host,
/// returned in its ASCII form so it can be sent as a `Location` header as it is.
pub fn check_destination(link: &str) -> Result<String, String> {
    let trimmed = check_url(link).map_err(|e| format!("The link cannot be used: {e}."))?;
    let lower = trimmed.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(
            "The link must be a web address starting with https:// or http://, like https://sponsor.example/offer."
                .into(),
        );
    }
    let url = url::Url::parse(&trimmed).map_err(|e| format!("The link cannot be used: {e}."))?;
    if url.host_str().is_none_or(str::is_empty)
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err("The link must name the sponsor's site, with no user name in it.".into());
    }
    Ok(url.to_string())
}

/// Reads story numbers separated by commas or spaces.
fn story_ids(text: &str) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    for part in text
        .split([',', ' ', '\n', '\r', '\t'])
        .filter(|p| !p.is_empty())
    {
        let digits = part.trim_start_matches('#');
        match digits.parse::<i64>() {
            Ok(id) if id > 0 => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => {
                return Err(format!(
                    "{} is not a story number: write the numbers of the stories, like 42, 57.",
                    super::text::quoted(part)
                ))
            }
        }
    }
    Ok(ids)
}

/// Checks a campaign as typed; every problem at once, so the form can show them all.
pub fn check(input: &CampaignInput) -> Result<CampaignDraft, Vec<Problem>> {
    let mut problems = Vec::new();
    let sponsor = line_field(
        &input.sponsor,
        "sponsor",
        "the sponsor's name",
        MAX_SPONSOR_CHARS,
        &mut problems,
    );
    let alt = line_field(
        &input.alt,
        "alt",
        "what the picture shows, for readers who cannot see it",
        MAX_ALT_CHARS,
        &mut problems,
    );
    let line = line_field(
        &input.line,
        "line",
        "the sponsor's line",
        MAX_LINE_CHARS,
        &mut problems,
    );
    let link = match check_destination(&input.link) {
        Ok(link) => link,
        Err(message) => {
            problems.push(problem("link", message));
            String::new()
        }
    };
    let (starts_at, ends_at) = match (input.starts_at, input.ends_at) {
        (Some(start), Some(end)) if end > start => (start, end),
        (Some(_), Some(_)) => {
            problems.push(problem("ends_at", "The campaign must end after it starts."));
            (0, 0)
        }
        (start, end) => {
            if start.is_none() {
                problems.push(problem("starts_at", "Say when the campaign starts."));
            }
            if end.is_none() {
                problems.push(problem("ends_at", "Say when the campaign ends."));
            }
            (0, 0)
        }
    };
    let placement = match input.placement.as_str() {
        "site" => Placement::Site,
        "sections" if input.sections.is_empty() => {
            problems.push(problem(
                "sections",
                "Choose at least one section or region.",
            ));
            Placement::Sections(Vec::new())
        }
        "sections" => Placement::Sections(input.sections.clone()),
        "stories" => match story_ids(&input.stories) {
            Ok(ids) if ids.is_empty() => {
                problems.push(problem(
                    "stories",
                    "Write the number of at least one story.",
                ));
                Placement::Stories(ids)
            }
            Ok(ids) => Placement::Stories(ids),
            Err(message) => {
                problems.push(problem("stories", message));
                Placement::Stories(Vec::new())
            }
        },
        _ => {
            problems.push(problem(
                "placement",
                "Choose where the campaign runs: the whole site, sections and regions, or single stories.",
            ));
            Placement::Site
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(CampaignDraft {
        sponsor,
        alt,
        line,
        link,
        starts_at,
        ends_at,
        placement,
        in_print: input.in_print,
    })
}

/// A stored campaign, as the slot chooses among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: i64,
    pub sponsor: String,
    pub image_id: i64,
    pub image_width: i64,
    pub image_height: i64,
    pub alt: String,
    pub line: String,
    pub link: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub placement: Placement,
    pub in_print: bool,
}

impl Campaign {
    /// Whether the campaign's window holds `now` (it starts at `starts_at`, and is over at `ends_at`).
    pub fn runs_at(&self, now: i64) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    /// Whether the campaign is placed on a story filed under `sections` (its
    /// section first, then each section above it).
    fn placed_on(&self, story_id: i64, sections: &[i64]) -> bool {
        match &self.placement {
            Placement::Site => true,
            Placement::Sections(ids) => sections.iter().any(|s| ids.contains(s)),
            Placement::Stories(ids) => ids.contains(&story_id),
        }
    }
}

/// What the slot needs to know of a story.
pub struct SlotStory<'a> {
    pub id: i64,
    /// Its section and every section above it.
    pub sections: &'a [i64],
    /// Whether the public may see it now (`Story::is_public`).
    pub public: bool,
    /// Editors switched its slot off.
    pub slot_off: bool,
}

/// The campaign `story`'s slot shows at `now` (in the print view when `print`),
/// if any: never on a story the public cannot see or whose slot editors switched
/// off, whatever the campaigns say.
pub fn choose<'c>(
    campaigns: &'c [Campaign],
    story: &SlotStory<'_>,
    now: i64,
    print: bool,
) -> Option<&'c Campaign> {
    if !story.public || story.slot_off {
        return None;
    }
    let mut eligible: Vec<&Campaign> = campaigns
        .iter()
        .filter(|c| c.runs_at(now) && c.placed_on(story.id, story.sections))
        .filter(|c| !print || c.in_print)
        .collect();
    if eligible.is_empty() {
        return None;
    }
    eligible.sort_by_key(|c| c.id);
    let turn = story.id.saturating_add(now.div_euclid(ROTATION_SECONDS));
    eligible
        .get(turn.rem_euclid(eligible.len() as i64) as usize)
        .copied()
}

/// What decides every slot at `now` besides the stories: the running campaigns
/// and, when two or more run, the rotation's hour. Pages rendered under one
/// value stay right until it changes.
pub fn slot_state(campaigns: &[Campaign], now: i64) -> (Vec<i64>, Option<i64>) {
    let mut running: Vec<i64> = campaigns
        .iter()
        .filter(|c| c.runs_at(now))
        .map(|c| c.id)
        .collect();
    running.sort_unstable();
    let hour = (running.len() > 1).then(|| now.div_euclid(ROTATION_SECONDS));
    (running, hour)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CampaignInput {
        CampaignInput {
            sponsor: " Harbour  Bank ".into(),
            alt: "The bank's logo".into(),
            line: "Saving since 1850".into(),
            link: "https://bank.example/offer?x=1".into(),
            starts_at: Some(100),
            ends_at: Some(200),
            placement: "site".into(),
            ..Default::default()
        }
    }

    fn campaign(id: i64, placement: Placement) -> Campaign {
        Campaign {
            id,
            sponsor: format!("S{id}"),
            image_id: 1,
            image_width: 640,
            image_height: 480,
            alt: "a".into(),
            line: "l".into(),
            link: "https://x.example/".into(),
            starts_at: 0,
            ends_at: 10 * ROTATION_SECONDS,
            placement,
            in_print: false,
        }
    }

    fn story(id: i64, sections: &[i64]) -> SlotStory<'_> {
        SlotStory {
            id,
            sections,
            public: true,
            slot_off: false,
        }
    }

    #[test]
    fn a_campaign_is_cleaned_and_kept() {
        let draft = check(&input()).unwrap();
        assert_eq!(draft.sponsor, "Harbour Bank");
        assert_eq!(draft.link, "https://bank.example/offer?x=1");
        assert_eq!(draft.placement, Placement::Site);
    }

    #[test]
    fn campaign_text_is_kept_valid_for_every_page_it_shows_on() {
        let typed = CampaignInput {
            // A noncharacter, a decomposed "é" and a noncharacter between two spaces.
            sponsor: "Caf\u{fdd0}e\u{301} Bank".into(),
            alt: "Logo \u{10fffe} mark".into(),
            line: "Open \u{ffff}\u{fffe} daily".into(),
            ..input()
        };
        let draft = check(&typed).unwrap();
        assert_eq!(draft.sponsor, "Caf\u{e9} Bank");
        assert_eq!(draft.alt, "Logo mark");
        assert_eq!(draft.line, "Open daily");
    }

    #[test]
    fn every_problem_is_said_at_once() {
        let bad = CampaignInput {
            sponsor: " ".into(),
            line: "x".repeat(MAX_LINE_CHARS + 1),
            link: "javascript:alert(1)".into(),
            starts_at: Some(200),
            ends_at: Some(100),
            placement: "stories".into(),
            stories: "12, abc".into(),
            ..Default::default()
        };
        let fields: Vec<_> = check(&bad).unwrap_err().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            ["sponsor", "alt", "line", "link", "ends_at", "stories"]
        );
    }

    #[test]
    fn only_web_destinations() {
        for bad in [
            "mailto:a@b.example",
            "/news/x-1",
            "//evil.example",
            "data:text/html,x",
            "https://user:pw@evil.example/",
            "ftp://x.example/",
        ] {
            assert!(check_destination(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_destination("https://bücher.example/ä").unwrap(),
            "https://xn--bcher-kva.example/%C3%A4"
        );
    }

    #[test]
    fn placement_window_print_and_switch_off() {
        let mut world = campaign(1, Placement::Sections(vec![2]));
        world.starts_at = 100;
        world.ends_at = 200;
        let campaigns = [world];
        assert!(choose(&campaigns, &story(9, &[5, 2]), 150, false).is_some());
        assert!(choose(&campaigns, &story(9, &[5, 3]), 150, false).is_none());
        assert!(choose(&campaigns, &story(9, &[2]), 99, false).is_none());
        assert!(choose(&campaigns, &story(9, &[2]), 200, false).is_none());
        assert!(
            choose(&campaigns, &story(9, &[2]), 150, true).is_none(),
            "not in print"
        );
        let mut off = story(9, &[2]);
        off.slot_off = true;
        assert!(choose(&campaigns, &off, 150, false).is_none());
        let mut hidden = story(9, &[2]);
        hidden.public = false;
        assert!(choose(&campaigns, &hidden, 150, false).is_none());
        let single = [campaign(3, Placement::Stories(vec![9]))];
        assert!(choose(&single, &story(9, &[]), 5, false).is_some());
        assert!(choose(&single, &story(8, &[]), 5, false).is_none());
    }

    #[test]
    fn rotation_is_even_and_turns_hourly() {
        let campaigns = [
            campaign(1, Placement::Site),
            campaign(2, Placement::Site),
            campaign(3, Placement::Site),
        ];
        let shown = |story_id, now| {
            choose(&campaigns, &story(story_id, &[]), now, false)
                .unwrap()
                .id
        };
        let mut share = [0; 4];
        for id in 1..=300 {
            share[shown(id, 0) as usize] += 1;
        }
        assert_eq!(&share[1..], [100, 100, 100]);
        let hours: Vec<i64> = (0..3).map(|h| shown(7, h * ROTATION_SECONDS)).collect();
        let mut sorted = hours.clone();
        sorted.sort();
        assert_eq!(sorted, [1, 2, 3], "each campaign in turn: {hours:?}");
        assert_eq!(
            shown(7, 10),
            shown(7, ROTATION_SECONDS - 1),
            "steady within the hour"
        );
    }

    #[test]
    fn slot_state_changes_at_starts_ends_and_hours_when_shared() {
        let mut late = campaign(2, Placement::Site);
        late.starts_at = 50;
        let campaigns = [campaign(1, Placement::Site), late];
        assert_eq!(slot_state(&campaigns, 10), (vec![1], None));
        assert_eq!(slot_state(&campaigns, 60), (vec![1, 2], Some(0)));
        assert_eq!(
            slot_state(&campaigns, ROTATION_SECONDS),
            (vec![1, 2], Some(1))
        );
    }
}
