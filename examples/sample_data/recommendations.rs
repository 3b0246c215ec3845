//! The sample UN recommendations (`sample-recommendations/`): a small export in the format
//! of OHCHR's Universal Human Rights Index, with the real export's columns and quirks
//! (shared/reference/facts.md §9: the misspelt `Reccomending Body`, `- ` before each value,
//! one value per line, Excel serial dates, UUID annotation ids), and a plain CSV such as a
//! national recommendations tracking database gives.
//!
//! Every text is invented and says so; the document symbols, paragraph numbers, sessions
//! and dates are invented too and cite no real document.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

/// The marker every fictional text ends with.
const FICTIONAL: &str = "[Fictional sample text]";

/// One row of the fictional UHRI export.
struct Row {
    id: &'static str,
    country: &'static str,
    region: &'static str,
    body: &'static str,
    symbol: &'static str,
    /// The text as UHRI gives it, starting with the paragraph number.
    text: &'static str,
    themes: &'static [&'static str],
    affected: &'static [&'static str],
    /// SDG targets with their titles, as UHRI writes them.
    sdgs: &'static [&'static str],
    date: (i32, u32, u32),
    states: &'static [&'static str],
    position: &'static str,
    kind: &'static str,
    session: Option<u32>,
}

const LAC: &str = "Latin America and the Caribbean";
const WEOG: &str = "Western European and Others";
const AFRICA: &str = "Africa";
const ASIA: &str = "Asia-Pacific";

const HOUSING_SDG: &str = "11.1 - By 2030, ensure access for all to adequate, safe and affordable housing and basic services and upgrade slums";
const WATER_SDG: &str = "6.1 - By 2030, achieve universal and equitable access to safe and affordable drinking water for all";
const SANITATION_SDG: &str =
    "6.2 - By 2030, achieve access to adequate and equitable sanitation and hygiene for all";
const INSTITUTIONS_SDG: &str =
    "16.10 - Ensure public access to information and protect fundamental freedoms";
const PARTICIPATION_SDG: &str = "16.7 - Ensure responsive, inclusive, participatory and representative decision-making at all levels";
const WOMEN_SDG: &str =
    "5.5 - Ensure women's full and effective participation and equal opportunities for leadership";
const VIOLENCE_SDG: &str = "5.2 - Eliminate all forms of violence against all women and girls";
const EDUCATION_SDG: &str = "4.1 - By 2030, ensure that all girls and boys complete free, equitable and quality primary and secondary education";
const EARLY_SDG: &str = "4.2 - By 2030, ensure that all girls and boys have access to quality early childhood development";
const HEALTH_SDG: &str = "3.8 - Achieve universal health coverage";
const MATERNAL_SDG: &str = "3.1 - By 2030, reduce the global maternal mortality ratio";
const EQUALITY_SDG: &str = "10.3 - Ensure equal opportunity and reduce inequalities of outcome";
const TRANSPORT_SDG: &str = "11.2 - By 2030, provide access to safe, affordable, accessible and sustainable transport systems for all";
const DISASTER_SDG: &str = "11.b - Increase the number of cities adopting integrated policies towards resilience to disasters";
const VIOLENCE16_SDG: &str =
    "16.1 - Significantly reduce all forms of violence and related death rates everywhere";
const ENERGY_SDG: &str =
    "7.1 - By 2030, ensure universal access to affordable, reliable and modern energy services";

const ROWS: &[Row] = &[
    // Colombia: the UPR's latest cycle (session 44), the cycle before (30), CESCR, CRC
    // and a special procedure whose theme the framework does not cover.
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c001",
        country: "Colombia",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/96/12",
        text: "121.12 Strengthen the housing policy for internally displaced persons living in urban areas, including security of tenure and access to basic services.",
        themes: &["Right to adequate housing", "Land & property rights"],
        affected: &["Internally displaced persons"],
        sdgs: &[HOUSING_SDG],
        date: (2024, 3, 21),
        states: &["Uruguay"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(44),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c002",
        country: "Colombia",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/96/12",
        text: "121.37 Ensure that municipalities have the resources to extend safe drinking water and sanitation to informal settlements.",
        themes: &["Safe drinking water & sanitation"],
        affected: &["Persons living in poverty"],
        sdgs: &[WATER_SDG, SANITATION_SDG],
        date: (2024, 3, 21),
        states: &["Spain", "Portugal"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(44),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c003",
        country: "Colombia",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/96/12",
        text: "121.58 Guarantee the protection of social leaders and human rights defenders, including through local early-warning and protection measures.",
        themes: &["Right to life", "Freedom of association"],
        affected: &["Human rights defenders"],
        sdgs: &[INSTITUTIONS_SDG],
        date: (2024, 3, 21),
        states: &["Norway", "Ireland"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(44),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c004",
        country: "Colombia",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/96/12",
        text: "121.90 Adopt a protocol on the right to peaceful assembly that prevents the excessive use of force during protests.",
        themes: &["Right to peaceful assembly"],
        affected: &[],
        sdgs: &[INSTITUTIONS_SDG],
        date: (2024, 3, 21),
        states: &["Germany"],
        position: "Noted",
        kind: "Recommendation",
        session: Some(44),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c005",
        country: "Colombia",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/96/12",
        text: "121.114 Strengthen the participation of women, Afro-Colombian and Indigenous communities in local decision-making.",
        themes: &[
            "Right to participate in public affairs & right to vote",
            "Discrimination against women",
        ],
        affected: &["Women & girls", "Indigenous peoples", "People of African descent"],
        sdgs: &[PARTICIPATION_SDG, WOMEN_SDG],
        date: (2024, 3, 21),
        states: &["Chile"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(44),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c006",
        country: "Colombia",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/89/6",
        text: "120.45 Continue efforts to eradicate child labour, in particular in rural areas.",
        themes: &["Labour rights and right to work"],
        affected: &["Children", "Persons living in rural areas"],
        sdgs: &[],
        date: (2019, 3, 14),
        states: &["Philippines"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(30),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c007",
        country: "Colombia",
        region: LAC,
        body: "CESCR",
        symbol: "E/C.12/COL/CO/9",
        text: "34. The Committee recommends that the State party adopt a rights-based housing policy that gives municipalities the means to prevent forced evictions.",
        themes: &["Right to adequate housing"],
        affected: &[],
        sdgs: &[HOUSING_SDG],
        date: (2025, 10, 17),
        states: &[],
        position: "",
        kind: "Concerns/Observations",
        session: None,
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c008",
        country: "Colombia",
        region: LAC,
        body: "CESCR",
        symbol: "E/C.12/COL/CO/9",
        text: "52. The Committee recommends that the State party ensure access to primary health care in rural and peripheral urban areas.",
        themes: &["Right to health"],
        affected: &["Persons living in rural areas"],
        sdgs: &[HEALTH_SDG],
        date: (2025, 10, 17),
        states: &[],
        position: "",
        kind: "Concerns/Observations",
        session: None,
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c009",
        country: "Colombia",
        region: LAC,
        body: "CRC",
        symbol: "CRC/C/COL/CO/8-9",
        text: "41. The Committee recommends that the State party ensure inclusive early childhood education in every municipality.",
        themes: &["Right to education"],
        affected: &["Children"],
        sdgs: &[EARLY_SDG],
        date: (2026, 2, 6),
        states: &[],
        position: "",
        kind: "Recommendation",
        session: None,
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000c010",
        country: "Colombia",
        region: LAC,
        body: "SR on the right to privacy",
        symbol: "A/HRC/95/37/Add.1",
        text: "88. Regulate the use of surveillance cameras in public spaces by public authorities.",
        themes: &["Private life & privacy"],
        affected: &[],
        sdgs: &[],
        date: (2025, 2, 28),
        states: &[],
        position: "",
        kind: "Recommendation",
        session: None,
    },
    // Mexico: the UPR (session 45); two more come from the national tracker (CSV).
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000e001",
        country: "Mexico",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/97/8",
        text: "130.21 Strengthen the search for disappeared persons, with the participation of their families and of local authorities.",
        themes: &["Right to life", "Civil & political rights - general measures of implementation"],
        affected: &["Disappeared persons"],
        sdgs: &[VIOLENCE16_SDG],
        date: (2024, 7, 4),
        states: &["Argentina"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(45),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000e002",
        country: "Mexico",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/97/8",
        text: "130.66 Guarantee access to safe drinking water for Indigenous peoples and peri-urban communities.",
        themes: &["Safe drinking water & sanitation"],
        affected: &["Indigenous peoples"],
        sdgs: &[WATER_SDG],
        date: (2024, 7, 4),
        states: &["France"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(45),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000e003",
        country: "Mexico",
        region: LAC,
        body: "UPR",
        symbol: "A/HRC/97/8",
        text: "130.102 Adopt a national care system that recognises unpaid care work and is implemented with local governments.",
        themes: &["Discrimination against women", "Right to social security"],
        affected: &["Women & girls"],
        sdgs: &[],
        date: (2024, 7, 4),
        states: &["Colombia"],
        position: "Noted",
        kind: "Recommendation",
        session: Some(45),
    },
    // Spain.
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000a001",
        country: "Spain",
        region: WEOG,
        body: "UPR",
        symbol: "A/HRC/98/14",
        text: "140.33 Intensify efforts to guarantee access to affordable housing, in particular for young people and migrants.",
        themes: &["Right to adequate housing"],
        affected: &["Youth", "Migrants"],
        sdgs: &[HOUSING_SDG],
        date: (2025, 6, 12),
        states: &["Portugal"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(48),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000a002",
        country: "Spain",
        region: WEOG,
        body: "UPR",
        symbol: "A/HRC/98/14",
        text: "140.71 Strengthen measures against hate speech and racial discrimination, including at the local level.",
        themes: &["Equality & non-discrimination"],
        affected: &["Persons affected by racial discrimination"],
        sdgs: &[EQUALITY_SDG],
        date: (2025, 6, 12),
        states: &["Senegal"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(48),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000a003",
        country: "Spain",
        region: WEOG,
        body: "UPR",
        symbol: "A/HRC/98/14",
        text: "140.120 Ensure that migrant children, whatever their status, are enrolled in school without delay.",
        themes: &["Right to education"],
        affected: &["Children", "Migrants"],
        sdgs: &[EDUCATION_SDG],
        date: (2025, 6, 12),
        states: &["Mexico"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(48),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000a004",
        country: "Spain",
        region: WEOG,
        body: "CESCR",
        symbol: "E/C.12/ESP/CO/7",
        text: "19. The Committee recommends that the State party protect households in energy poverty from disconnection.",
        themes: &["Right to an adequate standard of living"],
        affected: &["Persons living in poverty"],
        sdgs: &[ENERGY_SDG],
        date: (2025, 3, 7),
        states: &[],
        position: "",
        kind: "Concerns/Observations",
        session: None,
    },
    // France.
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000f001",
        country: "France",
        region: WEOG,
        body: "UPR",
        symbol: "A/HRC/96/5",
        text: "134.15 Strengthen the fight against discrimination in access to housing and employment.",
        themes: &["Equality & non-discrimination", "Right to adequate housing"],
        affected: &[],
        sdgs: &[EQUALITY_SDG],
        date: (2024, 1, 26),
        states: &["Canada"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(43),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000f002",
        country: "France",
        region: WEOG,
        body: "UPR",
        symbol: "A/HRC/96/5",
        text: "134.88 Ensure access to water and sanitation for people living in informal settlements and on Traveller sites.",
        themes: &["Safe drinking water & sanitation"],
        affected: &["Travellers"],
        sdgs: &[SANITATION_SDG],
        date: (2024, 1, 26),
        states: &["Kenya"],
        position: "Noted",
        kind: "Recommendation",
        session: Some(43),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000f003",
        country: "France",
        region: WEOG,
        body: "CEDAW",
        symbol: "CEDAW/C/FRA/CO/10",
        text: "32. The Committee recommends that the State party achieve the equal representation of women in the executive bodies of local governments.",
        themes: &[
            "Discrimination against women",
            "Right to participate in public affairs & right to vote",
        ],
        affected: &["Women & girls"],
        sdgs: &[WOMEN_SDG],
        date: (2025, 11, 3),
        states: &[],
        position: "",
        kind: "Recommendation",
        session: None,
    },
    // Kenya.
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000b001",
        country: "Kenya",
        region: AFRICA,
        body: "UPR",
        symbol: "A/HRC/98/9",
        text: "142.19 Ensure that county governments provide adequate water and sanitation services in informal settlements.",
        themes: &["Safe drinking water & sanitation"],
        affected: &["Persons living in poverty"],
        sdgs: &[WATER_SDG, SANITATION_SDG],
        date: (2025, 6, 30),
        states: &["Netherlands (Kingdom of the)"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(49),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000b002",
        country: "Kenya",
        region: AFRICA,
        body: "UPR",
        symbol: "A/HRC/98/9",
        text: "142.45 Prevent forced evictions and provide adequate alternative housing to those evicted.",
        themes: &["Right to adequate housing", "Land & property rights"],
        affected: &[],
        sdgs: &[HOUSING_SDG],
        date: (2025, 6, 30),
        states: &["Brazil"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(49),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000b003",
        country: "Kenya",
        region: AFRICA,
        body: "UPR",
        symbol: "A/HRC/98/9",
        text: "142.77 Strengthen the prevention of sexual and gender-based violence, including shelters in every county.",
        themes: &["Sexual & gender-based violence"],
        affected: &["Women & girls"],
        sdgs: &[VIOLENCE_SDG],
        date: (2025, 6, 30),
        states: &["Sweden", "Iceland"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(49),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000b004",
        country: "Kenya",
        region: AFRICA,
        body: "CRPD",
        symbol: "CRPD/C/KEN/CO/2-3",
        text: "24. The Committee recommends that the State party make public buildings and public transport accessible to persons with disabilities.",
        themes: &["Equality & non-discrimination"],
        affected: &["Persons with disabilities"],
        sdgs: &[TRANSPORT_SDG],
        date: (2025, 9, 19),
        states: &[],
        position: "",
        kind: "Concerns/Observations",
        session: None,
    },
    // Senegal, issued in French.
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000d001",
        country: "Senegal",
        region: AFRICA,
        body: "UPR",
        symbol: "A/HRC/97/15",
        text: "118.30 Poursuivre les efforts pour garantir l'accès à l'éducation de tous les enfants, y compris les enfants talibés.",
        themes: &["Right to education"],
        affected: &["Children"],
        sdgs: &[EDUCATION_SDG],
        date: (2024, 8, 2),
        states: &["Rwanda"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(45),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000d002",
        country: "Senegal",
        region: AFRICA,
        body: "UPR",
        symbol: "A/HRC/97/15",
        text: "118.52 Renforcer l'accès aux soins de santé maternelle dans les zones urbaines et rurales.",
        themes: &["Right to health", "Sexual & reproductive health and rights"],
        affected: &["Women & girls"],
        sdgs: &[MATERNAL_SDG],
        date: (2024, 8, 2),
        states: &["Morocco"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(45),
    },
    // The Philippines.
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000g001",
        country: "Philippines",
        region: ASIA,
        body: "UPR",
        symbol: "A/HRC/95/17",
        text: "153.62 Ensure that local disaster risk reduction plans protect the most vulnerable, including persons with disabilities.",
        themes: &["Right to an adequate standard of living"],
        affected: &["Persons with disabilities"],
        sdgs: &[DISASTER_SDG],
        date: (2023, 3, 30),
        states: &["Japan"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(41),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000g002",
        country: "Philippines",
        region: ASIA,
        body: "UPR",
        symbol: "A/HRC/95/17",
        text: "153.90 Ensure access to quality education for children in remote and island communities.",
        themes: &["Right to education"],
        affected: &["Children"],
        sdgs: &[EDUCATION_SDG],
        date: (2023, 3, 30),
        states: &["Indonesia"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(41),
    },
    // Canada.
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000h001",
        country: "Canada",
        region: WEOG,
        body: "UPR",
        symbol: "A/HRC/96/16",
        text: "112.40 Address homelessness through a human rights-based approach, together with provinces, territories and municipalities.",
        themes: &["Right to adequate housing"],
        affected: &["Persons living in poverty"],
        sdgs: &[HOUSING_SDG],
        date: (2024, 4, 5),
        states: &["Finland"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(44),
    },
    Row {
        id: "5a3e0c01-2027-4f00-8a00-00000000h002",
        country: "Canada",
        region: WEOG,
        body: "UPR",
        symbol: "A/HRC/96/16",
        text: "112.101 Ensure safe drinking water in all Indigenous communities.",
        themes: &["Safe drinking water & sanitation"],
        affected: &["Indigenous peoples"],
        sdgs: &[WATER_SDG],
        date: (2024, 4, 5),
        states: &["Kenya"],
        position: "Supported",
        kind: "Recommendation",
        session: Some(44),
    },
];

/// The plain CSV of a fictional national tracking database: two recommendations to
/// Mexico, in Spanish, that the UHRI export above does not have.
const TRACKER_CSV: &str = "\
id,text,mechanism,body,symbol,paragraph,date,themes,sdgs,position,country
MX-SEG-0418,\"Garantizar que los municipios cuenten con refugios para mujeres víctimas de violencia y con personal capacitado. [Texto ficticio de ejemplo]\",treaty body,CEDAW,CEDAW/C/MEX/CO/11,18,2025-05-23,Sexual & gender-based violence,5.2,,MEX
MX-SEG-0533,\"Asegurar la accesibilidad del transporte público y de los edificios municipales para las personas con discapacidad. [Texto ficticio de ejemplo]\",treaty body,CRPD,CRPD/C/MEX/CO/4,14,2025-09-12,Equality & non-discrimination,11.2,,MEX
";

/// The export's file name in `sample-recommendations/`.
pub const UHRI_FILE: &str = "uhri-export-sample.xlsx";
/// The plain CSV's file name.
pub const TRACKER_FILE: &str = "national-tracker-sample.csv";

/// Days from 0000-03-01 (proleptic Gregorian) to `y-m-d`.
fn days(y: i32, m: u32, d: u32) -> i64 {
    let (y, m) = if m <= 2 { (i64::from(y) - 1, m + 9) } else { (i64::from(y), m - 3) };
    365 * y + y / 4 - y / 100 + y / 400 + (153 * i64::from(m) + 2) / 5 + i64::from(d)
}

/// The Excel serial number of a date (1900 date system).
fn serial((y, m, d): (i32, u32, u32)) -> f64 {
    (days(y, m, d) - days(1899, 12, 30)) as f64
}

/// `- a\n- b`, as UHRI writes a cell of several values.
fn dashed(values: &[&str]) -> String {
    values.iter().map(|v| format!("- {v}")).collect::<Vec<_>>().join("\n")
}

/// Writes the fictional UHRI export and the national tracker's CSV in `dir`.
pub fn write(dir: &Path) {
    std::fs::create_dir_all(dir).expect("the output folder can be made");
    let header = [
        "Text",
        "Countries Concerned",
        "Reccomending Body",
        "Document Symbol",
        "Themes",
        "Affected Persons",
        "Sdgs",
        "Document Publication Date",
        "UPR Reccomending States",
        "UPR Position",
        "Type",
        "OHCHR Annotation Id",
        "UPR Session",
        "Regions Concerned",
        "Recommending Regions",
        "Date of publication on UHRI",
    ];
    // "Recommending Regions" (column O) is left blank: the sample does not say which
    // regional group each recommending state belongs to.
    let mut wb = Workbook::new();
    // A fixed creation date, so that the same rows give the same bytes.
    let created = ExcelDateTime::from_ymd(2027, 1, 15).expect("a date");
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let ws = wb.add_worksheet();
    ws.set_name("Export").expect("sheet name");
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (i, r) in ROWS.iter().enumerate() {
        let row = i as u32 + 1;
        let text = format!("{} {FICTIONAL}", r.text);
        let cells: [(u16, String); 13] = [
            (0, text),
            (1, dashed(&[r.country])),
            (2, dashed(&[r.body])),
            (3, r.symbol.to_string()),
            (4, dashed(r.themes)),
            (5, dashed(r.affected)),
            (6, dashed(r.sdgs)),
            (8, dashed(r.states)),
            (9, if r.position.is_empty() { String::new() } else { dashed(&[r.position]) }),
            (10, dashed(&[r.kind])),
            (11, r.id.to_string()),
            (12, r.session.map_or_else(String::new, |s| format!("- {s}"))),
            (13, dashed(&[r.region])),
        ];
        for (c, v) in cells {
            if !v.is_empty() {
                ws.write_string(row, c, v).expect("cell");
            }
        }
        ws.write_number(row, 7, serial(r.date)).expect("date");
        // Published on UHRI some weeks later, at a time of day.
        ws.write_number(row, 15, serial(r.date) + 41.4996).expect("date");
    }
    wb.save(dir.join(UHRI_FILE)).expect("the export is written");
    std::fs::write(dir.join(TRACKER_FILE), TRACKER_CSV).expect("the CSV is written");
}

#[cfg(test)]
mod tests {
    #[test]
    fn serials_match_excel() {
        assert_eq!(super::serial((2026, 2, 24)), 46077.0);
        assert_eq!(super::serial((1900, 3, 1)), 61.0);
    }
}
