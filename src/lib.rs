//! hrcities — human-rights indicators for the UCLG campaign "10, 100, 1,000 Human Rights
//! Cities & Territories by 2030".
//!
//! The crate follows the pipeline of `shared/DESIGN.md`; imports only point backwards:
//!
//! 1. [`framework`] — rights, questions, indicators and rules (TOML, embedded by default);
//! 2. [`questionnaire`] — the blank workbook out, returned workbooks in;
//! 3. [`validate`] — every problem of a return, by sheet and cell;
//! 4. [`store`] — the campaign dataset across years, with provenance;
//! 5. [`compute`] — the formula language, indicator values, scores, aggregates;
//! 6. [`charts`] — pictures for reports and slides;
//! 7. [`report`] — Typst documents and PDFs;
//!
//! with [`i18n`] (en/es/fr text), [`export`] (safe CSV/JSON writing), [`guard`] (a
//! dependency's panic on one input becomes that input's error) and [`cli`] (one file per
//! subcommand) around them.

pub mod charts;
pub mod cli;
pub mod compute;
pub mod export;
pub mod fonts;
pub mod framework;
pub mod guard;
pub mod i18n;
pub mod questionnaire;
pub mod report;
pub mod store;
pub mod validate;

/// Files embedded at build time (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
