//! `dateline import` through the real binary, checked through the real router: fixture
//! pages in `tests/fixtures/import/` come back with the same text, headline and time stamp.

use crate::helpers::TestApp;
use crate::on_both_databases;
use dateline::domain::timefmt;
use dateline::import::{self, Block};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Runs `dateline --database URL ARGS…`; returns (exit code, stdout, stderr).
pub fn dateline(database_url: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .envs(crate::helpers::media_env(database_url))
        .env_remove("DATELINE_CONFIG")
        .env("DATELINE_LOG", "warn")
        .arg("--database")
        .arg(database_url)
        .args(args)
        .output()
        .expect("run dateline");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The report line for `file`, which names the story's address last.
fn line_for<'a>(stdout: &'a str, file: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.contains(file))
        .unwrap_or_else(|| panic!("no report line for {file} in {stdout}"))
}

fn address(line: &str) -> String {
    line.split_whitespace()
        .find(|w| w.starts_with("/news/"))
        .unwrap_or_else(|| panic!("no address in {line}"))
        .to_string()
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn imported_round_trip(app: TestApp) {
    let names = [
        "harbour_strike.txt",
        "river_survey.txt",
        "grain_prices.txt",
        "observatory.html",
    ];
    let paths: Vec<String> = names
        .iter()
        .map(|n| fixture(n).display().to_string())
        .collect();
    let mut args = vec!["import", "--section", "europe"];
    args.extend(paths.iter().map(String::as_str));
    let (code, stdout, stderr) = dateline(&app.database_url, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("4 imported, 0 updated, 0 skipped, 0 failed"),
        "{stdout}"
    );
    let dock = line_for(&stdout, "harbour_strike.txt");
    assert!(dock.starts_with("imported"), "{dock}");
    assert!(
        dock.contains("8 paragraphs, 2 crossheads, 10 chrome lines dropped"),
        "{dock}"
    );
    assert!(dock.contains("2009-07-14T08:30:00Z"), "{dock}");

    for name in names {
        let source = std::fs::read_to_string(fixture(name)).unwrap();
        let article = import::parse(source.as_bytes(), name.ends_with(".html")).unwrap();
        let (status, page) = app.page(&address(line_for(&stdout, name))).await;
        assert_eq!(status, 200, "{name}");
        let doc = Html::parse_document(&page);
        let h1 = Selector::parse("h1").unwrap();
        let headline: Vec<String> = doc
            .select(&h1)
            .map(|e| words(&e.text().collect::<String>()))
            .collect();
        assert!(headline.contains(&article.headline), "{name}: {headline:?}");
        let text = words(&doc.root_element().text().collect::<String>());
        let stamp = timefmt::long_stamp(article.last_updated, &app.state.site.time_zone);
        assert!(
            text.contains(&format!("Page last updated at {stamp}")),
            "{name}: no {stamp}"
        );
        for block in &article.blocks {
            let (Block::Paragraph(t) | Block::Crosshead(t) | Block::Quote(t)) = block;
            assert!(text.contains(t.as_str()), "{name}: lost {t:?}");
            if !name.ends_with(".html") {
                assert!(
                    source.lines().any(|l| l.trim() == t),
                    "{name}: changed {t:?}"
                );
            }
        }
        let crossheads = Selector::parse("h2.crosshead").unwrap();
        assert_eq!(
            doc.select(&crossheads).count(),
            article.crosshead_count(),
            "{name}"
        );
        // The picture is missing: no broken <img>, and its words are kept for the newsroom.
        assert!(
            !page.contains("<img"),
            "{name}: an <img> for a missing picture"
        );
        let id: i64 = address(line_for(&stdout, name))
            .rsplit('-')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let record = app.store.import_of(id).await.unwrap().unwrap();
        assert_eq!(
            record.missing_image_alt,
            article.image.as_ref().map(|i| i.alt.clone())
        );
        let story = app.store.story(id).await.unwrap().unwrap();
        assert_eq!(
            story.last_updated_at,
            Some(article.last_updated.as_second())
        );
        assert_eq!(
            story.first_published_at,
            Some(article.first_published.as_second())
        );
        assert_eq!(story.content.lead_image, None);
    }
}

async fn reimport_updates_the_same_story(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("dock.txt");
    let original = std::fs::read_to_string(fixture("harbour_strike.txt")).unwrap();
    std::fs::write(&copy, &original).unwrap();
    let copy_arg = copy.display().to_string();
    let args = ["import", "--section", "europe", copy_arg.as_str()];

    let (code, first, _) = dateline(&app.database_url, &args);
    assert_eq!(code, 0, "{first}");
    let url = address(line_for(&first, "dock.txt"));
    let (_, again, _) = dateline(&app.database_url, &args);
    assert!(
        line_for(&again, "dock.txt").starts_with("skipped"),
        "{again}"
    );

    let edited = original.replace("at least a fortnight", "about ten days");
    std::fs::write(&copy, edited).unwrap();
    let (code, updated, _) = dateline(&app.database_url, &args);
    assert_eq!(code, 0, "{updated}");
    let line = line_for(&updated, "dock.txt");
    assert!(line.starts_with("updated"), "{line}");
    assert_eq!(address(line), url, "same story, same address");
    let (_, page) = app.page(&url).await;
    assert!(page.contains("about ten days"));
    assert!(!page.contains("at least a fortnight"));

    // The same page from another folder is found by its headline and time stamp.
    let moved = dir.path().join("moved.txt");
    std::fs::copy(&copy, &moved).unwrap();
    let moved_arg = moved.display().to_string();
    let (_, moved_out, _) = dateline(
        &app.database_url,
        &["import", "--section", "europe", &moved_arg],
    );
    assert!(
        line_for(&moved_out, "moved.txt").starts_with("skipped"),
        "{moved_out}"
    );
    assert_eq!(app.store.story_count().await.unwrap(), 1);
}

on_both_databases!(imported_round_trip, reimport_updates_the_same_story);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_are_reported_and_the_batch_goes_on() {
    let app = TestApp::sqlite().await;
    let missing = fixture("no_such_page.txt").display().to_string();
    let files = [
        fixture("no_stamp.txt").display().to_string(),
        fixture("not_a_page.txt").display().to_string(),
        missing,
        fixture("river_survey.txt").display().to_string(),
    ];
    let mut args = vec!["import", "--section", "uk"];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = dateline(&app.database_url, &args);
    assert_eq!(code, 1, "{stdout}");
    assert!(line_for(&stdout, "no_stamp.txt").contains("failed   "));
    assert!(line_for(&stdout, "no_stamp.txt").contains("no time stamp found"));
    assert!(line_for(&stdout, "not_a_page.txt").contains("binary"));
    assert!(line_for(&stdout, "no_such_page.txt").contains("no such file"));
    assert!(line_for(&stdout, "river_survey.txt").starts_with("imported"));
    assert!(
        stdout.contains("1 imported, 0 updated, 0 skipped, 3 failed"),
        "{stdout}"
    );
    assert!(
        stderr.contains("dateline: error: 3 of 4 files could not be imported"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));

    let (code, _, stderr) = dateline(
        &app.database_url,
        &["import", "--section", "atlantis", &files[3]],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown section “atlantis”"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn section_from_the_page_and_dry_run() {
    let app = TestApp::sqlite().await;
    let html = fixture("observatory.html").display().to_string();
    let text = fixture("river_survey.txt").display().to_string();
    let dir = fixture("").display().to_string();
    let (code, stdout, _) = dateline(&app.database_url, &["import", "--dry-run", &dir]);
    assert_eq!(code, 1, "bad fixtures fail: {stdout}");
    assert!(
        stdout.contains("(dry run: nothing was written)"),
        "{stdout}"
    );
    assert!(line_for(&stdout, "observatory.html").starts_with("imported"));
    assert!(line_for(&stdout, "river_survey.txt").contains("the page names no section"));
    assert_eq!(
        app.store.story_count().await.unwrap(),
        0,
        "a dry run writes nothing"
    );

    let (code, stdout, _) = dateline(&app.database_url, &["import", &html]);
    assert_eq!(code, 0, "{stdout}");
    let url = address(line_for(&stdout, "observatory.html"));
    assert!(url.starts_with("/news/science/"), "{url}");
    let (code, stdout, _) = dateline(&app.database_url, &["import", "--section", "health", &text]);
    assert_eq!(code, 0, "{stdout}");
    assert!(address(line_for(&stdout, "river_survey.txt")).starts_with("/news/health/"));
}

/// A running server shows imported stories without a restart: the import writes to the
/// invalidation log every node follows. SIGHUP drops every cached page and record as
/// well: a change made in the database behind the server's back (no log entry) is
/// served stale from the cache until then, and fresh after it.
#[cfg(unix)]
#[test]
fn a_running_server_shows_imports() {
    let dir = tempfile::tempdir().unwrap();
    let (server, url) = super::cli::start_server(&["--bind", "127.0.0.1:0"], dir.path());
    let database = format!("sqlite://{}", dir.path().join("dateline.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let get = |path: &str| {
        runtime.block_on(async {
            let response = reqwest::get(format!("{url}{path}")).await.unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        })
    };
    let sitemap = || get("/sitemaps/stories-1.xml").1;
    let shows = |slug: &str| {
        (0..50).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            sitemap().contains(slug)
        })
    };
    assert!(!sitemap().contains("survey-finds-otters"));
    let page = fixture("river_survey.txt").display().to_string();
    let (code, stdout, _) = dateline(&database, &["import", "--section", "uk", &page]);
    assert_eq!(code, 0, "{stdout}");
    assert!(shows("survey-finds-otters"), "shown after the import");

    // The imported article, cached: the second request is a hit.
    let article = line_for(&stdout, "river_survey.txt")
        .split_whitespace()
        .last()
        .expect("the story's address")
        .to_string();
    let id: i64 = article
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no story id in {article}"));
    let hits = || {
        get("/metrics")
            .1
            .lines()
            .find_map(|l| l.strip_prefix("dateline_page_cache_hits_total "))
            .and_then(|n| n.trim().parse::<u64>().ok())
            .expect("the page cache's hit counter")
    };
    let (status, first) = get(&article);
    assert_eq!(status, 200, "{article}");
    let before = hits();
    assert_eq!(get(&article).1, first);
    assert_eq!(hits(), before + 1, "the article is served from the cache");

    // A headline changed in the database with no invalidation logged: still cached.
    let changed = "Otter numbers revised outside the server";
    runtime.block_on(async {
        let store = dateline::store::Store::connect(&database).await.unwrap();
        let dateline::store::Store::Sqlite(pool, _) = &store else {
            unreachable!("a SQLite URL")
        };
        let logged =
            || sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM invalidations").fetch_one(pool);
        let logged_before = logged().await.unwrap();
        let updated = sqlx::query("UPDATE stories SET headline = $1 WHERE id = $2")
            .bind(changed)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
        assert_eq!(updated.rows_affected(), 1);
        assert_eq!(
            logged().await.unwrap(),
            logged_before,
            "the change logged no invalidation"
        );
        store.close().await;
    });
    let (_, stale) = get(&article);
    assert!(
        !stale.contains(changed) && stale == first,
        "the cached article before SIGHUP"
    );

    let status = Command::new("kill")
        .args(["-HUP", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // The signal is handled asynchronously: wait (up to 5 s) for the fresh page.
    let fresh = (0..100).any(|_| {
        if get(&article).1.contains(changed) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        false
    });
    assert!(
        fresh,
        "SIGHUP did not empty the caches: {article} still shows the old headline"
    );
    assert!(shows("survey-finds-otters"), "still serving after SIGHUP");
}
