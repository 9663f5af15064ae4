//! The Arabic and Russian editions' public pages: every page type in the
//! edition's language and direction, with no English chrome left, and dates
//! written in the language (month names from CLDR).

use crate::editions::{english_left, english_pieces};
use crate::helpers::TestApp;
use scraper::{Html, Selector};

/// The English chrome of the public pages (`site.ftl`) and of the masthead's
/// reader corner (`account.ftl`).
fn english_chrome(other_locale: &str) -> Vec<String> {
    let mut pieces = english_pieces("site.ftl", other_locale);
    pieces.extend(english_pieces("account.ftl", other_locale));
    pieces
}

const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

struct Case {
    key: &'static str,
    locale: &'static str,
    html_tag: &'static str,
    section: &'static str,
    slug: &'static str,
    /// A word of a story's headline, for a search that finds it.
    word: &'static str,
    /// The month of the story's last update, as CLDR writes it in a date.
    month: &'static str,
    day: &'static str,
}

const CASES: [Case; 2] = [
    Case {
        key: "arabic",
        locale: "ar",
        html_tag: "<html lang=\"ar\" dir=\"rtl\">",
        section: "iraq",
        slug: "ahwar-al-iraq-adna-mustawa",
        word: "أهوار",
        // Last updated 2026-11-25T11:20:00Z, GMT.
        month: "نوفمبر",
        day: "25",
    },
    Case {
        key: "russian",
        locale: "ru",
        html_tag: "<html lang=\"ru\" dir=\"ltr\">",
        section: "baltic",
        slug: "klaipeda-zabastovka-dokerov",
        word: "Клайпеда",
        // Last updated 2026-11-27T16:10:00Z, 19:10 in Moscow.
        month: "ноября",
        day: "27",
    },
];

fn text_of(html: &str, selector: &str) -> String {
    let doc = Html::parse_document(html);
    let selector = Selector::parse(selector).unwrap();
    doc.select(&selector)
        .next()
        .unwrap_or_else(|| panic!("no {selector:?}"))
        .text()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_page_of_an_edition_is_in_its_language() {
    let app = TestApp::sqlite_demo().await;
    for case in CASES {
        let edition = app.state.editions.by_key(case.key).expect("edition");
        let prefix = edition.prefix.clone();
        let english = english_chrome(case.locale);

        let section = format!("{prefix}/news/{}", case.section);
        let (status, front) = app.page(&section).await;
        assert_eq!(status, 200, "{section}");
        let doc = Html::parse_document(&front);
        let link = Selector::parse("a").unwrap();
        let article = doc
            .select(&link)
            .filter_map(|a| a.value().attr("href"))
            .find(|href| href.contains(case.slug))
            .unwrap_or_else(|| panic!("{} on {section}", case.slug))
            .to_string();

        let pages = [
            (prefix.clone(), 200),
            (section.clone(), 200),
            (article.clone(), 200),
            (format!("{article}/print"), 200),
            (format!("{article}/history"), 200),
            (format!("{article}/comments"), 0),
            (format!("{prefix}/search"), 200),
            (format!("{prefix}/search?q={}", case.word), 200),
            (format!("{prefix}/search?q=zzqqxxnothing"), 200),
            (format!("{prefix}/about/editorial-policy"), 200),
            (format!("{prefix}/no-such-page"), 404),
        ];
        for (path, expected) in &pages {
            let (status, html) = app.page(path).await;
            if *expected != 0 {
                assert_eq!(status, *expected, "{path}");
            }
            assert!(html.contains(case.html_tag), "{path}: {}", &html[..200]);
            let left = english_left(&html, &english);
            assert!(left.is_empty(), "{path} still says {left:?}");
        }

        // The article's date, in the language: its month and no English one.
        let (_, html) = app.page(&article).await;
        let stamp = text_of(&html, "p.updated time");
        assert!(
            stamp.contains(case.month) && stamp.contains(case.day),
            "{}: {stamp}",
            case.key
        );
        assert!(!ENGLISH_MONTHS.iter().any(|m| stamp.contains(m)), "{stamp}");
        let (_, results) = app.page(&format!("{prefix}/search?q={}", case.word)).await;
        assert!(results.contains(case.slug), "search finds the story");
        let date = text_of(&results, "ol.search-results p.meta time");
        assert!(!ENGLISH_MONTHS.iter().any(|m| date.contains(m)), "{date}");
    }
}
