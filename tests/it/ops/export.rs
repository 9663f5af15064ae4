//! `dateline export` and `dateline backup` through the real binary: the static site
//! has no broken internal link, a second export writes only what changed, ninjs
//! documents are written per story, a story killed or embargoed since the last
//! export loses its files and nothing else is rewritten, and a backup is taken
//! while the site serves.

use super::import::dateline;
use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use crate::staff::{borrow, story_fields};
use dateline::domain::slug::slugify;
use dateline::domain::user::Role;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

const BASE: &str = "https://news.example.org";

/// The file a static web server would answer for `path`, if any.
fn served(root: &Path, path: &str) -> Option<std::path::PathBuf> {
    let relative = path.trim_start_matches('/');
    let file = root.join(relative);
    if file.is_file() {
        return Some(file);
    }
    let index = file.join("index.html");
    index.is_file().then_some(index)
}

/// Every internal link in every exported file, with the file it was found in.
fn internal_links(root: &Path) -> Vec<(String, String)> {
    let mut links = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    let selector = Selector::parse("[href], [src], [srcset]").unwrap();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let name = path.strip_prefix(root).unwrap().display().to_string();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let mut found: Vec<String> = Vec::new();
            if name.ends_with(".html") {
                let doc = Html::parse_document(&text);
                for el in doc.select(&selector) {
                    let v = el.value();
                    found.extend(
                        v.attr("href")
                            .into_iter()
                            .chain(v.attr("src"))
                            .map(String::from),
                    );
                    if let Some(set) = v.attr("srcset") {
                        found.extend(
                            set.split(',')
                                .filter_map(|c| c.split_whitespace().next())
                                .map(String::from),
                        );
                    }
                }
            }
            // Feeds, sitemaps and robots.txt name pages by their full address.
            let mut rest = text.as_str();
            while let Some(at) = rest.find(BASE) {
                let tail = &rest[at + BASE.len()..];
                let end = tail
                    .find(|c: char| c.is_whitespace() || "<>\"'".contains(c))
                    .unwrap_or(tail.len());
                found.push(format!("{BASE}{}", &tail[..end]));
                rest = tail;
            }
            for link in found {
                // The newsroom, reader accounts, the API and live pages' streams stay on
                // the live site, linked by full address.
                let live = ["/newsroom", "/account", "/api/", "/live/"]
                    .iter()
                    .any(|x| link.starts_with(&format!("{BASE}{x}")));
                // So do the other editions' account pages (`/arabic/account…`).
                let live = live
                    || link
                        .strip_prefix(BASE)
                        .is_some_and(|p| p.split('/').nth(2) == Some("account"));
                if live {
                    continue;
                }
                let link = link.strip_prefix(BASE).map(String::from).unwrap_or(link);
                if link.starts_with('/') && !link.starts_with("//") {
                    let path = link.split(['#', '?']).next().unwrap().to_string();
                    links.push((name.clone(), path));
                }
            }
        }
    }
    links
}

fn counts(stdout: &str) -> (usize, usize) {
    let number = |word: &str| -> usize {
        let before = stdout.split(word).next().unwrap();
        before.split_whitespace().last().unwrap().parse().unwrap()
    };
    (number(" files written"), number(" unchanged"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_export_has_every_page_and_no_broken_link() {
    let app = TestApp::sqlite_demo().await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("site");
    let dir_arg = dir.display().to_string();
    let args = ["--base-url", BASE, "export", "--static", &dir_arg];
    let (code, stdout, stderr) = dateline(&app.database_url, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let (written, unchanged) = counts(&stdout);
    assert!(written > 100, "{stdout}");
    assert_eq!(unchanged, 0);

    let links = internal_links(&dir);
    assert!(links.len() > 1000, "only {} links", links.len());
    let broken: Vec<_> = links
        .iter()
        .filter(|(_, path)| served(&dir, path).is_none())
        .collect();
    assert!(
        broken.is_empty(),
        "broken links: {:?}",
        &broken[..broken.len().min(10)]
    );

    // Every public story, its print view, its pictures at every width, the fronts and feeds.
    let now = app.clock.now();
    let stories = app.store.public_stories_after(0, 1000, now).await.unwrap();
    assert!(stories.len() >= 18);
    // The demo added its editions' sections after the app started: read them afresh.
    let sections = dateline::domain::section::SectionTree::new(app.store.sections().await.unwrap());
    for story in &stories {
        let section = sections.by_id(story.section_id).unwrap();
        let page = format!(
            "{}/news/{}/{}-{}",
            section.prefix, section.slug, story.slug, story.id
        );
        assert!(served(&dir, &page).is_some(), "{page}");
        assert!(
            served(&dir, &format!("{page}/print")).is_some(),
            "{page}/print"
        );
        let full = app.store.story(story.id).await.unwrap().unwrap();
        if let Some(image) = full.content.lead_image {
            for width in [320, 640] {
                let file = format!("/images/{}/{width}.jpg", image.image_id);
                assert!(served(&dir, &file).is_some(), "{file}");
            }
        }
    }
    for path in [
        "/",
        "/arabic",
        "/russian/news/world",
        "/arabic/feeds/news.rss",
        "/news/europe",
        "/feeds/news.rss",
        "/feeds/europe.atom",
        "/sitemap.xml",
        "/robots.txt",
        "/sitemaps/news.xml",
    ] {
        assert!(served(&dir, path).is_some(), "{path}");
    }
    let home = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(home.contains(".css"), "the stylesheet is linked");
    assert!(
        !home.contains("href=\"/newsroom"),
        "the newsroom is on the live site"
    );
    assert!(
        !home.contains("href=\"/account") && home.contains("/account/sign-in\""),
        "reader accounts are on the live site"
    );

    // A second export writes nothing; a new story writes only what shows it.
    let (code, again, _) = dateline(&app.database_url, &args);
    assert_eq!(code, 0);
    assert_eq!(counts(&again), (0, written), "{again}");
    let page = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/river_survey.txt");
    let (code, _, _) = dateline(
        &app.database_url,
        &["import", "--section", "uk", &page.display().to_string()],
    );
    assert_eq!(code, 0);
    let (_, third, _) = dateline(&app.database_url, &args);
    let (written3, unchanged3) = counts(&third);
    assert!(written3 > 3 && written3 < written / 4, "{third}");
    assert!(unchanged3 > written / 2, "{third}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ninjs_export_writes_one_document_per_story() {
    let app = TestApp::sqlite().await;
    let page = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/grain_prices.txt");
    let (code, _, _) = dateline(
        &app.database_url,
        &[
            "import",
            "--section",
            "business",
            &page.display().to_string(),
        ],
    );
    assert_eq!(code, 0);
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().display().to_string();
    let (code, stdout, stderr) = dateline(&app.database_url, &["export", "--ninjs", &dir]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 written, 0 unchanged"), "{stdout}");
    // The document, and the manifest the next export reads.
    let files: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert_eq!(files.len(), 1);
    let path = &files[0];
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(
        doc["headlines"][0]["value"],
        "Grain prices fall as harvest forecasts improve"
    );
    assert_eq!(doc["versioncreated"], "2009-03-20T11:02:00Z");
    let (_, again, _) = dateline(&app.database_url, &["export", "--ninjs", &dir]);
    assert!(
        again.contains("0 written, 1 unchanged, 0 removed"),
        "{again}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_copies_a_serving_database() {
    let app = TestApp::sqlite_demo().await;
    let (status, _) = app.page("/").await;
    assert_eq!(status, 200, "the site is serving");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("copy.db");
    let file_arg = file.display().to_string();
    let (code, stdout, stderr) = dateline(&app.database_url, &["backup", &file_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("backed up the database"), "{stdout}");

    let copy = dateline::store::Store::connect(&format!("sqlite://{file_arg}"))
        .await
        .unwrap();
    assert_eq!(
        copy.story_count().await.unwrap(),
        app.store.story_count().await.unwrap()
    );
    copy.close().await;

    let (code, _, stderr) = dateline(&app.database_url, &["backup", &file_arg]);
    assert_eq!(code, 1);
    assert!(stderr.contains("already exists; pass --force"), "{stderr}");
    let (code, _, stderr) = dateline(&app.database_url, &["backup", "--force", &file_arg]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = dateline("postgres://nobody@127.0.0.1:1/none", &["backup", &file_arg]);
    assert_eq!(code, 1);
    assert!(stderr.contains("pg_dump"), "{stderr}");
}

/// Every file under `root` (relative path) with its bytes and modification time.
fn snapshot(root: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let name = path.strip_prefix(root).unwrap().display().to_string();
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            files.insert(name, (std::fs::read(&path).unwrap(), modified));
        }
    }
    files
}

/// A story that stops being public between two exports.
struct Withdrawn {
    id: i64,
    headline: &'static str,
    image: i64,
}

impl Withdrawn {
    /// Whether an exported file shows or links to this story.
    fn shown_in(&self, bytes: &[u8]) -> bool {
        let text = String::from_utf8_lossy(bytes);
        text.contains(self.headline)
            || text.contains(&format!("{}-{}", slugify(self.headline), self.id))
            || ["/", "\"", "<"]
                .iter()
                .any(|end| text.contains(&format!("/news/{}{end}", self.id)))
            || text.contains(&format!("/images/{}/", self.image))
    }

    /// Whether an exported file is one of this story's own: its pages, its pictures, its ninjs.
    fn owns(&self, file: &str) -> bool {
        file.contains(&format!("-{}/", self.id))
            || file.starts_with(&format!("news/{}/", self.id))
            || file.starts_with(&format!("images/{}/", self.image))
            || file == format!("{}.json", self.id)
    }
}

async fn exports_remove_stories_no_longer_public_and_touch_nothing_else(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let published = at("2026-01-01T00:00:00Z");
    let mut withdrawn = Vec::new();
    for (section, headline) in [
        ("europe", "Minister resigns over leak"),
        ("uk", "Harbour deal signed early"),
    ] {
        let image = app.add_image(800, 450).await;
        let id = app
            .publish(
                &full_story(app.section_id(section), Some(image), headline),
                published,
            )
            .await;
        withdrawn.push(Withdrawn {
            id,
            headline,
            image,
        });
    }
    let mut kept = Vec::new();
    for (section, headline) in [
        ("business", "Markets steady"),
        ("europe", "Rail strike ends"),
        ("africa", "Rains return to the valley"),
    ] {
        let image = app.add_image(800, 450).await;
        let mut story = full_story(app.section_id(section), Some(image), headline);
        if headline == "Rail strike ends" {
            story.related = vec![withdrawn[0].id];
        }
        kept.push(app.publish(&story, published + 60).await);
    }

    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let ninjs = out.path().join("ninjs");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::create_dir_all(&ninjs).unwrap();
    // Files the exports did not write stay, whatever their names.
    std::fs::write(site.join("notes.txt"), "kept by hand").unwrap();
    std::fs::write(ninjs.join("readme.json"), "{}").unwrap();
    let foreign = format!("{}.json", withdrawn[0].id + 1000);
    std::fs::write(ninjs.join(&foreign), "{\"uri\": \"elsewhere\"}").unwrap();
    let (site_arg, ninjs_arg) = (site.display().to_string(), ninjs.display().to_string());
    let args = [
        "--base-url",
        BASE,
        "export",
        "--static",
        &site_arg,
        "--ninjs",
        &ninjs_arg,
    ];
    let (code, stdout, stderr) = dateline(&app.database_url, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("5 written, 0 unchanged, 0 removed"),
        "{stdout}"
    );
    let (site_before, ninjs_before) = (snapshot(&site), snapshot(&ninjs));
    for story in &withdrawn {
        assert!(
            site_before.keys().filter(|f| story.owns(f)).count() >= 5,
            "{} exported with its print view, history and pictures",
            story.headline
        );
        assert!(ninjs_before.contains_key(&format!("{}.json", story.id)));
    }

    // One story killed, one published story put under embargo, both through the newsroom.
    let killed = &withdrawn[0];
    let response = editor
        .post(
            &app,
            &format!("/newsroom/stories/{}/kill", killed.id),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let embargoed = &withdrawn[1];
    let (_, form) = editor
        .get(&app, &format!("/newsroom/stories/{}", embargoed.id))
        .await;
    let base = form
        .split("name=\"base_revision\" value=\"")
        .nth(1)
        .unwrap();
    let base = base.split('"').next().unwrap().to_string();
    let until = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(48))
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let mut fields = story_fields(app.section_id("uk"), embargoed.headline, "save");
    fields.extend([
        ("base_revision", base),
        ("slug", slugify(embargoed.headline)),
        ("embargo", until),
    ]);
    let response = editor
        .post_story(
            &app,
            &format!("/newsroom/stories/{}", embargoed.id),
            &borrow(&fields),
            None,
        )
        .await;
    assert_eq!(response.status(), 303);
    let now = jiff::Timestamp::now().as_second();
    for story in &withdrawn {
        let row = app.store.story(story.id).await.unwrap().unwrap();
        assert!(
            !row.is_public(now),
            "{} is no longer public",
            story.headline
        );
    }

    let (code, stdout, stderr) = dateline(&app.database_url, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("0 written, 3 unchanged, 2 removed"),
        "the ninjs export: {stdout}"
    );
    let (site_after, ninjs_after) = (snapshot(&site), snapshot(&ninjs));

    for (name, before, after) in [
        ("static", &site_before, &site_after),
        ("ninjs", &ninjs_before, &ninjs_after),
    ] {
        let (mut unchanged, mut rewritten) = (0, 0);
        for (file, (bytes, modified)) in before {
            if withdrawn.iter().any(|s| s.owns(file)) {
                assert!(!after.contains_key(file), "{name}: {file} was removed");
                continue;
            }
            let (new_bytes, new_modified) = after
                .get(file)
                .unwrap_or_else(|| panic!("{name}: {file} was removed"));
            if file.starts_with(".dateline-") {
                continue;
            }
            let showed = withdrawn.iter().any(|s| s.shown_in(bytes));
            if showed {
                // A front, feed, sitemap or related box that listed them: rewritten without them.
                assert!(
                    !withdrawn.iter().any(|s| s.shown_in(new_bytes)),
                    "{name}: {file} still shows a withdrawn story"
                );
                rewritten += 1;
            } else {
                assert!(
                    new_bytes == bytes,
                    "{name}: {file} changed though it showed neither story"
                );
                assert_eq!(
                    new_modified, modified,
                    "{name}: {file} was rewritten though unchanged"
                );
                unchanged += 1;
            }
        }
        assert!(
            after.keys().all(|f| before.contains_key(f)),
            "{name}: no file appeared"
        );
        assert!(unchanged > 0, "{name}: every file changed");
        if name == "static" {
            assert!(
                site_before["index.html"] != site_after["index.html"] && rewritten > 5,
                "the fronts, feeds and sitemaps that listed them were rewritten ({rewritten})"
            );
        }
    }
    for id in &kept {
        let file = format!("{id}.json");
        assert_eq!(ninjs_after[&file], ninjs_before[&file], "{file} untouched");
    }
    assert!(site_after.contains_key("notes.txt"));
    assert!(ninjs_after.contains_key("readme.json") && ninjs_after.contains_key(&foreign));
    // Nothing is left of them: no empty folders either.
    for story in &withdrawn {
        let folder = site
            .join("news")
            .join(if story.id == killed.id {
                "europe"
            } else {
                "uk"
            })
            .join(format!("{}-{}", slugify(story.headline), story.id));
        assert!(!folder.exists(), "{} left behind", folder.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ninjs_folder_exported_before_manifests_loses_only_its_own_stale_documents() {
    let app = TestApp::sqlite().await;
    let keep = app
        .publish(
            &full_story(app.section_id("europe"), None, "Still here"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().display().to_string();
    let args = ["--base-url", BASE, "export", "--ninjs", &dir];
    // As an older export left it: a document of a story since killed, no manifest.
    let gone = keep + 1;
    let stale = format!("{{\"uri\": \"{BASE}/news/{gone}\"}}\n");
    std::fs::write(out.path().join(format!("{gone}.json")), &stale).unwrap();
    let other = format!(
        "{{\"uri\": \"https://elsewhere.example/news/{}\"}}\n",
        gone + 1
    );
    std::fs::write(out.path().join(format!("{}.json", gone + 1)), &other).unwrap();
    let (code, stdout, stderr) = dateline(&app.database_url, &args);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("1 written, 0 unchanged, 1 removed"),
        "{stdout}"
    );
    assert!(!out.path().join(format!("{gone}.json")).exists());
    assert_eq!(
        std::fs::read_to_string(out.path().join(format!("{}.json", gone + 1))).unwrap(),
        other
    );
}

on_both_databases!(exports_remove_stories_no_longer_public_and_touch_nothing_else);
