//! The Typst compiler hosted in memory: one [`Engine`] (standard library and the fonts
//! embedded in hrcities) shared by every document of a run, and one [`Document`] world per
//! report holding its main source and its files (charts, data). Nothing is read from disk:
//! a template that asks for a file the report did not provide gets "file not found".

use std::collections::HashMap;
use std::sync::Arc;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

/// What is shared by every document: Typst's standard library and the fonts.
pub struct Engine {
    library: LazyHash<Library>,
    fonts: FontStore,
}

impl Engine {
    /// The engine with the fonts embedded in hrcities (see [`crate::fonts`]).
    pub fn new() -> Engine {
        let mut fonts = FontStore::new();
        for bytes in crate::fonts::ALL {
            fonts.extend(Font::iter(Bytes::new(bytes)).map(|f| {
                let info = f.info().clone();
                (f, info)
            }));
        }
        Engine { library: LazyHash::new(Library::builder().build()), fonts }
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// The id of the file at `path` (absolute inside the project, e.g. `/main.typ`).
fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

/// One report being compiled: its Typst source and the files it may read.
pub struct Document {
    engine: Arc<Engine>,
    /// A name for the source in error messages (the template's name).
    name: String,
    main: Source,
    files: HashMap<FileId, Bytes>,
    /// Typst files the main source includes (`#include "annex.typ"`), parsed once.
    sources: HashMap<FileId, Source>,
    today: Datetime,
}

/// A Typst error or warning, placed in the template source.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub error: bool,
    /// The template's name.
    pub template: String,
    /// 1-based line in the generated source, when known.
    pub line: Option<usize>,
    pub message: String,
    pub hints: Vec<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.error { "error" } else { "warning" };
        match self.line {
            Some(l) => write!(f, "{kind}: {}:{l}: {}", self.template, self.message)?,
            None => write!(f, "{kind}: {}: {}", self.template, self.message)?,
        }
        for h in &self.hints {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

/// Why a document did not compile: every error, with the warnings.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct CompileError(pub Vec<Problem>);

impl Document {
    /// A document named `name` with Typst source `text`, dated `today` (year, month, day).
    pub fn new(engine: Arc<Engine>, name: &str, text: String, today: (i32, u8, u8)) -> Document {
        let id = file_id("/main.typ").expect("a constant valid path");
        Document {
            engine,
            name: name.to_string(),
            main: Source::new(id, text),
            files: HashMap::new(),
            sources: HashMap::new(),
            today: Datetime::from_ymd(today.0, today.1, today.2)
                .unwrap_or_else(|| Datetime::from_ymd(1970, 1, 1).expect("a valid date")),
        }
    }

    /// Adds a file the source can read at `path` (e.g. `/charts/rights.svg`).
    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>) {
        if let Some(id) = file_id(path) {
            if path.ends_with(".typ") {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                self.sources.insert(id, Source::new(id, text));
            }
            self.files.insert(id, Bytes::new(bytes));
        }
    }

    fn problems(&self, diagnostics: &[SourceDiagnostic]) -> Vec<Problem> {
        diagnostics
            .iter()
            .map(|d| {
                let line = d.span.id().filter(|id| *id == self.main.id()).and_then(|_| {
                    let range = self.range(d.span)?;
                    self.main.lines().byte_to_line(range.start).map(|l| l + 1)
                });
                Problem {
                    error: d.severity == Severity::Error,
                    template: self.name.clone(),
                    line,
                    message: d.message.to_string(),
                    hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
                }
            })
            .collect()
    }

    /// Compiles to PDF (tagged for accessibility); returns the PDF and the warnings.
    pub fn pdf(&self) -> Result<(Vec<u8>, Vec<Problem>), CompileError> {
        let warned = typst::compile::<PagedDocument>(self);
        let warnings = self.problems(&warned.warnings);
        let doc = warned.output.map_err(|errors| {
            let mut all = self.problems(&errors);
            all.extend(warnings.clone());
            CompileError(all)
        })?;
        let options = typst_pdf::PdfOptions { tagged: true, ..Default::default() };
        let pdf = typst_pdf::pdf(&doc, &options).map_err(|e| CompileError(self.problems(&e)))?;
        Ok((pdf, warnings))
    }
}

impl World for Document {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if let Some(source) = self.sources.get(&id) {
            Ok(source.clone())
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::escape::{markup, string};

    /// The text layer of `pdf` by `pdftotext`, or `None` when poppler is not installed
    /// (CI installs it and sets `HRCITIES_REQUIRE_TOOLS`, which makes it required).
    fn pdf_text(pdf: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().ok()?;
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).ok()?;
        match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
            Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into()),
            _ => {
                assert!(
                    std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
                    "pdftotext (poppler-utils) is required"
                );
                None
            }
        }
    }

    #[test]
    fn hostile_names_print_literally_in_every_script() {
        let hostile = "#read(\"/etc/passwd\") *x* $y$ <z> @w";
        let names = [hostile, "광주광역시", "الرباط", "Ставрополь", "广州市"];
        let mut src = format!(
            "#set document(title: \"{}\", author: \"hrcities\")\n#set text(font: \"Noto Sans\", lang: \"en\")\n",
            string(hostile)
        );
        for n in names {
            src.push_str(&format!("{}\n\n", markup(n)));
        }
        let doc = Document::new(Arc::new(Engine::new()), "test.typ", src, (2026, 11, 28));
        let (pdf, warnings) = doc.pdf().expect("compiles");
        assert!(pdf.starts_with(b"%PDF"));
        assert!(warnings.iter().all(|w| !w.message.contains("unknown font")), "{warnings:?}");
        if let Some(text) = pdf_text(&pdf) {
            for n in names {
                assert!(text.contains(n), "{n:?} not in the PDF text:\n{text}");
            }
            assert!(!text.contains("root:"), "nothing was read from disk");
        }
    }

    #[test]
    fn template_errors_name_the_template_and_line() {
        let src = "= Title\n\nSome text\n#undefined-function()\n".to_string();
        let doc = Document::new(Arc::new(Engine::new()), "city.typ.j2", src, (2026, 1, 1));
        let err = doc.pdf().expect_err("an error");
        let first = &err.0[0];
        assert!(
            first.error && first.template == "city.typ.j2" && first.line == Some(4),
            "{first:?}"
        );
        assert!(err.to_string().starts_with("error: city.typ.j2:4: unknown variable"), "{err}");
        let missing = Document::new(
            Arc::new(Engine::new()),
            "t",
            "#read(\"/etc/passwd\")".into(),
            (2026, 1, 1),
        );
        let err = missing.pdf().expect_err("no file access");
        assert!(err.to_string().contains("not found"), "{err}");
    }
}
