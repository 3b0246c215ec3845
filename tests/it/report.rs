//! Reports: the city self-assessment, the campaign report and submissions compile to PDF in
//! en, es and fr from sample-data; return text prints literally; non-Latin names have real
//! glyphs; every written `.typ` folder compiles with a stock Typst; the submission's word
//! limit is checked and its `.docx` opens in LibreOffice; who is left behind: the city's
//! groups, the campaign's breakdowns and gaps, and a submission's group gaps.
//!
//! External tools (pdftotext, pdffonts, LibreOffice, Python's `typst`) are skipped when
//! missing, unless HRCITIES_REQUIRE_TOOLS is set (CI sets it). HRCITIES_KEEP_REPORTS=DIR
//! keeps the reports there, to look at the pages.

use std::path::{Path, PathBuf};
use std::process::Output;

use hrcities::charts::data::GroupRow;
use hrcities::charts::ChartData;
use hrcities::compute::{compute, Dataset, Method};
use hrcities::framework::{load_embedded, Framework};
use hrcities::i18n::{format_percent, Lang};
use hrcities::report::escape::markup;
use hrcities::report::submission::{Mechanism, Options, MAX_ISSUES, MIN_ISSUES};
use hrcities::report::Reporter;
use hrcities::store::Store;

use crate::common::hrcities;

const VILLA: &str = "COL-villa-esperanza-del-sur";

/// Files sample-data in a store at `store`.
fn ingest_sample(store: &Path) {
    hrcities()
        .args(["-q", "ingest", "--store"])
        .arg(store)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
        .output()
        .expect("runs");
}

/// The sample data, ingested and computed.
struct Fixture {
    tmp: tempfile::TempDir,
    fw: Framework,
    ds: Dataset,
    data: ChartData,
    method: Method,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    ingest_sample(&store);
    let fw = load_embedded(Lang::En).framework;
    let ds = Dataset::load(&Store::open(&store).expect("a store"), &fw).expect("loads");
    let method = Method::default();
    let results = compute(&fw, &ds, &method).expect("computes");
    let data = ChartData::from_results(&results).expect("chart data");
    Fixture { tmp, fw, ds, data, method }
}

impl Fixture {
    fn reporter(&self) -> Reporter<'_> {
        Reporter::new(&self.fw, &self.ds, &self.data, &self.method).expect("templates")
    }

    fn out(&self) -> PathBuf {
        std::env::var("HRCITIES_KEEP_REPORTS")
            .map(PathBuf::from)
            .unwrap_or_else(|_| self.tmp.path().join("reports"))
    }

    /// Renames `city` everywhere the reports read its name.
    fn rename(&mut self, city: &str, name: &str) {
        for (r, p) in self.ds.returns.iter_mut().zip(self.ds.profiles.iter_mut()) {
            if r.city_id == city {
                r.city_name = name.into();
                p.city_name = name.into();
            }
        }
        for v in self.data.values.iter_mut().filter(|v| v.city_id == city) {
            v.city_name = name.into();
        }
        for s in self.data.scores.iter_mut().filter(|s| s.city_id == city) {
            s.city_name = name.into();
        }
    }
}

/// Runs an external tool; `None` when it is not installed (a failure under
/// HRCITIES_REQUIRE_TOOLS).
fn tool(program: &str, args: &[&str]) -> Option<Output> {
    match std::process::Command::new(program).args(args).output() {
        Ok(out) => Some(out),
        Err(e) => {
            assert!(
                std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
                "{program} is required: {e}"
            );
            None
        }
    }
}

fn pdf_text(pdf: &Path) -> Option<String> {
    let out = tool("pdftotext", &[pdf.to_str()?, "-"])?;
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    Some(String::from_utf8_lossy(&out.stdout).into())
}

#[test]
fn a_city_report_compiles_in_three_languages_with_numbers_formatted_for_each() {
    let f = fixture();
    let reporter = f.reporter();
    // A percentage with a decimal that Villa Esperanza del Sur reported in 2026.
    let pct = f
        .data
        .values
        .iter()
        .find(|v| {
            v.city_id == VILLA
                && v.year == 2026
                && v.status == "ok"
                && f.fw.indicator(&v.indicator_id).is_some_and(|i| i.unit == "percent")
                && v.value.is_some_and(|x| (x * 10.0).round() % 10.0 != 0.0)
        })
        .and_then(|v| v.value)
        .expect("a percentage with a decimal");
    for (lang, heading, shown) in [
        (Lang::En, "Methodology", format!("{:.1}%", pct)),
        (Lang::Es, "Metodología", format!("{:.1}\u{a0}%", pct).replace('.', ",")),
        (Lang::Fr, "Méthodologie", format!("{:.1}\u{202f}%", pct).replace('.', ",")),
    ] {
        let r = reporter.city(VILLA, 2026, lang).expect("renders");
        assert!(r.pdf.starts_with(b"%PDF"));
        // The sources hold every printed value escaped for Typst markup.
        assert_eq!(format_percent(pct, 1, lang), shown);
        assert!(r.typ.contains(&markup(&shown)), "{lang:?} shows {shown}");
        let pdf = r.write(&f.out()).expect("written");
        assert!(pdf.with_extension("").join("report.typ").is_file());
        assert!(pdf.with_extension("").join("charts/rights.svg").is_file());
        // The report says how scores are made and names the methodology document, which
        // gives every indicator's formula, goalposts and source; the report does not
        // repeat them.
        let file = format!("methodology/methodology-{}.pdf", lang.code());
        assert!(r.typ.contains(&markup(&file)), "{lang:?} names {file}");
        assert!(!r.typ.contains("#include"), "{lang:?}: no annex");
        let m = reporter.methodology(lang).expect("renders");
        assert!(m.typ.contains(&format!("= {}", markup(heading))), "{lang:?}");
        for ind in &f.fw.indicators {
            assert!(m.typ.contains(&format!("*{}*", markup(&ind.id))), "{}", ind.id);
        }
        assert_eq!(m.write(&f.out()).expect("written"), f.out().join(&file));
    }
    assert!(reporter.city("XXX-nowhere", 2026, Lang::En).is_err());
}

#[test]
fn the_campaign_report_ranks_governments_only_when_asked() {
    let f = fixture();
    let reporter = f.reporter();
    for lang in [Lang::En, Lang::Es, Lang::Fr] {
        let r = reporter.campaign(2026, lang, false).expect("renders");
        assert!(r.pdf.starts_with(b"%PDF"));
        assert!(!r.typ.contains("Governments by mean right score"));
        r.write(&f.out()).expect("written");
    }
    let ranked = reporter.campaign(2026, Lang::En, true).expect("renders");
    assert!(ranked.typ.contains("Governments by mean right score"));
}

#[test]
fn return_text_prints_literally_and_non_latin_names_have_glyphs() {
    let mut f = fixture();
    let hostile = "#read(\"/etc/passwd\") *x* $y$ <z> @w";
    f.rename(VILLA, hostile);
    f.rename("KEN-nyota-bay", "광주광역시");
    f.rename("JOR-cedar-gate", "مدينة النخيل");
    let reporter = f.reporter();
    let dir = f.out().join("hostile");
    for (city, name) in
        [(VILLA, hostile), ("KEN-nyota-bay", "광주광역시"), ("JOR-cedar-gate", "مدينة النخيل")]
    {
        let r = reporter.city(city, 2026, Lang::En).expect("renders");
        // Escaped in markup (`\#read(`), or inside a string literal (`#read(\"`).
        for line in r.typ.lines().filter(|l| l.contains("#read(")) {
            assert!(line.contains("\\#read(") || line.contains("#read(\\\""), "unescaped: {line}");
        }
        let pdf = r.write(&dir).expect("written");
        let Some(text) = pdf_text(&pdf) else { return };
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // pdftotext gives Arabic in visual order: look for each word. (It also reverses
        // the letters of a lam-alef ligature, so the name avoids one.)
        for word in name.split(' ') {
            let reversed: String = word.chars().rev().collect();
            assert!(
                flat.contains(word) || flat.contains(&reversed),
                "{name}: «{word}» in the text layer: {}",
                flat.chars().take(300).collect::<String>()
            );
        }
        assert!(!flat.contains("root:"), "nothing is read from disk");
    }
    let fonts =
        tool("pdffonts", &[dir.join("KEN-nyota-bay/KEN-nyota-bay-2026-en.pdf").to_str().unwrap()]);
    if let Some(out) = fonts {
        assert!(String::from_utf8_lossy(&out.stdout).contains("NotoSansCJK"));
    }
    let fonts = tool(
        "pdffonts",
        &[dir.join("JOR-cedar-gate/JOR-cedar-gate-2026-en.pdf").to_str().unwrap()],
    );
    if let Some(out) = fonts {
        assert!(String::from_utf8_lossy(&out.stdout).contains("NotoSansArabic"));
    }

    // A submission too, with a hostile submitter.
    let opts = Options {
        submitter: Some("=HYPERLINK(\"x\") #emph[o] ]".into()),
        ..options("COL", Mechanism::Upr)
    };
    let (_, s) = reporter.submission_default(&opts, Lang::En).expect("content");
    let pdf =
        reporter.submission_pdf(&s, opts.date).expect("renders").write(&dir).expect("written");
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("=HYPERLINK(\"x\") #emph[o] ]"));
        assert!(text.contains("#read(\"/etc/passwd\") *x* $y$ <z> @w"));
    }
}

/// Submission options for `country` and `mechanism`, everything else by default.
fn options(country: &str, mechanism: Mechanism) -> Options {
    Options {
        country: country.into(),
        mechanism,
        cities: Vec::new(),
        submitter: None,
        description: None,
        contact: None,
        session: None,
        year: None,
        word_limit: None,
        joint: false,
        date: (2026, 11, 28),
    }
}

#[test]
fn a_submission_counts_its_words_and_keeps_tool_text_out_of_the_document() {
    let f = fixture();
    let reporter = f.reporter();
    let mut opts = Options {
        submitter: Some("Red Ficticia".into()),
        session: Some("CESCR, 80th session".into()),
        ..options("COL", Mechanism::Cescr)
    };
    let (plan, s) = reporter.submission_default(&opts, Lang::En).expect("content");
    assert_eq!(s.limit, 5_000);
    assert!(!s.over_limit());
    let n = |x: usize| hrcities::i18n::format_number(x as f64, 0, Lang::En);
    assert_eq!(
        s.word_line,
        format!("{} words of 5,000: {} left", n(s.words), n(s.limit - s.words))
    );
    // Paragraphs are numbered 1, 2, 3… across sections, under ICESCR articles, each
    // article's section ending with questions for the list of issues.
    let numbers: Vec<usize> =
        s.sections.iter().flat_map(|x| x.paragraphs.iter().map(|p| p.number)).collect();
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>());
    assert!(s.sections.iter().any(|x| x.heading.starts_with("ICESCR, article 11")));
    let articles: Vec<_> =
        s.sections.iter().filter(|x| x.heading.starts_with("ICESCR, article")).collect();
    assert!(!articles.is_empty());
    for a in &articles {
        let last = &a.paragraphs.last().unwrap().text;
        assert!(last.starts_with("Questions suggested for the list of issues: (a) "), "{last}");
    }
    assert!((MIN_ISSUES..=MAX_ISSUES).contains(&s.issues), "{} issues", s.issues);
    assert_eq!(s.issues, plan.issues.len());
    // Every issue paragraph cites its sources in an endnote.
    assert!(s.notes.iter().any(|n| n.contains("answers to the campaign's 2027 questionnaire")));
    // The cover names the submitter and the session; no word count, file name or hash is
    // in the document, but all are in the check file.
    assert!(s.cover.iter().any(|(_, v)| v == "Red Ficticia"));
    assert!(s.cover.iter().any(|(_, v)| v == "CESCR, 80th session"));
    let r = reporter.submission_pdf(&s, opts.date).expect("renders");
    let sha = &f
        .ds
        .returns
        .iter()
        .find(|x| x.city_id.starts_with("COL-") && x.year == plan.year)
        .unwrap()
        .sha256;
    for tool_text in [s.word_line.as_str(), "words", ".xlsx", &sha[..12], "sha256"] {
        assert!(!r.typ.contains(tool_text), "{tool_text} in the document");
        assert!(!s.docx().unwrap().windows(tool_text.len()).any(|w| w == tool_text.as_bytes()));
    }
    assert!(s.check.contains(&s.word_line) && s.check.contains(sha.as_str()));

    // Over the limit, the weakest issues go, down to the minimum; the CLI says it is over.
    opts.word_limit = Some(100);
    let (_, over) = reporter.submission_default(&opts, Lang::En).expect("content");
    assert!(over.over_limit());
    assert_eq!(over.issues, MIN_ISSUES.min(s.issues));
    assert_eq!(over.left_out, s.issues - over.issues);
    assert_eq!(
        over.word_line,
        format!("{} words: {} over the limit of 100", n(over.words), n(over.words - 100))
    );
}

#[test]
fn the_cli_writes_every_kind_in_three_languages_and_a_stock_typst_compiles_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let out = std::env::var("HRCITIES_KEEP_REPORTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| tmp.path().join("out"));
    ingest_sample(&store);
    let run = |args: &[&str]| {
        let o = hrcities()
            .args(args)
            .arg("--store")
            .arg(&store)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        o
    };
    for lang in ["en", "es", "fr"] {
        run(&["--lang", lang, "report", "city", "--all"]);
        run(&["--lang", lang, "report", "campaign"]);
        run(&["--lang", lang, "report", "submission", "--country", "COL", "--mechanism", "upr"]);
    }
    run(&["report", "submission", "--country", "COL", "--mechanism", "hrc"]);
    let o = run(&[
        "report",
        "submission",
        "--country",
        "COL",
        "--mechanism",
        "cescr",
        "--word-limit",
        "100",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("over its word limit"));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));

    // Every city and year, in each language.
    let reports = out.join("reports");
    let f = fixture();
    for r in &f.ds.returns {
        for lang in ["en", "es", "fr"] {
            let pdf = reports.join(&r.city_id).join(format!("{}-{}-{lang}.pdf", r.city_id, r.year));
            assert!(pdf.is_file(), "{}", pdf.display());
        }
    }
    for lang in ["en", "es", "fr"] {
        assert!(reports.join(format!("campaign/campaign-2027-{lang}.pdf")).is_file());
        assert!(reports.join(format!("submissions/COL-upr-2027-{lang}.docx")).is_file());
    }

    // A stock Typst compiles every .typ folder, with the fonts written beside them.
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut stack = vec![reports.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("reads") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            if p.file_name().is_some_and(|n| n == "report.typ") {
                folders.push(p);
            }
        }
    }
    assert!(folders.len() > 26 * 3 + 6, "{} .typ folders", folders.len());
    let script = "import sys, typst\nfonts = sys.argv[1]\nfor p in sys.argv[2:]:\n    pdf = typst.compile(p, font_paths=[fonts])\n    assert pdf.startswith(b'%PDF'), p\nprint(len(sys.argv) - 2)\n";
    let mut args = vec!["-c", script, reports.join("fonts").to_str().unwrap().to_owned().leak()];
    args.extend(folders.iter().map(|p| &*p.to_str().unwrap().to_owned().leak()));
    if let Some(o) = tool("python3", &args) {
        let err = String::from_utf8_lossy(&o.stderr);
        if err.contains("No module named 'typst'") {
            assert!(
                std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
                "Python's typst is required"
            );
        } else {
            assert!(o.status.success(), "stock typst: {err}");
            assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), folders.len().to_string());
        }
    }

    // The .docx opens in LibreOffice, with its numbered paragraphs.
    let docx = reports.join("submissions/COL-upr-2027-en.docx");
    let lo = tmp.path().join("lo");
    if let Some(o) = tool(
        "soffice",
        &[
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            lo.to_str().unwrap(),
            docx.to_str().unwrap(),
        ],
    ) {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let pdf = lo.join("COL-upr-2027-en.pdf");
        assert!(
            pdf.is_file(),
            "LibreOffice converted the .docx: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains("Introduction"));
            assert!(text.contains("1.") && text.contains("2.") && text.contains("3."));
            // The endnotes, which LibreOffice prints at the end.
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains("answers to the campaign's 2027 questionnaire"), "{flat}");
            assert!(flat.contains("Standards: "));
        }
        // LibreOffice reads them as endnotes, not as text.
        let o = tool(
            "soffice",
            &[
                "--headless",
                "--convert-to",
                "odt",
                "--outdir",
                lo.to_str().unwrap(),
                docx.to_str().unwrap(),
            ],
        )
        .expect("soffice ran");
        assert!(o.status.success());
        let odt = std::fs::File::open(lo.join("COL-upr-2027-en.odt")).expect("odt");
        let mut zip = zip::ZipArchive::new(odt).expect("zip");
        let mut content = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("content.xml").expect("content"),
            &mut content,
        )
        .expect("reads");
        let endnotes = content.matches("text:note-class=\"endnote\"").count();
        assert!(endnotes >= 8, "{endnotes} endnotes in LibreOffice's reading");
    }

    // A plan written, edited by hand (one finding rewritten, one issue removed) and used.
    let plan = tmp.path().join("plan.toml");
    let args = ["--lang", "es", "report", "submission", "--country", "COL", "--mechanism", "upr"];
    let o = run(&[&args[..], &["--write-plan", plan.to_str().unwrap()]].concat());
    assert!(String::from_utf8_lossy(&o.stdout).contains("plan con"));
    // Written once: a second --write-plan does not overwrite the analyst's edits.
    let again = hrcities()
        .args(args)
        .args(["--write-plan", plan.to_str().unwrap(), "--store"])
        .arg(&store)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("ya existe"));
    let text = std::fs::read_to_string(&plan).expect("plan");
    let parsed = hrcities::report::submission::Plan::parse(&text).expect("parses");
    assert!((MIN_ISSUES..=MAX_ISSUES).contains(&parsed.issues.len()));
    let (first, second) = (&parsed.issues[0], &parsed.issues[1]);
    let mut edited = parsed.clone();
    edited.issues[0].finding = "Constatación reescrita por la analista: 9 de 11 en 2027.".into();
    edited.issues.remove(1);
    std::fs::write(&plan, edited.to_toml(Lang::Es)).expect("writes");
    let o = run(&["report", "submission", "--plan", plan.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("COL-upr-2027-es-check.txt"), "{said}");
    if let Some(text) = pdf_text(&reports.join("submissions/COL-upr-2027-es.pdf")) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Constatación reescrita por la analista: 9 de 11 en 2027."));
        let old_first = first.finding.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(!flat.contains(&old_first));
        let removed = second.finding.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(!flat.contains(&removed), "the removed issue is gone");
    }
    let check = std::fs::read_to_string(reports.join("submissions/COL-upr-2027-es-check.txt"))
        .expect("check file");
    assert!(check.contains(&format!("Cuestiones incluidas: {}", edited.issues.len())), "{check}");
    assert!(check.contains(plan.to_str().unwrap()));
}

/// The words of the "Who is left behind" sections, per language.
const LEFT_BEHIND: [(Lang, &str, &str, &str); 3] = [
    (Lang::En, "Who is left behind", "Where to act:", "none were given this year"),
    (Lang::Es, "Quién se queda atrás", "Dónde actuar:", "este año no se dio ninguno"),
    (Lang::Fr, "Qui est laissé de côté", "Où agir :", "aucune n'a été fournie cette année"),
];

/// A group of 2027 left behind in a dimension with categories the framework names.
fn flagged_group(f: &Fixture) -> GroupRow {
    f.data
        .groups
        .iter()
        .find(|g| {
            g.year == 2027
                && g.is_left_behind()
                && f.fw.vocab.disaggregations.get(&g.dimension).is_some_and(|d| !d.city_named)
        })
        .expect("the 2027 sample returns have a group left behind")
        .clone()
}

#[test]
fn the_city_report_says_who_is_left_behind_in_three_languages() {
    let f = fixture();
    let reporter = f.reporter();
    let city = flagged_group(&f).city_id;
    for (lang, heading, act, _) in LEFT_BEHIND {
        let r = reporter.city(&city, 2027, lang).expect("renders");
        assert!(r.pdf.starts_with(b"%PDF"));
        let typ = &r.typ;
        let at = typ.find(&format!("== {}", markup(heading))).expect("the section");
        // A group of an indicator the section details (it details the six with the most
        // groups left behind and counts the others).
        let end = typ[at..].find("#pagebreak()").map_or(typ.len(), |e| at + e);
        let g = f
            .data
            .groups
            .iter()
            .find(|g| {
                g.city_id == city
                    && g.year == 2027
                    && g.is_left_behind()
                    && f.fw.vocab.disaggregations.get(&g.dimension).is_some_and(|d| !d.city_named)
                    && typ[at..end].contains(&format!("#note[{}]", markup(&g.indicator_id)))
            })
            .expect("a detailed group");
        let ind = f.fw.indicator(&g.indicator_id).expect("its indicator");
        let dim = &f.fw.vocab.disaggregations[&g.dimension];
        // After "What to improve", before the indicators of each right.
        let improve = hrcities::i18n::tr(lang, "report.h_improve");
        assert!(typ.find(&format!("== {}", markup(improve))).unwrap() < at, "{lang:?}");
        let section = &typ[at..];
        // The group as "Dimension: category" in the report's language, its value and its
        // reference's value with the indicator's unit, the difference and where to act.
        let group = format!("{}: {}", dim.label.get(lang), dim.category_label(&g.category, lang));
        let group = if lang == Lang::Fr { group.replace(": ", " : ") } else { group };
        assert!(section.contains(&markup(&group)), "{lang:?}: {group}");
        let value = hrcities::report::show_value(&f.fw, &ind.unit, g.value.unwrap(), lang);
        let reference =
            hrcities::report::show_value(&f.fw, &ind.unit, g.reference_value.unwrap(), lang);
        assert!(section.contains(&markup(&value)), "{lang:?}: {value}");
        assert!(section.contains(&markup(&reference)), "{lang:?}: {reference}");
        let gap = hrcities::report::groups::show_gap(&f.fw, &ind.unit, g.gap.unwrap(), lang);
        assert!(section.contains(&markup(&gap)), "{lang:?}: {gap}");
        assert!(section.contains(&markup(act)), "{lang:?}: where to act");
        // At most four dot charts, each a figure with its description as alt text.
        let charts: Vec<_> =
            r.files.iter().filter(|(name, _)| name.starts_with("charts/groups-")).collect();
        assert!((1..=4).contains(&charts.len()), "{lang:?}: {} charts", charts.len());
        for (name, _) in &charts {
            let line = typ.lines().find(|l| l.contains(name.as_str())).expect("the figure");
            assert!(line.contains("alt: \"") && line.len() > 80, "{line}");
        }
        if lang != Lang::En {
            for english in ["Who is left behind", "Where to act", "points lower", "Reference"] {
                assert!(!section.contains(english), "{lang:?}: English «{english}»");
            }
        }
        let pdf = r.write(&f.out()).expect("written");
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains(heading), "{lang:?}: the PDF has the section");
        }
    }
}

#[test]
fn a_city_report_without_breakdowns_says_which_were_asked_for() {
    let f = fixture();
    let reporter = f.reporter();
    // A 2026 return: the questions ask for breakdowns, none were given.
    let city =
        f.ds.returns
            .iter()
            .find(|r| {
                r.year == 2026
                    && f.data.breakdowns.iter().any(|b| b.city_id == r.city_id && b.year == 2026)
                    && !f
                        .data
                        .breakdowns
                        .iter()
                        .any(|b| b.city_id == r.city_id && b.year == 2026 && b.reported)
            })
            .map(|r| r.city_id.clone())
            .expect("a 2026 return without breakdowns");
    let asked = f.data.breakdowns.iter().filter(|b| b.city_id == city && b.year == 2026).count();
    for (lang, heading, _, none) in LEFT_BEHIND {
        let r = reporter.city(&city, 2026, lang).expect("renders");
        let section = &r.typ[r.typ.find(&format!("== {}", markup(heading))).expect("section")..];
        assert!(section.contains(&markup(none)), "{lang:?}");
        assert!(section.contains(&asked.to_string()), "{lang:?}: the {asked} breakdowns asked");
        assert!(!r.files.iter().any(|(n, _)| n.starts_with("charts/groups-")));
    }
}

#[test]
fn group_names_a_city_wrote_print_literally() {
    let mut f = fixture();
    let hostile = "#read(\"/etc/passwd\") *Barrio* $x$";
    let g = flagged_group(&f);
    // A neighbourhood of the same city and indicator, named by the city, and left behind.
    f.data.groups.push(GroupRow {
        dimension: "neighbourhood".into(),
        category: hostile.into(),
        reference_category: None,
        ..g.clone()
    });
    let reporter = f.reporter();
    let r = reporter.city(&g.city_id, 2027, Lang::Es).expect("renders");
    for line in r.typ.lines().filter(|l| l.contains("#read(")) {
        assert!(line.contains("\\#read(") || line.contains("#read(\\\""), "unescaped: {line}");
    }
    assert!(r.typ.contains(&markup(&format!("Barrio o distrito: {hostile}"))));
    let pdf = r.write(&f.out().join("hostile-groups")).expect("written");
    if let Some(text) = pdf_text(&pdf) {
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("*Barrio*") && !flat.contains("root:"), "{flat}");
    }
}

#[test]
fn the_campaign_report_has_breakdowns_and_the_largest_gaps_not_a_ranking() {
    let f = fixture();
    let reporter = f.reporter();
    for (lang, heading, largest, sex) in [
        (
            Lang::En,
            "Who is left behind: breakdowns by group",
            "Groups most often left behind",
            "Sex",
        ),
        (
            Lang::Es,
            "Quién se queda atrás: desgloses por grupo",
            "Grupos que con más frecuencia se quedan atrás",
            "Sexo",
        ),
        (
            Lang::Fr,
            "Qui est laissé de côté : ventilations par groupe",
            "Groupes le plus souvent laissés de côté",
            "Sexe",
        ),
    ] {
        let r = reporter.campaign(2027, lang, false).expect("renders");
        assert!(r.pdf.starts_with(b"%PDF"));
        let at = r.typ.find(&format!("== {}", markup(heading))).expect("the section");
        let section = &r.typ[at..];
        assert!(section.contains("charts/breakdowns.svg"));
        assert!(r.files.iter().any(|(n, _)| n == "charts/breakdowns.svg"));
        assert!(section.contains(&format!("=== {}", markup(largest))), "{lang:?}");
        assert!(section.contains(&format!("[{}]", markup(sex))), "{lang:?}: a row per breakdown");
        // The gaps name groups and indicators, never a government.
        let gaps = &section[section.find(&markup(largest)).unwrap()..];
        let gaps = &gaps[..gaps.find("== ").unwrap_or(gaps.len())];
        for p in &f.ds.profiles {
            assert!(!gaps.contains(&markup(&p.city_name)), "{lang:?}: {} named", p.city_name);
        }
        r.write(&f.out()).expect("written");
    }
}

#[test]
fn a_submission_mentions_the_groups_left_behind() {
    let f = fixture();
    let reporter = f.reporter();
    let g = flagged_group(&f);
    let country =
        f.ds.returns
            .iter()
            .zip(&f.ds.profiles)
            .find(|(r, _)| r.city_id == g.city_id)
            .and_then(|(_, p)| p.country.clone())
            .expect("a country");
    for (lang, words) in [
        (Lang::En, format!("In {}, groups left behind: ", g.city_name)),
        (Lang::Es, format!("En {}, grupos que se quedan atrás: ", g.city_name)),
        (Lang::Fr, format!("À {}, groupes laissés de côté : ", g.city_name)),
    ] {
        let opts = Options {
            cities: vec![g.city_id.clone()],
            year: Some(2027),
            ..options(&country, Mechanism::Hrc)
        };
        // The plan gets an issue on the indicator, as an analyst would add it.
        let mut plan = reporter.submission_plan(&opts, lang).expect("plan");
        plan.issues = vec![reporter.issue_for(&plan, &g.indicator_id).expect("issue")];
        let s = reporter.submission(&plan, opts.date, None).expect("content");
        let paragraphs: Vec<&str> =
            s.sections.iter().flat_map(|x| x.paragraphs.iter().map(|p| p.text.as_str())).collect();
        let with: Vec<&&str> = paragraphs.iter().filter(|p| p.contains(&words)).collect();
        assert!(!with.is_empty(), "{lang:?}: {words}");
        let ind = f.fw.indicator(&g.indicator_id).unwrap();
        let title = ind.title.get(lang);
        let para = paragraphs.iter().find(|p| p.starts_with(title)).expect("its paragraph");
        // It names at least one of the groups left behind with its gap in words.
        let gaps: Vec<String> = f
            .data
            .groups
            .iter()
            .filter(|x| {
                x.city_id == g.city_id && x.indicator_id == g.indicator_id && x.year == 2027
            })
            .filter(|x| x.is_left_behind())
            .map(|x| hrcities::report::groups::show_gap(&f.fw, &ind.unit, x.gap.unwrap(), lang))
            .collect();
        assert!(para.contains(&words), "{lang:?}: {para}");
        assert!(gaps.iter().any(|gap| para.contains(gap)), "{lang:?}: {gaps:?} in {para}");
        reporter.submission_pdf(&s, opts.date).expect("renders");
    }
}

#[test]
fn a_city_report_whose_groups_are_not_left_behind_says_so_with_the_threshold() {
    let mut f = fixture();
    let g = flagged_group(&f);
    for x in f.data.groups.iter_mut().filter(|x| x.city_id == g.city_id && x.year == 2027) {
        if x.left_behind == Some(true) {
            x.left_behind = Some(false);
        }
    }
    let reporter = f.reporter();
    for ((lang, heading, _, _), none) in LEFT_BEHIND.into_iter().zip([
        "no group is left behind",
        "ningún grupo se queda atrás",
        "aucun groupe n'est laissé de côté",
    ]) {
        let r = reporter.city(&g.city_id, 2027, lang).expect("renders");
        let section = &r.typ[r.typ.find(&format!("== {}", markup(heading))).expect("section")..];
        let section = &section[..section.find("#pagebreak").unwrap_or(section.len())];
        assert!(section.contains(&markup(none)), "{lang:?}: {section}");
        let threshold = hrcities::report::groups::threshold(&f.fw, lang);
        assert!(section.contains(&markup(&threshold)), "{lang:?}: {threshold}");
        assert!(!r.files.iter().any(|(n, _)| n.starts_with("charts/groups-")));
        assert!(!section.contains("#table("), "{lang:?}: no table of groups");
    }
}

/// A value to be checked (its answer got W-IMPLAUSIBLE) is printed with the reason, and
/// never listed among the strengths, even with a top score.
#[test]
fn a_value_to_be_checked_is_marked_and_never_a_strength() {
    let mut f = fixture();
    let year = 2026;
    // Villa Esperanza del Sur says 82.4 % of its budget went to culture: a top score.
    let row = f
        .data
        .values
        .iter_mut()
        .find(|v| v.city_id == VILLA && v.year == year && v.indicator_id == "CUL_I03")
        .expect("CUL_I03");
    row.value = Some(82.4);
    row.score = Some(100.0);
    row.status = "ok".into();
    let i = f.ds.returns.iter().position(|r| r.city_id == VILLA && r.year == year).expect("return");
    let answer =
        f.ds.responses[i].iter_mut().find(|r| r.question_id == "CUL_Q07").expect("CUL_Q07");
    answer.diagnostic_code = Some("W-IMPLAUSIBLE".into());
    let reporter = f.reporter();
    for lang in [Lang::En, Lang::Es, Lang::Fr] {
        let typ = reporter.city(VILLA, year, lang).expect("renders").typ;
        let title = markup(f.fw.indicator("CUL_I03").expect("CUL_I03").title.get(lang));
        let strengths = hrcities::i18n::tr(lang, "report.h_strengths");
        let improve = hrcities::i18n::tr(lang, "report.h_improve");
        let (from, to) = (
            typ.find(&format!("== {}", markup(strengths))).expect("strengths"),
            typ.find(&format!("== {}", markup(improve))).expect("improve"),
        );
        assert!(!typ[from..to].contains(&title), "{lang:?}: listed as a strength");
        let label = hrcities::i18n::tr(lang, "report.check.label");
        let reason = hrcities::i18n::tr(lang, "report.check.implausible");
        let mark = markup(&format!("{label}: {reason}"));
        let at = typ[to..].find(&title).map(|p| to + p).expect("in the indicator table");
        assert!(typ[at..].contains(&mark), "{lang:?}: not marked");
    }
}

/// Every word in the reader's language: the Spanish and French city reports, campaign
/// report and methodology print no English treaty abbreviation and no English source text
/// (read from the PDFs, as a reader sees them).
#[test]
fn spanish_and_french_reports_print_no_english_abbreviation_or_source() {
    let f = fixture();
    let reporter = f.reporter();
    let dir = f.out();
    // English abbreviations and the words that open the framework's English sources.
    const ENGLISH: [&str; 10] = [
        "ICESCR",
        "ICCPR",
        "UDHR",
        " GC ",
        " GR ",
        "para. ",
        "Our ",
        "informed by",
        "Goalposts",
        "our choice",
    ];
    for lang in [Lang::Es, Lang::Fr] {
        let documents = [
            reporter.city(VILLA, 2027, lang).expect("city report"),
            reporter.campaign(2027, lang, false).expect("campaign report"),
            reporter.methodology(lang).expect("methodology"),
        ];
        for doc in documents {
            let pdf = doc.write(&dir).expect("written");
            let Some(text) = pdf_text(&pdf) else { return };
            let text = text.replace('\n', " ");
            for word in ENGLISH {
                assert!(!text.contains(word), "{}: {word:?} in the {lang:?} text", pdf.display());
            }
        }
    }
}

#[test]
fn a_city_report_says_which_indicators_are_outside_the_governments_competence() {
    let f = fixture();
    let reporter = f.reporter();
    // Villa Esperanza del Sur (Colombia, whose police is national) does not tick the police.
    let r = reporter.city("COL-villa-esperanza-del-sur", 2027, Lang::Es).expect("renders");
    assert!(r.typ.contains("fuera de la competencia del gobierno (policía local)"));
    // And its submission says the matter is the State's.
    let opts = Options { year: Some(2027), ..options("COL", Mechanism::Upr) };
    let (_, s) = reporter.submission_default(&opts, Lang::Es).expect("content");
    let intro = &s.sections[0].paragraphs;
    assert!(
        intro
            .iter()
            .any(|p| p.text.contains("Corresponden al Estado") && p.text.contains("policía local")),
        "{intro:?}"
    );
}

#[test]
fn a_flagged_figure_stays_out_of_a_plan_unless_included_and_plan_text_prints_literally() {
    let f = fixture();
    let reporter = f.reporter();
    let opts = Options { year: Some(2027), ..options("COL", Mechanism::Upr) };
    let (mut plan, s) = reporter.submission_default(&opts, Lang::En).expect("content");
    // The check file lists the figures the default selection left out as flagged.
    let flagged = s
        .check
        .lines()
        .skip_while(|l| !l.starts_with("Figures left out because they were flagged"))
        .nth(1)
        .and_then(|l| l.trim().strip_prefix("- "))
        .and_then(|l| l.split_whitespace().next())
        .expect("a flagged figure in the sample")
        .to_string();
    let mut issue = reporter.issue_for(&plan, &flagged).expect("issue");
    let finding = issue.finding.clone();
    plan.issues.push(issue.clone());
    let out = reporter.submission(&plan, opts.date, Some("plan.toml")).expect("content");
    let texts = |s: &hrcities::report::submission::Submission| -> Vec<String> {
        s.sections.iter().flat_map(|x| x.paragraphs.iter().map(|p| p.text.clone())).collect()
    };
    assert!(!texts(&out).iter().any(|t| t.starts_with(&finding)), "left out");
    assert!(
        out.warnings.iter().any(|w| w.contains("include_flagged = true")),
        "{:?}",
        out.warnings
    );
    assert_eq!(out.issues, s.issues);
    // Included explicitly, it prints with a caveat.
    issue.include_flagged = true;
    *plan.issues.last_mut().unwrap() = issue;
    let with = reporter.submission(&plan, opts.date, Some("plan.toml")).expect("content");
    let text = texts(&with).into_iter().find(|t| t.starts_with(&finding)).expect("printed");
    assert!(text.contains("was flagged when the return was checked"), "{text}");

    // What the analyst writes in a plan is text, in the PDF and in the .docx.
    let hostile = "#read(\"/etc/passwd\") *x* <script>alert(1)</script> & ]";
    plan.issues[0].finding = hostile.into();
    plan.issues[0].recommendations = vec!["</w:t><w:p>".into()];
    let s = reporter.submission(&plan, opts.date, None).expect("content");
    let r = reporter.submission_pdf(&s, opts.date).expect("renders");
    assert!(r.typ.contains(&markup(hostile)));
    let docx = s.docx().expect("docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").expect("doc"), &mut doc)
        .expect("reads");
    assert!(doc.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]"));
    assert!(doc.contains("&lt;/w:t&gt;&lt;w:p&gt;"));
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = r.write(dir.path()).expect("written");
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("#read(\"/etc/passwd\") *x* <script>alert(1)</script>"));
    }
}

#[test]
fn peers_to_learn_from_come_only_from_governments_that_consent() {
    let f = fixture();
    let reporter = f.reporter();
    let peers = reporter.peers(2027);
    assert!(!peers.is_empty());
    // Marisol de la Costa said no, Kalamé-les-Collines left the question blank (sample data).
    let consenting = |id: &str| {
        let i = f.ds.returns.iter().position(|r| r.city_id == id && r.year == 2027).unwrap();
        let q = f.fw.questions.iter().position(|q| q.id == "share_practices").unwrap();
        f.ds.answers[i][q].raw.trim().to_lowercase()
    };
    for p in peers.iter() {
        assert!(["yes", "sí", "oui"].contains(&consenting(&p.peer_id).as_str()), "{p:?}");
        assert!(p.peer_score > p.city_score, "{p:?}");
        assert_ne!(p.peer_id, p.city_id);
    }
    for id in ["ESP-marisol-de-la-costa", "CIV-kalame-les-collines"] {
        assert!(!peers.iter().any(|p| p.peer_id == id), "{id} is shown to others");
    }
    let mut per: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for p in peers.iter() {
        *per.entry((p.city_id.as_str(), p.right_id.as_str())).or_default() += 1;
    }
    assert!(per.values().all(|n| *n <= 3));
    // The city report lists them, says it is not a ranking, and prints the practice as text.
    let first = &peers[0];
    let r = reporter.city(&first.city_id, 2027, Lang::En).expect("renders");
    assert!(r.typ.contains("== Governments you could learn from"));
    assert!(r.typ.contains("This is not a ranking"));
    assert!(r.typ.contains(&markup(&first.peer_name)));
    // The campaign report's annex has the consenting governments' practices only.
    let c = reporter.campaign(2027, Lang::En, false).expect("renders");
    assert!(c.typ.contains("== Practices shared by governments"));
    let marisol =
        f.ds.returns
            .iter()
            .position(|r| r.city_id == "ESP-marisol-de-la-costa" && r.year == 2027)
            .unwrap();
    for (q, a) in f.fw.questions.iter().zip(&f.ds.answers[marisol]) {
        if q.id.ends_with("_PRACTICE") && !a.raw.trim().is_empty() {
            assert!(!c.typ.contains(&markup(a.raw.trim())), "{}", q.id);
        }
    }
    // The analyst's list of pairs.
    let csv = hrcities::report::peers::peers_csv(&peers);
    assert_eq!(String::from_utf8_lossy(&csv).lines().count(), peers.len() + 1);
}
