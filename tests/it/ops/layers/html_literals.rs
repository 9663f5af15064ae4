//! HTML is built in one place: a test that reads every string literal under `src`
//! and fails on one that writes a tag (`<p>`, `</a>`, `<img `, `<!DOCTYPE`, `<{tag}>`…)
//! anywhere but `web::html`, the tests, and the few literals allowed below, each
//! with its reason. Templates write the rest of the markup.

use std::path::Path;

use super::{rust_files, scan};

/// Files (relative to `src`) not read: the rendering module itself;
/// and the fuzz properties, which list the tags a rendered body may hold in order
/// to check it (test code, in the library only so the fuzzer can reach it).
const SKIPPED: &[&str] = &["web/html", "fuzz.rs"];

/// Tags named by literals that do not build markup (or not yet), by file and tag name.
const ALLOWED: &[(&str, &[&str], &str)] = &[
    (
    "import/mod.rs",
    &["doctype", "html", "xml", "head", "meta", "time"],
    "the importer reads legacy pages: it tells HTML from text by how a page begins, \
         and its message names the element it looked for a time stamp in",
    ),
    (
        "mail/message.rs",
        &["{}"],
        "mail is plain text: `<{url}>` is the angle-bracketed URL of a List-Unsubscribe header (RFC 2369)",
    ),
    (
        "mail/mod.rs",
        &["{}"],
        "mail is plain text: `<{id}@{domain}>` is a Message-ID header (RFC 5322)",
    ),
];

/// Test-only files: `tests.rs` and `*_tests.rs`, declared under `#[cfg(test)]`.
fn is_test_file(file: &Path) -> bool {
    file.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s == "tests" || s.ends_with("_tests"))
}

/// The byte ranges of `#[cfg(test)]` items in blanked source (their braces balance
/// there, since literals and comments are blanked).
fn test_items(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut items = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]").map(|p| p + from) {
        let after = at + "#[cfg(test)]".len();
        let Some(open) = code[after..].find(['{', ';']).map(|p| p + after) else {
            break;
        };
        if &code[open..=open] == ";" {
            from = open;
            continue;
        }
        let mut depth = 0;
        let mut end = code.len();
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        items.push(at..end);
        from = end;
    }
    items
}

/// The name of every tag a literal's text writes: `<name`, `</name` or `<!name`
/// followed by a space, `>` or `/` (or its end), and `<{…}>` built by `format!`
/// (as `{}`). A `<` right after a letter or digit is a generic (`Vec<String>`).
fn tags(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    for (i, _) in text.match_indices('<') {
        if i > 0 && b[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'/' | b'!' | b'?')) {
            j += 1;
        }
        if b.get(j) == Some(&b'{') {
            found.push("{}".to_string());
            continue;
        }
        let start = j;
        while b
            .get(j)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.'))
        {
            j += 1;
        }
        let starts_with_letter = b.get(start).is_some_and(u8::is_ascii_alphabetic);
        let ends_tag = matches!(b.get(j), None | Some(b' ' | b'>' | b'/' | b'\\'));
        if starts_with_letter && ends_tag {
            found.push(text[start..j].to_ascii_lowercase());
        }
    }
    found
}

/// Every literal under `src` that writes a tag where it should not, as `file:line: literal`.
fn tag_literals(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap_or(&file);
        let name = relative.to_string_lossy().replace('\\', "/");
        if is_test_file(&file) || SKIPPED.iter().any(|s| name.starts_with(s)) {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("source readable");
        let (code, literals) = scan(&source);
        let tests = test_items(&code);
        let allowed: &[&str] = ALLOWED
            .iter()
            .find(|(f, ..)| *f == name)
            .map_or(&[], |(_, tags, _)| tags);
        for literal in literals {
            if tests.iter().any(|t| t.contains(&literal.start)) {
                continue;
            }
            let text = &source[literal.clone()];
            let inner = text.trim_start_matches(['b', 'r', '#']);
            let inner = inner.trim_end_matches('#');
            let inner = inner.strip_prefix('"').unwrap_or(inner);
            let inner = inner.strip_suffix('"').unwrap_or(inner);
            if tags(inner).iter().any(|t| !allowed.contains(&t.as_str())) {
                let line = source[..literal.start].matches('\n').count() + 1;
                found.push(format!("{name}:{line}: {text}"));
            }
        }
    }
    found
}

#[test]
fn no_html_is_built_outside_web_html() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = tag_literals(&src);
    assert!(
        found.is_empty(),
        "HTML tags written outside web::html (render them there, or in a template):\n{}",
        found.join("\n")
    );
}

#[test]
fn tags_are_told_from_other_angle_brackets() {
    assert_eq!(tags(r"<p>{}</p>\n"), ["p", "p"]);
    assert_eq!(tags(r#"<img src=\""#), ["img"]);
    assert_eq!(tags("<!DOCTYPE html>"), ["doctype"]);
    assert_eq!(tags("<{tag}>"), ["{}"]);
    assert_eq!(tags("<br"), ["br"]);
    assert_eq!(tags("<news:publication_date>"), ["news:publication_date"]);
    assert!(tags("Vec<String> a < b, x<y> <= 3 <- <3").is_empty());
}

#[test]
fn test_items_are_found_by_their_braces() {
    let code =
        "fn a() {}\n#[cfg(test)]\nmod tests { fn b() { } }\nfn c() {}\n#[cfg(test)]\nmod more;";
    let items = test_items(code);
    assert_eq!(items.len(), 1);
    assert_eq!(
        &code[items[0].clone()],
        "#[cfg(test)]\nmod tests { fn b() { } }"
    );
}
