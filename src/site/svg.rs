//! The site's charts: small SVG documents written by hand, inlined in the pages. Each has a
//! `<title>` and a `<desc>` that name it for screen readers (`role="img"`), colours from the
//! stylesheet's classes (no inline style, which the pages' Content-Security-Policy forbids),
//! and a data table beside it on the page. Text is escaped here: it may come from a return.

use std::fmt::Write;

/// Escapes `text` for XML text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The opening of a chart: `<svg>` with its title and description, `id` making their ids
/// unique on the page.
fn open(out: &mut String, id: &str, width: u32, height: u32, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
}

/// Cuts `text` to `max` characters with an ellipsis.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// One bar of a [`bars`] chart.
pub struct Bar {
    pub label: String,
    /// 0–100; `None` is drawn as "no value", never as zero.
    pub value: Option<f64>,
    /// What the value is printed as.
    pub shown: String,
    /// A reference mark (a median), 0–100.
    pub mark: Option<f64>,
}

/// Horizontal bars on a 0–100 scale, with an optional reference mark on each row.
pub fn bars(id: &str, title: &str, desc: &str, rows: &[Bar], none: &str, mark: &str) -> String {
    const LABEL: f64 = 250.0;
    const PLOT: f64 = 380.0;
    const ROW: f64 = 24.0;
    const TOP: f64 = 28.0;
    let height = TOP + ROW * rows.len() as f64 + 30.0;
    let mut out = String::new();
    open(&mut out, id, 720, height as u32, title, desc);
    // The axis: 0, 50, 100.
    for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let x = LABEL + PLOT * tick / 100.0;
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
             <text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{tick:.0}</text>",
            TOP - 6.0,
            TOP + ROW * rows.len() as f64,
            TOP - 10.0
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            out,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL - 8.0,
            y + 16.0,
            esc(&cut(&row.label, 34))
        );
        match row.value {
            Some(v) => {
                let w = PLOT * v.clamp(0.0, 100.0) / 100.0;
                // The value is printed past the bar, and past the mark when the mark is
                // just beyond the bar's end, so that neither hides the other.
                let after = match row.mark.map(|m| PLOT * m.clamp(0.0, 100.0) / 100.0) {
                    Some(m) if m >= w - 2.0 && m <= w + 24.0 => m + 2.0,
                    _ => w,
                };
                let _ = write!(
                    out,
                    "<rect class=\"bar\" x=\"{LABEL}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"16\"/>\
                     <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    y + 4.0,
                    LABEL + after + 6.0,
                    y + 16.0,
                    esc(&row.shown)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<text class=\"none\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    LABEL + 6.0,
                    y + 16.0,
                    esc(none)
                );
            }
        }
        if let Some(m) = row.mark {
            let x = LABEL + PLOT * m.clamp(0.0, 100.0) / 100.0;
            let _ = write!(
                out,
                "<line class=\"mark\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>",
                y + 1.0,
                y + 23.0
            );
        }
    }
    if !mark.is_empty() {
        let y = TOP + ROW * rows.len() as f64 + 20.0;
        let _ = write!(
            out,
            "<line class=\"mark\" x1=\"{LABEL}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
             <text class=\"legend\" x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
            LABEL,
            y - 12.0,
            y + 2.0,
            LABEL + 8.0,
            esc(mark)
        );
    }
    out.push_str("</svg>");
    out
}

/// One column of a [`columns`] chart.
pub struct Column {
    /// Under the column (a band of values, "yes", "no").
    pub label: String,
    pub count: u32,
}

/// Vertical columns of counts (how many governments in each band of values).
pub fn columns(id: &str, title: &str, desc: &str, cols: &[Column], axis: &str) -> String {
    const LEFT: f64 = 40.0;
    const PLOT_W: f64 = 660.0;
    const TOP: f64 = 16.0;
    const PLOT_H: f64 = 180.0;
    let max = cols.iter().map(|c| c.count).max().unwrap_or(0).max(1) as f64;
    let mut out = String::new();
    open(&mut out, id, 720, (TOP + PLOT_H + 60.0) as u32, title, desc);
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>",
        LEFT + PLOT_W,
        TOP + PLOT_H,
        TOP + PLOT_H
    );
    let n = cols.len().max(1) as f64;
    let slot = PLOT_W / n;
    for (i, c) in cols.iter().enumerate() {
        let h = PLOT_H * c.count as f64 / max;
        let x = LEFT + slot * i as f64 + slot * 0.1;
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"/>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            TOP + PLOT_H - h,
            slot * 0.8,
            x + slot * 0.4,
            TOP + PLOT_H - h - 4.0,
            c.count,
            x + slot * 0.4,
            TOP + PLOT_H + 16.0,
            esc(&cut(&c.label, (slot / 7.0) as usize))
        );
    }
    let _ = write!(
        out,
        "<text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></svg>",
        LEFT + PLOT_W / 2.0,
        TOP + PLOT_H + 44.0,
        esc(axis)
    );
    out
}

/// Progress toward each milestone: one meter per milestone, filled by `reached` of it.
/// `rows` are (the milestone, as shown, what the meter says).
pub fn milestones(
    id: &str,
    title: &str,
    desc: &str,
    reached: f64,
    rows: &[(f64, String, String)],
) -> String {
    const LEFT: f64 = 120.0;
    const PLOT: f64 = 460.0;
    let mut out = String::new();
    open(&mut out, id, 720, 30 + 40 * rows.len() as u32, title, desc);
    for (i, (goal, shown, label)) in rows.iter().enumerate() {
        let y = 14.0 + 40.0 * i as f64;
        let share = (reached / goal.max(1.0)).clamp(0.0, 1.0);
        let _ = write!(
            out,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"track\" x=\"{LEFT}\" y=\"{y:.1}\" width=\"{PLOT}\" height=\"20\"/>\
             <rect class=\"bar\" x=\"{LEFT}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"20\"/>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LEFT - 8.0,
            y + 15.0,
            esc(shown),
            PLOT * share,
            LEFT + PLOT + 8.0,
            y + 15.0,
            esc(label)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_returns_is_escaped_and_missing_is_not_zero() {
        let rows = [
            Bar { label: "<script>".into(), value: None, shown: String::new(), mark: None },
            Bar { label: "A & B".into(), value: Some(50.0), shown: "50".into(), mark: Some(40.0) },
        ];
        let svg = bars("x", "T<", "D\"", &rows, "no value", "median");
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        assert!(svg.contains("A &amp; B") && svg.contains("T&lt;") && svg.contains("D&quot;"));
        assert!(svg.contains(">no value<"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 1);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
