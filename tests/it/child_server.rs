//! What the tests' real servers (SMTP, S3) share: a port held for them, saying once that
//! a suite is skipped (a failure under `CI=true`), and a child process in its own
//! temporary directory that the test waits on until it listens, stopped when dropped.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};
use tempfile::TempDir;

use crate::helpers::in_ci;

/// A port of 127.0.0.1 held for one test server: bound with `SO_REUSEADDR`
/// but not listening. While it is held the kernel gives it to no other
/// `bind(0)` (a port merely closed again came back to the next such bind
/// about once in 5,500 here, to whichever test asked), a connection to it is
/// refused, and the server started for it binds it all the same (tokio, mio
/// and asyncio set `SO_REUSEADDR` too). Free again when dropped.
pub struct ReservedPort {
    _socket: socket2::Socket,
    pub port: u16,
}

pub fn reserve_port() -> ReservedPort {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a socket");
    socket.set_reuse_address(true).expect("SO_REUSEADDR");
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .expect("a free port");
    let port = socket
        .local_addr()
        .ok()
        .and_then(|address| address.as_socket())
        .expect("the reserved address")
        .port();
    ReservedPort {
        _socket: socket,
        port,
    }
}

/// Says on stderr, once per suite (`said`), that `suite` tests are skipped for
/// `why`; under `CI=true` a skipped suite is a failure instead.
pub fn skipped(said: &'static Once, suite: &str, why: &str) {
    if in_ci() {
        panic!("CI=true but the {suite} tests cannot run: {why}");
    }
    said.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\n*** {suite} tests SKIPPED: {why} ***\n"
        );
    });
}

/// A server process started by a test; killed when dropped.
pub struct ChildServer {
    child: Child,
    dir: TempDir,
    /// Held while the server runs, so that no other test is given its port
    /// should the server stop listening (or start late).
    reserved: ReservedPort,
}

impl ChildServer {
    /// A temporary directory for a server's files, made before the server starts.
    pub fn directory() -> TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    /// Spawns `command` (its stderr kept in `dir`'s server.log) and waits, at most
    /// 20 seconds, until it accepts connections on `reserved`'s port.
    pub fn spawn(
        name: &str,
        mut command: Command,
        reserved: ReservedPort,
        dir: TempDir,
    ) -> ChildServer {
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let child = command
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("run {name}: {e}"));
        let address = SocketAddr::from(([127, 0, 0, 1], reserved.port));
        let mut server = ChildServer {
            child,
            dir,
            reserved,
        };
        let started = Instant::now();
        // Waiting for the server to listen, not for a race to pass.
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("{name} exited ({status}): {}", server.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{name} did not start listening: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// What the server wrote on stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.reserved.port
    }

    /// A path inside the server's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
