//! The web site (`hrcities site`, issue 23): every page in en, es and fr, nothing personal
//! anywhere in it, hostile text printed as text, every internal link working, and the
//! pages checked in headless Chromium with axe-core (`crate::browser`).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::{hrcities, root, sample};

/// A person's name and e-mail addresses no sample return has, put into a copy of Villa
/// Esperanza's 2027 return: as its contact, and inside one of its "Source / evidence"
/// answers, which the public data keep.
const PERSON: &str = "Ana Lucía Pérez Quispe";
const PERSON_EMAIL: &str = "ana.perez@villaesperanza.example";
const SOURCE: &str = "Secretaría de Vivienda: acuerdo municipal n.º 173 de 2026";
const SOURCE_EMAIL: &str = "vivienda.datos@villaesperanza.example";

/// `sample-data/name` with the shared strings `(from, to)` replaced, written to `dir`.
fn with_strings(name: &str, dir: &Path, pairs: &[(&str, &str)]) -> PathBuf {
    let path = dir.join(name);
    crate::common::with_shared_strings(&sample(name), &path, |mut xml| {
        for (from, to) in pairs {
            let from = format!("<t>{from}</t>");
            assert!(xml.contains(&from), "{name}: {from}");
            xml = xml.replace(&from, &format!("<t>{to}</t>"));
        }
        xml
    });
    path
}

/// Every file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The e-mail addresses in `text`: a run of address characters, `@`, and a domain with a
/// dot (independent of the scrubber under test).
fn emails(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let part = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let mut out = Vec::new();
    for (i, _) in text.match_indices('@') {
        let mut a = i;
        while a > 0 && part(bytes[a - 1]) {
            a -= 1;
        }
        let mut b = i + 1;
        while b < bytes.len() && (bytes[b].is_ascii_alphanumeric() || b".-".contains(&bytes[b])) {
            b += 1;
        }
        let domain = text[i + 1..b].trim_end_matches('.');
        if a < i && domain.contains('.') {
            out.push(text[a..i + 1 + domain.len()].to_string());
        }
    }
    out
}

/// The sample returns (Villa Esperanza's 2027 one with a person's contact details), the
/// hostile return, filed in a store; then `hrcities site`.
fn site_of_samples(tmp: &Path) -> (PathBuf, Vec<String>) {
    let returns = tmp.join("returns");
    std::fs::create_dir_all(&returns).unwrap();
    for entry in std::fs::read_dir(root().join("sample-data")).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".md") || name == "villa-esperanza-del-sur-2027.xlsx" {
            continue;
        }
        std::fs::copy(&p, returns.join(&name)).unwrap();
    }
    with_strings(
        "villa-esperanza-del-sur-2027.xlsx",
        &returns,
        &[
            ("Human Rights Office", PERSON),
            ("rights@villaesperanzadelsur.example", PERSON_EMAIL),
            (SOURCE, &format!("{SOURCE} (datos: {PERSON}, {SOURCE_EMAIL})")),
        ],
    );
    std::fs::copy(
        root().join("tests/fixtures/hostile/hostile-2026.xlsx"),
        returns.join("hostile-2026.xlsx"),
    )
    .unwrap();
    // What must not be published: every contact of every return, read from the store.
    let store = tmp.join("store");
    let o = hrcities().arg("ingest").arg(&returns).arg("--store").arg(&store).output().unwrap();
    assert!(o.status.code() != Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let out = tmp.join("out");
    let o = hrcities()
        .args(["compute", "--store"])
        .arg(&store)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let responses = std::fs::read_to_string(out.join("data/responses.csv")).unwrap();
    let mut private: Vec<String> = Vec::new();
    for record in csv::Reader::from_reader(responses.as_bytes()).records() {
        let r = record.unwrap();
        if matches!(&r[3], "contact_name" | "contact_email") && r[5].trim().len() > 2 {
            private.push(r[5].trim().to_string());
        }
    }
    // The practices of returns that did not consent to share them (a sample government
    // says no, another leaves the question blank) are private too.
    let mut consenting = std::collections::HashSet::new();
    let mut practices = Vec::new();
    for record in csv::Reader::from_reader(responses.as_bytes()).records() {
        let r = record.unwrap();
        if &r[3] == "share_practices" && &r[6] == "1.0" {
            consenting.insert((r[0].to_string(), r[2].to_string()));
        }
        if r[3].ends_with("_PRACTICE") && r[5].trim().len() > 20 {
            practices.push(((r[0].to_string(), r[2].to_string()), r[5].trim().to_string()));
        }
    }
    // (The sample gives some governments the same practice: a text a consenting return
    // also wrote is published as that return's.)
    let shared: std::collections::HashSet<&String> =
        practices.iter().filter(|(ret, _)| consenting.contains(ret)).map(|(_, t)| t).collect();
    let unshared: Vec<String> = practices
        .iter()
        .filter(|(ret, text)| !consenting.contains(ret) && !shared.contains(text))
        .map(|(_, text)| text.clone())
        .collect();
    assert!(!unshared.is_empty(), "the sample has practices that may not be published");
    private.extend(unshared);
    private.sort();
    private.dedup();
    assert!(private.iter().any(|p| p == PERSON) && private.iter().any(|p| p == PERSON_EMAIL));
    assert!(private.len() >= 10, "{private:?}");
    private.push(SOURCE_EMAIL.to_string());

    let o =
        hrcities().args(["site", "--store"]).arg(&store).arg("--out").arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("pages written to"), "{stdout}");
    // `compute` wrote the store's tables just before: the site is made from them.
    assert!(stdout.contains("the site is made from them"), "{stdout}");
    (out.join("site"), private)
}

#[test]
fn the_site_publishes_every_page_and_nothing_personal() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, private) = site_of_samples(tmp.path());

    // Every page, in each language: the campaign, 16 rights, 113 indicators, 14
    // governments (13 sample cities and the hostile return), the lists, the methodology,
    // the data and the search page.
    for lang in ["en", "es", "fr"] {
        for page in [
            "index.html",
            "rights/index.html",
            "rights/housing.html",
            "indicators/index.html",
            "indicators/HOU_I02.html",
            "governments/index.html",
            "governments/COL-villa-esperanza-del-sur.html",
            "methodology.html",
            "downloads.html",
            "search.html",
        ] {
            let path = site.join(lang).join(page);
            let html = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{page}"));
            assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}/{page}");
            assert!(html.contains("http-equiv=\"Content-Security-Policy\""), "{lang}/{page}");
        }
        let govs = std::fs::read_dir(site.join(lang).join("governments")).unwrap().count();
        assert_eq!(govs, 15, "{lang}: 14 governments and the list");
        let inds = std::fs::read_dir(site.join(lang).join("indicators")).unwrap().count();
        assert_eq!(inds, 114, "{lang}");
    }
    let es = std::fs::read_to_string(site.join("es/indicators/HOU_I02.html")).unwrap();
    assert!(es.contains("Hogares desalojados") && es.contains("PIDESC"), "Spanish titles");
    assert!(!es.contains("ICESCR"));

    // No contact name or e-mail address of any return, anywhere: pages, CSV, JSON, the
    // workbook's strings; no e-mail address at all.
    let mut scrubbed = false;
    for path in files(&site) {
        let name = path.to_string_lossy().to_string();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("html" | "csv" | "json" | "txt" | "css" | "js") => {
                std::fs::read_to_string(&path).unwrap()
            }
            // The workbook's XML, and the CSV, JSON and text files of the zipped package.
            Some("xlsx" | "zip") => {
                let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
                let mut all = String::new();
                for i in 0..zip.len() {
                    let mut f = zip.by_index(i).unwrap();
                    let entry = f.name().unwrap().to_string();
                    if [".xml", ".csv", ".json", ".txt"].iter().any(|e| entry.ends_with(e)) {
                        f.read_to_string(&mut all).unwrap();
                    }
                }
                all
            }
            _ => continue,
        };
        for p in &private {
            assert!(!text.contains(p.as_str()), "{name} holds {p}");
        }
        assert!(emails(&text).is_empty(), "{name}: {:?}", emails(&text));
        scrubbed |= text.contains(&format!("{SOURCE} (datos: [name removed], [e-mail removed])"));
    }
    assert!(scrubbed, "the source is published, without the name and address in it");
    // The Parquet copy of the answers: no personal column, nothing personal in the others.
    use polars_io::prelude::{ParquetReader, SerReader};
    let f = std::fs::File::open(site.join("downloads/data/responses.parquet")).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    for gone in ["comment", "answered_by", "file"] {
        assert!(df.column(gone).is_err(), "{gone}");
    }
    let csv = df.to_string();
    assert!(!csv.contains("contact_email") && !csv.contains(PERSON), "{csv}");
    // The licence and the dictionary.
    let licence = std::fs::read_to_string(site.join("downloads/data/LICENSE.txt")).unwrap();
    assert!(licence.contains("CC BY 4.0") || licence.contains("Creative Commons Attribution 4.0"));
    let dictionary = std::fs::read_to_string(site.join("downloads/data/dictionary.csv")).unwrap();
    assert!(dictionary.starts_with("table,field,type,unit,description,description_es"));
    assert!(dictionary.contains("responses,source,"));
    assert!(!dictionary.contains("responses,comment,"));
    // The whole package, zipped: every table as CSV and Parquet, described.
    let mut zip = zip::ZipArchive::new(
        std::fs::File::open(site.join("downloads/hrcities-data.zip")).unwrap(),
    )
    .unwrap();
    let mut package = String::new();
    zip.by_name("hrcities-data/datapackage.json").unwrap().read_to_string(&mut package).unwrap();
    assert!(package.contains("\"CC-BY-4.0\""));
    assert!(!package.contains("\"name\": \"sha256\""), "no return's file hash is published");
    for table in ["indicators", "responses", "recommendation_followup"] {
        assert!(zip.by_name(&format!("hrcities-data/{table}.csv")).is_ok(), "{table}");
        assert!(site.join(format!("downloads/data/{table}.parquet")).is_file(), "{table}");
    }
    assert!(site.join("downloads/data/hrcities-data-2027.xlsx").is_file());
    // Unzipped, it is a valid Frictionless data package.
    let unzipped = tmp.path().join("unzipped");
    zip.extract(&unzipped).unwrap();
    let checked = crate::datapackage::check_package(&unzipped.join("hrcities-data"));
    assert!(checked.problems.is_empty(), "{}", checked.problems.join("\n"));
    if let Some(errors) = crate::datapackage::frictionless_errors(&unzipped.join("hrcities-data")) {
        assert!(errors.is_empty(), "frictionless validate:\n{}", errors.join("\n"));
    }

    // The hostile return: its name is text on its page, in every file name safe.
    let hostile = files(&site.join("en/governments"))
        .into_iter()
        .find(|p| std::fs::read_to_string(p).unwrap().contains("&lt;script&gt;alert(1)"))
        .expect("the hostile government's page");
    let html = std::fs::read_to_string(&hostile).unwrap();
    assert!(!html.contains("<script>alert"), "{}", hostile.display());
    assert!(html.contains("<bdi>"), "names are isolated");
    for path in files(&site) {
        let rel = path.strip_prefix(&site).unwrap().to_string_lossy().to_string();
        assert!(
            rel.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)),
            "unsafe file name: {rel}"
        );
    }

    // No league table: the list of governments is by region, then by name.
    let list = std::fs::read_to_string(site.join("en/governments/index.html")).unwrap();
    let at = |name: &str| list.find(name).unwrap_or_else(|| panic!("{name}"));
    assert!(at("Europe") < at("Latin America"));
    assert!(at("Latin America") < at("Bahía Serena"));
    assert!(at("Bahía Serena") < at("Nuevo Alborán"));
    assert!(at("Nuevo Alborán") < at("Puerto Lumbre"));
    assert!(at("Puerto Lumbre") < at("Villa Esperanza del Sur"));

    // Every link of the whole site leads somewhere.
    let broken = crate::browser::broken_links(&site);
    assert!(broken.is_empty(), "{} broken links:\n{}", broken.len(), broken.join("\n"));

    // In a real browser: no console error, no failed request, no request leaving the site,
    // no dialog, no serious or critical axe-core violation; the hostile name shows as text.
    let hostile_page = format!("governments/{}", hostile.file_name().unwrap().to_string_lossy());
    let mut pages = Vec::new();
    for lang in ["en", "es", "fr"] {
        for page in [
            "index.html",
            "rights/housing.html",
            "indicators/HOU_I02.html",
            "governments/COL-villa-esperanza-del-sur.html",
            hostile_page.as_str(),
            "search.html",
        ] {
            pages.push(format!("{lang}/{page}"));
        }
    }
    pages.push("index.html".to_string());
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let shots = root().join("target/site-screenshots/samples");
    let Some(report) = crate::browser::check_in_browser(&site, &pages, &shots, None) else {
        return;
    };
    let problems = report.problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let hostile_only = [format!("en/{hostile_page}")];
    let hostile_only: Vec<&str> = hostile_only.iter().map(String::as_str).collect();
    let report = crate::browser::check_in_browser(
        &site,
        &hostile_only,
        &shots,
        Some("<script>alert(1)</script>"),
    )
    .expect("the browser ran once already");
    let problems = report.problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(report.pages.iter().all(|p| p.text_found == Some(true)), "the name shows as text");
}

#[test]
fn compute_public_leaves_out_personal_columns_and_your_templates_replace_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let returns = tmp.path().join("returns");
    crate::common::copy_samples(&returns, &["nyota-bay-2027.xlsx", "lumenstad-2027.xlsx"]);
    let store = tmp.path().join("store");
    let o = hrcities().arg("ingest").arg(&returns).arg("--store").arg(&store).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = tmp.path().join("out");
    let o = hrcities()
        .args(["compute", "--public", "--store"])
        .arg(&store)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.join("data").exists(), "--public writes only the public tables");
    let responses = std::fs::read_to_string(out.join("public/responses.csv")).unwrap();
    let header = responses.lines().next().unwrap();
    assert!(!header.contains("comment") && !header.contains("answered_by"), "{header}");
    assert!(!responses.contains("contact_email") && !responses.contains("rights@"));
    assert!(out.join("public/dictionary.csv").is_file());
    assert!(out.join("public/LICENSE.txt").is_file());

    // The site reads the tables `compute` wrote while they are the store's as it stands,
    // and computes them again once the store changed (here, a review).
    let site = |out: &Path| {
        let o = hrcities()
            .args(["site", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).contains("the site is made from them")
    };
    let o = hrcities().args(["compute", "--store"]).arg(&store).arg("--out").arg(&out).output();
    assert!(o.unwrap().status.success());
    assert!(site(&out), "fresh tables are used");
    let from_tables = std::fs::read_to_string(out.join("site/en/governments/KEN-nyota-bay.html"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = hrcities()
        .args(["store", "review", "KEN-nyota-bay", "--year", "2027", "--status", "received"])
        .arg("--store")
        .arg(&store)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!site(&out), "the store changed: the tables are computed again");
    let computed = std::fs::read_to_string(out.join("site/en/governments/KEN-nyota-bay.html"));
    assert_eq!(from_tables.unwrap(), computed.unwrap(), "the same page either way");

    // A campaign's own stylesheet and page frame.
    let own = tmp.path().join("templates");
    let o = hrcities().args(["templates", "export"]).arg(&own).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(own.join("base.html.j2").is_file() && own.join("site.css").is_file());
    std::fs::write(own.join("site.css"), "body { color: #000; } /* our campaign */").unwrap();
    let base = std::fs::read_to_string(own.join("base.html.j2")).unwrap();
    std::fs::write(own.join("base.html.j2"), base.replace("<main", "<p>Our banner</p><main"))
        .unwrap();
    let o = hrcities()
        .args(["site", "--store"])
        .arg(&store)
        .arg("--out")
        .arg(&out)
        .arg("--templates")
        .arg(&own)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let css = std::fs::read_to_string(out.join("site/assets/site.css")).unwrap();
    assert!(css.contains("our campaign"));
    let page = std::fs::read_to_string(out.join("site/fr/index.html")).unwrap();
    assert!(page.contains("<p>Our banner</p>") && page.contains("Villes et territoires"));
    // A folder that is not a site hrcities wrote is never replaced.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(other.join("site")).unwrap();
    std::fs::write(other.join("site/index.html"), "mine").unwrap();
    let o =
        hrcities().args(["site", "--store"]).arg(&store).arg("--out").arg(&other).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did not write"));
    assert_eq!(std::fs::read_to_string(other.join("site/index.html")).unwrap(), "mine");
}
