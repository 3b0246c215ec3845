//! `hrcities ingest` + `hrcities compute` on returns written by the test itself through the
//! questionnaire writer, for a small framework (`tests/fixtures/mini-framework`: the housing
//! and water rights, ten indicators), checked against values worked out by hand: every
//! indicator's value, status and score, the missing questions, right scores with the
//! coverage rule and the weights, aggregates, year-over-year change, carried-forward values,
//! data quality and campaign progress.
//!
//! The arithmetic behind every expected number is written next to it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use hrcities::framework::{load_dir, Framework};
use hrcities::i18n::Lang;
use hrcities::questionnaire::fill::{CellValue, Fill, Layout};
use hrcities::questionnaire::write::write_workbook;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn mini_framework_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini-framework")
}

fn mini_framework() -> Framework {
    let loaded = load_dir(&mini_framework_dir(), Lang::En).expect("the mini framework reads");
    assert_eq!(loaded.problems.errors(), 0, "{}", loaded.problems.render(Lang::En));
    assert_eq!(loaded.problems.len(), 0, "{}", loaded.problems.render(Lang::En));
    loaded.framework
}

/// `hrcities --framework <mini> …`
fn hrcities() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("hrcities"));
    cmd.env_clear().arg("--framework").arg(mini_framework_dir());
    cmd
}

/// Runs `cmd`, asserts its exit code, returns its stdout.
fn run(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{:?}\nstdout:\n{stdout}\nstderr:\n{}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A campaign.csv row: (year, kind, new_commitments, cumulative, pace).
type CampaignRow = (i32, &'static str, Option<u32>, f64, Option<f64>);

/// A date: (year, month, day).
type Ymd = (i32, u32, u32);

/// Who a return is from (the profile sheet).
struct City {
    name: &'static str,
    country: &'static str,
    region: &'static str,
    level: &'static str,
    population: f64,
}

fn n(x: f64) -> CellValue {
    CellValue::Number(x)
}
fn yes() -> CellValue {
    CellValue::YesNo(true)
}
fn no() -> CellValue {
    CellValue::YesNo(false)
}
fn choice(code: &str) -> CellValue {
    CellValue::Choice(code.into())
}

/// The filled return of `city` for `year`: its profile, `households` and `joined` when
/// given, and `answers`. Questions not in `answers` are left blank.
fn fill(
    city: &City,
    year: i32,
    households: Option<f64>,
    joined: Option<Ymd>,
    answers: &[(&str, CellValue)],
) -> Fill {
    let mut f = Fill::default();
    f.answer("city_name", CellValue::Text(city.name.into()))
        .answer("country", CellValue::Text(city.country.into()))
        .answer("region", choice(city.region))
        .answer("government_level", choice(city.level))
        .answer("population", n(city.population))
        .answer("reporting_year", n(year as f64));
    if let Some(h) = households {
        f.answer("households", n(h));
    }
    if let Some((year, month, day)) = joined {
        f.answer("joined_campaign", CellValue::Date { year, month, day });
    }
    for (id, v) in answers {
        f.answer(id, v.clone());
    }
    f
}

fn write(fw: &Framework, lang: Lang, fill: &Fill, path: &Path) -> PathBuf {
    write_workbook(fw, lang, fill, &Layout::default(), path).expect("the workbook is written");
    path.to_path_buf()
}

type Row = BTreeMap<String, String>;

/// The rows of a CSV file, after checking its header is `columns`.
fn read_csv(path: &Path, columns: &[&str]) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r.headers().expect("a header").iter().map(String::from).collect();
    assert_eq!(header, columns, "{}: columns", path.display());
    r.records()
        .map(|rec| {
            let rec = rec.expect("a record");
            header.iter().cloned().zip(rec.iter().map(String::from)).collect()
        })
        .collect()
}

/// Collects every disagreement, so that one run reports them all.
#[derive(Default)]
struct Check {
    wrong: Vec<String>,
}

impl Check {
    fn num(&mut self, what: &str, row: &Row, column: &str, want: Option<f64>) {
        let raw = row.get(column).map(String::as_str).unwrap_or("<no column>");
        let got = if raw.is_empty() { None } else { raw.parse::<f64>().ok() };
        let same = match (got, want) {
            (Some(g), Some(w)) => (g - w).abs() <= 1e-9,
            (None, None) => raw.is_empty(),
            _ => false,
        };
        if !same {
            self.wrong.push(format!("{what} {column}: got {raw:?}, want {want:?}"));
        }
    }

    fn text(&mut self, what: &str, row: &Row, column: &str, want: &str) {
        let got = row.get(column).map(String::as_str).unwrap_or("<no column>");
        if got != want {
            self.wrong.push(format!("{what} {column}: got {got:?}, want {want:?}"));
        }
    }

    fn that(&mut self, ok: bool, message: String) {
        if !ok {
            self.wrong.push(message);
        }
    }

    fn finish(self) {
        assert!(
            self.wrong.is_empty(),
            "{} disagreement(s) with the hand-computed values:\n{}",
            self.wrong.len(),
            self.wrong.join("\n")
        );
    }
}

/// The one row of `rows` whose `keys` columns have the given values.
fn find<'a>(rows: &'a [Row], keys: &[(&str, &str)]) -> Option<&'a Row> {
    let mut found = rows.iter().filter(|r| keys.iter().all(|(k, v)| r[*k] == *v));
    let first = found.next();
    assert!(found.next().is_none(), "more than one row for {keys:?}");
    first
}

fn opt_u(x: Option<u32>) -> String {
    x.map_or(String::new(), |x| x.to_string())
}

// ---------------------------------------------------------------------------------------
// The three cities
// ---------------------------------------------------------------------------------------

const A: &str = "ESP-villa-ficticia";
const B: &str = "PRT-porto-sonhado";
const C: &str = "MEX-ciudad-quimera";

/// Villa Ficticia: Europe, 120,000 inhabitants (class 50k_300k), 48,000 households.
const CITY_A: City = City {
    name: "Villa Ficticia",
    country: "ESP",
    region: "europe",
    level: "municipality",
    population: 120_000.0,
};
/// Porto Sonhado: Europe, 450,000 inhabitants (class 300k_1m), 180,000 households in 2025
/// (left blank in 2026).
const CITY_B: City = City {
    name: "Porto Sonhado",
    country: "PRT",
    region: "europe",
    level: "intermediary_city",
    population: 450_000.0,
};
/// Ciudad Quimera: Latin America, 2,000,000 inhabitants (class 1m_5m), 600,000 households;
/// returns in Spanish, only for 2025.
const CITY_C: City = City {
    name: "Ciudad Quimera",
    country: "MEX",
    region: "latin_america",
    level: "metropolitan",
    population: 2_000_000.0,
};

/// (city id, name, country, region, government level, population class)
const PROFILES: [(&str, &str, &str, &str, &str, &str); 3] = [
    (A, "Villa Ficticia", "ESP", "europe", "municipality", "50k_300k"),
    (B, "Porto Sonhado", "PRT", "europe", "intermediary_city", "300k_1m"),
    (C, "Ciudad Quimera", "MEX", "latin_america", "metropolitan", "1m_5m"),
];

/// (indicator, right, kind, unit, weight) in framework order.
const INDICATORS: [(&str, &str, &str, &str, f64); 10] = [
    ("HOU_I01", "housing", "structural", "yes_no", 1.0),
    ("HOU_I02", "housing", "process", "percent", 1.0),
    ("HOU_I03", "housing", "outcome", "percent", 2.0),
    ("HOU_I04", "housing", "outcome", "percent", 1.0),
    ("HOU_I05", "housing", "outcome", "per_100k", 1.0),
    ("WAT_I01", "water_sanitation", "structural", "score", 1.0),
    ("WAT_I02", "water_sanitation", "structural", "yes_no", 1.0),
    ("WAT_I03", "water_sanitation", "process", "percent", 1.0),
    ("WAT_I04", "water_sanitation", "outcome", "percent", 1.0),
    ("WAT_I05", "water_sanitation", "outcome", "percent", 1.0),
];

/// Writes the five returns into `dir`: A 2025, A 2026, B 2025, C 2025 (all valid) and
/// B 2026 (WAT_Q02 deliberately blank: one E-REQUIRED error).
fn write_three_cities(fw: &Framework, dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let a2025 = fill(
        &CITY_A,
        2025,
        Some(48_000.0),
        Some((2024, 3, 15)),
        &[
            ("HOU_Q01", yes()),
            ("HOU_Q02", n(40.0)),
            ("HOU_Q03", n(30.0)),
            ("HOU_Q04", n(2_400.0)),
            ("HOU_Q05", n(30.0)),
            ("HOU_Q06", choice("street_and_services")),
            ("HOU_Q07", n(180.0)),
            ("WAT_Q01", n(45_600.0)),
            ("WAT_Q02", n(98.0)),
            ("WAT_Q03", n(43_200.0)),
            ("WAT_Q04", yes()),
            ("WAT_Q05", no()),
            ("WAT_Q07", n(228.0)),
            ("WAT_Q08", yes()),
        ],
    );
    let a2026 = fill(
        &CITY_A,
        2026,
        Some(48_000.0),
        Some((2024, 3, 15)),
        &[
            ("HOU_Q01", yes()),
            ("HOU_Q02", n(50.0)),
            ("HOU_Q03", n(45.0)),
            ("HOU_Q04", n(1_920.0)),
            ("HOU_Q05", n(28.0)),
            ("HOU_Q06", choice("street_and_services")),
            ("HOU_Q07", n(150.0)),
            ("WAT_Q01", n(46_080.0)),
            ("WAT_Q02", n(100.0)),
            ("WAT_Q03", n(44_160.0)),
            ("WAT_Q04", yes()),
            ("WAT_Q05", yes()),
            ("WAT_Q07", n(0.0)),
            ("WAT_Q08", yes()),
        ],
    );
    // No eviction protocol: HOU_Q02 and HOU_Q03 do not apply (left blank).
    let b2025 = fill(
        &CITY_B,
        2025,
        Some(180_000.0),
        Some((2025, 6, 1)),
        &[
            ("HOU_Q01", no()),
            ("HOU_Q04", n(36_000.0)),
            ("HOU_Q05", n(45.0)),
            ("HOU_Q06", choice("estimate")),
            ("HOU_Q07", n(1_350.0)),
            ("WAT_Q01", n(162_000.0)),
            ("WAT_Q02", n(90.0)),
            ("WAT_Q03", n(144_000.0)),
            ("WAT_Q04", no()),
            ("WAT_Q05", no()),
            ("WAT_Q07", n(9_720.0)),
            ("WAT_Q08", no()),
        ],
    );
    // Households (optional), HOU_Q05 (optional) and WAT_Q02 (required) left blank.
    let b2026 = fill(
        &CITY_B,
        2026,
        None,
        Some((2025, 6, 1)),
        &[
            ("HOU_Q01", yes()),
            ("HOU_Q02", n(0.0)),
            ("HOU_Q03", n(0.0)),
            ("HOU_Q04", n(30_000.0)),
            ("HOU_Q06", choice("services_only")),
            ("HOU_Q07", n(900.0)),
            ("WAT_Q01", n(170_000.0)),
            ("WAT_Q03", n(150_000.0)),
            ("WAT_Q04", yes()),
            ("WAT_Q05", no()),
            ("WAT_Q07", n(1_700.0)),
            ("WAT_Q08", yes()),
        ],
    );
    // No eviction protocol (HOU_Q02, HOU_Q03 do not apply), no homelessness count (HOU_Q07
    // does not apply), HOU_Q05 (optional) left blank.
    let c2025 = fill(
        &CITY_C,
        2025,
        Some(600_000.0),
        Some((2023, 11, 20)),
        &[
            ("HOU_Q01", no()),
            ("HOU_Q04", n(90_000.0)),
            ("HOU_Q06", choice("none")),
            ("WAT_Q01", n(540_000.0)),
            ("WAT_Q02", n(95.0)),
            ("WAT_Q03", n(480_000.0)),
            ("WAT_Q04", yes()),
            ("WAT_Q05", yes()),
            ("WAT_Q07", n(1_080.0)),
            ("WAT_Q08", yes()),
        ],
    );
    let valid = vec![
        write(fw, Lang::En, &a2025, &dir.join("villa-ficticia-2025.xlsx")),
        write(fw, Lang::En, &a2026, &dir.join("villa-ficticia-2026.xlsx")),
        write(fw, Lang::En, &b2025, &dir.join("porto-sonhado-2025.xlsx")),
        write(fw, Lang::Es, &c2025, &dir.join("ciudad-quimera-2025.xlsx")),
    ];
    let with_error = write(fw, Lang::En, &b2026, &dir.join("porto-sonhado-2026.xlsx"));
    (valid, with_error)
}

/// (city, year, indicator, status, value, score, missing_questions) for every city's own
/// return. Goalposts (framework): HOU_I01 0–1, HOU_I02 0–100, HOU_I03 0–50 lower is better,
/// HOU_I04 0–40 lower, HOU_I05 0–500 lower, WAT_I01 0–2, WAT_I02 0–1, WAT_I03 0–5 lower,
/// WAT_I04 0–100, WAT_I05 0–100. Score = 100 × clamp((v − lo)/(hi − lo), 0, 1), reversed
/// (100 − …) when lower is better.
type Expected =
    (&'static str, i32, &'static str, &'static str, Option<f64>, Option<f64>, &'static str);

#[rustfmt::skip]
const EXPECTED: [Expected; 50] = [
    // ---- A 2025 (households 48,000, population 120,000) ----
    (A, 2025, "HOU_I01", "ok", Some(1.0), Some(100.0), ""),      // HOU_Q01 yes = 1; 100 × 1/1
    (A, 2025, "HOU_I02", "ok", Some(75.0), Some(75.0), ""),      // pct(30, 40) = 30/40 × 100 = 75
    (A, 2025, "HOU_I03", "ok", Some(5.0), Some(90.0), ""),       // pct(2400, 48000) = 5; 100 × (1 − 5/50) = 90
    (A, 2025, "HOU_I04", "ok", Some(30.0), Some(25.0), ""),      // 30; 100 × (1 − 30/40) = 25
    (A, 2025, "HOU_I05", "ok", Some(150.0), Some(70.0), ""),     // 180/120000 × 100000 = 150; 100 × (1 − 150/500) = 70
    (A, 2025, "WAT_I01", "ok", Some(1.0), Some(50.0), ""),       // yes + no = 1 + 0 = 1; 100 × 1/2 = 50
    (A, 2025, "WAT_I02", "ok", Some(1.0), Some(100.0), ""),      // yes = 1
    (A, 2025, "WAT_I03", "ok", Some(0.5), Some(90.0), ""),       // pct(228, 45600) = 0.5; 100 × (1 − 0.5/5) = 90
    (A, 2025, "WAT_I04", "ok", Some(93.1), Some(93.1), ""),      // pct(45600, 48000) × 98/100 = 95 × 0.98 = 93.1
    (A, 2025, "WAT_I05", "ok", Some(90.0), Some(90.0), ""),      // pct(43200, 48000) = 90
    // ---- A 2026 ----
    (A, 2026, "HOU_I01", "ok", Some(1.0), Some(100.0), ""),
    (A, 2026, "HOU_I02", "ok", Some(90.0), Some(90.0), ""),      // pct(45, 50) = 90
    (A, 2026, "HOU_I03", "ok", Some(4.0), Some(92.0), ""),       // pct(1920, 48000) = 4; 100 × (1 − 4/50) = 92
    (A, 2026, "HOU_I04", "ok", Some(28.0), Some(30.0), ""),      // 100 × (1 − 28/40) = 30
    (A, 2026, "HOU_I05", "ok", Some(125.0), Some(75.0), ""),     // 150/120000 × 100000 = 125; 100 × (1 − 125/500) = 75
    (A, 2026, "WAT_I01", "ok", Some(2.0), Some(100.0), ""),      // yes + yes = 2; 100 × 2/2
    (A, 2026, "WAT_I02", "ok", Some(1.0), Some(100.0), ""),
    (A, 2026, "WAT_I03", "ok", Some(0.0), Some(100.0), ""),      // pct(0, 46080) = 0; 100 × (1 − 0)
    (A, 2026, "WAT_I04", "ok", Some(96.0), Some(96.0), ""),      // pct(46080, 48000) × 100/100 = 96
    (A, 2026, "WAT_I05", "ok", Some(92.0), Some(92.0), ""),      // pct(44160, 48000) = 92
    // ---- B 2025 (households 180,000, population 450,000) ----
    (B, 2025, "HOU_I01", "ok", Some(0.0), Some(0.0), ""),        // HOU_Q01 no = 0
    (B, 2025, "HOU_I02", "not_applicable", None, None, ""),      // HOU_Q01 = no → HOU_Q02, HOU_Q03 skipped
    (B, 2025, "HOU_I03", "ok", Some(20.0), Some(60.0), ""),      // pct(36000, 180000) = 20; 100 × (1 − 20/50) = 60
    (B, 2025, "HOU_I04", "ok", Some(45.0), Some(0.0), ""),       // 45 > hi 40: clamp(45/40 = 1.125) = 1 → 100 × (1 − 1) = 0
    (B, 2025, "HOU_I05", "ok", Some(300.0), Some(40.0), ""),     // 1350/450000 × 100000 = 300; 100 × (1 − 300/500) = 40
    (B, 2025, "WAT_I01", "ok", Some(0.0), Some(0.0), ""),        // no + no = 0
    (B, 2025, "WAT_I02", "ok", Some(0.0), Some(0.0), ""),        // no = 0
    (B, 2025, "WAT_I03", "ok", Some(6.0), Some(0.0), ""),        // pct(9720, 162000) = 6 > hi 5: clamp → 1 → 0
    (B, 2025, "WAT_I04", "ok", Some(81.0), Some(81.0), ""),      // pct(162000, 180000) × 90/100 = 90 × 0.9 = 81
    (B, 2025, "WAT_I05", "ok", Some(80.0), Some(80.0), ""),      // pct(144000, 180000) = 80
    // ---- B 2026 (households blank) ----
    (B, 2026, "HOU_I01", "ok", Some(1.0), Some(100.0), ""),
    (B, 2026, "HOU_I02", "undefined", None, None, ""),           // pct(0, 0): division by zero
    (B, 2026, "HOU_I03", "missing", None, None, "households"),   // pct(30000, <blank>)
    (B, 2026, "HOU_I04", "missing", None, None, "HOU_Q05"),      // HOU_Q05 blank
    (B, 2026, "HOU_I05", "ok", Some(200.0), Some(60.0), ""),     // 900/450000 × 100000 = 200; 100 × (1 − 200/500) = 60
    (B, 2026, "WAT_I01", "ok", Some(1.0), Some(50.0), ""),       // yes + no = 1; 100 × 1/2
    (B, 2026, "WAT_I02", "ok", Some(1.0), Some(100.0), ""),
    (B, 2026, "WAT_I03", "ok", Some(1.0), Some(80.0), ""),       // pct(1700, 170000) = 1; 100 × (1 − 1/5) = 80
    (B, 2026, "WAT_I04", "missing", None, None, "households;WAT_Q02"), // pct(170000, <blank>) × <blank> / 100
    (B, 2026, "WAT_I05", "missing", None, None, "households"),   // pct(150000, <blank>)
    // ---- C 2025 (households 600,000, population 2,000,000) ----
    (C, 2025, "HOU_I01", "ok", Some(0.0), Some(0.0), ""),        // no = 0
    (C, 2025, "HOU_I02", "not_applicable", None, None, ""),      // HOU_Q01 = no
    (C, 2025, "HOU_I03", "ok", Some(15.0), Some(70.0), ""),      // pct(90000, 600000) = 15; 100 × (1 − 15/50) = 70
    (C, 2025, "HOU_I04", "missing", None, None, "HOU_Q05"),      // HOU_Q05 blank
    (C, 2025, "HOU_I05", "not_applicable", None, None, ""),      // HOU_Q06 = none → HOU_Q07 skipped
    (C, 2025, "WAT_I01", "ok", Some(2.0), Some(100.0), ""),      // yes + yes = 2
    (C, 2025, "WAT_I02", "ok", Some(1.0), Some(100.0), ""),
    (C, 2025, "WAT_I03", "ok", Some(0.2), Some(96.0), ""),       // pct(1080, 540000) = 0.2; 100 × (1 − 0.2/5) = 96
    (C, 2025, "WAT_I04", "ok", Some(85.5), Some(85.5), ""),      // pct(540000, 600000) × 95/100 = 90 × 0.95 = 85.5
    (C, 2025, "WAT_I05", "ok", Some(80.0), Some(80.0), ""),      // pct(480000, 600000) = 80
];

/// Year over year for the 2026 returns of A and B: (city, indicator, previous_value, change).
/// previous_year is 2025 for all of them; change = value − previous_value, empty when either
/// is empty.
#[rustfmt::skip]
const YOY: [(&str, &str, Option<f64>, Option<f64>); 20] = [
    (A, "HOU_I01", Some(1.0), Some(0.0)),     // 1 − 1
    (A, "HOU_I02", Some(75.0), Some(15.0)),   // 90 − 75
    (A, "HOU_I03", Some(5.0), Some(-1.0)),    // 4 − 5
    (A, "HOU_I04", Some(30.0), Some(-2.0)),   // 28 − 30
    (A, "HOU_I05", Some(150.0), Some(-25.0)), // 125 − 150
    (A, "WAT_I01", Some(1.0), Some(1.0)),     // 2 − 1
    (A, "WAT_I02", Some(1.0), Some(0.0)),     // 1 − 1
    (A, "WAT_I03", Some(0.5), Some(-0.5)),    // 0 − 0.5
    (A, "WAT_I04", Some(93.1), Some(2.9)),    // 96 − 93.1
    (A, "WAT_I05", Some(90.0), Some(2.0)),    // 92 − 90
    (B, "HOU_I01", Some(0.0), Some(1.0)),     // 1 − 0
    (B, "HOU_I02", None, None),               // not applicable in 2025, undefined in 2026
    (B, "HOU_I03", Some(20.0), None),         // missing in 2026
    (B, "HOU_I04", Some(45.0), None),         // missing in 2026
    (B, "HOU_I05", Some(300.0), Some(-100.0)),// 200 − 300
    (B, "WAT_I01", Some(0.0), Some(1.0)),     // 1 − 0
    (B, "WAT_I02", Some(0.0), Some(1.0)),     // 1 − 0
    (B, "WAT_I03", Some(6.0), Some(-5.0)),    // 1 − 6
    (B, "WAT_I04", Some(81.0), None),         // missing in 2026
    (B, "WAT_I05", Some(80.0), None),         // missing in 2026
];

/// (city, year, right, score, coverage, applicable, with value, status, carried forward)
type ExpectedScore =
    (&'static str, i32, &'static str, Option<f64>, Option<f64>, u32, u32, &'static str, bool);

#[rustfmt::skip]
const SCORES: [ExpectedScore; 12] = [
    // Weighted mean over the scored indicators (HOU_I03 weighs 2):
    // (100 + 75 + 2 × 90 + 25 + 70) / (1 + 1 + 2 + 1 + 1) = 450 / 6 = 75 (unweighted: 72)
    (A, 2025, "housing", Some(75.0), Some(1.0), 5, 5, "ok", false),
    // (50 + 100 + 90 + 93.1 + 90) / 5 = 423.1 / 5 = 84.62
    (A, 2025, "water_sanitation", Some(84.62), Some(1.0), 5, 5, "ok", false),
    // (100 + 90 + 2 × 92 + 30 + 75) / 6 = 479 / 6
    (A, 2026, "housing", Some(479.0 / 6.0), Some(1.0), 5, 5, "ok", false),
    // (100 + 100 + 100 + 96 + 92) / 5 = 488 / 5 = 97.6
    (A, 2026, "water_sanitation", Some(97.6), Some(1.0), 5, 5, "ok", false),
    // HOU_I02 not applicable: 4 applicable, 4 with a value, coverage 4/4 = 1;
    // (0 + 2 × 60 + 0 + 40) / (1 + 2 + 1 + 1) = 160 / 5 = 32 (unweighted: 25)
    (B, 2025, "housing", Some(32.0), Some(1.0), 4, 4, "ok", false),
    // (0 + 0 + 0 + 81 + 80) / 5 = 161 / 5 = 32.2
    (B, 2025, "water_sanitation", Some(32.2), Some(1.0), 5, 5, "ok", false),
    // Values: HOU_I01, HOU_I05 only (HOU_I02 undefined, HOU_I03 and HOU_I04 missing):
    // coverage 2/5 = 0.4 < 0.5 → no score
    (B, 2026, "housing", None, Some(0.4), 5, 2, "insufficient_data", false),
    // Values: WAT_I01..03; coverage 3/5 = 0.6 ≥ 0.5: (50 + 100 + 80) / 3 = 230 / 3
    (B, 2026, "water_sanitation", Some(230.0 / 3.0), Some(0.6), 5, 3, "ok", false),
    // HOU_I02 and HOU_I05 not applicable leave the denominator: coverage 2/3 ≥ 0.5 (with
    // them it would be 2/5 = 0.4, insufficient); (1 × 0 + 2 × 70) / (1 + 2) = 140 / 3
    (C, 2025, "housing", Some(140.0 / 3.0), Some(2.0 / 3.0), 3, 2, "ok", false),
    // (100 + 100 + 96 + 85.5 + 80) / 5 = 461.5 / 5 = 92.3
    (C, 2025, "water_sanitation", Some(92.3), Some(1.0), 5, 5, "ok", false),
    // C did not report for 2026: its 2025 scores are carried forward.
    (C, 2026, "housing", Some(140.0 / 3.0), Some(2.0 / 3.0), 3, 2, "ok", true),
    (C, 2026, "water_sanitation", Some(92.3), Some(1.0), 5, 5, "ok", true),
];

/// (city, year, right, [(score, coverage) of the structural, process and outcome
/// indicators]): the right score's rule applied to each kind apart.
type KindScores = (&'static str, i32, &'static str, [(Option<f64>, Option<f64>); 3]);

#[rustfmt::skip]
const KIND_SCORES: [KindScores; 5] = [
    // HOU_I01 100 | HOU_I02 75 | (2 × 90 + 25 + 70) / 4 = 68.75
    (A, 2025, "housing", [(Some(100.0), Some(1.0)), (Some(75.0), Some(1.0)), (Some(68.75), Some(1.0))]),
    // (WAT_I01 50 + WAT_I02 100) / 2 | WAT_I03 90 | (93.1 + 90) / 2
    (A, 2025, "water_sanitation", [(Some(75.0), Some(1.0)), (Some(90.0), Some(1.0)), (Some(91.55), Some(1.0))]),
    // HOU_I01 100 | HOU_I02 undefined: coverage 0 | only HOU_I05 (200 → 60) of three:
    // coverage 1/3 < 0.5, no score
    (B, 2026, "housing", [(Some(100.0), Some(1.0)), (None, Some(0.0)), (None, Some(1.0 / 3.0))]),
    // HOU_I01 0 | HOU_I02 not applicable: nothing applies, no coverage | HOU_I05 not
    // applicable, HOU_I04 missing: HOU_I03 70 alone, coverage 1/2
    (C, 2025, "housing", [(Some(0.0), Some(1.0)), (None, None), (Some(70.0), Some(0.5))]),
    // Carried forward with the rest.
    (C, 2026, "housing", [(Some(0.0), Some(1.0)), (None, None), (Some(70.0), Some(0.5))]),
];

/// An aggregates row: (year, group_by, group, measure_id, n_applicable, n, [mean, median,
/// q1, q3, min, max], n_yes, share_yes). Quartiles: R type 7, position (n − 1) × p in the
/// sorted values, linear between neighbours.
type ExpectedAggregate = (
    i32,
    &'static str,
    &'static str,
    &'static str,
    u32,
    u32,
    [Option<f64>; 6],
    Option<u32>,
    Option<f64>,
);

fn all(x: f64) -> [Option<f64>; 6] {
    [Some(x); 6]
}

fn stats(mean: f64, median: f64, q1: f64, q3: f64, min: f64, max: f64) -> [Option<f64>; 6] {
    [Some(mean), Some(median), Some(q1), Some(q3), Some(min), Some(max)]
}

#[rustfmt::skip]
fn expected_aggregates() -> Vec<ExpectedAggregate> {
    vec![
        // ======== 2025, overall: A, B, C ========
        // HOU_I01 [1, 0, 0] → sorted [0, 0, 1]: mean 1/3; median 0; q1 at 0.5 → 0;
        // q3 at 1.5 → 0 + 0.5 × (1 − 0) = 0.5; one yes of 3.
        (2025, "overall", "all", "HOU_I01", 3, 3, stats(1.0 / 3.0, 0.0, 0.0, 0.5, 0.0, 1.0), Some(1), Some(1.0 / 3.0)),
        // HOU_I02: B, C not applicable → only A's 75.
        (2025, "overall", "all", "HOU_I02", 1, 1, all(75.0), None, None),
        // HOU_I03 [5, 20, 15] → [5, 15, 20]: mean 40/3; median 15; q1 5 + 0.5 × 10 = 10;
        // q3 15 + 0.5 × 5 = 17.5
        (2025, "overall", "all", "HOU_I03", 3, 3, stats(40.0 / 3.0, 15.0, 10.0, 17.5, 5.0, 20.0), None, None),
        // HOU_I04 [30, 45, missing]: 3 applicable, 2 values; mean 37.5; median 37.5;
        // q1 at 0.25 → 30 + 0.25 × 15 = 33.75; q3 at 0.75 → 30 + 0.75 × 15 = 41.25
        (2025, "overall", "all", "HOU_I04", 3, 2, stats(37.5, 37.5, 33.75, 41.25, 30.0, 45.0), None, None),
        // HOU_I05 [150, 300] (C not applicable): q1 150 + 0.25 × 150 = 187.5; q3 262.5
        (2025, "overall", "all", "HOU_I05", 2, 2, stats(225.0, 225.0, 187.5, 262.5, 150.0, 300.0), None, None),
        // WAT_I01 [1, 0, 2] → [0, 1, 2]: mean 1, median 1, q1 0.5, q3 1.5 (unit "score":
        // no n_yes)
        (2025, "overall", "all", "WAT_I01", 3, 3, stats(1.0, 1.0, 0.5, 1.5, 0.0, 2.0), None, None),
        // WAT_I02 [1, 0, 1] → [0, 1, 1]: mean 2/3, median 1, q1 0.5, q3 1; 2 yes of 3
        (2025, "overall", "all", "WAT_I02", 3, 3, stats(2.0 / 3.0, 1.0, 0.5, 1.0, 0.0, 1.0), Some(2), Some(2.0 / 3.0)),
        // WAT_I03 [0.5, 6, 0.2] → [0.2, 0.5, 6]: mean 6.7/3; median 0.5;
        // q1 0.2 + 0.5 × 0.3 = 0.35; q3 0.5 + 0.5 × 5.5 = 3.25
        (2025, "overall", "all", "WAT_I03", 3, 3, stats(6.7 / 3.0, 0.5, 0.35, 3.25, 0.2, 6.0), None, None),
        // WAT_I04 [93.1, 81, 85.5] → [81, 85.5, 93.1]: mean 259.6/3; q1 81 + 0.5 × 4.5 = 83.25;
        // q3 85.5 + 0.5 × 7.6 = 89.3
        (2025, "overall", "all", "WAT_I04", 3, 3, stats(259.6 / 3.0, 85.5, 83.25, 89.3, 81.0, 93.1), None, None),
        // WAT_I05 [90, 80, 80] → [80, 80, 90]: mean 250/3; median 80; q1 80; q3 80 + 0.5 × 10 = 85
        (2025, "overall", "all", "WAT_I05", 3, 3, stats(250.0 / 3.0, 80.0, 80.0, 85.0, 80.0, 90.0), None, None),
        // Right scores [75, 32, 140/3] → [32, 140/3, 75]: mean (32 + 140/3 + 75)/3 = 461/9;
        // q1 32 + 0.5 × (140/3 − 32) = 118/3; q3 140/3 + 0.5 × (75 − 140/3) = 182.5/3
        (2025, "overall", "all", "housing", 3, 3, stats(461.0 / 9.0, 140.0 / 3.0, 118.0 / 3.0, 182.5 / 3.0, 32.0, 75.0), None, None),
        // [84.62, 32.2, 92.3] → [32.2, 84.62, 92.3]: mean 209.12/3;
        // q1 32.2 + 0.5 × 52.42 = 58.41; q3 84.62 + 0.5 × 7.68 = 88.46
        (2025, "overall", "all", "water_sanitation", 3, 3, stats(209.12 / 3.0, 84.62, 58.41, 88.46, 32.2, 92.3), None, None),

        // ======== 2025, region europe: A, B ========
        // HOU_I01 [1, 0]: mean 0.5, median 0.5, q1 0.25, q3 0.75; 1 yes of 2
        (2025, "region", "europe", "HOU_I01", 2, 2, stats(0.5, 0.5, 0.25, 0.75, 0.0, 1.0), Some(1), Some(0.5)),
        (2025, "region", "europe", "HOU_I02", 1, 1, all(75.0), None, None),
        // HOU_I03 [5, 20]: q1 5 + 0.25 × 15 = 8.75; q3 5 + 0.75 × 15 = 16.25
        (2025, "region", "europe", "HOU_I03", 2, 2, stats(12.5, 12.5, 8.75, 16.25, 5.0, 20.0), None, None),
        (2025, "region", "europe", "HOU_I04", 2, 2, stats(37.5, 37.5, 33.75, 41.25, 30.0, 45.0), None, None),
        (2025, "region", "europe", "HOU_I05", 2, 2, stats(225.0, 225.0, 187.5, 262.5, 150.0, 300.0), None, None),
        (2025, "region", "europe", "WAT_I01", 2, 2, stats(0.5, 0.5, 0.25, 0.75, 0.0, 1.0), None, None),
        (2025, "region", "europe", "WAT_I02", 2, 2, stats(0.5, 0.5, 0.25, 0.75, 0.0, 1.0), Some(1), Some(0.5)),
        // WAT_I03 [0.5, 6]: mean 3.25; q1 0.5 + 0.25 × 5.5 = 1.875; q3 0.5 + 0.75 × 5.5 = 4.625
        (2025, "region", "europe", "WAT_I03", 2, 2, stats(3.25, 3.25, 1.875, 4.625, 0.5, 6.0), None, None),
        // WAT_I04 [93.1, 81]: mean 87.05; q1 81 + 0.25 × 12.1 = 84.025; q3 81 + 0.75 × 12.1 = 90.075
        (2025, "region", "europe", "WAT_I04", 2, 2, stats(87.05, 87.05, 84.025, 90.075, 81.0, 93.1), None, None),
        (2025, "region", "europe", "WAT_I05", 2, 2, stats(85.0, 85.0, 82.5, 87.5, 80.0, 90.0), None, None),
        // Right scores [75, 32]: mean 53.5; q1 32 + 0.25 × 43 = 42.75; q3 32 + 0.75 × 43 = 64.25
        (2025, "region", "europe", "housing", 2, 2, stats(53.5, 53.5, 42.75, 64.25, 32.0, 75.0), None, None),
        // [84.62, 32.2]: mean 58.41; q1 32.2 + 0.25 × 52.42 = 45.305; q3 32.2 + 0.75 × 52.42 = 71.515
        (2025, "region", "europe", "water_sanitation", 2, 2, stats(58.41, 58.41, 45.305, 71.515, 32.2, 84.62), None, None),

        // ======== 2025, region latin_america: C alone ========
        (2025, "region", "latin_america", "HOU_I03", 1, 1, all(15.0), None, None),
        (2025, "region", "latin_america", "HOU_I04", 1, 0, [None; 6], None, None),
        (2025, "region", "latin_america", "housing", 1, 1, all(140.0 / 3.0), None, None),

        // ======== 2025, population class 1m_5m: C alone ========
        (2025, "population_class", "1m_5m", "WAT_I04", 1, 1, all(85.5), None, None),

        // ======== 2026, overall: A and B only (C's carried-forward values are left out) ========
        (2026, "overall", "all", "HOU_I01", 2, 2, all(1.0), Some(2), Some(1.0)),
        // HOU_I02: A 90, B undefined (applies, no value)
        (2026, "overall", "all", "HOU_I02", 2, 1, all(90.0), None, None),
        (2026, "overall", "all", "HOU_I03", 2, 1, all(4.0), None, None),
        (2026, "overall", "all", "HOU_I04", 2, 1, all(28.0), None, None),
        // HOU_I05 [125, 200]: mean 162.5; q1 125 + 0.25 × 75 = 143.75; q3 181.25
        (2026, "overall", "all", "HOU_I05", 2, 2, stats(162.5, 162.5, 143.75, 181.25, 125.0, 200.0), None, None),
        // WAT_I01 [2, 1]: q1 1.25, q3 1.75
        (2026, "overall", "all", "WAT_I01", 2, 2, stats(1.5, 1.5, 1.25, 1.75, 1.0, 2.0), None, None),
        (2026, "overall", "all", "WAT_I02", 2, 2, all(1.0), Some(2), Some(1.0)),
        // WAT_I03 [0, 1]
        (2026, "overall", "all", "WAT_I03", 2, 2, stats(0.5, 0.5, 0.25, 0.75, 0.0, 1.0), None, None),
        (2026, "overall", "all", "WAT_I04", 2, 1, all(96.0), None, None),
        (2026, "overall", "all", "WAT_I05", 2, 1, all(92.0), None, None),
        // Housing: A 479/6, B insufficient_data (applies, no score)
        (2026, "overall", "all", "housing", 2, 1, all(479.0 / 6.0), None, None),
        // Water [97.6, 230/3]: difference 292.8/3 − 230/3 = 62.8/3; mean = median
        // (230 + 31.4)/3 = 261.4/3; q1 (230 + 15.7)/3 = 245.7/3; q3 (230 + 47.1)/3 = 277.1/3
        (2026, "overall", "all", "water_sanitation", 2, 2, stats(261.4 / 3.0, 261.4 / 3.0, 245.7 / 3.0, 277.1 / 3.0, 230.0 / 3.0, 97.6), None, None),
    ]
}

/// Quality: (year, scope, id, applicable, with value, completeness). Own returns only.
#[rustfmt::skip]
fn expected_quality() -> Vec<(i32, &'static str, &'static str, u32, u32, f64)> {
    vec![
        // 2025. A: 10 of 10; B: 9 applicable (HOU_I02 not), 9 values; C: 8 applicable
        // (HOU_I02, HOU_I05 not), 7 values (HOU_I04 missing).
        (2025, "city", A, 10, 10, 1.0),
        (2025, "city", B, 9, 9, 1.0),
        (2025, "city", C, 8, 7, 7.0 / 8.0),
        (2025, "indicator", "HOU_I01", 3, 3, 1.0),
        (2025, "indicator", "HOU_I02", 1, 1, 1.0),
        (2025, "indicator", "HOU_I03", 3, 3, 1.0),
        (2025, "indicator", "HOU_I04", 3, 2, 2.0 / 3.0),
        (2025, "indicator", "HOU_I05", 2, 2, 1.0),
        (2025, "indicator", "WAT_I01", 3, 3, 1.0),
        (2025, "indicator", "WAT_I02", 3, 3, 1.0),
        (2025, "indicator", "WAT_I03", 3, 3, 1.0),
        (2025, "indicator", "WAT_I04", 3, 3, 1.0),
        (2025, "indicator", "WAT_I05", 3, 3, 1.0),
        // housing: 5 + 4 + 3 = 12 applicable, 5 + 4 + 2 = 11 values
        (2025, "right", "housing", 12, 11, 11.0 / 12.0),
        (2025, "right", "water_sanitation", 15, 15, 1.0),
        (2025, "region", "europe", 19, 19, 1.0),                 // 10 + 9
        (2025, "region", "latin_america", 8, 7, 7.0 / 8.0),
        (2025, "overall", "all", 27, 26, 26.0 / 27.0),           // 10 + 9 + 8; 10 + 9 + 7
        // 2026. A: 10 of 10; B: 10 applicable, 5 values (HOU_I01, HOU_I05, WAT_I01..03).
        (2026, "city", A, 10, 10, 1.0),
        (2026, "city", B, 10, 5, 0.5),
        (2026, "indicator", "HOU_I01", 2, 2, 1.0),
        (2026, "indicator", "HOU_I02", 2, 1, 0.5),
        (2026, "indicator", "HOU_I03", 2, 1, 0.5),
        (2026, "indicator", "HOU_I04", 2, 1, 0.5),
        (2026, "indicator", "HOU_I05", 2, 2, 1.0),
        (2026, "indicator", "WAT_I01", 2, 2, 1.0),
        (2026, "indicator", "WAT_I02", 2, 2, 1.0),
        (2026, "indicator", "WAT_I03", 2, 2, 1.0),
        (2026, "indicator", "WAT_I04", 2, 1, 0.5),
        (2026, "indicator", "WAT_I05", 2, 1, 0.5),
        (2026, "right", "housing", 10, 7, 0.7),                  // 5 + 2 values
        (2026, "right", "water_sanitation", 10, 8, 0.8),         // 5 + 3 values
        (2026, "region", "europe", 20, 15, 0.75),
        (2026, "overall", "all", 20, 15, 0.75),
    ]
}

const INDICATOR_COLUMNS: [&str; 24] = [
    "city_id",
    "city_name",
    "country",
    "region",
    "government_level",
    "population_class",
    "year",
    "right_id",
    "indicator_id",
    "kind",
    "value",
    "unit",
    "status",
    "missing_questions",
    "score",
    "previous_year",
    "previous_value",
    "change",
    "definition_changed",
    "carried_forward",
    "source_year",
    "modified_z",
    "outlier",
    "weight",
];

const SCORE_COLUMNS: [&str; 20] = [
    "city_id",
    "city_name",
    "country",
    "region",
    "government_level",
    "population_class",
    "year",
    "right_id",
    "score",
    "coverage",
    "indicators_applicable",
    "indicators_with_value",
    "status",
    "structural_score",
    "structural_coverage",
    "process_score",
    "process_coverage",
    "outcome_score",
    "outcome_coverage",
    "carried_forward",
];

const AGGREGATE_COLUMNS: [&str; 16] = [
    "year",
    "group_by",
    "group",
    "measure",
    "measure_id",
    "right_id",
    "n_applicable",
    "n",
    "mean",
    "median",
    "q1",
    "q3",
    "min",
    "max",
    "n_yes",
    "share_yes",
];

const QUALITY_COLUMNS: [&str; 7] = [
    "year",
    "scope",
    "id",
    "indicators_applicable",
    "indicators_with_value",
    "completeness",
    "outliers",
];

const CAMPAIGN_COLUMNS: [&str; 7] =
    ["year", "kind", "new_commitments", "cumulative", "pace", "milestones_passed", "reporting"];

// ---------------------------------------------------------------------------------------
// Test 1: three cities, two years
// ---------------------------------------------------------------------------------------

#[test]
fn three_cities_give_the_hand_computed_indicators_scores_aggregates_and_trends() {
    let fw = mini_framework();
    let tmp = tempfile::tempdir().expect("tempdir");
    let (valid, with_error) = write_three_cities(&fw, tmp.path());

    // The returns are what the test means them to be: the only diagnostic of the five is
    // the deliberately blank required WAT_Q02 of B 2026.
    let json =
        run(hrcities().args(["--format", "json", "validate"]).args(&valid).arg(&with_error), 3);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let diagnostics: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let file = Path::new(d["file"].as_str().expect("file"))
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            (
                file,
                d["code"].as_str().unwrap_or("").into(),
                d["question"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert_eq!(
        diagnostics,
        [("porto-sonhado-2026.xlsx".to_string(), "E-REQUIRED".to_string(), "WAT_Q02".to_string())],
        "{json:#}"
    );

    // Ingest: the four valid returns (exit 0), then B 2026 (stored with its error, exit 3).
    let store = tmp.path().join("store");
    let out = tmp.path().join("out");
    run(hrcities().arg("ingest").args(&valid).arg("--store").arg(&store), 0);
    let said = run(hrcities().arg("ingest").arg(&with_error).arg("--store").arg(&store), 3);
    assert!(said.contains("E-REQUIRED") && said.contains("WAT_Q02"), "{said}");
    run(hrcities().arg("compute").arg("--store").arg(&store).arg("--out").arg(&out), 0);
    let data = out.join("data");

    let mut check = Check::default();

    // ---- indicators.csv: every row, every city × year × indicator ----
    let rows = read_csv(&data.join("indicators.csv"), &INDICATOR_COLUMNS);
    // 5 own returns + C's carried-forward 2026, × 10 indicators.
    check.that(rows.len() == 60, format!("indicators.csv: {} rows, want 60", rows.len()));
    let mut seen = BTreeSet::new();
    for r in &rows {
        let key = (r["city_id"].clone(), r["year"].clone(), r["indicator_id"].clone());
        check.that(seen.insert(key.clone()), format!("indicators.csv: {key:?} twice"));
    }
    // C's 2026 rows: its 2025 rows carried forward.
    let carried = EXPECTED.iter().filter(|e| e.0 == C).map(|e| (C, 2026, e.2, e.3, e.4, e.5, e.6));
    for (city, year, id, status, value, score, missing) in EXPECTED.iter().copied().chain(carried) {
        let what = format!("indicators {city} {year} {id}");
        let Some(r) =
            find(&rows, &[("city_id", city), ("year", &year.to_string()), ("indicator_id", id)])
        else {
            check.wrong.push(format!("{what}: no row"));
            continue;
        };
        check.text(&what, r, "status", status);
        check.num(&what, r, "value", value);
        check.num(&what, r, "score", score);
        check.text(&what, r, "missing_questions", missing);
        // Profile columns.
        let p = PROFILES.iter().find(|p| p.0 == city).expect("a profile");
        check.text(&what, r, "city_name", p.1);
        check.text(&what, r, "country", p.2);
        check.text(&what, r, "region", p.3);
        check.text(&what, r, "government_level", p.4);
        check.text(&what, r, "population_class", p.5);
        // Indicator columns.
        let ind = INDICATORS.iter().find(|i| i.0 == id).expect("an indicator");
        check.text(&what, r, "right_id", ind.1);
        check.text(&what, r, "kind", ind.2);
        check.text(&what, r, "unit", ind.3);
        check.num(&what, r, "weight", Some(ind.4));
        // Three values per indicator and year at most: no outlier test (needs 5).
        check.num(&what, r, "modified_z", None);
        check.text(&what, r, "outlier", "false");
        // Carried forward (C 2026) or own return.
        let is_carried = city == C && year == 2026;
        check.text(&what, r, "carried_forward", if is_carried { "true" } else { "false" });
        check.text(&what, r, "definition_changed", "false");
        check.num(&what, r, "source_year", Some(if is_carried { 2025.0 } else { year as f64 }));
        // Year over year.
        if year == 2025 || is_carried {
            check.num(&what, r, "previous_year", None);
            check.num(&what, r, "previous_value", None);
            check.num(&what, r, "change", None);
        } else {
            let (_, _, prev, change) =
                YOY.iter().copied().find(|y| y.0 == city && y.1 == id).expect("a YoY row");
            check.num(&what, r, "previous_year", Some(2025.0));
            check.num(&what, r, "previous_value", prev);
            check.num(&what, r, "change", change);
        }
    }

    // ---- scores.csv ----
    let rows = read_csv(&data.join("scores.csv"), &SCORE_COLUMNS);
    check.that(rows.len() == SCORES.len(), format!("scores.csv: {} rows, want 12", rows.len()));
    for (city, year, right, score, coverage, applicable, with_value, status, carried) in SCORES {
        let what = format!("scores {city} {year} {right}");
        let Some(r) =
            find(&rows, &[("city_id", city), ("year", &year.to_string()), ("right_id", right)])
        else {
            check.wrong.push(format!("{what}: no row"));
            continue;
        };
        check.num(&what, r, "score", score);
        check.num(&what, r, "coverage", coverage);
        check.num(&what, r, "indicators_applicable", Some(applicable as f64));
        check.num(&what, r, "indicators_with_value", Some(with_value as f64));
        check.text(&what, r, "status", status);
        check.text(&what, r, "carried_forward", if carried { "true" } else { "false" });
        let p = PROFILES.iter().find(|p| p.0 == city).expect("a profile");
        check.text(&what, r, "region", p.3);
        check.text(&what, r, "population_class", p.5);
    }

    for (city, year, right, kinds) in KIND_SCORES {
        let what = format!("kind scores {city} {year} {right}");
        let Some(r) =
            find(&rows, &[("city_id", city), ("year", &year.to_string()), ("right_id", right)])
        else {
            check.wrong.push(format!("{what}: no row"));
            continue;
        };
        for (kind, (score, coverage)) in ["structural", "process", "outcome"].iter().zip(kinds) {
            check.num(&what, r, &format!("{kind}_score"), score);
            check.num(&what, r, &format!("{kind}_coverage"), coverage);
        }
    }

    // ---- aggregates.csv ----
    let rows = read_csv(&data.join("aggregates.csv"), &AGGREGATE_COLUMNS);
    for (year, group_by, group, id, n_app, n, s, n_yes, share) in expected_aggregates() {
        let what = format!("aggregates {year} {group_by}={group} {id}");
        let measure = if id.contains("_I") { "indicator" } else { "right" };
        let keys = [
            ("year", year.to_string()),
            ("group_by", group_by.to_string()),
            ("group", group.to_string()),
            ("measure", measure.to_string()),
            ("measure_id", id.to_string()),
        ];
        let keys: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Some(r) = find(&rows, &keys) else {
            check.wrong.push(format!("{what}: no row"));
            continue;
        };
        let right =
            if id.starts_with("HOU") || id == "housing" { "housing" } else { "water_sanitation" };
        check.text(&what, r, "right_id", right);
        check.num(&what, r, "n_applicable", Some(n_app as f64));
        check.num(&what, r, "n", Some(n as f64));
        for (column, want) in ["mean", "median", "q1", "q3", "min", "max"].iter().zip(s) {
            check.num(&what, r, column, want);
        }
        check.text(&what, r, "n_yes", &opt_u(n_yes));
        check.num(&what, r, "share_yes", share);
    }
    // Overall and in Europe in 2025: 12 measures each (10 indicators, 2 rights). In 2026
    // the carried-forward values of C (latin_america) are not aggregated: no such group.
    let count = |year: &str, group_by: &str, group: &str| {
        rows.iter()
            .filter(|r| r["year"] == year && r["group_by"] == group_by && r["group"] == group)
            .count()
    };
    check.that(count("2025", "overall", "all") == 12, "2025 overall: 12 measures".into());
    check.that(count("2025", "region", "europe") == 12, "2025 europe: 12 measures".into());
    // C alone in latin_america: HOU_I02 and HOU_I05 do not apply to it, so those two have
    // no row there (8 indicators + 2 rights).
    check.that(
        count("2025", "region", "latin_america") == 10,
        "2025 latin_america: 10 measures".into(),
    );
    for id in ["HOU_I02", "HOU_I05"] {
        let keys = [("year", "2025"), ("group", "latin_america"), ("measure_id", id)];
        check.that(
            find(&rows, &keys).is_none(),
            format!("2025 latin_america {id}: not applicable to C, no row"),
        );
    }
    check.that(count("2026", "overall", "all") == 12, "2026 overall: 12 measures".into());
    check.that(
        count("2026", "region", "latin_america") == 0,
        "2026: no latin_america aggregates (C's values there are carried forward)".into(),
    );
    check.that(
        count("2026", "population_class", "1m_5m") == 0,
        "2026: no 1m_5m aggregates (C's values there are carried forward)".into(),
    );

    // ---- quality.csv ----
    let rows = read_csv(&data.join("quality.csv"), &QUALITY_COLUMNS);
    let expected = expected_quality();
    check.that(
        rows.len() == expected.len(),
        format!("quality.csv: {} rows, want {}", rows.len(), expected.len()),
    );
    for (year, scope, id, applicable, with_value, completeness) in expected {
        let what = format!("quality {year} {scope} {id}");
        let Some(r) = find(&rows, &[("year", &year.to_string()), ("scope", scope), ("id", id)])
        else {
            check.wrong.push(format!("{what}: no row"));
            continue;
        };
        check.num(&what, r, "indicators_applicable", Some(applicable as f64));
        check.num(&what, r, "indicators_with_value", Some(with_value as f64));
        check.num(&what, r, "completeness", Some(completeness));
        check.num(&what, r, "outliers", Some(0.0));
    }

    // ---- campaign.csv ----
    // Commitments: C 2023-11-20, A 2024-03-15, B 2025-06-01. Observed from 2023 to 2026 (the
    // latest reporting year); pace = new commitments 2024–2026 / 3 = (1 + 1 + 0) / 3 = 2/3.
    let rows = read_csv(&data.join("campaign.csv"), &CAMPAIGN_COLUMNS);
    #[rustfmt::skip]
    let want: [CampaignRow; 8] = [
        (2023, "observed", Some(1), 1.0, None),
        (2024, "observed", Some(1), 2.0, None),
        (2025, "observed", Some(1), 3.0, None),
        (2026, "observed", Some(0), 3.0, None),
        (2027, "projected", None, 3.0 + 2.0 / 3.0, Some(2.0 / 3.0)),
        (2028, "projected", None, 3.0 + 4.0 / 3.0, Some(2.0 / 3.0)),
        (2029, "projected", None, 5.0, Some(2.0 / 3.0)),        // 3 + 3 × 2/3
        (2030, "projected", None, 3.0 + 8.0 / 3.0, Some(2.0 / 3.0)),
    ];
    check_campaign(&mut check, &rows, &want, &[]);

    check.finish();
}

/// Checks campaign.csv row by row; `milestones` lists (year, "10") for the rows where one is
/// passed (all others empty).
fn check_campaign(
    check: &mut Check,
    rows: &[Row],
    want: &[CampaignRow],
    milestones: &[(i32, &str)],
) {
    let years: Vec<&str> = rows.iter().map(|r| r["year"].as_str()).collect();
    let want_years: Vec<String> = want.iter().map(|w| w.0.to_string()).collect();
    check.that(
        years == want_years,
        format!("campaign.csv years: got {years:?}, want {want_years:?}"),
    );
    for &(year, kind, new, cumulative, pace) in want {
        let what = format!("campaign {year}");
        let Some(r) = find(rows, &[("year", &year.to_string())]) else {
            check.wrong.push(format!("{what}: no row"));
            continue;
        };
        check.text(&what, r, "kind", kind);
        check.text(&what, r, "new_commitments", &opt_u(new));
        check.num(&what, r, "cumulative", Some(cumulative));
        check.num(&what, r, "pace", pace);
        let m = milestones.iter().find(|m| m.0 == year).map_or("", |m| m.1);
        check.text(&what, r, "milestones_passed", m);
    }
}

// ---------------------------------------------------------------------------------------
// Test 2: campaign progress
// ---------------------------------------------------------------------------------------

#[test]
fn campaign_progress_counts_commitments_and_milestones_from_known_dates() {
    let fw = mini_framework();
    let tmp = tempfile::tempdir().expect("tempdir");
    // A complete, valid return (A's 2026 answers) under each government's profile.
    let answers: [(&str, CellValue); 14] = [
        ("HOU_Q01", yes()),
        ("HOU_Q02", n(50.0)),
        ("HOU_Q03", n(45.0)),
        ("HOU_Q04", n(1_920.0)),
        ("HOU_Q05", n(28.0)),
        ("HOU_Q06", choice("street_and_services")),
        ("HOU_Q07", n(150.0)),
        ("WAT_Q01", n(46_080.0)),
        ("WAT_Q02", n(100.0)),
        ("WAT_Q03", n(44_160.0)),
        ("WAT_Q04", yes()),
        ("WAT_Q05", yes()),
        ("WAT_Q07", n(0.0)),
        ("WAT_Q08", yes()),
    ];
    const NAMES: [&str; 12] = [
        "Villa Ejemplo Uno",
        "Villa Ejemplo Dos",
        "Villa Ejemplo Tres",
        "Villa Ejemplo Cuatro",
        "Villa Ejemplo Cinco",
        "Villa Ejemplo Seis",
        "Villa Ejemplo Siete",
        "Villa Ejemplo Ocho",
        "Villa Ejemplo Nueve",
        "Villa Ejemplo Diez",
        "Villa Ejemplo Once",
        "Villa Ejemplo Doce",
    ];
    // (government, reporting year, joined_campaign)
    #[rustfmt::skip]
    let returns: [(usize, i32, Option<Ymd>); 14] = [
        // Uno's 2025 return said 2022; its 2026 return corrects it to 2021: the latest
        // return counts → 2021.
        (0, 2025, Some((2022, 9, 1))),
        (0, 2026, Some((2021, 2, 10))),
        (1, 2026, Some((2023, 4, 1))),
        // Doce's 2026 return leaves the date blank; its 2025 return gives 2023-12-31 → 2023.
        (11, 2025, Some((2023, 12, 31))),
        (11, 2026, None),
        (2, 2026, Some((2024, 1, 15))),
        (3, 2026, Some((2024, 6, 30))),
        (4, 2026, Some((2024, 12, 31))),
        (5, 2026, Some((2025, 1, 1))),
        (6, 2026, Some((2025, 3, 8))),
        (7, 2026, Some((2025, 7, 14))),
        (8, 2026, Some((2025, 12, 10))),
        (9, 2026, Some((2026, 2, 2))),
        (10, 2026, Some((2026, 5, 20))),
    ];
    let mut files = Vec::new();
    for (i, year, joined) in returns {
        let city = City {
            name: NAMES[i],
            country: "ESP",
            region: "europe",
            level: "municipality",
            population: 120_000.0,
        };
        let f = fill(&city, year, Some(48_000.0), joined, &answers);
        files.push(write(
            &fw,
            Lang::En,
            &f,
            &tmp.path().join(format!("return-{i:02}-{year}.xlsx")),
        ));
    }
    let store = tmp.path().join("store");
    let out = tmp.path().join("out");
    run(hrcities().arg("ingest").args(&files).arg("--store").arg(&store), 0);
    run(hrcities().arg("compute").arg("--store").arg(&store).arg("--out").arg(&out), 0);

    // New commitments per year: 2021 1 (Uno), 2022 0, 2023 2 (Dos, Doce),
    // 2024 3 (Tres, Cuatro, Cinco), 2025 4 (Seis–Nueve), 2026 2 (Diez, Once).
    // Cumulative 1, 1, 3, 6, 10, 12: the milestone 10 is reached in 2025 (exactly 10).
    // Pace: the last 3 observed years, (3 + 4 + 2) / 3 = 3 a year → 15, 18, 21, 24.
    let rows = read_csv(&out.join("data/campaign.csv"), &CAMPAIGN_COLUMNS);
    #[rustfmt::skip]
    let want: [CampaignRow; 10] = [
        (2021, "observed", Some(1), 1.0, None),
        (2022, "observed", Some(0), 1.0, None),
        (2023, "observed", Some(2), 3.0, None),
        (2024, "observed", Some(3), 6.0, None),
        (2025, "observed", Some(4), 10.0, None),
        (2026, "observed", Some(2), 12.0, None),
        (2027, "projected", None, 15.0, Some(3.0)),
        (2028, "projected", None, 18.0, Some(3.0)),
        (2029, "projected", None, 21.0, Some(3.0)),
        (2030, "projected", None, 24.0, Some(3.0)),
    ];
    let mut check = Check::default();
    check_campaign(&mut check, &rows, &want, &[(2025, "10")]);
    check.finish();
    // Beside them, the governments that returned a questionnaire each year (issue 21):
    // Uno and Doce for 2025, all twelve for 2026; none before, nothing projected.
    let reporting: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["year"].as_str(), r["reporting"].as_str())).collect();
    assert_eq!(
        reporting,
        [
            ("2021", "0"),
            ("2022", "0"),
            ("2023", "0"),
            ("2024", "0"),
            ("2025", "2"),
            ("2026", "12"),
            ("2027", ""),
            ("2028", ""),
            ("2029", ""),
            ("2030", "")
        ]
    );
}
