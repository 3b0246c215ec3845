//! Reports: a city self-assessment for a sample city compiles to a PDF in each language,
//! with its `.typ` source and chart written beside it.

use std::path::Path;

use assert_cmd::Command;
use hrcities::charts::ChartData;
use hrcities::compute::{compute, Dataset, Method};
use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;
use hrcities::report::Reporter;
use hrcities::store::Store;

#[test]
fn a_city_report_compiles_in_three_languages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    Command::new(assert_cmd::cargo::cargo_bin!("hrcities"))
        .args(["-q", "ingest", "--store"])
        .arg(&store)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
        .output()
        .expect("runs");
    let fw = load_embedded(Lang::En).framework;
    let ds = Dataset::load(&Store::open(&store).expect("a store"), &fw).expect("loads");
    let results = compute(&fw, &ds, &Method::default()).expect("computes");
    let data = ChartData::from_results(&results).expect("chart data");
    let method = Method::default();
    let reporter = Reporter::new(&fw, &ds, &data, &method).expect("templates");
    for (lang, heading) in [
        (Lang::En, "Rights at a glance"),
        (Lang::Es, "Los derechos de un vistazo"),
        (Lang::Fr, "Les droits en un coup"),
    ] {
        let r = reporter.city("COL-villa-esperanza-del-sur", 2026, lang)
            .expect("renders");
        assert!(r.pdf.starts_with(b"%PDF"));
        assert!(r.typ.contains(heading), "{lang:?}");
        // HRCITIES_KEEP_REPORTS=DIR keeps the reports there, to look at the pages.
        let pdf = r
            .write(
                &std::env::var("HRCITIES_KEEP_REPORTS")
                    .map(std::path::PathBuf::from)
                    .unwrap_or_else(|_| tmp.path().join("reports")),
            )
            .expect("written");
        assert!(pdf.is_file());
        assert!(pdf.with_extension("").join("report.typ").is_file());
        assert!(pdf.with_extension("").join("charts/rights.svg").is_file());
    }
    assert!(reporter.city("XXX-nowhere", 2026, Lang::En).is_err());
}

#[test]
fn the_campaign_report_compiles_without_ranking_unless_asked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    Command::new(assert_cmd::cargo::cargo_bin!("hrcities"))
        .args(["-q", "ingest", "--store"])
        .arg(&store)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
        .output()
        .expect("runs");
    let fw = load_embedded(Lang::En).framework;
    let ds = Dataset::load(&Store::open(&store).expect("a store"), &fw).expect("loads");
    let results = compute(&fw, &ds, &Method::default()).expect("computes");
    let data = ChartData::from_results(&results).expect("chart data");
    let method = Method::default();
    let reporter = Reporter::new(&fw, &ds, &data, &method).expect("templates");
    let keep = std::env::var("HRCITIES_KEEP_REPORTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| tmp.path().join("reports"));
    for lang in [Lang::En, Lang::Es, Lang::Fr] {
        let r = reporter.campaign(2026, lang, false).expect("renders");
        assert!(r.pdf.starts_with(b"%PDF"));
        assert!(!r.typ.contains("Governments by mean right score"));
        r.write(&keep).expect("written");
    }
    let ranked = reporter.campaign(2026, Lang::En, true).expect("renders");
    assert!(ranked.typ.contains("Governments by mean right score"));
}
