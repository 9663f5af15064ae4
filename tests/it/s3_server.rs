//! A real S3-compatible server for the object-storage tests: `s3s-fs`
//! (`cargo install s3s-fs --version 0.14.1 --features binary --locked`),
//! started by the test on a free port over a temporary directory, with keys.
//! Skipped, and said so on stderr, when the binary is missing; under `CI=true`
//! that is a failure.

use dateline::config::{MediaSettings, S3Settings, Secret};
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tempfile::TempDir;

use crate::helpers::in_ci;
use crate::smtp_server::free_port;

pub const BUCKET: &str = "pictures";
const ACCESS_KEY: &str = "dateline-test";
const SECRET_KEY: &str = "dateline-test-secret";
/// The CDN address the tests configure (nothing listens there: tests read the bucket).
pub const PUBLIC_URL: &str = "https://pictures.cdn.test";

/// The running server; stopped when dropped.
pub struct S3Server {
    child: Child,
    pub port: u16,
    dir: TempDir,
}

/// The `s3s-fs` binary: `$S3S_FS`, else on `PATH`, else in cargo's bin directory.
fn binary() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let candidates = std::env::var_os("S3S_FS")
                .map(PathBuf::from)
                .into_iter()
                .chain(
                    std::env::var_os("PATH")
                        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|d| d.join("s3s-fs")),
                )
                .chain(
                    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/s3s-fs")),
                );
            candidates.into_iter().find(|p| p.is_file())
        })
        .clone()
}

impl S3Server {
    /// Starts a server, or `None` (said on stderr) when `s3s-fs` is not installed.
    pub fn start() -> Option<S3Server> {
        let Some(binary) = binary() else {
            if in_ci() {
                panic!("CI=true but the S3 tests cannot run: s3s-fs is not installed (cargo install s3s-fs --version 0.14.1 --features binary --locked)");
            }
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "\n*** S3 tests SKIPPED: s3s-fs is not installed (cargo install s3s-fs --version 0.14.1 --features binary --locked) ***\n"
                );
            });
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("root");
        // s3s-fs keeps a bucket as a directory under its root.
        std::fs::create_dir_all(root.join(BUCKET)).expect("bucket dir");
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let port = free_port();
        let child = Command::new(binary)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("run s3s-fs");
        let mut server = S3Server { child, port, dir };
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        // Waiting for the server to listen, not for a race to pass.
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("s3s-fs exited ({status}): {}", server.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "s3s-fs did not start listening: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(server)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Settings naming this server's bucket; with `public` a CDN fronts `public/`.
    pub fn settings(&self, public: bool) -> MediaSettings {
        MediaSettings::S3(S3Settings {
            endpoint: format!("http://127.0.0.1:{}", self.port),
            bucket: BUCKET.to_string(),
            region: "us-east-1".to_string(),
            access_key: ACCESS_KEY.to_string(),
            secret_key: Secret::new(SECRET_KEY),
            public_url: public.then(|| PUBLIC_URL.to_string()),
        })
    }

    /// The environment that points a `dateline` process at this bucket.
    pub fn env(&self, public: bool) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("DATELINE_MEDIA_STORE", "s3".to_string()),
            (
                "DATELINE_S3_ENDPOINT",
                format!("http://127.0.0.1:{}", self.port),
            ),
            ("DATELINE_S3_BUCKET", BUCKET.to_string()),
            ("DATELINE_S3_REGION", "us-east-1".to_string()),
            ("DATELINE_S3_ACCESS_KEY", ACCESS_KEY.to_string()),
            ("DATELINE_S3_SECRET_KEY", SECRET_KEY.to_string()),
        ];
        if public {
            env.push(("DATELINE_MEDIA_PUBLIC_URL", PUBLIC_URL.to_string()));
        }
        env
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
