//! Unit tests of the import parsers on the fixture pages in `tests/fixtures/import/`.

use super::*;

const HARBOUR: &str = include_str!("../../tests/fixtures/import/harbour_strike.txt");
const RIVER: &str = include_str!("../../tests/fixtures/import/river_survey.txt");
const GRAIN: &str = include_str!("../../tests/fixtures/import/grain_prices.txt");
const OBSERVATORY: &str = include_str!("../../tests/fixtures/import/observatory.html");

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn crossheads(a: &Article) -> Vec<&str> {
    a.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Crosshead(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn text_page_with_picture_and_two_crossheads() {
    let a = parse(HARBOUR.as_bytes(), false).unwrap();
    assert_eq!(a.headline, "Dock workers end week-long harbour strike");
    assert_eq!(a.last_updated, at("2009-07-14T08:30:00Z"));
    assert_eq!(a.first_published, a.last_updated);
    let image = a.image.as_ref().unwrap();
    assert_eq!(
        image.alt,
        "Container cranes standing idle at the northern quay"
    );
    assert_eq!(
        image.caption,
        "Cranes at the northern quay were idle for seven days"
    );
    assert_eq!(crossheads(&a), ["Backlog of cargo", "What the deal says"]);
    assert_eq!(a.paragraph_count(), 8);
    assert!(
        matches!(&a.blocks[0], Block::Paragraph(p) if p.starts_with("Dock workers in the port"))
    );
    assert!(matches!(&a.blocks[3], Block::Paragraph(p) if p.starts_with("\"Nobody wanted")));
    // Print/Sponsor, disclaimer, three promos, sign in, navigation, copyright, browser notice, regions.
    assert_eq!(a.chrome_dropped, 10);
}

#[test]
fn text_page_without_picture_and_one_crosshead() {
    let a = parse(RIVER.as_bytes(), false).unwrap();
    assert_eq!(a.headline, "Survey finds otters back on river Wend");
    assert_eq!(a.last_updated, at("2008-11-03T16:45:00Z"));
    assert_eq!(a.image, None);
    assert_eq!(crossheads(&a), ["Fish stocks recovering"]);
    assert_eq!(a.paragraph_count(), 5);
    assert_eq!(a.chrome_dropped, 4);
}

#[test]
fn text_page_with_three_crossheads() {
    let a = parse(GRAIN.as_bytes(), false).unwrap();
    assert_eq!(
        crossheads(&a),
        [
            "Rain in the southern plains",
            "Bakers cautious",
            "Shipping costs"
        ]
    );
    assert_eq!(a.paragraph_count(), 8);
    assert!(a.image.is_some());
    assert_eq!(a.chrome_dropped, 5);
}

#[test]
fn html_page_uses_structure_and_drops_furniture() {
    let a = parse(OBSERVATORY.as_bytes(), false).unwrap();
    assert_eq!(a.headline, "Mountain observatory opens to the public");
    assert_eq!(a.last_updated, at("2010-05-02T12:40:00Z"));
    assert_eq!(a.first_published, at("2010-05-02T08:15:00Z"));
    assert_eq!(a.section.as_deref(), Some("Science & Environment"));
    let image = a.image.as_ref().unwrap();
    assert_eq!(
        image.alt,
        "The white dome of the observatory above the snow line"
    );
    assert_eq!(
        image.caption,
        "The observatory sits 2,400 metres above sea level"
    );
    assert_eq!(crossheads(&a), ["Night sessions"]);
    assert!(a
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Quote(q) if q.starts_with("We want children"))));
    assert!(a
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Paragraph(p) if p.contains("£12 & include"))));
    let all = format!("{:?}", a.blocks);
    for chrome in [
        "tracking",
        "Comet seen",
        "Copyright",
        "Print Sponsor",
        "Sign in",
        "Sport",
    ] {
        assert!(!all.contains(chrome), "{chrome} kept");
    }
    assert_eq!(a.paragraph_count(), 5);
}

#[test]
fn bad_pages_say_why() {
    assert_eq!(parse(b"", false), Err(ImportError::Empty));
    assert_eq!(
        parse(b"PK\x03\x04\x00\x00", false),
        Err(ImportError::Binary)
    );
    let no_stamp = include_bytes!("../../tests/fixtures/import/no_stamp.txt");
    assert_eq!(parse(no_stamp, false), Err(ImportError::NoTimestamp));
    let only_chrome = "Page last updated at 15:04 GMT, Sunday, 8 February 2009\n\nSign in\n\nCopyright © 2009 Post\n";
    assert_eq!(
        parse(only_chrome.as_bytes(), false),
        Err(ImportError::NoHeadline)
    );
    let no_body =
        "Page last updated at 15:04 GMT, Sunday, 8 February 2009\n\nA headline\n\nPrint Sponsor\n";
    assert_eq!(parse(no_body.as_bytes(), false), Err(ImportError::NoBody));
    assert_eq!(
        parse(
            b"<html><title>T</title><body><p>text</p></body></html>",
            false
        ),
        Err(ImportError::NoTimestamp)
    );
    assert_eq!(
        parse(&vec![b'a'; MAX_PAGE_BYTES + 1], false),
        Err(ImportError::TooLarge)
    );
}

#[test]
fn latin1_pages_are_read() {
    let page = b"Page last updated at 15:04 GMT, Sunday, 8 February 2009\n\nCaf\xe9 closes\n\nThe caf\xe9 on the square has closed after forty years of trading.\n";
    let a = parse(page, false).unwrap();
    assert_eq!(a.headline, "Café closes");
}

#[test]
fn markup_escaping_keeps_text_as_it_stands() {
    use crate::domain::markup::{self, Block as M};
    let nasty = [
        "1. Not a list",
        "# not a heading",
        "> not a quote",
        "- not a bullet",
        "*stars* and _underscores_ and `ticks`",
        "<b>tags</b> &amp; entities [link](http://x) ![img](/images/1)",
        "back\\slash and trailing hash #",
        "+ plus | pipe ~tilde~ {brace}",
        "2009) was a year",
    ];
    for text in nasty {
        let body = body_markup(&[Block::Paragraph(text.into()), Block::Crosshead(text.into())]);
        let parsed = markup::parse(&body).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(parsed.blocks.len(), 2, "{text}");
        assert_eq!(
            parsed.plain_text().matches(text).count(),
            2,
            "{text}: {:?}",
            parsed
        );
        assert!(matches!(parsed.blocks[1], M::Crosshead { .. }));
    }
}

#[test]
fn imported_content_validates() {
    let a = parse(HARBOUR.as_bytes(), false).unwrap();
    let content = a.to_content(3).unwrap();
    assert_eq!(content.slug, "dock-workers-end-week-long-harbour-strike");
    assert!(content.summary.starts_with("Dock workers in the port"));
    assert!(content.body.contains("\n\n## Backlog of cargo\n\n"));
    assert_eq!(content.lead_image, None);
    assert_ne!(
        a.content_key(),
        parse(RIVER.as_bytes(), false).unwrap().content_key()
    );
    assert_eq!(shorten("one two three", 9), "one two…");
}

#[test]
fn never_panics_on_odd_input() {
    let samples: Vec<Vec<u8>> = vec![
        b"<".to_vec(),
        b"<html>".repeat(2000),
        b"<div>".repeat(20_000),
        "Page last updated at \u{212a}\n\n\u{202e}x\n\ny."
            .as_bytes()
            .to_vec(),
        b"\xff\xfe\xfd".to_vec(),
        "<script type=\"application/ld+json\">[[[[[[[[[[</script><h1>x</h1>"
            .as_bytes()
            .to_vec(),
        "Page last updated at 99:99 GMT, 1 May 2009\n\né\n\n1. x"
            .as_bytes()
            .to_vec(),
        "\n\n\n\r\r\r\tTitle\r\nBody.".as_bytes().to_vec(),
        format!(
            "Page last updated at 15:04 GMT, 8 February 2009\n\nH\n\nIntro.\n\n{}",
            "Sign in\n\nA line\n\n".repeat(50_000)
        )
        .into_bytes(),
    ];
    for sample in samples {
        let _ = parse(&sample, false);
        let _ = parse(&sample, true);
    }
}

#[test]
fn navigation_words_followed_by_prose_stay_in_the_article() {
    let page = "Page last updated at 15:04 GMT, Sunday, 8 February 2009\n\n\
        Voters queue to register\n\n\
        Thousands of people queued outside the town hall to register before the deadline.\n\n\
        Register\n\n\
        Officials said the number of new voters was the highest they had ever recorded.\n\n\
        Sign in\n\nShort promo line\n";
    let a = parse(page.as_bytes(), false).unwrap();
    assert_eq!(crossheads(&a), ["Register"]);
    assert_eq!(a.paragraph_count(), 2);
    assert_eq!(a.chrome_dropped, 2);
}
