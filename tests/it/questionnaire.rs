//! `hrcities questionnaire` driven as a user would: the real binary writes the workbook in
//! each language, and calamine (the reader's library) opens it.

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Reader};

use crate::common::hrcities;

fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether cell `c` holds the text `s`.
fn is(c: &Data, s: &str) -> bool {
    matches!(c, Data::String(x) if x == s)
}

/// The value in the column headed `answer` of the row whose first column holds `id`.
fn answer(range: &calamine::Range<Data>, id: &str, answer: &str) -> Option<Data> {
    let header = range.rows().position(|r| r.iter().any(|c| is(c, "ID")))?;
    let col = range.rows().nth(header)?.iter().position(|c| is(c, answer))?;
    let row = range.rows().find(|r| r.first().is_some_and(|c| is(c, id)))?;
    row.get(col).cloned()
}

#[test]
fn writes_a_workbook_in_each_language() {
    let dir = tempfile::tempdir().expect("temp");
    for (lang, instructions, answer_header) in [
        ("en", "Instructions", "Answer"),
        ("es", "Instrucciones", "Respuesta"),
        ("fr", "Mode d'emploi", "Réponse"),
    ] {
        let path = dir.path().join(format!("questionnaire-{lang}.xlsx"));
        let (code, _, err) =
            output(hrcities().args(["questionnaire", "--lang", lang, "-o"]).arg(&path));
        assert_eq!(code, 0, "{lang}: {err}");
        assert!(err.contains("questionnaire-"), "{lang}: says what it wrote: {err}");
        let mut wb = open_workbook_auto(&path).expect("calamine opens it");
        let names = wb.sheet_names();
        assert_eq!(names.first().map(String::as_str), Some(instructions), "{names:?}");
        assert_eq!(names.last().map(String::as_str), Some("_hrcities"), "{names:?}");
        assert!(names.len() >= 12, "{names:?}");
        let profile = wb.worksheet_range(&names[1]).expect("profile sheet");
        assert_eq!(answer(&profile, "city_name", answer_header), Some(Data::Empty));
        let meta = wb.worksheet_range("_hrcities").expect("meta sheet");
        assert!(meta.rows().any(|r| r.len() > 1 && is(&r[0], "language") && is(&r[1], lang)));
    }
}

#[test]
fn the_profile_can_be_filled_in_ahead() {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("villa.xlsx");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--lang", "es", "-o"])
            .arg(&path)
            .args(["--city-name", "Villa Esperanza", "--country", "ESP"])
            .args(["--region", "Europa", "--government-level", "municipality"])
            .args(["--population", "48200", "--reporting-year", "2026"])
            .args(["--contact-email", "derechos@villa-esperanza.example"]),
    );
    assert_eq!(code, 0, "{err}");
    let mut wb = open_workbook_auto(&path).expect("opens");
    let profile = wb.worksheet_range("Perfil").expect("profile");
    let get = |id: &str| answer(&profile, id, "Respuesta");
    assert_eq!(get("city_name"), Some(Data::String("Villa Esperanza".into())));
    assert_eq!(get("country"), Some(Data::String("ESP".into())));
    assert_eq!(get("region"), Some(Data::String("Europa".into())));
    assert_eq!(get("government_level"), Some(Data::String("Municipio".into())));
    assert_eq!(get("population"), Some(Data::Float(48200.0)));
    assert_eq!(get("reporting_year"), Some(Data::Float(2026.0)));

    // An unknown code is refused with the valid ones.
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "-o"])
            .arg(dir.path().join("x.xlsx"))
            .args(["--region", "atlantis"]),
    );
    assert_eq!(code, 1);
    assert!(err.contains("atlantis") && err.contains("latin_america"), "{err}");
}

#[test]
fn help_explains_the_command_with_an_example() {
    let (code, out, _) = output(hrcities().args(["questionnaire", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("Example") && out.contains("hrcities questionnaire"), "{out}");
    let (code, _, _) = output(hrcities().args(["questionnaire"]));
    assert_eq!(code, 2, "-o is required");
}

/// The blank workbook opened by LibreOffice (converted headless to .ods) keeps every data
/// validation and every question text. Needs `soffice`; CI installs it and sets
/// HRCITIES_REQUIRE_TOOLS=1 so that a missing LibreOffice fails instead of skipping.
#[test]
fn libreoffice_keeps_the_validations_and_texts_of_the_blank_workbook() {
    use calamine::{open_workbook_auto, Data, Reader};
    use std::io::Read;

    let soffice = std::process::Command::new("soffice").arg("--version").output();
    if soffice.is_err() {
        assert!(
            std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
            "LibreOffice (soffice) is required but not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    }
    let loaded = hrcities::framework::load_embedded(hrcities::i18n::Lang::En);
    let fw = loaded.framework;
    let dir = tempfile::tempdir().expect("temp");
    for lang in hrcities::i18n::Lang::ALL {
        let xlsx = dir.path().join(format!("blank-{lang}.xlsx"));
        hrcities::questionnaire::write::write_workbook(
            &fw,
            lang,
            &Default::default(),
            &Default::default(),
            &xlsx,
        )
        .expect("writes");
        let status = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "ods", "--outdir"])
            .arg(dir.path())
            .arg(&xlsx)
            .output()
            .expect("soffice runs");
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let ods = dir.path().join(format!("blank-{lang}.ods"));

        // Every answer cell keeps its validation.
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&ods).expect("ods")).expect("zip");
        let mut content = String::new();
        zip.by_name("content.xml")
            .expect("content.xml")
            .read_to_string(&mut content)
            .expect("utf-8");
        let validations = content.matches("<table:content-validation ").count();
        assert!(validations >= fw.questions.len(), "{lang}: {validations} validations");

        // Every question id and text is still there.
        let mut wb = open_workbook_auto(&ods).expect("opens");
        let mut cells = Vec::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).expect("sheet");
            cells.extend(range.used_cells().filter_map(|(_, _, d)| match d {
                Data::String(s) => Some(s.clone()),
                _ => None,
            }));
        }
        for q in fw.questions.iter().filter(|q| q.on_sheet()) {
            assert!(cells.iter().any(|c| c == &q.id), "{lang}: {} missing", q.id);
            let text = q.text.get(lang);
            assert!(cells.iter().any(|c| c.starts_with(text)), "{lang}: text of {} changed", q.id);
        }
    }
}
