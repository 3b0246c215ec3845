//! `hrcities run` and `hrcities demo`: the whole job in one command.

use std::path::Path;

use crate::common::{copy_samples, hrcities};

#[test]
fn the_demo_writes_data_charts_reports_and_what_to_fix() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("demo");
    let o = hrcities().args(["demo", "--out"]).arg(&out).output().expect("runs");
    // Some sample returns carry deliberate errors: the run finishes with status 3.
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("Done: 39 returns from 13 cities; 41 reports written."), "{stdout}");
    assert!(stdout.contains("Where to look first:"));
    // The sample UN recommendations are imported first.
    assert!(stdout.contains("32 recommendations in"), "{stdout}");
    assert_eq!(std::fs::read_dir(out.join("recommendations")).expect("recs").count(), 2);
    // And the sample pledge register (issue 21): more pledges than returns.
    assert!(stdout.contains("22 pledge(s) read: 22 added"), "{stdout}");
    let campaign = std::fs::read_to_string(out.join("data/campaign.csv")).expect("campaign");
    assert!(campaign.contains("2027,observed,1,21.0,,,13"), "{campaign}");
    assert!(stdout.contains("validation.xlsx"));
    for stage in ["validate", "ingest", "compute", "charts", "reports"] {
        assert!(stdout.contains(&format!("{stage} ")), "time of {stage}: {stdout}");
    }
    assert_eq!(std::fs::read_dir(out.join("returns")).expect("returns").count(), 39);
    let validation = std::fs::read_to_string(out.join("validation.csv")).expect("validation");
    // A byte order mark, so that Excel reads the UTF-8 (issue 19).
    assert!(validation.starts_with("\u{feff}file,sheet,cell,question,severity,code,message,hint"));
    assert_eq!(validation.lines().filter(|l| l.contains(",error,")).count(), 8);
    assert!(out.join("validation.json").is_file());
    for table in [
        "indicators",
        "scores",
        "aggregates",
        "campaign",
        "quality",
        "responses",
        "recommendations",
        "recommendation_followup",
    ] {
        assert!(out.join(format!("data/{table}.csv")).is_file(), "{table}");
        assert!(out.join(format!("data/{table}.parquet")).is_file(), "{table}");
    }
    assert!(out.join("data/hrcities-data.xlsx").is_file());
    // datapackage.json describes every table as written (Contract 4).
    let package = crate::datapackage::check_package(&out.join("data"));
    assert!(package.problems.is_empty(), "{}", package.problems.join("\n"));
    assert_eq!(package.rows.len(), 11);
    assert!(package.rows.values().all(|&n| n > 0), "{:?}", package.rows);
    assert!(package.foreign_keys.iter().any(|k| k.starts_with("indicators.")));
    assert!(package.foreign_keys.iter().any(|k| k.starts_with("indicators_by_group.")));
    // A sample return follows up a recommendation the store does not have: that key is
    // not declared.
    assert!(!package.foreign_keys.iter().any(|k| k.starts_with("recommendation_followup")));
    if let Some(errors) = crate::datapackage::frictionless_errors(&out.join("data")) {
        assert!(errors.is_empty(), "frictionless validate:\n{}", errors.join("\n"));
    }
    // PNGs for the campaign's charts; a city's charts as SVG (they are in its report).
    assert!(out.join("charts/campaign/progress-en.svg").is_file());
    assert!(out.join("charts/campaign/progress-en.png").is_file());
    // Eight sample governments follow up their country's recommendations in 2027.
    let followup =
        std::fs::read_to_string(out.join("data/recommendation_followup.csv")).expect("followup");
    let mut governments: Vec<&str> = followup
        .lines()
        .filter_map(|l| l.split(',').next())
        .filter(|c| c.len() > 4 && c.as_bytes()[3] == b'-')
        .collect();
    governments.dedup();
    assert_eq!(governments.len(), 8, "{governments:?}");
    assert!(out.join("charts/campaign/followup-themes-2027-en.svg").is_file());
    assert!(out
        .join("charts/cities/COL-villa-esperanza-del-sur/followup-mechanisms-2027-en.svg")
        .is_file());
    let city = out.join("charts/cities/COL-villa-esperanza-del-sur/rights-2026-en");
    assert!(city.with_extension("svg").is_file());
    assert!(!city.with_extension("png").exists());
    assert!(out.join("reports/methodology/methodology-en.pdf").is_file());
    assert!(out.join("reports/campaign/campaign-2027-en.pdf").is_file());
    assert!(out
        .join("reports/COL-villa-esperanza-del-sur/COL-villa-esperanza-del-sur-2025-en.pdf")
        .is_file());
    assert!(out.join("store/returns.parquet").is_file());
    // And the web site (issue 23), with the reports' PDFs, in each language.
    assert!(stdout.contains("the web site (open in a browser)"), "{stdout}");
    for page in ["index.html", "en/index.html", "es/index.html", "fr/methodology.html"] {
        assert!(out.join("site").join(page).is_file(), "{page}");
    }
    assert!(out.join("site/downloads/reports/methodology/methodology-en.pdf").is_file());
    let villa =
        std::fs::read_to_string(out.join("site/en/governments/COL-villa-esperanza-del-sur.html"))
            .expect("a government's page");
    assert!(villa.contains("COL-villa-esperanza-del-sur-2027-en.pdf"), "its reports are linked");
}

#[test]
fn run_exits_0_on_clean_returns_and_writes_each_language() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    copy_samples(
        &returns,
        &["bahia-serena-2025.xlsx", "bahia-serena-2026.xlsx", "port-aurore-2025.ods"],
    );
    let out = tmp.path().join("out");
    let o = hrcities()
        .args(["--lang", "es,fr", "run", "--png", "none", "--out"])
        .arg(&out)
        .arg(&returns)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Listo: 3 respuestas de 2 ciudades; 10 informes escritos."),
        "{stdout}"
    );
    for (lang, source) in
        [("es", "Fuente: respuestas de los gobiernos"), ("fr", "Source : réponses")]
    {
        // The campaign's charts in each language, named by it, with their source line.
        let svg = std::fs::read_to_string(out.join(format!("charts/campaign/progress-{lang}.svg")))
            .expect("the progress chart in each language");
        assert!(svg.contains(source), "{lang}");
        assert!(out.join(format!("reports/campaign/campaign-2026-{lang}.pdf")).is_file());
        assert!(out.join(format!("reports/methodology/methodology-{lang}.pdf")).is_file());
        assert!(out
            .join(format!("reports/URY-bahia-serena/URY-bahia-serena-2025-{lang}.pdf"))
            .is_file());
    }
    // Without recommendations every follow-up row (none) is in the store: the key is declared.
    let package = crate::datapackage::check_package(&out.join("data"));
    assert!(package.problems.is_empty(), "{}", package.problems.join("\n"));
    assert!(package.foreign_keys.iter().any(|k| k.starts_with("recommendation_followup")));
    // Running again on the same returns changes nothing in the store.
    let o = hrcities()
        .args(["run", "--png", "none", "--out"])
        .arg(&out)
        .arg(&returns)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 added, 3 unchanged"));
}

// See issue 15: `run` takes the options of its stages, among them --templates and --rank.
#[test]
fn run_uses_your_templates_and_ranks_only_when_asked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    copy_samples(&returns, &["bahia-serena-2026.xlsx", "port-aurore-2025.ods"]);
    // A campaign's own city template: the built-in one with a line of its own.
    let templates = tmp.path().join("templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    let city = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/city.typ.j2"),
    )
    .expect("template");
    let city = city.replacen("= {{ city_name }}", "= {{ city_name }}\nOur own template.", 1);
    std::fs::write(templates.join("city.typ.j2"), city).expect("write");
    let out = tmp.path().join("out");
    let o = hrcities()
        .args(["run", "--png", "none", "--rank", "--templates"])
        .arg(&templates)
        .arg("--out")
        .arg(&out)
        .arg(&returns)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let typ = std::fs::read_to_string(
        out.join("reports/URY-bahia-serena/URY-bahia-serena-2026-en/report.typ"),
    )
    .expect("the city report's source");
    assert!(typ.contains("Our own template."));
    let campaign =
        std::fs::read_to_string(out.join("reports/campaign/campaign-2026-en/report.typ"))
            .expect("the campaign report's source");
    assert!(campaign.contains("Governments by mean right score"), "ranked, as asked");
}
