//! The campaign store through the CLI: ingesting the same file again changes nothing (to the
//! byte), a corrected return supersedes the earlier one and the history keeps both; and
//! `compute` on the sample data writes every documented table with the documented columns.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use assert_cmd::Command;
use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;
use hrcities::questionnaire::fill::{CellValue, Layout};
use hrcities::questionnaire::read::read_workbook;
use hrcities::questionnaire::write::write_workbook;
use hrcities::validate::validate;

use crate::common::{hrcities, sample};

/// Every file of `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("the store folder")
        .map(|e| e.expect("an entry").path())
        .map(|p| {
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect()
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.code() == Some(0),
        "{:?}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn ingest_is_idempotent_and_a_corrected_return_supersedes_with_history() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let villa = sample("villa-esperanza-del-sur-2025.xlsx");
    let harbor = sample("harborview-heights-2025.xlsx");
    let ingest = |files: &[&Path]| {
        let mut cmd = hrcities();
        cmd.arg("ingest").arg("--store").arg(&store).args(files);
        stdout(&mut cmd)
    };

    let first = ingest(&[&villa, &harbor]);
    assert_eq!(first.lines().filter(|l| l.starts_with("added")).count(), 2, "{first}");
    let before = snapshot(&store);
    assert!(before.contains_key("returns.parquet") && before.contains_key("responses.parquet"));

    // The same files again: nothing changes, to the byte.
    let again = ingest(&[&harbor, &villa]);
    assert_eq!(again.lines().filter(|l| l.starts_with("unchanged")).count(), 2, "{again}");
    assert_eq!(snapshot(&store), before, "a second ingest of the same files changed the store");

    // A corrected return for the same city and year: one answer changed.
    let fw = load_embedded(Lang::En).framework;
    let checked = validate(&fw, &read_workbook(&villa, &fw).expect("readable"), Lang::Es);
    let mut fill = checked.to_fill(&fw);
    fill.answer("reporting_year", CellValue::Number(2025.0));
    let old = checked.answer("HOU_Q04").expect("HOU_Q04").raw.clone();
    fill.answer("HOU_Q04", CellValue::Number(7.0));
    let corrected = tmp.path().join("villa-esperanza-del-sur-2025-corrected.xlsx");
    // Corrected in the template it was made from (2026.1), as a city corrects its file.
    let template = checked.template_version.as_deref().expect("made from the template");
    write_workbook(&fw.as_of(template), Lang::Es, &fill, &Layout::default(), &corrected)
        .expect("written");
    // Under another name it is refused, saying why (issue 21), unless the analyst says so.
    let refused =
        hrcities().arg("ingest").arg("--store").arg(&store).arg(&corrected).output().expect("runs");
    assert_eq!(refused.status.code(), Some(3));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("-corrected.xlsx has another name") && why.contains("--replace"), "{why}");
    let replaced =
        stdout(hrcities().args(["ingest", "--replace", "--store"]).arg(&store).arg(&corrected));
    assert!(replaced.contains("villa-esperanza-del-sur-2025.xlsx"), "{replaced}");

    let list = stdout(hrcities().args(["--format", "csv", "store", "list", "--store"]).arg(&store));
    let rows: Vec<&str> = list.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{list}");
    assert!(
        rows.iter().any(|r| r.contains("COL-villa-esperanza-del-sur")
            && r.contains("-corrected.xlsx")
            && r.contains(",current,")),
        "{list}"
    );
    let all = stdout(
        hrcities().args(["--format", "csv", "store", "list", "--all", "--store"]).arg(&store),
    );
    assert!(all.contains(",superseded,villa-esperanza-del-sur-2025.xlsx,"), "{all}");
    assert_eq!(all.lines().count(), 4, "{all}");

    let history = stdout(
        hrcities().args(["store", "history", "COL-villa-esperanza-del-sur", "--store"]).arg(&store),
    );
    assert!(history.contains("version 1: villa-esperanza-del-sur-2025.xlsx"), "{history}");
    assert!(
        history.contains("version 2: villa-esperanza-del-sur-2025-corrected.xlsx"),
        "{history}"
    );
    assert!(history.contains("1 answer(s) changed"), "{history}");
    let change = history.lines().find(|l| l.trim_start().starts_with("HOU_Q04")).expect("HOU_Q04");
    assert!(change.contains(&format!("{old:?} → \"7\"")), "{change}");

    // An unknown city is an error that lists the known ones.
    let out = hrcities()
        .args(["store", "history", "XXX-nowhere", "--store"])
        .arg(&store)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CAN-harborview-heights"));

    // Compute uses the current version.
    let out_dir = tmp.path().join("out");
    stdout(hrcities().arg("compute").arg("--store").arg(&store).arg("--out").arg(&out_dir));
    let responses = read_csv(&out_dir.join("data/responses.csv"));
    let hou = responses
        .iter()
        .find(|r| r["city_id"] == "COL-villa-esperanza-del-sur" && r["question_id"] == "HOU_Q04")
        .expect("HOU_Q04 of Villa Esperanza");
    assert_eq!(hou["raw"], "7");
    assert_eq!(hou["file"], "villa-esperanza-del-sur-2025-corrected.xlsx");
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r.headers().expect("a header").iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a record");
            header.iter().cloned().zip(rec.iter().map(String::from)).collect()
        })
        .collect()
}

fn header(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.headers().expect("a header").iter().map(String::from).collect()
}

/// The columns README documents for each table: rows `| `name` | `a`, `b`, … | … |` of
/// its "Output tables" section.
fn documented_columns() -> BTreeMap<String, Vec<String>> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme.split("### Output tables").nth(1).expect("an Output tables section");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            let name = cells[0].trim_matches('`').to_string();
            let columns = cells[1].split(", ").map(|c| c.trim_matches('`').to_string()).collect();
            (name, columns)
        })
        .collect()
}

#[test]
fn compute_on_sample_data_writes_every_documented_table() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let out = hrcities()
        .arg("ingest")
        .arg("--store")
        .arg(&store)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(3), "sample data has returns with errors");
    let out_dir = tmp.path().join("out");
    stdout(hrcities().arg("compute").arg("--store").arg(&store).arg("--out").arg(&out_dir));
    let data = out_dir.join("data");

    let documented = documented_columns();
    for table in ["indicators", "scores", "aggregates", "campaign", "quality", "responses"] {
        let columns = documented.get(table).unwrap_or_else(|| panic!("README documents {table}"));
        assert_eq!(&header(&data.join(format!("{table}.csv"))), columns, "{table}.csv");
        assert!(data.join(format!("{table}.parquet")).is_file(), "{table}.parquet");
    }
    assert!(data.join("hrcities-data.xlsx").is_file());
    assert!(data.join("method.json").is_file());

    // No indicator is ok where an input it needs was blank.
    let fw = load_embedded(Lang::En).framework;
    let responses = read_csv(&data.join("responses.csv"));
    let status: HashMap<(&str, &str, &str), &str> = responses
        .iter()
        .map(|r| {
            (
                (r["city_id"].as_str(), r["year"].as_str(), r["question_id"].as_str()),
                r["status"].as_str(),
            )
        })
        .collect();
    // Returns that break an error-level consistency rule: the review gate keeps the answers
    // involved out of the computation, though they are stored as answered.
    let gated: std::collections::HashSet<(&str, &str)> = responses
        .iter()
        .filter(|r| r["diagnostic_code"] == "E-RULE")
        .map(|r| (r["city_id"].as_str(), r["year"].as_str()))
        .collect();
    assert_eq!(gated.len(), 1, "Valbrume 2026 in the sample");
    let indicators = read_csv(&data.join("indicators.csv"));
    assert_eq!(indicators.len(), 39 * fw.indicators.len(), "a row per return and indicator");
    let mut checked = 0;
    for row in &indicators {
        let ind = fw.indicator(&row["indicator_id"]).expect("a framework indicator");
        let inputs = ind.formula.node.questions();
        let answered = |q: &str| {
            status.get(&(row["city_id"].as_str(), row["year"].as_str(), q)) == Some(&"answered")
        };
        match row["status"].as_str() {
            "ok" => {
                assert!(!row["value"].is_empty(), "{row:?}");
                let skips =
                    ["coalesce", "count", "if("].iter().any(|f| ind.formula.text.contains(f));
                if !skips {
                    for q in &inputs {
                        assert!(
                            answered(q),
                            "{} {} {} is ok but {q} is not answered",
                            row["city_id"],
                            row["year"],
                            ind.id
                        );
                    }
                    checked += 1;
                }
            }
            "missing" => {
                assert!(row["value"].is_empty() && row["score"].is_empty(), "{row:?}");
                let named: Vec<&str> = row["missing_questions"].split(';').collect();
                let gate = gated.contains(&(row["city_id"].as_str(), row["year"].as_str()));
                assert!(
                    !named.is_empty() && (gate || named.iter().all(|q| !answered(q))),
                    "{row:?}"
                );
            }
            "not_applicable" | "undefined" => assert!(row["value"].is_empty(), "{row:?}"),
            // Computed from a question newer than the return's template (2025 and 2026;
            // for 2027, made from the 2026.2 template, those new in 2026.3).
            "not_asked" => {
                assert!(row["value"].is_empty() && row["score"].is_empty(), "{row:?}");
                let since = fw.indicator(&row["indicator_id"]).and_then(|i| i.since.clone());
                assert!(row["year"] != "2027" || since.as_deref() == Some("2026.3"), "{row:?}");
            }
            other => panic!("unknown status {other}"),
        }
    }
    assert!(checked > 1000, "{checked} ok rows checked");

    // Scores are within 0–100 and only given with enough coverage.
    for row in read_csv(&data.join("scores.csv")) {
        match row["status"].as_str() {
            "ok" => {
                let score: f64 = row["score"].parse().expect("a score");
                let coverage: f64 = row["coverage"].parse().expect("a coverage");
                assert!((0.0..=100.0).contains(&score) && coverage >= 0.5, "{row:?}");
            }
            _ => assert!(row["score"].is_empty(), "{row:?}"),
        }
    }
}

/// Rewrites the store in `dir` as hrcities 0.1 wrote it: text declared as Arrow string
/// views (polars' default Parquet writer), the time of ingest as text, and `from` as the
/// city id 0.1 gave it (`to`).
fn make_it_a_0_1_store(dir: &Path, from: &str, to: &str) {
    use polars::prelude::*;
    use polars_io::prelude::{ParquetReader, ParquetWriter, SerReader};
    for table in ["returns.parquet", "responses.parquet"] {
        let path = dir.join(table);
        let df = ParquetReader::new(std::fs::File::open(&path).expect("table")).finish().unwrap();
        let mut columns: Vec<Column> = Vec::new();
        for c in df.columns() {
            let c = match c.name().as_str() {
                "city_id" => {
                    let ids = c.str().unwrap().apply_values(|v| {
                        if v == from {
                            to.into()
                        } else {
                            v.to_string().into()
                        }
                    });
                    ids.into_column()
                }
                "ingested_at" => {
                    let ms = c.cast(&DataType::Int64).unwrap();
                    let text: Vec<String> = ms
                        .i64()
                        .unwrap()
                        .iter()
                        .map(|v| hrcities::store::format_utc(v.unwrap() / 1000))
                        .collect();
                    Column::new("ingested_at".into(), text)
                }
                _ => c.clone(),
            };
            columns.push(c);
        }
        let mut df = DataFrame::new_infer_height(columns).unwrap();
        ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut df).unwrap();
    }
}

// See issue 14, item 5: names in other scripts got unreadable ids; the readable ids must not
// split a city that a store already files under its old id.
#[test]
fn issue_14_a_store_made_by_0_1_is_read_and_keeps_its_ids() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let returns = tmp.path().join("returns");
    std::fs::create_dir_all(&returns).unwrap();
    for year in ["2027", "2028"] {
        let o = hrcities()
            .args([
                "questionnaire",
                "--city-name",
                "광주광역시",
                "--country",
                "KOR",
                "--reporting-year",
                year,
                "--prefill",
            ])
            .arg(sample("nyota-bay-2027.xlsx"))
            .arg("-o")
            .arg(returns.join(format!("gwangju-{year}.xlsx")))
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // A city new to a store gets its readable id.
    stdout(
        hrcities()
            .args(["-q", "ingest", "--store"])
            .arg(&store)
            .arg(returns.join("gwangju-2027.xlsx")),
    );
    let list =
        stdout(hrcities().args(["--format", "json", "store", "list", "--store"]).arg(&store));
    assert!(list.contains("\"KOR-gwangjugwangyeogsi\""), "{list}");

    // The same store as 0.1 would have written it, with 0.1's id.
    let old = "KOR-u-ad11-c8fc-ad11-c5ed-c2dc";
    make_it_a_0_1_store(&store, "KOR-gwangjugwangyeogsi", old);
    let list =
        stdout(hrcities().args(["--format", "json", "store", "list", "--store"]).arg(&store));
    assert!(list.contains(old) && !list.contains("KOR-gwangjugwangyeogsi"), "{list}");
    assert!(list.contains("T") && list.contains("Z\""), "the time of ingest is read: {list}");

    // The next year's return joins the city under the id the store has.
    stdout(
        hrcities()
            .args(["-q", "ingest", "--store"])
            .arg(&store)
            .arg(returns.join("gwangju-2028.xlsx")),
    );
    let list =
        stdout(hrcities().args(["--format", "json", "store", "list", "--store"]).arg(&store));
    let rows: serde_json::Value = serde_json::from_str(&list).expect("JSON");
    let ids: Vec<&str> =
        rows.as_array().unwrap().iter().map(|r| r["city_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [old, old], "{list}");
    let out = tmp.path().join("out");
    stdout(hrcities().args(["-q", "compute", "--store"]).arg(&store).arg("--out").arg(&out));
    let indicators = read_csv(&out.join("data/indicators.csv"));
    assert!(indicators.iter().all(|r| r["city_id"] == old));
    // One series: 2028's values have 2027's as their previous values.
    assert!(indicators.iter().any(|r| r["year"] == "2028" && r["previous_year"] == "2027"));
}

/// Returns arrive over weeks: a return is checked against the government's previous one in
/// the store, so the same election reported with another turnout is caught (`W-REPEAT`)
/// when last year's return was filed in an earlier batch.
#[test]
fn a_return_is_compared_with_last_years_in_the_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let ingest = |file: &str| {
        hrcities().args(["-q", "ingest", "--store"]).arg(&store).arg(sample(file)).assert().code(0);
    };
    ingest("marisol-de-la-costa-2026.xlsx");
    ingest("marisol-de-la-costa-2027.xlsx");
    let list = hrcities()
        .args(["--format", "json", "store", "list", "--store"])
        .arg(&store)
        .output()
        .expect("runs");
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON");
    let rows = list.as_array().or_else(|| list["returns"].as_array()).expect("rows").clone();
    let warnings = |year: i64| {
        rows.iter().find(|r| r["year"] == year).map(|r| r["warnings"].clone()).expect("a row")
    };
    // 2026: its documented thousands separator; 2027: only the turnout of the same
    // election, which it does not get when it is filed alone.
    assert_eq!(warnings(2026), 1, "{list}");
    assert_eq!(warnings(2027), 1, "the turnout of the same election: {list}");
    let o = hrcities()
        .args(["--format", "json", "validate"])
        .arg(sample("marisol-de-la-costa-2027.xlsx"))
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(0), "{v}");
}
