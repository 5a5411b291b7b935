//! Donut ("pie") chart with a legend.

use super::palette;
use super::svg::{chart_id, ellipsize, esc, n, open};
use crate::fmt_money;

/// Colour role of a pie slice; each maps to a fixed colour with ≥ 3:1 contrast on white.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    /// Blue.
    Primary,
    /// Teal.
    Secondary,
    /// Grey.
    Muted,
    /// Amber.
    Warning,
}

impl Tone {
    /// The fill colour (hex).
    pub fn color(self) -> &'static str {
        match self {
            Tone::Primary => palette::PRIMARY,
            Tone::Secondary => palette::SECONDARY,
            Tone::Muted => palette::MUTED,
            Tone::Warning => palette::WARNING,
        }
    }
}

/// One slice of a pie chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    /// Legend and tooltip label, e.g. "Paid".
    pub label: String,
    /// Amount in cents. Zero and negative amounts get no segment (they still appear in the legend).
    pub value: i64,
    /// Colour role.
    pub tone: Tone,
}

const WIDTH: u32 = 640;
const CX: f64 = 150.0;
const R_OUT: f64 = 120.0;
const R_IN: f64 = 70.0;
const ROW: f64 = 30.0;
const LEGEND_X: f64 = 310.0;

/// Renders a donut chart of `slices` (amounts in cents) with a legend on the right.
///
/// Natural size 640 × 300 (taller with more than 8 slices). Each non-empty segment is a focusable
/// `g.chart-seg` with a tooltip like "Paid: $12,345.67 (42 %)"; its `.chart-tip` readout
/// replaces the total in the middle of the ring. With nothing to show (no slices, or all ≤ 0) it
/// draws a grey ring with "No data".
pub fn pie(title: &str, slices: &[Slice]) -> String {
    let total: i128 = slices.iter().map(|s| i128::from(s.value.max(0))).sum();
    let total_cents = i64::try_from(total).unwrap_or(i64::MAX);
    let rows = slices.len() as f64;
    let height = (rows * ROW + 40.0).max(300.0);
    let cy = height / 2.0;

    let id = chart_id("pie", &[title, &slices.iter().map(|s| format!("{}={}", s.label, s.value)).collect::<String>()]);
    let desc = describe(slices, total);
    let mut out = String::with_capacity(4096);
    open(&mut out, &id, "chart-pie", WIDTH, height.round() as u32, title, &desc);

    if total == 0 {
        // Grey ring with "No data".
        out.push_str(&format!(
            "<path class=\"chart-empty\" d=\"{}\" fill=\"{}\" fill-rule=\"evenodd\" stroke=\"{}\" stroke-width=\"1\"/>",
            ring_path(CX, cy),
            palette::GRID,
            palette::AXIS
        ));
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"16\" fill=\"{}\">No data</text>",
            n(CX),
            n(cy + 6.0),
            palette::TEXT_MUTED
        ));
    } else {
        // Total in the middle (drawn first so a segment's readout can cover it).
        out.push_str(&format!(
            "<g class=\"chart-total\"><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" \
             fill=\"{}\">Total</text><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"18\" \
             font-weight=\"bold\" fill=\"{}\">{}</text></g>",
            n(cy - 6.0),
            palette::TEXT_MUTED,
            n(cy + 16.0),
            palette::TEXT,
            esc(&fmt_money(total_cents)),
            cx = n(CX),
        ));
        let angles = segment_angles(slices);
        let single = slices.iter().filter(|s| s.value > 0).count() == 1;
        for (slice, (a0, a1)) in slices.iter().zip(angles) {
            if slice.value <= 0 {
                continue;
            }
            let tip = tooltip(slice, total);
            let d = if single { ring_path(CX, cy) } else { sector_path(CX, cy, a0, a1) };
            out.push_str(&format!(
                "<g class=\"chart-seg\" tabindex=\"0\"><title>{}</title><path d=\"{d}\" fill=\"{}\" \
                 fill-rule=\"evenodd\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
                esc(&tip),
                slice.tone.color()
            ));
            // Readout in the hole: white disc, label, amount, percentage.
            out.push_str(&format!(
                "<g class=\"chart-tip\" visibility=\"hidden\"><circle cx=\"{cx}\" cy=\"{}\" r=\"{}\" \
                 fill=\"#ffffff\"/><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" \
                 fill=\"{}\">{}</text><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"16\" \
                 font-weight=\"bold\" fill=\"{}\">{}</text><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" \
                 font-size=\"13\" fill=\"{}\">{}</text></g></g>",
                n(cy),
                n(R_IN - 3.0),
                n(cy - 14.0),
                palette::TEXT_MUTED,
                esc(&ellipsize(&slice.label, 16)),
                n(cy + 6.0),
                palette::TEXT,
                esc(&fmt_money(slice.value)),
                n(cy + 25.0),
                palette::TEXT_MUTED,
                esc(&percent(slice.value, total)),
                cx = n(CX),
            ));
        }
    }

    // Legend.
    out.push_str("<g class=\"chart-legend\">");
    let top = cy - rows * ROW / 2.0;
    for (i, slice) in slices.iter().enumerate() {
        let y = top + i as f64 * ROW + ROW / 2.0;
        let value = if total > 0 && slice.value > 0 {
            format!("{} · {}", fmt_money(slice.value), percent(slice.value, total))
        } else {
            fmt_money(slice.value)
        };
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" rx=\"3\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text>",
            n(LEGEND_X),
            n(y - 7.0),
            slice.tone.color(),
            n(LEGEND_X + 22.0),
            n(y + 5.0),
            palette::TEXT,
            esc(&ellipsize(&slice.label, 20)),
            n(f64::from(WIDTH) - 10.0),
            n(y + 5.0),
            palette::TEXT,
            esc(&value),
        ));
    }
    out.push_str("</g></svg>");
    out
}

/// "Paid: $12,345.67 (42 %)".
fn tooltip(slice: &Slice, total: i128) -> String {
    format!("{}: {} ({})", slice.label, fmt_money(slice.value), percent(slice.value, total))
}

/// Whole percent of `total`, "<1 %" for tiny non-zero shares.
fn percent(value: i64, total: i128) -> String {
    if total <= 0 || value <= 0 {
        return "0 %".to_string();
    }
    let v = i128::from(value);
    let pct = (v * 200 + total) / (total * 2); // rounded half up
    if pct == 0 { "<1 %".to_string() } else { format!("{pct} %") }
}

fn describe(slices: &[Slice], total: i128) -> String {
    if total == 0 {
        return "No data to show.".to_string();
    }
    let parts: Vec<String> = slices
        .iter()
        .filter(|s| s.value > 0)
        .map(|s| format!("{} {} ({})", s.label, fmt_money(s.value), percent(s.value, total)))
        .collect();
    format!(
        "Pie chart of {} totalling {}: {}.",
        if parts.len() == 1 { "1 part".to_string() } else { format!("{} parts", parts.len()) },
        fmt_money(i64::try_from(total).unwrap_or(i64::MAX)),
        parts.join(", ")
    )
}

/// Start and end angle (degrees, clockwise from 12 o'clock) of each slice; zero-width for
/// slices ≤ 0. The last positive slice ends exactly at 360.
pub(crate) fn segment_angles(slices: &[Slice]) -> Vec<(f64, f64)> {
    let total: i128 = slices.iter().map(|s| i128::from(s.value.max(0))).sum();
    let mut acc: i128 = 0;
    slices
        .iter()
        .map(|s| {
            let start = if total > 0 { acc as f64 * 360.0 / total as f64 } else { 0.0 };
            acc += i128::from(s.value.max(0));
            let end = if total > 0 { acc as f64 * 360.0 / total as f64 } else { 0.0 };
            (start, end)
        })
        .collect()
}

fn polar(cx: f64, cy: f64, r: f64, deg: f64) -> (f64, f64) {
    let rad = deg.to_radians();
    (cx + r * rad.sin(), cy - r * rad.cos())
}

/// Annular sector from `a0` to `a1` degrees.
fn sector_path(cx: f64, cy: f64, a0: f64, a1: f64) -> String {
    let large = if a1 - a0 > 180.0 { 1 } else { 0 };
    let (x0, y0) = polar(cx, cy, R_OUT, a0);
    let (x1, y1) = polar(cx, cy, R_OUT, a1);
    let (x2, y2) = polar(cx, cy, R_IN, a1);
    let (x3, y3) = polar(cx, cy, R_IN, a0);
    format!(
        "M{} {}A{R} {R} 0 {large} 1 {} {}L{} {}A{r} {r} 0 {large} 0 {} {}Z",
        n(x0),
        n(y0),
        n(x1),
        n(y1),
        n(x2),
        n(y2),
        n(x3),
        n(y3),
        R = n(R_OUT),
        r = n(R_IN)
    )
}

/// A full ring (outer circle minus inner circle, use with `fill-rule="evenodd"`).
fn ring_path(cx: f64, cy: f64) -> String {
    let circle = |r: f64| {
        format!(
            "M{} {}A{r} {r} 0 1 1 {} {}A{r} {r} 0 1 1 {} {}Z",
            n(cx),
            n(cy - r),
            n(cx),
            n(cy + r),
            n(cx),
            n(cy - r),
            r = n(r)
        )
    };
    format!("{}{}", circle(R_OUT), circle(R_IN))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(label: &str, value: i64, tone: Tone) -> Slice {
        Slice { label: label.to_string(), value, tone }
    }

    #[test]
    fn angles_sum_to_360() {
        let slices = [
            s("Paid", 1_234_567, Tone::Primary),
            s("Interest", 333_333, Tone::Warning),
            s("Nothing", 0, Tone::Muted),
            s("Remaining", 1_111_111, Tone::Secondary),
        ];
        let angles = segment_angles(&slices);
        let sum: f64 = angles.iter().map(|(a, b)| b - a).sum();
        assert!((sum - 360.0).abs() < 1e-9, "{sum}");
        assert!(angles.iter().all(|(a, b)| b >= a));
        assert_eq!(angles.last().map(|a| a.1), Some(360.0));
        assert_eq!(angles.get(2).map(|(a, b)| b - a), Some(0.0));
    }

    #[test]
    fn percent_rounding() {
        assert_eq!(percent(42, 100), "42 %");
        assert_eq!(percent(1, 1000), "<1 %");
        assert_eq!(percent(5, 1000), "1 %");
        assert_eq!(percent(2, 3), "67 %");
        assert_eq!(percent(0, 3), "0 %");
    }
}
