//! The S3-compatible server the object-storage tests start
//! (tests/it/s3_server.rs): s3s-fs's storage (a bucket is a directory under
//! the root) behind s3s's HTTP service, with signature checking on. The same
//! server as the `s3s-fs` binary, built here so that `cargo test` builds it with
//! the dependencies it shares with Dateline, instead of CI compiling it again
//! in release with `cargo install` (bench/RESULTS.md, 2026-12-07).
//!
//!   s3_test_server [--host 127.0.0.1] --port PORT --access-key KEY --secret-key SECRET ROOT
//!
//! The options are those of `s3s-fs` that the tests use, so either binary
//! serves them. It runs until it is killed.

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use std::path::PathBuf;
use std::process::ExitCode;

struct Options {
    host: String,
    port: u16,
    access_key: String,
    secret_key: String,
    root: PathBuf,
}

const USAGE: &str =
    "usage: s3_test_server [--host HOST] --port PORT --access-key KEY --secret-key SECRET ROOT";

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut host = "127.0.0.1".to_string();
    let (mut port, mut access_key, mut secret_key, mut root) = (None, None, None, None);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--host" => host = value("--host")?,
            "--port" => {
                let text = value("--port")?;
                port = Some(text.parse().map_err(|_| format!("not a port: {text}"))?);
            }
            "--access-key" => access_key = Some(value("--access-key")?),
            "--secret-key" => secret_key = Some(value("--secret-key")?),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => root = Some(PathBuf::from(arg)),
        }
    }
    Ok(Options {
        host,
        port: port.ok_or("give --port")?,
        access_key: access_key.ok_or("give --access-key")?,
        secret_key: secret_key.ok_or("give --secret-key")?,
        root: root.ok_or("give the root directory")?,
    })
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("s3_test_server: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(serve(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("s3_test_server: {problem}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> Result<(), String> {
    let storage = s3s_fs::FileSystem::new(&options.root)
        .map_err(|_| format!("cannot keep buckets in {}", options.root.display()))?;
    let mut builder = S3ServiceBuilder::new(storage);
    builder.set_auth(SimpleAuth::from_single(
        options.access_key,
        options.secret_key,
    ));
    let service = builder.build();
    let address = (options.host.as_str(), options.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.host, options.port))?;
    let connections = http1::Builder::new();
    loop {
        let (socket, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("s3_test_server: accepting a connection: {e}");
                continue;
            }
        };
        // Small objects go out as they are written, not after a delayed ACK.
        let _ = socket.set_nodelay(true);
        let connection = connections.serve_connection(TokioIo::new(socket), service.clone());
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
}
