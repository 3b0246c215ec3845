//! Embeds the default framework (`indicators/*.toml`), the report templates
//! (`templates/*.j2`), the web site's templates and assets (`templates/site/`), the sample
//! returns (`sample-data/`), the sample UN recommendations (`sample-recommendations/`) and
//! the sample pledge register
//! (`sample-pledges/`, all three for `hrcities demo`) in the binary,
//! so `hrcities` works from any folder. Generates `$OUT_DIR/embedded.rs` with one
//! `include_str!` (text) or `include_bytes!` (binary files) per file.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    let mut code = String::new();
    // (constant, folder, extensions, whether the files are text)
    let sets: [(&str, &str, &[&str], bool); 6] = [
        ("FRAMEWORK_FILES", "indicators", &["toml"], true),
        ("TEMPLATE_FILES", "templates", &["j2"], true),
        ("SITE_FILES", "templates/site", &["j2", "css", "js"], true),
        ("SAMPLE_FILES", "sample-data", &["xlsx", "ods", "xls"], false),
        ("SAMPLE_RECOMMENDATIONS", "sample-recommendations", &["xlsx", "csv"], false),
        ("SAMPLE_PLEDGES", "sample-pledges", &["csv"], false),
    ];
    for (name, dir, exts, text) in sets {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the embedded folder exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
            .collect();
        files.sort();
        let (kind, include) = if text { ("str", "include_str") } else { ("[u8]", "include_bytes") };
        writeln!(code, "pub const {name}: &[(&str, &{kind})] = &[").unwrap();
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let file_name = f.file_name().and_then(|n| n.to_str()).expect("UTF-8 file name");
            writeln!(code, "    ({file_name:?}, {include}!({:?})),", f.display().to_string())
                .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
