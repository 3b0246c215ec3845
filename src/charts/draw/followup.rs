//! Where the follow-up of UN recommendations stands (Contract 6): for the recommendations
//! within local competence, a stacked bar per UHRI theme (or per mechanism) of how many are
//! implemented, in progress, not started or not yet assessed.

use super::*;
use crate::charts::data::FollowRow;

/// The colour of a status segment (`grey`: not assessed).
fn colour(name: &str) -> RGBColor {
    if name == "grey" {
        RGBColor(190, 190, 190)
    } else {
        palette(name)
    }
}

/// The statuses in bar order, and the palette colour of each.
const SEGMENTS: [(&str, &str); 4] = [
    ("implemented", "bluish_green"),
    ("in_progress", "sky_blue"),
    ("not_started", "orange"),
    ("none", "grey"),
];

/// What to group the bars by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowBy {
    Theme,
    Mechanism,
}

/// The bars: a label and the count of each status of [`SEGMENTS`], largest first.
pub fn follow_counts(
    rows: &[&FollowRow],
    l: Labels<'_>,
    by: FollowBy,
) -> Vec<(String, [usize; 4])> {
    let mut bars: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.relevant) {
        let keys: Vec<String> = match by {
            FollowBy::Theme if r.themes.is_empty() => vec![l.t("chart.follow_no_theme").into()],
            FollowBy::Theme => r.themes.iter().map(|t| l.fw.vocab.uhri_label(t, l.lang)).collect(),
            FollowBy::Mechanism => {
                let key = format!("rec.mechanism.{}", r.mechanism);
                vec![crate::i18n::capitalised(crate::i18n::tr(l.lang, &key))]
            }
        };
        let status = r.status.as_deref().unwrap_or("none");
        let k = SEGMENTS.iter().position(|(s, _)| *s == status).unwrap_or(3);
        for key in keys {
            bars.entry(key).or_default()[k] += 1;
        }
    }
    let mut out: Vec<(String, [usize; 4])> = bars.into_iter().collect();
    out.sort_by(|a, b| {
        b.1.iter().sum::<usize>().cmp(&a.1.iter().sum::<usize>()).then(a.0.cmp(&b.0))
    });
    out
}

/// The stacked bars of the follow-up of `rows` (one city's or the campaign's), by theme or
/// by mechanism, written to `path`.
pub fn follow_up(
    rows: &[&FollowRow],
    l: Labels<'_>,
    by: FollowBy,
    path: PathBuf,
    scope: &str,
) -> Chart {
    let bars = follow_counts(rows, l, by);
    let key = match by {
        FollowBy::Theme => "chart.follow_title_theme",
        FollowBy::Mechanism => "chart.follow_title_mechanism",
    };
    let title = trf(l.lang, key, &[("scope", &scope)]);
    let subtitle = l.t("chart.follow_subtitle").to_string();
    let total: usize = rows.iter().filter(|r| r.relevant).count();
    let done: usize = rows
        .iter()
        .filter(|r| {
            r.relevant && matches!(r.status.as_deref(), Some("implemented" | "in_progress"))
        })
        .count();
    let desc =
        trf(l.lang, "chart.follow_desc", &[("n", &total), ("k", &done), ("bars", &bars.len())]);
    let row = 26.0;
    let top = header_height(&title, &subtitle) + 40.0;
    let height = top + row * bars.len().max(1) as f64 + 30.0;
    let (label_w, x0, x1) = (250.0, 270.0, W as f64 - 60.0);
    let most = bars.iter().map(|(_, c)| c.iter().sum::<usize>()).max().unwrap_or(1).max(1);
    chart(path, title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        // The legend.
        let mut x = x0;
        for (status, colour) in SEGMENTS {
            let label = crate::i18n::tr(l.lang, &format!("rec.status.{status}")).to_string();
            let label = label.as_str();
            rect(area, (x, top - 26.0), (x + 12.0, top - 14.0), self::colour(colour).filled());
            text(area, label, (x + 16.0, top - 20.0), left(font(11.0), INK));
            x += 26.0 + width(label, 11.0);
        }
        if bars.is_empty() {
            text(
                area,
                l.t("chart.no_data"),
                ((x0 + x1) / 2.0, top + row / 2.0),
                centre(italic(13.0), MUTED),
            );
        }
        for (i, (label, counts)) in bars.iter().enumerate() {
            let y = top + row * (i as f64 + 0.5);
            text(area, &shorten(label, 12.0, label_w), (20.0, y), left(font(12.0), INK));
            let mut at = x0;
            for (k, n) in counts.iter().enumerate() {
                if *n == 0 {
                    continue;
                }
                let w = (x1 - x0) * *n as f64 / most as f64;
                rect(area, (at, y - 8.0), (at + w, y + 8.0), colour(SEGMENTS[k].1).filled());
                if w > 14.0 {
                    let ink = if k == 0 { WHITE } else { INK };
                    text(area, &n.to_string(), (at + w / 2.0, y), centre(font(10.0), ink));
                }
                at += w;
            }
            let sum: usize = counts.iter().sum();
            text(area, &sum.to_string(), (at + 6.0, y), left(font(11.0), MUTED));
        }
    })
}
