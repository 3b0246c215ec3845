//! Stage 1: the indicator framework (Contract 1) — rights, questions, indicators and
//! consistency rules, read from TOML files (`indicators/` is embedded in the binary) and
//! checked, with every problem reported at `file:line`.

mod load;
mod model;
mod problem;

use std::path::PathBuf;

pub use load::{load_dir, load_embedded, load_sources, Loaded};
pub use model::*;
pub use problem::{Problem, Problems};

/// Errors that stop a framework from being read at all (problems inside the files are
/// [`Problems`], reported all together).
#[derive(Debug, thiserror::Error)]
pub enum FrameworkError {
    /// A file or folder could not be read.
    #[error("cannot read {path} ({source})")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The folder has no `.toml` file.
    #[error("no framework files (*.toml) in {0}")]
    Empty(PathBuf),
}
