//! The static site and ninjs exports, written to a folder.
//!
//! The static export renders every address through the real router in-process, so
//! the files are exactly what the site serves. It starts from the home page, the
//! section fronts, feeds and sitemaps and follows every internal link, so whatever a
//! page links to is exported too. Page paths become `path/index.html`; a file whose
//! address has no extension (pictures) gets one from its content type, and the links
//! to it are rewritten. A manifest of content hashes (`.dateline-export.json`) makes a
//! second export write only what changed and remove what is gone: a story killed or
//! embargoed since takes its pages and pictures with it, and nothing else is touched.
//!
//! The ninjs export keeps a manifest too (`.dateline-ninjs.json`): a story that is no
//! longer public loses its `<id>.json`. Only files an export wrote are ever removed;
//! a folder exported before the manifest existed has its `<id>.json` files adopted
//! when their `uri` is the one this site gives story `<id>`.

mod links;

use anyhow::{Context, Result};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::path::Path;
use tower::ServiceExt;

use crate::web::{self, AppState};
use links::{
    extension_for, file_for, has_extension, internal_path, is_html, is_text, links_in,
    redirect_page, rewrite, to_live_site,
};

/// The manifest of a static export: each file's SHA-256.
pub const MANIFEST: &str = ".dateline-export.json";
/// The manifest of a ninjs export, in the same form.
pub const NINJS_MANIFEST: &str = ".dateline-ninjs.json";
/// Addresses never exported: the newsroom, reader accounts, the API and live
/// pages' event streams (which never end) are not static; links to them lead
/// to the live site.
const EXCLUDED: &[&str] = &["/newsroom", "/account", "/api/", "/live/"];

/// [`EXCLUDED`], and the account pages of every other edition (`/arabic/account`).
fn excluded(state: &AppState) -> Vec<String> {
    let mut all: Vec<String> = EXCLUDED.iter().map(|x| x.to_string()).collect();
    let editions = state.editions.all().iter().filter(|e| !e.is_root());
    all.extend(editions.map(|e| crate::web::paths::account(&e.prefix, "")));
    all
}

/// What an export did.
#[derive(Debug, Default)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Linked addresses that did not answer 200 or a redirect.
    pub broken: Vec<(String, u16)>,
}

/// One address as the router answered it.
struct Fetched {
    content_type: String,
    body: Vec<u8>,
}

/// Exports every public address reachable from the home page, fronts, feeds and sitemaps.
pub async fn export_static(state: &AppState, dir: &Path) -> Result<Report> {
    // Exported pages never carry the sponsor slot: a static copy could not count or end it.
    let router = web::router(state.clone().with_sponsors_off());
    let excluded = excluded(state);
    let mut queue: VecDeque<String> = ["/robots.txt", "/sitemap.xml"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for edition in state.editions.all() {
        queue.push_back(edition.home());
        queue.push_back(edition.path("/feeds/news.rss"));
        queue.push_back(edition.path("/feeds/news.atom"));
    }
    for section in state.sections.all() {
        queue.push_back(crate::web::paths::section(section));
        let (rss, atom) = crate::web::paths::feed_paths(&section.prefix, Some(section));
        queue.push_back(rss);
        queue.push_back(atom);
    }
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut fetched: BTreeMap<String, Fetched> = BTreeMap::new();
    let mut report = Report::default();
    let base = state.site.base_url.as_str();

    while let Some(path) = queue.pop_front() {
        let request = Request::get(&path)
            .body(Body::empty())
            .context("building a request")?;
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_string();
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
            .await
            .with_context(|| format!("reading {path}"))?
            .to_vec();
        let (content_type, body, links) = if status == StatusCode::OK {
            let links = links_in(&content_type, &body, base);
            (content_type, body, links)
        } else if status.is_redirection() {
            let Some(target) = location.as_deref().and_then(|l| internal_path(l, base)) else {
                report.broken.push((path, status.as_u16()));
                continue;
            };
            (
                "text/html; charset=utf-8".to_string(),
                redirect_page(&target)
                    .with_context(|| format!("the page redirecting {path} to {target}"))?
                    .into_bytes(),
                vec![target],
            )
        } else {
            report.broken.push((path, status.as_u16()));
            continue;
        };
        for link in links {
            if !excluded.iter().any(|x| link.starts_with(x.as_str())) && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
        fetched.insert(path, Fetched { content_type, body });
    }

    // Addresses without an extension that are not pages get one; links to them follow.
    let mut renamed: Vec<(String, String)> = Vec::new();
    for (path, page) in &fetched {
        if !is_html(&page.content_type) && !has_extension(path) {
            renamed.push((
                path.clone(),
                format!("{path}.{}", extension_for(&page.content_type)),
            ));
        }
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (path, page) in fetched {
        let target = renamed
            .iter()
            .find(|(from, _)| *from == path)
            .map(|(_, to)| to.clone())
            .unwrap_or_else(|| path.clone());
        let Some(file) = file_for(&target, is_html(&page.content_type)) else {
            continue;
        };
        let body = if is_text(&page.content_type) {
            to_live_site(&rewrite(&page.body, &renamed), base, &excluded)
        } else {
            page.body
        };
        files.insert(file, body);
    }
    write_incrementally(dir, &files, &mut report)?;
    Ok(report)
}

/// Writes files whose content differs from the last export, removes those no longer
/// exported, and saves the new manifest.
fn write_incrementally(
    dir: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    report: &mut Report,
) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest_path = dir.join(MANIFEST);
    let previous: BTreeMap<String, String> = std::fs::read(&manifest_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let mut manifest = BTreeMap::new();
    for (file, body) in files {
        let hash = hex(&Sha256::digest(body));
        let path = dir.join(file);
        if previous.get(file) == Some(&hash) && path.is_file() {
            report.unchanged += 1;
        } else {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&path, body)
                .with_context(|| format!("cannot write {}", path.display()))?;
            report.written += 1;
        }
        manifest.insert(file.clone(), hash);
    }
    report.removed += remove_stale(dir, &previous, &manifest);
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&manifest)?)
        .with_context(|| format!("cannot write {}", manifest_path.display()))?;
    Ok(())
}

/// Removes the files of the `previous` manifest that the new one lacks, and the
/// folders that leaves empty (never `dir` itself, never a folder holding anything
/// else); returns how many files went.
fn remove_stale(
    dir: &Path,
    previous: &BTreeMap<String, String>,
    current: &BTreeMap<String, String>,
) -> usize {
    let mut removed = 0;
    for file in previous.keys().filter(|f| !current.contains_key(*f)) {
        // A manifest is a file on disk: never follow one out of the folder.
        if file_for(&format!("/{file}"), false).as_deref() != Some(file.as_str()) {
            continue;
        }
        let path = dir.join(file);
        if std::fs::remove_file(&path).is_err() {
            continue;
        }
        removed += 1;
        let mut folder = path.parent();
        while let Some(f) = folder.filter(|f| *f != dir && f.starts_with(dir)) {
            if std::fs::remove_dir(f).is_err() {
                break;
            }
            folder = f.parent();
        }
    }
    removed
}

/// Writes `<id>.json` for every public story, rewriting only documents that
/// changed, and removes those of stories no longer public.
pub async fn export_ninjs(state: &AppState, dir: &Path) -> Result<Report> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest_path = dir.join(NINJS_MANIFEST);
    let previous = match std::fs::read(&manifest_path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
        Err(_) => earlier_ninjs_files(dir, &state.site.base_url),
    };
    let now = state.now();
    let mut report = Report::default();
    let mut manifest = BTreeMap::new();
    let mut after = 0;
    loop {
        let rows = state.store.public_stories_after(after, 500, now).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in rows {
            let Some(story) = state.store.story(row.id).await? else {
                continue;
            };
            let doc = web::ninjs_document(state, &story).await?;
            let mut bytes = serde_json::to_vec_pretty(&doc)?;
            bytes.push(b'\n');
            let file = ninjs_file(story.id);
            let path = dir.join(&file);
            if std::fs::read(&path).ok().as_deref() == Some(bytes.as_slice()) {
                report.unchanged += 1;
            } else {
                std::fs::write(&path, &bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                report.written += 1;
            }
            manifest.insert(file, hex(&Sha256::digest(&bytes)));
        }
    }
    report.removed = remove_stale(dir, &previous, &manifest);
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&manifest)?)
        .with_context(|| format!("cannot write {}", manifest_path.display()))?;
    Ok(report)
}

fn ninjs_file(id: i64) -> String {
    format!("{id}.json")
}

/// The documents a ninjs export wrote before it kept a manifest: `<id>.json` files
/// whose `uri` is the one this site gives story `<id>`. Anything else is not ours.
fn earlier_ninjs_files(dir: &Path, base_url: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = name
            .strip_suffix(".json")
            .and_then(|stem| stem.parse::<i64>().ok())
        else {
            continue;
        };
        if name != ninjs_file(id) {
            continue;
        }
        let uri = std::fs::read(entry.path())
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .and_then(|doc| doc.get("uri").and_then(|u| u.as_str()).map(str::to_string));
        if uri.as_deref() == Some(crate::web::ninjs_uri(base_url, id).as_str()) {
            found.insert(name, String::new());
        }
    }
    found
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
