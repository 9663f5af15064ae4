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
pub struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dateline serve` with `args` in `dir` and returns it with the URL it printed.
pub fn start_server(args: &[&str], dir: &std::path::Path) -> (Server, String) {
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
    (server, served_url(&line))
}

/// The site's address in serve's "Dateline is serving …" line, without a final `/`.
fn served_url(line: &str) -> String {
    line.split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a URL")
        .trim_end_matches('/')
        .to_string()
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

/// Runs the binary with `input` on standard input; returns (exit code, stdout, stderr).
fn run_with_input(args: &[&str], dir: &std::path::Path, input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = dateline()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const PASSWORD: &str = "a good long password\n";

/// `dateline user add EMAIL --role ROLE --password-stdin` in `dir`, with an
/// `--edition` for each of `editions` and `password` on standard input;
/// returns (exit code, stdout, stderr).
fn add_staff(
    dir: &std::path::Path,
    email: &str,
    role: &str,
    editions: &[&str],
    password: &str,
) -> (i32, String, String) {
    let mut args = vec!["user", "add", email, "--role", role, "--password-stdin"];
    for edition in editions {
        args.extend(["--edition", edition]);
    }
    run_with_input(&args, dir, password)
}

/// A working directory whose database has the Arabic edition beside English
/// (`dateline edition add`), for the commands that limit staff to editions.
fn dir_with_arabic_edition() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("editions.toml"),
        "[[edition]]\nkey = \"arabic\"\nlanguage = \"ar\"\ndirection = \"rtl\"\nname = \"العربية\"\n\
         english_name = \"Arabic\"\nprefix = \"/arabic\"\nlocale = \"ar\"\ntime_zone = \"GMT\"\n\
         site_name = \"Dateline\"\n",
    )
    .unwrap();
    let (code, _, err) = run_with_input(&["edition", "add", "editions.toml"], dir.path(), "");
    assert_eq!(code, 0, "{err}");
    dir
}

/// The store of the SQLite database the binary made in `dir`.
async fn store_in(dir: &std::path::Path) -> dateline::store::Store {
    let url = format!("sqlite://{}", dir.join("dateline.db").display());
    dateline::store::Store::connect(&url).await.unwrap()
}

#[test]
fn user_commands_manage_staff() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = add_staff(dir.path(), "Ed@Example.org", "editor", &[], PASSWORD);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created ed@example.org (editor)"));
    let (code, _, err) = add_staff(dir.path(), "ed@example.org", "editor", &[], PASSWORD);
    assert_one_line_error(code, &err, "already an account");
    let (code, _, err) = add_staff(dir.path(), "x@example.org", "editor", &[], "short\n");
    assert_one_line_error(code, &err, "at least 10 characters");
    let (code, _, err) = add_staff(dir.path(), "x@example.org", "boss", &[], "");
    assert_eq!(code, 2);
    assert!(err.contains("not a role"), "{err}");
    let (code, _, err) = run_with_input(
        &["user", "add", "x@example.org", "--role", "editor"],
        dir.path(),
        "",
    );
    assert_one_line_error(code, &err, "--password-stdin");
    let (code, _, err) = run_with_input(
        &["user", "set-role", "ed@example.org", "admin"],
        dir.path(),
        "",
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_with_input(&["user", "disable", "ed@example.org"], dir.path(), "");
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run_with_input(&["user", "list"], dir.path(), "");
    assert!(out.contains("ed@example.org\tadmin\tdisabled"), "{out}");
    let (code, _, err) = run_with_input(&["user", "disable", "nobody@example.org"], dir.path(), "");
    assert_one_line_error(code, &err, "no account for nobody@example.org");
}

#[test]
fn user_add_limits_an_account_to_editions() {
    let dir = dir_with_arabic_edition();
    let add =
        |email: &str, editions: &[&str]| add_staff(dir.path(), email, "editor", editions, PASSWORD);
    // An edition by its prefix, language tag or key, each once.
    let (code, out, err) = add("ar@example.org", &["/arabic", "ar", "arabic"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("created ar@example.org (editor, working in Arabic)"),
        "{out}"
    );
    // Every edition named is every edition, as none is.
    let (code, out, err) = add("both@example.org", &["ar", "/"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created both@example.org (editor)\n"), "{out}");
    // An unknown edition: one line naming the editions there are, and no account.
    let (code, _, err) = add("fr@example.org", &["ar", "fr"]);
    assert_one_line_error(code, &err, "there is no edition \u{201c}fr\u{201d}");
    assert!(
        err.contains("english (/, en-GB)") && err.contains("arabic (/arabic, ar)"),
        "{err}"
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = store_in(dir.path()).await;
        assert!(store
            .user_by_email("fr@example.org")
            .await
            .unwrap()
            .is_none());
        let user = store
            .user_by_email("ar@example.org")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(store.staff_editions(user.id).await.unwrap().len(), 1);
        let user = store
            .user_by_email("both@example.org")
            .await
            .unwrap()
            .unwrap();
        assert!(store.staff_editions(user.id).await.unwrap().is_empty());
    });
}

#[test]
fn user_commercial_grants_and_withdraws_the_power() {
    let dir = dir_with_arabic_edition();
    for (email, editions) in [("ed@example.org", &[][..]), ("ar@example.org", &["ar"][..])] {
        let (code, _, err) = add_staff(dir.path(), email, "editor", editions, PASSWORD);
        assert_eq!(code, 0, "{err}");
    }
    let commercial = |email: &str, flag: &str| {
        run_with_input(&["user", "commercial", email, flag], dir.path(), "")
    };
    let (code, out, err) = commercial("Ed@Example.org", "--grant");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "ed@example.org may now run sponsor campaigns\n");
    let (code, out, _) = commercial("ed@example.org", "--grant");
    assert_eq!(code, 0);
    assert_eq!(out, "ed@example.org already held the commercial power\n");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let power = |email: &'static str| {
        runtime.block_on(async {
            let store = store_in(dir.path()).await;
            let user = store.user_by_email(email).await.unwrap().unwrap();
            let held = store.has_commercial_power(user.id).await.unwrap();
            let audit = store.audit_entries(None, 1).await.unwrap();
            let last = audit
                .first()
                .map(|e| format!("{} | {} | {}", e.actor, e.action, e.subject))
                .unwrap_or_default();
            store.close().await;
            (held, last)
        })
    };
    assert_eq!(
        power("ed@example.org"),
        (
            true,
            "command line | commercial power granted | user ed@example.org".to_string()
        )
    );
    let (code, out, err) = commercial("ed@example.org", "--withdraw");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "ed@example.org no longer runs sponsor campaigns\n");
    assert_eq!(
        power("ed@example.org"),
        (
            false,
            "command line | commercial power withdrawn | user ed@example.org".to_string()
        )
    );

    // An unknown account, and one limited to an edition (a campaign may run in every edition).
    let (code, _, err) = commercial("nobody@example.org", "--grant");
    assert_one_line_error(code, &err, "there is no account for nobody@example.org");
    let (code, _, err) = commercial("ar@example.org", "--grant");
    assert_one_line_error(code, &err, "ar@example.org works only in some editions");
    assert!(!power("ar@example.org").0);
    // One of --grant and --withdraw, exactly.
    for flags in [&[][..], &["--grant", "--withdraw"][..]] {
        let mut args = vec!["user", "commercial", "ed@example.org"];
        args.extend(flags);
        let (code, _, err) = run_with_input(&args, dir.path(), "");
        assert_eq!(code, 2, "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn first_serve_creates_an_admin_and_publishes_scheduled_stories_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = dateline()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("DATELINE_ADMIN_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let admin_line = lines.next().expect("admin line");
    assert!(admin_line.contains("one-time password"), "{admin_line}");
    let password = admin_line
        .split("one-time password ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let url = served_url(
        &lines
            .find(|l| l.starts_with("Dateline is serving"))
            .unwrap(),
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = store_in(dir.path()).await;
        let user = store
            .user_by_email("admin@localhost.localdomain")
            .await
            .unwrap()
            .expect("first admin");
        assert_eq!(user.role, dateline::domain::user::Role::Admin);
        let (_, hash) = store.user_for_sign_in(&user.email).await.unwrap().unwrap();
        assert!(
            dateline::auth::verify_password(&password, &hash),
            "the printed password works"
        );

        // A story scheduled two seconds ahead goes live within seconds, by the background task.
        let europe = store
            .sections()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.slug == "europe")
            .unwrap()
            .id;
        let content = crate::helpers::full_story(europe, None, "Timed story");
        let now = jiff::Timestamp::now().as_second();
        let id = store
            .create_story(
                &dateline::store::NewRevision {
                    content: &content,
                    action: "create",
                    author: "test",
                    at: now,
                },
                None,
            )
            .await
            .unwrap();
        store.set_schedule(id, Some(now + 2)).await.unwrap();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        assert_eq!(
            client
                .get(format!("{url}/news/{id}"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        loop {
            let status = client
                .get(format!("{url}/news/{id}"))
                .send()
                .await
                .unwrap()
                .status();
            if status == 301 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "scheduled story not live within 15 s"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let published = store
            .story(id)
            .await
            .unwrap()
            .unwrap()
            .first_published_at
            .unwrap();
        assert!(
            published - (now + 2) <= 3,
            "went live {}s after its time",
            published - (now + 2)
        );
    });
}

/// `dateline edition add FILE`: every mistake in the file said in its terms, in
/// one go, and nothing added; a right file adds the edition and its sections.
#[test]
fn edition_add_checks_the_whole_file_then_adds() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_with_input(&["migrate"], dir.path(), "");
    assert_eq!(code, 0, "{stderr}");
    let good = r#"
[[edition]]
key = "spanish"
language = "es"
direction = "ltr"
name = "Español"
english_name = "Spanish"
prefix = "/mundo"
time_zone = "Europe/Madrid"
site_name = "Dateline Mundo"
locale = "en-GB"
  [[edition.section]]
  slug = "america-latina"
  name = "América Latina"
"#;
    let bad = good
        .replace("prefix = \"/mundo\"", "prefix = \"/world\"")
        .replace("language = \"es\"", "language = \"spanish!\"");
    std::fs::write(dir.path().join("bad.toml"), &bad).unwrap();
    std::fs::write(dir.path().join("good.toml"), good).unwrap();
    let (code, _, stderr) = run_with_input(&["edition", "add", "bad.toml"], dir.path(), "");
    assert_ne!(code, 0);
    assert!(
        stderr.contains(
            "edition \u{201c}spanish\u{201d}: \u{201c}spanish!\u{201d} is not a language tag"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("the prefix \u{201c}/world\u{201d} is also the slug of a section"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Error {"),
        "{stderr}"
    );
    let (_, listed, _) = run_with_input(&["edition", "list"], dir.path(), "");
    assert!(
        !listed.contains("spanish"),
        "nothing added from a refused file: {listed}"
    );

    let (code, out, stderr) = run_with_input(&["edition", "add", "good.toml"], dir.path(), "");
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains("Added 1 edition: spanish"), "{out}");
    let (_, listed, _) = run_with_input(&["edition", "list"], dir.path(), "");
    assert!(
        listed.contains("spanish\tes\tltr\t/mundo\tSpanish (Español)"),
        "{listed}"
    );
    let (code, _, stderr) = run_with_input(&["edition", "add", "good.toml"], dir.path(), "");
    assert_ne!(code, 0);
    assert!(
        stderr.contains("there is already an edition with this key"),
        "{stderr}"
    );
    assert!(
        stderr.contains("another edition already has the prefix"),
        "{stderr}"
    );
}
