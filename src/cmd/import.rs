//! `dateline import PATH…`: legacy article pages become published stories with
//! their original time stamps. Every file gets one line in the report; a bad file
//! is reported with the reason and the batch goes on.

use anyhow::{anyhow, bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

use crate::cli::ImportArgs;
use crate::config::Settings;
use crate::domain::section::Section;
use crate::domain::section::SectionTree;
use crate::domain::slug::slugify;
use crate::domain::story::Status;
use crate::domain::text::quoted;
use crate::domain::timefmt;
use crate::editorial::{Editorial, ImportedPage, NoLocalCopies};
use crate::import::{self, Article};
use crate::store::{ImportRecord, OwnTimes, Store};
/// File name endings read when a directory is given.
const PAGE_EXTENSIONS: &[&str] = &["txt", "text", "htm", "html", "xhtml"];
/// Runs with more files than this show a progress bar (on a terminal).
const PROGRESS_FROM: usize = 10;

/// What happened to one file.
enum Outcome {
    Imported,
    Updated,
    Skipped(&'static str),
    Failed(String),
}

pub async fn run(settings: Settings, args: ImportArgs) -> Result<()> {
    let store = super::open_store(&settings).await?;
    let pictures = super::pictures(&settings)?;
    let sections = store.sections().await?;
    let tree = SectionTree::new(sections.clone());
    let flag_section = match &args.section {
        Some(name) => Some(find_section(&sections, name).ok_or_else(|| {
            anyhow!(
                "unknown section {}: use one of {}",
                quoted(name),
                sections
                    .iter()
                    .map(|s| s.slug.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?),
        None => None,
    };
    let files = collect_files(&args.paths);
    let progress = if files.len() > PROGRESS_FROM {
        ProgressBar::new(files.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let importer = Importer {
        store: &store,
        editorial: Editorial {
            store: &store,
            pictures: &pictures,
            // The nodes serving the site drop their copies when they read the log.
            copies: &NoLocalCopies,
            time_zone: &settings.site.time_zone,
            sections: &tree,
        },
        sections: &sections,
        flag_section,
        dry_run: args.dry_run,
        now: jiff::Timestamp::now().as_second(),
    };
    let mut counts = [0usize; 4];
    for file in &files {
        let (outcome, detail) = match file {
            Ok(path) => importer.import(path).await,
            Err(reason) => (Outcome::Failed(reason.clone()), String::new()),
        };
        let path = match file {
            Ok(path) => path.display().to_string(),
            Err(_) => String::new(),
        };
        let (word, index, rest) = match &outcome {
            Outcome::Imported => ("imported", 0, detail),
            Outcome::Updated => ("updated", 1, detail),
            Outcome::Skipped(why) => ("skipped", 2, format!("{detail}  ({why})")),
            Outcome::Failed(why) => ("failed", 3, why.clone()),
        };
        counts[index] += 1;
        let line = if path.is_empty() {
            format!("{word:<9}{rest}")
        } else {
            format!("{word:<9}{path}  {rest}")
        };
        progress.suspend(|| println!("{line}"));
        progress.inc(1);
    }
    progress.finish_and_clear();
    println!(
        "{} imported, {} updated, {} skipped, {} failed{}",
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        if args.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    );
    if !args.dry_run {
        // A big import can reach a new search band before a server's next check.
        super::ready_after_load(&store).await?;
    }
    store.close().await;
    if counts[3] > 0 {
        bail!(
            "{} of {} files could not be imported",
            counts[3],
            files.len()
        );
    }
    Ok(())
}

/// The section named by a slug or a name, case and spacing aside.
fn find_section<'a>(sections: &'a [Section], wanted: &str) -> Option<&'a Section> {
    let slug = slugify(wanted);
    sections.iter().find(|s| {
        s.slug == slug || s.name.eq_ignore_ascii_case(wanted.trim()) || slugify(&s.name) == slug
    })
}

/// Every file named, and the page files inside every directory named (sorted, recursively).
/// A path that cannot be read becomes an error line of its own.
fn collect_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, String>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk_dir(path, &mut files);
        } else if path.exists() {
            files.push(Ok(path.clone()));
        } else {
            files.push(Err(format!(
                "{}: no such file or directory",
                path.display()
            )));
        }
    }
    files
}

fn walk_dir(dir: &Path, files: &mut Vec<Result<PathBuf, String>>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            files.push(Err(format!(
                "{}: cannot read directory: {e}",
                dir.display()
            )));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk_dir(&path, files);
        } else if extension(&path).is_some_and(|e| PAGE_EXTENSIONS.contains(&e.as_str())) {
            files.push(Ok(path));
        }
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

struct Importer<'a> {
    store: &'a Store,
    editorial: Editorial<'a>,
    sections: &'a [Section],
    flag_section: Option<&'a Section>,
    dry_run: bool,
    now: i64,
}

impl Importer<'_> {
    /// Imports one file; returns what happened and the report's description of the page.
    async fn import(&self, path: &Path) -> (Outcome, String) {
        let bytes = match tokio::fs::read(path).await {
            Ok(bytes) => bytes,
            Err(e) => return (Outcome::Failed(format!("cannot read: {e}")), String::new()),
        };
        let html = extension(path).is_some_and(|e| matches!(e.as_str(), "htm" | "html" | "xhtml"));
        let article = match import::parse(&bytes, html) {
            Ok(article) => article,
            Err(e) => return (Outcome::Failed(e.to_string()), String::new()),
        };
        let detail = describe(&article);
        let outcome = match self.store_article(path, &article).await {
            Ok((outcome, url)) => {
                let detail = match url {
                    Some(url) => format!("{detail}  {url}"),
                    None => detail,
                };
                return (outcome, detail);
            }
            Err(e) => Outcome::Failed(format!("{e:#}")),
        };
        (outcome, detail)
    }

    /// Creates or updates the story for `article`; returns the outcome and the story's address.
    async fn store_article(
        &self,
        path: &Path,
        article: &Article,
    ) -> Result<(Outcome, Option<String>)> {
        let section = match (self.flag_section, &article.section) {
            (Some(section), _) => section,
            (None, Some(named)) => find_section(self.sections, named).ok_or_else(|| {
                anyhow!(
                    "unknown section {} named by the page (pass --section)",
                    quoted(named)
                )
            })?,
            (None, None) => bail!("the page names no section: pass --section SLUG"),
        };
        let mut content = article.to_content(section.id).map_err(|errors| {
            anyhow!(
                "{}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let record = ImportRecord {
            story_id: 0,
            path_key: import::path_key(&canonical.to_string_lossy()),
            content_key: article.content_key(),
            fingerprint: article.fingerprint(section.id),
            source: path.display().to_string(),
            missing_image_alt: article.image.as_ref().map(|i| i.alt.clone()),
            missing_image_caption: article.image.as_ref().map(|i| i.caption.clone()),
            imported_at: self.now,
        };
        let existing = self
            .store
            .find_import(&record.path_key, &record.content_key)
            .await?;
        let story = match &existing {
            Some(found) => self.store.story(found.story_id).await?,
            None => None,
        };
        let address = |id: i64, slug: &str| format!("/news/{}/{}-{}", section.slug, slug, id);

        let times = OwnTimes {
            first_published: article.first_published.as_second(),
            last_updated: article.last_updated.as_second(),
        };
        if let (Some(found), Some(story)) = (&existing, &story) {
            let url = Some(address(story.id, &story.content.slug));
            if story.status == Status::Killed {
                return Ok((Outcome::Skipped("its story was killed"), url));
            }
            let unchanged = found.fingerprint == record.fingerprint;
            if unchanged && story.status == Status::Published {
                return Ok((Outcome::Skipped("unchanged since the last import"), url));
            }
            if self.dry_run {
                return Ok((Outcome::Updated, url));
            }
            // The address keeps its slug; the id decides anyway.
            content.slug = story.content.slug.clone();
            self.editorial
                .import_page(ImportedPage {
                    content: &content,
                    story_id: Some(story.id),
                    times,
                    record: &record,
                })
                .await?;
            return Ok((Outcome::Updated, url));
        }
        if self.dry_run {
            return Ok((Outcome::Imported, None));
        }
        // The story, its publication and its import record in one transaction:
        // an interrupted run leaves either all of it, found again next time, or nothing.
        let id = self
            .editorial
            .import_page(ImportedPage {
                content: &content,
                story_id: None,
                times,
                record: &record,
            })
            .await?;
        Ok((Outcome::Imported, Some(address(id, &content.slug))))
    }
}

/// "2009-02-08T15:04:00Z  “Headline”  9 paragraphs, 2 crossheads, 10 chrome lines dropped".
fn describe(article: &Article) -> String {
    format!(
        "{}  {}  {}, {}, {} dropped{}",
        timefmt::rfc3339(article.last_updated),
        quoted(&article.headline),
        count(article.paragraph_count(), "paragraph"),
        count(article.crosshead_count(), "crosshead"),
        count(article.chrome_dropped, "chrome line"),
        if article.image.is_some() {
            ", picture missing (alt text and caption kept)"
        } else {
            ""
        }
    )
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
