//! The `dateline` binary: parses the command line and reports failures on one line.

use std::process::ExitCode;

// mimalloc rather than glibc's malloc: allocation was a quarter of the
// instructions of an article page built on a cache miss (docs/ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match dateline::cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match dateline::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dateline: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
