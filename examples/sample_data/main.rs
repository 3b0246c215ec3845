//! Generates `sample-data/`: returns of fictional cities for 2025 and 2026 (made from the
//! template of framework 2026.1) and 2027 (from the current framework), in the three
//! languages, with the everyday flaws of real returns (listed in sample-data/README.md).
//!
//! `sample_data --synthetic N OUT [--no-breakdowns]` writes N synthetic returns for the
//! benchmark instead.
//!
//! Run through `scripts/make-sample-data.sh`, which also converts some files to .ods and
//! .xls with LibreOffice. The values are made up (deterministic pseudo-random numbers of
//! a plausible size, adjusted until the framework's consistency rules hold); the places
//! are fictional.

mod recommendations;

use std::collections::BTreeMap;
use std::path::PathBuf;

use hrcities::formula::{self, State};
use hrcities::framework::{load_embedded, Framework, Question, QuestionType, COMPETENCES};
use hrcities::i18n::Lang;
use hrcities::questionnaire::fill::{CellValue, Fill, FollowUp, Layout, Listed};
use hrcities::questionnaire::limits::Limits;
use hrcities::questionnaire::write::write_workbook;
use hrcities::recommend::import::import_file;
use hrcities::recommend::links::{link, rights};
use hrcities::recommend::{for_country, listed, Recommendation};

/// A fictional local or regional government.
struct City {
    name: &'static str,
    country: &'static str,
    region: &'static str,
    level: &'static str,
    population: f64,
    lang: Lang,
    joined: Option<(i32, u32, u32)>,
}

const CITIES: [City; 13] = [
    City {
        name: "Villa Esperanza del Sur",
        country: "COL",
        region: "latin_america",
        level: "intermediary_city",
        population: 182_400.0,
        lang: Lang::Es,
        joined: Some((2022, 10, 12)),
    },
    City {
        name: "Puerto Lumbre",
        country: "CHL",
        region: "latin_america",
        level: "municipality",
        population: 64_800.0,
        lang: Lang::Es,
        joined: Some((2023, 8, 3)),
    },
    City {
        name: "Bahía Serena",
        country: "URY",
        region: "latin_america",
        level: "municipality",
        population: 38_950.0,
        lang: Lang::Es,
        joined: Some((2024, 10, 9)),
    },
    City {
        name: "Marisol de la Costa",
        country: "ESP",
        region: "europe",
        level: "municipality",
        population: 121_300.0,
        lang: Lang::Es,
        joined: Some((2022, 6, 14)),
    },
    City {
        name: "Valbrume-sur-Loirette",
        country: "FRA",
        region: "europe",
        level: "municipality",
        population: 47_200.0,
        lang: Lang::Fr,
        joined: Some((2023, 3, 21)),
    },
    City {
        name: "Lumenstad",
        country: "NLD",
        region: "europe",
        level: "metropolitan",
        population: 612_000.0,
        lang: Lang::En,
        joined: Some((2022, 10, 12)),
    },
    City {
        name: "Port-Aurore",
        country: "SEN",
        region: "africa",
        level: "intermediary_city",
        population: 256_700.0,
        lang: Lang::Fr,
        joined: Some((2023, 12, 10)),
    },
    City {
        name: "Nyota Bay",
        country: "KEN",
        region: "africa",
        level: "municipality",
        population: 318_500.0,
        lang: Lang::En,
        joined: Some((2024, 10, 9)),
    },
    City {
        name: "Kalamé-les-Collines",
        country: "CIV",
        region: "africa",
        level: "regional",
        population: 1_240_000.0,
        lang: Lang::Fr,
        joined: None,
    },
    City {
        name: "Tamarind Cove",
        country: "PHL",
        region: "asia_pacific",
        level: "municipality",
        population: 92_300.0,
        lang: Lang::En,
        joined: Some((2023, 8, 3)),
    },
    City {
        name: "Harborview Heights",
        country: "CAN",
        region: "north_america",
        level: "municipality",
        population: 143_800.0,
        lang: Lang::En,
        joined: Some((2024, 3, 18)),
    },
    City {
        name: "Cedar Gate",
        country: "JOR",
        region: "middle_east_west_asia",
        level: "intermediary_city",
        population: 405_600.0,
        lang: Lang::En,
        joined: Some((2025, 5, 20)),
    },
    City {
        name: "Nuevo Alborán",
        country: "MEX",
        region: "latin_america",
        level: "metropolitan",
        population: 2_350_000.0,
        lang: Lang::Es,
        joined: Some((2022, 10, 12)),
    },
];

/// Deterministic pseudo-random numbers (xorshift), seeded per city and year.
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        Rng(h | 1)
    }
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

fn round(v: f64, q: &Question) -> f64 {
    match q.qtype {
        QuestionType::Integer | QuestionType::Year => v.round(),
        _ => (v * 10.0).round() / 10.0,
    }
}

fn clamp(v: f64, q: &Question) -> f64 {
    let v = q.min.map_or(v, |m| v.max(m));
    q.max.map_or(v, |m| v.min(m))
}

/// A plausible answer to `q` for `city` in `year`. Each answer has a level that belongs to
/// the city and the question (drawn from `Rng::new("<city>-<question>")`), a trend of a few
/// percent a year, and a little noise of the year (`rng`), so that two years of a city tell
/// a consistent story; a yes/no answer keeps its value, but now and then a measure is
/// gained or lost. The sizes are those of real cities (births, deaths, police, waste per
/// inhabitant; the framework's plausibility ranges), never random numbers of any size.
fn answer(q: &Question, city: &City, year: i32, rng: &mut Rng) -> Option<CellValue> {
    // Derived values are computed, not typed; what the State should do is written by a
    // few cities only (see `suggestions`).
    if !q.on_sheet() || q.id.ends_with("_STATE") {
        return None;
    }
    let households = (city.population / 2.7).round();
    let pop = city.population * (1.0 + 0.01 * f64::from(year - 2025));
    let mut base = Rng::new(&format!("{}-{}", city.name, q.id));
    let since = f64::from(year - 2025);
    // A count: a level per inhabitant, a trend of up to ±4 % a year and ±2 % of noise.
    let mut count = |per_person_lo: f64, per_person_hi: f64, base: &mut Rng| {
        let level = pop * base.between(per_person_lo, per_person_hi);
        let trend = base.between(-0.04, 0.04);
        (level * (1.0 + trend * since + rng.between(-0.02, 0.02))).max(0.0)
    };
    let value = |v: f64| CellValue::Number(clamp(round(v, q), q));
    Some(match q.id.as_str() {
        "city_name" => CellValue::Text(city.name.into()),
        "city_id" => return None,
        "country" => CellValue::Text(city.country.into()),
        "region" => CellValue::Choice(city.region.into()),
        "government_level" => CellValue::Choice(city.level.into()),
        COMPETENCES => {
            CellValue::Choices(competences_of(city)?.iter().map(|c| c.to_string()).collect())
        }
        "metropolis_member" => CellValue::YesNo(city.population > 1_000_000.0),
        "forum_of_regions_member" => CellValue::YesNo(city.level == "regional"),
        "population" => CellValue::Number(pop.round()),
        "households" => CellValue::Number(households),
        "reporting_year" => CellValue::Number(f64::from(year)),
        "joined_campaign" => {
            let (y, m, d) = city.joined?;
            CellValue::Date { year: y, month: m, day: d }
        }
        "contact_name" => CellValue::Text("Human Rights Office".into()),
        "contact_email" => {
            let slug: String =
                city.name.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
            CellValue::Text(format!("rights@{slug}.example"))
        }
        // Births, births attended, deaths under five (5 to 40 per 1,000 births).
        "HEA_Q04" => value(count(0.010, 0.018, &mut base)),
        "HEA_Q05" => value(count(0.0095, 0.0105, &mut base)),
        "HEA_Q06" => value(count(0.010 * 0.005, 0.014 * 0.035, &mut base)),
        // Police officers (50 to 300 per 100,000), of whom some trained; homicides (1 to
        // 30 per 100,000).
        "SAF_Q05" => value(count(0.0005, 0.003, &mut base)),
        "SAF_Q06" => value(count(0.0002, 0.0005, &mut base)),
        "SAF_Q07" => value(count(0.000_01, 0.000_3, &mut base)),
        // Municipal waste (0.2 to 0.6 tonnes per person a year), most of it managed.
        "ENV_Q05" => value(count(0.2, 0.6, &mut base)),
        "ENV_Q06" => value(count(0.12, 0.2, &mut base)),
        // People experiencing homelessness (30 to 300 per 100,000).
        "HOU_Q07" => value(count(0.0003, 0.003, &mut base)),
        // The poverty estimate of two years before (a survey every year).
        "SOC_Q05" => CellValue::Number(f64::from(year - 2)),
        // The most recent local election: held in 2022 or 2023, then four years later.
        "PAR_Q08" => {
            let first = 2022 + i32::from(base.unit() < 0.5);
            let held = if year >= first + 4 { first + 4 } else { first };
            CellValue::Number(f64::from(held))
        }
        "PAR_Q07" => {
            // The turnout of that election: the same figure every year until the next.
            let first = 2022 + i32::from(Rng::new(&format!("{}-PAR_Q08", city.name)).unit() < 0.5);
            let held = if year >= first + 4 { first + 4 } else { first };
            let mut election = Rng::new(&format!("{}-election-{held}", city.name));
            value(election.between(32.0, 74.0))
        }
        _ => match q.qtype {
            QuestionType::YesNo => {
                let yes = base.unit() < 0.75;
                // Now and then a measure is adopted or lost.
                let flips = Rng::new(&format!("{}-{}-{year}", city.name, q.id)).unit() < 0.04;
                CellValue::YesNo(yes != (flips && year > 2025))
            }
            // "none" and "other" are left to the flaws: a city that ticks them is asked
            // to explain.
            QuestionType::Choice => {
                let usual: Vec<&str> = q
                    .choices
                    .iter()
                    .map(|c| c.code.as_str())
                    .filter(|c| !matches!(*c, "none" | "other" | "other_only"))
                    .collect();
                let i = (base.unit() * usual.len() as f64) as usize;
                CellValue::Choice(usual[i.min(usual.len() - 1)].to_string())
            }
            QuestionType::MultiChoice => CellValue::Choices(
                q.choices
                    .iter()
                    .filter(|c| !matches!(c.code.as_str(), "none" | "other" | "other_only"))
                    .filter(|_| base.unit() < 0.6)
                    .map(|c| c.code.clone())
                    .collect(),
            ),
            // The recommendations to the State and the practices to share are written by
            // `suggestions` and `practices`; a stock sentence would be quoted as one.
            QuestionType::Text if q.id.ends_with("_STATE") || q.id.ends_with("_PRACTICE") => {
                return None;
            }
            QuestionType::Text => {
                CellValue::Text("Plan adopted by the council; see the municipal gazette.".into())
            }
            QuestionType::Date => CellValue::Date { year: year - 1, month: 9, day: 15 },
            // A year that does not move back: adopted between 2016 and 2024.
            QuestionType::Year => {
                CellValue::Number(clamp(f64::from(2016 + (base.unit() * 9.0) as i32), q))
            }
            QuestionType::Percent => {
                // A level, a trend of up to 1.5 points a year, a point of noise.
                let (lo, hi) = match q.id.as_str() {
                    "CUL_Q07" => (1.0, 7.0),
                    "SOC_Q03" => (6.0, 32.0),
                    "WRK_Q05" => (4.0, 16.0),
                    _ => (q.min.unwrap_or(0.0).max(8.0), q.max.unwrap_or(100.0).min(94.0)),
                };
                let level = base.between(lo, hi);
                let trend = base.between(-1.5, 1.5) * (hi - lo) / 80.0;
                let v = level + trend * since + rng.between(-0.8, 0.8) * (hi - lo) / 80.0;
                value(v.clamp(lo * 0.8, hi * 1.1))
            }
            QuestionType::Integer | QuestionType::Number => {
                let level = match q.unit.as_deref() {
                    Some("households" | "dwellings") => households * base.between(0.002, 0.12),
                    Some("persons" | "children") => pop * base.between(0.0005, 0.03),
                    Some("percent") => base.between(3.0, 90.0),
                    _ => base.between(1.0, 60.0),
                };
                let trend = base.between(-0.04, 0.04);
                value(level * (1.0 + trend * since + rng.between(-0.03, 0.03)))
            }
        },
    })
}

fn as_formula<'a>(v: Option<&'a CellValue>) -> formula::Answer<'a> {
    match v {
        Some(CellValue::Number(n)) => formula::Answer::Number(*n),
        Some(CellValue::YesNo(b)) => formula::Answer::Number(f64::from(u8::from(*b))),
        Some(CellValue::Choice(c)) => formula::Answer::Code(c),
        Some(CellValue::Choices(c)) => formula::Answer::Codes(c),
        Some(_) => formula::Answer::Opaque,
        None => formula::Answer::Missing,
    }
}

/// Removes answers to questions that do not apply (about a service the government does
/// not hold, or left out by skip logic), and adjusts numbers until every consistency rule
/// holds.
fn make_consistent(fw: &Framework, fill: &mut Fill) {
    if let Some(CellValue::Choices(held)) = fill.answers.get(COMPETENCES).cloned() {
        if !held.is_empty() {
            fill.answers.retain(|id, _| {
                fw.question(id).and_then(|q| q.competence.as_ref()).is_none_or(|c| held.contains(c))
            });
        }
    }
    for _ in 0..20 {
        let mut changed = false;
        for q in &fw.questions {
            if let Some(rel) = &q.relevant {
                let out = formula::eval(&rel.node, &|id| as_formula(fill.answers.get(id)));
                if out.state == State::Ok
                    && out.number() == Some(0.0)
                    && fill.answers.remove(&q.id).is_some()
                {
                    changed = true;
                }
            }
        }
        for rule in &fw.rules {
            let get = |id: &str| as_formula(fill.answers.get(id));
            let (l, r) =
                (formula::eval(&rule.left.node, &get), formula::eval(&rule.right_side.node, &get));
            let (Some(lv), Some(rv)) = (l.number(), r.number()) else { continue };
            let holds = match rule.op.symbol() {
                "<" => lv < rv,
                "<=" => lv <= rv,
                ">" => lv > rv,
                ">=" => lv >= rv,
                "=" => lv == rv,
                _ => lv != rv,
            };
            if holds {
                continue;
            }
            // Move one of the rule's own questions (never the profile) towards what the
            // rule wants: a left-side one, else a right-side one the other way.
            let adjustable = |id: &&str| {
                fw.question(id).is_some_and(|q| q.right.is_some())
                    && matches!(fill.answers.get(*id), Some(CellValue::Number(_)))
            };
            let left_q = rule.left.node.questions().into_iter().find(adjustable);
            let right_q = rule.right_side.node.questions().into_iter().find(adjustable);
            let shrink = matches!(rule.op.symbol(), "<" | "<=");
            let (id, shrink) = match (left_q, right_q) {
                (Some(id), _) => (id.to_string(), shrink),
                (None, Some(id)) => (id.to_string(), !shrink),
                _ => continue,
            };
            let Some(q) = fw.question(&id) else { continue };
            let Some(CellValue::Number(old)) = fill.answers.get(&id).cloned() else { continue };
            if q.qtype == QuestionType::Year {
                continue; // years are generated recent enough
            }
            let factor = if shrink { 0.8 } else { 1.25 };
            let ratio = if shrink { (rv.max(1e-9) / lv.max(1e-9)).clamp(0.01, 1.0) } else { 1.0 };
            let new = clamp(round(old * factor * ratio, q), q);
            let new = if new == old { clamp(round(old * factor, q), q) } else { new };
            fill.answers.insert(id, CellValue::Number(new));
            changed = true;
        }
        if !changed {
            return;
        }
    }
}

/// Synthetic returns for the benchmark (`scripts/bench.sh`): `n` returns of fictional
/// governments ("Synthetic …"), three reporting years each (2024–2026), across regions,
/// levels and the three languages, with breakdowns in four returns of five and a realistic
/// share of everyday flaws: numbers typed as text with a decimal comma, "N/A" markers,
/// blank required answers, values out of range.
fn synthetic(fw: &Framework, n: usize, out: &std::path::Path, with_groups: bool) {
    const COUNTRIES: [(&str, &str, Lang); 18] = [
        ("COL", "latin_america", Lang::Es),
        ("MEX", "latin_america", Lang::Es),
        ("CHL", "latin_america", Lang::Es),
        ("ESP", "europe", Lang::Es),
        ("FRA", "europe", Lang::Fr),
        ("NLD", "europe", Lang::En),
        ("SEN", "africa", Lang::Fr),
        ("KEN", "africa", Lang::En),
        ("CIV", "africa", Lang::Fr),
        ("MAR", "africa", Lang::Fr),
        ("PHL", "asia_pacific", Lang::En),
        ("KOR", "asia_pacific", Lang::En),
        ("IDN", "asia_pacific", Lang::En),
        ("CAN", "north_america", Lang::En),
        ("USA", "north_america", Lang::En),
        ("JOR", "middle_east_west_asia", Lang::En),
        ("TUR", "middle_east_west_asia", Lang::En),
        ("ARG", "latin_america", Lang::Es),
    ];
    const LEVELS: [&str; 4] = ["municipality", "intermediary_city", "metropolitan", "regional"];
    let years = [2024, 2025, 2026];
    let cities = n.div_ceil(years.len());
    let mut written = 0;
    for c in 0..cities {
        let (country, region, lang) = COUNTRIES[c % COUNTRIES.len()];
        let mut rng = Rng::new(&format!("synthetic-{c}"));
        let name = match lang {
            Lang::Es => format!("Villa Sintética {:04}", c + 1),
            Lang::Fr => format!("Saint-Fictif-{:04}", c + 1),
            Lang::En => format!("Synthetic Town {:04}", c + 1),
        };
        let city = City {
            name: name.leak(),
            country,
            region,
            level: LEVELS[c % LEVELS.len()],
            population: (10f64).powf(rng.between(4.0, 6.5)).round(),
            lang,
            joined: Some((2022 + (c % 5) as i32, 1 + (c % 12) as u32, 1 + (c % 28) as u32)),
        };
        for year in years {
            if written == n {
                return;
            }
            let mut rng = Rng::new(&format!("{}-{year}", city.name));
            let mut fill = Fill::default();
            for q in &fw.questions {
                if let Some(v) = answer(q, &city, year, &mut rng) {
                    fill.answer(&q.id, v);
                }
            }
            make_consistent(fw, &mut fill);
            // Breakdowns, as the sample cities give them: none for a fifth of the returns,
            // up to sex, age, disability, migration status and five districts.
            let dims: &[&str] = match c % 5 {
                _ if !with_groups => &[],
                0 => &[],
                1 => &["sex"],
                2 => &["sex", "age_group"],
                3 => &["sex", "age_group", "disability", "migration_status"],
                _ => &["sex", "age_group", "neighbourhood"],
            };
            let districts: Vec<String> = (1..=5).map(|d| format!("District {d}")).collect();
            break_down(fw, dims, &districts, &mut fill, &mut rng);
            // Everyday flaws, on a few answers of a few returns.
            let ids: Vec<String> = fill.answers.keys().cloned().collect();
            for id in ids {
                let Some(q) = fw.question(&id) else { continue };
                if q.right.is_none() {
                    continue;
                }
                let roll = rng.unit();
                let number = match fill.answers.get(&id) {
                    Some(CellValue::Number(x)) => Some(*x),
                    _ => None,
                };
                if roll < 0.03 {
                    if let Some(x) = number {
                        fill.answer(&id, CellValue::Text(format!("{x:.1}").replace('.', ",")));
                    }
                } else if roll < 0.05 {
                    fill.answer(&id, CellValue::Text("N/A".into()));
                } else if roll < 0.06 && q.required {
                    fill.answers.remove(&id);
                } else if roll < 0.065 && q.max.is_some() {
                    fill.answer(&id, CellValue::Number(q.max.unwrap_or(0.0) * 1.2 + 1.0));
                }
            }
            let slug = hrcities::validate::slug(city.name);
            let path = out.join(format!("{slug}-{year}.xlsx"));
            write_workbook(fw, lang, &fill, &Layout::default(), &path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            written += 1;
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let loaded = load_embedded(Lang::En);
    if args.first().map(String::as_str) == Some("--synthetic") {
        let n: usize = args.get(1).and_then(|n| n.parse().ok()).expect("--synthetic N OUT");
        let out = PathBuf::from(args.get(2).expect("--synthetic N OUT"));
        std::fs::create_dir_all(&out).expect("the output folder can be made");
        let with_groups = !args.iter().any(|a| a == "--no-breakdowns");
        synthetic(&loaded.framework, n, &out, with_groups);
        return;
    }
    let out: PathBuf = args.first().map_or_else(|| PathBuf::from("sample-data"), PathBuf::from);
    let recs_dir: PathBuf =
        args.get(1).map_or_else(|| PathBuf::from("sample-recommendations"), PathBuf::from);
    let fw = loaded.framework;
    std::fs::create_dir_all(&out).expect("the output folder can be made");
    // The UN recommendations the 2027 workbooks list, read back as an analyst imports them.
    recommendations::write(&recs_dir);
    let mut all: Vec<Recommendation> = Vec::new();
    for file in [recommendations::UHRI_FILE, recommendations::TRACKER_FILE] {
        let path = recs_dir.join(file);
        let import = import_file(&path, &Limits::default(), "2027-01-15T09:00:00Z", Lang::En)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(import.problems.is_empty(), "{}: {:?}", path.display(), import.problems);
        all.extend(import.recommendations);
    }
    println!("{}", recs_dir.display());
    // The returns for 2025 and 2026 were made from the template of framework 2026.1; those
    // for 2027 from the current one, which asks more.
    let earlier = fw.as_of(EARLIER_VERSION);
    let mut files = Files::new();
    for city in &CITIES {
        for year in [2025, 2026, 2027] {
            let fw = if year < 2027 { &earlier } else { &fw };
            let mut rng = Rng::new(&format!("{}-{year}", city.name));
            let mut fill = Fill::default();
            for q in &fw.questions {
                if let Some(v) = answer(q, city, year, &mut rng) {
                    fill.answer(&q.id, v);
                }
            }
            keep_subsets(&mut fill);
            make_consistent(fw, &mut fill);
            // Its own generator, so that the values drawn after it do not change.
            sources(
                fw,
                city,
                year,
                &mut fill,
                &mut Rng::new(&format!("{}-{year}-sources", city.name)),
            );
            if year == 2027 {
                breakdowns(fw, city, &mut fill, &mut rng);
                followup(fw, city, &all, &mut fill);
                suggestions(city, &mut fill);
                practices(city, &mut fill);
            }
            let slug = hrcities::validate::slug(city.name);
            files.insert(format!("{slug}-{year}"), (fill, Layout::default(), city.lang));
        }
    }
    flaws(&fw, &mut files);
    for (name, (fill, layout, lang)) in files.iter_mut() {
        let fw = if name.ends_with("-2027") { &fw } else { &earlier };
        // The earlier template wrote a multiple choice in one cell, with no "Who answers"
        // column.
        layout.multi_choice_in_one_cell = !name.ends_with("-2027");
        let path = out.join(format!("{name}.xlsx"));
        write_workbook(fw, *lang, fill, layout, &path).unwrap_or_else(|e| panic!("{name}: {e}"));
        println!("{}", path.display());
    }
}

/// The "Source / evidence" column, as governments fill it in: most answers name the
/// register, survey (with its sample size) or decision they come from; some are left blank.
fn sources(fw: &Framework, city: &City, year: i32, fill: &mut Fill, rng: &mut Rng) {
    for q in &fw.questions {
        let Some(right) = q.right.as_deref() else { continue };
        if !fill.answers.contains_key(&q.id) || q.qtype == QuestionType::Text || rng.unit() < 0.15 {
            continue;
        }
        let dept = department(right, city.lang);
        let text = match q.qtype {
            QuestionType::YesNo | QuestionType::Choice | QuestionType::MultiChoice => {
                let n = 10 + (rng.unit() * 240.0) as i32;
                match city.lang {
                    Lang::En => format!("{dept}: council decision No. {n}/{}", year - 1),
                    Lang::Es => format!("{dept}: acuerdo municipal n.º {n} de {}", year - 1),
                    Lang::Fr => format!("{dept} : délibération du conseil n° {n}/{}", year - 1),
                }
            }
            QuestionType::Percent => {
                let n = 600 + (rng.unit() * 900.0) as i32;
                let n = hrcities::i18n::format_number(n as f64, 0, city.lang);
                match city.lang {
                    Lang::En => format!("Municipal residents' survey {year} (n = {n}) and {dept}"),
                    Lang::Es => {
                        format!("Encuesta municipal a residentes {year} (n = {n}) y {dept}")
                    }
                    Lang::Fr => format!(
                        "Enquête municipale auprès des habitants {year} (n = {n}) et {dept}"
                    ),
                }
            }
            _ => match city.lang {
                Lang::En => format!("{dept}: administrative records, {year}"),
                Lang::Es => format!("{dept}: registros administrativos, {year}"),
                Lang::Fr => format!("{dept} : registres administratifs, {year}"),
            },
        };
        fill.sources.insert(q.id.clone(), text);
    }
}

/// Multiple choices that must tick only among another's ticks (rule EQU_R06: the services
/// open to people without regular status are among those the government runs or funds).
fn keep_subsets(fill: &mut Fill) {
    for (part, whole) in [("EQU_Q18", "EQU_Q17")] {
        let Some(CellValue::Choices(all)) = fill.answers.get(whole).cloned() else { continue };
        if let Some(CellValue::Choices(some)) = fill.answers.get_mut(part) {
            some.retain(|c| all.contains(c));
            if some.is_empty() {
                some.extend(all.first().cloned());
            }
        }
    }
}

/// The services a sample government says, in its 2027 return, that it is responsible for
/// (the profile's `competences`), as governments of its country and level commonly are;
/// `None` leaves the question blank (every question then applies). The reasons are in
/// sample-data/README.md.
fn competences_of(city: &City) -> Option<&'static [&'static str]> {
    Some(match city.name {
        // Colombia's police is national: everything else, in whole or in part.
        "Villa Esperanza del Sur" => &[
            "education",
            "childcare",
            "health",
            "water",
            "housing",
            "social_protection",
            "employment",
            "environment",
        ],
        "Puerto Lumbre" => {
            &["childcare", "health", "social_protection", "employment", "environment"]
        }
        "Marisol de la Costa" => &[
            "police",
            "education",
            "childcare",
            "water",
            "housing",
            "social_protection",
            "environment",
        ],
        "Valbrume-sur-Loirette" => {
            &["police", "education", "childcare", "housing", "social_protection", "environment"]
        }
        "Lumenstad" => &[
            "education",
            "childcare",
            "water",
            "housing",
            "social_protection",
            "employment",
            "environment",
        ],
        "Port-Aurore" => {
            &["education", "childcare", "health", "housing", "social_protection", "environment"]
        }
        // A Kenyan county's functions (Constitution of Kenya, Fourth Schedule, Part 2),
        // delegated to the municipality: pre-primary education and childcare, health, water,
        // housing, refuse and pollution; not police, social protection or employment.
        "Nyota Bay" => &["education", "childcare", "health", "water", "housing", "environment"],
        "Kalamé-les-Collines" => {
            &["education", "health", "social_protection", "employment", "environment"]
        }
        "Tamarind Cove" => {
            &["childcare", "health", "housing", "social_protection", "employment", "environment"]
        }
        "Harborview Heights" => {
            &["police", "childcare", "water", "housing", "social_protection", "environment"]
        }
        "Cedar Gate" => &["environment"],
        "Nuevo Alborán" => {
            &["police", "childcare", "water", "housing", "social_protection", "environment"]
        }
        _ => return None,
    })
}

/// Which breakdowns a sample city gives in its 2027 return (Contract 5): sex and age for
/// most, disability, migration status and neighbourhoods for some, nothing for a few.
fn dimensions_of(city: &City) -> &'static [&'static str] {
    match city.name {
        "Villa Esperanza del Sur" => &["sex", "age_group", "neighbourhood", "disability"],
        "Valbrume-sur-Loirette" => &["sex", "age_group", "migration_status"],
        "Lumenstad" => &["sex", "age_group", "disability", "migration_status", "neighbourhood"],
        "Port-Aurore" => &["sex", "age_group"],
        "Nyota Bay" => &["sex"],
        "Marisol de la Costa" => &["sex", "age_group", "neighbourhood"],
        "Harborview Heights" => &["sex", "age_group", "disability"],
        "Cedar Gate" => &["sex", "age_group", "migration_status"],
        _ => &[],
    }
}

/// The neighbourhoods a sample city names.
fn neighbourhoods(city: &City) -> &'static [&'static str] {
    match city.name {
        "Villa Esperanza del Sur" => &["Centro", "La Loma", "Río Bajo"],
        "Lumenstad" => &["Oudestad", "Havenkwartier", "Noordveld", "Zuidrand"],
        "Marisol de la Costa" => &["Casco Antiguo", "El Puerto", "Las Dunas"],
        _ => &[],
    }
}

/// Breakdowns of the totals: for a count, parts that add up to the total; for a share, the
/// share of each group, some groups worse off than their reference.
fn breakdowns(fw: &Framework, city: &City, fill: &mut Fill, rng: &mut Rng) {
    let names: Vec<String> = neighbourhoods(city).iter().map(|n| n.to_string()).collect();
    break_down(fw, dimensions_of(city), &names, fill, rng);
}

/// Breakdowns by `dims` of every count and share of `fill`, `names` being the city's
/// neighbourhoods.
fn break_down(fw: &Framework, dims: &[&str], names: &[String], fill: &mut Fill, rng: &mut Rng) {
    for q in &fw.questions {
        let Some(CellValue::Number(total)) = fill.answers.get(&q.id).cloned() else { continue };
        let count = matches!(q.qtype, QuestionType::Integer | QuestionType::Number)
            && q.unit.as_deref().is_some_and(|u| {
                matches!(
                    u,
                    "persons"
                        | "households"
                        | "children"
                        | "complaints"
                        | "cases"
                        | "requests"
                        | "staff"
                        | "places"
                )
            });
        let share = q.qtype == QuestionType::Percent;
        if !count && !share {
            continue;
        }
        for d in q.disaggregation.iter().filter(|d| dims.contains(&d.as_str())) {
            let Some(dim) = fw.vocab.disaggregations.get(d) else { continue };
            let categories: Vec<String> = if dim.city_named {
                names.to_vec()
            } else {
                dim.categories.iter().map(|c| c.code.clone()).collect()
            };
            if categories.is_empty() {
                continue;
            }
            if count {
                // Weights, with a little noise; the last part takes the rest, so the parts
                // add up to the total.
                let weights: Vec<f64> = categories
                    .iter()
                    .map(|c| {
                        let base = match c.as_str() {
                            "other" => 0.01,
                            "women" => 0.52,
                            "men" => 0.47,
                            "0_14" => 0.18,
                            "15_24" => 0.14,
                            "25_64" => 0.5,
                            "65_plus" => 0.18,
                            "with" => 0.14,
                            "without" => 0.86,
                            "non_nationals" => 0.12,
                            "nationals" => 0.88,
                            _ => 1.0 / categories.len() as f64,
                        };
                        base * rng.between(0.85, 1.15)
                    })
                    .collect();
                let sum: f64 = weights.iter().sum();
                let mut left = total;
                for (k, (c, w)) in categories.iter().zip(&weights).enumerate() {
                    let part = if k + 1 == categories.len() {
                        left.max(0.0)
                    } else {
                        (total * w / sum).round().min(left)
                    };
                    left -= part;
                    fill.group(&q.id, d, c, CellValue::Number(part));
                }
            } else {
                // A share per group: around the total, worse for some groups in a way
                // people working on rights would recognise.
                for c in &categories {
                    let factor = match c.as_str() {
                        "women" | "65_plus" | "with" | "non_nationals" | "15_24" => {
                            rng.between(0.7, 1.3)
                        }
                        _ => rng.between(0.9, 1.1),
                    };
                    let v = (total * factor).clamp(q.min.unwrap_or(0.0), q.max.unwrap_or(100.0));
                    fill.group(&q.id, d, c, CellValue::Number((v * 10.0).round() / 10.0));
                }
            }
        }
    }
    if !names.is_empty() && dims.contains(&"neighbourhood") {
        fill.group_names.insert("neighbourhood".into(), names.to_vec());
    }
}

/// The framework version of the template the 2025 and 2026 returns were made from.
const EARLIER_VERSION: &str = "2026.1";

type Files = BTreeMap<String, (Fill, Layout, Lang)>;

fn set<'a>(files: &'a mut Files, file: &str) -> &'a mut (Fill, Layout, Lang) {
    files.get_mut(file).unwrap_or_else(|| panic!("no sample file {file}"))
}

/// The everyday flaws of real returns, each documented in sample-data/README.md.
fn flaws(fw: &Framework, files: &mut Files) {
    let _ = fw;
    let text = |s: &str| CellValue::Text(s.into());
    // Decimal comma and thousands separators typed as text (read correctly).
    set(files, "villa-esperanza-del-sur-2026").0.answer("WAT_Q02", text("87,5"));
    set(files, "villa-esperanza-del-sur-2026").0.answer("population", text("184.225"));
    set(files, "marisol-de-la-costa-2026").0.answer("households", text("44.926"));
    set(files, "lumenstad-2026").0.answer("population", text("618,120"));
    // "45 %" typed as text in a percent question (read as 45).
    set(files, "port-aurore-2026").0.answer("HOU_Q05", text("45 %"));
    // "not available" markers, kept apart from blanks.
    set(files, "nyota-bay-2026").0.answer("HOU_Q04", text("N/A"));
    set(files, "puerto-lumbre-2026").0.answer("WAT_Q02", text("n/d"));
    // A blank required answer.
    set(files, "tamarind-cove-2026").0.answer("HEA_Q01", CellValue::YesNo(true));
    set(files, "tamarind-cove-2026").0.answers.remove("HEA_Q02");
    // An out-of-range value: a percentage above 100.
    set(files, "cedar-gate-2026").0.answer("WAT_Q02", CellValue::Number(120.0));
    // Inserted rows and columns.
    let layout = &mut set(files, "harborview-heights-2026").1;
    layout.extra_rows = 2;
    layout.extra_cols = 1;
    // A renamed sheet.
    set(files, "bahia-serena-2026").1.sheet_names.insert("housing".into(), "Vivienda".into());
    // Text that is not a number, and a spreadsheet error value.
    set(files, "kalame-les-collines-2026").0.answer("EDU_Q01", CellValue::YesNo(true));
    set(files, "kalame-les-collines-2026").0.answer("EDU_Q03", text("environ 30"));
    // A broken consistency rule: more households rehoused than evicted.
    let valbrume = &mut set(files, "valbrume-sur-loirette-2026").0;
    valbrume.answer("HOU_Q01", CellValue::YesNo(true));
    valbrume.answer("HOU_Q02", CellValue::Number(40.0));
    valbrume.answer("HOU_Q03", CellValue::Number(55.0));
    // An answer where the question does not apply: no eviction protocol, yet a count.
    let valbrume = &mut set(files, "valbrume-sur-loirette-2025").0;
    valbrume.answer("HOU_Q01", CellValue::YesNo(false));
    valbrume.answer("HOU_Q02", CellValue::Number(12.0));
    // A yes/no question answered with another word.
    set(files, "nyota-bay-2025").0.answer("HOU_Q01", text("Maybe"));
    // A workbook made without the template (no _hrcities sheet): read against the current
    // framework, which asks the eviction questions of every city, so it answers them.
    let lumen = set(files, "lumenstad-2025");
    lumen.1.without_meta = true;
    lumen.0.answer("HOU_Q01", CellValue::YesNo(true));
    lumen.0.answer("HOU_Q02", CellValue::Number(310.0));
    lumen.0.answer("HOU_Q03", CellValue::Number(174.0));
    set(files, "nuevo-alboran-2026").0.answer("CUL_Q07", CellValue::Error("#DIV/0!".into()));
    // A part of a breakdown larger than its total: more women than people counted.
    let port = &mut set(files, "port-aurore-2027").0;
    if let Some(CellValue::Number(total)) = port.answers.get("HOU_Q07").cloned() {
        port.group("HOU_Q07", "sex", "women", CellValue::Number(total + 25.0));
    }
    // A complete breakdown whose parts do not add up to the total.
    let cedar = &mut set(files, "cedar-gate-2027").0;
    if let Some(CellValue::Number(total)) = cedar.answers.get("population").cloned() {
        let women = (total * 0.45).round();
        cedar.group("population", "sex", "women", CellValue::Number(women));
        cedar.group("population", "sex", "men", CellValue::Number((total * 0.45).round()));
        cedar.group("population", "sex", "other", CellValue::Number(100.0));
    }
    // An implausible value: 3,980 police officers in a city of 184,000 (2,200 per 100,000).
    let villa = &mut set(files, "villa-esperanza-del-sur-2026").0;
    villa.answer("SAF_Q02", CellValue::YesNo(true));
    villa.answer("SAF_Q05", CellValue::Number(3980.0));
    // The same election (held in 2026) reported with another turnout than the year before.
    let previous = set(files, "marisol-de-la-costa-2026").0.answers.get("PAR_Q07").cloned();
    if let Some(CellValue::Number(t)) = previous {
        set(files, "marisol-de-la-costa-2027").0.answer("PAR_Q07", CellValue::Number(t - 13.0));
    }
    // A follow-up status that is not one of the list.
    let nuevo = &mut set(files, "nuevo-alboran-2027").0;
    if let Some(first) = nuevo.recommendations.first().map(|r| r.id.clone()) {
        if let Some(f) = nuevo.followup.get_mut(&first) {
            f.status = Some("Casi terminada".into());
        }
    }
    // A row the city added for a recommendation that is not in the store: one from the
    // country's national action plan.
    let (nyota, layout, _) = set(files, "nyota-bay-2027");
    let id = "KE-NAP-2024-17";
    nyota.recommendations.push(Listed {
        id: id.into(),
        reference: "National Action Plan on Human Rights 2024, action 17".into(),
        body: "National action plan".into(),
        themes: String::new(),
        position: String::new(),
        recommended_by: String::new(),
        text: "Establish a human rights committee in every county. [Fictional sample text]".into(),
    });
    nyota.followup.insert(
        id.into(),
        FollowUp {
            competence: Some("yes".into()),
            status: Some("in_progress".into()),
            department: Some("Human rights office".into()),
            ..FollowUp::default()
        },
    );
    layout.added_recommendations = 1;
}

/// The follow-up a sample city gives, in its 2027 workbook, of the UN recommendations
/// addressed to its country: within its competence or not, how far it has got, the
/// department responsible and what was done, in its language.
fn followup(fw: &Framework, city: &City, all: &[Recommendation], fill: &mut Fill) {
    let recs = for_country(fw, all, city.country);
    if recs.is_empty() {
        return;
    }
    fill.recommendations = listed(fw, &recs, city.lang);
    fill.recommendations_country = Some(city.country.into());
    let mut rng = Rng::new(&format!("{}-followup", city.name));
    let lang = city.lang;
    for r in recs {
        let roll = rng.unit();
        let (competence, status) = match roll {
            x if x < 0.12 => ("no", None),
            x if x < 0.3 => ("partly", Some("in_progress")),
            x if x < 0.55 => ("yes", Some("in_progress")),
            x if x < 0.8 => ("yes", Some("implemented")),
            _ => ("yes", Some("not_started")),
        };
        let links = link(fw, r);
        let right = rights(&links).first().copied().unwrap_or("human_rights_city");
        let action = status.and_then(|s| action(s, lang)).map(str::to_string);
        let source = (status == Some("implemented")).then(|| {
            match lang {
                Lang::Es => "Gaceta municipal, 2026",
                Lang::Fr => "Bulletin municipal, 2026",
                Lang::En => "Municipal gazette, 2026",
            }
            .to_string()
        });
        fill.followup.insert(
            r.id.clone(),
            FollowUp {
                competence: Some(competence.into()),
                status: status.map(str::to_string),
                department: (competence != "no").then(|| department(right, lang).to_string()),
                action,
                source,
                comment: None,
            },
        );
    }
}

/// What was done, for a follow-up `status`, in `lang`.
fn action(status: &str, lang: Lang) -> Option<&'static str> {
    Some(match (status, lang) {
        ("in_progress", Lang::En) => "Measures being prepared with the departments concerned; first results expected in 2028.",
        ("in_progress", Lang::Es) => "Medidas en preparación con las áreas implicadas; primeros resultados previstos para 2028.",
        ("in_progress", Lang::Fr) => "Mesures en préparation avec les services concernés ; premiers résultats attendus en 2028.",
        ("implemented", Lang::En) => "Programme adopted by the council and running since 2026; reviewed every year with civil society.",
        ("implemented", Lang::Es) => "Programa aprobado por el concejo y en marcha desde 2026; se revisa cada año con la sociedad civil.",
        ("implemented", Lang::Fr) => "Programme adopté par le conseil et en place depuis 2026 ; revu chaque année avec la société civile.",
        _ => return None,
    })
}

/// The department of a sample government that answers for `right`, in `lang`.
fn department(right: &str, lang: Lang) -> &'static str {
    let [en, es, fr] = match right {
        "housing" => ["Housing department", "Secretaría de Vivienda", "Service de l'habitat"],
        "water_sanitation" => {
            ["Water and sanitation service", "Empresa municipal de agua", "Régie de l'eau"]
        }
        "health" => {
            ["Public health department", "Secretaría de Salud", "Service de santé publique"]
        }
        "education" => {
            ["Education department", "Secretaría de Educación", "Service de l'éducation"]
        }
        "participation" | "equality" => [
            "Citizen participation office",
            "Oficina de Participación Ciudadana",
            "Mission démocratie participative",
        ],
        "safety" => [
            "Community safety office",
            "Secretaría de Seguridad y Convivencia",
            "Service de la tranquillité publique",
        ],
        "social_protection" | "work" => [
            "Social services",
            "Secretaría de Desarrollo Social",
            "Centre communal d'action sociale",
        ],
        _ => ["Human rights office", "Oficina de Derechos Humanos", "Mission droits humains"],
    };
    match lang {
        Lang::En => en,
        Lang::Es => es,
        Lang::Fr => fr,
    }
}

/// What some sample governments would have the State do (the `*_STATE` questions), in
/// their language: a housing recommendation from the Spanish- and English-speaking
/// governments with UN recommendations to follow up, one on local human-rights
/// institutions from every government that has them.
/// The practices a government shares with the others (2027), and whether it consents to
/// their being shared: most say yes, one says no (its practices must then show nowhere but
/// in its own report), one leaves it blank (no consent either).
fn practices(city: &City, fill: &mut Fill) {
    const PRACTICES: [(&str, [&str; 3]); 6] = [
        ("HOU", [
            "An eviction-prevention desk that meets every household served with an eviction notice within a week and negotiates payment plans with landlords; since 2024, about four in five cases end without eviction.",
            "Una oficina de prevención de desalojos que atiende a cada hogar notificado en una semana y negocia planes de pago con los propietarios; desde 2024, cerca de cuatro de cada cinco casos terminan sin desalojo.",
            "Un guichet de prévention des expulsions qui reçoit chaque ménage assigné dans la semaine et négocie des plans d'apurement avec les bailleurs ; depuis 2024, environ quatre cas sur cinq se terminent sans expulsion.",
        ]),
        ("WAT", [
            "A free basic block of water for every household, with no disconnection of households that use little water; adopted with residents' associations in 2023.",
            "Un tramo básico de agua gratuito para cada hogar, sin cortes a los hogares de bajo consumo; adoptado con las juntas vecinales en 2023.",
            "Une tranche d'eau de base gratuite pour chaque ménage, sans coupure pour les petits consommateurs ; adoptée avec les associations d'habitants en 2023.",
        ]),
        ("PAR", [
            "A participatory budget with a share reserved for projects proposed by young people and a voting day in every neighbourhood school.",
            "Un presupuesto participativo con una parte reservada a proyectos propuestos por jóvenes y una jornada de votación en cada escuela del barrio.",
            "Un budget participatif dont une part est réservée aux projets proposés par les jeunes, avec une journée de vote dans chaque école de quartier.",
        ]),
        ("CHI", [
            "A children's council elected in schools, which the mayor must answer in writing within three months.",
            "Un consejo de niñas y niños elegido en las escuelas, al que la alcaldía debe responder por escrito en tres meses.",
            "Un conseil des enfants élu dans les écoles, auquel la mairie doit répondre par écrit dans les trois mois.",
        ]),
        ("CUL", [
            "Free library cards for everyone living in the territory, whatever their papers, and a mobile library for the outlying neighbourhoods.",
            "Carné de biblioteca gratuito para toda persona que viva en el territorio, sin importar su documentación, y una biblioteca móvil para los barrios periféricos.",
            "Une carte de bibliothèque gratuite pour toute personne vivant sur le territoire, quels que soient ses papiers, et un bibliobus pour les quartiers périphériques.",
        ]),
        ("EQU", [
            "An equality unit that reviews every new municipal regulation for its effects on women and on people with disabilities before it is adopted.",
            "Una unidad de igualdad que revisa cada nueva norma municipal por sus efectos en las mujeres y en las personas con discapacidad antes de su aprobación.",
            "Une cellule égalité qui examine chaque nouveau règlement municipal au regard de ses effets sur les femmes et les personnes handicapées avant son adoption.",
        ]),
    ];
    let i = CITIES.iter().position(|c| c.name == city.name).unwrap_or(0);
    let consent = match i {
        3 => Some(false),
        8 => None,
        _ => Some(true),
    };
    match consent {
        Some(yes) => {
            fill.answer("share_practices", CellValue::YesNo(yes));
        }
        None => {
            fill.answers.remove("share_practices");
        }
    }
    let lang = match city.lang {
        Lang::En => 0,
        Lang::Es => 1,
        Lang::Fr => 2,
    };
    for k in [i % 6, (i + 2) % 6] {
        let (prefix, text) = PRACTICES[k];
        fill.answer(&format!("{prefix}_PRACTICE"), CellValue::Text(text[lang].into()));
    }
}

fn suggestions(city: &City, fill: &mut Fill) {
    if fill.recommendations.is_empty() {
        return;
    }
    let (housing, institutions) = match city.lang {
        Lang::Es => (
            "Prohibir por ley todo desalojo que deje a personas sin hogar y financiar a los gobiernos locales para que ofrezcan una vivienda alternativa adecuada.",
            "Reconocer por ley las oficinas locales de derechos humanos y asociar a los gobiernos locales al mecanismo nacional de seguimiento de las recomendaciones de la ONU.",
        ),
        Lang::Fr => (
            "Garantir aux collectivités locales les moyens de reloger toute personne expulsée et interdire par la loi les expulsions sans relogement.",
            "Associer les collectivités locales au mécanisme national de suivi des recommandations de l'ONU et reconnaître leurs missions droits humains.",
        ),
        Lang::En => (
            "Prohibit by law any eviction that would leave people homeless, and fund local governments to provide adequate alternative housing.",
            "Involve local governments in the national mechanism that follows up UN recommendations, and recognise local human rights offices in law.",
        ),
    };
    fill.answer("HRC_STATE", CellValue::Text(institutions.into()));
    if city.lang != Lang::Fr {
        fill.answer("HOU_STATE", CellValue::Text(housing.into()));
    }
}
