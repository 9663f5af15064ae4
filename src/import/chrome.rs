//! Recognising a legacy page's chrome (print and e-mail links, disclaimers, sign-in,
//! navigation, copyright, browser notices, regional navigation) by its shape and
//! wording patterns, so it can be dropped from the article.

/// What kind of chrome a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chrome {
    /// "Print", "E-mail this to a friend", "Sponsor" and the like.
    Tools,
    /// "… not responsible for the content of external internet sites".
    Disclaimer,
    /// A list of links to other stories.
    Promo,
    /// "Sign in", "Register".
    SignIn,
    /// "… navigation", "Skip to content".
    Navigation,
    /// "Copyright © …".
    Copyright,
    /// "This page is best viewed in an up-to-date web browser…".
    BrowserNotice,
    /// A row of region names: "Americas Africa Europe …".
    RegionalNavigation,
}

impl Chrome {
    /// Chrome that only ever follows an article: once seen after the body began, the article is over.
    pub fn ends_article(self) -> bool {
        matches!(
            self,
            Chrome::Tools | Chrome::Disclaimer | Chrome::Copyright | Chrome::BrowserNotice
        )
    }
}

const TOOL_WORDS: &[&str] = &[
    "print",
    "printable",
    "e-mail",
    "email",
    "sponsor",
    "this",
    "page",
    "story",
    "to",
    "a",
    "friend",
    "version",
    "send",
    "share",
];
const SIGN_IN: &[&str] = &[
    "sign in",
    "sign out",
    "register",
    "log in",
    "log out",
    "login",
    "sign in or register",
    "my account",
];
const NAVIGATION: &[&str] = &[
    "navigation",
    "back to top",
    "accessibility help",
    "low graphics version",
    "change edition",
    "mobile version",
    "text only",
    "related links",
    "related stories",
    "top stories",
    "most popular",
    "more from this section",
];
const REGION_WORDS: &[&str] = &[
    "africa", "americas", "america", "europe", "asia", "pacific", "middle", "east", "uk",
    "england", "scotland", "wales", "ireland", "world", "south", "north", "latin",
];

/// Classifies one trimmed line of a page, or `None` when it may be article text.
pub fn classify(line: &str) -> Option<Chrome> {
    let lower = line.trim().to_lowercase();
    if lower.is_empty() {
        return None;
    }
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '|' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    if !words.is_empty()
        && words.len() <= 8
        && words.iter().all(|w| TOOL_WORDS.contains(w))
        && words
            .iter()
            .any(|w| matches!(*w, "print" | "printable" | "e-mail" | "email" | "sponsor"))
    {
        return Some(Chrome::Tools);
    }
    if lower.contains("not responsible for the content of external") {
        return Some(if lower.starts_with("copyright") {
            Chrome::Copyright
        } else {
            Chrome::Disclaimer
        });
    }
    if lower.starts_with("copyright") || lower.contains('©') || lower.starts_with("(c) ") {
        return Some(Chrome::Copyright);
    }
    if lower.contains("browser")
        && ["style sheets", "stylesheets", "upgrad", "best viewed"]
            .iter()
            .any(|p| lower.contains(p))
    {
        return Some(Chrome::BrowserNotice);
    }
    if SIGN_IN.contains(&lower.as_str()) {
        return Some(Chrome::SignIn);
    }
    if (words.len() <= 4 && lower.ends_with("navigation"))
        || lower.starts_with("skip to ")
        || NAVIGATION.contains(&lower.as_str())
    {
        return Some(Chrome::Navigation);
    }
    if is_region_row(line) {
        return Some(Chrome::RegionalNavigation);
    }
    None
}

/// A row of capitalised region names with no punctuation, e.g. the regional navigation.
fn is_region_row(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() < 3 || line.chars().any(|c| ".,!?:;\"'()".contains(c)) {
        return false;
    }
    let capitalised = words
        .iter()
        .all(|w| *w == "&" || w.chars().next().is_some_and(char::is_uppercase));
    let regions = words
        .iter()
        .filter(|w| REGION_WORDS.contains(&w.to_lowercase().as_str()))
        .count();
    capitalised && regions * 2 > words.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_chrome_by_pattern() {
        let cases = [
            ("Print Sponsor", Chrome::Tools),
            ("E-mail this to a friend", Chrome::Tools),
            ("Printable version", Chrome::Tools),
            (
                "The Herald is not responsible for the content of external internet sites",
                Chrome::Disclaimer,
            ),
            ("Sign in", Chrome::SignIn),
            ("Gazette navigation", Chrome::Navigation),
            ("Skip to main content", Chrome::Navigation),
            (
                "Copyright © 2011 Valley Post. All rights reserved.",
                Chrome::Copyright,
            ),
            (
                "This site is best viewed in a modern web browser with style sheets enabled.",
                Chrome::BrowserNotice,
            ),
            (
                "UK England Scotland Wales Northern Ireland",
                Chrome::RegionalNavigation,
            ),
            ("Europe Americas Asia Pacific", Chrome::RegionalNavigation),
        ];
        for (line, kind) in cases {
            assert_eq!(classify(line), Some(kind), "{line}");
        }
    }

    #[test]
    fn article_text_is_not_chrome() {
        for line in [
            "The minister printed the report herself.",
            "Working together",
            "'Devil in the detail'",
            "Talks resume in Geneva",
            "Europe and Asia agreed on a timetable for the talks.",
            "Mr Smith said he would e-mail the figures on Monday.",
            "Satellite navigation makers welcomed the decision, saying it was overdue.",
            "",
        ] {
            assert_eq!(classify(line), None, "{line}");
        }
    }
}
