//! A real SMTP server for the mail tests: Python's aiosmtpd, started by the test
//! on a free port, saving every message it receives (`tests/smtp/save_handler.py`)
//! for the test to read. Skipped, and said so on stderr, when python3 or aiosmtpd
//! is missing; under `CI=true` that is a failure.

use dateline::config::{MailSettings, SmtpSecurity, SmtpSettings};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use crate::child_server::{reserve_port, skipped, ChildServer, ReservedPort};

/// The `From` address the tests' mailers send from.
pub const FROM: &str = "Dateline Tests <news@dateline.test>";

/// A message the server received.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    /// The envelope's sender and recipients (what SMTP was told, not the headers).
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// Header names and values as a mail program reads them (encoded words decoded).
    pub headers: Vec<(String, String)>,
    /// The body, decoded.
    pub body: String,
    /// The message exactly as it came over the wire.
    pub raw: String,
}

impl Received {
    /// Every value of the header `name` (any case).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The one value of the header `name`; panics when it is missing or repeated.
    pub fn header(&self, name: &str) -> &str {
        match self.all(name).as_slice() {
            [one] => one,
            other => panic!(
                "expected one {name} header, found {other:?} in {:#?}",
                self.headers
            ),
        }
    }
}

/// The running server; stopped when dropped.
pub struct SmtpServer {
    server: ChildServer,
}

/// Why the server cannot run here, if it cannot (checked once).
fn missing() -> Option<&'static str> {
    static MISSING: OnceLock<Option<&'static str>> = OnceLock::new();
    *MISSING.get_or_init(|| {
        let found = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        (!found).then_some("python3 with aiosmtpd (python3 -m pip install aiosmtpd)")
    })
}

impl SmtpServer {
    /// Starts a server on a free port, or `None` (said on stderr) when it cannot run here.
    pub fn start() -> Option<SmtpServer> {
        Self::start_on(reserve_port())
    }

    /// Starts a server on the port held by `reserved` and waits until it accepts connections.
    pub fn start_on(reserved: ReservedPort) -> Option<SmtpServer> {
        let port = reserved.port;
        static SAID: Once = Once::new();
        if let Some(what) = missing() {
            skipped(&SAID, "SMTP", &format!("missing {what}"));
            return None;
        }
        let dir = ChildServer::directory();
        std::fs::create_dir(dir.path().join("inbox")).expect("inbox dir");
        let handler_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp");
        let mut command = Command::new("python3");
        command
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "save_handler.SaveToDirectory"])
            .arg(dir.path().join("inbox"))
            .env("PYTHONPATH", &handler_dir);
        Some(SmtpServer {
            server: ChildServer::spawn("the SMTP server", command, reserved, dir),
        })
    }

    fn log(&self) -> String {
        self.server.log()
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    fn inbox(&self) -> PathBuf {
        self.server.path("inbox")
    }

    /// Every message received so far, in the order received.
    pub fn messages(&self) -> Vec<Received> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.inbox())
            .expect("read inbox")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("read message");
                serde_json::from_str(&text).expect("message JSON")
            })
            .collect()
    }

    /// Waits (at most 20 seconds) until `count` messages have arrived, and returns them.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "expected {count} messages, the server has {}: {}",
                messages.len(),
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Mail settings that send through this server (plain SMTP on this machine).
    pub fn settings(&self) -> MailSettings {
        settings_for_port(self.server.port())
    }
}

/// Mail settings that send by plain SMTP to `port` on this machine.
pub fn settings_for_port(port: u16) -> MailSettings {
    MailSettings {
        smtp: Some(SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::Plain,
            credentials: None,
        }),
        from: Some(FROM.parse().expect("from address")),
    }
}
