//! The browser suite (`tests/browser/`): Debian's Chromium, driven from Node by
//! playwright-core, against the real binary serving a fresh SQLite database.
//! Skipped, and said so on stderr, when Chromium, Node, Java or the suite's
//! `node_modules` are missing; under `CI=true` a missing piece is a failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::child_server::reserve_port;
use crate::helpers::in_ci;
use crate::ops::cli::start_server;

const CHROMIUM: &str = "/usr/bin/chromium";

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// What is missing for the suite to run, if anything.
fn missing_pieces() -> Vec<String> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!(
            "{CHROMIUM} (apt-get install chromium chromium-driver)"
        ));
    }
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !node.is_ok_and(|s| s.success()) {
        missing.push("node on PATH".into());
    }
    // The Nu Html Checker (vnu-jar's vnu.jar) runs on the system's Java.
    let java = Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !java.is_ok_and(|s| s.success()) {
        missing.push("java on PATH (apt-get install default-jre-headless)".into());
    }
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        if !suite_dir().join("node_modules").join(package).exists() {
            missing.push(format!(
                "tests/browser/node_modules/{package} (npm ci --prefix tests/browser)"
            ));
        }
    }
    missing
}

/// Runs `dateline ARGS` in `dir` with `input` on stdin; returns stdout, panicking on failure.
fn dateline(dir: &Path, args: &[&str], input: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATELINE_DATABASE")
        .env_remove("DATELINE_CONFIG")
        .env("DATELINE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dateline");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("dateline finishes");
    assert!(
        output.status.success(),
        "dateline {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn browser_suite_passes_against_the_real_binary() {
    let missing = missing_pieces();
    if !missing.is_empty() {
        let what = missing.join(", ");
        if in_ci() {
            panic!("CI=true but the browser suite cannot run: missing {what}");
        }
        let _ = writeln!(
            std::io::stderr(),
            "\n*** Browser tests SKIPPED: missing {what} ***\n"
        );
        return;
    }

    let dir = tempfile::tempdir().expect("temp dir");
    // A known port rather than port 0, so the site's base URL (canonical links,
    // feeds) is the address the browser really uses; held while the suite runs,
    // so no other test's server is given it (child_server::reserve_port).
    let reserved = reserve_port();
    let bind = format!("127.0.0.1:{}", reserved.port);
    let (_server, url) = start_server(&["--bind", &bind], dir.path());
    let accounts = [
        (
            "reporter",
            "reporter@browser.test",
            "reporter's long password",
        ),
        ("editor", "editor@browser.test", "editor's long password"),
        ("admin", "admin@browser.test", "admin's long password"),
    ];
    for (role, email, password) in accounts {
        dateline(
            dir.path(),
            &[
                "user",
                "add",
                email,
                "--role",
                role,
                "--name",
                &format!("Browser {role}"),
                "--password-stdin",
            ],
            &format!("{password}\n"),
        );
    }
    let printed = dateline(
        dir.path(),
        &["api-key", "add", "browser-suite", "--per-minute", "100000"],
        "",
    );
    let api_key = printed
        .lines()
        .last()
        .map(str::trim)
        .expect("api-key add prints the key");

    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-artifacts");
    let mut node = Command::new("node");
    node.arg(suite_dir().join("run.mjs"))
        .arg(&url)
        .arg("--artifacts")
        .arg(&artifacts);
    // BROWSER_ONLY=sponsor,comments runs only those sections (while working on them).
    if let Ok(only) = std::env::var("BROWSER_ONLY") {
        node.arg("--only").arg(only);
    }
    let status = node
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("BROWSER_REPORTER_EMAIL", accounts[0].1)
        .env("BROWSER_REPORTER_PASSWORD", accounts[0].2)
        .env("BROWSER_EDITOR_EMAIL", accounts[1].1)
        .env("BROWSER_EDITOR_PASSWORD", accounts[1].2)
        .env("BROWSER_ADMIN_EMAIL", accounts[2].1)
        .env("BROWSER_ADMIN_PASSWORD", accounts[2].2)
        .env("BROWSER_API_KEY", api_key)
        // For the reader checks, which read mailed links with `dateline outbox`.
        .env("DATELINE_BIN", env!("CARGO_BIN_EXE_dateline"))
        .env("DATELINE_DIR", dir.path())
        // The suite's report goes straight to the terminal (run with --nocapture to see it live).
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .expect("run node");
    assert!(
        status.success(),
        "the browser suite failed ({status}); its report is above, screenshots in {}",
        artifacts.display()
    );
}
