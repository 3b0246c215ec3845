//! Fonts for measuring and drawing text, and SVG → PNG with resvg. Only the fonts embedded
//! in the binary are used: a machine with no fonts at all renders the same PNG.

use std::sync::{Arc, OnceLock};

use plotters::style::{register_font, FontStyle};
use resvg::{tiny_skia, usvg};

use crate::fonts;

/// Registers the embedded Noto Sans with plotters (which measures text with it); once.
pub fn register_fonts() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        for (style, bytes) in [
            (FontStyle::Normal, fonts::SANS_REGULAR),
            (FontStyle::Bold, fonts::SANS_BOLD),
            (FontStyle::Italic, fonts::SANS_ITALIC),
        ] {
            // The bytes are ours and valid; a failure would only make text measured roughly.
            let _ = register_font(fonts::FAMILY, style, bytes);
        }
    });
}

/// The font database resvg draws with: the embedded fonts only, never the system's.
fn database() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for bytes in fonts::ALL {
            db.load_font_data(bytes.to_vec());
        }
        db.set_sans_serif_family(fonts::FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// The families of the embedded fonts, in the order a character is looked for in them,
/// with the regular face of each (for its coverage).
const FAMILIES: [(&str, &[u8]); 3] = [
    (fonts::FAMILY, fonts::SANS_REGULAR),
    ("Noto Sans Arabic", fonts::ARABIC_REGULAR),
    ("Noto Sans CJK KR", fonts::CJK_REGULAR),
];

/// The `font-family` the charts' text elements name: the embedded families, so that a
/// browser or another renderer that has them uses them for every script.
pub const FAMILY_LIST: &str = "'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK KR', sans-serif";

/// Whether the family `family` of [`FAMILIES`] has a glyph for `c`.
fn covers(family: usize, c: char) -> bool {
    use ab_glyph::Font as _;
    static FACES: OnceLock<Vec<Option<ab_glyph::FontRef<'static>>>> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        FAMILIES.iter().map(|(_, bytes)| ab_glyph::FontRef::try_from_slice(bytes).ok()).collect()
    });
    faces[family].as_ref().is_some_and(|f| f.glyph_id(c).0 != 0)
}

/// `svg` (as plotters writes it) with the text of each `<text>` element split into runs by
/// the embedded family that has its letters: runs in Arabic or CJK go in a
/// `<tspan font-family="…">`, and the element names [`FAMILY_LIST`].
///
/// Renderers (usvg, in our PNGs and inside Typst's PDFs) otherwise shape a whole line in
/// Noto Sans and look for a fallback font letter by letter; they give up when the fallback
/// shapes the line into a different number of glyphs, as Arabic does with its ligatures
/// (`الأمل`), and draw empty boxes. Naming the family of each run shapes it in that font.
pub fn tag_scripts(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + 256);
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let Some(close) = rest[open_end..].find("</text>").map(|i| open_end + i) else { break };
        let open = rest[start..open_end].replace(
            &format!("font-family=\"{}\"", fonts::FAMILY),
            &format!("font-family=\"{FAMILY_LIST}\""),
        );
        out.push_str(&rest[..start]);
        out.push_str(&open);
        out.push_str(&runs(&rest[open_end..close]));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The XML text `content` with its runs of Arabic or CJK letters in `<tspan>`s. An entity
/// (`&amp;`) stands for its character and stays whole.
fn runs(content: &str) -> String {
    // Nearly every label is ASCII, which Noto Sans has.
    if content.is_ascii() {
        return content.to_string();
    }
    let mut out = String::with_capacity(content.len() + 64);
    let mut current = 0; // the base family
    let mut chars = content.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let (token, c) = if c == '&' {
            let end = content[i..].find(';').map_or(i + 1, |e| i + e + 1);
            while chars.peek().is_some_and(|(j, _)| *j < end) {
                chars.next();
            }
            let entity = &content[i..end];
            (entity, entity_char(entity))
        } else {
            (&content[i..i + c.len_utf8()], c)
        };
        // Letters and digits go to the first family that has them (Latin stays in Noto
        // Sans, whose CJK fallback also has Latin letters); spaces and punctuation stay in
        // the run they are in, so that a run is not cut at every space.
        let neutral = !c.is_alphanumeric();
        // Latin, Greek and Cyrillic (below U+0530) are Noto Sans's own.
        let family = if current == 0 && (c as u32) < 0x0530 {
            0
        } else if c.is_whitespace() || (neutral && covers(current, c)) {
            current
        } else {
            (0..FAMILIES.len()).find(|&f| covers(f, c)).unwrap_or(current)
        };
        if family != current {
            if current != 0 {
                out.push_str("</tspan>");
            }
            if family != 0 {
                out.push_str(&format!("<tspan font-family=\"{}\">", FAMILIES[family].0));
            }
            current = family;
        }
        out.push_str(token);
    }
    if current != 0 {
        out.push_str("</tspan>");
    }
    out
}

/// The character an XML entity stands for (`&lt;` → `<`; an unknown one counts as `&`).
fn entity_char(entity: &str) -> char {
    let name = entity.trim_start_matches('&').trim_end_matches(';');
    match name {
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => name
            .strip_prefix("#x")
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32)
            .unwrap_or('&'),
    }
}

/// Why an SVG could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the chart's SVG cannot be read ({0})")]
    Svg(#[from] usvg::Error),
    #[error("the chart is too large to render ({0} × {1} pixels)")]
    Size(u32, u32),
    #[error("the PNG cannot be encoded ({0})")]
    Png(String),
}

/// The font for a character that the chosen font lacks: among the embedded fonts that have
/// it, the one closest in style and weight to the chosen one (Noto Sans Arabic Bold for an
/// Arabic letter in a bold Noto Sans title). usvg's default takes the first font that has
/// the character, whatever its weight.
fn fallback(
    c: char,
    exclude: &[usvg::fontdb::ID],
    db: &mut Arc<usvg::fontdb::Database>,
) -> Option<usvg::fontdb::ID> {
    // Every face of the database is one of the embedded families, whose coverage is known.
    let has = |face: &usvg::fontdb::FaceInfo| {
        FAMILIES
            .iter()
            .position(|(name, _)| face.families.iter().any(|(n, _)| n == name))
            .is_some_and(|family| covers(family, c))
    };
    let base = exclude.first().and_then(|id| db.face(*id));
    let (style, weight) =
        base.map_or((usvg::fontdb::Style::Normal, 400), |b| (b.style, b.weight.0));
    db.faces()
        .filter(|f| !exclude.contains(&f.id) && has(f))
        .min_by_key(|f| {
            ((f.style != style) as u8, (f.weight.0 as i32 - weight as i32).unsigned_abs())
        })
        .map(|f| f.id)
}

/// How usvg turns the text of our SVGs into glyphs: the embedded fonts only, with
/// [`fallback`].
fn options() -> usvg::Options<'static> {
    usvg::Options {
        fontdb: database(),
        font_family: fonts::FAMILY.to_string(),
        font_resolver: usvg::FontResolver {
            select_font: usvg::FontResolver::default_font_selector(),
            select_fallback: Box::new(fallback),
        },
        ..usvg::Options::default()
    }
}

/// `svg` rendered to PNG at `scale` × its size, on white.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    let tree = usvg::Tree::from_str(svg, &options())?;
    let size = tree.size();
    let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(RenderError::Size(w, h))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    encode(&pixmap, scale).map_err(|e| RenderError::Png(e.to_string()))
}

/// `pixmap` as an RGB PNG that says its resolution (`scale` × 96 dpi). The pixmap is opaque
/// (drawn on white), so its premultiplied RGBA is plain RGB once the alpha is dropped.
/// Charts are mostly flat colour: unfiltered rows at deflate level 3 give files a little
/// smaller than tiny-skia's default encoder (adaptive filters, level 6) in 40% of its time;
/// PNG encoding was two thirds of the charts' time.
fn encode(pixmap: &tiny_skia::Pixmap, scale: f32) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(3));
    encoder.set_filter(png::Filter::NoFilter);
    // Pixels per metre at `scale` × 96 dpi.
    let ppm = (scale as f64 * 96.0 / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every glyph the text of `svg` is drawn with: (font family, weight, glyph id, text).
    fn glyphs(svg: &str) -> Vec<(String, u16, u16, String)> {
        type Glyphs = Vec<(String, u16, u16, String)>;
        fn walk(group: &usvg::Group, db: &usvg::fontdb::Database, out: &mut Glyphs) {
            for node in group.children() {
                match node {
                    usvg::Node::Group(g) => walk(g, db, out),
                    usvg::Node::Text(t) => {
                        for span in t.layouted() {
                            for g in &span.positioned_glyphs {
                                let face = db.face(g.font).expect("a font of the database");
                                let family = face.families[0].0.clone();
                                out.push((family, face.weight.0, g.id.0, g.text.clone()));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let options = options();
        let tree = usvg::Tree::from_str(svg, &options).expect("svg");
        let mut out = Vec::new();
        walk(tree.root(), tree.fontdb(), &mut out);
        out
    }

    #[test]
    fn runs_in_other_scripts_are_tagged_with_their_family() {
        let svg = "<svg><text x=\"1\" font-family=\"Noto Sans\">\nمدينة الأمل: R&amp;D 광주 &lt;b&gt;\n</text><text font-family=\"Noto Sans\">Plain</text></svg>";
        let tagged = tag_scripts(svg);
        assert_eq!(
            tagged,
            format!(
                "<svg><text x=\"1\" font-family=\"{FAMILY_LIST}\">\n<tspan font-family=\"Noto Sans Arabic\">مدينة الأمل: </tspan>R&amp;D <tspan font-family=\"Noto Sans CJK KR\">광주 </tspan>&lt;b&gt;\n</text><text font-family=\"{FAMILY_LIST}\">Plain</text></svg>"
            )
        );
        assert!(usvg::roxmltree::Document::parse(&tagged).is_ok(), "still well-formed");
    }

    // See issue 14, item 4: a bold Arabic title drew as empty boxes in the PNG.
    #[test]
    fn text_in_every_embedded_script_draws_in_every_weight() {
        for weight in ["normal", "bold"] {
            for (text, family) in [
                ("مدينة الأمل", "Noto Sans Arabic"),
                ("مدينة الأمل: right scores, 2026", "Noto Sans Arabic"),
                ("광주광역시", "Noto Sans CJK KR"),
                ("광주광역시: right scores, 2026", "Noto Sans CJK KR"),
                ("東京都", "Noto Sans CJK KR"),
                ("Αθήνα Москва", "Noto Sans"),
            ] {
                let svg = format!(
                    r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="4" y="30" font-family="{}" font-size="18" font-weight="{weight}">{text}</text></svg>"#,
                    fonts::FAMILY
                );
                let glyphs = glyphs(&tag_scripts(&svg));
                assert!(!glyphs.is_empty(), "{text}");
                for (f, w, id, t) in &glyphs {
                    assert_ne!(*id, 0, "{text} ({weight}): «{t}» is .notdef, an empty box");
                    let latin = t.chars().any(|c| c.is_ascii_alphanumeric());
                    let script = t.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
                    if latin {
                        assert_eq!(f, fonts::FAMILY, "{text} ({weight}): «{t}»");
                    } else if script && !text.starts_with('Α') {
                        assert_eq!(f, family, "{text} ({weight}): «{t}»");
                    }
                    // Bold where the family has a bold face (the CJK subset has one weight).
                    if weight == "bold" && f != "Noto Sans CJK KR" {
                        assert_eq!(*w, 700, "{text}: «{t}» drawn bold");
                    }
                }
            }
        }
    }
}
