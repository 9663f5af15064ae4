//! The real `dateline serve` as a child process with its log in a file, and a
//! signed-in newsroom client that posts the story editor's form.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::staff::{csrf_in, set_cookie};

/// The first admin `serve` creates, with the password the tests give it.
pub const ADMIN_EMAIL: &str = "admin@localhost.localdomain";
pub const ADMIN_PASSWORD: &str = "fault injection admin password";

/// A running `dateline serve`. Dropping it kills the process.
pub struct Node {
    child: Child,
    pub url: String,
    pub log: PathBuf,
}

impl Node {
    /// Starts `serve` on `database` with its working directory and log in `dir`; panics
    /// (with the log) if it does not say it is serving within two minutes.
    pub fn start(database: &str, dir: &Path) -> Node {
        Self::try_start(database, dir).unwrap_or_else(|e| panic!("{e}"))
    }

    /// As `start`, but returns the reason (and the log) when the server does not come up.
    pub fn try_start(database: &str, dir: &Path) -> Result<Node, String> {
        static STARTS: AtomicUsize = AtomicUsize::new(0);
        let log = dir.join(format!(
            "serve-{}.log",
            STARTS.fetch_add(1, Ordering::SeqCst)
        ));
        let log_file = std::fs::File::create(&log).map_err(|e| format!("log file: {e}"))?;
        let mut child = Command::new(env!("CARGO_BIN_EXE_dateline"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database", database])
            .envs(crate::helpers::media_env(database))
            .current_dir(dir)
            .env_remove("DATELINE_CONFIG")
            .env_remove("DATELINE_DATABASE")
            .env_remove("DATELINE_BIND")
            .env("DATELINE_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env_remove("DATELINE_ADMIN_EMAIL")
            .env("DATELINE_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot run dateline: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let serving = std::iter::from_fn(|| rx.recv_timeout(Duration::from_secs(120)).ok())
            .find(|line| line.starts_with("Dateline is serving"));
        let Some(line) = serving else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "dateline serve did not start on {database}; its log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            ));
        };
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .ok_or("no URL in the serving line")?
            .trim_end_matches('/')
            .to_string();
        Ok(Node { child, url, log })
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as a service manager stops it, and waits for the clean shutdown.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("dateline serve did not stop within 20 s of SIGTERM");
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// An HTTP client that never follows redirects (a 303 is the editor's acknowledgement).
/// How long the tests' clients keep an idle connection.
pub const IDLE_BELOW_SERVER_LIMIT: Duration = Duration::from_secs(5);

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        // Below the server's 10 s limit on idle connections, as for any keep-alive
        // client: otherwise a request can go out on a connection the server is
        // closing at that instant and get no answer (reqwest does not retry it).
        .pool_idle_timeout(IDLE_BELOW_SERVER_LIMIT)
        .build()
        .expect("HTTP client")
}

/// The admin's browser: a session cookie and the CSRF token for the newsroom's forms.
#[derive(Clone)]
pub struct Newsroom {
    pub client: reqwest::Client,
    pub base: String,
    cookie: String,
    csrf: String,
}

impl Newsroom {
    /// Signs in through the sign-in form as the first admin.
    pub async fn sign_in(base: &str) -> Result<Newsroom, String> {
        let client = client();
        let form = client
            .get(format!("{base}/newsroom/sign-in"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let form_cookie = set_cookie(&form, "dateline_sign_in").ok_or("no sign-in cookie")?;
        let token = csrf_in(&form.text().await.map_err(|e| e.to_string())?)
            .ok_or("no token on the sign-in form")?;
        let response = client
            .post(format!("{base}/newsroom/sign-in"))
            .header("cookie", format!("dateline_sign_in={form_cookie}"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("next", "/newsroom"),
            ])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != 303 {
            return Err(format!("sign-in answered {}", response.status()));
        }
        let session = set_cookie(&response, "dateline_session").ok_or("no session cookie")?;
        let cookie = format!("dateline_session={session}");
        let page = client
            .get(format!("{base}/newsroom"))
            .header("cookie", &cookie)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        let csrf = csrf_in(&page).ok_or("no token on the newsroom page")?;
        Ok(Newsroom {
            client,
            base: base.to_string(),
            cookie,
            csrf,
        })
    }

    /// The same session against another address (the node restarted on a new port).
    pub fn at(&self, base: &str) -> Newsroom {
        Newsroom {
            base: base.to_string(),
            ..self.clone()
        }
    }

    /// POSTs the story editor's multipart form (with the CSRF token) to `path`.
    pub async fn post_story(
        &self,
        path: &str,
        fields: &[(&str, String)],
    ) -> reqwest::Result<reqwest::Response> {
        let mut form = reqwest::multipart::Form::new().text("csrf", self.csrf.clone());
        for (name, value) in fields {
            form = form.text(name.to_string(), value.clone());
        }
        self.client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .multipart(form)
            .send()
            .await
    }

    /// GETs a newsroom page with the session.
    pub async fn get(&self, path: &str) -> reqwest::Result<reqwest::Response> {
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
    }
}
