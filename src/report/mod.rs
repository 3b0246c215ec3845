//! Stage 7: reports — templates render Typst source, the embedded compiler makes PDFs.
//! Numbers reach templates already formatted for the report's language
//! ([`format_number`], [`format_percent`]); text from returns is escaped ([`escape`]).

pub mod city;
pub mod escape;
pub mod template;
pub mod world;

pub use crate::i18n::number::{format_number, format_percent};
pub use world::{CompileError, Document, Engine, Problem};
