//! `--format json` on the commands that write files (`run`, `demo`, `ingest`, `compute`,
//! `charts`, `report`): instead of sentences for people, one JSON object on stdout that a
//! program can act on — the files written with their size and sha256, what the command
//! counted, the diagnostics by severity, and the exit status.
//!
//! ```json
//! { "hrcities": "0.2.0", "command": "run", "exit_status": 3, "status": "returns_have_errors",
//!   "error": null, "counts": { "returns_read": 26, … },
//!   "diagnostics": { "errors": 6, "warnings": 6 },
//!   "files": [ { "path": "out/data/indicators.csv", "bytes": 81234, "sha256": "…" } ] }
//! ```

use std::path::PathBuf;

use serde_json::{json, Map, Value};

use super::Outcome;

/// How a command that writes files ended, and what it counted.
#[derive(Debug)]
pub struct Done {
    pub outcome: Outcome,
    /// Named counts (`returns_read`, `reports`, …), in the order added.
    pub counts: Map<String, Value>,
    /// Errors and warnings found in returns, when the command read returns.
    pub diagnostics: Option<(usize, usize)>,
}

impl Done {
    /// Ended with `outcome`, nothing counted yet.
    pub fn new(outcome: Outcome) -> Done {
        Done { outcome, counts: Map::new(), diagnostics: None }
    }

    /// Adds the count `key`.
    pub fn count(mut self, key: &str, value: impl Into<Value>) -> Done {
        self.counts.insert(key.to_string(), value.into());
        self
    }

    /// Sets the errors and warnings found in returns.
    pub fn diagnostics(mut self, errors: usize, warnings: usize) -> Done {
        self.diagnostics = Some((errors, warnings));
        self
    }
}

impl From<Outcome> for Done {
    fn from(outcome: Outcome) -> Done {
        Done::new(outcome)
    }
}

/// The exit status of `outcome` (Contract 4).
fn exit_status(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Success => 0,
        Outcome::Failure => 1,
        Outcome::ReturnsHaveErrors => 3,
    }
}

/// The manifest of `command`, which ended with `result`, having written `written`.
pub fn manifest(
    command: &str,
    result: &anyhow::Result<Done>,
    mut written: Vec<PathBuf>,
) -> serde_json::Value {
    written.sort();
    written.dedup();
    let files: Vec<Value> = written
        .iter()
        .filter_map(|path| {
            // A file written and then removed again (none today) is left out.
            let bytes = std::fs::read(path).ok()?;
            Some(json!({
                "path": path.display().to_string(),
                "bytes": bytes.len(),
                "sha256": crate::export::sha256_hex(&bytes),
            }))
        })
        .collect();
    let (outcome, counts, diagnostics, error) = match result {
        Ok(done) => (done.outcome, Value::Object(done.counts.clone()), done.diagnostics, None),
        Err(e) => (Outcome::Failure, Value::Object(Map::new()), None, Some(format!("{e:#}"))),
    };
    let status = match outcome {
        Outcome::Success => "success",
        Outcome::Failure => "failure",
        Outcome::ReturnsHaveErrors => "returns_have_errors",
    };
    json!({
        "hrcities": env!("CARGO_PKG_VERSION"),
        "command": command,
        "exit_status": exit_status(outcome),
        "status": status,
        "error": error,
        "counts": counts,
        "diagnostics": diagnostics.map(|(e, w)| json!({ "errors": e, "warnings": w })),
        "files": files,
    })
}
