//! Regions and years (issue 21): `compute`, `charts` and `report campaign` for one UCLG
//! region and the years up to one.

use std::path::Path;

use crate::common::hrcities;

#[test]
fn compute_charts_and_the_campaign_report_for_one_region_and_year() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let ok = |args: &[&str]| {
        let o = hrcities().args(args).arg("--store").arg(&store).output().expect("runs");
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        o
    };
    hrcities()
        .args(["-q", "ingest", "--store"])
        .arg(&store)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
        .output()
        .expect("runs");
    let out = tmp.path().join("out");
    let out_s = out.to_str().unwrap();
    ok(&["compute", "--region", "africa", "--year", "2026", "--out", out_s]);
    let csv = std::fs::read_to_string(out.join("data/indicators.csv")).expect("indicators");
    let mut header = csv.lines().next().unwrap().split(',');
    let region_at = header.position(|h| h == "region").expect("region column");
    let year_at =
        csv.lines().next().unwrap().split(',').position(|h| h == "year").expect("year column");
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r[region_at], "africa");
        assert!(r[year_at].parse::<i32>().unwrap() <= 2026);
    }
    // Three African governments in the sample.
    let mut cities: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    cities.dedup();
    assert_eq!(cities.len(), 3, "{cities:?}");

    ok(&["charts", "--region", "africa", "--png", "none", "--out", out_s]);
    assert!(out.join("charts/africa/campaign/progress-en.svg").is_file());

    let o =
        ok(&["--lang", "es", "report", "campaign", "--region", "latin_america", "--out", out_s]);
    let pdf = out.join("reports/campaign/campaign-latin_america-2027-es.pdf");
    assert!(String::from_utf8_lossy(&o.stdout).contains("campaign-latin_america-2027-es.pdf"));
    assert!(pdf.is_file());
    if let Ok(t) = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output() {
        let text = String::from_utf8_lossy(&t.stdout);
        assert!(text.contains("informe anual 2027, América Latina"), "{text}");
        assert!(text.contains("Villa Esperanza del Sur"));
        assert!(!text.contains("Nyota Bay"), "an African government in the Latin American report");
        assert!(text.contains("Desde el año anterior"));
    }

    // Only the returns the campaign accepted, when asked; the campaign report counts them.
    ok(&["store", "review", "URY-bahia-serena", "--year", "2027", "--status", "accepted"]);
    ok(&["store", "review", "CHL-puerto-lumbre", "--year", "2027", "--status", "rejected"]);
    let accepted = tmp.path().join("accepted");
    ok(&["compute", "--accepted-only", "--out", accepted.to_str().unwrap()]);
    let csv = std::fs::read_to_string(accepted.join("data/indicators.csv")).expect("indicators");
    let cities: std::collections::BTreeSet<&str> =
        csv.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    assert_eq!(cities.into_iter().collect::<Vec<_>>(), ["URY-bahia-serena"]);
    ok(&["report", "campaign", "--out", out_s]);
    if let Ok(t) = std::process::Command::new("pdftotext")
        .arg(out.join("reports/campaign/campaign-2027-en.pdf"))
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&t.stdout);
        assert!(text.contains("1 accepted, 11 pending, 1 rejected"), "{text}");
    }

    // An unknown region is refused with the known ones.
    let o = hrcities()
        .args(["report", "campaign", "--region", "atlantis", "--out", out_s, "--store"])
        .arg(&store)
        .output()
        .expect("runs");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("latin_america"));
}
