//! What each page of the site says: the contexts its template renders. Numbers arrive
//! formatted for the page's language and rounded for people (the downloads keep full
//! precision); labels come from the framework and the message catalog.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use minijinja::{context, Value};

use super::svg::{self, Bar, Column};
use super::{government_files, published_reports, Options, Page, Sources};
use crate::charts::data::{median, ValueRow, MIN_PEERS};
use crate::charts::Labels;
use crate::framework::{Direction, Framework, Indicator};
use crate::i18n::{country_name, fold, format_number, tr, trf, Lang};
use crate::report::city::{
    change_words, outside_competence_of, show_score, to_check_by, value_words,
};
use crate::report::show_value;

/// A government as the site shows it: its latest return up to the site's year.
pub(crate) struct Gov {
    pub id: String,
    pub name: String,
    /// Its page's file name, without `.html`.
    pub file: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub level: Option<String>,
    pub population: Option<f64>,
    /// The years it returned a questionnaire (up to the site's year).
    pub years: Vec<i32>,
}

impl Gov {
    /// The year of its latest return.
    fn latest(&self) -> i32 {
        self.years.last().copied().unwrap_or_default()
    }
}

/// Everything the pages are made from.
pub(crate) struct Site<'a> {
    prep: Sources<'a>,
    fw: &'a Framework,
    langs: Vec<Lang>,
    opts: &'a Options,
    /// The reporting year.
    year: i32,
    /// Alphabetical.
    govs: Vec<Gov>,
    /// Each government's values of its latest year.
    values: HashMap<&'a str, Vec<&'a ValueRow>>,
    /// Each indicator's values of the site's year.
    by_indicator: HashMap<&'a str, Vec<&'a ValueRow>>,
    /// The PDFs published for each government.
    reports: BTreeMap<String, Vec<(i32, Lang, String)>>,
    /// The bytes of the zipped data package and of the year's workbook.
    sizes: (u64, u64),
}

/// A number in full precision for a CSV cell (empty when there is none).
fn num(x: Option<f64>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

/// Writes `dir/<id>.csv` for each of `ids` (safe file names), with `header` and the rows of
/// `rows` given for that id; an id without rows gets the header alone.
fn csv_per_id<'r>(
    dir: &Path,
    header: &[&str],
    ids: impl Iterator<Item = &'r str>,
    rows: impl Iterator<Item = (&'r str, Vec<String>)>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut by_id: HashMap<&str, Vec<Vec<String>>> = HashMap::new();
    for (id, row) in rows {
        by_id.entry(id).or_default().push(row);
    }
    for id in ids {
        let rows = by_id.remove(id).unwrap_or_default();
        crate::export::write_csv(
            &dir.join(format!("{}.csv", crate::export::file_part(id))),
            header,
            &rows,
        )?;
    }
    Ok(())
}

/// A page of the site, by kind, language and position (of a right, an indicator, a
/// government).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Spec {
    Root,
    Campaign(Lang),
    Rights(Lang),
    Right(Lang, usize),
    Indicators(Lang),
    Indicator(Lang, usize),
    Governments(Lang),
    Government(Lang, usize),
    Methodology(Lang),
    Downloads(Lang),
    Search(Lang),
}

/// Where a page is: its folder depth under the language's folder.
struct At<'p> {
    lang: Lang,
    /// The path under the language's folder (`rights/HEA.html`).
    path: &'p str,
    title: String,
    section: &'static str,
}

impl<'a> Site<'a> {
    pub fn new(prep: Sources<'a>, langs: &[Lang], opts: &'a Options, downloads: &Path) -> Site<'a> {
        let fw = prep.fw;
        let data = &prep.data;
        let year = opts.year.or_else(|| data.years().last().copied()).unwrap_or(0);
        let mut keys: Vec<&(String, i32)> =
            prep.facts.returns.keys().filter(|(_, y)| *y <= year).collect();
        keys.sort();
        let files = government_files(keys.iter().map(|(c, _)| c.as_str()));
        let mut govs: Vec<Gov> = Vec::new();
        for key in keys {
            let (city, y) = key;
            let p = &prep.facts.returns[key];
            // Sorted by city then year: the last one seen is the latest.
            match govs.last_mut() {
                Some(g) if &g.id == city => {
                    g.years.push(*y);
                    g.name = p.city_name.clone();
                    g.country = p.country.clone().or(g.country.take());
                    g.region = p.region.clone().or(g.region.take());
                    g.level = p.level.clone().or(g.level.take());
                    g.population = p.population.or(g.population);
                }
                _ => govs.push(Gov {
                    id: city.clone(),
                    name: p.city_name.clone(),
                    file: files.get(city).cloned().unwrap_or_default(),
                    country: p.country.clone(),
                    region: p.region.clone(),
                    level: p.level.clone(),
                    population: p.population,
                    years: vec![*y],
                }),
            }
        }
        govs.sort_by_cached_key(|g| (fold(&g.name), g.id.clone()));
        let latest: HashMap<&str, i32> =
            govs.iter().map(|g| (g.id.as_str(), *g.years.last().unwrap_or(&year))).collect();
        let mut values: HashMap<&str, Vec<&ValueRow>> = HashMap::new();
        let mut by_indicator: HashMap<&str, Vec<&ValueRow>> = HashMap::new();
        for v in &data.values {
            if v.carried_forward {
                continue;
            }
            if latest.get(v.city_id.as_str()) == Some(&v.year) {
                values.entry(v.city_id.as_str()).or_default().push(v);
            }
            if v.year == year {
                by_indicator.entry(v.indicator_id.as_str()).or_default().push(v);
            }
        }
        // The PDFs of the reports folder, which the downloads publish under the same
        // paths, and the sizes of the two big downloads, which the data page gives.
        let reports = opts.reports.as_deref().map_or_else(BTreeMap::new, |r| {
            published_reports(r, govs.iter().map(|g| g.id.as_str()))
        });
        let size = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
        let sizes = (
            size(downloads.join(super::PACKAGE_ZIP)),
            size(downloads.join("data").join(super::workbook_name(year))),
        );
        Site {
            prep,
            fw,
            langs: langs.to_vec(),
            opts,
            year,
            govs,
            values,
            by_indicator,
            reports,
            sizes,
        }
    }

    fn labels(&self, lang: Lang) -> Labels<'a> {
        Labels { fw: self.fw, lang }
    }

    /// Each indicator's values, every government and year, as CSV with full precision
    /// (`downloads/indicators/<id>.csv`).
    pub fn indicator_csvs(&self, dir: &Path) -> std::io::Result<()> {
        let rows =
            self.prep.data.values.iter().filter(|v| !v.carried_forward && v.year <= self.year);
        let rows = rows.map(|v| {
            let line = vec![
                v.city_id.clone(),
                v.city_name.clone(),
                v.region.clone().unwrap_or_default(),
                v.year.to_string(),
                num(v.value),
                v.status.clone(),
                num(v.score),
                num(v.change),
            ];
            (v.indicator_id.as_str(), line)
        });
        let header =
            ["city_id", "city_name", "region", "year", "value", "status", "score", "change"];
        let ids = self.fw.indicators.iter().map(|i| i.id.as_str());
        csv_per_id(dir, &header, ids, rows)
    }

    /// Each right's scores, every government and year, with the sub-scores by kind, as CSV
    /// with full precision (`downloads/rights/<id>.csv`).
    pub fn right_csvs(&self, dir: &Path) -> std::io::Result<()> {
        let rows =
            self.prep.data.scores.iter().filter(|s| !s.carried_forward && s.year <= self.year);
        let rows = rows.map(|s| {
            let line = vec![
                s.city_id.clone(),
                s.city_name.clone(),
                s.region.clone().unwrap_or_default(),
                s.year.to_string(),
                num(s.score),
                s.status.clone(),
                num(s.kinds[0]),
                num(s.kinds[1]),
                num(s.kinds[2]),
            ];
            (s.right_id.as_str(), line)
        });
        let header = [
            "city_id",
            "city_name",
            "region",
            "year",
            "score",
            "status",
            "score_structural",
            "score_process",
            "score_outcome",
        ];
        csv_per_id(dir, &header, self.fw.rights.iter().map(|r| r.id.as_str()), rows)
    }

    /// Every page of the site, to be made one by one ([`Site::page_of`]): a thousand
    /// governments' pages are never all in memory at once.
    pub fn pages(&self) -> Vec<Spec> {
        let mut out = vec![Spec::Root];
        for &lang in &self.langs {
            out.push(Spec::Campaign(lang));
            out.push(Spec::Rights(lang));
            out.extend((0..self.fw.rights.len()).map(|i| Spec::Right(lang, i)));
            out.push(Spec::Indicators(lang));
            out.extend((0..self.fw.indicators.len()).map(|i| Spec::Indicator(lang, i)));
            out.push(Spec::Governments(lang));
            out.extend((0..self.govs.len()).map(|i| Spec::Government(lang, i)));
            out.push(Spec::Methodology(lang));
            out.push(Spec::Downloads(lang));
            out.push(Spec::Search(lang));
        }
        out
    }

    /// The page `spec` stands for.
    pub fn page_of(&self, spec: &Spec) -> Page {
        match *spec {
            Spec::Root => self.root(),
            Spec::Campaign(l) => self.campaign(l),
            Spec::Rights(l) => self.rights(l),
            Spec::Right(l, i) => self.right(l, &self.fw.rights[i]),
            Spec::Indicators(l) => self.indicators(l),
            Spec::Indicator(l, i) => self.indicator(l, &self.fw.indicators[i]),
            Spec::Governments(l) => self.governments(l),
            Spec::Government(l, i) => self.government(l, &self.govs[i]),
            Spec::Methodology(l) => self.methodology(l),
            Spec::Downloads(l) => self.downloads(l),
            Spec::Search(l) => self.search(l),
        }
    }

    /// What every page of a language says in its frame: the language, the way to the
    /// site's root and to the language's home, the other languages, the menu.
    fn frame(&self, at: &At<'_>) -> Value {
        let depth = at.path.matches('/').count();
        let home = "../".repeat(depth);
        let root = format!("{home}../");
        let alternates: Vec<Value> = self
            .langs
            .iter()
            .map(|&l| {
                context! {
                    code => l.code(),
                    name => tr(l, "site.language_name"),
                    href => format!("{root}{}/{}", l.code(), at.path),
                    current => l == at.lang,
                }
            })
            .collect();
        context! {
            lang => at.lang.code(),
            title => at.title.clone(),
            section => at.section,
            root => root,
            home => home,
            alternates => alternates,
            today => self.opts.today.clone(),
            version => self.fw.version.clone(),
            year => self.year,
        }
    }

    fn page(&self, at: At<'_>, template: &'static str, body: Value) -> Page {
        let frame = self.frame(&at);
        Page {
            path: format!("{}/{}", at.lang.code(), at.path),
            template,
            context: context! { ..frame, ..context! { page => body } },
        }
    }

    /// `site/index.html`: the way into each language.
    fn root(&self) -> Page {
        let langs: Vec<Value> = self
            .langs
            .iter()
            .map(|&l| {
                context! {
                    code => l.code(),
                    name => tr(l, "site.language_name"),
                    title => tr(l, "site.title"),
                    enter => tr(l, "site.enter"),
                }
            })
            .collect();
        let lang = self.langs.first().copied().unwrap_or(Lang::En);
        Page {
            path: "index.html".into(),
            template: "root.html.j2",
            context: context! {
                lang => lang.code(),
                title => tr(lang, "site.title"),
                root => "",
                languages => langs,
            },
        }
    }

    /// A government's name, country, region and level, and the way to its page from a page
    /// whose way to the governments' folder is `to_governments`.
    fn gov_link(&self, g: &Gov, lang: Lang, to_governments: &str) -> Value {
        let labels = self.labels(lang);
        context! {
            name => g.name.clone(),
            href => format!("{to_governments}{}.html", g.file),
            country => g.country.as_deref().map(|c| country_name(c, lang)).unwrap_or_default(),
            region => labels.region(g.region.as_deref()),
            level => g.level.as_deref().map(|l| labels.choice("government_level", l)).unwrap_or_default(),
        }
    }

    /// The campaign's home page: progress toward the milestones, who reports, the medians
    /// of the right scores.
    fn campaign(&self, lang: Lang) -> Page {
        let labels = self.labels(lang);
        let data = &self.prep.data;
        let year = self.year;
        let observed = data.campaign.iter().rfind(|c| !c.projected && c.year <= year);
        let committed = observed.map_or(0.0, |c| c.cumulative);
        let milestones: Vec<(f64, String, String)> = self
            .prep
            .method
            .milestones
            .iter()
            .map(|&m| {
                let goal = f64::from(m);
                let key = if committed >= goal {
                    "site.campaign.milestone_reached"
                } else {
                    "site.campaign.of_milestone"
                };
                let label = trf(
                    lang,
                    key,
                    &[
                        ("n", &format_number(committed, 0, lang)),
                        ("goal", &format_number(goal, 0, lang)),
                    ],
                );
                (goal, format_number(goal, 0, lang), label)
            })
            .collect();
        let progress_chart = svg::milestones(
            "progress",
            tr(lang, "site.campaign.progress_title"),
            &trf(
                lang,
                "site.campaign.progress_desc",
                &[("n", &format_number(committed, 0, lang)), ("year", &year)],
            ),
            committed,
            &milestones,
        );
        let progress: Vec<Value> = data
            .campaign
            .iter()
            .filter(|c| !c.projected && c.year <= year)
            .map(|c| {
                context! {
                    year => c.year,
                    committed => format_number(c.cumulative, 0, lang),
                    reporting => c.reporting.map(|r| format_number(f64::from(r), 0, lang)).unwrap_or_else(|| "–".into()),
                }
            })
            .collect();
        let reporting: Vec<&Gov> =
            self.govs.iter().filter(|g| g.years.last() == Some(&year)).collect();
        let mut regions: BTreeMap<usize, (String, usize)> = BTreeMap::new();
        for g in &reporting {
            let e = regions
                .entry(labels.region_order(g.region.as_deref()))
                .or_insert_with(|| (labels.region(g.region.as_deref()), 0));
            e.1 += 1;
        }
        let regions: Vec<Value> =
            regions.into_values().map(|(name, n)| context! { name => name, n => n }).collect();
        let n = data.governments_in(year, None);
        let rows: Vec<Bar> = self
            .fw
            .rights
            .iter()
            .map(|r| {
                let m = data.campaign_median(year, &r.id);
                Bar { label: labels.right(&r.id), value: m, shown: show_score(m, lang), mark: None }
            })
            .collect();
        let medians_chart = svg::bars(
            "medians",
            &trf(lang, "site.campaign.medians_title", &[("year", &year)]),
            &trf(lang, "site.campaign.medians_desc", &[("n", &n), ("year", &year)]),
            &rows,
            tr(lang, "site.no_value"),
            "",
        );
        let medians: Vec<Value> = self
            .fw
            .rights
            .iter()
            .zip(&rows)
            .map(|(r, b)| {
                context! {
                    title => labels.right(&r.id),
                    href => format!("rights/{}.html", crate::export::file_part(&r.id)),
                    median => b.shown.clone(),
                }
            })
            .collect();
        let countries: std::collections::HashSet<&str> =
            reporting.iter().filter_map(|g| g.country.as_deref()).collect();
        let body = context! {
            committed => format_number(committed, 0, lang),
            reporting => reporting.len(),
            countries => countries.len(),
            returns => self.prep.facts.returns.keys().filter(|(_, y)| *y <= year).count(),
            governments => self.govs.len(),
            progress_chart => Value::from_safe_string(progress_chart),
            progress => progress,
            regions => regions,
            medians_chart => Value::from_safe_string(medians_chart),
            medians => medians,
            n => n,
        };
        let title = tr(lang, "site.campaign.title").to_string();
        self.page(
            At { lang, path: "index.html", title, section: "campaign" },
            "campaign.html.j2",
            body,
        )
    }

    fn rights(&self, lang: Lang) -> Page {
        let data = &self.prep.data;
        let rights: Vec<Value> = self
            .fw
            .rights
            .iter()
            .map(|r| {
                context! {
                    title => r.title.get(lang),
                    summary => r.summary.get(lang),
                    href => format!("{}.html", crate::export::file_part(&r.id)),
                    indicators => self.fw.indicators.iter().filter(|i| i.right == r.id).count(),
                    median => show_score(data.campaign_median(self.year, &r.id), lang),
                }
            })
            .collect();
        let title = tr(lang, "site.rights.title").to_string();
        self.page(
            At { lang, path: "rights/index.html", title, section: "rights" },
            "rights.html.j2",
            context! { rights => rights },
        )
    }

    /// How many governments' values fall in each band: a histogram's columns and the
    /// table beside it.
    fn bands(&self, scores: &[f64]) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> =
            (0..5).map(|b| (format!("{}–{}", b * 20, b * 20 + 20), 0)).collect();
        for s in scores {
            let b = ((s / 20.0).floor() as usize).min(4);
            out[b].1 += 1;
        }
        out
    }

    fn right(&self, lang: Lang, right: &crate::framework::Right) -> Page {
        let labels = self.labels(lang);
        let data = &self.prep.data;
        let year = self.year;
        let mut rows = Vec::new();
        let mut scores = Vec::new();
        for s in data
            .scores
            .iter()
            .filter(|s| s.year == year && s.right_id == right.id && !s.carried_forward)
        {
            let Some(g) = self.govs.iter().find(|g| g.id == s.city_id) else { continue };
            if let Some(v) = s.score {
                scores.push(v);
            }
            rows.push((
                fold(&g.name),
                context! {
                    gov => self.gov_link(g, lang, "../governments/"),
                    score => show_score(s.score, lang),
                    sort => s.score.map(|v| format!("{v:.3}")).unwrap_or_default(),
                    kinds => s.kinds.iter().map(|k| show_score(*k, lang)).collect::<Vec<_>>(),
                    status => if s.score.is_none() { tr(lang, &format!("site.score_status.{}", s.status)).to_string() } else { String::new() },
                },
            ));
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let bands = self.bands(&scores);
        let cols: Vec<Column> =
            bands.iter().map(|(l, n)| Column { label: l.clone(), count: *n }).collect();
        let title = right.title.get(lang).to_string();
        let chart = svg::columns(
            "scores",
            &trf(
                lang,
                "site.right.chart_title",
                &[("right", &labels.right(&right.id)), ("year", &year)],
            ),
            &trf(lang, "site.right.chart_desc", &[("n", &scores.len()), ("year", &year)]),
            &cols,
            tr(lang, "site.right.chart_axis"),
        );
        let indicators: Vec<Value> = self
            .fw
            .indicators
            .iter()
            .filter(|i| i.right == right.id)
            .map(|i| self.indicator_summary(lang, i))
            .collect();
        let body = context! {
            id => right.id.clone(),
            title => title.clone(),
            summary => right.summary.get(lang),
            source => right.source.get(lang),
            treaties => right.treaty.iter().chain(&right.general_comment).map(|t| crate::i18n::treaty_ref(t, lang)).collect::<Vec<_>>(),
            charter => right.charter_agenda.iter().map(|c| format!("art. {c}")).collect::<Vec<_>>(),
            indicators => indicators,
            chart => Value::from_safe_string(chart),
            bands => bands.iter().map(|(l, n)| context! { band => l, n => n }).collect::<Vec<_>>(),
            median => show_score(median(&mut scores.clone()), lang),
            scored => scores.len(),
            rows => rows.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
            csv => format!("../../downloads/rights/{}.csv", crate::export::file_part(&right.id)),
        };
        let path = format!("rights/{}.html", crate::export::file_part(&right.id));
        self.page(At { lang, path: &path, title, section: "rights" }, "right.html.j2", body)
    }

    /// An indicator in a list: its title, kind, unit, how many governments have a value
    /// this year and their median.
    fn indicator_summary(&self, lang: Lang, i: &Indicator) -> Value {
        let values: Vec<f64> = self
            .by_indicator
            .get(i.id.as_str())
            .map(|v| v.iter().filter(|r| r.status == "ok").filter_map(|r| r.value).collect())
            .unwrap_or_default();
        context! {
            id => i.id.clone(),
            title => i.title.get(lang),
            href => format!("../indicators/{}.html", crate::export::file_part(&i.id)),
            kind => self.kind(i, lang),
            n => values.len(),
            median => self.typical(lang, i, &values).unwrap_or_else(|| "–".into()),
        }
    }

    /// What the governments' values of `i` are like: the median, or for a yes/no measure
    /// how many have it ("7 of 10: yes"), which a median of yes and no would hide.
    fn typical(&self, lang: Lang, i: &Indicator, values: &[f64]) -> Option<String> {
        if values.is_empty() {
            return None;
        }
        if crate::report::is_yes_no(self.fw, &i.unit) {
            let yes = values.iter().filter(|v| **v >= 0.5).count();
            return Some(trf(lang, "site.yes_count", &[("yes", &yes), ("n", &values.len())]));
        }
        median(&mut values.to_vec()).map(|m| show_value(self.fw, &i.unit, m, lang))
    }

    fn kind(&self, i: &Indicator, lang: Lang) -> String {
        self.fw
            .vocab
            .kinds
            .get(i.kind.name())
            .map_or(i.kind.name().to_string(), |k| k.get(lang).to_string())
    }

    fn indicators(&self, lang: Lang) -> Page {
        let labels = self.labels(lang);
        let rights: Vec<Value> = self
            .fw
            .rights
            .iter()
            .map(|r| {
                context! {
                    title => labels.right(&r.id),
                    href => format!("../rights/{}.html", crate::export::file_part(&r.id)),
                    indicators => self.fw.indicators.iter().filter(|i| i.right == r.id).map(|i| self.indicator_summary(lang, i)).collect::<Vec<_>>(),
                }
            })
            .collect();
        let title = tr(lang, "site.indicators.title").to_string();
        self.page(
            At { lang, path: "indicators/index.html", title, section: "indicators" },
            "indicators.html.j2",
            context! { rights => rights },
        )
    }

    /// The columns of an indicator's histogram: yes and no for a yes/no measure, else five
    /// bands between its goalposts (or its values' range).
    fn indicator_bands(&self, lang: Lang, i: &Indicator, values: &[f64]) -> Vec<(String, u32)> {
        if crate::report::is_yes_no(self.fw, &i.unit) {
            let yes = values.iter().filter(|v| **v >= 0.5).count() as u32;
            return vec![
                (tr(lang, "word.yes").to_string(), yes),
                (tr(lang, "word.no").to_string(), values.len() as u32 - yes),
            ];
        }
        let (lo, hi) = match i.goalposts {
            Some(g) => (g.lo.min(g.hi), g.lo.max(g.hi)),
            None => (
                values.iter().copied().fold(f64::INFINITY, f64::min),
                values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ),
        };
        if !lo.is_finite() || !hi.is_finite() {
            return Vec::new();
        }
        let lo = lo.min(values.iter().copied().fold(lo, f64::min));
        let hi = hi.max(values.iter().copied().fold(hi, f64::max));
        let width = ((hi - lo) / 5.0).max(f64::EPSILON);
        let short = |x: f64| format_number(x, crate::charts::value_decimals(width), lang);
        let mut out: Vec<(String, u32)> = (0..5)
            .map(|b| {
                let a = lo + width * b as f64;
                (format!("{}–{}", short(a), short(a + width)), 0)
            })
            .collect();
        for v in values {
            let b = (((v - lo) / width).floor().max(0.0) as usize).min(4);
            out[b].1 += 1;
        }
        out
    }

    fn indicator(&self, lang: Lang, i: &Indicator) -> Page {
        let labels = self.labels(lang);
        let fw = self.fw;
        let year = self.year;
        let rows: &[&ValueRow] = self.by_indicator.get(i.id.as_str()).map_or(&[], |v| v);
        let values: Vec<f64> =
            rows.iter().filter(|r| r.status == "ok").filter_map(|r| r.value).collect();
        let bands = self.indicator_bands(lang, i, &values);
        let cols: Vec<Column> =
            bands.iter().map(|(l, n)| Column { label: l.clone(), count: *n }).collect();
        let title = i.title.get(lang).to_string();
        let unit = fw.unit_label(&i.unit, lang).to_string();
        let chart = svg::columns(
            "values",
            &trf(lang, "site.indicator.chart_title", &[("year", &year)]),
            &trf(
                lang,
                "site.indicator.chart_desc",
                &[("n", &values.len()), ("year", &year), ("indicator", &title)],
            ),
            &cols,
            &unit,
        );
        let by_gov: HashMap<&str, &Gov> = self.govs.iter().map(|g| (g.id.as_str(), g)).collect();
        let mut table = Vec::new();
        for r in rows {
            let Some(g) = by_gov.get(r.city_id.as_str()) else { continue };
            let (value, note) = self.value_words(lang, i, r, g);
            table.push((
                fold(&g.name),
                context! {
                    gov => self.gov_link(g, lang, "../governments/"),
                    value => value,
                    numeric => r.status == "ok",
                    sort => r.value.map(|v| format!("{v:.6}")).unwrap_or_default(),
                    score => show_score(r.score, lang),
                    change => if r.definition_changed { tr(lang, "report.definition_changed").to_string() } else { change_words(fw, i, r.change, lang) },
                    note => note,
                },
            ));
        }
        table.sort_by(|a, b| a.0.cmp(&b.0));
        let goalposts = i.goalposts.map(|g| {
            let (worst, best) = match i.direction {
                Direction::HigherIsBetter => (g.lo, g.hi),
                Direction::LowerIsBetter => (g.hi, g.lo),
            };
            trf(
                lang,
                "report.scale",
                &[
                    ("worst", &show_value(fw, &i.unit, worst, lang)),
                    ("best", &show_value(fw, &i.unit, best, lang)),
                ],
            )
        });
        let questions: Vec<Value> = i
            .formula
            .node
            .questions()
            .into_iter()
            .filter_map(|q| fw.question(q))
            .map(|q| context! { id => q.id.clone(), text => q.text.get(lang) })
            .collect();
        let sdg = tr(lang, "field.sdg");
        let mut mappings: Vec<String> = i.sdg.iter().map(|s| format!("{sdg} {s}")).collect();
        mappings.extend(
            i.sdg_when
                .iter()
                .map(|w| format!("{sdg} {} ({} {})", w.code, tr(lang, "field.when"), w.when.text)),
        );
        let related = tr(lang, "field.sdg_related");
        mappings.extend(i.sdg_related.iter().map(|s| format!("{related} {s}")));
        let gaps = self.group_gaps(lang, i);
        let body = context! {
            id => i.id.clone(),
            title => title.clone(),
            definition => i.definition.as_ref().map(|d| d.get(lang).to_string()),
            right => labels.right(&i.right),
            right_href => format!("../rights/{}.html", crate::export::file_part(&i.right)),
            kind => self.kind(i, lang),
            unit => unit,
            direction => tr(lang, match i.direction { Direction::HigherIsBetter => "site.higher_is_better", Direction::LowerIsBetter => "site.lower_is_better" }),
            formula => i.formula.text.clone(),
            questions => questions,
            goalposts => goalposts,
            treaties => i.treaty.iter().chain(&i.general_comment).map(|t| crate::i18n::treaty_ref(t, lang)).collect::<Vec<_>>(),
            sdgs => mappings,
            charter => i.charter_agenda.iter().map(|c| format!("art. {c}")).collect::<Vec<_>>(),
            source => i.source.get(lang),
            chart => Value::from_safe_string(chart),
            bands => bands.iter().map(|(l, n)| context! { band => l, n => n }).collect::<Vec<_>>(),
            median => self.typical(lang, i, &values),
            yes_no => crate::report::is_yes_no(fw, &i.unit),
            with_value => values.len(),
            rows => table.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
            gaps => gaps,
            csv => format!("../../downloads/indicators/{}.csv", crate::export::file_part(&i.id)),
        };
        let path = format!("indicators/{}.html", crate::export::file_part(&i.id));
        self.page(At { lang, path: &path, title, section: "indicators" }, "indicator.html.j2", body)
    }

    /// The groups left behind on `i` across governments this year.
    fn group_gaps(&self, lang: Lang, i: &Indicator) -> Vec<Value> {
        let labels = self.labels(lang);
        self.prep
            .data
            .gaps
            .iter()
            .filter(|g| g.year == self.year && g.indicator_id == i.id && g.n > 0)
            .filter(|g| !labels.city_named(&g.dimension))
            .filter(|g| g.reference_category.as_deref() != Some(g.category.as_str()))
            .map(|g| {
                context! {
                    group => labels.group(&g.dimension, &g.category),
                    n => g.n,
                    left_behind => g.n_left_behind,
                    median_gap => g.median_gap.map(|x| format_number(x, crate::charts::value_decimals(x), lang)).unwrap_or_else(|| "–".into()),
                }
            })
            .collect()
    }

    /// A value as the site prints it, and what to note beside it (to be checked, outside
    /// the government's competence…).
    fn value_words(&self, lang: Lang, i: &Indicator, r: &ValueRow, g: &Gov) -> (String, String) {
        let fw = self.fw;
        let facts = self.prep.facts.returns.get(&(g.id.clone(), r.year));
        let ticks = facts.and_then(|f| f.competences.as_deref());
        let value = value_words(fw, i, r, || outside_competence_of(fw, i, ticks, lang), lang);
        let reasons = match facts {
            Some(f) if r.year == g.latest() => {
                to_check_by(i, r, |q| f.codes.get(q).map(String::as_str), lang)
            }
            _ => Vec::new(),
        };
        let note = if reasons.is_empty() {
            String::new()
        } else {
            format!("{}: {}", tr(lang, "report.check.label"), reasons.join("; "))
        };
        (value, note)
    }

    fn governments(&self, lang: Lang) -> Page {
        let labels = self.labels(lang);
        let mut regions: BTreeMap<usize, (String, Vec<Value>)> = BTreeMap::new();
        for g in &self.govs {
            let mut link = self.gov_link(g, lang, "");
            link = context! { ..link, ..context! { years => g.years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ") } };
            regions
                .entry(labels.region_order(g.region.as_deref()))
                .or_insert_with(|| (labels.region(g.region.as_deref()), Vec::new()))
                .1
                .push(link);
        }
        let regions: Vec<Value> = regions
            .into_values()
            .enumerate()
            .map(|(n, (name, govs))| context! { id => format!("region-{n}"), name => name, governments => govs })
            .collect();
        let title = tr(lang, "site.governments.title").to_string();
        self.page(
            At { lang, path: "governments/index.html", title, section: "governments" },
            "governments.html.j2",
            context! { regions => regions, n => self.govs.len() },
        )
    }

    fn government(&self, lang: Lang, g: &Gov) -> Page {
        let labels = self.labels(lang);
        let fw = self.fw;
        let data = &self.prep.data;
        let year = *g.years.last().unwrap_or(&self.year);
        let previous = g.years.iter().rev().nth(1).copied();
        let in_region = data.governments_in(year, g.region.as_deref());
        let by_region = g.region.is_some() && in_region >= MIN_PEERS;
        let compared = |right: &str| {
            if by_region {
                data.region_median(year, g.region.as_deref(), right)
            } else {
                data.campaign_median(year, right)
            }
        };
        let scores: HashMap<(&str, i32), &crate::charts::data::ScoreRow> = data
            .city_scores(&g.id)
            .filter(|s| !s.carried_forward)
            .map(|s| ((s.right_id.as_str(), s.year), s))
            .collect();
        let mut bars = Vec::new();
        let mut score_rows = Vec::new();
        for r in &fw.rights {
            let this = scores.get(&(r.id.as_str(), year));
            let score = this.and_then(|s| s.score);
            let before =
                previous.and_then(|p| scores.get(&(r.id.as_str(), p))).and_then(|s| s.score);
            let m = compared(&r.id);
            bars.push(Bar {
                label: labels.right(&r.id),
                value: score,
                shown: show_score(score, lang),
                mark: m,
            });
            score_rows.push(context! {
                right => labels.right(&r.id),
                href => format!("#right-{}", crate::export::file_part(&r.id)),
                score => show_score(score, lang),
                kinds => this.map_or([None; 3], |s| s.kinds).iter().map(|k| show_score(*k, lang)).collect::<Vec<_>>(),
                median => show_score(m, lang),
                previous => show_score(before, lang),
            });
        }
        let median_note = if by_region {
            trf(
                lang,
                "report.median_region",
                &[("region", &labels.region(g.region.as_deref())), ("n", &in_region)],
            )
        } else {
            trf(
                lang,
                "report.median_campaign",
                &[
                    ("region", &labels.region(g.region.as_deref())),
                    ("n", &in_region),
                    ("min", &MIN_PEERS),
                    ("all", &data.governments_in(year, None)),
                ],
            )
        };
        let chart = svg::bars(
            "rights",
            &trf(lang, "site.government.chart_title", &[("name", &g.name), ("year", &year)]),
            &trf(lang, "site.government.chart_desc", &[("name", &g.name), ("year", &year)]),
            &bars,
            tr(lang, "site.no_value"),
            tr(lang, "site.col.compared"),
        );
        let values: &[&ValueRow] = self.values.get(g.id.as_str()).map_or(&[], |v| v);
        let rights: Vec<Value> = fw
            .rights
            .iter()
            .map(|r| {
                let rows: Vec<Value> = values
                    .iter()
                    .filter_map(|v| fw.indicator(&v.indicator_id).filter(|i| i.right == r.id).map(|i| (i, v)))
                    .map(|(i, v)| {
                        let (value, note) = self.value_words(lang, i, v, g);
                        context! {
                            title => i.title.get(lang),
                            href => format!("../indicators/{}.html", crate::export::file_part(&i.id)),
                            kind => self.kind(i, lang),
                            value => value,
                            change => if v.definition_changed { tr(lang, "report.definition_changed").to_string() } else { change_words(fw, i, v.change, lang) },
                            note => note,
                        }
                    })
                    .collect();
                context! {
                    id => format!("right-{}", crate::export::file_part(&r.id)),
                    title => labels.right(&r.id),
                    href => format!("../rights/{}.html", crate::export::file_part(&r.id)),
                    indicators => rows,
                }
            })
            .collect();
        let groups: Vec<Value> = data
            .city_groups(&g.id)
            .filter(|x| x.year == year && x.is_left_behind())
            .filter_map(|x| {
                let i = fw.indicator(&x.indicator_id)?;
                let reference = match &x.reference_category {
                    Some(c) => labels.category(&x.dimension, c),
                    None => tr(lang, "site.government.whole").to_string(),
                };
                Some(context! {
                    indicator => i.title.get(lang),
                    href => format!("../indicators/{}.html", crate::export::file_part(&i.id)),
                    group => labels.group(&x.dimension, &x.category),
                    value => x.value.map(|v| show_value(fw, &i.unit, v, lang)).unwrap_or_default(),
                    reference => reference,
                    reference_value => x.reference_value.map(|v| show_value(fw, &i.unit, v, lang)).unwrap_or_default(),
                })
            })
            .collect();
        let recs = &self.prep.facts.recommendations;
        let para = tr(lang, "rec.para");
        let followup: Vec<Value> = data
            .followup
            .iter()
            .filter(|f| f.city_id == g.id && f.year == year)
            .map(|f| {
                let rec = recs.get(f.recommendation_id.as_str());
                context! {
                    citation => rec.map_or_else(|| f.recommendation_id.clone(), |r| r.citation(para)),
                    body => rec.map(|r| r.body.clone()).unwrap_or_default(),
                    competence => f.competence.as_deref().map(|c| crate::questionnaire::layout::followup_label(c, lang)).unwrap_or_default(),
                    status => crate::report::followup::status_label(f.status.as_deref(), lang),
                }
            })
            .collect();
        let reports: Vec<Value> = self
            .reports
            .get(&g.id)
            .into_iter()
            .flatten()
            .map(|(y, l, path)| {
                context! {
                    year => y,
                    language => tr(*l, "site.language_name"),
                    lang => l.code(),
                    href => format!("../../downloads/reports/{path}"),
                }
            })
            .collect();
        let body = context! {
            gov => self.gov_link(g, lang, "../governments/"),
            year => year,
            years => g.years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", "),
            population => g.population.map(|p| format_number(p, 0, lang)),
            chart => Value::from_safe_string(chart),
            scores => score_rows,
            median_note => median_note,
            rights => rights,
            groups => groups,
            followup => followup,
            reports => reports,
        };
        let path = format!("governments/{}.html", g.file);
        self.page(
            At { lang, path: &path, title: g.name.clone(), section: "governments" },
            "government.html.j2",
            body,
        )
    }

    fn methodology(&self, lang: Lang) -> Page {
        let mut paragraphs =
            crate::report::city::method_paragraphs(self.fw, self.prep.method, lang);
        // The reports' last paragraph announces the annex that follows; here each
        // indicator's page is the annex.
        paragraphs.pop();
        paragraphs.push(trf(
            lang,
            "site.methodology.framework",
            &[("id", &self.fw.id), ("version", &self.fw.version), ("n", &self.fw.indicators.len())],
        ));
        let glossary: Vec<Value> = crate::i18n::instruments(lang)
            .into_iter()
            .map(|(abbr, name)| context! { abbr => abbr, name => name })
            .chain(["gc", "gr", "sdg", "upr", "ca", "pp"].iter().map(|key| {
                context! {
                    abbr => tr(lang, &format!("glossary.{key}.abbr")),
                    name => tr(lang, &format!("glossary.{key}.name")),
                }
            }))
            .collect();
        let pdf = format!("../downloads/reports/methodology/methodology-{}.pdf", lang.code());
        let has_pdf = self.opts.reports.as_ref().is_some_and(|r| {
            r.join(format!("methodology/methodology-{}.pdf", lang.code())).is_file()
        });
        let title = tr(lang, "site.methodology.title").to_string();
        self.page(
            At { lang, path: "methodology.html", title, section: "methodology" },
            "methodology.html.j2",
            context! {
                paragraphs => paragraphs,
                glossary => glossary,
                pdf => has_pdf.then_some(pdf),
            },
        )
    }

    fn downloads(&self, lang: Lang) -> Page {
        let tables: Vec<Value> = [
            "indicators",
            "scores",
            "aggregates",
            "campaign",
            "quality",
            "indicators_by_group",
            "disaggregation_status",
            "group_aggregates",
            "recommendations",
            "recommendation_followup",
            "responses",
        ]
        .iter()
        .map(|t| {
            let title = tr(lang, &format!("dp.resource.{t}.title")).to_string();
            let key = format!("dp.resource.{t}.description");
            let description = tr(lang, &key).to_string();
            context! {
                name => t,
                title => title,
                description => if description == key { String::new() } else { description },
                parquet => format!("../downloads/data/{t}.parquet"),
            }
        })
        .collect();
        let title = tr(lang, "site.downloads.title").to_string();
        let (licence, _, licence_url) = crate::compute::PUBLIC_LICENCE;
        let mb = |b: u64| format_number((b as f64 / 1e6).max(0.1), 1, lang);
        self.page(
            At { lang, path: "downloads.html", title, section: "downloads" },
            "downloads.html.j2",
            context! {
                tables => tables,
                zip => format!("../downloads/{}", super::PACKAGE_ZIP),
                zip_mb => mb(self.sizes.0),
                workbook => format!("../downloads/data/{}", super::workbook_name(self.year)),
                workbook_mb => mb(self.sizes.1),
                dictionary => "../downloads/data/dictionary.csv",
                licence_file => "../downloads/data/LICENSE.txt",
                licence => licence,
                licence_url => licence_url,
                has_reports => !self.reports.is_empty(),
            },
        )
    }

    fn search(&self, lang: Lang) -> Page {
        let labels = self.labels(lang);
        let mut entries: Vec<Value> = Vec::new();
        for r in &self.fw.rights {
            entries.push(context! { kind => tr(lang, "site.search.right"), name => r.title.get(lang), href => format!("rights/{}.html", crate::export::file_part(&r.id)) });
        }
        for i in &self.fw.indicators {
            entries.push(context! { kind => tr(lang, "site.search.indicator"), name => format!("{} ({})", i.title.get(lang), i.id), href => format!("indicators/{}.html", crate::export::file_part(&i.id)) });
        }
        for g in &self.govs {
            let country = g.country.as_deref().map(|c| country_name(c, lang)).unwrap_or_default();
            entries.push(context! { kind => tr(lang, "site.search.government"), name => g.name.clone(), detail => format!("{country} · {}", labels.region(g.region.as_deref())), href => format!("governments/{}.html", g.file) });
        }
        let title = tr(lang, "site.search.title").to_string();
        self.page(
            At { lang, path: "search.html", title, section: "search" },
            "search.html.j2",
            context! { entries => entries },
        )
    }
}
