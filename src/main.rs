//! The `hrcities` command: parses the arguments and dispatches to `cli`.

use std::process::ExitCode;

use clap::Parser;

/// The stack of each worker thread: Typst lays out nested content recursively and needs
/// more than the 2 MiB Rust gives spawned threads (the main thread has 8 MiB).
const WORKER_STACK: usize = 16 << 20;

fn main() -> ExitCode {
    let args = hrcities::cli::Cli::parse();
    // Ignored if the pool already exists, which cannot happen this early.
    let _ = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK).build_global();
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
