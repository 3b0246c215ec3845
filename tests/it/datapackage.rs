//! `DIR/data/datapackage.json` (Contract 4) against the files it describes. The demo's
//! output is checked by `run::the_demo_writes_data_charts_reports_and_what_to_fix` (one demo
//! run for both), a small run's by `run::run_exits_0_on_clean_returns_and_writes_each_language`;
//! the checker itself is tested here on a package with planted faults.
//!
//! The checks are those `frictionless validate` makes that matter here, without Python:
//! the package lists exactly the CSV files of the folder, each CSV's header is its schema's
//! fields in order, every value has its field's type and meets its constraints (required,
//! enum, minimum, maximum), primary keys are unique and foreign keys resolve; and every field
//! is described in en, es and fr. Where Python's `frictionless` is installed, the demo's
//! package also goes through `frictionless validate` ([`frictionless_errors`]).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde_json::{json, Value};

/// What [`check_package`] found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Everything wrong, one line each.
    pub problems: Vec<String>,
    /// The resources, by name, with their number of rows.
    pub rows: HashMap<String, usize>,
    /// The foreign keys checked, as `table.fields -> resource.fields`.
    pub foreign_keys: Vec<String>,
}

/// The rows of a CSV file: its header and its records.
type Table = (Vec<String>, Vec<Vec<String>>);

fn read_csv(path: &Path) -> Result<Table, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let header = reader
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        rows.push(record.iter().map(String::from).collect());
    }
    Ok((header, rows))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map_or_else(Vec::new, |a| a.iter().filter_map(|s| s.as_str()).map(String::from).collect())
}

fn sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).expect("readable");
    let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Whether `text` is a value of a field of Table Schema type `kind`.
fn has_type(kind: &str, text: &str, field: &Value) -> bool {
    match kind {
        "integer" => text.parse::<i64>().is_ok(),
        "number" => text.parse::<f64>().is_ok(),
        "boolean" => {
            let values = |k: &str, default: &[&str]| {
                let listed = strings(&field[k]);
                if listed.is_empty() {
                    default.iter().map(|s| s.to_string()).collect()
                } else {
                    listed
                }
            };
            values("trueValues", &["true", "True", "TRUE", "1"]).iter().any(|v| v == text)
                || values("falseValues", &["false", "False", "FALSE", "0"])
                    .iter()
                    .any(|v| v == text)
        }
        "date" => {
            let b = text.as_bytes();
            b.len() == 10 && b[4] == b'-' && b[7] == b'-'
        }
        "string" | "any" => true,
        _ => false,
    }
}

/// Checks the package in the folder `data` against the files there.
pub fn check_package(data: &Path) -> Checked {
    let mut out = Checked::default();
    let problems = &mut out.problems;
    let text = match std::fs::read_to_string(data.join("datapackage.json")) {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!("datapackage.json: {e}"));
            return out;
        }
    };
    let package: Value = match serde_json::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            problems.push(format!("datapackage.json does not parse: {e}"));
            return out;
        }
    };
    if package["profile"] != "tabular-data-package" {
        problems.push(format!("profile {}", package["profile"]));
    }
    for key in ["name", "title", "description", "version", "created"] {
        if package[key].as_str().is_none_or(str::is_empty) {
            problems.push(format!("the package has no {key}"));
        }
    }
    let resources = package["resources"].as_array().cloned().unwrap_or_default();

    // Exactly the CSV files of the folder.
    let on_disk: BTreeSet<String> = std::fs::read_dir(data)
        .expect("data folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    let listed: BTreeSet<String> =
        resources.iter().filter_map(|r| r["path"].as_str()).map(String::from).collect();
    if on_disk != listed {
        problems.push(format!("CSV files {on_disk:?}, resources {listed:?}"));
    }
    let names: HashSet<&str> = resources.iter().filter_map(|r| r["name"].as_str()).collect();
    if names.len() != resources.len() {
        problems.push("resource names are not unique".into());
    }

    // Each table's header, rows and field checks.
    let mut tables: HashMap<String, Table> = HashMap::new();
    for r in &resources {
        let name = r["name"].as_str().unwrap_or("?").to_string();
        let Some(path) = r["path"].as_str() else {
            problems.push(format!("{name}: no path"));
            continue;
        };
        for (key, want) in [("format", "csv"), ("mediatype", "text/csv"), ("encoding", "utf-8")] {
            if r[key] != want {
                problems.push(format!("{name}: {key} {}", r[key]));
            }
        }
        for key in ["title", "description", "description_es", "description_fr"] {
            if r[key].as_str().is_none_or(str::is_empty) {
                problems.push(format!("{name}: no {key}"));
            }
        }
        let file = data.join(path);
        if file.is_file() {
            if r["hash"].as_str() != Some(sha256(&file).as_str()) {
                problems.push(format!("{name}: hash {}", r["hash"]));
            }
            let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            if r["bytes"].as_u64() != Some(bytes) {
                problems.push(format!("{name}: bytes {} (the file has {bytes})", r["bytes"]));
            }
        }
        for copy in r["copies"].as_array().cloned().unwrap_or_default() {
            let copy_path = data.join(copy["path"].as_str().unwrap_or(""));
            if !copy_path.is_file() {
                problems.push(format!("{name}: no copy {}", copy_path.display()));
            } else if let Some(hash) = copy["hash"].as_str() {
                if hash != sha256(&copy_path) {
                    problems.push(format!("{name}: hash of {}", copy_path.display()));
                }
            }
        }
        let (header, rows) = match read_csv(&file) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let schema = &r["schema"];
        let fields = schema["fields"].as_array().cloned().unwrap_or_default();
        let field_names: Vec<String> =
            fields.iter().map(|f| f["name"].as_str().unwrap_or("").to_string()).collect();
        if header != field_names {
            problems.push(format!("{name}: header {header:?}, fields {field_names:?}"));
        }
        let missing: HashSet<String> = strings(&schema["missingValues"]).into_iter().collect();
        for (j, f) in fields.iter().enumerate() {
            let column = &field_names[j];
            for key in ["description", "description_es", "description_fr"] {
                if f[key].as_str().is_none_or(str::is_empty) {
                    problems.push(format!("{name}.{column}: no {key}"));
                }
            }
            let kind = f["type"].as_str().unwrap_or("");
            let c = &f["constraints"];
            let allowed = c["enum"].as_array().map(|a| {
                a.iter()
                    .map(|v| v.as_str().map_or(v.to_string(), String::from))
                    .collect::<HashSet<_>>()
            });
            if allowed.as_ref().is_some_and(|a| a.is_empty()) {
                problems.push(format!("{name}.{column}: an empty enum"));
            }
            let mut wrong = BTreeSet::new();
            for row in &rows {
                let Some(v) = row.get(j) else { continue };
                if missing.contains(v) {
                    if c["required"] == true {
                        wrong.insert("missing, but required".to_string());
                    }
                    continue;
                }
                if !has_type(kind, v, f) {
                    wrong.insert(format!("{v:?} is not a {kind}"));
                }
                if allowed.as_ref().is_some_and(|a| !a.contains(v)) {
                    wrong.insert(format!("{v:?} is not in its enum"));
                }
                let x = v.parse::<f64>().ok();
                if let (Some(x), Some(min)) = (x, c["minimum"].as_f64()) {
                    if x < min {
                        wrong.insert(format!("{v} < {min}"));
                    }
                }
                if let (Some(x), Some(max)) = (x, c["maximum"].as_f64()) {
                    if x > max {
                        wrong.insert(format!("{v} > {max}"));
                    }
                }
            }
            for w in wrong.into_iter().take(5) {
                problems.push(format!("{name}.{column}: {w}"));
            }
        }
        // The primary key.
        let key = strings(&schema["primaryKey"]);
        if key.is_empty() {
            problems.push(format!("{name}: no primary key"));
        }
        let at: Vec<Option<usize>> =
            key.iter().map(|k| header.iter().position(|h| h == k)).collect();
        if at.iter().any(Option::is_none) {
            problems.push(format!("{name}: primary key {key:?} is not in {header:?}"));
        } else {
            let mut seen = HashSet::new();
            for row in &rows {
                let values: Vec<&str> = at.iter().map(|i| row[i.unwrap_or(0)].as_str()).collect();
                if !seen.insert(values.clone()) {
                    problems.push(format!("{name}: primary key {key:?} repeats {values:?}"));
                    break;
                }
            }
        }
        out.rows.insert(name.clone(), rows.len());
        tables.insert(name, (header, rows));
    }

    // Foreign keys.
    for r in &resources {
        let name = r["name"].as_str().unwrap_or("?");
        let missing: HashSet<String> = strings(&r["schema"]["missingValues"]).into_iter().collect();
        for fk in r["schema"]["foreignKeys"].as_array().cloned().unwrap_or_default() {
            let fields = strings(&fk["fields"]);
            let target = fk["reference"]["resource"].as_str().unwrap_or("");
            let to = strings(&fk["reference"]["fields"]);
            out.foreign_keys.push(format!("{name}.{fields:?} -> {target}.{to:?}"));
            let (Some((header, rows)), Some((t_header, t_rows))) =
                (tables.get(name), tables.get(target))
            else {
                problems.push(format!("{name}: foreign key to unknown {target:?}"));
                continue;
            };
            let cols = |h: &[String], f: &[String]| -> Option<Vec<usize>> {
                f.iter().map(|k| h.iter().position(|c| c == k)).collect()
            };
            let (Some(from), Some(into)) = (cols(header, &fields), cols(t_header, &to)) else {
                problems.push(format!(
                    "{name}: foreign key {fields:?} -> {target}.{to:?}: no such field"
                ));
                continue;
            };
            let keys: HashSet<Vec<&str>> =
                t_rows.iter().map(|row| into.iter().map(|&i| row[i].as_str()).collect()).collect();
            for row in rows {
                let values: Vec<&str> = from.iter().map(|&i| row[i].as_str()).collect();
                if values.iter().all(|v| missing.contains(*v)) {
                    continue;
                }
                if !keys.contains(&values) {
                    problems
                        .push(format!("{name}: {fields:?} = {values:?} is not a row of {target}"));
                    break;
                }
            }
        }
    }
    out
}

/// What Python's `frictionless validate` says of the package in `data`: `None` when
/// python3 or its `frictionless` module is not installed (`pip install frictionless`; CI
/// sets HRCITIES_REQUIRE_FRICTIONLESS when it installed it, which makes it required), else
/// the errors it reports (empty when the package is valid).
pub fn frictionless_errors(data: &Path) -> Option<Vec<String>> {
    let script = r#"
import sys, frictionless
report = frictionless.validate(sys.argv[1])
for error in report.flatten(["type", "message"]):
    print(*error)
"#;
    let o = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(data.join("datapackage.json"))
        .output()
        .ok()?;
    if String::from_utf8_lossy(&o.stderr).contains("No module named 'frictionless'") {
        let required = std::env::var_os("HRCITIES_REQUIRE_FRICTIONLESS").is_some();
        assert!(!required, "Python's frictionless is required (pip install frictionless)");
        return None;
    }
    assert!(o.status.success(), "frictionless: {}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).lines().map(String::from).collect())
}

/// A package of two tables in `dir`, with a key pointing from one to the other.
fn write_fixture(dir: &Path, orders: &str, customers: &str, enum_values: &[&str]) {
    std::fs::write(dir.join("orders.csv"), orders).unwrap();
    std::fs::write(dir.join("customers.csv"), customers).unwrap();
    let described = |d: &str| json!({"description": d, "description_es": d, "description_fr": d});
    let field = |name: &str, kind: &str, extra: Value| {
        let mut f = json!({"name": name, "type": kind});
        f.as_object_mut().unwrap().extend(described(name).as_object().unwrap().clone());
        f.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        f
    };
    let resource = |name: &str, fields: Vec<Value>, key: &[&str], fks: Value| {
        let path = dir.join(format!("{name}.csv"));
        let mut r = json!({
            "profile": "tabular-data-resource", "name": name, "path": format!("{name}.csv"),
            "title": name, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": std::fs::metadata(&path).unwrap().len(), "hash": sha256(&path),
            "schema": {"fields": fields, "missingValues": [""], "primaryKey": key,
                       "foreignKeys": fks},
        });
        r.as_object_mut().unwrap().extend(described(name).as_object().unwrap().clone());
        r
    };
    let package = json!({
        "profile": "tabular-data-package", "name": "t", "title": "t", "description": "t",
        "version": "1", "created": "2027-01-01T00:00:00Z",
        "resources": [
            resource("orders", vec![
                field("id", "integer", json!({"constraints": {"required": true}})),
                field("customer", "string", json!({})),
                field("status", "string", json!({"constraints": {"enum": enum_values}})),
                field("share", "number", json!({"constraints": {"minimum": 0, "maximum": 1}})),
            ], &["id"], json!([{"fields": ["customer"],
                                "reference": {"resource": "customers", "fields": ["id"]}}])),
            resource("customers", vec![field("id", "string", json!({}))], &["id"], json!([])),
        ],
    });
    std::fs::write(dir.join("datapackage.json"), package.to_string()).unwrap();
}

#[test]
fn the_checker_finds_what_frictionless_would() {
    let good = tempfile::tempdir().unwrap();
    write_fixture(
        good.path(),
        "id,customer,status,share\n1,a,open,0.5\n2,,closed,\n",
        "id\na\n",
        &["open", "closed"],
    );
    let checked = check_package(good.path());
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    assert_eq!(checked.rows["orders"], 2);
    assert_eq!(checked.foreign_keys.len(), 1);

    let bad = tempfile::tempdir().unwrap();
    write_fixture(
        bad.path(),
        "id,customer,status\n1,a,open\n1,b,lost\nx,a,open\n",
        "id\na\n",
        &["open"],
    );
    std::fs::write(bad.path().join("stray.csv"), "a\n1\n").unwrap();
    let problems = check_package(bad.path()).problems.join("\n");
    for expected in [
        "resources", // stray.csv is not listed
        "header",    // share is not in the CSV
        "orders.status: \"lost\" is not in its enum",
        "orders.id: \"x\" is not a integer",
        "primary key [\"id\"] repeats",
        "is not a row of customers",
    ] {
        assert!(problems.contains(expected), "{expected:?} in:\n{problems}");
    }
}
