//! A real S3-compatible server for the object-storage tests: s3s-fs, as the
//! example `s3_test_server` that `cargo test` builds (examples/s3_test_server.rs),
//! started by the test on a free port over a temporary directory, with keys.
//! `$S3S_FS` names another binary with the same options (an installed `s3s-fs`).
//! Skipped, and said so on stderr, when neither is there (`cargo test --test it`
//! alone does not build examples); under `CI=true` that is a failure.

use dateline::config::{MediaSettings, S3Settings, Secret};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Once, OnceLock};

use crate::child_server::{reserve_port, skipped, ChildServer};

pub const BUCKET: &str = "pictures";
const ACCESS_KEY: &str = "dateline-test";
const SECRET_KEY: &str = "dateline-test-secret";
/// The CDN address the tests configure (nothing listens there: tests read the bucket).
pub const PUBLIC_URL: &str = "https://pictures.cdn.test";

/// The running server; stopped when dropped.
pub struct S3Server {
    server: ChildServer,
}

/// The server's binary: `$S3S_FS`, else the example beside this test binary
/// (`target/debug/deps/it-…` → `target/debug/examples/s3_test_server`).
fn binary() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let example = std::env::current_exe()
                .ok()
                .and_then(|test| Some(test.parent()?.parent()?.join("examples/s3_test_server")));
            let candidates = std::env::var_os("S3S_FS").map(PathBuf::from);
            candidates.into_iter().chain(example).find(|p| p.is_file())
        })
        .clone()
}

impl S3Server {
    /// Starts a server, or `None` (said on stderr) when it is not built.
    pub fn start() -> Option<S3Server> {
        static SAID: Once = Once::new();
        let Some(binary) = binary() else {
            skipped(
                &SAID,
                "S3",
                "the S3 server is not built (cargo build --example s3_test_server)",
            );
            return None;
        };
        let dir = ChildServer::directory();
        let root = dir.path().join("root");
        // s3s-fs keeps a bucket as a directory under its root.
        std::fs::create_dir_all(root.join(BUCKET)).expect("bucket dir");
        let reserved = reserve_port();
        let mut command = Command::new(binary);
        command
            .args(["--host", "127.0.0.1", "--port", &reserved.port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(&root);
        Some(S3Server {
            server: ChildServer::spawn("the S3 server", command, reserved, dir),
        })
    }

    /// Settings naming this server's bucket; with `public` a CDN fronts `public/`.
    pub fn settings(&self, public: bool) -> MediaSettings {
        MediaSettings::S3(S3Settings {
            endpoint: format!("http://127.0.0.1:{}", self.server.port()),
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
                format!("http://127.0.0.1:{}", self.server.port()),
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
