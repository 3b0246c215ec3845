//! Every integration test, in one binary: one link of the library (polars and Typst
//! make each link slow) instead of one per file. Each module is one area; tests drive the
//! real `hrcities` binary or the public API on real files.

mod annotate;
mod bad_files;
mod browser;
mod campaign_year;
mod charts;
mod common;
mod competences;
mod compute;
mod compute_fixture;
mod cuts;
mod datapackage;
mod feedback;
mod foreign;
mod framework;
mod fuzz_regressions;
mod gate;
mod groups;
mod interrupted;
mod layers;
mod people;
mod prefill;
mod questionnaire;
mod recommendations;
mod report;
mod run;
mod sample_data;
mod site;
mod snapshots;
mod store;
mod untrusted;
mod validate;
mod versions;
