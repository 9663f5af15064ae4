//! What the tests of editions share: the locales' text read from the files the
//! binary is built with, to look for on pages (or to make sure is not there).
//! The demo's Arabic and Russian editions come with `TestApp::with_demo`.

fn locale_file(locale: &str, file: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::read_to_string(format!("{root}/locales/{locale}/{file}"))
        .unwrap_or_else(|e| panic!("locales/{locale}/{file}: {e}"))
}

/// The text of one-line message `id` (without placeables) in `locale`'s `file`.
pub(crate) fn message(locale: &str, file: &str, id: &str) -> String {
    let text = locale_file(locale, file);
    let prefix = format!("{id} = ");
    let line = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("{id} in {locale}/{file}"));
    line[prefix.len()..].to_string()
}

/// English text from `locales/en-GB/<file>`: each one-line message's text with
/// its variables taken out, in pieces long enough to be distinctive, that the
/// other locale's file does not also say.
pub(crate) fn english_pieces(file: &str, other_locale: &str) -> Vec<String> {
    let english = locale_file("en-GB", file);
    let other = locale_file(other_locale, file);
    let mut pieces = Vec::new();
    for line in english.lines() {
        let Some((id, value)) = line.split_once(" = ") else {
            continue;
        };
        if id.starts_with('#') || id.contains(' ') {
            continue;
        }
        let mut rest = value;
        while !rest.is_empty() {
            let (piece, after) = match rest.find('{') {
                Some(open) => {
                    let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
                    (&rest[..open], &rest[close..])
                }
                None => (rest, ""),
            };
            let piece = piece.trim_matches(|c: char| c.is_whitespace() || ".,:;–-".contains(c));
            if piece.chars().count() >= 10 && !other.contains(piece) {
                pieces.push(piece.to_string());
            }
            rest = after;
        }
    }
    pieces.sort();
    pieces.dedup();
    assert!(pieces.len() > 50, "{file}: {pieces:?}");
    pieces
}

/// `text` as it appears in HTML, escaped.
pub(crate) fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The English pieces (`english_pieces`) that `html` still holds, as written or escaped.
pub(crate) fn english_left<'a>(html: &str, english: &'a [String]) -> Vec<&'a String> {
    english
        .iter()
        .filter(|piece| html.contains(piece.as_str()) || html.contains(&escaped(piece)))
        .collect()
}

/// A page's text, as a reader sees it.
pub(crate) fn page_text(body: &str) -> String {
    scraper::Html::parse_document(body)
        .root_element()
        .text()
        .collect()
}
