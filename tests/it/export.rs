//! `dateline export` and `dateline backup` through the real binary: the static site
//! has no broken internal link, a second export writes only what changed, ninjs
//! documents are written per story, and a backup is taken while the site serves.

use crate::helpers::TestApp;
use crate::import::dateline;
use scraper::{Html, Selector};
use std::path::Path;

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
                // The newsroom and the API stay on the live site, linked by full address.
                let live = ["/newsroom", "/api/"]
                    .iter()
                    .any(|x| link.starts_with(&format!("{BASE}{x}")));
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
    let app = TestApp::sqlite().await;
    dateline::demo::load(&app.store).await.unwrap();
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
    for story in &stories {
        let section = app.state.sections.by_id(story.section_id).unwrap();
        let page = format!("/news/{}/{}-{}", section.slug, story.slug, story.id);
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
    let files: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert_eq!(files.len(), 1);
    let path = files[0].as_ref().unwrap().path();
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(
        doc["headlines"][0]["value"],
        "Grain prices fall as harvest forecasts improve"
    );
    assert_eq!(doc["versioncreated"], "2009-03-20T11:02:00Z");
    let (_, again, _) = dateline(&app.database_url, &["export", "--ninjs", &dir]);
    assert!(again.contains("0 written, 1 unchanged"), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_copies_a_serving_database() {
    let app = TestApp::sqlite().await;
    dateline::demo::load(&app.store).await.unwrap();
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
