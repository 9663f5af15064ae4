//! What readers follow and when their daily e-mail is due: topics as typed, how many a reader may follow, and the day and hour in the site's time zone.
//!
//! Stories carry a section (or region) and no tags or keywords, so a **topic is a
//! search**: words, "phrases" and -exclusions in the search box's language
//! ([`super::search_query`]), run through the public search. A reader follows
//! sections and regions by id, and topics by their text.

use jiff::tz::TimeZone;

use super::search_query;
use super::section::SectionTree;
use super::text::clean_line;
use super::timefmt;

/// Most topics one reader may follow (each is one search per page of My news).
pub const MAX_TOPICS: usize = 10;
/// Longest topic, in characters.
pub const MAX_TOPIC_CHARS: usize = 100;

/// Why a topic was refused; `Display` is the English message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TopicProblem {
    #[error("Type a word or phrase to follow, like budget or \"climate talks\".")]
    Empty,
    #[error("A topic can be at most {MAX_TOPIC_CHARS} characters long.")]
    TooLong,
    /// A search that cannot run (the search box's own messages).
    #[error("{0}")]
    Query(search_query::QueryError),
}

/// Cleans and checks a topic as typed: one line, at most [`MAX_TOPIC_CHARS`]
/// characters, and a search that can run (at least one word to find).
pub fn parse_topic(input: &str) -> Result<String, TopicProblem> {
    let topic = clean_line(input);
    if topic.is_empty() {
        return Err(TopicProblem::Empty);
    }
    if topic.chars().count() > MAX_TOPIC_CHARS {
        return Err(TopicProblem::TooLong);
    }
    match search_query::parse(&topic) {
        Ok(_) => Ok(topic),
        Err(e) => Err(TopicProblem::Query(e)),
    }
}

/// The hour chosen in the daily e-mail's form: `none`, or `0` to `23`.
pub fn parse_daily_hour(input: &str) -> Result<Option<i64>, &'static str> {
    match input.trim() {
        "" | "none" => Ok(None),
        hour => match hour.parse::<i64>() {
            Ok(h) if (0..24).contains(&h) => Ok(Some(h)),
            _ => Err("Choose an hour from the list, or no daily e-mail."),
        },
    }
}

/// A day and an hour on the site's clock: the day as the number yyyymmdd
/// (20261205), which orders like the days themselves in both databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalHour {
    pub day: i64,
    pub hour: i64,
}

/// The day and hour at `now` (Unix seconds) in `tz`.
pub fn local_hour(now: i64, tz: &TimeZone) -> LocalHour {
    let zoned = timefmt::from_unix(now).to_zoned(tz.clone());
    LocalHour {
        day: i64::from(zoned.year()) * 10_000
            + i64::from(zoned.month()) * 100
            + i64::from(zoned.day()),
        hour: i64::from(zoned.hour()),
    }
}

/// Whether a reader whose e-mail comes at `hour`, last claimed on `last_day`, is
/// due at `now`: the hour has come today and today's e-mail is not yet claimed.
/// A node that was down at the hour catches up later the same day, never the next.
pub fn daily_due(hour: Option<i64>, last_day: Option<i64>, now: LocalHour) -> bool {
    hour.is_some_and(|h| h <= now.hour) && last_day.is_none_or(|d| d < now.day)
}

/// The day to record as claimed when a reader chooses `hour` at `now`: today when
/// the hour has already passed, so the first e-mail comes at that hour tomorrow
/// (not at once), and a reader who had today's cannot get a second by moving the
/// hour; `None` leaves the record as it is.
pub fn day_done_on_choosing(hour: Option<i64>, now: LocalHour) -> Option<i64> {
    hour.filter(|h| *h <= now.hour).map(|_| now.day)
}

/// Stories on the My news page and in its feed.
pub const MY_NEWS_STORIES: usize = 30;
/// How far back a topic's matches are looked for on My news and in its feed:
/// "latest" news, and a topic search that stays within a month of matches.
pub const TOPIC_WINDOW_SECONDS: i64 = 30 * 24 * 60 * 60;
/// Matches taken from each topic: its best among the window's newest.
pub const STORIES_PER_TOPIC: i64 = 10;

/// The sections whose stories a reader's follows bring, each once: a followed
/// section brings its sub-sections, as its front does, and one that no longer
/// exists brings nothing.
pub fn followed_section_ids(tree: &SectionTree, followed: &[i64]) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for followed in followed {
        if tree.by_id(*followed).is_none() {
            continue;
        }
        for id in tree.subtree_ids(*followed) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// How far back the daily e-mail looks for stories: the last day.
pub const DAILY_WINDOW_SECONDS: i64 = 24 * 60 * 60;
/// Most stories in one daily e-mail.
pub const DAILY_STORIES: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_searches_that_can_run() {
        assert_eq!(
            parse_topic("  climate\u{202e} talks ").unwrap(),
            "climate talks"
        );
        assert_eq!(
            parse_topic("\"harbour strike\" -rail").unwrap(),
            "\"harbour strike\" -rail"
        );
        assert!(parse_topic("   ").is_err());
        assert!(parse_topic("-rail")
            .unwrap_err()
            .to_string()
            .contains("at least one word"));
        assert!(parse_topic("\"open")
            .unwrap_err()
            .to_string()
            .contains("quotation mark"));
        assert_eq!(
            parse_topic(&"a".repeat(101)).unwrap_err().to_string(),
            "A topic can be at most 100 characters long."
        );
        // Markup is text like any other: it is escaped wherever it is shown.
        assert_eq!(
            parse_topic("<script>x</script>").unwrap(),
            "<script>x</script>"
        );
    }

    #[test]
    fn a_followed_section_brings_its_sub_sections_once() {
        use crate::domain::section::Section;
        let section = |id, parent: Option<i64>| Section {
            id,
            slug: format!("s{id}"),
            name: format!("S{id}"),
            parent_id: parent,
            position: id,
            is_region: parent.is_some(),
            edition_id: 1,
            prefix: String::new(),
        };
        let tree = SectionTree::new(vec![
            section(1, None),
            section(2, Some(1)),
            section(3, None),
        ]);
        assert_eq!(followed_section_ids(&tree, &[2, 1, 3]), [2, 1, 3]);
        assert_eq!(followed_section_ids(&tree, &[1]), [1, 2]);
        assert_eq!(followed_section_ids(&tree, &[99]), Vec::<i64>::new());
    }

    #[test]
    fn daily_hours() {
        assert_eq!(parse_daily_hour("none"), Ok(None));
        assert_eq!(parse_daily_hour("7"), Ok(Some(7)));
        assert_eq!(parse_daily_hour("23"), Ok(Some(23)));
        assert!(parse_daily_hour("24").is_err());
        assert!(parse_daily_hour("-1").is_err());
        assert!(parse_daily_hour("7am").is_err());
    }

    #[test]
    fn the_day_is_the_sites() {
        let tz = TimeZone::get("Europe/London").unwrap();
        // 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
        let now = jiff::Timestamp::from_second(1_782_862_200).unwrap();
        assert_eq!(now.to_string(), "2026-06-30T23:30:00Z");
        let local = local_hour(now.as_second(), &tz);
        assert_eq!(
            local,
            LocalHour {
                day: 20260701,
                hour: 0
            }
        );
        let utc = local_hour(now.as_second(), &TimeZone::UTC);
        assert_eq!(
            utc,
            LocalHour {
                day: 20260630,
                hour: 23
            }
        );
    }

    #[test]
    fn due_once_a_day_from_the_hour_on() {
        let at = |day, hour| LocalHour { day, hour };
        assert!(!daily_due(None, None, at(20261205, 12)));
        assert!(!daily_due(Some(8), None, at(20261205, 7)));
        assert!(daily_due(Some(8), None, at(20261205, 8)));
        assert!(daily_due(Some(8), Some(20261204), at(20261205, 15)));
        assert!(!daily_due(Some(8), Some(20261205), at(20261205, 15)));
        assert!(daily_due(Some(0), Some(20261231), at(20270101, 0)));
    }

    #[test]
    fn choosing_a_passed_hour_starts_tomorrow() {
        let now = LocalHour {
            day: 20261205,
            hour: 10,
        };
        assert_eq!(day_done_on_choosing(Some(8), now), Some(20261205));
        assert_eq!(day_done_on_choosing(Some(10), now), Some(20261205));
        assert_eq!(day_done_on_choosing(Some(20), now), None);
        assert_eq!(day_done_on_choosing(None, now), None);
    }
}
