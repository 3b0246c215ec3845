//! The workbook reader on any bytes named `.xlsx`, without the guard that turns a panic into
//! a diagnostic: a workbook or an error, never a panic,
//! a hang or unbounded memory (libFuzzer's -rss_limit_mb catches the last).
#![no_main]

use std::sync::OnceLock;

use hrcities::framework::Framework;
use hrcities::questionnaire::limits::Limits;
use libfuzzer_sys::fuzz_target;

fn framework() -> &'static Framework {
    static FW: OnceLock<Framework> = OnceLock::new();
    FW.get_or_init(|| hrcities::framework::load_embedded(hrcities::i18n::Lang::En).framework)
}

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("return.xlsx");
    let _ = hrcities::questionnaire::read::read_workbook_bytes_unguarded(path, data, framework(), &Limits::default());
});
