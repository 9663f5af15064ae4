//! Story body markup: any text either parses into blocks or is refused with a line
//! number, never a panic; and the HTML rendered from what parses holds only the
//! elements the writer makes, so body text can never become markup.
#![no_main]

use dateline::domain::markup::{self, Body};
use libfuzzer_sys::fuzz_target;

/// Every `<` in rendered body HTML opens or closes one of these.
const ALLOWED: &[&str] = &[
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
];

fn check(body: &Body, source: &str) {
    let html = markup::blocks_html(&body.blocks);
    for (i, _) in html.match_indices('<') {
        assert!(
            ALLOWED.iter().any(|tag| html[i..].starts_with(tag)),
            "unexpected markup at {i} in {html:?} from {source:?}"
        );
    }
    let _ = body.plain_text();
    let _ = body.split_intro();
}

fuzz_target!(|source: &str| {
    match markup::parse(source) {
        Ok(body) => check(&body, source),
        Err(e) => assert!(e.line >= 1 && !e.to_string().is_empty()),
    }
    check(&markup::parse_for_display(source), source);
});
