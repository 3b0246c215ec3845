//! Stage 4: the campaign store — every answer of every return, city × year × question,
//! with its raw text, parsed value, status and provenance (file, sheet, cell, sha256).

use serde::{Deserialize, Serialize};

/// What became of one answer (Contract 4, `responses.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    /// A usable answer.
    Answered,
    /// Nothing written.
    Blank,
    /// A "not available" marker such as `N/A`, `n/d` or `no disponible`.
    NotAvailable,
    /// Something written that cannot be used (kept raw, with its diagnostic).
    Invalid,
    /// The question does not apply (its skip logic is false).
    NotApplicable,
}

impl ResponseStatus {
    /// The name used in exports.
    pub fn name(self) -> &'static str {
        match self {
            ResponseStatus::Answered => "answered",
            ResponseStatus::Blank => "blank",
            ResponseStatus::NotAvailable => "not_available",
            ResponseStatus::Invalid => "invalid",
            ResponseStatus::NotApplicable => "not_applicable",
        }
    }

    /// The formula state code of an answer with this status (see
    /// [`State`](crate::compute::formula::State)): blank, not available and invalid
    /// answers are all missing to formulas.
    pub fn formula_state(self) -> i32 {
        match self {
            ResponseStatus::Answered => 0,
            ResponseStatus::NotApplicable => 3,
            _ => 2,
        }
    }
}
