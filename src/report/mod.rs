//! Stage 7: reports — templates render Typst source, the embedded compiler makes PDFs.
//! Numbers reach templates already formatted for the report's language
//! ([`format_number`], [`format_percent`]); text from returns is escaped ([`escape`]).
//!
//! A [`Reporter`] holds what every report of a run shares: the Typst engine (library and
//! fonts), the templates, the framework and the computed data. It is `Sync`, so reports
//! compile in parallel.

pub mod campaign;
pub mod city;
pub mod docx;
pub mod escape;
pub mod followup;
pub mod groups;
pub mod peers;
mod since;
pub mod submission;
pub mod template;
pub mod world;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::{Environment, Value};

use crate::charts::ChartData;
use crate::compute::{Dataset, Method};
use crate::framework::{Framework, UnitFormat};
pub use crate::i18n::number::{format_number, format_percent};
use crate::i18n::{capitalised, tr, Lang};
pub use world::{CompileError, Document, Engine, Problem};

/// A rendered report: its Typst source, the files it reads, and the PDF.
pub struct Rendered {
    /// Where it goes under the reports folder, without extension.
    pub path: PathBuf,
    pub typ: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub pdf: Vec<u8>,
}

impl Rendered {
    /// Writes `DIR/<path>.pdf` and, beside it, the folder `DIR/<path>/` with `report.typ`
    /// and its files, which compiles unchanged with `typst compile report.typ` (with
    /// `--font-path` pointing at the fonts [`write_fonts`] writes, for the same glyphs).
    pub fn write(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let pdf = dir.join(&self.path).with_extension("pdf");
        let src = dir.join(&self.path);
        std::fs::create_dir_all(&src)?;
        crate::export::write_atomic(&src.join("report.typ"), self.typ.as_bytes())?;
        for (name, bytes) in &self.files {
            let p = src.join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            crate::export::write_atomic(&p, bytes)?;
        }
        crate::export::write_atomic(&pdf, &self.pdf)?;
        Ok(pdf)
    }
}

/// Writes the fonts the reports use to `DIR/fonts/` (with their licence), so that the
/// `.typ` folders compile elsewhere with `typst compile --font-path DIR/fonts`.
pub fn write_fonts(dir: &Path) -> std::io::Result<PathBuf> {
    let fonts = dir.join("fonts");
    std::fs::create_dir_all(&fonts)?;
    for (name, bytes) in crate::fonts::FILES {
        let p = fonts.join(name);
        if std::fs::metadata(&p).map(|m| m.len() as usize).ok() != Some(bytes.len()) {
            crate::export::write_atomic(&p, bytes)?;
        }
    }
    Ok(fonts)
}

/// How many reports are compiled between two emptyings of Typst's memo cache. Emptying it
/// often costs less than it saves: over 1,000 city reports on 2 cores, chunks of 2 took
/// 40.8 s and 0.45 GB, chunks of 16 46.1 s and 0.61 GB, chunks of 64 50.3 s and 1.25 GB.
const CHUNK: usize = 2;
/// The stack of each worker thread: Typst lays out nested content recursively and needs
/// more than the 2 MiB Rust gives spawned threads (the main thread has 8 MiB).
const WORKER_STACK: usize = 16 << 20;

/// Runs `f` on every job in parallel, on a pool of worker threads with large stacks, and
/// returns the results in order. Jobs run in small chunks and Typst's memo cache is emptied
/// after each: left alone, the cache grows with every report (gigabytes over a thousand).
pub fn render_all<T: Sync, R: Send>(
    jobs: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> std::io::Result<Vec<R>> {
    let mut out = Vec::with_capacity(jobs.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build()
        .map_err(std::io::Error::other)?;
    for chunk in jobs.chunks(CHUNK) {
        out.extend(pool.install(|| {
            use rayon::prelude::*;
            chunk.par_iter().map(&f).collect::<Vec<R>>()
        }));
        typst::comemo::evict(0);
    }
    Ok(out)
}

/// What every report of a run shares.
pub struct Reporter<'a> {
    pub engine: Arc<Engine>,
    pub templates: Environment<'static>,
    pub fw: &'a Framework,
    pub ds: &'a Dataset,
    pub data: &'a ChartData,
    pub method: &'a Method,
    /// The methodology annex per language (en, es, fr), rendered once.
    annex_cache: [std::sync::OnceLock<String>; 3],
    /// Typst's warnings so far, each with the number of documents that gave it.
    warnings: std::sync::Mutex<std::collections::BTreeMap<String, usize>>,
    /// The suggested peers of each year, worked out once for all the reports.
    peers_cache: std::sync::Mutex<std::collections::HashMap<i32, Arc<Vec<peers::Peer>>>>,
}

impl<'a> Reporter<'a> {
    /// Where the return of `city` for `year` is in the dataset.
    fn return_of(&self, city: &str, year: i32) -> Option<usize> {
        self.ds.returns.iter().position(|r| r.city_id == city && r.year == year)
    }

    /// A reporter with the built-in templates.
    pub fn new(
        fw: &'a Framework,
        ds: &'a Dataset,
        data: &'a ChartData,
        method: &'a Method,
    ) -> Result<Reporter<'a>, minijinja::Error> {
        Ok(Reporter {
            engine: Arc::new(Engine::new()),
            templates: template::builtin()?,
            fw,
            ds,
            data,
            method,
            annex_cache: Default::default(),
            warnings: Default::default(),
            peers_cache: Default::default(),
        })
    }

    /// Typst's warnings on the documents compiled so far (`warning: city.typ.j2:45: …`),
    /// each once, with the number of documents that gave it.
    pub fn warnings(&self) -> Vec<(String, usize)> {
        let seen = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        seen.iter().map(|(w, n)| (w.clone(), *n)).collect()
    }

    /// Renders `template` with `ctx` and compiles it with `files` beside it.
    fn compile(
        &self,
        template: &str,
        ctx: Value,
        files: Vec<(String, Vec<u8>)>,
        today: (i32, u8, u8),
        path: PathBuf,
    ) -> anyhow::Result<Rendered> {
        let typ = self.templates.get_template(template)?.render(ctx)?;
        let mut doc = Document::new(self.engine.clone(), template, typ.clone(), today);
        for (name, bytes) in &files {
            doc.add_file(&format!("/{name}"), bytes.clone());
        }
        let (pdf, warnings) = doc.pdf()?;
        if !warnings.is_empty() {
            let mut seen = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
            for w in warnings {
                *seen.entry(w.to_string()).or_default() += 1;
            }
        }
        Ok(Rendered { path, typ, files, pdf })
    }

    /// A value as people read it, by its unit's format.
    pub fn show_value(&self, unit: &str, value: f64, lang: Lang) -> String {
        show_value(self.fw, unit, value, lang)
    }
}

/// A value as people read it, by its unit's format: `12.5%` / `12,5 %`, yes / no, a year,
/// or a number with its unit.
pub fn show_value(fw: &Framework, unit: &str, value: f64, lang: Lang) -> String {
    match fw.vocab.units.get(unit).map(|u| u.format) {
        Some(UnitFormat::Percent) => format_percent(value, 1, lang),
        Some(UnitFormat::YesNo) => {
            tr(lang, if value >= 0.5 { "word.yes" } else { "word.no" }).into()
        }
        Some(UnitFormat::Year) => format!("{value:.0}"),
        _ => {
            let decimals = crate::charts::value_decimals(value);
            let label = fw.unit_label_for(unit, value, lang);
            format!("{} {label}", format_number(value, decimals, lang))
        }
    }
}

/// `text` with its first letter lowercased, to start a list item or follow a colon, unless
/// it starts with an abbreviation ("ODS", "LGBTI").
pub(crate) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(std::iter::once(b)).chain(chars).collect()
        }
        _ => text.to_string(),
    }
}

/// Whether `unit` is a yes/no unit.
pub fn is_yes_no(fw: &Framework, unit: &str) -> bool {
    fw.vocab.units.get(unit).map(|u| u.format) == Some(UnitFormat::YesNo)
}
