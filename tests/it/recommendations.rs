//! UN recommendations (Contract 6): a city's workbook lists its country's
//! recommendations; the follow-up written in it comes back through the reader and the
//! validator (statuses in any language, an unknown status and an id the workbook did not
//! list reported at their cells) and gives the derived values formulas use.

use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;
use hrcities::questionnaire::answer::Value;
use hrcities::questionnaire::fill::{CellValue, Fill, FollowUp, Layout};
use hrcities::questionnaire::read::read_workbook;
use hrcities::questionnaire::write::write_workbook;
use hrcities::recommend::{for_country, link, listed, Mechanism, Recommendation};
use hrcities::store::ResponseStatus;
use hrcities::validate::validate;

fn rec(
    id: &str,
    country: &str,
    themes: &[&str],
    session: Option<u32>,
    para: &str,
) -> Recommendation {
    Recommendation {
        id: id.into(),
        countries: vec![country.into()],
        mechanism: if session.is_some() { Mechanism::Upr } else { Mechanism::TreatyBody },
        body: if session.is_some() { "UPR".into() } else { "CESCR".into() },
        symbol: if session.is_some() { "A/HRC/99/1".into() } else { "E/C.12/COL/CO/9".into() },
        paragraph: Some(para.into()),
        date: Some("2024-03-28".into()),
        kind: Some("Recommendation".into()),
        themes: themes.iter().map(|t| t.to_string()).collect(),
        affected: vec![],
        sdgs: vec!["11.1".into()],
        position: session.map(|_| "supported".into()),
        recommending_states: session.map_or_else(Vec::new, |_| vec!["Fictionland".into()]),
        upr_session: session,
        text: format!("{para} (Fictional test recommendation) Ensure adequate housing."),
        source_file: "test.xlsx".into(),
        source_sha256: "0".repeat(64),
        source_row: 2,
        imported_at: "2026-12-01T00:00:00Z".into(),
        updated_at: "2026-12-01T00:00:00Z".into(),
    }
}

#[test]
fn a_workbook_lists_the_country_recommendations_and_reads_back_their_follow_up() {
    let fw = load_embedded(Lang::En).framework;
    let all = vec![
        rec("cescr-1", "COL", &["Right to adequate housing"], None, "23"),
        rec("upr-old", "COL", &["Right to adequate housing"], Some(30), "111.2"),
        rec("upr-9", "COL", &["Right to adequate housing"], Some(44), "121.9"),
        rec("upr-37", "COL", &["Right to adequate housing"], Some(44), "121.37"),
        rec("ken-1", "KEN", &["Right to adequate housing"], Some(44), "5.1"),
    ];
    assert!(!link(&fw, &all[0]).is_empty(), "the housing theme links to a right");
    let recs = for_country(&fw, &all, "COL");
    let ids: Vec<&str> = recs.iter().map(|r| r.id.as_str()).collect();
    // The latest UPR session first (by paragraph number), the treaty body's latest
    // concluding observations, then the older cycle; another country's are not listed.
    assert_eq!(ids, ["upr-9", "upr-37", "cescr-1", "upr-old"]);

    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("villa.xlsx");
    let mut fill = Fill::default();
    fill.answer("country", CellValue::Text("COL".into()));
    fill.recommendations = listed(&fw, &recs, Lang::Es);
    fill.recommendations_country = Some("COL".into());
    let follow = |competence: &str, status: &str| FollowUp {
        competence: Some(competence.into()),
        status: Some(status.into()),
        department: Some("Secretaría de Vivienda".into()),
        action: Some("Se aprobó un plan.".into()),
        ..FollowUp::default()
    };
    fill.followup.insert("upr-9".into(), follow("yes", "in_progress"));
    fill.followup.insert("upr-37".into(), follow("partly", "implemented"));
    fill.followup.insert("cescr-1".into(), follow("yes", "Pendiente"));
    fill.followup.insert("upr-old".into(), follow("no", "not_started"));
    write_workbook(&fw, Lang::Es, &fill, &Layout::default(), &path).expect("written");

    let wb = read_workbook(&path, &fw).expect("read");
    assert_eq!(wb.followup_sheet.as_deref(), Some("Recomendaciones ONU"));
    assert_eq!(wb.followup.len(), 4, "{:?}", wb.followup);
    let checked = validate(&fw, &wb, Lang::En);
    let codes: Vec<(&str, String)> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.contains("REC"))
        .map(|d| (d.code.as_str(), d.place()))
        .collect();
    // The unknown status is an error at its cell (row 7: title, summary, blank, header, then
    // the third recommendation), in column I (the status column).
    assert_eq!(codes, [("E-REC-STATUS", "Recomendaciones ONU!I7".to_string())], "{codes:?}");
    let by_id = |id: &str| checked.followup.iter().find(|f| f.recommendation == id).expect(id);
    assert_eq!(by_id("upr-9").status.as_deref(), Some("in_progress"));
    assert_eq!(by_id("upr-37").competence.as_deref(), Some("partly"));
    assert_eq!(by_id("cescr-1").status_raw, "Pendiente");
    assert_eq!(by_id("upr-9").department.as_deref(), Some("Secretaría de Vivienda"));
    let value = |id: &str| match &checked.answer(id).expect(id).value {
        Some(Value::Number(n)) => *n,
        other => panic!("{id}: {other:?}"),
    };
    // Relevant: upr-9 and upr-37 (cescr-1 is kept out until its status is corrected;
    // upr-old is outside local competence).
    assert_eq!(value("REC_RELEVANT"), 2.0);
    assert_eq!(value("REC_IN_PROGRESS"), 1.0);
    assert_eq!(value("REC_IMPLEMENTED"), 1.0);

    // Next year's workbook starts from these statuses (the unknown one as written).
    let next = checked.to_fill(&fw);
    assert_eq!(next.followup["upr-9"].status.as_deref(), Some("in_progress"));
    assert_eq!(next.followup["cescr-1"].status.as_deref(), Some("Pendiente"));
}

#[test]
fn a_row_the_workbook_did_not_list_is_kept_with_a_warning() {
    let fw = load_embedded(Lang::En).framework;
    let all = vec![rec("upr-9", "COL", &["Right to adequate housing"], Some(44), "121.9")];
    let recs = for_country(&fw, &all, "COL");
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("villa.xlsx");
    let mut fill = Fill { recommendations: listed(&fw, &recs, Lang::En), ..Fill::default() };
    // The city typed over the id.
    fill.recommendations[0].id = "not-in-the-store".into();
    fill.recommendations_country = Some("COL".into());
    fill.followup.insert(
        "not-in-the-store".into(),
        FollowUp {
            competence: Some("yes".into()),
            status: Some("implemented".into()),
            ..Default::default()
        },
    );
    write_workbook(&fw, Lang::En, &fill, &Layout::default(), &path).expect("written");
    // The hidden sheet lists what the analyst sent: rewrite it with the store's id.
    let wb = {
        let mut wb = read_workbook(&path, &fw).expect("read");
        if let Some(t) = wb.template.as_mut() {
            t.recommendations = vec!["upr-9".into()];
        }
        wb
    };
    let checked = validate(&fw, &wb, Lang::En);
    let unknown: Vec<_> =
        checked.diagnostics.iter().filter(|d| d.code == "W-REC-UNKNOWN").collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].place(), "UN recommendations!A5");
    assert_eq!(checked.followup[0].diagnostic.as_deref(), Some("W-REC-UNKNOWN"));
    assert_eq!(checked.answer("REC_RELEVANT").expect("derived").value, Some(Value::Number(0.0)));

    // Without a recommendations sheet the derived values were not asked.
    let plain = dir.path().join("plain.xlsx");
    write_workbook(&fw, Lang::En, &Fill::default(), &Layout::default(), &plain).expect("written");
    let checked = validate(&fw, &read_workbook(&plain, &fw).expect("read"), Lang::En);
    assert_eq!(checked.answer("REC_RELEVANT").expect("derived").status, ResponseStatus::NotAsked);
}

/// `hrcities recommendations import` on the sample export and the sample tracker's CSV:
/// the counts per country and mechanism, every field as the reports need it (ISO dates,
/// lists split, UHRI's `- ` prefixes and SDG titles gone), and nothing added the second
/// time.
#[test]
fn the_sample_export_imports_once_with_every_field_parsed() {
    use crate::common::{hrcities, root};
    let store = tempfile::tempdir().expect("temp");
    let files = [
        root().join("sample-recommendations/uhri-export-sample.xlsx"),
        root().join("sample-recommendations/national-tracker-sample.csv"),
    ];
    let import = || {
        let out = hrcities()
            .args(["recommendations", "import"])
            .args(&files)
            .arg("--store")
            .arg(store.path())
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let first = import();
    assert!(first.contains("30 recommendations read: 30 added, 0 updated, 0 unchanged"), "{first}");
    assert!(first.contains("2 recommendations read: 2 added, 0 updated, 0 unchanged"), "{first}");
    let counts: Vec<String> = first
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        counts,
        [
            "CAN Universal Periodic Review 2",
            "COL Universal Periodic Review 6",
            "COL Treaty body 3",
            "COL Special procedure 1",
            "ESP Universal Periodic Review 3",
            "ESP Treaty body 1",
            "FRA Universal Periodic Review 2",
            "FRA Treaty body 1",
            "KEN Universal Periodic Review 3",
            "KEN Treaty body 1",
            "MEX Universal Periodic Review 3",
            "PHL Universal Periodic Review 2",
            "SEN Universal Periodic Review 2",
            "MEX Treaty body 2",
        ]
    );
    assert!(first.contains("32 recommendations in"), "{first}");
    assert!(first.contains("31 of them linked"), "{first}");

    let second = import();
    assert!(second.contains("30 recommendations read: 0 added, 0 updated, 30 unchanged"));
    assert!(second.contains("2 recommendations read: 0 added, 0 updated, 2 unchanged"));

    let out = hrcities()
        .args(["recommendations", "list", "--format", "json", "--store"])
        .arg(store.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(all.len(), 32);
    let by_id = |id: &str| {
        all.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id} listed")).clone()
    };
    let water = by_id("5a3e0c01-2027-4f00-8a00-00000000c002");
    assert_eq!(water["countries"], serde_json::json!(["COL"]));
    assert_eq!(water["mechanism"], "upr");
    assert_eq!(water["body"], "UPR");
    assert_eq!(water["symbol"], "A/HRC/96/12");
    assert_eq!(water["paragraph"], "121.37");
    assert_eq!(water["date"], "2024-03-21");
    assert_eq!(water["themes"], serde_json::json!(["Safe drinking water & sanitation"]));
    assert_eq!(water["affected"], serde_json::json!(["Persons living in poverty"]));
    assert_eq!(water["sdgs"], serde_json::json!(["6.1", "6.2"]));
    assert_eq!(water["position"], "supported");
    assert_eq!(water["recommending_states"], serde_json::json!(["Spain", "Portugal"]));
    assert_eq!(water["upr_session"], 44);
    assert_eq!(water["kind"], "Recommendation");
    let text = water["text"].as_str().expect("text");
    assert!(text.starts_with("121.37 Ensure that municipalities"), "{text}");
    let two = by_id("5a3e0c01-2027-4f00-8a00-00000000c005");
    assert_eq!(
        two["themes"],
        serde_json::json!([
            "Right to participate in public affairs & right to vote",
            "Discrimination against women"
        ])
    );
    let cescr = by_id("5a3e0c01-2027-4f00-8a00-00000000c007");
    assert_eq!(cescr["mechanism"], "treaty_body");
    assert_eq!(cescr["paragraph"], "34");
    assert_eq!(cescr["position"], serde_json::Value::Null);
    assert_eq!(cescr["date"], "2025-10-17");
    let tracker = by_id("MX-SEG-0418");
    assert_eq!(tracker["countries"], serde_json::json!(["MEX"]));
    assert_eq!(tracker["mechanism"], "treaty_body");
    assert_eq!(tracker["paragraph"], "18");
    assert_eq!(tracker["sdgs"], serde_json::json!(["5.2"]));
    // Nothing of UHRI's notation is left in any field.
    for r in &all {
        for field in ["body", "symbol", "kind", "position"] {
            let v = r[field].as_str().unwrap_or("");
            assert!(!v.starts_with('-'), "{field}: {v}");
        }
        for field in ["themes", "affected", "sdgs", "recommending_states", "countries"] {
            for v in r[field].as_array().expect("a list") {
                let v = v.as_str().expect("text");
                assert!(!v.starts_with('-') && !v.contains('\n'), "{field}: {v}");
                assert!(field != "sdgs" || !v.contains(' '), "{v}");
            }
        }
        let date = r["date"].as_str().expect("every sample row has a date");
        assert!(date.len() == 10 && date.as_bytes()[4] == b'-', "{date}");
    }
}
