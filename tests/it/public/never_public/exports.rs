//! The matrix's export cells: the real binary's static and ninjs exports, run
//! again into the same folders as a site would be kept up to date.

use super::matrix::{Expect, Matrix};
use super::surfaces::{Subject, ALL_MARKS};
use crate::ops::import::dateline;
use std::path::{Path, PathBuf};

const BASE: &str = "https://news.example.org";

/// The two export folders, kept between runs so a second export must remove what is gone.
pub struct Exports {
    _dir: tempfile::TempDir,
    site: PathBuf,
    ninjs: PathBuf,
}

/// Every file under `root`: its path from `root` and its text (empty when not text).
fn files(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let name = path
                .strip_prefix(root)
                .expect("under the root")
                .display()
                .to_string();
            out.push((name, std::fs::read_to_string(&path).unwrap_or_default()));
        }
    }
    out
}

impl Exports {
    pub fn new() -> Exports {
        let dir = tempfile::tempdir().expect("temp dir");
        Exports {
            site: dir.path().join("site"),
            ninjs: dir.path().join("ninjs"),
            _dir: dir,
        }
    }

    /// Exports the site and the ninjs documents of `database_url` as they are now
    /// (the binary reads the system clock), and records a cell per subject and export.
    pub fn check(
        &self,
        matrix: &mut Matrix,
        database_url: &str,
        database: &str,
        expectations: &[(&Subject, Expect)],
    ) {
        let site = self.site.display().to_string();
        let ninjs = self.ninjs.display().to_string();
        let args = [
            "--base-url",
            BASE,
            "export",
            "--static",
            &site,
            "--ninjs",
            &ninjs,
        ];
        let (code, stdout, stderr) = dateline(database_url, &args);
        assert_eq!(code, 0, "export: {stdout}\n{stderr}");
        let site_files = files(&self.site);
        let ninjs_files = files(&self.ninjs);
        for (subject, expect) in expectations {
            let node = format!("{database} export");
            matrix.record(
                subject.state,
                "StaticExport",
                &node,
                *expect,
                static_problems(subject, *expect, &site_files),
            );
            matrix.record(
                subject.state,
                "NinjsExport",
                &node,
                *expect,
                ninjs_problems(subject, *expect, &ninjs_files),
            );
        }
    }
}

fn static_problems(subject: &Subject, expect: Expect, files: &[(String, String)]) -> Vec<String> {
    let page = format!("{}/index.html", subject.path().trim_start_matches('/'));
    let picture = format!("images/{}/", subject.image);
    let body_picture = format!("images/{}/", subject.body_image);
    match expect {
        Expect::Hidden => {
            let mut problems = Vec::new();
            for (name, text) in files {
                if name.contains(&subject.slug)
                    || name.starts_with(&picture)
                    || name.starts_with(&body_picture)
                {
                    problems.push(format!("file {name} exported"));
                    continue;
                }
                let seen = subject.marks_in(text);
                if !seen.is_empty() {
                    problems.push(format!("{name} shows its {seen:?}"));
                }
            }
            problems.truncate(6);
            problems
        }
        Expect::Shown => {
            let mut problems = Vec::new();
            match files.iter().find(|(name, _)| *name == page) {
                Some((_, text)) => {
                    let seen = subject.marks_in(text);
                    let missing: Vec<_> = ALL_MARKS.iter().filter(|m| !seen.contains(m)).collect();
                    if !missing.is_empty() {
                        problems.push(format!("{page} does not show its {missing:?}"));
                    }
                }
                None => problems.push(format!("no {page}")),
            }
            for picture in [&picture, &body_picture] {
                if !files
                    .iter()
                    .any(|(name, _)| name.starts_with(picture.as_str()))
                {
                    problems.push(format!("no {picture}*"));
                }
            }
            for list in ["index.html", "feeds/news.rss", "sitemaps/stories-1.xml"] {
                let shown = files
                    .iter()
                    .any(|(name, text)| name == list && text.contains(&subject.slug));
                if !shown {
                    problems.push(format!("{list} does not list it"));
                }
            }
            problems
        }
    }
}

fn ninjs_problems(subject: &Subject, expect: Expect, files: &[(String, String)]) -> Vec<String> {
    let own = format!("{}.json", subject.id);
    let mine = files.iter().find(|(name, _)| *name == own);
    match expect {
        Expect::Hidden => {
            let mut problems = Vec::new();
            if mine.is_some() {
                problems.push(format!("{own} is in the ninjs export"));
            }
            for (name, text) in files {
                if text.contains(&subject.headline) && *name != own {
                    problems.push(format!("{name} shows its headline"));
                }
            }
            problems
        }
        Expect::Shown => match mine {
            Some((_, text)) if text.contains(&subject.headline) => Vec::new(),
            Some(_) => vec![format!("{own} lacks its headline")],
            None => vec![format!("no {own} in the ninjs export")],
        },
    }
}
