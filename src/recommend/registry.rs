//! The recommendations kept in a store folder (`recommendations.parquet`): one row per
//! recommendation under its source's id. An import upserts: a new id is added, a known id
//! whose content changed is updated (keeping when it was first imported), the same content
//! changes nothing, so importing the same file twice leaves the table as it was.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::{links, Mechanism, Recommendation};
use crate::framework::Framework;
use crate::store::table::{read_table, write_table};
use crate::store::StoreError;

/// The file name of the table in a store folder.
pub const FILE: &str = "recommendations.parquet";

/// The recommendations of a store folder.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    dir: PathBuf,
    /// In the order they were first imported.
    pub all: Vec<Recommendation>,
}

/// What an upsert did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Upsert {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The stored columns, in order.
pub const COLUMNS: [&str; 21] = [
    "recommendation_id",
    "countries",
    "mechanism",
    "body",
    "symbol",
    "paragraph",
    "date",
    "type",
    "themes",
    "affected_persons",
    "sdg_targets",
    "upr_position",
    "upr_recommending_states",
    "upr_session",
    "upr_cycle",
    "text",
    "source_file",
    "source_sha256",
    "source_row",
    "imported_at",
    "updated_at",
];

impl Registry {
    /// The recommendations stored in `dir` (none when it has no table yet).
    pub fn open(dir: &Path) -> Result<Registry, StoreError> {
        let path = dir.join(FILE);
        let all = match read_table(&path)? {
            Some(df) => from_frame(&df)
                .map_err(|e| StoreError::Damaged { path: path.clone(), message: e.to_string() })?,
            None => Vec::new(),
        };
        Ok(Registry { dir: dir.to_path_buf(), all })
    }

    /// Adds or updates `recs` by id, in memory; [`Registry::save`] writes them.
    pub fn upsert(&mut self, recs: Vec<Recommendation>) -> Upsert {
        let mut index: HashMap<String, usize> =
            self.all.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        let mut out = Upsert::default();
        for rec in recs {
            match index.get(&rec.id) {
                Some(&i) if self.all[i].same_content(&rec) => out.unchanged += 1,
                Some(&i) => {
                    let first = self.all[i].imported_at.clone();
                    self.all[i] = Recommendation { imported_at: first, ..rec };
                    out.updated += 1;
                }
                None => {
                    index.insert(rec.id.clone(), self.all.len());
                    self.all.push(rec);
                    out.added += 1;
                }
            }
        }
        out
    }

    /// Writes the table (atomically).
    pub fn save(&self) -> Result<(), StoreError> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| StoreError::Io { path: self.dir.clone(), source: e })?;
        let path = self.dir.join(FILE);
        let mut df = frame(&self.all, None)
            .map_err(|source| StoreError::Table { path: path.clone(), source })?;
        write_table(&path, &mut df)
    }

    /// The recommendation with id `id`.
    pub fn get(&self, id: &str) -> Option<&Recommendation> {
        self.all.iter().find(|r| r.id == id)
    }
}

/// Lists in a cell: one value per line.
fn join(values: &[String]) -> String {
    values.join("\n")
}

fn split(cell: Option<&str>) -> Vec<String> {
    cell.map_or_else(Vec::new, |c| {
        c.lines().map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect()
    })
}

/// The table of `recs`: the stored columns, and with a framework, also `rights`,
/// `indicators` and `links` (each link and its reason, one per line).
pub fn frame(recs: &[Recommendation], fw: Option<&Framework>) -> PolarsResult<DataFrame> {
    let text =
        |f: &dyn Fn(&Recommendation) -> String| -> Vec<String> { recs.iter().map(f).collect() };
    let opt = |f: &dyn Fn(&Recommendation) -> Option<String>| -> Vec<Option<String>> {
        recs.iter().map(f).collect()
    };
    let mut columns = vec![
        Column::new("recommendation_id".into(), text(&|r| r.id.clone())),
        Column::new("countries".into(), text(&|r| join(&r.countries))),
        Column::new("mechanism".into(), text(&|r| r.mechanism.code().to_string())),
        Column::new("body".into(), text(&|r| r.body.clone())),
        Column::new("symbol".into(), text(&|r| r.symbol.clone())),
        Column::new("paragraph".into(), opt(&|r| r.paragraph.clone())),
        Column::new("date".into(), opt(&|r| r.date.clone())),
        Column::new("type".into(), opt(&|r| r.kind.clone())),
        Column::new("themes".into(), text(&|r| join(&r.themes))),
        Column::new("affected_persons".into(), text(&|r| join(&r.affected))),
        Column::new("sdg_targets".into(), text(&|r| join(&r.sdgs))),
        Column::new("upr_position".into(), opt(&|r| r.position.clone())),
        Column::new("upr_recommending_states".into(), text(&|r| join(&r.recommending_states))),
        Column::new(
            "upr_session".into(),
            recs.iter().map(|r| r.upr_session).collect::<Vec<Option<u32>>>(),
        ),
        Column::new(
            "upr_cycle".into(),
            recs.iter().map(Recommendation::upr_cycle).collect::<Vec<Option<u32>>>(),
        ),
        Column::new("text".into(), text(&|r| r.text.clone())),
        Column::new("source_file".into(), text(&|r| r.source_file.clone())),
        Column::new("source_sha256".into(), text(&|r| r.source_sha256.clone())),
        Column::new("source_row".into(), recs.iter().map(|r| r.source_row).collect::<Vec<u32>>()),
        Column::new("imported_at".into(), text(&|r| r.imported_at.clone())),
        Column::new("updated_at".into(), text(&|r| r.updated_at.clone())),
    ];
    if let Some(fw) = fw {
        let all: Vec<Vec<links::Link>> = recs.iter().map(|r| links::link(fw, r)).collect();
        columns.push(Column::new(
            "rights".into(),
            all.iter().map(|l| links::rights(l).join("\n")).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "indicators".into(),
            all.iter().map(|l| links::indicators(l).join("\n")).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "links".into(),
            all.iter()
                .map(|ls| {
                    ls.iter()
                        .map(|l| {
                            format!("{}: {}", l.indicator.as_deref().unwrap_or(&l.right), l.reason)
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect::<Vec<_>>(),
        ));
    }
    DataFrame::new_infer_height(columns)
}

fn from_frame(df: &DataFrame) -> PolarsResult<Vec<Recommendation>> {
    let s = |name: &str| df.column(name).and_then(|c| c.str().cloned());
    let (id, countries, mechanism, body, symbol) =
        (s("recommendation_id")?, s("countries")?, s("mechanism")?, s("body")?, s("symbol")?);
    let (paragraph, date, kind, themes, affected) =
        (s("paragraph")?, s("date")?, s("type")?, s("themes")?, s("affected_persons")?);
    let (sdgs, position, states, text) =
        (s("sdg_targets")?, s("upr_position")?, s("upr_recommending_states")?, s("text")?);
    let (file, sha, imported, updated) =
        (s("source_file")?, s("source_sha256")?, s("imported_at")?, s("updated_at")?);
    let session = df.column("upr_session")?.cast(&DataType::UInt32)?;
    let session = session.u32()?;
    let row = df.column("source_row")?.cast(&DataType::UInt32)?;
    let row = row.u32()?;
    let owned = |c: &StringChunked, i: usize| c.get(i).unwrap_or("").to_string();
    let some = |c: &StringChunked, i: usize| c.get(i).map(String::from);
    Ok((0..df.height())
        .map(|i| Recommendation {
            id: owned(&id, i),
            countries: split(countries.get(i)),
            mechanism: mechanism.get(i).and_then(Mechanism::from_code).unwrap_or(Mechanism::Other),
            body: owned(&body, i),
            symbol: owned(&symbol, i),
            paragraph: some(&paragraph, i),
            date: some(&date, i),
            kind: some(&kind, i),
            themes: split(themes.get(i)),
            affected: split(affected.get(i)),
            sdgs: split(sdgs.get(i)),
            position: some(&position, i),
            recommending_states: split(states.get(i)),
            upr_session: session.get(i),
            text: owned(&text, i),
            source_file: owned(&file, i),
            source_sha256: owned(&sha, i),
            source_row: row.get(i).unwrap_or(0),
            imported_at: owned(&imported, i),
            updated_at: owned(&updated, i),
        })
        .collect())
}
