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
            // The reader of our output went away (`hrcities … | head`): stop quietly.
            let broken_pipe = e.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("hrcities: {}", hrcities::cli::describe::describe(&e, args.global.lang()));
            ExitCode::from(1)
        }
    }
}
