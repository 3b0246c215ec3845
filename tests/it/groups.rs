//! Who is left behind (Contract 5), worked out by hand: three cities of the mini framework
//! (`tests/fixtures/mini-framework`) give breakdowns by sex, age group, migration status,
//! income group and neighbourhood on the breakdown sheet; `hrcities validate`, `ingest` and
//! `compute` must give the diagnostics, group values, references, gaps, ratios and
//! `left_behind` flags computed next to each expected number. And the workbook round-trips:
//! a blank one, filled by a spreadsheet library as a city would, reads back every group
//! answer at its cell.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use hrcities::framework::{load_dir, Framework};
use hrcities::i18n::Lang;
use hrcities::questionnaire::fill::{CellValue, Fill, Layout};
use hrcities::questionnaire::write::write_workbook;

fn mini_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini-framework")
}

fn mini() -> Framework {
    let loaded = load_dir(&mini_dir(), Lang::En).expect("the mini framework reads");
    assert_eq!(loaded.problems.len(), 0, "{}", loaded.problems.render(Lang::En));
    loaded.framework
}

fn hrcities() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("hrcities"));
    cmd.env_clear().arg("--framework").arg(mini_dir());
    cmd
}

fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn n(x: f64) -> CellValue {
    CellValue::Number(x)
}

/// A return of the mini framework: its profile and answers, then its breakdowns
/// (question, dimension, category, value).
fn city(
    name: &str,
    population: f64,
    households: f64,
    answers: &[(&str, CellValue)],
    groups: &[(&str, &str, &str, f64)],
) -> Fill {
    let mut f = Fill::default();
    f.answer("city_name", CellValue::Text(name.into()))
        .answer("country", CellValue::Text("ESP".into()))
        .answer("region", CellValue::Choice("europe".into()))
        .answer("government_level", CellValue::Choice("municipality".into()))
        .answer("population", n(population))
        .answer("households", n(households))
        .answer("reporting_year", n(2026.0));
    for (id, v) in answers {
        f.answer(id, v.clone());
    }
    for (q, d, c, v) in groups {
        f.group(q, d, c, n(*v));
        if *d == "neighbourhood" {
            let names = f.group_names.entry("neighbourhood".into()).or_default();
            if !names.contains(&c.to_string()) {
                names.push(c.to_string());
            }
        }
    }
    f
}

/// A: every breakdown usable, one left behind in each of three dimensions.
fn city_a() -> Fill {
    city(
        "Ciudad A",
        100_000.0,
        40_000.0,
        &[
            ("HOU_Q01", CellValue::YesNo(false)),
            ("HOU_Q04", n(4_000.0)),
            ("HOU_Q05", n(30.0)),
            ("HOU_Q06", CellValue::Choice("street_and_services".into())),
            ("HOU_Q07", n(200.0)),
        ],
        &[
            // 80 + 110 + 10 = 200: complete and adds up.
            ("HOU_Q07", "sex", "women", 80.0),
            ("HOU_Q07", "sex", "men", 110.0),
            ("HOU_Q07", "sex", "other", 10.0),
            ("population", "sex", "women", 52_000.0),
            ("population", "sex", "men", 47_000.0),
            ("population", "sex", "other", 1_000.0),
            // One age group only, and no population by age: the rate is missing.
            ("HOU_Q07", "age_group", "0_14", 20.0),
            // 150 + 30 = 180, not 200: complete but does not add up (W-BREAKDOWN-SUM).
            ("HOU_Q07", "migration_status", "nationals", 150.0),
            ("HOU_Q07", "migration_status", "non_nationals", 30.0),
            // Shares of households overburdened, by income group.
            ("HOU_Q05", "income_group", "q1", 45.0),
            ("HOU_Q05", "income_group", "q5", 20.0),
            // Neighbourhoods the city names: households in inadequate housing, households.
            ("HOU_Q04", "neighbourhood", "Norte", 3_000.0),
            ("HOU_Q04", "neighbourhood", "Sur", 500.0),
            ("households", "neighbourhood", "Norte", 10_000.0),
            ("households", "neighbourhood", "Sur", 20_000.0),
        ],
    )
}

/// B: no homelessness count (HOU_Q07 does not apply), yet a breakdown of it; evictions
/// by neighbourhood with none in one of them.
fn city_b() -> Fill {
    city(
        "Ciudad B",
        50_000.0,
        20_000.0,
        &[
            ("HOU_Q01", CellValue::YesNo(true)),
            ("HOU_Q02", n(10.0)),
            ("HOU_Q03", n(5.0)),
            ("HOU_Q04", n(1_000.0)),
            ("HOU_Q06", CellValue::Choice("none".into())),
        ],
        &[
            ("HOU_Q07", "sex", "women", 5.0),
            ("population", "sex", "women", 26_000.0),
            ("population", "sex", "men", 24_000.0),
            // Centro: no eviction, so no share rehoused (0 / 0).
            ("HOU_Q02", "neighbourhood", "Centro", 0.0),
            ("HOU_Q03", "neighbourhood", "Centro", 0.0),
            ("HOU_Q02", "neighbourhood", "Puerto", 10.0),
            ("HOU_Q03", "neighbourhood", "Puerto", 5.0),
        ],
    )
}

/// C: a part larger than its total, and a group the dimension does not have.
fn city_c() -> Fill {
    let mut f = city(
        "Ciudad C",
        80_000.0,
        30_000.0,
        &[
            ("HOU_Q01", CellValue::YesNo(false)),
            ("HOU_Q04", n(900.0)),
            ("HOU_Q06", CellValue::Choice("street_and_services".into())),
            ("HOU_Q07", n(100.0)),
        ],
        &[
            ("HOU_Q07", "sex", "women", 150.0),
            ("HOU_Q07", "sex", "men", 40.0),
            ("population", "sex", "women", 41_000.0),
            ("population", "sex", "men", 39_000.0),
        ],
    );
    f.group("HOU_Q07", "sex", "Martians", n(3.0));
    f
}

fn write(fw: &Framework, fill: &Fill, path: &Path) {
    write_workbook(fw, Lang::Es, fill, &Layout::default(), path).expect("written");
}

type Row = BTreeMap<String, String>;

fn read_csv(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            header.iter().cloned().zip(rec.expect("a record").iter().map(String::from)).collect()
        })
        .collect()
}

fn num(row: &Row, col: &str) -> Option<f64> {
    let raw = &row[col];
    (!raw.is_empty()).then(|| raw.parse().unwrap_or_else(|_| panic!("{col}: {raw:?}")))
}

fn close(got: Option<f64>, want: Option<f64>, what: &str) {
    match (got, want) {
        (Some(g), Some(w)) => {
            assert!((g - w).abs() < 1e-9 * w.abs().max(1.0), "{what}: {g} vs {w}")
        }
        (g, w) => assert_eq!(g, w, "{what}"),
    }
}

#[test]
fn groups_are_computed_against_their_reference_as_worked_out_by_hand() {
    let fw = mini();
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    std::fs::create_dir_all(&returns).expect("mkdir");
    write(&fw, &city_a(), &returns.join("a.xlsx"));
    write(&fw, &city_b(), &returns.join("b.xlsx"));
    write(&fw, &city_c(), &returns.join("c.xlsx"));

    // Diagnostics: exactly these, at the breakdown sheet's cells.
    let (code, json) = run(hrcities().args(["--format", "json", "validate"]).arg(&returns));
    assert_eq!(code, 3, "C has an error (and the water questions are blank): {json}");
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    // (The returns leave the water questions blank: their E-REQUIRED are not the point.)
    let mut codes: Vec<(String, String, String)> = Vec::new();
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        if d["sheet"] != "Desgloses" {
            continue;
        }
        let name = Path::new(d["file"].as_str().expect("file"))
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let question = d["question"].as_str().unwrap_or("").to_string();
        codes.push((name, d["code"].as_str().expect("code").into(), question));
    }
    codes.sort();
    assert_eq!(
        codes,
        [
            ("a.xlsx".into(), "W-BREAKDOWN-SUM".into(), "HOU_Q07".into()),
            ("b.xlsx".into(), "W-NOT-APPLICABLE".into(), "HOU_Q07".into()),
            ("c.xlsx".into(), "E-BREAKDOWN-PART".into(), "HOU_Q07".into()),
            ("c.xlsx".into(), "W-BREAKDOWN-UNKNOWN".into(), "HOU_Q07".into()),
        ]
    );

    let store = tmp.path().join("store");
    let out = tmp.path().join("out");
    assert_eq!(run(hrcities().args(["-q", "ingest", "--store"]).arg(&store).arg(&returns)).0, 3);
    assert_eq!(
        run(hrcities().args(["-q", "compute", "--store"]).arg(&store).arg("--out").arg(&out)).0,
        0
    );
    let rows = read_csv(&out.join("data/indicators_by_group.csv"));
    let get = |city: &str, ind: &str, dim: &str, cat: &str| -> &Row {
        rows.iter()
            .find(|r| {
                r["city_id"] == city
                    && r["indicator_id"] == ind
                    && r["dimension"] == dim
                    && r["category"] == cat
            })
            .unwrap_or_else(|| panic!("no row {city} {ind} {dim} {cat}"))
    };
    let (a, b, c) = ("ESP-ciudad-a", "ESP-ciudad-b", "ESP-ciudad-c");

    // (city, indicator, dimension, category, status, value, reference category, reference
    // value, gap, ratio, left behind)
    type Expected<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Option<f64>,
        &'a str,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        &'a str,
    );
    let men_a = 110.0 / 47_000.0 * 100_000.0; // 234.0426: A's men, the reference
    let men_c = 40.0 / 39_000.0 * 100_000.0; // 102.5641: C's men
    #[rustfmt::skip]
    let expected: Vec<Expected<'_>> = vec![
        // HOU_I05 = HOU_Q07 / population × 100,000, lower is better; per 100k, so the
        // threshold is 10 % of the reference.
        // Women: 80 / 52,000 × 100,000 = 153.8462; gap −80.1964, better: not left behind.
        (a, "HOU_I05", "sex", "women", "ok", Some(80.0 / 52_000.0 * 1e5), "men", Some(men_a), Some(80.0 / 52_000.0 * 1e5 - men_a), Some(80.0 / 52_000.0 * 1e5 / men_a), "false"),
        // Men: the reference itself, gap 0, ratio 1.
        (a, "HOU_I05", "sex", "men", "ok", Some(men_a), "men", Some(men_a), Some(0.0), Some(1.0), "false"),
        // Other: 10 / 1,000 × 100,000 = 1,000; gap 765.9574 > 23.4043 (10 %): left behind.
        (a, "HOU_I05", "sex", "other", "ok", Some(1_000.0), "men", Some(men_a), Some(1_000.0 - men_a), Some(1_000.0 / men_a), "true"),
        // 0–14: 20 homeless children, but no population of 0–14: missing.
        (a, "HOU_I05", "age_group", "0_14", "missing", None, "25_64", None, None, None, ""),
        // Migration status given (with the W-BREAKDOWN-SUM warning: values still used), but
        // no population by migration status: missing.
        (a, "HOU_I05", "migration_status", "non_nationals", "missing", None, "nationals", None, None, None, ""),
        // HOU_I04 = HOU_Q05, a share in %, lower is better: the threshold is 5 points.
        // q1: 45 against q5's 20: gap 25 > 5, left behind; ratio 2.25.
        (a, "HOU_I04", "income_group", "q1", "ok", Some(45.0), "q5", Some(20.0), Some(25.0), Some(2.25), "true"),
        (a, "HOU_I04", "income_group", "q5", "ok", Some(20.0), "q5", Some(20.0), Some(0.0), Some(1.0), "false"),
        // HOU_I03 = pct(HOU_Q04, households), lower is better, against the city as a whole:
        // 4,000 / 40,000 = 10 %. Norte: 3,000 / 10,000 = 30 %, gap 20 > 5: left behind.
        (a, "HOU_I03", "neighbourhood", "Norte", "ok", Some(30.0), "", Some(10.0), Some(20.0), Some(3.0), "true"),
        // Sur: 500 / 20,000 = 2.5 %, gap −7.5: better.
        (a, "HOU_I03", "neighbourhood", "Sur", "ok", Some(2.5), "", Some(10.0), Some(-7.5), Some(0.25), "false"),
        // B: HOU_Q07 does not apply (no count), so neither does the rate for women, whose
        // population B gave.
        (b, "HOU_I05", "sex", "women", "not_applicable", None, "men", None, None, None, ""),
        // HOU_I02 = pct(HOU_Q03, HOU_Q02), higher is better, against the city's 5 / 10 =
        // 50 %. Centro: 0 / 0 is undefined.
        (b, "HOU_I02", "neighbourhood", "Centro", "undefined", None, "", Some(50.0), None, None, ""),
        // Puerto: 5 / 10 = 50 %, the same as the city: gap 0.
        (b, "HOU_I02", "neighbourhood", "Puerto", "ok", Some(50.0), "", Some(50.0), Some(0.0), Some(1.0), "false"),
        // C: women's 150 exceeds the total 100 (E-BREAKDOWN-PART): left out, so missing.
        (c, "HOU_I05", "sex", "women", "missing", None, "men", Some(men_c), None, None, ""),
        (c, "HOU_I05", "sex", "men", "ok", Some(men_c), "men", Some(men_c), Some(0.0), Some(1.0), "false"),
    ];
    for (city, ind, dim, cat, status, value, rc, rv, gap, ratio, lb) in expected {
        let what = format!("{city} {ind} {dim} {cat}");
        let r = get(city, ind, dim, cat);
        assert_eq!(r["status"], status, "{what}: {r:?}");
        close(num(r, "value"), value, &format!("{what} value"));
        assert_eq!(r["reference_category"], rc, "{what}");
        close(num(r, "reference_value"), rv, &format!("{what} reference"));
        close(num(r, "gap"), gap, &format!("{what} gap"));
        close(num(r, "ratio"), ratio, &format!("{what} ratio"));
        assert_eq!(r["left_behind"], lb, "{what}");
    }
    // Missing values name the question to fill in.
    assert_eq!(get(a, "HOU_I05", "age_group", "0_14")["missing_questions"], "population");
    assert_eq!(get(c, "HOU_I05", "sex", "women")["missing_questions"], "HOU_Q07");
    // A question only in a denominator makes no group: no HOU_I03 by sex.
    assert!(!rows.iter().any(|r| r["indicator_id"] == "HOU_I03" && r["dimension"] == "sex"));
    // The group the dimension does not have is kept in the store, not computed.
    assert!(!rows.iter().any(|r| r["category"] == "Martians"));

    // What each return was expected to break down and what it gave.
    let status = read_csv(&out.join("data/disaggregation_status.csv"));
    let st = |city: &str, q: &str, d: &str| -> (String, String, String) {
        let r = status
            .iter()
            .find(|r| r["city_id"] == city && r["question_id"] == q && r["dimension"] == d)
            .unwrap_or_else(|| panic!("no status {city} {q} {d}"));
        (r["reported"].clone(), r["categories_expected"].clone(), r["categories_reported"].clone())
    };
    assert_eq!(st(a, "HOU_Q07", "sex"), ("true".into(), "3".into(), "3".into()));
    assert_eq!(st(a, "HOU_Q07", "age_group"), ("true".into(), "4".into(), "1".into()));
    assert_eq!(st(a, "HOU_Q04", "neighbourhood"), ("true".into(), "".into(), "2".into()));
    assert_eq!(st(c, "HOU_Q07", "sex"), ("true".into(), "3".into(), "1".into()), "women left out");
    assert_eq!(st(c, "HOU_Q04", "neighbourhood"), ("false".into(), "".into(), "0".into()));
    // B's HOU_Q07 does not apply: nothing was expected of it.
    assert!(!status.iter().any(|r| r["city_id"] == b && r["question_id"] == "HOU_Q07"));

    // Across governments: HOU_I05 for women, in A only (C's is missing): n 1.
    let agg = read_csv(&out.join("data/group_aggregates.csv"));
    let w = agg
        .iter()
        .find(|r| {
            r["indicator_id"] == "HOU_I05" && r["dimension"] == "sex" && r["category"] == "women"
        })
        .expect("women's HOU_I05 across governments");
    assert_eq!(w["n"], "1");
    close(num(w, "median_gap"), Some(80.0 / 52_000.0 * 1e5 - men_a), "median gap");
    assert_eq!(w["n_left_behind"], "0");
    let o = agg
        .iter()
        .find(|r| r["indicator_id"] == "HOU_I05" && r["category"] == "other")
        .expect("other's HOU_I05");
    assert_eq!(o["n_left_behind"], "1");
    // The reference group and neighbourhoods are not aggregated.
    assert!(!agg.iter().any(|r| r["category"] == "men" || r["dimension"] == "neighbourhood"));
}

/// A blank workbook in each language, filled with openpyxl as a city would fill it (typing
/// numbers in the Answer cells of the breakdown sheet and neighbourhood names in the Group
/// cells), reads back every group answer at its cell.
#[test]
fn a_breakdown_filled_by_a_spreadsheet_program_reads_back_at_its_cells() {
    let python = std::process::Command::new("python3").args(["-c", "import openpyxl"]).output();
    if !python.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
            "openpyxl is required (pip install openpyxl)"
        );
        eprintln!("skipped: openpyxl is not installed");
        return;
    }
    let fw = hrcities::framework::load_embedded(Lang::En).framework;
    let tmp = tempfile::tempdir().expect("tempdir");
    for lang in Lang::ALL {
        let blank = tmp.path().join(format!("blank-{lang}.xlsx"));
        let mut profile = Fill::default();
        profile
            .answer("city_name", CellValue::Text("Villa Prueba".into()))
            .answer("country", CellValue::Text("ESP".into()))
            .answer("reporting_year", n(2027.0));
        write_workbook(&fw, lang, &profile, &Layout::default(), &blank).expect("written");
        let filled = tmp.path().join(format!("filled-{lang}.xlsx"));
        // The script fills, on the breakdown sheet, the Answer cell of every row of
        // HOU_Q07 (sex: 10, 11, 12 …) and names two neighbourhoods of HOU_Q04, and prints
        // what it wrote where: `question;dimension label;group;cell;value`.
        let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb[sys.argv[3]]
header = None
for row in ws.iter_rows():
    texts = [str(c.value or "") for c in row]
    if "ID" in texts:
        header = {t: i for i, t in enumerate(texts)}
        break
hid = header["ID"]
cols = list(header.values())
out = []
n = 10
names = iter(["Barrio Alto", "Barrio Bajo"])
for row in ws.iter_rows(min_row=row[0].row + 1):
    qid = row[hid].value
    dim, grp, ans = row[hid + 2], row[hid + 3], row[hid + 4]
    if qid == "HOU_Q07" and grp.value:
        ans.value = n; out.append(f"{qid};{dim.value};{grp.value};{ans.coordinate};{n}"); n += 1
    if qid == "HOU_Q04" and not grp.value:
        name = next(names, None)
        if name:
            grp.value = name; ans.value = n
            out.append(f"{qid};{dim.value};{name};{ans.coordinate};{n}"); n += 1
wb.save(sys.argv[2])
print("\n".join(out))
"#;
        let sheet = hrcities::questionnaire::layout::breakdown_sheet(lang);
        let o = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&blank)
            .arg(&filled)
            .arg(sheet)
            .output()
            .expect("python runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let written: Vec<Vec<String>> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| l.split(';').map(String::from).collect())
            .collect();
        // HOU_Q07 by sex (3), age group (4), migration status (2); two neighbourhoods.
        assert!(written.len() >= 11, "{written:?}");
        let wb = hrcities::questionnaire::read::read_workbook(&filled, &fw).expect("reads");
        let checked = hrcities::validate::validate(&fw, &wb, Lang::En);
        assert_eq!(checked.groups.len(), written.len(), "{lang}: every answer is read");
        for (w, g) in written.iter().zip(&checked.groups) {
            assert_eq!(g.question, w[0], "{lang}");
            assert_eq!(g.cell.to_string(), w[3], "{lang} {w:?}");
            assert_eq!(g.sheet, sheet, "{lang}");
            assert_eq!(g.number(), w[4].parse().ok(), "{lang} {w:?}");
            assert!(g.diagnostic.is_none(), "{lang} {w:?}: {:?}", g.diagnostic);
            let d = fw.vocab.disaggregations.get(&g.dimension).expect("a known dimension");
            assert_eq!(d.label.get(lang), w[1], "{lang}: the dimension's label");
            if d.city_named {
                assert_eq!(g.category, w[2], "{lang}: the name as written");
            } else {
                assert_eq!(d.category_label(&g.category, lang), w[2], "{lang}: the group");
            }
        }
    }
}
