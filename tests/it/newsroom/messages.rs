//! No message a person reads shows Rust's debug formatting (`Borrowed("…")`,
//! `Some(…)`, backslash-escaped quotes, struct syntax). Every validation path the
//! tests can reach is driven with input holding quotes and odd characters, and
//! each message is searched for the marks debug formatting leaves.

use crate::helpers::{full_story, TestApp};
use crate::on_both_databases;
use crate::ops::import::dateline;
use crate::staff::{borrow, story_fields};
use dateline::domain::links::check_url;
use dateline::domain::markup;
use dateline::domain::story::{ExternalLink, LeadImage};
use dateline::domain::timefmt;
use dateline::domain::user::Role;
use scraper::{Html, Selector};
use std::path::Path;

/// What Rust's `{:?}` leaves in text.
const DEBUG_MARKS: [&str; 10] = [
    "Borrowed(",
    "Owned(",
    "Some(",
    "None",
    "Ok(",
    "Err(",
    "\\\"",
    "\\n",
    "{ ",
    "Error {",
];

/// Fails when `message` is empty or shows debug formatting; `what` names the path.
fn assert_plain(what: &str, message: &str) {
    assert!(!message.trim().is_empty(), "{what}: an empty message");
    for mark in DEBUG_MARKS {
        assert!(
            !message.contains(mark),
            "{what}: debug formatting ({mark}) in {message}"
        );
    }
}

/// A value with the characters debug formatting escapes.
const HOSTILE: &str = "he said \"no\" \\ twice";

#[test]
fn domain_messages_are_plain() {
    // Body markup: every kind of refusal.
    let bodies = [
        "[click](JaVaScRiPt:alert(1))".to_string(),
        format!("[quoted](<javascript:{HOSTILE}>)"),
        "[spaces](<http://exa mple.org/>)".to_string(),
        "[no host](https:///path)".to_string(),
        "[empty]()".to_string(),
        format!("[long](https://example.org/{})", "a".repeat(2100)),
        format!("![picture](<http://example.org/{HOSTILE}.png>)"),
        "![picture](image:0)".to_string(),
        "### Level three".to_string(),
        "# Level one".to_string(),
        "> outer\n>\n> > inner".to_string(),
        "- a list".to_string(),
        "1. a list".to_string(),
        "    indented code".to_string(),
        "```\nfenced\n```".to_string(),
        "<div>raw</div>".to_string(),
        "text with <span>inline html</span>".to_string(),
        "a\n\n---\n\nb".to_string(),
        "x".repeat(300_000),
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for body in &bodies {
        let Err(error) = markup::parse(body) else {
            continue;
        };
        let message = error.to_string();
        assert_plain(&format!("markup {}", &body[..body.len().min(40)]), &message);
        kinds.insert(error.message.split(':').next().unwrap().to_string());
    }
    assert!(
        kinds.len() >= 8,
        "every kind of refusal was reached: {kinds:?}"
    );
    let link = markup::parse("[click](JaVaScRiPt:alert(1))")
        .unwrap_err()
        .to_string();
    assert!(link.contains("link to “JaVaScRiPt:alert(1)”"), "{link}");

    // Links on their own.
    for url in [
        "",
        " ",
        "ftp://x",
        "http://",
        "javascript:\"x\"",
        "//evil.example",
    ] {
        assert_plain(
            &format!("link {url}"),
            &check_url(url).unwrap_err().to_string(),
        );
    }

    // Every story field.
    let mut content = full_story(1, Some(7), "");
    content.headline = String::new();
    content.summary = "s".repeat(5000);
    content.byline = "b".repeat(500);
    content.slug = format!("Not a slug {HOSTILE}");
    content.body = format!("[x](javascript:\"{HOSTILE}\")");
    content.promo_headline = "p".repeat(500);
    content.lead_image = Some(LeadImage {
        image_id: 7,
        alt: String::new(),
        caption: "c".repeat(2000),
        credit: "c".repeat(500),
    });
    content.links = vec![
        ExternalLink {
            title: String::new(),
            url: format!("javascript:\"{HOSTILE}\""),
        },
        ExternalLink {
            title: "t".repeat(500),
            url: String::new(),
        },
    ];
    content.related = vec![1, 1, -3];
    let errors = content.validate(Some(1)).unwrap_err();
    assert!(errors.len() >= 6, "{} field errors", errors.len());
    for error in &errors {
        assert_plain(&format!("field {}", error.field), &error.to_string());
    }
    let mut empty = full_story(1, None, "Fine");
    empty.body = String::new();
    for error in empty.validate(None).unwrap_err() {
        assert_plain("empty body", &error.to_string());
    }

    // Time zones.
    let zone = timefmt::time_zone(HOSTILE).unwrap_err();
    assert_plain("time zone", &zone);
    assert!(zone.contains(&format!("“{HOSTILE}”")), "{zone}");
}

/// The error texts of an editor page: the summary and each field's.
fn form_errors(page: &str) -> Vec<String> {
    let doc = Html::parse_document(page);
    let selector = Selector::parse(".error-summary li, .field-error").unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

async fn newsroom_and_api_messages_are_plain(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let europe = app.section_id("europe");

    // The editor's form, with something wrong in every field it checks.
    let cases: Vec<(&str, String)> = vec![
        ("body", "[x](JaVaScRiPt:alert(1))".into()),
        ("body", format!("[x](<JaVaScRiPt:alert(\"{HOSTILE}\")>)")),
        ("body", format!("![p](<\"{HOSTILE}\">)")),
        ("body", "### Three".into()),
        ("body", "- list".into()),
        ("body", "<b>raw</b>".into()),
        ("embargo", format!("tomorrow \"{HOSTILE}\"")),
        ("embargo", "2026-02-30T09:30".into()),
        ("schedule_at", format!("soon {HOSTILE}")),
        ("headline", String::new()),
        ("slug", format!("Bad {HOSTILE}")),
        ("link_url", format!("javascript:\"{HOSTILE}\"")),
    ];
    let (mut seen, mut accepted) = (0, Vec::new());
    for (field, value) in cases {
        let action = if field == "schedule_at" {
            "schedule"
        } else {
            "save"
        };
        let mut fields = story_fields(europe, "A headline", action);
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value.clone()));
        if field == "link_url" {
            fields.push(("link_title", "A title".into()));
        }
        let response = editor
            .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
            .await;
        let status = response.status().as_u16();
        let page = response.text().await.unwrap();
        if status == 303 {
            accepted.push(format!("{field}={value}"));
            continue;
        }
        let errors = form_errors(&page);
        assert!(!errors.is_empty(), "{field}={value}: no message ({status})");
        for error in &errors {
            assert_plain(&format!("form {field}={value}"), error);
        }
        if value == "[x](JaVaScRiPt:alert(1))" {
            assert!(
                errors
                    .iter()
                    .any(|e| e.contains("link to “JaVaScRiPt:alert(1)”")),
                "{errors:?}"
            );
        }
        seen += 1;
    }
    assert!(
        seen >= 12,
        "only {seen} form cases were refused; accepted: {accepted:?}"
    );

    // The Content API's query errors.
    for query in [
        format!("/api/v1/stories?from={}", urlencode(HOSTILE)),
        format!("/api/v1/stories?updated_since={}", urlencode(HOSTILE)),
        format!("/api/v1/stories?section={}", urlencode(HOSTILE)),
        format!("/api/v1/stories?{}=1", urlencode(HOSTILE)),
        "/api/v1/stories?limit=lots".to_string(),
        "/api/v1/stories?cursor=%22x%22".to_string(),
        format!("/api/v1/search?{}=1", urlencode(HOSTILE)),
        "/api/v1/search?q=x&from=yesterday".to_string(),
        "/api/v1/search?q=x&page=-1".to_string(),
        "/api/v1/search?q=x&section=%22nowhere%22".to_string(),
        "/api/v1/stories/not-a-number".to_string(),
    ] {
        let response = app.get(&query).await;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert!((400..500).contains(&status), "{query}: {status} {text}");
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or(text);
        assert_plain(&format!("API {query}"), &message);
    }
}

fn urlencode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_line_messages_are_plain() {
    let app = TestApp::sqlite().await;
    let url = app.database_url.as_str();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let fixture = |name: &str| fixtures.join(name).display().to_string();
    let runs: Vec<Vec<String>> = vec![
        // Configuration.
        vec![
            "--base-url".into(),
            format!("ftp://{HOSTILE}"),
            "migrate".into(),
        ],
        vec!["--bind".into(), HOSTILE.into(), "migrate".into()],
        vec!["--time-zone".into(), HOSTILE.into(), "migrate".into()],
        vec!["--purge-url".into(), HOSTILE.into(), "migrate".into()],
        vec!["--site-name".into(), String::new(), "migrate".into()],
        vec!["--cache".into(), HOSTILE.into(), "migrate".into()],
        // Accounts.
        vec![
            "user".into(),
            "add".into(),
            "a@example.org".into(),
            "--role".into(),
            HOSTILE.into(),
        ],
        // Import.
        vec![
            "import".into(),
            "--section".into(),
            HOSTILE.into(),
            fixture("grain_prices.txt"),
        ],
        vec![
            "import".into(),
            "--section".into(),
            "europe".into(),
            fixture("no_stamp.txt"),
        ],
        vec![
            "import".into(),
            "--section".into(),
            "europe".into(),
            fixture("not_a_page.txt"),
        ],
        vec![
            "import".into(),
            "--section".into(),
            "europe".into(),
            fixture("no_such_page.txt"),
        ],
        vec!["import".into(), fixture("grain_prices.txt")],
    ];
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, stderr) = dateline(url, &args);
        assert_ne!(code, 0, "{args:?} fails");
        assert_plain(&format!("{args:?}"), &format!("{stdout}{stderr}"));
    }
    let (code, _, stderr) = dateline(&format!("mysql://{HOSTILE}"), &["migrate"]);
    assert_ne!(code, 0);
    assert_plain("database URL", &stderr);

    // A successful import's report names the headline in plain quotes.
    let (code, stdout, stderr) = dateline(
        url,
        &[
            "import",
            "--section",
            "europe",
            &fixture("grain_prices.txt"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_plain("import report", &stdout);
    assert!(
        stdout.contains("“Grain prices fall as harvest forecasts improve”"),
        "{stdout}"
    );
}

on_both_databases!(newsroom_and_api_messages_are_plain);
