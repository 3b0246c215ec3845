//! Fonts embedded in the binary (`assets/fonts/`, SIL Open Font License 1.1), so charts and
//! reports look the same on every machine and never depend on the fonts a system happens to
//! have: Noto Sans (Latin, Greek, Cyrillic, Vietnamese), Noto Sans Arabic, and a subset of
//! Noto Sans CJK KR (all Hangul, kana, and the 8,930 Han characters of GB 2312 and Big5
//! level 1).

/// The family charts and reports set their text in.
pub const FAMILY: &str = "Noto Sans";

pub const SANS_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
pub const SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSans-Bold.ttf");
pub const SANS_ITALIC: &[u8] = include_bytes!("../assets/fonts/NotoSans-Italic.ttf");
pub const ARABIC_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansArabic-Regular.ttf");
pub const ARABIC_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSansArabic-Bold.ttf");
pub const CJK_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansCJKkr-Subset.otf");

/// Every embedded font file, the main family first (fallbacks after it).
pub const ALL: [&[u8]; 6] =
    [SANS_REGULAR, SANS_BOLD, SANS_ITALIC, ARABIC_REGULAR, ARABIC_BOLD, CJK_REGULAR];

/// Every embedded font file with its file name, and the licence, for writing beside the
/// reports' Typst sources.
pub const FILES: [(&str, &[u8]); 7] = [
    ("NotoSans-Regular.ttf", SANS_REGULAR),
    ("NotoSans-Bold.ttf", SANS_BOLD),
    ("NotoSans-Italic.ttf", SANS_ITALIC),
    ("NotoSansArabic-Regular.ttf", ARABIC_REGULAR),
    ("NotoSansArabic-Bold.ttf", ARABIC_BOLD),
    ("NotoSansCJKkr-Subset.otf", CJK_REGULAR),
    ("LICENSE.txt", include_bytes!("../assets/fonts/LICENSE.txt")),
];
