//! HTML rendered from domain values, in one place: story bodies, search snippets,
//! revision diffs, readers' comments, JSON-LD for a script element, and escaped text. What it renders
//! is a [`SafeHtml`], the one type templates print without escaping; nothing else
//! can make one, and no template uses `|safe`.

mod body;
mod comment;
mod live;
mod marks;

pub use body::{blocks, inlines, PictureSizes};
pub use comment::comment;
pub use live::{live_post, PostParts};
pub use marks::{diff, snippet};

use std::fmt;

/// HTML that is safe to print as it is: its text was escaped and its markup was
/// written here. The field is private to this module, so a `SafeHtml` anywhere
/// else came from one of its renderers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The HTML as a string, for a JSON field that carries HTML (ninjs, the search API).
    pub fn into_string(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Askama prints a `SafeHtml` without escaping it again.
impl askama::filters::HtmlSafe for SafeHtml {}

/// Escapes text for HTML element content and quoted attribute values, dropping
/// control and bidi-override characters that slipped past input cleaning.
pub fn escape(text: &str, out: &mut String) {
    out.reserve(text.len());
    let bytes = text.as_bytes();
    // Copy runs of ordinary characters whole. Only a character whose first
    // byte is marked in `MAY_CHANGE` is decoded and looked at: that byte is
    // never a continuation byte, so `i` is always at a character's start.
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !MAY_CHANGE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            c if crate::domain::text::is_unsafe_char(c, true) => "",
            _ => {
                i += c.len_utf8();
                continue;
            }
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        i += c.len_utf8();
        start = i;
    }
    out.push_str(&text[start..]);
}

/// The bytes that begin a character [`escape`] may replace or drop: the five
/// it escapes, C0 controls and DEL, and the lead bytes of U+0080–U+00BF (C1
/// controls), U+2000–U+2FFF (bidi controls) and U+F000–U+FFFF (U+FEFF).
const MAY_CHANGE: [bool; 256] =
    crate::domain::text::controls_and(&[b'&', b'<', b'>', b'"', b'\'', 0xc2, 0xe2, 0xef]);

/// A message of the page text (`locales/`) as HTML: escaped, keeping the
/// isolation marks Fluent puts around variables in right-to-left languages
/// (values had theirs removed before), and writing ©, –, “” and ’ as named
/// references, as the English pages always have.
pub fn page_text(text: &str) -> SafeHtml {
    let mut out = String::with_capacity(text.len() + 16);
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let mut escaped = String::new();
        escape(run, &mut escaped);
        out.push_str(
            &escaped
                .replace('©', "&copy;")
                .replace('–', "&ndash;")
                .replace('“', "&ldquo;")
                .replace('”', "&rdquo;")
                .replace('’', "&rsquo;"),
        );
        run.clear();
    };
    for c in text.chars() {
        if c == '\u{2068}' || c == '\u{2069}' {
            flush(&mut run, &mut out);
            out.push(c);
        } else {
            run.push(c);
        }
    }
    flush(&mut run, &mut out);
    SafeHtml(out)
}

/// Plain text as HTML: escaped, with no markup of its own.
pub fn text(text: &str) -> SafeHtml {
    let mut out = String::new();
    escape(text, &mut out);
    SafeHtml(out)
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are
/// written as JSON's `\u003c`, `\u003e` and `\u0026` (the same string to a JSON
/// reader), so no text in it can close the element or start a comment.
pub fn script_json<T: serde::Serialize>(value: &T) -> SafeHtml {
    // Maps with string keys, strings and numbers: serializing them cannot fail.
    let json = serde_json::to_string(value).unwrap_or_default();
    // Bytes, not chars: the three are ASCII, and decoding every character to
    // look for them cost as much as writing the JSON.
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return SafeHtml(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    SafeHtml(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::Template;

    #[test]
    fn page_text_is_escaped_keeping_isolation_marks() {
        assert_eq!(
            page_text("Copyright © 2026 <b> “a” 1–3").as_str(),
            "Copyright &copy; 2026 &lt;b&gt; &ldquo;a&rdquo; 1&ndash;3"
        );
        assert_eq!(
            page_text("ابحث في \u{2068}Dateline & co\u{2069}").as_str(),
            "ابحث في \u{2068}Dateline &amp; co\u{2069}"
        );
        assert_eq!(page_text("a\u{202e}b").as_str(), "ab");
    }
    use std::path::Path;

    #[test]
    fn escapes_text_and_drops_control_characters() {
        assert_eq!(
            text("1 < 2 & \"x\" 'y'\u{202e}\u{7}").as_str(),
            "1 &lt; 2 &amp; &quot;x&quot; &#39;y&#39;"
        );
    }

    /// The escaping as first written, one character at a time: the byte scan must agree.
    fn escape_char_by_char(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c if crate::domain::text::is_unsafe_char(c, true) => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn the_byte_scan_escapes_as_the_character_scan_does() {
        let samples = [
            "",
            "plain ASCII",
            "Zürich – “quoted” 東京 👩‍💻 ©\u{a0}\u{85}",
            "a\u{202a}b\u{202e}c\u{2066}d\u{2069}e\u{feff}f\u{200b}g\u{2028}h",
            "\u{0}\u{1f}\n\t\u{7f}\u{80}\u{9f}\u{a0}<>&\"'",
            "\u{efff}\u{f000}\u{fffd}\u{ffff} end",
            "ends with a bidi control\u{202e}",
        ];
        for sample in samples {
            let mut fast = String::new();
            escape(sample, &mut fast);
            assert_eq!(fast, escape_char_by_char(sample), "for {sample:?}");
        }
        // Every character of the first planes, each between two ordinary letters.
        for n in (0..0x3_0000u32).filter(|n| n % 7 == 0 || *n < 0x3000 || *n >= 0xf000) {
            let Some(c) = char::from_u32(n) else { continue };
            let sample = format!("a{c}b");
            let mut fast = String::new();
            escape(&sample, &mut fast);
            assert_eq!(fast, escape_char_by_char(&sample), "for U+{n:04X}");
        }
    }

    #[test]
    fn json_for_a_script_element_cannot_close_it() {
        let value = serde_json::json!({ "headline": "</script><!-- & -->" });
        let json = script_json(&value);
        assert!(!json.as_str().contains(['<', '>', '&']), "{json}");
        let back: serde_json::Value = serde_json::from_str(json.as_str()).unwrap();
        assert_eq!(back, value);
    }

    #[derive(Template)]
    #[template(source = "{{ safe }}|{{ plain }}", ext = "html")]
    struct Both {
        safe: SafeHtml,
        plain: String,
    }

    #[test]
    fn templates_print_safe_html_as_it_is_and_escape_strings() {
        let page = Both {
            safe: text("<b>"),
            plain: "<b>".into(),
        };
        assert_eq!(page.render().unwrap(), "&lt;b&gt;|&#60;b&#62;");
    }

    /// Templates print HTML only through `SafeHtml`: a `|safe` filter would print
    /// any string unescaped.
    #[test]
    fn no_template_uses_the_safe_filter() {
        let mut found = Vec::new();
        let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap();
                for (n, line) in source.lines().enumerate() {
                    if uses_safe_filter(line) {
                        found.push(format!("{}:{}: {line}", path.display(), n + 1));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "|safe in templates:\n{}",
            found.join("\n")
        );
    }

    /// A `|` followed (after any spaces) by the filter name `safe`; `||` is an "or".
    fn uses_safe_filter(line: &str) -> bool {
        line.match_indices('|').any(|(i, _)| {
            let before = line[..i].ends_with('|');
            let after = line[i + 1..].trim_start();
            !before
                && after.starts_with("safe")
                && !after[4..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        })
    }

    #[test]
    fn the_safe_filter_is_recognised() {
        assert!(uses_safe_filter("{{ x|safe }}"));
        assert!(uses_safe_filter("{{ x | safe }}"));
        assert!(uses_safe_filter("{{ x|safe}}"));
        assert!(!uses_safe_filter("{% if a || safe_mode %}"));
        assert!(!uses_safe_filter("{{ x|safely }}"));
    }
}
