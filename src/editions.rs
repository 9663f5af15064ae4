//! Adding editions from a file in the form of `demo/editions/editions.toml`:
//! every field checked, each problem said in the file's terms, then each
//! edition and its sections created in one transaction.

use std::collections::HashSet;

use serde::Deserialize;

use crate::domain::edition::{self, Direction, LOCALES};
use crate::domain::slug;
use crate::domain::text::quoted;
use crate::store::{NewEdition, NewSection, Store};

/// A file of editions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionsFile {
    #[serde(default)]
    pub edition: Vec<EditionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionEntry {
    pub key: String,
    pub language: String,
    pub direction: String,
    pub name: String,
    pub english_name: String,
    pub prefix: String,
    pub time_zone: String,
    pub site_name: String,
    pub locale: String,
    /// PostgreSQL's text search configuration; `simple` (no stemming) by default.
    #[serde(default)]
    pub search_config: Option<String>,
    #[serde(default)]
    pub section: Vec<SectionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionEntry {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub region: bool,
}

/// Why a file of editions was refused: every problem found, each naming its edition.
#[derive(Debug)]
pub struct Refused(pub Vec<String>);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

impl std::error::Error for Refused {}

/// Reads a file of editions; a TOML mistake is told with its line.
pub fn parse(text: &str) -> Result<EditionsFile, Refused> {
    toml::from_str(text).map_err(|e| {
        Refused(vec![format!(
            "the file is not a valid editions file: {}",
            e.message()
        )])
    })
}

/// Text search configurations PostgreSQL ships, by language: the edition's
/// stories are stemmed with it. Anything else is searched word for word (`simple`).
const SEARCH_CONFIGS: &[(&str, &str)] = &[
    ("ar", "arabic"),
    ("hy", "armenian"),
    ("eu", "basque"),
    ("ca", "catalan"),
    ("da", "danish"),
    ("nl", "dutch"),
    ("en", "english"),
    ("fi", "finnish"),
    ("fr", "french"),
    ("de", "german"),
    ("el", "greek"),
    ("hi", "hindi"),
    ("hu", "hungarian"),
    ("id", "indonesian"),
    ("ga", "irish"),
    ("it", "italian"),
    ("lt", "lithuanian"),
    ("ne", "nepali"),
    ("no", "norwegian"),
    ("nb", "norwegian"),
    ("pt", "portuguese"),
    ("ro", "romanian"),
    ("ru", "russian"),
    ("sr", "serbian"),
    ("es", "spanish"),
    ("sv", "swedish"),
    ("ta", "tamil"),
    ("tr", "turkish"),
    ("yi", "yiddish"),
];

/// The search configuration for a language tag: its language's, else `simple`.
pub fn search_config_for(language: &str) -> &'static str {
    let primary = language.split('-').next().unwrap_or("");
    SEARCH_CONFIGS
        .iter()
        .find(|(code, _)| *code == primary)
        .map_or("simple", |(_, config)| config)
}

/// Checks every edition of `file` against itself and the editions and sections
/// already stored, and returns what to create. Nothing is written.
pub fn check(
    file: &EditionsFile,
    taken_slugs: &[String],
    taken_prefixes: &[String],
    taken_keys: &[String],
) -> Result<Vec<(NewEdition, Vec<NewSection>)>, Refused> {
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    let mut prefixes: HashSet<String> = taken_prefixes.iter().cloned().collect();
    let mut keys: HashSet<String> = taken_keys.iter().cloned().collect();
    // Every section slug, stored or in this file, that a prefix must not equal.
    let mut all_slugs: HashSet<String> = taken_slugs.iter().cloned().collect();
    for entry in &file.edition {
        all_slugs.extend(entry.section.iter().map(|s| s.slug.clone()));
    }
    for entry in &file.edition {
        let name = format!("edition {}", quoted(&entry.key));
        let mut problem = |text: String| problems.push(format!("{name}: {text}"));
        if !is_key(&entry.key) {
            problem("the key must be lower-case letters, digits and hyphens".into());
        } else if !keys.insert(entry.key.clone()) {
            problem("there is already an edition with this key".into());
        }
        let language = edition::language_tag(&entry.language)
            .map_err(&mut problem)
            .ok();
        let direction = Direction::parse(&entry.direction)
            .map_err(&mut problem)
            .ok();
        let prefix = edition::url_prefix(&entry.prefix)
            .map_err(&mut problem)
            .ok();
        if let Some(prefix) = &prefix {
            let segment = &prefix[1..];
            if !prefixes.insert(prefix.clone()) {
                problem(format!(
                    "another edition already has the prefix {}",
                    quoted(prefix)
                ));
            }
            if all_slugs.contains(segment) {
                problem(format!(
                    "the prefix {} is also the slug of a section; an edition's prefix and a section's slug must differ",
                    quoted(prefix)
                ));
            }
        }
        if edition::zone(&entry.time_zone).is_err() {
            problem(format!(
                "unknown time zone {} (use an IANA name such as GMT or Europe/Moscow)",
                quoted(&entry.time_zone)
            ));
        }
        if !LOCALES.contains(&entry.locale.as_str()) {
            problem(format!(
                "Dateline has no page text in {} (it has {}); add locales/{}/site.ftl first",
                quoted(&entry.locale),
                LOCALES.join(", "),
                entry.locale
            ));
        }
        for (field, value) in [
            ("name", &entry.name),
            ("english_name", &entry.english_name),
            ("site_name", &entry.site_name),
        ] {
            if value.trim().is_empty() || value.chars().count() > 100 {
                problem(format!("{field} must be between 1 and 100 characters"));
            }
        }
        let sections = check_sections(entry, &prefixes, &mut problem);
        if let (Some(language), Some(direction), Some(prefix)) = (language, direction, prefix) {
            let search_config = entry
                .search_config
                .clone()
                .unwrap_or_else(|| search_config_for(&language).to_string());
            checked.push((
                NewEdition {
                    key: entry.key.clone(),
                    language,
                    direction,
                    name: entry.name.trim().to_string(),
                    english_name: entry.english_name.trim().to_string(),
                    prefix,
                    time_zone: entry.time_zone.trim().to_string(),
                    site_name: entry.site_name.trim().to_string(),
                    locale: entry.locale.clone(),
                    search_config,
                },
                sections,
            ));
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(Refused(problems))
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An edition's sections: slugs well formed and unique in the edition, parents
/// named before their children, no slug equal to an edition's prefix.
fn check_sections(
    entry: &EditionEntry,
    prefixes: &HashSet<String>,
    problem: &mut impl FnMut(String),
) -> Vec<NewSection> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut sections = Vec::new();
    for section in &entry.section {
        let label = format!("section {}", quoted(&section.slug));
        if !slug::is_valid_slug(&section.slug) {
            problem(format!(
                "{label}: a slug is lower-case ASCII letters, digits and hyphens"
            ));
        }
        if !seen.insert(&section.slug) {
            problem(format!("{label} appears twice"));
        }
        if prefixes.contains(&format!("/{}", section.slug)) {
            problem(format!(
                "{label}: the slug is an edition's prefix; choose another"
            ));
        }
        if !section.parent.is_empty() && !seen.contains(section.parent.as_str()) {
            problem(format!(
                "{label}: its parent {} must be listed before it",
                quoted(&section.parent)
            ));
        }
        if section.name.trim().is_empty() || section.name.chars().count() > 80 {
            problem(format!(
                "{label}: the name must be between 1 and 80 characters"
            ));
        }
        sections.push(NewSection {
            slug: section.slug.clone(),
            name: section.name.trim().to_string(),
            parent: section.parent.clone(),
            position: section.position,
            is_region: section.region,
        });
    }
    sections
}

/// Checks `text` (a file of editions) against the database and creates every
/// edition in it. Returns the keys created. Nodes see new editions when restarted.
pub async fn add(store: &Store, text: &str) -> anyhow::Result<Vec<String>> {
    let file = parse(text)?;
    let (slugs, prefixes) = store.section_slugs_and_prefixes().await?;
    let keys = store.edition_keys().await?;
    let checked = check(&file, &slugs, &prefixes, &keys)?;
    let mut created = Vec::new();
    for (edition, sections) in &checked {
        store.create_edition(edition, sections).await?;
        created.push(edition.key.clone());
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = r#"
[[edition]]
key = "arabic"
language = "ar"
direction = "rtl"
name = "العربية"
english_name = "Arabic"
prefix = "/arabic"
time_zone = "GMT"
site_name = "Dateline عربي"
locale = "ar"
  [[edition.section]]
  slug = "world"
  name = "العالم"
  [[edition.section]]
  slug = "iraq"
  name = "العراق"
  parent = "world"
  region = true
"#;

    fn problems(text: &str, slugs: &[&str]) -> Vec<String> {
        let slugs: Vec<String> = slugs.iter().map(|s| s.to_string()).collect();
        match check(
            &parse(text).unwrap(),
            &slugs,
            &[String::new()],
            &["english".into()],
        ) {
            Ok(_) => Vec::new(),
            Err(Refused(p)) => p,
        }
    }

    #[test]
    fn a_good_edition_is_accepted_with_its_search_configuration() {
        let file = parse(ARABIC).unwrap();
        let checked = check(&file, &["world".into()], &[String::new()], &[]).unwrap();
        let (edition, sections) = &checked[0];
        assert_eq!(edition.search_config, "arabic");
        assert_eq!(edition.prefix, "/arabic");
        assert_eq!(sections.len(), 2);
        assert_eq!(search_config_for("ru-RU"), "russian");
        assert_eq!(search_config_for("sw"), "simple");
    }

    #[test]
    fn a_prefix_that_is_a_sections_slug_is_refused() {
        let problems = problems(ARABIC, &["arabic"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("also the slug of a section"),
            "{problems:?}"
        );
    }

    #[test]
    fn an_unknown_language_tag_is_refused_in_plain_words() {
        let problems = problems(
            &ARABIC.replace("language = \"ar\"", "language = \"arabic language\""),
            &[],
        );
        assert!(
            problems[0].contains("is not a language tag"),
            "{problems:?}"
        );
        assert!(
            problems[0].starts_with("edition \u{201c}arabic\u{201d}"),
            "{problems:?}"
        );
    }

    #[test]
    fn every_other_field_is_checked() {
        let bad = ARABIC
            .replace("direction = \"rtl\"", "direction = \"sideways\"")
            .replace("prefix = \"/arabic\"", "prefix = \"/news\"")
            .replace("time_zone = \"GMT\"", "time_zone = \"Mars/Olympus\"")
            .replace("locale = \"ar\"", "locale = \"xx\"")
            .replace("parent = \"world\"", "parent = \"nowhere\"");
        let problems = problems(&bad, &[]);
        for expected in [
            "ltr",
            "already uses",
            "unknown time zone",
            "no page text",
            "listed before it",
        ] {
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{expected}: {problems:?}"
            );
        }
        assert!(parse("[[edition]]\nkey = 1")
            .unwrap_err()
            .to_string()
            .contains("not a valid editions file"));
    }
}
