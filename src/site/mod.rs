//! Stage 9: the campaign's static web site (`hrcities site`, `run --site`; shared/DESIGN.md,
//! "The web site"). Plain HTML, CSS and inline SVG in `DIR/site/`, in en, es and fr with a
//! language switch: the campaign, each right, each indicator, each government, the
//! methodology, the downloads and an index to search. It works opened from a folder, a USB
//! stick or any static host: every link is relative, nothing is fetched from elsewhere
//! (a Content-Security-Policy says so), and every page works without JavaScript, which
//! only sorts and filters tables.
//!
//! Pages are rendered from the templates of `templates/site/` with minijinja's HTML
//! auto-escaping, so whatever a return says prints as text. The site and its downloads come
//! from the public tables ([`crate::compute::Results::into_public`]): no contact detail,
//! comment or other personal data. Governments are listed by name or by region, never by
//! score; a reader may sort a table by score with a click, under the same caveat as the
//! reports.

mod facts;
mod pages;
pub mod svg;
mod templates;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::charts::ChartData;
use crate::compute::{Method, Results};
use crate::framework::Framework;
use crate::i18n::Lang;
pub use facts::Facts;

pub use templates::{environment, SiteTemplateError};

/// The file that marks a folder as a site hrcities wrote (and may replace).
const MARKER: &str = ".hrcities-site";

/// What to build the site with.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The folder of templates that replace the built-in ones of the same name.
    pub templates: Option<PathBuf>,
    /// The reporting year (default: the latest).
    pub year: Option<i32>,
    /// The reports folder of a run (`DIR/reports`): its PDFs are published beside the data.
    pub reports: Option<PathBuf>,
    /// The date the pages say they were made (`YYYY-MM-DD`).
    pub today: String,
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// The site's folder.
    pub dir: PathBuf,
    pub pages: usize,
    /// Every file's bytes, PDFs excluded.
    pub bytes: u64,
    /// The PDFs' bytes.
    pub pdf_bytes: u64,
}

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Templates(#[from] SiteTemplateError),
    #[error("{page}: the template could not be rendered ({source})")]
    Render { page: String, source: minijinja::Error },
    #[error("{path}: cannot write ({source})")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{path}: there is already a folder here that hrcities did not write; choose another --out or remove it")]
    NotOurs { path: PathBuf },
    #[error("the public tables cannot be made ({0})")]
    Data(#[from] polars::error::PolarsError),
}

/// What the pages are made from: the framework, the method, the computed tables as chart
/// rows, and the facts of each return read from the answers table ([`Facts`]).
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub fw: &'a Framework,
    pub method: &'a Method,
    pub data: &'a ChartData,
    /// Who each return is from and what its answers say beyond the values.
    pub facts: &'a Facts,
}

/// One page to write: where, which template, and its context.
pub(crate) struct Page {
    /// Under the site folder (`en/rights/HEA.html`).
    pub path: String,
    pub template: &'static str,
    pub context: minijinja::Value,
}

/// The site's file name of each government of `cities` (ids, repeated or not), unique and
/// safe (`COL-villa-esperanza.html`).
pub(crate) fn government_files<'c>(
    cities: impl Iterator<Item = &'c str>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut taken: std::collections::HashSet<String> = Default::default();
    for city in cities {
        if out.contains_key(city) {
            continue;
        }
        let base = crate::export::file_part(city);
        let base = if base.is_empty() { "government".to_string() } else { base };
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.insert(city.to_string(), name);
    }
    out
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> SiteError {
    let path = path.to_path_buf();
    move |source| SiteError::Write { path, source }
}

/// Makes the site's folder `out/site/` empty: a site hrcities wrote before is replaced; any
/// other folder there is left alone and refused.
pub fn prepare_dir(out: &Path) -> Result<PathBuf, SiteError> {
    let dir = out.join("site");
    if dir.exists() {
        if !dir.join(MARKER).is_file() {
            return Err(SiteError::NotOurs { path: dir });
        }
        std::fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
    }
    std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    std::fs::write(dir.join(MARKER), b"hrcities\n").map_err(io_error(&dir))?;
    Ok(dir)
}

/// The whole public data package, zipped, under the downloads folder.
pub const PACKAGE_ZIP: &str = "hrcities-data.zip";

/// The workbook of a year's public tables, under `downloads/data/`.
pub fn workbook_name(year: i32) -> String {
    format!("hrcities-data-{year}.xlsx")
}

/// Writes the public tables `public` ([`Results::into_public`]) to the site's downloads: the
/// whole data package (every table as CSV and Parquet, `datapackage.json`, the dictionary,
/// the licence, the method) zipped as [`PACKAGE_ZIP`]; beside it, in `downloads/data/`,
/// each table's Parquet file, the dictionary and the licence, and the workbook of `year`'s
/// rows (default: the latest year) in `lang`, for people. Returns the facts of each return
/// the pages need ([`Facts`]).
///
/// A thousand returns' tables are about 100 MB of CSV: zipped, they take a tenth of that,
/// which keeps a site of a thousand returns in three languages within about 150 MB.
pub fn write_downloads(
    dir: &Path,
    public: &Results,
    method: &Method,
    lang: Lang,
    year: Option<i32>,
) -> Result<Facts, SiteError> {
    let downloads = dir.join("downloads");
    let data = downloads.join("data");
    crate::compute::write_public(public, method, &data, None).map_err(io_error(&data))?;
    let zip = downloads.join(PACKAGE_ZIP);
    zip_folder(&data, "hrcities-data", &zip).map_err(io_error(&zip))?;
    // What the zip holds and the page does not link stays only in the zip.
    for entry in std::fs::read_dir(&data).map_err(io_error(&data))? {
        let path = entry.map_err(io_error(&data))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let keep = name.ends_with(".parquet")
            || name == crate::compute::public::DICTIONARY
            || name == crate::compute::public::LICENCE;
        if !keep {
            std::fs::remove_file(&path).map_err(io_error(&path))?;
        }
    }
    let latest = year.or_else(|| {
        public
            .scores
            .column("year")
            .ok()
            .and_then(|c| c.cast(&polars::prelude::DataType::Int32).ok())
            .and_then(|c| c.i32().ok().and_then(|c| c.iter().flatten().max()))
    });
    if let Some(year) = latest {
        let path = data.join(workbook_name(year));
        crate::compute::workbook::write_workbook(&path, &public.of_year(year)?, method, lang)
            .map_err(io_error(&path))?;
    }
    Ok(Facts::read(&public.responses, &public.recommendations)?)
}

/// Zips every file of `dir` into `zip`, under the folder `prefix`.
fn zip_folder(dir: &Path, prefix: &str, zip: &Path) -> std::io::Result<()> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    files.sort();
    let tmp = zip.with_extension("zip.part");
    let mut out = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(&tmp)?));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for path in files.iter().filter(|p| p.is_file()) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        out.start_file(format!("{prefix}/{name}"), options).map_err(std::io::Error::other)?;
        std::io::copy(&mut std::fs::File::open(path)?, &mut out)?;
    }
    out.finish().map_err(std::io::Error::other)?.into_inner().map_err(|e| e.into_error())?;
    std::fs::rename(&tmp, zip)
}

/// Writes the assets, each indicator's CSV, the PDFs under `opts.reports` and every page,
/// in `langs`, to the site's folder `dir` (made by [`prepare_dir`], with the downloads of
/// [`write_downloads`]).
pub fn write_pages(
    dir: &Path,
    src: Sources<'_>,
    langs: &[Lang],
    opts: &Options,
) -> Result<Summary, SiteError> {
    let env = match &opts.templates {
        Some(d) => templates::from_dir(d)?,
        None => templates::builtin()?,
    };
    let downloads = dir.join("downloads");
    let site = pages::Site::new(src, langs, opts, &downloads);
    site.indicator_csvs(&downloads.join("indicators")).map_err(io_error(&downloads))?;
    site.right_csvs(&downloads.join("rights")).map_err(io_error(&downloads))?;
    let pdf_bytes = match &opts.reports {
        Some(reports) => {
            copy_pdfs(reports, &downloads.join("reports")).map_err(io_error(reports))?
        }
        None => 0,
    };
    let assets = dir.join("assets");
    std::fs::create_dir_all(&assets).map_err(io_error(&assets))?;
    for (name, text) in templates::assets(&opts.templates) {
        std::fs::write(assets.join(name), text).map_err(io_error(&assets))?;
    }
    let pages = site.pages();
    pages.par_iter().try_for_each(|spec| {
        let page = site.page_of(spec);
        let html = env
            .get_template(page.template)
            .and_then(|t| t.render(&page.context))
            .map_err(|source| SiteError::Render { page: page.path.clone(), source })?;
        let path = dir.join(&page.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        std::fs::write(&path, html).map_err(io_error(&path))
    })?;
    let bytes = folder_bytes(dir).map_err(io_error(dir))?;
    Ok(Summary { dir: dir.to_path_buf(), pages: pages.len(), bytes: bytes - pdf_bytes, pdf_bytes })
}

/// Writes the whole site of the computed tables `results` to `out/site/`: [`prepare_dir`],
/// [`write_downloads`], [`write_pages`]. The pages are made from the public tables alone
/// (values, scores, the answers table for who each return is from), so the site can be made
/// from the tables `compute` wrote ([`tables_of`]) without the store's returns in memory.
pub fn write_site(
    results: Results,
    method: &Method,
    fw: &Framework,
    out: &Path,
    langs: &[Lang],
    opts: &Options,
) -> Result<Summary, SiteError> {
    let dir = prepare_dir(out)?;
    let lang = langs.first().copied().unwrap_or(Lang::En);
    let mut public = results.into_public(fw)?;
    // The downloads first, then the chart rows, which need neither the answers nor the
    // aggregates: writing the tables and holding the rows at once took a fifth more memory.
    let facts = write_downloads(&dir, &public, method, lang, opts.year)?;
    public.responses = polars::prelude::DataFrame::empty();
    public.aggregates = polars::prelude::DataFrame::empty();
    let data = ChartData::from_results(&public)?;
    drop(public);
    let src = Sources { fw, method, data: &data, facts: &facts };
    write_pages(&dir, src, langs, opts)
}

/// The tables `compute` or `run` wrote to the folder `data`, when they are those of the
/// store's current returns as the store stands: computed with framework `fw`, from the same
/// returns (by file hash), and nothing in the store written since (no return filed, review,
/// restore, import of recommendations or pledges). `None` otherwise, and the site computes
/// them.
pub fn tables_of(data: &Path, store: &crate::store::Store, fw: &Framework) -> Option<Results> {
    let package = data.join(crate::compute::datapackage::FILE);
    let described: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&package).ok()?).ok()?;
    let framework = &described["framework"];
    if framework["id"].as_str() != Some(fw.id.as_str())
        || framework["version"].as_str() != Some(fw.version.as_str())
    {
        return None;
    }
    let written = std::fs::metadata(&package).ok()?.modified().ok()?;
    for entry in std::fs::read_dir(store.dir()).ok()? {
        let entry = entry.ok()?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && entry.metadata().ok()?.modified().ok()? > written {
            return None;
        }
    }
    let results = Results::read(data, fw)?;
    let hashes = results.responses.column("sha256").ok()?.str().ok()?;
    let computed: std::collections::HashSet<&str> = hashes.iter().flatten().collect();
    let current = store.current().ok()?;
    let same = computed.len() == current.len()
        && current.iter().all(|r| computed.contains(r.sha256.as_str()));
    same.then_some(results)
}

/// Every file under `dir`, in its subfolders too.
fn files_under(dir: &Path) -> std::io::Result<Vec<(PathBuf, std::fs::Metadata)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let meta = entry.metadata()?;
            if meta.is_dir() {
                stack.push(entry.path());
            } else if meta.is_file() {
                out.push((entry.path(), meta));
            }
        }
    }
    Ok(out)
}

/// Publishes every PDF under `reports` in `to`, keeping its folder (hard-linked where the
/// file system allows, else copied); returns their bytes.
fn copy_pdfs(reports: &Path, to: &Path) -> std::io::Result<u64> {
    if !reports.is_dir() {
        return Ok(0);
    }
    let mut total = 0;
    for (path, meta) in files_under(reports)? {
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let rel = path.strip_prefix(reports).map_err(std::io::Error::other)?;
        let dest = to.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // A hard link where the file system allows it: the PDFs of a thousand governments
        // are not copied twice.
        if std::fs::hard_link(&path, &dest).is_err() {
            std::fs::copy(&path, &dest)?;
        }
        total += meta.len();
    }
    Ok(total)
}

/// The bytes of every file under `dir`.
fn folder_bytes(dir: &Path) -> std::io::Result<u64> {
    Ok(files_under(dir)?.iter().map(|(_, meta)| meta.len()).sum())
}

/// The PDFs published for each government of `cities`, by city id: (year, language, path
/// under the reports folder `reports`, which the downloads keep).
pub(crate) fn published_reports<'c>(
    reports: &Path,
    cities: impl Iterator<Item = &'c str>,
) -> BTreeMap<String, Vec<(i32, Lang, String)>> {
    let mut out: BTreeMap<String, Vec<(i32, Lang, String)>> = BTreeMap::new();
    for city in cities {
        let folder = crate::export::file_part(city);
        let Ok(entries) = std::fs::read_dir(reports.join(&folder)) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let Some(stem) = name.strip_suffix(".pdf") else { continue };
            let Some(rest) = stem.strip_prefix(&format!("{folder}-")) else { continue };
            let mut parts = rest.split('-');
            let (Some(year), Some(lang)) = (parts.next(), parts.next()) else { continue };
            let (Ok(year), Some(lang)) = (year.parse(), Lang::from_code(lang)) else { continue };
            if parts.next().is_none() {
                out.entry(city.to_string()).or_default().push((
                    year,
                    lang,
                    format!("{folder}/{name}"),
                ));
            }
        }
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}
