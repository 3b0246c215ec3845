//! Charts: every kind drawn for the sample data in en, es and fr, each SVG well-formed with
//! its title, description and labels in the chosen language; missing data drawn as missing;
//! identical bytes on a second run; PNGs drawn with the embedded fonts only (also CJK and
//! Arabic names), with no system fonts; the groups of an indicator against their reference,
//! those left behind marked in words, and the breakdowns governments report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use hrcities::charts::data::{BreakdownRow, ChartData, GroupRow, ScoreRow};
use hrcities::charts::{campaign_charts, city_charts, png, Labels, Prepared};
use hrcities::compute::Method;
use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;
use hrcities::store::Store;

use crate::common::hrcities;

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{:?}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("a folder") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Parses `svg` as XML to the end; returns the text of its `<title>` and `<desc>`, and all
/// its text.
fn parse_svg(svg: &str) -> (String, String, String) {
    let mut reader = quick_xml::Reader::from_str(svg);
    let (mut title, mut desc, mut all) = (String::new(), String::new(), String::new());
    let mut current = String::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => {
                current = String::from_utf8_lossy(e.name().as_ref()).into_owned();
            }
            Ok(
                ev @ (quick_xml::events::Event::Text(_) | quick_xml::events::Event::GeneralRef(_)),
            ) => {
                let text = match ev {
                    quick_xml::events::Event::Text(t) => t.decode().expect("text").into_owned(),
                    quick_xml::events::Event::GeneralRef(r) => {
                        match r.resolve_char_ref().expect("a reference") {
                            Some(c) => c.to_string(),
                            None => {
                                let name = r.decode().expect("a name").into_owned();
                                quick_xml::escape::resolve_xml_entity(&name)
                                    .expect("a known entity")
                                    .to_string()
                            }
                        }
                    }
                    _ => unreachable!(),
                };
                match current.as_str() {
                    "title" => title.push_str(&text),
                    "desc" => desc.push_str(&text),
                    _ => {}
                }
                all.push_str(&text);
            }
            Ok(quick_xml::events::Event::End(_)) => current.clear(),
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML at {}: {e}", reader.buffer_position()),
        }
    }
    (title, desc, all)
}

fn store_of_sample_data(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    run(hrcities()
        .args(["-q", "ingest", "--store"])
        .arg(&store)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")));
    store
}

#[test]
fn every_chart_kind_in_three_languages_well_formed_labelled_and_reproducible() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = store_of_sample_data(tmp.path());
    let expected = [
        ("en", "Housing", "median of", "Completeness of the returns by right, 2026"),
        ("es", "Vivienda", "mediana de", "Exhaustividad de las respuestas por derecho, 2026"),
        ("fr", "Logement", "médiane de", "Complétude des retours par droit, 2026"),
    ];
    for (lang, housing, median, quality_title) in expected {
        let out = tmp.path().join(format!("out-{lang}"));
        run(hrcities()
            .args(["--lang", lang, "charts", "--year", "2026", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(&out));
        let charts = out.join("charts");
        let kinds = [
            "campaign/progress",
            "campaign/quality-rights-2026",
            "campaign/quality-regions-2026",
            "campaign/heatmap-2026",
            "indicators/HOU_I02-2026",
            "cities/COL-villa-esperanza-del-sur/rights-2026",
            "cities/COL-villa-esperanza-del-sur/rights-2025",
            "cities/COL-villa-esperanza-del-sur/trends",
        ];
        for kind in kinds {
            let svg_path = charts.join(format!("{kind}-{lang}.svg"));
            let svg = std::fs::read_to_string(&svg_path)
                .unwrap_or_else(|e| panic!("{}: {e}", svg_path.display()));
            let (title, desc, _) = parse_svg(&svg);
            assert!(!title.is_empty() && desc.len() > 40, "{lang} {kind}: {title:?} {desc:?}");
            assert!(svg.contains("role=\"img\""), "{kind}");
            // By default only the campaign's charts get a PNG; a city's are in its report.
            let png_path = charts.join(format!("{kind}-{lang}.png"));
            if kind.starts_with("cities/") {
                assert!(!png_path.exists(), "{kind}: no PNG unless --png all");
            } else {
                let png = std::fs::read(&png_path).expect("a PNG");
                assert_eq!(&png[1..4], b"PNG", "{kind}");
            }
        }
        let (_, _, text) = parse_svg(
            &std::fs::read_to_string(
                charts.join(format!("cities/COL-villa-esperanza-del-sur/rights-2026-{lang}.svg")),
            )
            .unwrap(),
        );
        assert!(text.contains(housing) && text.contains(median), "{lang}: {text}");
        let (title, _, _) = parse_svg(
            &std::fs::read_to_string(
                charts.join(format!("campaign/quality-rights-2026-{lang}.svg")),
            )
            .unwrap(),
        );
        assert_eq!(title, quality_title);
        let (_, _, heat) = parse_svg(
            &std::fs::read_to_string(charts.join(format!("campaign/heatmap-2026-{lang}.svg")))
                .unwrap(),
        );
        assert!(heat.contains("Villa Esperanza del Sur") && heat.contains(housing), "{lang}");
    }

    // A second run gives the same bytes, and so does a run that sees no system fonts.
    let again = tmp.path().join("again");
    run(hrcities()
        .env_clear()
        .env("FONTCONFIG_FILE", "/nonexistent/fonts.conf")
        .env("XDG_DATA_DIRS", "/nonexistent")
        .args(["--lang", "fr", "charts", "--year", "2026", "--store"])
        .arg(&store)
        .arg("--out")
        .arg(&again));
    let first = files(&tmp.path().join("out-fr/charts"));
    let second = files(&again.join("charts"));
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{} differs between runs", path.display());
    }
}

/// Non-white pixels of a PNG.
fn ink(png_bytes: &[u8]) -> usize {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png_bytes).expect("a PNG");
    pixmap.pixels().iter().filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200).count()
}

#[test]
fn png_text_uses_the_embedded_fonts_for_every_script() {
    let text = |s: &str| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"40\">\
             <text x=\"10\" y=\"28\" font-family=\"Noto Sans\" font-size=\"20\">{s}</text></svg>"
        )
    };
    let blank = ink(&png(&text(""), 1.0).expect("renders"));
    assert_eq!(blank, 0);
    for name in ["Villa Esperanza", "Ставрополь", "광주광역시", "广州市", "الرباط"]
    {
        let n = ink(&png(&text(name), 1.0).expect("renders"));
        assert!(n > 60, "{name}: {n} dark pixels — its glyphs were not drawn");
    }
}

#[test]
fn missing_scores_are_drawn_as_missing_not_as_zero() {
    let fw = load_embedded(Lang::En).framework;
    let row = |city: &str, right: &str, score: Option<f64>| ScoreRow {
        city_id: city.into(),
        city_name: city.into(),
        region: Some("europe".into()),
        year: 2026,
        right_id: right.into(),
        score,
        kinds: [None; 3],
        status: if score.is_some() { "ok" } else { "insufficient_data" }.into(),
        carried_forward: false,
    };
    let mut data = ChartData::default();
    for right in &fw.rights {
        data.scores.push(row("ESP-a", &right.id, Some(55.0)));
        data.scores.push(row(
            "ESP-b",
            &right.id,
            if right.id == "housing" { None } else { Some(0.0) },
        ));
    }
    let charts = campaign_charts(&data, Labels { fw: &fw, lang: Lang::En }, 2026);
    let heat = charts.iter().find(|c| c.path.ends_with("heatmap-2026")).expect("a heatmap");
    let (_, desc, text) = parse_svg(&heat.svg);
    assert!(desc.contains("1 cells have no score"), "{desc}");
    // Every other right's real zero is printed as 0; the missing cell is a dash, not a 0.
    let zeros = fw.rights.len() - 1;
    assert_eq!(text.lines().filter(|l| l.trim() == "0").count(), zeros, "{text}");
    assert_eq!(text.lines().filter(|l| l.trim() == "–").count(), 2, "a cell and the legend");
    assert!(text.contains("no score"));
}

#[test]
fn a_highlighted_city_whose_indicator_does_not_apply_is_told_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = store_of_sample_data(tmp.path());
    let out = tmp.path().join("out");
    run(hrcities()
        .args(["charts", "--png", "none", "--year", "2026"])
        .args(["--city", "COL-villa-esperanza-del-sur", "--store"])
        .arg(&store)
        .arg("--out")
        .arg(&out));
    // INF_I05 does not apply to Villa Esperanza del Sur in 2026 (its answers make it so).
    let svg = std::fs::read_to_string(
        out.join("charts/cities/COL-villa-esperanza-del-sur/INF_I05-2026-en.svg"),
    )
    .expect("the strip plot");
    let (_, desc, text) = parse_svg(&svg);
    assert!(desc.contains("Villa Esperanza del Sur: this indicator does not apply"), "{desc}");
    assert!(text.contains("does not apply"), "{text}");
}

/// A group row of `ESP-a` for HOU_I05 (homelessness per 100,000, lower is better) in 2026.
fn group(dim: &str, category: &str, value: Option<f64>, reference: Option<&str>) -> GroupRow {
    let reference_value = Some(100.0);
    let gap = value.zip(reference_value).map(|(v, r)| v - r);
    GroupRow {
        city_id: "ESP-a".into(),
        city_name: "Villa <Ficticia> & Co".into(),
        year: 2026,
        indicator_id: "HOU_I05".into(),
        dimension: dim.into(),
        category: category.into(),
        value,
        status: if value.is_some() { "ok" } else { "missing" }.into(),
        missing_questions: None,
        reference_category: reference.map(String::from),
        reference_value,
        gap,
        ratio: None,
        left_behind: gap.map(|g| g > 10.0),
    }
}

#[test]
fn a_group_chart_marks_the_reference_and_says_who_is_left_behind_in_words() {
    let fw = load_embedded(Lang::En).framework;
    let mut data = ChartData::default();
    data.groups = vec![
        group("sex", "women", Some(130.0), Some("men")),
        group("sex", "men", Some(100.0), Some("men")),
        group("sex", "other", None, Some("men")),
        group("neighbourhood", "#Barrio \"Norte\" <b>", Some(104.0), None),
        group("neighbourhood", "Sur", Some(150.0), None),
    ];
    // (The rows are indexed on first use: every row goes in before any chart is drawn.)
    data.scores.push(ScoreRow {
        city_id: "ESP-a".into(),
        city_name: "Villa <Ficticia> & Co".into(),
        region: Some("europe".into()),
        year: 2026,
        right_id: "housing".into(),
        score: Some(50.0),
        kinds: [None; 3],
        status: "ok".into(),
        carried_forward: false,
    });
    let expected = [
        (Lang::En, "Women", "Men (reference)", "left behind", "no value", "City as a whole"),
        (
            Lang::Es,
            "Mujeres",
            "Hombres (referencia)",
            "se queda atrás",
            "sin valor",
            "Conjunto de la ciudad",
        ),
        (
            Lang::Fr,
            "Femmes",
            "Hommes (référence)",
            "laissé de côté",
            "pas de valeur",
            "Ensemble de la ville",
        ),
    ];
    for (lang, women, men, behind, no_value, whole) in expected {
        let labels = Labels { fw: &fw, lang };
        let chart = hrcities::charts::groups(&data, labels, "ESP-a", "HOU_I05", 2026);
        assert_eq!(chart.path, PathBuf::from("cities/ESP-a/groups-HOU_I05-2026"));
        let (title, desc, text) = parse_svg(&chart.svg);
        assert_eq!(title, fw.indicator("HOU_I05").unwrap().title.get(lang));
        assert!(chart.svg.contains("role=\"img\""));
        for label in [women, men, whole, "Sur", "#Barrio \"Norte\" <b>"] {
            assert!(text.contains(label), "{lang:?}: {label} in {text}");
        }
        // The two groups left behind say so in words (not only by colour), once each.
        assert_eq!(text.matches(&format!("· {behind}")).count(), 2, "{lang:?}: {text}");
        assert!(text.contains(no_value), "{lang:?}: the missing group is drawn as missing");
        // Values print in the chart's language: 130 and the neighbourhood's 104, never 0.
        assert!(text.contains("130") && text.contains("104"), "{text}");
        assert!(desc.contains("Villa <Ficticia> & Co") && desc.contains(women), "{desc}");
        assert!(desc.contains("Sur"), "{lang:?}: the desc names the groups left behind: {desc}");
        if lang != Lang::En {
            for english in ["left behind", "City as a whole", "no value", "(reference)"] {
                assert!(!text.contains(english), "{lang:?}: English «{english}» in {text}");
            }
            for english in ["Reference", "Group"] {
                let found = text.lines().any(|l| l.trim() == english);
                assert!(!found, "{lang:?}: English «{english}» in {text}");
            }
        }
    }
    // A city's charts include a dot chart for each indicator it reported groups for.
    let charts = city_charts(&data, Labels { fw: &fw, lang: Lang::En }, "ESP-a", None);
    let paths: Vec<_> = charts.iter().map(|c| c.path.display().to_string()).collect();
    assert!(paths.contains(&"cities/ESP-a/groups-HOU_I05-2026".to_string()), "{paths:?}");
}

#[test]
fn the_breakdowns_chart_counts_governments_and_their_share_of_questions() {
    let fw = load_embedded(Lang::En).framework;
    let row = |city: &str, question: &str, dim: &str, reported: bool| BreakdownRow {
        city_id: city.into(),
        year: 2027,
        question_id: question.into(),
        dimension: dim.into(),
        reported,
        categories_expected: Some(2),
        categories_reported: if reported { 2 } else { 0 },
    };
    let mut data = ChartData::default();
    data.breakdowns = vec![
        row("A", "HOU_Q07", "sex", true),
        row("A", "HOU_Q10", "sex", false),
        row("A", "HOU_Q07", "disability", false),
        row("B", "HOU_Q07", "sex", true),
        row("B", "HOU_Q10", "sex", true),
        row("B", "HOU_Q07", "disability", false),
        row("C", "HOU_Q07", "sex", false),
        row("C", "HOU_Q07", "disability", false),
    ];
    let labels = Labels { fw: &fw, lang: Lang::Es };
    let (coverage, governments) = hrcities::charts::breakdown_coverage(&data, labels, 2027);
    assert_eq!(governments, 3);
    let sex = coverage.iter().find(|c| c.dimension == "sex").expect("sex");
    // A and B gave sex; of their 4 questions asking for it, 3 were given.
    assert_eq!((sex.asked, sex.reporting, sex.share), (3, 2, Some(0.75)));
    let disability = coverage.iter().find(|c| c.dimension == "disability").expect("disability");
    assert_eq!((disability.reporting, disability.share), (0, None));
    assert_eq!(coverage[0].dimension, "sex", "most reported first");
    let chart = hrcities::charts::breakdowns(&data, labels, 2027);
    assert_eq!(chart.path, PathBuf::from("campaign/breakdowns-2027"));
    let (title, desc, text) = parse_svg(&chart.svg);
    assert_eq!(title, "Qué desgloses presentan los gobiernos, 2027");
    assert!(text.contains("Sexo") && text.contains("Situación de discapacidad"), "{text}");
    assert!(text.contains("2 de 3") && text.contains("75\u{a0}%"), "{text}");
    assert!(desc.contains("Sexo (2 gobiernos)"), "{desc}");
}

#[test]
fn group_and_breakdown_charts_of_the_sample_data_in_three_languages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = store_of_sample_data(tmp.path());
    // A city and indicator of 2027 with a group left behind, by sex or age group.
    let fw = load_embedded(Lang::En).framework;
    let prepared = Prepared::load(&Store::open(&store).expect("a store"), &fw, Method::default())
        .expect("data");
    let flagged = prepared
        .data
        .groups
        .iter()
        .find(|g| {
            g.year == 2027
                && g.is_left_behind()
                && ["sex", "age_group"].contains(&g.dimension.as_str())
        })
        .expect("the 2027 sample returns have a group left behind")
        .clone();
    let dim = &fw.vocab.disaggregations[&flagged.dimension];
    for (lang, behind, title) in [
        (Lang::En, "left behind", "Which breakdowns governments report, 2027"),
        (Lang::Es, "se queda atrás", "Qué desgloses presentan los gobiernos, 2027"),
        (Lang::Fr, "laissé de côté", "Quelles ventilations les collectivités fournissent, 2027"),
    ] {
        let out = tmp.path().join(format!("out-{}", lang.code()));
        run(hrcities()
            .args(["--lang", lang.code(), "charts", "--png", "none", "--year", "2027", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(&out));
        let charts = out.join("charts");
        let path = charts.join(format!(
            "cities/{}/groups-{}-2027-{}.svg",
            flagged.city_id,
            flagged.indicator_id,
            lang.code()
        ));
        let svg =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (t, desc, text) = parse_svg(&svg);
        assert_eq!(t, fw.indicator(&flagged.indicator_id).unwrap().title.get(lang));
        let category = dim.category_label(&flagged.category, lang);
        assert!(text.contains(category), "{lang:?}: {category} in {text}");
        assert!(text.contains(&format!("· {behind}")), "{lang:?}: {text}");
        assert!(desc.contains(category) && desc.contains(&flagged.city_name), "{desc}");
        let svg = std::fs::read_to_string(
            charts.join(format!("campaign/breakdowns-2027-{}.svg", lang.code())),
        )
        .expect("the breakdowns chart");
        let (t, desc, text) = parse_svg(&svg);
        assert_eq!(t, title);
        assert!(text.contains(dim.label.get(lang)), "{lang:?}: {text}");
        assert!(desc.len() > 60, "{desc}");
    }
}
