//! The `dateline` binary: parses the command line and reports failures on one line.

use std::process::ExitCode;

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
