//! Embeds the default framework (`indicators/*.toml`), the report templates
//! (`templates/*.j2`) and the sample returns (`sample-data/`, for `hrcities demo`) in the
//! binary, so `hrcities` works from any folder. Generates `$OUT_DIR/embedded.rs` with one
//! `include_str!` or `include_bytes!` per file.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    let mut code = String::new();
    for (name, dir, ext) in
        [("FRAMEWORK_FILES", "indicators", "toml"), ("TEMPLATE_FILES", "templates", "j2")]
    {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the embedded folder exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        files.sort();
        writeln!(code, "pub const {name}: &[(&str, &str)] = &[").unwrap();
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let file_name = f.file_name().and_then(|n| n.to_str()).expect("UTF-8 file name");
            writeln!(code, "    ({file_name:?}, include_str!({:?})),", f.display().to_string())
                .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let samples = root.join("sample-data");
    println!("cargo:rerun-if-changed={}", samples.display());
    let mut files: Vec<_> = std::fs::read_dir(&samples)
        .expect("sample-data exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "ods" || e == "xls"))
        .collect();
    files.sort();
    writeln!(code, "pub const SAMPLE_FILES: &[(&str, &[u8])] = &[").unwrap();
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let file_name = f.file_name().and_then(|n| n.to_str()).expect("UTF-8 file name");
        writeln!(code, "    ({file_name:?}, include_bytes!({:?})),", f.display().to_string())
            .unwrap();
    }
    writeln!(code, "];").unwrap();
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
