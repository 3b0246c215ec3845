//! `sample-data/`: every flaw listed in sample-data/README.md gives exactly the documented
//! diagnostic at the documented sheet and cell, nothing else is reported, and the returns
//! cover the cities, regions, years, languages and formats the README promises.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;
use hrcities::questionnaire::answer::Value;
use hrcities::store::ResponseStatus;
use hrcities::validate::batch::{check_all, collect};

struct Row {
    file: String,
    place: String,
    question: String,
    reports: String,
}

/// The rows of the flaws table of sample-data/README.md.
fn documented(readme: &str) -> Vec<Row> {
    let section = readme.split("## The flaws").nth(1).expect("a flaws section");
    section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| file") && !l.starts_with("|---"))
        .map(|l| {
            let cells: Vec<String> =
                l.trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect();
            assert_eq!(cells.len(), 5, "{l}");
            let dash = |s: &str| if s == "—" { String::new() } else { s.to_string() };
            Row {
                file: cells[0].clone(),
                place: dash(&cells[2]),
                question: dash(&cells[3]),
                reports: cells[4].clone(),
            }
        })
        .collect()
}

#[test]
fn every_documented_flaw_is_reported_where_the_readme_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("sample-data/README.md")).expect("README");
    let rows = documented(&readme);
    assert!(rows.len() >= 15, "{} rows", rows.len());
    let fw = load_embedded(Lang::En).framework;
    let files = collect(&[root.join("sample-data")]);
    let results = check_all(&fw, &files, Lang::En);
    let name = |p: &PathBuf| p.file_name().expect("name").to_string_lossy().into_owned();

    let actual: BTreeSet<(String, String, String, String)> = results
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(move |d| {
                (name(&r.path), d.place(), d.question.clone().unwrap_or_default(), d.code.clone())
            })
        })
        .collect();
    let expected: BTreeSet<(String, String, String, String)> = rows
        .iter()
        .filter(|r| r.reports.starts_with("E-") || r.reports.starts_with("W-"))
        .map(|r| (r.file.clone(), r.place.clone(), r.question.clone(), r.reports.clone()))
        .collect();
    assert_eq!(actual, expected, "diagnostics of sample-data vs its README");

    let mut wrong = Vec::new();
    for row in rows.iter().filter(|r| r.reports.starts_with("read as ")) {
        let result = results
            .iter()
            .find(|r| name(&r.path) == row.file)
            .unwrap_or_else(|| panic!("{}", row.file));
        let checked = result.checked.as_ref().expect("readable");
        let a = checked.answer(&row.question).expect("the question");
        let place = format!(
            "{}!{}",
            a.sheet.clone().unwrap_or_default(),
            a.cell.map(|c| c.to_string()).unwrap_or_default()
        );
        if place != row.place {
            wrong.push(format!("{} {}: at {place}, not {}", row.file, row.question, row.place));
        }
        let want = row.reports.trim_start_matches("read as ");
        match want {
            "not_available" => assert_eq!(a.status, ResponseStatus::NotAvailable, "{}", row.file),
            n => {
                let n: f64 = n.parse().expect("a number");
                assert_eq!(a.value, Some(Value::Number(n)), "{}: {}", row.file, row.question);
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn sample_data_covers_cities_regions_years_languages_and_formats() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fw = load_embedded(Lang::En).framework;
    let files = collect(&[root.join("sample-data")]);
    let results = check_all(&fw, &files, Lang::En);
    let mut cities = HashSet::new();
    let mut regions = HashSet::new();
    let mut years = HashSet::new();
    let mut extensions = HashSet::new();
    for r in &results {
        let c = r.checked.as_ref().expect("every sample file is readable");
        cities.insert(c.city_id.clone().expect("a city id"));
        years.insert(c.year.expect("a year"));
        if let Some(Value::Code(region)) = c.answer("region").and_then(|a| a.value.clone()) {
            regions.insert(region);
        }
        extensions.insert(r.path.extension().expect("ext").to_string_lossy().into_owned());
    }
    assert!(cities.len() >= 12, "{} cities", cities.len());
    assert!(regions.len() >= 5, "{regions:?}");
    assert_eq!(years, HashSet::from([2025, 2026, 2027]));
    assert_eq!(extensions, HashSet::from(["xlsx".into(), "ods".into(), "xls".into()]));
    let languages: HashSet<Lang> = files
        .iter()
        .filter_map(|f| hrcities::questionnaire::read::read_workbook(f, &fw).ok())
        .filter_map(|wb| wb.template.and_then(|t| t.language))
        .collect();
    assert_eq!(languages.len(), 3, "{languages:?}");
}
