//! A campaign year on the sample data (issue 21): the pledge register imported (more pledges
//! than returns, one withdrawn), returns filed in two batches, the tracker showing every
//! state, progress counting pledged and reporting governments, the review of returns, and
//! safe versions — a mislabelled return refused without `--replace`, an earlier version
//! restored with its reason, a superseded file filed again made current, an accepted return
//! protected. Hostile text in the register is kept literally and the CSV is guarded.
//!
//! See: issue 21 ("Run the campaign, not just a batch") and issue 22, part 2 (review status).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;
use hrcities::questionnaire::fill::{CellValue, Layout};
use hrcities::questionnaire::read::read_workbook;
use hrcities::questionnaire::write::write_workbook;
use hrcities::validate::validate;
use serde_json::Value;

use crate::common::{copy_samples, hrcities, root, sample};

const VILLA: &str = "COL-villa-esperanza-del-sur";

/// Runs `cmd`; returns its exit status, stdout and stderr.
fn run(cmd: &mut Command) -> (i32, String, String) {
    let o = cmd.output().expect("runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `hrcities ARGS… --store STORE`.
fn cli(store: &Path, args: &[&str]) -> (i32, String, String) {
    run(hrcities().args(args).arg("--store").arg(store))
}

/// `ingest` of `files` (with `extra` options) into `store`.
fn ingest(store: &Path, files: &[PathBuf], extra: &[&str]) -> (i32, String, String) {
    run(hrcities().arg("ingest").args(extra).arg("--store").arg(store).args(files))
}

/// The tracker of `year` as JSON: government id → its row.
fn tracker(store: &Path, year: i32) -> (Value, BTreeMap<String, Value>) {
    let (code, out, err) = cli(store, &["--format", "json", "status", "--year", &year.to_string()]);
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).expect("JSON");
    let rows = json["governments"]
        .as_array()
        .expect("governments")
        .iter()
        .map(|g| (g["government_id"].as_str().expect("id").to_string(), g.clone()))
        .collect();
    (json, rows)
}

/// The current rows of `store list --format csv`: (city, year) → (file, review status).
fn listed(store: &Path) -> BTreeMap<(String, String), (String, String)> {
    let (code, out, err) = cli(store, &["--format", "csv", "store", "list"]);
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (city, year, file, review) =
        (col("city_id"), col("year"), col("file"), col("review_status"));
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            ((rec[city].into(), rec[year].into()), (rec[file].into(), rec[review].into()))
        })
        .collect()
}

/// Villa Esperanza's return of `from` (a sample file), rewritten as a return whose profile
/// says `year`, with HOU_Q04 set to `hou_q04`, saved as `dir/name` in the template it was made
/// from — as a city (or a mistake) makes one.
fn villa_variant(from: &str, year: f64, hou_q04: f64, dir: &Path, name: &str) -> PathBuf {
    let fw = load_embedded(Lang::En).framework;
    let checked = validate(&fw, &read_workbook(&sample(from), &fw).expect("readable"), Lang::Es);
    let mut fill = checked.to_fill(&fw);
    fill.answer("reporting_year", CellValue::Number(year));
    fill.answer("HOU_Q04", CellValue::Number(hou_q04));
    std::fs::create_dir_all(dir).expect("mkdir");
    let path = dir.join(name);
    let fw = match checked.template_version.as_deref() {
        Some(v) => fw.as_of(v),
        None => fw,
    };
    write_workbook(&fw, Lang::Es, &fill, &Layout::default(), &path).expect("written");
    path
}

#[test]
fn issue_21_a_campaign_year_pledges_batches_tracker_reviews_and_progress() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");

    // The pledge register: 22 governments, one withdrawn; importing it again changes nothing.
    let register = root().join("sample-pledges/pledges.csv");
    let (code, out, err) =
        run(hrcities().args(["pledges", "import"]).arg(&register).arg("--store").arg(&store));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("22 pledge(s) read: 22 added"), "{out}");
    assert!(out.contains("1 of them withdrawn"), "{out}");
    let table = std::fs::read(store.join("pledges.parquet")).expect("the register is stored");
    let (code, out, _) =
        run(hrcities().args(["pledges", "import"]).arg(&register).arg("--store").arg(&store));
    assert_eq!(code, 0);
    assert!(out.contains("0 added, 0 updated, 22 unchanged"), "{out}");
    assert_eq!(std::fs::read(store.join("pledges.parquet")).expect("still there"), table);
    let (_, list, _) = cli(&store, &["--format", "json", "pledges", "list"]);
    let list: Value = serde_json::from_str(&list).expect("JSON");
    let kalame = list
        .as_array()
        .expect("a list")
        .iter()
        .find(|p| p["government_id"] == "CIV-kalame-les-collines")
        .expect("Kalamé's pledge, under the id its returns get");
    assert_eq!(kalame["source_file"], "pledges.csv");
    assert_eq!(kalame["source_row"], 11);

    // First batch: the 2025 and 2026 returns, and four of 2027.
    let batch1 = tmp.path().join("batch1");
    let mut names: Vec<String> = std::fs::read_dir(root().join("sample-data"))
        .expect("sample-data")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-2025.") || n.contains("-2026."))
        .collect();
    names.extend(
        ["villa-esperanza-del-sur", "lumenstad", "tamarind-cove", "nuevo-alboran"]
            .map(|c| format!("{c}-2027.xlsx")),
    );
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    copy_samples(&batch1, &refs);
    let (code, _, err) = ingest(&store, std::slice::from_ref(&batch1), &["-q"]);
    assert_eq!(code, 3, "the sample returns carry errors: {err}");

    let (json, rows) = tracker(&store, 2027);
    assert_eq!(json["year"], 2027);
    // 21 pledges stand (Glimmerbrook withdrew); every sample government is in the register.
    assert_eq!(rows.len(), 21, "{:?}", rows.keys());
    assert!(!rows.contains_key("USA-glimmerbrook"), "a withdrawn pledge is not expected");
    let state = |rows: &BTreeMap<String, Value>, id: &str| {
        rows.get(id).unwrap_or_else(|| panic!("{id} on the tracker"))["state"]
            .as_str()
            .expect("a state")
            .to_string()
    };
    assert_eq!(state(&rows, "SEN-port-aurore"), "missing");
    assert_eq!(state(&rows, "PER-santa-brisa-de-los-andes"), "missing");
    assert_eq!(state(&rows, "NLD-lumenstad"), "received");
    assert_eq!(state(&rows, "MEX-nuevo-alboran"), "received_with_errors", "E-REC-STATUS");
    let never = &rows["PER-santa-brisa-de-los-andes"];
    assert_eq!(never["contact_email"], "rights@santabrisadelosandes.example");
    assert_eq!(never["language"], "es");
    assert_eq!(never["pledge_status"], "pledged");
    assert_eq!(never["last_year_reported"], Value::Null);
    assert_eq!(never["state_label"], "falta", "in the government's own language");
    assert_eq!(rows["SEN-port-aurore"]["last_year_reported"], 2026);

    // Second batch: more of 2027, one with an error.
    let batch2 = tmp.path().join("batch2");
    copy_samples(
        &batch2,
        &["port-aurore-2027.xlsx", "marisol-de-la-costa-2027.xlsx", "cedar-gate-2027.xlsx"],
    );
    let (code, out, _) = ingest(&store, std::slice::from_ref(&batch2), &[]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("3 added, 0 unchanged, 0 not added"), "{out}");

    // Reviews: accepted, rejected, needs correction, each kept with its time.
    for (city, status, note) in [
        (VILLA, "accepted", "checked with the city on 3 March"),
        ("PHL-tamarind-cove", "rejected", "the 2026 file sent again"),
        ("MEX-nuevo-alboran", "needs_correction", "status of A/HRC/55/5 121.3"),
    ] {
        let (code, out, err) = cli(
            &store,
            &["store", "review", city, "--year", "2027", "--status", status, "--note", note],
        );
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(note), "{out}");
    }
    let (code, _, err) = cli(&store, &["store", "review", "XXX-nowhere", "--status", "accepted"]);
    assert_eq!(code, 1);
    assert!(err.contains(VILLA), "the known ids are listed: {err}");

    let (json, rows) = tracker(&store, 2027);
    assert_eq!(state(&rows, VILLA), "accepted");
    assert_eq!(state(&rows, "PHL-tamarind-cove"), "rejected");
    assert_eq!(state(&rows, "MEX-nuevo-alboran"), "needs_correction");
    assert_eq!(state(&rows, "SEN-port-aurore"), "received_with_errors", "E-BREAKDOWN-PART");
    assert_eq!(state(&rows, "ESP-marisol-de-la-costa"), "received", "warnings only");
    assert_eq!(state(&rows, "CAN-harborview-heights"), "missing");
    assert!(rows[VILLA]["reviewed_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    let counts = &json["counts"];
    assert_eq!(counts["accepted"], 1);
    assert_eq!(counts["rejected"], 1);
    assert_eq!(counts["needs_correction"], 1);
    assert_eq!(counts["received_with_errors"], 1);
    assert_eq!(counts["received"], 3);
    assert_eq!(counts["missing"], 14);
    // By country, then name.
    let countries: Vec<&str> = json["governments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["country"].as_str().unwrap())
        .collect();
    let mut sorted = countries.clone();
    sorted.sort();
    assert_eq!(countries, sorted);
    // One region; a region by name in Spanish; text for people.
    let (code, out, _) = cli(&store, &["status", "--year", "2027", "--region", "África"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("2027: 5 government(s) expected in Africa"), "{out}");
    assert!(out.contains("received with errors") && out.contains("Kivuli Hills"), "{out}");
    let (code, _, err) = cli(&store, &["status", "--region", "Atlantis"]);
    assert_eq!(code, 1);
    assert!(err.contains("latin_america"), "{err}");

    // `store list` shows the latest review; `store history` every one.
    let list = listed(&store);
    assert_eq!(list[&(VILLA.to_string(), "2027".to_string())].1, "accepted");
    assert_eq!(list[&("NLD-lumenstad".to_string(), "2027".to_string())].1, "received");
    let (_, history, _) = cli(&store, &["store", "history", VILLA]);
    assert!(history.contains("version 1 reviewed: accepted"), "{history}");
    assert!(history.contains("checked with the city on 3 March"), "{history}");

    // Progress counts pledges: 21 committed by 2027 against 7 governments reporting.
    let out_dir = tmp.path().join("out");
    let (code, _, err) =
        run(hrcities().args(["-q", "compute", "--store"]).arg(&store).arg("--out").arg(&out_dir));
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_path(out_dir.join("data/campaign.csv")).expect("campaign.csv");
    let header: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let by_year: BTreeMap<String, (String, String)> = r
        .records()
        .map(|rec| {
            let rec = rec.expect("row");
            (
                rec[col("year")].to_string(),
                (rec[col("cumulative")].to_string(), rec[col("reporting")].to_string()),
            )
        })
        .collect();
    assert_eq!(by_year["2027"], ("21.0".to_string(), "7".to_string()), "{by_year:?}");
    assert_eq!(by_year["2026"], ("20.0".to_string(), "13".to_string()), "{by_year:?}");
    assert_eq!(by_year["2023"].1, "0", "no return before 2025");
    assert_eq!(by_year["2030"].1, "", "nothing reported in a projected year");

    // The campaign report explains the difference, in each language.
    for (lang, words) in [
        ("en", ["21 governments had committed", "7 governments returned a questionnaire for 2027"]),
        (
            "es",
            [
                "21 gobiernos se habían comprometido",
                "7 gobiernos devolvieron un cuestionario de 2027",
            ],
        ),
        (
            "fr",
            [
                "21 gouvernements s'étaient engagés",
                "7 gouvernements ont renvoyé un questionnaire pour 2027",
            ],
        ),
    ] {
        let (code, _, err) = run(hrcities()
            .args(["-q", "--lang", lang, "report", "campaign", "--year", "2027", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(&out_dir));
        assert_eq!(code, 0, "{err}");
        let typ = std::fs::read_to_string(
            out_dir.join(format!("reports/campaign/campaign-2027-{lang}/report.typ")),
        )
        .expect("the report's Typst source");
        for w in words {
            assert!(typ.contains(w), "{lang}: {w:?} not in the report");
        }
    }

    // An accepted return is protected: a different file for it needs --reopen.
    let dir = tmp.path().join("late");
    let late = villa_variant(
        "villa-esperanza-del-sur-2027.xlsx",
        2027.0,
        11.0,
        &dir,
        "villa-esperanza-del-sur-2027.xlsx",
    );
    let (code, out, err) = ingest(&store, std::slice::from_ref(&late), &[]);
    assert_eq!(code, 3, "{out}");
    assert!(err.contains("was accepted on") && err.contains("--reopen"), "{err}");
    let (code, _, err) = ingest(&store, std::slice::from_ref(&late), &["--reopen"]);
    assert!(code == 0 || code == 3, "{err}");
    let list = listed(&store);
    assert_eq!(list[&(VILLA.to_string(), "2027".to_string())].1, "received", "a new version");
    let (_, history, _) = cli(&store, &["store", "history", VILLA]);
    assert!(history.contains("replaced the accepted version 1 (--reopen)"), "{history}");
    // Every version with its own latest review (issue 22, part 2).
    let (_, all, _) = cli(&store, &["--format", "csv", "store", "list", "--all"]);
    let villa: Vec<&str> =
        all.lines().filter(|l| l.starts_with(VILLA) && l.contains(",2027,")).collect();
    assert_eq!(villa.len(), 2, "{all}");
    assert!(villa[0].contains(",superseded,") && villa[0].contains(",accepted,"), "{villa:?}");
    assert!(villa[1].contains(",current,") && villa[1].contains(",received,"), "{villa:?}");
}

#[test]
fn issue_21_a_mislabelled_return_is_refused_and_the_right_version_comes_back() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let original = sample("villa-esperanza-del-sur-2025.xlsx");
    let (code, _, err) = ingest(&store, std::slice::from_ref(&original), &["-q"]);
    assert_eq!(code, 0, "{err}");
    let key = (VILLA.to_string(), "2025".to_string());

    // The 2026 file with 2025 typed in its profile: refused, saying why.
    let wrong = villa_variant(
        "villa-esperanza-del-sur-2026.xlsx",
        2025.0,
        7.0,
        &tmp.path().join("mail"),
        "villa-esperanza-del-sur-2026.xlsx",
    );
    let (code, out, err) = ingest(&store, std::slice::from_ref(&wrong), &["-q"]);
    assert_eq!(code, 3, "{out}");
    for words in [
        "the current 2025 return of Villa Esperanza del Sur (COL-villa-esperanza-del-sur) came from villa-esperanza-del-sur-2025.xlsx",
        "villa-esperanza-del-sur-2026.xlsx has another name",
        "its name says 2026 while its profile says 2025",
        "--replace",
    ] {
        assert!(err.contains(words), "{words:?} not in: {err}");
    }
    assert_eq!(listed(&store)[&key].0, "villa-esperanza-del-sur-2025.xlsx", "nothing changed");
    // In Spanish too.
    let (_, _, err) =
        run(hrcities().args(["-q", "--lang", "es", "ingest", "--store"]).arg(&store).arg(&wrong));
    assert!(err.contains("su nombre dice 2026 mientras que su perfil dice 2025"), "{err}");

    // A corrected file under another name is refused too; under the same name it is filed.
    let renamed = villa_variant(
        "villa-esperanza-del-sur-2025.xlsx",
        2025.0,
        9.0,
        &tmp.path().join("fixed"),
        "villa-2025-corrected.xlsx",
    );
    let (code, _, err) = ingest(&store, std::slice::from_ref(&renamed), &["-q"]);
    assert_eq!(code, 3);
    assert!(err.contains("villa-2025-corrected.xlsx has another name"), "{err}");
    assert!(!err.contains("its name says"), "no year in the name differs: {err}");

    // On the analyst's word it replaces the return, and the history says so.
    let (code, _, err) = ingest(&store, std::slice::from_ref(&wrong), &["-q", "--replace"]);
    assert!(code == 0 || code == 3, "{err}");
    assert_eq!(listed(&store)[&key].0, "villa-esperanza-del-sur-2026.xlsx");
    let (_, history, _) = cli(&store, &["store", "history", VILLA]);
    assert!(history.contains("version 2 replaced version 1 on the analyst's word"), "{history}");

    // Filing the original again makes it current again, and says so.
    let (code, out, err) = ingest(&store, std::slice::from_ref(&original), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("this file is an earlier version, current again"), "{out}");
    assert_eq!(listed(&store)[&key].0, "villa-esperanza-del-sur-2025.xlsx");
    // The mislabelled file filed again is refused once more: its name says 2026.
    let (code, _, err) = ingest(&store, std::slice::from_ref(&wrong), &["-q"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("says 2026"), "{err}");

    // `store restore` makes any version current, with the reason kept.
    let (code, out, err) = cli(
        &store,
        &[
            "store",
            "restore",
            VILLA,
            "--year",
            "2025",
            "--version",
            "2",
            "--reason",
            "trying",
            "--by",
            "Ana",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("version 2 of the 2025 return"), "{out}");
    assert_eq!(listed(&store)[&key].0, "villa-esperanza-del-sur-2026.xlsx");
    let reason = "the 2026 file was filed as 2025 by mistake";
    let (code, out, err) = cli(
        &store,
        &["store", "restore", VILLA, "--year", "2025", "--version", "1", "--reason", reason],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("is current again in place of version 2"), "{out}");
    assert_eq!(listed(&store)[&key].0, "villa-esperanza-del-sur-2025.xlsx");
    let (code, out, _) = cli(
        &store,
        &["store", "restore", VILLA, "--year", "2025", "--version", "1", "--reason", "again"],
    );
    assert_eq!(code, 0);
    assert!(out.contains("already the current one"), "{out}");
    let (code, _, err) = cli(
        &store,
        &["store", "restore", VILLA, "--year", "2025", "--version", "5", "--reason", "x"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("has no version 5: it has 2"), "{err}");
    let (code, _, err) = cli(
        &store,
        &["store", "restore", VILLA, "--year", "2024", "--version", "1", "--reason", "x"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("its years: 2025"), "{err}");

    // A file filed before does not undo the analyst's restore unless told to.
    let (code, _, err) = ingest(&store, std::slice::from_ref(&wrong), &["-q"]);
    assert_eq!(code, 3);
    assert!(err.contains("made that version current with `store restore`"), "{err}");
    assert!(err.contains(reason), "{err}");
    assert_eq!(listed(&store)[&key].0, "villa-esperanza-del-sur-2025.xlsx");

    // The history keeps every step, with its time, reason and who.
    let (_, history, _) = cli(&store, &["store", "history", VILLA]);
    assert!(
        history.contains("version 1 filed again, current again in place of version 2"),
        "{history}"
    );
    assert!(history.contains("made current again in place of version 1 by Ana"), "{history}");
    assert!(history.contains(reason), "{history}");
    let (_, json, _) = cli(&store, &["--format", "json", "store", "history", VILLA]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    let events = json["years"][0]["events"].as_array().expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e["event"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["replace", "refile", "restore", "restore"]);
    assert_eq!(events[3]["event"]["note"], reason);
    assert_eq!(events[0]["event"]["detail"], "file_name;name_year");

    // Compute uses the restored version: HOU_Q04 as the city first wrote it.
    let out_dir = tmp.path().join("out");
    let (code, _, err) =
        run(hrcities().args(["-q", "compute", "--store"]).arg(&store).arg("--out").arg(&out_dir));
    assert_eq!(code, 0, "{err}");
    let responses = std::fs::read_to_string(out_dir.join("data/responses.csv")).expect("responses");
    assert!(responses.contains("villa-esperanza-del-sur-2025.xlsx"));
    assert!(!responses.contains("villa-esperanza-del-sur-2026.xlsx"));

    // Without a register, the tracker takes the contact and language from the return.
    let (_, rows) = tracker(&store, 2025);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[VILLA]["contact_email"], "rights@villaesperanzadelsur.example");
    assert_eq!(rows[VILLA]["language"], "es", "the language of its workbook");
    assert_eq!(rows[VILLA]["pledge_status"], Value::Null);
}

#[test]
fn issue_21_hostile_text_in_the_register_is_kept_and_the_csv_is_guarded() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let register = tmp.path().join("registro.csv");
    std::fs::write(
        &register,
        "Gobierno;País;Región;Nivel;Fecha del compromiso;Estado;Correo;Idioma\n\
         \"=HYPERLINK(\"\"http://evil.example\"\";\"\"clic\"\")\";PER;América Latina;Municipio;2024-01-15;activo;a@b.example;es\n\
         <script>alert(1)</script>;Francia;Europa;;15/02/2025;engagé;+33@x.example;fr\n\
         @SUM(1+1);KEN;Africa;;2025-03-01;;-x@y.example;en\n\
         Atlantis City;Atlantis;;;2025-03-01;;;\n",
    )
    .expect("written");
    let (code, out, err) =
        run(hrcities().args(["pledges", "import"]).arg(&register).arg("--store").arg(&store));
    assert_eq!(code, 3, "a row could not be imported: {out}{err}");
    assert!(
        err.contains("row 5") && err.contains("Atlantis") && err.contains("E-PLEDGE-COUNTRY"),
        "{err}"
    );
    assert!(err.contains("→ write the country's name"), "a hint: {err}");

    // Kept as written, in JSON and text.
    let (_, json, _) = cli(&store, &["--format", "json", "pledges", "list"]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    let names: Vec<&str> =
        json.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"=HYPERLINK(\"http://evil.example\";\"clic\")"), "{names:?}");
    assert!(names.contains(&"<script>alert(1)</script>"), "{names:?}");
    let (_, text, _) = cli(&store, &["pledges", "list"]);
    assert!(text.contains("<script>alert(1)</script>"), "{text}");

    // Guarded in CSV: a spreadsheet never runs a cell as a formula.
    for args in [
        &["--format", "csv", "pledges", "list"][..],
        &["--format", "csv", "status", "--year", "2025"][..],
    ] {
        let (code, csv, err) = cli(&store, args);
        assert_eq!(code, 0, "{err}");
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        for rec in r.records() {
            for cell in rec.expect("row").iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@']),
                    "{args:?}: an unguarded cell {cell:?}"
                );
            }
        }
        assert!(csv.contains("'=HYPERLINK("), "{csv}");
        assert!(csv.contains("'@SUM(1+1)"), "{csv}");
        assert!(csv.contains("<script>alert(1)</script>"), "kept literally: {csv}");
    }
    let (_, csv, _) = cli(&store, &["--format", "csv", "status", "--year", "2025"]);
    assert!(csv.contains("'-x@y.example"), "{csv}");
    let (_, table, _) = cli(&store, &["--format", "table", "status", "--year", "2025"]);
    assert!(table.starts_with("2025: 3 government(s) expected"), "{table}");
}
