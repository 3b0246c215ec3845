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
