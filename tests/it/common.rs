//! What the test modules share: the `hrcities` binary, run with a clean environment and a
//! time limit (so a hang fails a test instead of stopping the run), and the repository's
//! folders.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// The `hrcities` binary, with no inherited environment and at most 5 minutes to run.
pub fn hrcities() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("hrcities"));
    cmd.env_clear().timeout(Duration::from_secs(300));
    cmd
}

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// A file of `sample-data/`.
pub fn sample(name: &str) -> PathBuf {
    root().join("sample-data").join(name)
}

/// Copies the files `names` of `sample-data/` into the folder `dir` (made if needed).
pub fn copy_samples(dir: &Path, names: &[&str]) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for name in names {
        std::fs::copy(sample(name), dir.join(name)).expect("copy");
    }
}

/// A copy of the default framework (`indicators/*.toml`) in a temporary folder.
pub fn framework_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(root().join("indicators")).expect("indicators/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

/// Copies the workbook `src` to `dest` with its shared strings (`xl/sharedStrings.xml`)
/// changed by `edit`; every other zip entry is copied as it is.
pub fn with_shared_strings(src: &Path, dest: &Path, edit: impl Fn(String) -> String) {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(src).expect("open")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(dest).expect("create"));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let entry = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if entry == "xl/sharedStrings.xml" {
            data = edit(String::from_utf8(data).expect("UTF-8")).into_bytes();
        }
        out.start_file(entry, options).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish");
}
