//! The public pages' chrome in each edition's language: the Fluent files under
//! `locales/` (one folder per locale, one file per area of the site: `site.ftl`
//! for the public pages, others beside it), built into the binary and read once
//! into one bundle per locale.
//!
//! Messages are plain text; templates print them escaped. A message that wraps
//! markup (a link, a `<time>` element) is cut into [`Pieces`] around it, so the
//! markup stays in the template and the text around it is escaped like any other.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{include_dir, Dir};
use unic_langid::LanguageIdentifier;

static LOCALES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/locales");

/// The locale whose text is the source, and the fallback for an unknown locale.
pub const SOURCE_LOCALE: &str = "en-GB";

type Bundle = FluentBundle<FluentResource>;

/// Every locale's bundle, by folder name, built on first use.
fn bundles() -> &'static HashMap<String, Bundle> {
    static BUNDLES: OnceLock<HashMap<String, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        LOCALES
            .dirs()
            .filter_map(|dir| {
                let name = dir.path().file_name()?.to_str()?.to_string();
                Some((name.clone(), bundle(&name, &locale_files(dir))))
            })
            .collect()
    })
}

/// The Fluent files of one locale folder, sorted by name, as (name, text).
fn locale_files<'a>(dir: &'a Dir<'a>) -> Vec<(&'a str, &'a str)> {
    let mut files: Vec<(&str, &str)> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "ftl"))
        .filter_map(|f| Some((f.path().file_name()?.to_str()?, f.contents_utf8()?)))
        .collect();
    files.sort_unstable();
    files
}

fn bundle(locale: &str, files: &[(&str, &str)]) -> Bundle {
    let language: LanguageIdentifier = locale.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // Isolation marks (FSI…PDI around every placeable) keep a Latin name or URL
    // inside an Arabic sentence in its own direction. English pages must stay
    // byte for byte as they were, so left-to-right locales go without them:
    // Russian too, whose placeables are numbers, the site name and Cyrillic or
    // Latin names, where the marks would change nothing on screen but would
    // show as stray characters in feed readers, window titles and copied text.
    bundle.set_use_isolating(is_right_to_left(locale));
    for (file, text) in files {
        let resource = match FluentResource::try_new(text.to_string()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                tracing::error!(locale, file, ?errors, "page text file has syntax errors");
                resource
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(locale, file, ?errors, "page text file repeats a message");
        }
    }
    bundle
}

/// Whether a locale's script runs right to left (its primary language subtag).
fn is_right_to_left(locale: &str) -> bool {
    let primary = locale.split(['-', '_']).next().unwrap_or("");
    matches!(
        primary,
        "ar" | "he" | "fa" | "ur" | "ps" | "yi" | "dv" | "sd" | "ug"
    )
}

/// The locale folders shipped in the binary.
#[cfg(test)]
fn locales() -> Vec<&'static str> {
    let mut names: Vec<&str> = bundles().keys().map(String::as_str).collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
/// The message ids of one locale's files, sorted: every line that starts a message
/// (`id =` at the start of a line; terms start with `-`, comments with `#`).
fn message_ids(locale: &str) -> Vec<String> {
    let files = LOCALES
        .get_dir(locale)
        .map(locale_files)
        .unwrap_or_default();
    let mut ids: Vec<String> = files
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            let starts_well = id.starts_with(|c: char| c.is_ascii_alphabetic());
            let all_id = id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            (starts_well && all_id).then(|| id.to_string())
        })
        .collect();
    ids.sort_unstable();
    ids
}

/// The text of message `id` in `locale` with `args`. A message missing from a
/// locale is taken from the source locale and logged, never shown as its id; one
/// missing everywhere is left out (and logged).
pub fn message(locale: &str, id: &str, args: &FluentArgs) -> String {
    let all = bundles();
    let tries = [(all.get(locale), false), (all.get(SOURCE_LOCALE), true)];
    for (bundle, fallback) in tries {
        let Some(bundle) = bundle else { continue };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(
                locale,
                id,
                ?errors,
                "page text message is missing a variable"
            );
        }
        if fallback && locale != SOURCE_LOCALE {
            tracing::error!(locale, id, "page text message missing; shown in English");
        }
        return text.into_owned();
    }
    tracing::error!(locale, id, "page text message missing in every locale");
    String::new()
}

/// A value passed into a message: text, or a number (so plural selectors work).
pub trait Arg {
    fn value(self) -> FluentValue<'static>;
}

/// Text without control or bidi-override characters: in a message, only the
/// isolation marks Fluent adds set a direction.
fn cleaned(text: &str) -> FluentValue<'static> {
    let clean: String = text
        .chars()
        .filter(|c| !crate::domain::text::is_unsafe_char(*c, true))
        .collect();
    FluentValue::from(clean)
}

impl Arg for &str {
    fn value(self) -> FluentValue<'static> {
        cleaned(self)
    }
}

impl Arg for &&str {
    fn value(self) -> FluentValue<'static> {
        cleaned(self)
    }
}

impl Arg for &String {
    fn value(self) -> FluentValue<'static> {
        cleaned(self)
    }
}

/// A template's `if let Some(x)` binding of a `String` field, as askama passes it.
impl Arg for &&String {
    fn value(self) -> FluentValue<'static> {
        cleaned(self)
    }
}

impl Arg for String {
    fn value(self) -> FluentValue<'static> {
        cleaned(&self)
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn value(self) -> FluentValue<'static> {
                FluentValue::from(self)
            }
        }
        impl Arg for &$t {
            fn value(self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        }
    )*};
}

number_args!(i16, i32, i64, u16, u32, u64, usize);

/// A message cut around its placeables of markup: `texts[0]`, markup 1,
/// `texts[1]`, markup 2, `texts[2]`. Each piece is plain text to escape.
pub struct Pieces {
    pub texts: Vec<String>,
}

impl Pieces {
    /// The text before the first piece of markup.
    pub fn before(&self) -> &str {
        self.texts.first().map(String::as_str).unwrap_or("")
    }

    /// The text between the first and second piece of markup.
    pub fn between(&self) -> &str {
        self.texts.get(1).map(String::as_str).unwrap_or("")
    }

    /// The text after the last piece of markup.
    pub fn after(&self) -> &str {
        self.texts.last().map(String::as_str).unwrap_or("")
    }

    /// Cuts `text` at the placeholders `marks` stand for, in the order they occur,
    /// and says in which order that was (indexes into `marks`).
    fn cut(text: &str, marks: &[&str]) -> (Pieces, Vec<usize>) {
        let mut found: Vec<(usize, usize)> = marks
            .iter()
            .enumerate()
            .filter_map(|(i, m)| text.find(m).map(|at| (at, i)))
            .collect();
        found.sort_unstable();
        let mut texts = Vec::new();
        let mut start = 0;
        for (at, i) in &found {
            texts.push(text[start..*at].to_string());
            start = at + marks[*i].len();
        }
        texts.push(text[start..].to_string());
        (
            Pieces { texts },
            found.into_iter().map(|(_, i)| i).collect(),
        )
    }
}

/// A placeholder for the markup of variable `i`: private-use characters that no
/// message or value contains.
fn mark(i: usize) -> String {
    format!("\u{e000}{i}\u{e001}")
}

/// A message without variables of its own as formatted, and the site name
/// and year it was formatted with.
struct Plain {
    site: String,
    year: i16,
    text: String,
}

/// One edition's messages: its locale, and the variables every message may use.
pub struct Messages<'a> {
    pub locale: &'a str,
    pub site: &'a str,
    pub year: i16,
}

impl Messages<'_> {
    fn args(&self) -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        args.set("site", FluentValue::from(self.site.to_string()));
        args.set("year", FluentValue::from(self.year));
        args
    }

    pub fn get(&self, id: &str, vars: Vec<(&'static str, FluentValue<'static>)>) -> String {
        if vars.is_empty() {
            return self.plain(id);
        }
        let mut args = self.args();
        for (name, value) in vars {
            args.set(name, value);
        }
        message(self.locale, id, &args)
    }

    /// Message `id` without variables of its own, formatted once per thread
    /// (for this site name and year): a page shows dozens, and each formatting
    /// built its arguments anew.
    fn plain(&self, id: &str) -> String {
        thread_local! {
            static KEPT: RefCell<HashMap<String, HashMap<String, Plain>>> =
                RefCell::new(HashMap::new());
        }
        KEPT.with_borrow_mut(|kept| {
            let locale = match kept.get_mut(self.locale) {
                Some(locale) => locale,
                None => kept.entry(self.locale.to_string()).or_default(),
            };
            if let Some(plain) = locale.get(id) {
                if plain.site == self.site && plain.year == self.year {
                    return plain.text.clone();
                }
            }
            let text = message(self.locale, id, &self.args());
            let plain = Plain {
                site: self.site.to_string(),
                year: self.year,
                text: text.clone(),
            };
            locale.insert(id.to_string(), plain);
            text
        })
    }

    /// The message cut around the markup variables `names`, which every locale
    /// writes in the order given (a test checks it).
    pub fn pieces(&self, id: &str, names: &[&'static str]) -> Pieces {
        self.pieces_in_order(id, names).0
    }

    fn pieces_in_order(&self, id: &str, names: &[&'static str]) -> (Pieces, Vec<usize>) {
        let marks: Vec<String> = (0..names.len()).map(mark).collect();
        let vars = names
            .iter()
            .zip(&marks)
            .map(|(n, m)| (*n, FluentValue::from(m.clone())))
            .collect();
        let text = self.get(id, vars);
        let marks: Vec<&str> = marks.iter().map(String::as_str).collect();
        Pieces::cut(&text, &marks)
    }
}

/// Message `id` in `edition`'s language, for text built away from a page's
/// chrome (a live post in the event stream, a feed's title).
pub fn edition_text(
    edition: &crate::domain::edition::Edition,
    id: &str,
    vars: Vec<(&'static str, FluentValue<'static>)>,
) -> String {
    let messages = Messages {
        locale: &edition.locale,
        site: &edition.site_name,
        year: 0,
    };
    messages.get(id, vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_the_same_message_ids() {
        let source = message_ids(SOURCE_LOCALE);
        assert!(source.len() > 100, "{} ids", source.len());
        for locale in locales() {
            let ids = message_ids(locale);
            let missing: Vec<_> = source.iter().filter(|id| !ids.contains(id)).collect();
            let extra: Vec<_> = ids.iter().filter(|id| !source.contains(id)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{locale}: missing {missing:?}, extra {extra:?}"
            );
        }
    }

    #[test]
    fn locale_folders_are_the_editions_locales() {
        let mut expected: Vec<&str> = crate::domain::edition::LOCALES.to_vec();
        expected.sort_unstable();
        assert_eq!(locales(), expected);
    }

    #[test]
    fn every_file_parses_without_errors() {
        for dir in LOCALES.dirs() {
            let files = locale_files(dir);
            assert!(files.iter().any(|(name, _)| *name == "site.ftl"));
            for (name, text) in files {
                assert!(
                    FluentResource::try_new(text.to_string()).is_ok(),
                    "{:?} {name}",
                    dir.path()
                );
            }
        }
    }

    fn english() -> Messages<'static> {
        Messages {
            locale: "en-GB",
            site: "Dateline",
            year: 2026,
        }
    }

    #[test]
    fn english_has_no_isolation_marks_and_plain_numbers() {
        let m = english();
        assert_eq!(
            m.get("footer-copyright", vec![]),
            "Copyright © 2026 Dateline. Dateline is not responsible for the content of external sites."
        );
        let count = |n: i64| m.get("comments-count", vec![("count", FluentValue::from(n))]);
        assert_eq!(count(1), "1 comment");
        assert_eq!(count(1234), "1234 comments");
    }

    #[test]
    fn arabic_isolates_placeables_and_russian_does_not() {
        let ar = Messages {
            locale: "ar",
            site: "Dateline عربي",
            year: 2026,
        };
        assert!(ar.get("site-search-label", vec![]).contains('\u{2068}'));
        let ru = Messages {
            locale: "ru",
            site: "Dateline",
            year: 2026,
        };
        assert!(!ru.get("site-search-label", vec![]).contains('\u{2068}'));
        let few = ru.get("comments-count", vec![("count", FluentValue::from(3))]);
        let many = ru.get("comments-count", vec![("count", FluentValue::from(5))]);
        assert_ne!(few, many);
    }

    #[test]
    fn pieces_cut_around_markup() {
        let pieces = english().pieces("comments-order", &["newest", "oldest"]);
        assert_eq!(pieces.texts, ["Show: ", " | ", ""]);
        let pieces = english().pieces("page-last-updated", &["time"]);
        assert_eq!(
            (pieces.before(), pieces.after()),
            ("Page last updated at ", "")
        );
    }

    /// Templates put the markup of these messages in this order: every
    /// translation must keep it (and keep every piece of markup).
    #[test]
    fn markup_comes_in_the_same_order_in_every_locale() {
        let cases: [(&str, &[&'static str]); 5] = [
            ("page-last-updated", &["time"]),
            ("comment-sign-in", &["signIn", "register"]),
            ("comments-order", &["newest", "oldest"]),
            ("account-saved-meta", &["section", "date"]),
            ("account-following-intro", &["myNews"]),
        ];
        for locale in locales() {
            let m = Messages {
                locale,
                site: "Dateline",
                year: 2026,
            };
            for (id, names) in cases {
                let (_, order) = m.pieces_in_order(id, names);
                assert_eq!(order, (0..names.len()).collect::<Vec<_>>(), "{locale} {id}");
            }
        }
    }

    #[test]
    fn a_missing_message_is_never_its_id() {
        assert_eq!(english().get("no-such-message", vec![]), "");
    }
}
