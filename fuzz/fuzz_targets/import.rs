//! Legacy page import: any bytes, read as plain text or HTML, either become an
//! article or a reasoned refusal, never a panic; and an article's body, written as
//! escaped body markup, parses back to the same blocks and the same text.
#![no_main]

use dateline::domain::markup;
use dateline::import::{self, Block};
use libfuzzer_sys::fuzz_target;

fn block_text(block: &Block) -> String {
    let (Block::Paragraph(t) | Block::Crosshead(t) | Block::Quote(t)) = block;
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fuzz_target!(|data: &[u8]| {
    // The first byte says whether the file name suggested HTML.
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
    let expected: Vec<String> = article.blocks.iter().map(block_text).collect();
    let got: Vec<String> = body
        .blocks
        .iter()
        .map(|b| {
            let mut text = String::new();
            match b {
                markup::Block::Paragraph { content } | markup::Block::Crosshead { content } => {
                    markup::plain_inlines(content, &mut text)
                }
                markup::Block::Quote { paragraphs } => {
                    for p in paragraphs {
                        markup::plain_inlines(p, &mut text)
                    }
                }
            }
            text
        })
        .collect();
    assert_eq!(got, expected, "escaped body changed the text:\n{source:?}");
});
