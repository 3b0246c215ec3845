//! Stage 6: charts (plotters), as SVG for reports and PNG for slides.

/// The Okabe–Ito palette, safe for the common forms of colour blindness (Okabe & Ito,
/// "Color Universal Design", 2008), as `(name, RGB)`; black first for the selected city.
pub const PALETTE: [(&str, (u8, u8, u8)); 8] = [
    ("black", (0, 0, 0)),
    ("orange", (230, 159, 0)),
    ("sky_blue", (86, 180, 233)),
    ("bluish_green", (0, 158, 115)),
    ("yellow", (240, 228, 66)),
    ("blue", (0, 114, 178)),
    ("vermillion", (213, 94, 0)),
    ("reddish_purple", (204, 121, 167)),
];
