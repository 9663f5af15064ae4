//! Search under fire: generated queries full of both engines' own syntax
//! never make either database fail.

use super::search::story;
use crate::helpers::TestApp;
use crate::on_both_databases;

/// Whatever parses must run: generated queries full of both engines' syntax never make the database fail.
async fn generated_queries_never_fail_in_the_database(app: TestApp) {
    use dateline::domain::search_query;
    use dateline::store::{SearchFilter, SearchScope};
    app.publish(
        &story(
            &app,
            "europe",
            "Near the column",
            "A body: with (brackets) and * stars.",
        ),
        app.clock.now(),
    )
    .await;
    let pieces = [
        "\"",
        "'",
        "\\",
        "-",
        "*",
        "^",
        ":",
        "(",
        ")",
        "&",
        "|",
        "!",
        "<->",
        "<",
        ">",
        "~",
        "NEAR",
        "NOT",
        "AND",
        "OR",
        "near",
        "col",
        "body",
        "the",
        "a",
        "é",
        "\u{1f980}",
        " ",
        " ",
        "+",
        "{",
        "}",
        ",",
        ".",
        "$1",
        "%",
        "_",
        "\u{0}",
        "\u{1}",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut ran = 0;
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..8 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
        }
        let Ok(query) = search_query::parse(&text) else {
            continue;
        };
        ran += 1;
        for scope in [
            SearchScope::Public {
                now: app.clock.now(),
            },
            SearchScope::Newsroom {
                own_or_published: None,
            },
        ] {
            let result = app
                .store
                .search(&query, scope, &SearchFilter::default(), 10, 0)
                .await;
            assert!(result.is_ok(), "{text:?}: {result:?}");
        }
    }
    assert!(ran > 100, "only {ran} generated queries parsed");
}

on_both_databases!(generated_queries_never_fail_in_the_database);
