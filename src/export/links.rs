//! Links in exported files: finding the internal ones, naming the file each
//! address becomes, and rewriting links to the renamed files.

use askama::Template;

use crate::web::html::{self, SafeHtml};

pub(super) fn is_html(content_type: &str) -> bool {
    content_type.starts_with("text/html")
}

pub(super) fn is_text(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.contains("xml")
        || content_type.contains("json")
}

pub(super) fn has_extension(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

pub(super) fn extension_for(content_type: &str) -> &'static str {
    match content_type.split(';').next().unwrap_or("").trim() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "text/css" => "css",
        "application/json" => "json",
        "text/plain" => "txt",
        t if t.contains("xml") => "xml",
        _ => "bin",
    }
}

/// The file (relative to the export directory) that serves `path`, or `None` for a
/// path that could escape the directory.
pub(super) fn file_for(path: &str, page: bool) -> Option<String> {
    let trimmed = path.trim_start_matches('/');
    let segments: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == "." || *s == ".." || s.contains('\\') || s.contains('\0'))
    {
        return None;
    }
    let joined = segments.join("/");
    Some(if page && !joined.ends_with(".html") {
        if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        }
    } else {
        joined
    })
}

/// A static stand-in for a redirect: static servers cannot answer 301 by themselves.
#[derive(Template)]
#[template(path = "export/redirect.html")]
struct RedirectPage {
    target: SafeHtml,
}

/// The page that sends a reader on to `target` (a site path).
pub(super) fn redirect_page(target: &str) -> askama::Result<String> {
    RedirectPage {
        target: html::text(target),
    }
    .render()
}

/// The site path a link names, when it points into this site.
pub(super) fn internal_path(link: &str, base: &str) -> Option<String> {
    let link = link.trim();
    let path = if let Some(rest) = link.strip_prefix(base) {
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        rest
    } else if link.starts_with('/') && !link.starts_with("//") {
        link
    } else {
        return None;
    };
    let path = path.split(['#', '?']).next().unwrap_or("");
    Some(if path.is_empty() {
        "/".to_string()
    } else {
        path.to_string()
    })
}

/// Internal links in a response: attributes of HTML, and site URLs in anything else textual.
pub(super) fn links_in(content_type: &str, body: &[u8], base: &str) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Vec::new();
    };
    let mut links = Vec::new();
    if is_html(content_type) {
        let doc = scraper::Html::parse_document(text);
        let Ok(selector) = scraper::Selector::parse("[href], [src], [srcset]") else {
            return links;
        };
        for el in doc.select(&selector) {
            let value = el.value();
            links.extend(
                value
                    .attr("href")
                    .into_iter()
                    .chain(value.attr("src"))
                    .map(str::to_string),
            );
            if let Some(srcset) = value.attr("srcset") {
                links.extend(
                    srcset
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                );
            }
        }
    }
    if is_text(content_type) && !base.is_empty() {
        let mut rest = text;
        while let Some(at) = rest.find(base) {
            let candidate = &rest[at..];
            let end = candidate
                .find(|c: char| c.is_whitespace() || "<>\"'".contains(c))
                .unwrap_or(candidate.len());
            links.push(candidate[..end].to_string());
            rest = &candidate[base.len()..];
        }
    }
    links
        .iter()
        .filter_map(|l| internal_path(l, base))
        .collect()
}

/// Replaces each `from` path in a text body with its `to`, where it stands whole.
pub(super) fn rewrite(body: &[u8], renamed: &[(String, String)]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(body) else {
        return body.to_vec();
    };
    let mut text = text.to_string();
    for (from, to) in renamed {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(from.as_str()) {
            let after = &rest[at + from.len()..];
            let whole =
                !after.starts_with(|c: char| c.is_ascii_alphanumeric() || "-_./".contains(c));
            out.push_str(&rest[..at]);
            out.push_str(if whole { to } else { from });
            rest = after;
        }
        out.push_str(rest);
        text = out;
    }
    text.into_bytes()
}

/// Links to what cannot be static (`excluded`: the newsroom, reader accounts, the API) point at the live site.
pub(super) fn to_live_site(body: &[u8], base: &str, excluded: &[String]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(body) else {
        return body.to_vec();
    };
    let mut text = text.to_string();
    for excluded in excluded {
        for quote in ['"', '\''] {
            text = text.replace(
                &format!("{quote}{excluded}"),
                &format!("{quote}{base}{excluded}"),
            );
        }
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_a_static_server_finds() {
        assert_eq!(file_for("/", true).unwrap(), "index.html");
        assert_eq!(
            file_for("/news/europe", true).unwrap(),
            "news/europe/index.html"
        );
        assert_eq!(
            file_for("/feeds/news.rss", false).unwrap(),
            "feeds/news.rss"
        );
        assert_eq!(file_for("/a/../../etc", true), None);
    }

    #[test]
    fn a_redirect_page_sends_the_reader_on() {
        assert_eq!(
            redirect_page("/news/x-1?a=1&b=\"2\"").unwrap(),
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Moved</title>\
             <meta http-equiv=\"refresh\" content=\"0; url=/news/x-1?a=1&amp;b=&quot;2&quot;\">\
             <link rel=\"canonical\" href=\"/news/x-1?a=1&amp;b=&quot;2&quot;\"></head><body>\
             <p>This page has moved to <a href=\"/news/x-1?a=1&amp;b=&quot;2&quot;\">\
             /news/x-1?a=1&amp;b=&quot;2&quot;</a>.</p></body></html>\n"
        );
    }

    #[test]
    fn links_are_found_and_rewritten() {
        let base = "http://example.org";
        let html = br#"<a href="/news/x-1#top">x</a><img src="/images/1/640" srcset="/images/1/320 320w, /images/1/640 640w"><a href="https://other.org/">o</a><link href="http://example.org/feeds/news.rss">"#;
        let links = links_in("text/html", html, base);
        assert!(links.contains(&"/news/x-1".to_string()));
        assert!(links.contains(&"/images/1/320".to_string()));
        assert!(links.contains(&"/feeds/news.rss".to_string()));
        assert!(!links.iter().any(|l| l.contains("other")));
        let renamed = vec![("/images/1/640".to_string(), "/images/1/640.jpg".to_string())];
        let out = String::from_utf8(rewrite(b"a /images/1/640 640w, /images/1/6400 b", &renamed))
            .unwrap();
        assert_eq!(out, "a /images/1/640.jpg 640w, /images/1/6400 b");
        assert_eq!(internal_path("http://example.orgevil/x", base), None);
    }
}
