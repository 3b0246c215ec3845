//! The `hrcities` command: parses the arguments and dispatches to `cli`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = hrcities::cli::Cli::parse();
    match hrcities::cli::dispatch(&args) {
        Ok(code) => code.into(),
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("hrcities: {e:#}");
            ExitCode::from(1)
        }
    }
}
