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

/// `svg` rendered to PNG at `scale` × its size, on white.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    let options = usvg::Options {
        fontdb: database(),
        font_family: fonts::FAMILY.to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
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
