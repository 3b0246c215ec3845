//! The web site checked as people open it, for the site's tests to call (issue 23, "checked
//! in a real browser"): [`broken_links`] reads every page's links and ids in Rust;
//! [`check_in_browser`] opens pages from `file://` in the system Chromium through
//! `tests/browser/check.mjs` (playwright-core and axe-core, pinned in
//! `tests/browser/package.json`) and reads back its [`BrowserReport`].
//!
//! The browser check needs node, `npm ci --prefix tests/browser` and Chromium
//! (`/usr/bin/chromium`, or the path in HRCITIES_CHROMIUM). Without them it is skipped,
//! unless HRCITIES_REQUIRE_TOOLS is set (CI sets it). The tests here run both checks on the
//! hand-made pages of `tests/fixtures/site-check/` to show that each one can fail.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::common::root;

// ---------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------

/// What [`check_links`] found in a site's pages, each line as `page -> target`, sorted.
#[derive(Debug, Default)]
pub struct Links {
    /// Targets that do not exist, ids missing from their page, and targets that cannot
    /// work from `file://` or make a request to another site; a reason in parentheses
    /// follows the target when it is more than "not found".
    pub broken: Vec<String>,
    /// Links to other sites that people follow (`<a href="https://…">`): allowed, since
    /// they make no request until clicked.
    pub external: Vec<String>,
}

/// Every broken link of the site in `site`, as `page -> target` (see [`Links::broken`]).
pub fn broken_links(site: &Path) -> Vec<String> {
    check_links(site).broken
}

/// Reads every `.html` page under `site` and checks the targets of its `href` and `src`
/// attributes: a relative path must name a file of the site (not a folder, which
/// `file://` shows as a listing); a `#fragment` must be the `id` of an element of the
/// target page (or `top`, or empty). `http:`, `https:` and `//` targets are external
/// links when people follow them (`<a>`, `<area>`, `<link>` that loads nothing) and broken
/// when the page would fetch them (`src`, stylesheets, icons); `mailto:`, `tel:` and
/// `data:` targets are fine; any other scheme, and any absolute path, is broken.
pub fn check_links(site: &Path) -> Links {
    let mut files = Vec::new();
    html_files(site, "", &mut files);
    files.sort();
    let pages = read_pages(site, &files);
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    let mut broken = BTreeSet::new();
    let mut external = BTreeSet::new();
    for name in &files {
        for link in &pages[name.as_str()].links {
            let problem = match link_target(name, link) {
                Target::Fine => None,
                Target::External => {
                    external.insert(format!("{name} -> {}", link.value));
                    None
                }
                Target::Broken(why) => Some(why.to_string()),
                Target::Local { path, fragment } => {
                    let kind = match kinds.get(&path) {
                        Some(&kind) => kind,
                        None => {
                            let kind = match std::fs::metadata(site.join(&path)) {
                                Ok(m) if m.is_dir() => Kind::Folder,
                                Ok(_) => Kind::File,
                                Err(_) => Kind::Missing,
                            };
                            kinds.insert(path.clone(), kind);
                            kind
                        }
                    };
                    match kind {
                        Kind::Missing => Some(String::new()),
                        Kind::Folder => {
                            Some("a folder: from file:// it shows no index.html".to_string())
                        }
                        Kind::File => match (fragment, pages.get(path.as_str())) {
                            (Some(id), Some(to)) if !to.has_id(&id) => {
                                Some(format!("no element with id \"{id}\" there"))
                            }
                            _ => None,
                        },
                    }
                }
            };
            match problem {
                Some(why) if why.is_empty() => {
                    broken.insert(format!("{name} -> {}", link.value));
                }
                Some(why) => {
                    broken.insert(format!("{name} -> {} ({why})", link.value));
                }
                None => {}
            }
        }
    }
    Links { broken: broken.into_iter().collect(), external: external.into_iter().collect() }
}

/// The pages `files` of `site` read, on as many threads as there are cores.
fn read_pages<'a>(site: &Path, files: &'a [String]) -> HashMap<&'a str, Page> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|names| {
                scope.spawn(move || {
                    names
                        .iter()
                        .map(|name| {
                            let html = std::fs::read(site.join(name))
                                .unwrap_or_else(|e| panic!("{name}: {e}"));
                            (name.as_str(), Page::read(&String::from_utf8_lossy(&html)))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("page reader")).collect()
    })
}

/// Whether a path of the site names a file, a folder, or nothing.
#[derive(Clone, Copy)]
enum Kind {
    File,
    Folder,
    Missing,
}

/// Every `.html` file under `site`'s folder `rel` (`""` for all), as a path relative to
/// `site` with `/` between its parts.
fn html_files(site: &Path, rel: &str, out: &mut Vec<String>) {
    let dir = site.join(rel);
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let entry = entry.expect("folder entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        if entry.path().is_dir() {
            html_files(site, &path, out);
        } else if path.ends_with(".html") || path.ends_with(".htm") {
            out.push(path);
        }
    }
}

/// The links and ids of one page.
#[derive(Default)]
struct Page {
    links: Vec<Link>,
    ids: HashSet<String>,
}

/// One `href` or `src` attribute.
struct Link {
    /// Whether people follow it (`<a href>`, `<area href>`, a `<link>` that loads nothing)
    /// rather than the page fetching it.
    followed: bool,
    /// The attribute's value, character references decoded.
    value: String,
}

impl Page {
    /// Scans `html` tag by tag: comments, doctypes, end tags and the text of `<script>`
    /// and `<style>` are skipped; attribute values may be quoted either way or not at all.
    fn read(html: &str) -> Page {
        let b = html.as_bytes();
        let mut page = Page::default();
        let mut attrs = Vec::new();
        let mut i = 0;
        while let Some(at) = html[i..].find('<') {
            let start = i + at;
            let rest = &html[start..];
            if let Some(comment) = rest.strip_prefix("<!--") {
                i = comment.find("-->").map_or(b.len(), |e| start + 4 + e + 3);
                continue;
            }
            if !b.get(start + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
                // An end tag, a doctype, or a `<` in text.
                i = if matches!(b.get(start + 1), Some(b'/' | b'!' | b'?')) {
                    rest.find('>').map_or(b.len(), |e| start + e + 1)
                } else {
                    start + 1
                };
                continue;
            }
            let tag;
            (tag, i) = read_tag(html, start + 1, &mut attrs);
            for &(name, value) in &attrs {
                let href =
                    name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("xlink:href");
                if href || name.eq_ignore_ascii_case("src") {
                    let followed = href && follows(tag, &attrs);
                    page.links.push(Link { followed, value: decode_references(value) });
                } else if name.eq_ignore_ascii_case("id") {
                    page.ids.insert(decode_references(value));
                }
            }
            for raw in ["script", "style"] {
                if tag.eq_ignore_ascii_case(raw) {
                    i = find_ignore_case(html, i, &format!("</{raw}")).unwrap_or(b.len());
                }
            }
        }
        page
    }

    /// Whether `#id` leads somewhere on this page (`#top` always does).
    fn has_id(&self, id: &str) -> bool {
        self.ids.contains(id) || id.eq_ignore_ascii_case("top")
    }
}

/// Whether people follow the `href` of the element `tag` with `attrs`, rather than the
/// page fetching it: `<a>`, `<area>`, and a `<link>` whose `rel` loads nothing
/// (`alternate`, `license`…).
fn follows(tag: &str, attrs: &[(&str, &str)]) -> bool {
    if tag.eq_ignore_ascii_case("a") || tag.eq_ignore_ascii_case("area") {
        return true;
    }
    if !tag.eq_ignore_ascii_case("link") {
        return false;
    }
    let rel = attrs.iter().find(|(n, _)| n.eq_ignore_ascii_case("rel")).map_or("", |a| a.1);
    !rel.split_ascii_whitespace().any(|r| {
        [
            "stylesheet",
            "icon",
            "apple-touch-icon",
            "preload",
            "modulepreload",
            "prefetch",
            "manifest",
        ]
        .iter()
        .any(|loads| r.eq_ignore_ascii_case(loads))
    })
}

/// Reads the start tag whose name begins at `from` into its name and `attrs` (names and
/// values as written, without quotes); returns the name and the position after its `>`.
fn read_tag<'a>(
    html: &'a str,
    from: usize,
    attrs: &mut Vec<(&'a str, &'a str)>,
) -> (&'a str, usize) {
    let b = html.as_bytes();
    let delimits = |c: u8| c.is_ascii_whitespace() || c == b'>' || c == b'/';
    attrs.clear();
    let mut i = from;
    while i < b.len() && !delimits(b[i]) {
        i += 1;
    }
    let tag = &html[from..i];
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (tag, i);
        }
        if b[i] == b'>' {
            return (tag, i + 1);
        }
        let name_start = i;
        i += 1;
        while i < b.len() && !delimits(b[i]) && b[i] != b'=' {
            i += 1;
        }
        let name = &html[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            attrs.push((name, ""));
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = html[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                let value = &html[i + 1..end];
                i = (end + 1).min(b.len());
                value
            }
            _ => {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &html[start..i]
            }
        };
        attrs.push((name, value));
    }
}

/// The position of `needle` (ASCII) in `html` at or after `from`, ignoring ASCII case.
fn find_ignore_case(html: &str, from: usize, needle: &str) -> Option<usize> {
    let (b, n) = (html.as_bytes(), needle.as_bytes());
    (from..b.len().saturating_sub(n.len() - 1)).find(|&i| b[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// `value` with its character references decoded: the named ones a generator writes
/// (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;`) and every numeric one.
fn decode_references(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with its `%XX` escapes decoded (invalid UTF-8 replaced).
fn percent_decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).and_then(|&c| hex(c)), b.get(i + 2).and_then(|&c| hex(c))) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a link leads.
enum Target {
    /// Somewhere that needs no check (`mailto:`, `data:`, the page itself).
    Fine,
    /// Another site, reached only when people follow the link.
    External,
    /// A path of the site (relative to it) and the fragment, both percent-decoded.
    Local { path: String, fragment: Option<String> },
    /// A target that cannot work, and why.
    Broken(&'static str),
}

/// Where `link`, on the page `page` (relative to the site, `/` between parts), leads.
fn link_target(page: &str, link: &Link) -> Target {
    let value = link.value.trim();
    let leaves = || {
        if link.followed {
            Target::External
        } else {
            Target::Broken("a request that leaves the site")
        }
    };
    if value.starts_with("//") {
        return leaves();
    }
    let before = value.find(['/', '?', '#']).unwrap_or(value.len());
    if let Some(colon) = value[..before].find(':') {
        let scheme = &value[..colon];
        let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if valid {
            return match scheme.to_ascii_lowercase().as_str() {
                "http" | "https" => leaves(),
                "mailto" | "tel" | "data" => Target::Fine,
                _ => Target::Broken("a scheme that is not part of the site"),
            };
        }
    }
    let (rest, fragment) = match value.split_once('#') {
        Some((rest, f)) => (rest, Some(percent_decode(f)).filter(|f| !f.is_empty())),
        None => (value, None),
    };
    let path = percent_decode(rest.split('?').next().unwrap_or(""));
    if path.starts_with('/') {
        return Target::Broken("an absolute path: from file:// it starts at the disk's root");
    }
    if path.is_empty() {
        return match fragment {
            Some(_) => Target::Local { path: page.to_string(), fragment },
            None => Target::Fine,
        };
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Broken("outside the site");
                }
            }
            s => parts.push(s),
        }
    }
    if path.ends_with('/') {
        return Target::Broken("a folder: from file:// it shows no index.html");
    }
    Target::Local { path: parts.join("/"), fragment }
}

// ---------------------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------------------

/// What `tests/browser/check.mjs` saw, page by page (its REPORT.json).
#[derive(Debug, Deserialize)]
pub struct BrowserReport {
    /// One entry per page asked for, in the order given.
    pub pages: Vec<PageReport>,
    /// The text every page was to contain (`expect_text` of [`check_in_browser`]).
    #[serde(skip)]
    pub expect_text: Option<String>,
}

/// One page, opened with JavaScript on and, in another context, with it off. Each message is the
/// browser's text, with the script or resource it concerns in parentheses.
#[derive(Debug, Deserialize)]
pub struct PageReport {
    /// The page's path relative to the site, as given.
    pub page: String,
    /// The `file://` URL opened.
    pub url: String,
    /// Console messages of type error (a Content-Security-Policy violation is one).
    pub console_errors: Vec<String>,
    /// Uncaught exceptions, and the page not opening at all.
    pub page_errors: Vec<String>,
    /// Requests for files of the site that failed (`URL (net::ERR_…)`).
    pub failed_requests: Vec<String>,
    /// Requests for anything not a file (`GET https://…`), stopped before going out.
    pub external_requests: Vec<String>,
    /// Alerts, confirms and prompts (`alert: message`), dismissed.
    pub dialogs: Vec<String>,
    /// axe-core's violations of WCAG 2.0–2.2 A and AA rules.
    pub axe: Vec<AxeViolation>,
    /// Whether the page's text contains the expected text; `None` when none was given.
    pub text_found: Option<bool>,
    /// The full-page screenshot (PNG); `None` when the page could not be checked.
    pub screenshot: Option<PathBuf>,
    /// The same page with JavaScript off.
    pub without_js: WithoutJs,
}

/// What a page did with JavaScript off (see [`PageReport`] for each field).
#[derive(Debug, Deserialize)]
pub struct WithoutJs {
    pub console_errors: Vec<String>,
    pub page_errors: Vec<String>,
    pub failed_requests: Vec<String>,
    pub external_requests: Vec<String>,
    pub dialogs: Vec<String>,
}

/// One axe-core rule a page breaks.
#[derive(Debug, Deserialize)]
pub struct AxeViolation {
    /// The rule, e.g. `image-alt`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    /// What the rule asks for, in a sentence.
    pub help: String,
    /// CSS selectors of up to 5 elements that break it.
    pub nodes: Vec<String>,
}

impl BrowserReport {
    /// Every problem, one readable line each naming its page: console errors, uncaught
    /// exceptions, failed requests, requests that leave the site and dialogs (with
    /// JavaScript on and off), axe violations of impact `serious` or `critical`, and the
    /// expected text missing.
    pub fn problems(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for p in &self.pages {
            for (on, seen) in [
                (String::new(), p.seen()),
                (" (without JavaScript)".to_string(), p.without_js.seen()),
            ] {
                for (what, messages) in seen {
                    for m in messages {
                        lines.push(format!("{}{on}: {what}: {m}", p.page));
                    }
                }
            }
            for v in &p.axe {
                let impact = v.impact.as_deref().unwrap_or("unknown");
                if matches!(impact, "serious" | "critical") {
                    lines.push(format!(
                        "{}: axe {} ({impact}): {} at {}",
                        p.page,
                        v.id,
                        v.help,
                        v.nodes.join(", ")
                    ));
                }
            }
            if p.text_found == Some(false) {
                let text = self.expect_text.as_deref().unwrap_or("the expected text");
                lines.push(format!("{}: text not found: {text:?}", p.page));
            }
        }
        lines
    }

    /// The report of the page `page` (as given to [`check_in_browser`]).
    pub fn page(&self, page: &str) -> &PageReport {
        self.pages.iter().find(|p| p.page == page).unwrap_or_else(|| panic!("{page} not checked"))
    }
}

impl PageReport {
    /// Each kind of finding with JavaScript on, with its name in [`BrowserReport::problems`].
    fn seen(&self) -> [(&'static str, &[String]); 5] {
        [
            ("console error", &self.console_errors),
            ("uncaught error", &self.page_errors),
            ("failed request", &self.failed_requests),
            ("request that leaves the site", &self.external_requests),
            ("dialog", &self.dialogs),
        ]
    }
}

impl WithoutJs {
    /// Each kind of finding with JavaScript off, named as in [`PageReport::seen`].
    fn seen(&self) -> [(&'static str, &[String]); 5] {
        [
            ("console error", &self.console_errors),
            ("uncaught error", &self.page_errors),
            ("failed request", &self.failed_requests),
            ("request that leaves the site", &self.external_requests),
            ("dialog", &self.dialogs),
        ]
    }
}

/// The folder for a test's screenshots, emptied: `target/site-screenshots/<test>/`, kept
/// after the run so that people (and CI) can look at the pages.
pub fn screenshots(test: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target folder");
    let dir = target.join("site-screenshots").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// The Chromium the check uses: HRCITIES_CHROMIUM, or the Debian package's.
fn chromium() -> PathBuf {
    std::env::var_os("HRCITIES_CHROMIUM").map_or_else(|| "/usr/bin/chromium".into(), PathBuf::from)
}

/// What the browser check needs and is missing, as a hint for each.
fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    // playwright-core 1.65 needs Node 20 (Debian 12's own nodejs is 18).
    let node = std::process::Command::new("node").arg("--version").output();
    let major = node.ok().filter(|o| o.status.success()).and_then(|o| {
        let version = String::from_utf8_lossy(&o.stdout).trim().trim_start_matches('v').to_string();
        version.split('.').next()?.parse::<u32>().ok()
    });
    match major {
        None => missing.push("node (apt-get install nodejs npm)".to_string()),
        Some(major) if major < 20 => missing.push(format!("node 20 or later (found {major})")),
        Some(_) => {}
    }
    let modules = root().join("tests/browser/node_modules");
    if !["playwright-core", "axe-core"].iter().all(|m| modules.join(m).is_dir()) {
        missing.push("tests/browser/node_modules (npm ci --prefix tests/browser)".to_string());
    }
    let chromium = chromium();
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium at {} (apt-get install chromium, or set HRCITIES_CHROMIUM)",
            chromium.display()
        ));
    }
    missing
}

/// Opens each of `pages` (paths relative to `site`) in Chromium from `file://`, with
/// `tests/browser/check.mjs`; writes a screenshot per page and `report.json` into `shots`;
/// with `expect_text`, checks that each page's text contains it. `None` when node,
/// `tests/browser/node_modules` or Chromium is missing (a panic under
/// HRCITIES_REQUIRE_TOOLS); a panic when the check could not run.
pub fn check_in_browser(
    site: &Path,
    pages: &[&str],
    shots: &Path,
    expect_text: Option<&str>,
) -> Option<BrowserReport> {
    let missing = missing_tools();
    if !missing.is_empty() {
        let missing = missing.join("; ");
        assert!(
            std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
            "the browser check is required but these are missing: {missing}"
        );
        eprintln!("skipped the browser check: missing {missing}");
        return None;
    }
    std::fs::create_dir_all(shots).expect("screenshot folder");
    let report = shots.join("report.json");
    let _ = std::fs::remove_file(&report);
    // One command-line argument holds at most 128 KiB: a long list goes through a file.
    let mut list = pages.join(",");
    if list.len() > 32 * 1024 || pages.iter().any(|p| p.contains(',')) {
        let file = shots.join("pages.txt");
        std::fs::write(&file, pages.join("\n")).expect("write the page list");
        list = format!("@{}", file.display());
    }
    let mut cmd = assert_cmd::Command::new("node");
    cmd.arg(root().join("tests/browser/check.mjs"))
        .arg("--site")
        .arg(site)
        .arg("--pages")
        .arg(&list)
        .arg("--shots")
        .arg(shots)
        .arg("--report")
        .arg(&report);
    if let Some(text) = expect_text {
        cmd.arg("--expect-text").arg(text);
    }
    // A page takes about a third of a second; a hung browser fails the test instead of
    // stopping the run.
    cmd.timeout(Duration::from_secs(120 + 10 * pages.len() as u64));
    let out = cmd.output().expect("run node");
    assert!(
        out.status.success(),
        "the browser check could not run ({}):\n{}{}",
        match out.status.code() {
            Some(code) => format!("exit code {code}"),
            None => "killed: it took too long".to_string(),
        },
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let json = std::fs::read_to_string(&report).expect("check.mjs wrote its report");
    let mut report: BrowserReport = serde_json::from_str(&json).expect("report.json");
    report.expect_text = expect_text.map(str::to_string);
    Some(report)
}

// ---------------------------------------------------------------------------------------
// Tests of the checks themselves
// ---------------------------------------------------------------------------------------

/// The hand-made site whose pages each have one known problem (`good.html` and
/// `sub/other page.html` have none).
fn fixture() -> PathBuf {
    root().join("tests/fixtures/site-check")
}

/// Every page of the fixture, as the browser check is given them.
const FIXTURE_PAGES: [&str; 7] = [
    "good.html",
    "sub/other page.html",
    "inline-script.html",
    "external-image.html",
    "missing-image.html",
    "broken-link.html",
    "alert.html",
];

#[test]
fn links_broken_in_the_fixture_are_found_on_their_pages() {
    let links = check_links(&fixture());
    assert_eq!(
        links.broken,
        [
            "broken-link.html -> good.html#no-such-id (no element with id \"no-such-id\" there)",
            "broken-link.html -> nowhere.html",
            "external-image.html -> https://example.org/x.png (a request that leaves the site)",
            "missing-image.html -> missing.png",
        ]
    );
    assert_eq!(links.external, ["good.html -> https://www.ohchr.org/"]);
    assert_eq!(broken_links(&fixture()), links.broken);
}

#[test]
fn links_are_read_as_a_browser_reads_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path();
    std::fs::create_dir_all(site.join("en/rights")).expect("mkdir");
    std::fs::write(site.join("en/rights/a&b é.html"), r#"<p id="x">here</p>"#).expect("write");
    std::fs::write(site.join("data.csv"), "a,b\n").expect("write");
    let page = r##"<!DOCTYPE html><html><head>
<link rel="stylesheet" href="../assets/site.css">
<link rel="alternate" hreflang="es" href="https://example.org/es/">
<script src="//cdn.example.org/x.js"></script>
<script>var s = '<a href="not-a-link.html">';</script>
<style>a[href="also-not.html"] { color: red }</style>
</head><body>
<!-- <a href="commented-out.html"> -->
<a href="rights/a&amp;b%20%C3%A9.html#x">fine</a>
<a href='rights/a&#38;b%20%c3%a9.html#y'>missing id</a>
<a href=../data.csv?v=1>fine, unquoted, with a query</a>
<A HREF="#here">fine: same page</A> <span id=here></span>
<a href="#top">fine</a> <a href="#">fine</a> <a href="">fine</a>
<a href="../en/">a folder</a>
<a href="/en/index.html">absolute</a>
<a href="../../outside.html">outside</a>
<a href="javascript:void(0)">script</a>
<a href="mailto:a@example.org">fine</a> <img src="data:image/png;base64,AA" alt="">
<svg><use xlink:href="#nowhere"/></svg>
</body></html>"##;
    std::fs::write(site.join("en/index.html"), page).expect("write");
    let links = check_links(site);
    assert_eq!(
        links.broken,
        [
            "en/index.html -> #nowhere (no element with id \"nowhere\" there)",
            "en/index.html -> ../../outside.html (outside the site)",
            "en/index.html -> ../assets/site.css",
            "en/index.html -> ../en/ (a folder: from file:// it shows no index.html)",
            "en/index.html -> //cdn.example.org/x.js (a request that leaves the site)",
            "en/index.html -> /en/index.html (an absolute path: from file:// it starts at the \
             disk's root)",
            "en/index.html -> javascript:void(0) (a scheme that is not part of the site)",
            "en/index.html -> rights/a&b%20%c3%a9.html#y (no element with id \"y\" there)",
        ]
    );
    assert_eq!(links.external, ["en/index.html -> https://example.org/es/"]);
}

#[test]
fn browser_finds_each_problem_on_its_page() {
    let shots = screenshots("browser_finds_each_problem_on_its_page");
    let Some(report) =
        check_in_browser(&fixture(), &FIXTURE_PAGES, &shots, Some("Site check fixture"))
    else {
        return;
    };
    let problems = report.problems();
    let on = |page: &str| -> Vec<&String> {
        let (js, no_js) = (format!("{page}:"), format!("{page} (without JavaScript):"));
        problems.iter().filter(|p| p.starts_with(&js) || p.starts_with(&no_js)).collect()
    };
    let has = |page: &str, text: &str| on(page).iter().any(|p| p.contains(text));
    let all = problems.join("\n");

    assert!(on("good.html").is_empty(), "{all}");
    assert!(on("sub/other page.html").is_empty(), "{all}");
    assert!(
        has("inline-script.html", "console error: Executing inline script violates"),
        "the inline script's CSP violation:\n{all}"
    );
    assert!(
        has("external-image.html", "request that leaves the site: GET https://example.org/x.png"),
        "{all}"
    );
    assert!(has("missing-image.html", "failed request: file://"), "{all}");
    assert!(has("missing-image.html", "missing.png (net::ERR_FILE_NOT_FOUND)"), "{all}");
    assert!(has("missing-image.html", "axe image-alt (critical)"), "{all}");
    assert!(has("alert.html", "dialog: alert: 1"), "{all}");
    assert!(has("broken-link.html", "text not found: \"Site check fixture\""), "{all}");
    // With JavaScript off, the missing image still fails, and no script runs.
    let missing = report.page("missing-image.html");
    assert_eq!(missing.without_js.failed_requests.len(), 1, "{all}");
    assert!(report.page("alert.html").without_js.dialogs.is_empty());
    assert!(report.page("inline-script.html").without_js.console_errors.is_empty());
    // Each page was opened from file://, and has its screenshot.
    for page in &report.pages {
        assert!(page.url.starts_with("file:///"), "{}", page.url);
        let shot = page.screenshot.as_ref().expect("a screenshot");
        assert!(std::fs::read(shot).expect("screenshot").starts_with(b"\x89PNG"), "{shot:?}");
    }
}
