//! The `hrcities` command: parses the arguments and dispatches to `cli`.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: with glibc's, a run over a thousand returns
/// spent a sixth of the report stage's time in malloc and free, and its per-thread arenas
/// kept freed memory resident.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
