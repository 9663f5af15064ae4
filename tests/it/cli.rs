//! The real binary: it serves on first run with no set-up, and bad settings fail
//! with one clear line and a non-zero exit.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn dateline() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
    command
        .env_remove("DATELINE_DATABASE")
        .env_remove("DATELINE_BIND")
        .env_remove("DATELINE_CONFIG");
    command.env("DATELINE_LOG", "warn");
    command
}

/// Runs the binary to completion and returns (exit code, stderr).
fn run(args: &[&str], dir: &std::path::Path) -> (i32, String) {
    let output = dateline()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run dateline");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_one_line_error(code: i32, stderr: &str, expected: &str) {
    assert_ne!(code, 0, "should fail: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line of error, got {stderr:?}");
    assert!(lines[0].starts_with("dateline: error: "), "{stderr}");
    assert!(
        lines[0].contains(expected),
        "{expected:?} not in {stderr:?}"
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
}

#[test]
fn bad_flag_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run(&["serve", "--no-such-flag"], dir.path());
    assert_eq!(code, 2);
    assert_one_line_error(code, &stderr, "--no-such-flag");
}

#[test]
fn bad_config_values_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "bind = [1, 2\n").unwrap();
    std::fs::write(
        dir.path().join("typo.toml"),
        "databse = \"sqlite://x.db\"\n",
    )
    .unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--config", "missing.toml", "migrate"],
            "cannot read config file missing.toml",
        ),
        (
            &["--config", "bad.toml", "migrate"],
            "config file bad.toml is not valid",
        ),
        (&["--config", "typo.toml", "migrate"], "databse"),
        (&["--bind", "not-an-address", "serve"], "bind address"),
        (
            &["--time-zone", "Atlantis/Capital", "serve"],
            "Atlantis/Capital",
        ),
        (
            &["--database", "mysql://localhost/db", "serve"],
            "not supported",
        ),
    ];
    for (args, expected) in cases {
        let (code, stderr) = run(args, dir.path());
        assert_one_line_error(code, &stderr, expected);
    }
    assert!(
        !dir.path().join("dateline.db").exists(),
        "nothing was created"
    );
}

#[test]
fn unreachable_database_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run(
        &[
            "--database",
            "postgres://nobody:secret@127.0.0.1:1/none",
            "migrate",
        ],
        dir.path(),
    );
    assert_one_line_error(
        code,
        &stderr,
        "cannot open database postgres://nobody:***@127.0.0.1:1/none",
    );
    assert!(!stderr.contains("secret"), "password not shown");
    let (code, stderr) = run(
        &["--database", "sqlite:///no/such/directory/x.db", "migrate"],
        dir.path(),
    );
    assert_one_line_error(code, &stderr, "cannot open database");
}

#[test]
fn port_in_use_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let (code, stderr) = run(&["--bind", &address, "serve"], dir.path());
    assert_one_line_error(code, &stderr, &format!("cannot listen on {address}"));
}

/// Kills the child when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dateline serve` with `args` in `dir` and returns it with the URL it printed.
fn start_server(args: &[&str], dir: &std::path::Path) -> (Server, String) {
    let mut child = dateline()
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = std::iter::from_fn(|| rx.recv_timeout(Duration::from_secs(120)).ok())
        .find(|line| line.starts_with("Dateline is serving"))
        .expect("serve prints its URL");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a URL");
    (server, url.trim_end_matches('/').to_string())
}

#[test]
fn serve_on_postgres_runs_the_same_site() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(database) = runtime.block_on(crate::helpers::PgDatabase::create()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = start_server(
        &["--bind", "127.0.0.1:0", "--database", &database.url],
        dir.path(),
    );
    runtime.block_on(async {
        let html = reqwest::get(format!("{url}/news/europe"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("story-list"),
            "demo stories on the Europe front"
        );
    });
    assert!(
        !dir.path().join("dateline.db").exists(),
        "no SQLite file when PostgreSQL is configured"
    );
}

#[test]
fn serve_with_no_configuration_creates_the_database_and_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = start_server(&["--bind", "127.0.0.1:0"], dir.path());
    assert!(
        dir.path().join("dateline.db").exists(),
        "dateline.db created in the working directory"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let front = reqwest::get(format!("{url}/")).await.unwrap();
        assert_eq!(front.status(), 200);
        let html = front.text().await.unwrap();
        assert!(html.contains("top-story"), "demo content on the front page");
        let journal: String = {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect(&format!(
                "sqlite://{}",
                dir.path().join("dateline.db").display()
            ))
            .await
            .unwrap();
            sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut conn)
                .await
                .unwrap()
        };
        assert_eq!(journal, "wal");
    });
}

#[test]
fn migrate_and_demo_reset() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run(&["migrate"], dir.path());
    assert_eq!(code, 0, "{stderr}");
    let output = dateline()
        .args(["demo"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("loaded"));
    let (code, stderr) = run(&["demo"], dir.path());
    assert_one_line_error(code, &stderr, "--reset");
    let output = dateline()
        .args(["demo", "--reset"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
