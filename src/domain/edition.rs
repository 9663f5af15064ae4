//! Editions: one installation publishing in several languages, each edition with
//! its language, script direction, URL prefix, time zone and sections.

use std::sync::Arc;

use jiff::tz::TimeZone;

use super::text::quoted;

/// The id of the English edition at `/`, which every installation has (migration 0022).
pub const ROOT_EDITION: i64 = 1;

/// Which way an edition's script runs: `<html dir>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    pub fn parse(text: &str) -> Result<Direction, String> {
        match text {
            "ltr" => Ok(Direction::Ltr),
            "rtl" => Ok(Direction::Rtl),
            other => Err(format!(
                "the direction must be \u{201c}ltr\u{201d} or \u{201c}rtl\u{201d}, not {}",
                quoted(other)
            )),
        }
    }
}

/// One edition as pages use it.
#[derive(Debug, Clone)]
pub struct Edition {
    pub id: i64,
    /// Identifier in files and on the command line: `arabic`.
    pub key: String,
    /// BCP 47 tag, canonical form: `<html lang>`, `hreflang`, ninjs `language`.
    pub language: String,
    pub direction: Direction,
    /// The language's name in itself: "العربية", for "Read this in …".
    pub name: String,
    /// The language's name in English, for the newsroom.
    pub english_name: String,
    /// "" for the edition at the root, "/arabic" for one under /arabic.
    pub prefix: String,
    pub time_zone: TimeZone,
    /// The zone's IANA name, as configured.
    pub time_zone_name: String,
    /// The masthead, `<title>` suffix, feed titles and footer.
    pub site_name: String,
    /// The folder of the edition's page text under `locales/`.
    pub locale: String,
    /// PostgreSQL's text search configuration for the edition's stories.
    pub search_config: String,
}

impl Edition {
    pub fn is_root(&self) -> bool {
        self.prefix.is_empty()
    }

    /// The edition's front page: `/` or `/arabic`.
    pub fn home(&self) -> String {
        if self.prefix.is_empty() {
            "/".to_string()
        } else {
            self.prefix.clone()
        }
    }

    /// A path of the edition: `/search` → `/arabic/search`.
    pub fn path(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// Whether `name`, as someone types it on the command line, names this
    /// edition: its key, URL prefix (with or without the slash; `/` for the root
    /// edition), language tag or English name, ignoring case.
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim();
        let prefix = self.home();
        [
            self.key.as_str(),
            prefix.as_str(),
            prefix.trim_start_matches('/'),
            self.language.as_str(),
            self.english_name.as_str(),
        ]
        .iter()
        .any(|known| !known.is_empty() && known.eq_ignore_ascii_case(name))
    }
}

/// Every edition of the installation, the root one first.
#[derive(Debug, Clone)]
pub struct Editions {
    editions: Vec<Arc<Edition>>,
}

impl Editions {
    /// `editions` must hold the root edition ([`ROOT_EDITION`]); the others follow it.
    pub fn new(mut editions: Vec<Edition>) -> Result<Editions, String> {
        if !editions.iter().any(|e| e.id == ROOT_EDITION) {
            return Err("the database has no English edition (migration 0022 adds it)".into());
        }
        editions.sort_by_key(|e| (e.id != ROOT_EDITION, e.id));
        Ok(Editions {
            editions: editions.into_iter().map(Arc::new).collect(),
        })
    }

    /// Only the English edition, with the site's name and zone (for tests and tools).
    pub fn english_only(site_name: &str, time_zone: TimeZone, zone_name: &str) -> Editions {
        Editions {
            editions: vec![Arc::new(english(site_name, time_zone, zone_name))],
        }
    }

    pub fn all(&self) -> &[Arc<Edition>] {
        &self.editions
    }

    /// The edition at `/`.
    pub fn root(&self) -> &Arc<Edition> {
        &self.editions[0]
    }

    pub fn by_id(&self, id: i64) -> Option<&Arc<Edition>> {
        self.editions.iter().find(|e| e.id == id)
    }

    pub fn by_key(&self, key: &str) -> Option<&Arc<Edition>> {
        self.editions.iter().find(|e| e.key == key)
    }

    /// The edition a request path belongs to: the one whose prefix is the path's
    /// first segment, else the root edition.
    pub fn for_path(&self, path: &str) -> &Arc<Edition> {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        self.editions
            .iter()
            .skip(1)
            .find(|e| e.prefix.strip_prefix('/') == Some(first))
            .unwrap_or(self.root())
    }
}

/// The English edition as migration 0022 writes it, with the site's name and zone.
pub fn english(site_name: &str, time_zone: TimeZone, zone_name: &str) -> Edition {
    Edition {
        id: ROOT_EDITION,
        key: "english".into(),
        language: "en-GB".into(),
        direction: Direction::Ltr,
        name: "English".into(),
        english_name: "English".into(),
        prefix: String::new(),
        time_zone,
        time_zone_name: zone_name.into(),
        site_name: site_name.into(),
        locale: "en-GB".into(),
        search_config: "english".into(),
    }
}

/// The languages of the page text shipped in `locales/` (one folder each).
pub const LOCALES: &[&str] = &["en-GB", "ar", "ru"];

/// Paths the site itself uses at the top level: no edition may take them.
pub const RESERVED_PREFIXES: &[&str] = &[
    "news",
    "api",
    "newsroom",
    "account",
    "feeds",
    "images",
    "live",
    "search",
    "about",
    "sitemaps",
    "sitemap.xml",
    "robots.txt",
    "static",
    "assets",
    "healthz",
    "readyz",
    "metrics",
];

/// Checks a BCP 47 language tag and returns its canonical form (`EN-gb` → `en-GB`).
pub fn language_tag(text: &str) -> Result<String, String> {
    let parsed = icu_locale_core::LanguageIdentifier::try_from_str(text.trim()).map_err(|_| {
        format!(
            "{} is not a language tag (use a BCP 47 tag such as en-GB, ar or ru)",
            quoted(text)
        )
    })?;
    if parsed.language.is_unknown() {
        return Err(format!(
            "{} names no language (use a BCP 47 tag such as en-GB, ar or ru)",
            quoted(text)
        ));
    }
    Ok(parsed.to_string())
}

/// Checks an edition's URL prefix: `/` and one lower-case ASCII segment, not one
/// of the site's own paths. Returns it without a trailing slash.
pub fn url_prefix(text: &str) -> Result<String, String> {
    let Some(segment) = text.trim().strip_prefix('/') else {
        return Err(format!(
            "the prefix {} must start with \u{201c}/\u{201d}, as in /arabic",
            quoted(text)
        ));
    };
    let segment = segment.trim_end_matches('/');
    let well_formed = !segment.is_empty()
        && segment.len() <= 40
        && segment
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && segment.as_bytes()[0].is_ascii_lowercase();
    if !well_formed {
        return Err(format!(
            "the prefix {} must be one segment of lower-case letters, digits and hyphens, as in /arabic",
            quoted(text)
        ));
    }
    if RESERVED_PREFIXES.contains(&segment) {
        return Err(format!(
            "the prefix {} is a path the site already uses; choose another",
            quoted(text)
        ));
    }
    Ok(format!("/{segment}"))
}

/// Checks an edition's time zone (an IANA name). (Not `timefmt::time_zone`:
/// timefmt writes dates for editions, so it imports this module.)
pub fn zone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name).map_err(|_| {
        format!(
            "unknown time zone {} (use an IANA name such as GMT or Europe/Moscow)",
            quoted(name)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition(id: i64, prefix: &str) -> Edition {
        Edition {
            id,
            prefix: prefix.into(),
            ..english("Dateline", TimeZone::UTC, "UTC")
        }
    }

    #[test]
    fn a_path_belongs_to_the_edition_of_its_first_segment() {
        let editions = Editions::new(vec![edition(2, "/arabic"), edition(1, "")]).unwrap();
        assert_eq!(editions.for_path("/arabic").id, 2);
        assert_eq!(editions.for_path("/arabic/news/iraq/x-101").id, 2);
        assert_eq!(editions.for_path("/arabicx").id, 1);
        assert_eq!(editions.for_path("/news/world").id, 1);
        assert_eq!(editions.for_path("/").id, 1);
        assert_eq!(editions.root().id, 1);
    }

    #[test]
    fn an_edition_answers_to_its_key_prefix_language_and_english_name() {
        let arabic = Edition {
            key: "arabic".into(),
            language: "ar".into(),
            english_name: "Arabic".into(),
            ..edition(2, "/arabic")
        };
        for name in ["arabic", "/arabic", "AR", "Arabic", " ar "] {
            assert!(arabic.answers_to(name), "{name}");
        }
        for name in ["", "/", "ru", "arab", "العربية"] {
            assert!(!arabic.answers_to(name), "{name}");
        }
        let english = edition(1, "");
        for name in ["/", "english", "en-gb", "English"] {
            assert!(english.answers_to(name), "{name}");
        }
        assert!(!english.answers_to(""));
    }

    #[test]
    fn language_tags_are_checked_and_made_canonical() {
        assert_eq!(language_tag("EN-gb").unwrap(), "en-GB");
        assert_eq!(language_tag("ar").unwrap(), "ar");
        assert!(language_tag("not a tag")
            .unwrap_err()
            .contains("not a language tag"));
        assert!(language_tag("und")
            .unwrap_err()
            .contains("names no language"));
        assert!(language_tag("").is_err());
    }

    #[test]
    fn prefixes_are_one_segment_and_not_the_sites_own() {
        assert_eq!(url_prefix("/arabic/").unwrap(), "/arabic");
        assert!(url_prefix("arabic").unwrap_err().contains("must start"));
        assert!(url_prefix("/a/b").unwrap_err().contains("one segment"));
        assert!(url_prefix("/").unwrap_err().contains("one segment"));
        assert!(url_prefix("/Arabic").is_err());
        assert!(url_prefix("/news").unwrap_err().contains("already uses"));
        assert!(url_prefix("/search").unwrap_err().contains("already uses"));
    }
}
