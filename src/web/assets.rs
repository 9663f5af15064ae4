//! The stylesheets and scripts, each served under a name that changes with its
//! content so it can be cached for a year: the site's stylesheet, the live
//! pages' script, and the newsroom's script and stylesheet (built from
//! `frontend/` into `static/`, see frontend/build.mjs).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

use super::AppState;

const STYLESHEET: &str = include_str!("../../static/site.css");

/// `/static/site.<hash>.css`
pub static STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/static/site.{}.css", short_hash(STYLESHEET)));

const LIVE_SCRIPT: &str = include_str!("../../static/live.js");

/// `/static/live.<hash>.js`: the live pages' one script.
pub static LIVE_SCRIPT_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/static/live.{}.js", short_hash(LIVE_SCRIPT)));

const NEWSROOM_SCRIPT: &str = include_str!("../../static/newsroom.js");

/// `/static/newsroom.<hash>.js`: the newsroom's script, bundled from `frontend/src`.
pub static NEWSROOM_SCRIPT_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/static/newsroom.{}.js", short_hash(NEWSROOM_SCRIPT)));

const NEWSROOM_STYLESHEET: &str = include_str!("../../static/newsroom.css");

/// `/static/newsroom.<hash>.css`: what only the newsroom's pages need.
pub static NEWSROOM_STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/static/newsroom.{}.css", short_hash(NEWSROOM_STYLESHEET)));

fn short_hash(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(STYLESHEET_PATH.as_str(), get(stylesheet))
        .route(
            LIVE_SCRIPT_PATH.as_str(),
            get(|| async { immutable(SCRIPT, LIVE_SCRIPT) }),
        )
        .route(
            NEWSROOM_SCRIPT_PATH.as_str(),
            get(|| async { immutable(SCRIPT, NEWSROOM_SCRIPT) }),
        )
        .route(
            NEWSROOM_STYLESHEET_PATH.as_str(),
            get(|| async { immutable(CSS, NEWSROOM_STYLESHEET) }),
        )
}

const SCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// A file whose address changes with its content: cached for a year.
fn immutable(content_type: &'static str, body: &'static str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

async fn stylesheet() -> Response {
    immutable(CSS, STYLESHEET)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn gzipped(text: &str) -> usize {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap().len()
    }

    /// Issue 18's budget: everything a newsroom page loads, script and styles
    /// together, under 150 KB as sent compressed.
    #[test]
    fn the_newsroom_loads_under_150_kb_compressed() {
        let total = gzipped(NEWSROOM_SCRIPT) + gzipped(STYLESHEET) + gzipped(NEWSROOM_STYLESHEET);
        assert!(
            total < 150 * 1024,
            "the newsroom's script and styles are {total} bytes compressed"
        );
    }

    #[test]
    fn each_file_is_named_by_its_content() {
        for (path, body) in [
            (NEWSROOM_SCRIPT_PATH.as_str(), NEWSROOM_SCRIPT),
            (NEWSROOM_STYLESHEET_PATH.as_str(), NEWSROOM_STYLESHEET),
            (LIVE_SCRIPT_PATH.as_str(), LIVE_SCRIPT),
        ] {
            assert!(path.contains(&short_hash(body)), "{path}");
        }
        assert_ne!(short_hash(NEWSROOM_SCRIPT), short_hash(LIVE_SCRIPT));
    }
}
