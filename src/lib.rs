//! hrcities — human-rights indicators for the UCLG campaign "10, 100, 1,000 Human Rights
//! Cities & Territories by 2030".
//!
//! The crate follows the pipeline of `shared/DESIGN.md`; imports only point down this list
//! (`tests/it/layers.rs` checks it):
//!
//! 1. [`formula`] — the expression language of indicators, skip logic and rules;
//! 2. [`framework`] — rights, questions, indicators and rules (TOML, embedded by default);
//! 3. [`questionnaire`] — the blank workbook out, returned workbooks in;
//! 4. [`validate`] — every problem of a return, by sheet and cell;
//! 5. [`store`] — the campaign dataset across years, with provenance; beside it
//!    [`recommend`] — UN recommendations imported, linked to the framework and followed up;
//! 6. [`compute`] — indicator values, scores, aggregates, trends, progress, quality;
//! 7. [`charts`] — pictures for reports and slides;
//! 8. [`report`] — Typst documents and PDFs;
//! 9. [`site`] — the static web site;
//! 10. [`cli`] — one file per subcommand;
//!
//! with [`i18n`] (en/es/fr text), [`export`] (atomic writes, hashes, CSV/Parquet/XLSX),
//! [`guard`] (a dependency's panic on one input becomes that input's error) and [`fonts`]
//! at the bottom.

pub mod charts;
pub mod cli;
pub mod compute;
pub mod export;
pub mod fonts;
pub mod formula;
pub mod framework;
pub mod guard;
pub mod i18n;
pub mod questionnaire;
pub mod recommend;
pub mod report;
pub mod site;
pub mod store;
pub mod validate;

/// Files embedded at build time (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
