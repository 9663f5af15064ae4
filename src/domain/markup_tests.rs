//! The markup parser's unit tests: what parses into which blocks, and what is refused on which line.

use super::*;

fn err(src: &str) -> MarkupError {
    parse(src).expect_err("should be refused")
}

#[test]
fn parses_the_allowed_subset() {
    let body = parse(
        "Intro with *emphasis* and **strong**.\n\n## Crosshead\n\n> \"A quote,\" she said.\n\nSee [the report](https://example.org/r) and ![A map](image:7).",
    )
    .unwrap();
    assert_eq!(body.blocks.len(), 4);
    assert!(matches!(body.blocks[1], Block::Crosshead { .. }));
    assert!(matches!(body.blocks[2], Block::Quote { .. }));
    let Block::Paragraph { content } = &body.blocks[3] else {
        panic!("the last block is a paragraph: {:?}", body.blocks[3]);
    };
    assert!(content.contains(&Inline::Link {
        href: "https://example.org/r".into(),
        content: vec![Inline::Text {
            text: "the report".into()
        }],
    }));
    assert!(content.contains(&Inline::Image {
        image_id: 7,
        alt: "A map".into()
    }));
    assert_eq!(body.crosshead_count(), 1);
}

#[test]
fn lists_the_pictures_a_body_shows() {
    let body = parse("![A](image:7) and *![B](image:9)*\n\n> ![C](image:7)").unwrap();
    assert_eq!(body.image_ids(), [7, 9]);
}

#[test]
fn intro_is_the_first_paragraph() {
    let body = parse("First.\n\nSecond.").unwrap();
    let (intro, rest) = body.split_intro();
    assert_eq!(
        intro,
        Some(
            &[Inline::Text {
                text: "First.".into()
            }][..]
        )
    );
    assert_eq!(rest.len(), 1);
}

#[test]
fn refuses_everything_else_naming_the_line() {
    assert_eq!(err("ok\n\n<script>alert(1)</script>").line, 3);
    assert!(err("ok\n\n<script>alert(1)</script>")
        .message
        .contains("raw HTML"));
    assert!(err("a <b>bold</b> move").message.contains("raw HTML"));
    assert_eq!(err("para\n\n- one\n- two").line, 3);
    assert!(err("# Big").message.contains("level 1"));
    assert!(err("### Small").message.contains("level 3"));
    assert!(err("    code").message.contains("code"));
    assert!(err("a `b` c").message.contains("inline code"));
    assert!(err("a\n\n---\n").message.contains("rules"));
    assert!(err("[x](javascript:alert(1))")
        .message
        .contains("javascript"));
    assert!(err("![x](https://example.org/a.png)")
        .message
        .contains("stored image"));
    assert!(err("> > nested").message.contains("quotes inside quotes"));
    assert!(err("> ## head").message.contains("crossheads cannot"));
}

#[test]
fn unparseable_stored_bodies_display_as_plain_text() {
    let body = parse_for_display("Fine.\n\n<script>x</script>");
    assert_eq!(body.plain_text(), "Fine.\n\n<script>x</script>");
    assert_eq!(body.blocks.len(), 2);
}

#[test]
fn plain_text_joins_blocks() {
    let body = parse("One *two*.\n\n## Three\n\n> Four").unwrap();
    assert_eq!(body.plain_text(), "One two.\n\nThree\n\nFour");
}

#[test]
fn a_picture_alone_in_its_paragraph_is_a_picture_block() {
    let body = parse(
        "Intro.\n\n![Crowds on the quay](image:42 \"The quay at noon\")\n\n![A map](/images/7)",
    )
    .unwrap();
    assert_eq!(
        body.blocks[1],
        Block::Picture {
            image_id: 42,
            alt: "Crowds on the quay".into(),
            caption: "The quay at noon".into(),
        }
    );
    assert_eq!(
        body.blocks[2],
        Block::Picture {
            image_id: 7,
            alt: "A map".into(),
            caption: String::new(),
        }
    );
    assert_eq!(body.image_ids(), [42, 7]);
    assert_eq!(body.plain_text(), "Intro.\n\nThe quay at noon\n\nA map");
}

#[test]
fn a_picture_among_words_or_in_a_quote_stays_inline() {
    for source in [
        "See ![A map](image:7 \"cap\")",
        "![A map](image:7 \"cap\") and more",
        "![A](image:7)\n![B](image:8)",
        "*![A map](image:7)*",
    ] {
        let body = parse(source).unwrap();
        assert!(
            matches!(body.blocks[..], [Block::Paragraph { .. }]),
            "{source}: {body:?}"
        );
    }
    let body = parse("> ![A map](image:7 \"cap\")").unwrap();
    assert!(matches!(body.blocks[..], [Block::Quote { .. }]));
    assert_eq!(body.image_ids(), [7]);
}

#[test]
fn a_picture_without_alt_text_is_refused_on_its_line() {
    let e = err("One.\n\nTwo.\n\n![](image:4 \"A caption\")");
    assert_eq!(e.line, 5);
    assert_eq!(
        e.to_string(),
        "line 5: a picture needs a description for people who cannot see it (alt text)"
    );
    assert_eq!(err("Text and ![ ](image:4) inline").line, 1);
    // Stored before the rule: still shown, with an empty description.
    let body = parse_for_display("One.\n\n![](image:4)");
    assert_eq!(
        body.blocks[1],
        Block::Picture {
            image_id: 4,
            alt: String::new(),
            caption: String::new(),
        }
    );
}

#[test]
fn picture_markup_parses_back_to_the_same_words() {
    let cases = [
        ("Crowds", ""),
        (
            "A \"quoted\" [bracketed] *starred* <b>tag</b> & \\ back",
            "Cap \"tion\" ] ) ( \\",
        ),
        (
            "Line\nbreak  and   spaces",
            "_under_ `tick` ![x](y) #1 &amp;",
        ),
        ("Ünïcödé — dash", "Fotó: “Ana”"),
    ];
    for (alt, caption) in cases {
        let source = format!("Intro.\n\n{}", picture_markup(9, alt, caption));
        let body = parse(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            body.blocks[1],
            Block::Picture {
                image_id: 9,
                alt: words(alt),
                caption: words(caption),
            },
            "{source}"
        );
    }
}
