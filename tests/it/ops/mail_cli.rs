//! `dateline outbox` and the mail settings, run as the real binary: the outbox
//! lists a held message's link, `--send-test` goes through a real SMTP server, and
//! bad mail settings fail on one line without showing the password.

use dateline::config::MailSettings;
use dateline::mail::{kind, Mailer, Message};
use std::process::Command;

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::smtp_server::SmtpServer;

/// Runs `dateline ARGS` with no settings from the environment; returns (exit code, stdout, stderr).
async fn dateline(args: Vec<String>) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
        for (name, _) in std::env::vars() {
            if name.starts_with("DATELINE_") {
                command.env_remove(name);
            }
        }
        let output = command
            .args(&args)
            .env("DATELINE_LOG", "warn")
            .output()
            .expect("run dateline");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .expect("dateline ran")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

async fn outbox_lists_the_links_in_held_messages(app: TestApp) {
    let mailer = Mailer::new(
        app.store.clone(),
        &MailSettings::default(),
        app.clock.clone(),
    )
    .unwrap();
    let verify = Message::new(
        kind::VERIFY,
        "reader@example.org",
        "Confirm your address",
        "Confirm it here: https://news.example.org/readers/verify?token=abc123.\n",
    )
    .unwrap();
    mailer.send(&verify).await.unwrap();
    let reset = Message::new(
        kind::RESET,
        "someone@example.org",
        "Reset your password",
        "Choose a new password: <https://news.example.org/readers/reset?token=r9>\n",
    )
    .unwrap();
    mailer.send(&reset).await.unwrap();

    let db = app.database_url.as_str();
    let (code, out, err) = dateline(args(&["outbox", "--database", db])).await;
    assert_eq!(code, 0, "{err}");
    let verify_at = out.find("Confirm your address").expect(&out);
    let reset_at = out.find("Reset your password").expect(&out);
    assert!(reset_at < verify_at, "newest first:\n{out}");
    assert!(
        out.contains("\n    https://news.example.org/readers/verify?token=abc123\n"),
        "{out}"
    );
    assert!(
        out.contains("\n    https://news.example.org/readers/reset?token=r9\n"),
        "{out}"
    );
    assert!(out.contains("verify  held  to reader@example.org"), "{out}");

    let (code, out, _) = dateline(args(&[
        "outbox",
        "--database",
        db,
        "--to",
        "READER@example.org",
    ]))
    .await;
    assert_eq!(code, 0);
    assert!(
        out.contains("token=abc123") && !out.contains("token=r9"),
        "{out}"
    );
    let (_, out, _) = dateline(args(&["outbox", "--database", db, "--limit", "1"])).await;
    assert!(
        out.contains("token=r9") && !out.contains("token=abc123"),
        "{out}"
    );
    let (_, out, _) = dateline(args(&[
        "outbox",
        "--database",
        db,
        "--to",
        "nobody@example.org",
    ]))
    .await;
    assert!(out.contains("No messages to nobody@example.org."), "{out}");
}

async fn send_test_goes_through_the_configured_server(app: TestApp) {
    let Some(server) = SmtpServer::start() else {
        return;
    };
    let port = server.port().to_string();
    let db = app.database_url.as_str();
    let (code, out, err) = dateline(args(&[
        "outbox",
        "--database",
        db,
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-security",
        "plain",
        "--mail-from",
        "Valley Post <news@valley.test>",
        "--send-test",
        "editor@example.org",
    ]))
    .await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Sent the test message to editor@example.org"),
        "{out}"
    );
    let mail = &server.wait_for(1).await[0];
    assert_eq!(mail.rcpt_tos, ["editor@example.org"]);
    assert_eq!(mail.header("From"), "Valley Post <news@valley.test>");
    assert!(mail.header("Subject").starts_with("Test message from"));

    // The listing shows it sent, without its body.
    let (_, out, _) = dateline(args(&["outbox", "--database", db])).await;
    assert!(out.contains("test  sent  to editor@example.org"), "{out}");
}

on_both_databases!(
    outbox_lists_the_links_in_held_messages,
    send_test_goes_through_the_configured_server,
);

#[tokio::test]
async fn bad_mail_settings_fail_on_one_line_and_hide_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let cases: [(&[&str], &str); 4] = [
        (
            &["--smtp-host", "smtp.example.org", "--smtp-security", "ssl3"],
            "smtp_security “ssl3” is not valid",
        ),
        (&["--smtp-host", "smtp.example.org"], "mail_from is not"),
        (
            &["--smtp-user", "me", "--smtp-password", "hunter2-secret"],
            "smtp_user is set but smtp_host is not",
        ),
        (
            &[
                "--smtp-host",
                "smtp.example.org",
                "--smtp-security",
                "plain",
                "--smtp-user",
                "me",
                "--smtp-password",
                "hunter2-secret",
                "--mail-from",
                "news@example.org",
            ],
            "unencrypted",
        ),
    ];
    for (flags, expected) in cases {
        let mut all = args(&["outbox", "--database", &db]);
        all.extend(args(flags));
        let (code, out, err) = dateline(all).await;
        assert_ne!(code, 0, "{flags:?} should fail: {out}");
        let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line: {err}");
        assert!(
            lines[0].starts_with("dateline: error: ") && lines[0].contains(expected),
            "{err}"
        );
        assert!(
            !err.contains("hunter2"),
            "the password is never shown: {err}"
        );
    }
    // The help names the variable but never shows its value.
    let mut help = Command::new(env!("CARGO_BIN_EXE_dateline"));
    let help = help
        .args(["outbox", "--help"])
        .env("DATELINE_SMTP_PASSWORD", "hunter2-secret")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("DATELINE_SMTP_PASSWORD") && !text.contains("hunter2"),
        "{text}"
    );
}
