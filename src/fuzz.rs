//! The properties the fuzz targets check, one function per target: each
//! `fuzz/fuzz_targets/<target>.rs` calls only its function here, and
//! `tests/it/ops/fuzz_seeds.rs` replays every seed through the same function, so the
//! test suite and the fuzzer drive exactly the same code. Each function panics
//! when a property fails (that is how a fuzzer sees a failure); nothing in the
//! server calls them.

use std::path::Path;

use crate::config::{Overrides, Settings};
use crate::domain::markup::{self, Body};
use crate::domain::search_query;
use crate::import::{self, Block};

/// Every `<` in rendered body HTML opens or closes one of these.
const BODY_TAGS: &[&str] = &[
    "<p>",
    "</p>",
    "<h2 class=\"crosshead\">",
    "</h2>",
    "<blockquote>",
    "</blockquote>",
    "<em>",
    "</em>",
    "<strong>",
    "</strong>",
    "<a href=\"",
    "</a>",
    "<img src=\"/images/",
    "<br>",
    "<figure class=\"body-picture\">",
    "</figure>",
    "<figcaption>",
    "</figcaption>",
];

/// Story body markup: any text either parses into blocks or is refused with a
/// line number, never a panic; and the HTML rendered from what parses holds only
/// the elements the writer makes, so body text can never become markup.
pub fn markup(source: &str) {
    match markup::parse(source) {
        Ok(body) => check_body(&body, source),
        Err(e) => assert!(e.line >= 1 && !e.to_string().is_empty()),
    }
    check_body(&markup::parse_for_display(source), source);
}

fn check_body(body: &Body, source: &str) {
    let html = crate::web::html::blocks(&body.blocks, &crate::web::html::PictureSizes::none())
        .into_string();
    for (i, _) in html.match_indices('<') {
        assert!(
            BODY_TAGS.iter().any(|tag| html[i..].starts_with(tag)),
            "unexpected markup at {i} in {html:?} from {source:?}"
        );
    }
    let _ = body.plain_text();
    let _ = body.split_intro();
}

/// Legacy page import: any bytes, read as plain text or HTML (the first byte's
/// lowest bit says whether the file name suggested HTML), either become an article
/// or a reasoned refusal, never a panic; and an article's body, written as escaped
/// body markup, parses back to the same blocks and the same text.
pub fn import(data: &[u8]) {
    let Some((&hint, page)) = data.split_first() else {
        return;
    };
    let article = match import::parse(page, hint & 1 == 1) {
        Ok(article) => article,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let _ = article.to_content(1);
    let _ = (article.content_key(), article.fingerprint(1));
    let _ = (article.paragraph_count(), article.crosshead_count());

    let source = import::body_markup(&article.blocks);
    if source.len() > markup::MAX_BODY_BYTES {
        return;
    }
    let body = markup::parse(&source)
        .unwrap_or_else(|e| panic!("escaped body does not parse: {e}\n{source:?}"));
    let expected: Vec<String> = article.blocks.iter().map(import_block_text).collect();
    let got: Vec<String> = body.blocks.iter().map(markup_block_text).collect();
    assert_eq!(got, expected, "escaped body changed the text:\n{source:?}");
}

fn import_block_text(block: &Block) -> String {
    let (Block::Paragraph(t) | Block::Crosshead(t) | Block::Quote(t)) = block;
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn markup_block_text(block: &markup::Block) -> String {
    let mut text = String::new();
    match block {
        markup::Block::Paragraph { content } | markup::Block::Crosshead { content } => {
            markup::plain_inlines(content, &mut text)
        }
        markup::Block::Quote { paragraphs } => {
            for p in paragraphs {
                markup::plain_inlines(p, &mut text)
            }
        }
        markup::Block::Picture { alt, .. } => text.push_str(alt),
    }
    text
}

/// The search box's language: any text is a query or a message for the reader,
/// never a panic; and what reaches either engine keeps every clause inside quotes.
pub fn search_query(input: &str) {
    let query = match search_query::parse(input) {
        Ok(query) => query,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(!query.include.is_empty());
    assert!(query.include.len() + query.exclude.len() <= search_query::MAX_CLAUSES);
    // FTS5: each clause one string, its quotes doubled, so quotes always pair up.
    let fts5 = query.to_fts5();
    assert_eq!(fts5.matches('"').count() % 2, 0, "{fts5:?} from {input:?}");
    // tsquery: no quote or backslash inside a clause can end its string early.
    let tsquery = query.to_tsquery();
    assert!(!tsquery.contains('\\'), "{tsquery:?} from {input:?}");
    let clauses = query.include.len() + query.exclude.len();
    assert_eq!(tsquery.matches('\'').count(), 2 * clauses, "{tsquery:?}");
}

/// The TOML config file: any text is a checked configuration or a one-line error
/// naming the problem, never a panic.
pub fn config(text: &str) {
    match Settings::from_file_text(Path::new("fuzz.toml"), text, &Overrides::default()) {
        Ok(settings) => {
            assert!(!settings.site.name.is_empty());
            assert!(!settings.site.base_url.ends_with('/'));
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                !message.is_empty() && !message.contains('\n'),
                "{message:?}"
            );
        }
    }
}
