//! Amortization line chart: balance falling, cumulative principal and interest rising.

use super::palette;
use super::svg::{chart_id, ellipsize, esc, n, open, text_width};
use crate::fmt_money;

/// One point of an amortization schedule (amounts in cents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmortPoint {
    /// X-axis label, e.g. "Mar 2026".
    pub label: String,
    /// Principal balance after this payment.
    pub balance: i64,
    /// Principal paid so far.
    pub cumulative_principal: i64,
    /// Interest paid so far.
    pub cumulative_interest: i64,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 360.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 608.0;
const TOP: f64 = 52.0;
const BOTTOM: f64 = 316.0;
/// At most this many x-axis labels.
const MAX_X_LABELS: usize = 8;
/// At most this many focusable points.
const MAX_POINTS: usize = 60;
/// Up to this many points every point gets a visible dot.
const MAX_DOTS: usize = 24;
/// Left edge of a point's readout.
const READOUT_X: f64 = 8.0;

struct Series {
    name: &'static str,
    color: &'static str,
    width: &'static str,
    dash: Option<&'static str>,
    value: fn(&AmortPoint) -> i64,
}

const SERIES: [Series; 3] = [
    Series { name: "Balance", color: palette::PRIMARY, width: "3", dash: None, value: |p| p.balance },
    Series {
        name: "Principal paid",
        color: palette::SECONDARY,
        width: "2.5",
        dash: None,
        value: |p| p.cumulative_principal,
    },
    Series {
        name: "Interest paid",
        color: palette::WARNING,
        width: "2.5",
        dash: Some("7 4"),
        value: |p| p.cumulative_interest,
    },
];

/// Renders the amortization chart without a "Today" marker. See [`amortization_with_marker`].
pub fn amortization(title: &str, points: &[AmortPoint]) -> String {
    amortization_with_marker(title, points, None)
}

/// Renders three lines over `points` — principal balance, cumulative principal, cumulative
/// interest — with a legend, money gridlines on nice round ticks, at most 8 x-axis labels, and a
/// dashed vertical "Today" line at `today` (an index into `points`; ignored when out of range).
///
/// Natural size 640 × 360. Lines are exact for any number of points; focusable
/// `g.chart-point` elements (tooltip "Mar 2026 — balance $x, principal paid $y, interest paid
/// $z") are thinned to at most 60 evenly spaced points (always including the first, the last and
/// `today`). Each point's `.chart-tip` readout covers the legend band at the top.
pub fn amortization_with_marker(title: &str, points: &[AmortPoint], today: Option<usize>) -> String {
    let fingerprint: String =
        points.iter().map(|p| format!("{}{}{}", p.label, p.balance, p.cumulative_interest)).collect();
    let id = chart_id("amort", &[title, &fingerprint]);
    let desc = describe(points);
    let mut out = String::with_capacity(8192 + points.len() * 64);
    open(&mut out, &id, "chart-line", WIDTH as u32, HEIGHT as u32, title, &desc);

    // Y scale.
    let (lo, hi) = points
        .iter()
        .flat_map(|p| SERIES.iter().map(move |s| (s.value)(p)))
        .fold((0i64, 0i64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let ticks = nice_ticks(lo, hi);
    let y_min = ticks.first().copied().unwrap_or(0) as f64;
    let y_max = ticks.last().copied().unwrap_or(100) as f64;
    let y_span = if y_max > y_min { y_max - y_min } else { 1.0 };
    let y_of = |v: i64| BOTTOM - (v as f64 - y_min) / y_span * (BOTTOM - TOP);
    let count = points.len();
    let x_of = |i: usize| {
        if count <= 1 { (LEFT + RIGHT) / 2.0 } else { LEFT + i as f64 * (RIGHT - LEFT) / (count - 1) as f64 }
    };

    // Gridlines and y labels.
    out.push_str("<g class=\"chart-grid\">");
    for &t in &ticks {
        let y = y_of(t);
        let color = if t == 0 { palette::AXIS } else { palette::GRID };
        out.push_str(&format!(
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"1\"/>",
            n(LEFT),
            n(RIGHT),
            y = n(y)
        ));
    }
    out.push_str("</g><g class=\"chart-axis\" font-size=\"12\">");
    for &t in &ticks {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text>",
            n(LEFT - 8.0),
            n(y_of(t) + 4.0),
            palette::TEXT_MUTED,
            esc(&tick_label(t))
        ));
    }
    // X labels, evenly thinned, first and last included.
    for i in spread(count, MAX_X_LABELS) {
        let Some(p) = points.get(i) else { continue };
        let x = x_of(i);
        out.push_str(&format!(
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
            n(BOTTOM),
            n(BOTTOM + 5.0),
            palette::AXIS,
            n(BOTTOM + 22.0),
            palette::TEXT_MUTED,
            esc(&ellipsize(&p.label, 12)),
            x = n(x)
        ));
    }
    out.push_str("</g>");

    if points.is_empty() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"16\" fill=\"{}\">No data</text>",
            n((LEFT + RIGHT) / 2.0),
            n((TOP + BOTTOM) / 2.0),
            palette::TEXT_MUTED
        ));
    }

    // Legend.
    out.push_str("<g class=\"chart-legend\" font-size=\"13\">");
    let mut lx = LEFT;
    for s in &SERIES {
        out.push_str(&format!(
            "<line x1=\"{}\" y1=\"22\" x2=\"{}\" y2=\"22\" stroke=\"{}\" stroke-width=\"{}\"{}/>\
             <text x=\"{}\" y=\"26.5\" fill=\"{}\">{}</text>",
            n(lx),
            n(lx + 24.0),
            s.color,
            s.width,
            dash_attr(s.dash),
            n(lx + 30.0),
            palette::TEXT,
            s.name
        ));
        lx += 30.0 + text_width(s.name, 13.0) + 24.0;
    }
    out.push_str("</g>");

    // Today marker.
    if let Some(t) = today.filter(|&t| t < count) {
        let x = x_of(t);
        let (anchor, tx) = if x > RIGHT - 50.0 { ("end", x - 5.0) } else { ("start", x + 5.0) };
        out.push_str(&format!(
            "<g class=\"chart-today\"><line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" \
             stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/><text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" \
             font-size=\"12\" font-weight=\"bold\" fill=\"{}\">Today</text></g>",
            n(TOP - 4.0),
            n(BOTTOM),
            palette::TEXT,
            n(tx),
            n(TOP + 10.0),
            palette::TEXT,
            x = n(x)
        ));
    }

    // Lines (exact, every point).
    out.push_str("<g class=\"chart-series\" fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">");
    for s in &SERIES {
        let mut pts = String::with_capacity(count * 12);
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                pts.push(' ');
            }
            pts.push_str(&n(x_of(i)));
            pts.push(',');
            pts.push_str(&n(y_of((s.value)(p))));
        }
        out.push_str(&format!(
            "<polyline points=\"{pts}\" stroke=\"{}\" stroke-width=\"{}\"{}/>",
            s.color,
            s.width,
            dash_attr(s.dash)
        ));
        if count <= MAX_DOTS {
            for (i, p) in points.iter().enumerate() {
                out.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"/>",
                    n(x_of(i)),
                    n(y_of((s.value)(p))),
                    s.color
                ));
            }
        }
    }
    out.push_str("</g>");

    // Focusable points with hover columns, highlight and readout.
    let mut focus = spread(count, MAX_POINTS);
    if let Some(t) = today.filter(|&t| t < count)
        && let Err(pos) = focus.binary_search(&t)
    {
        focus.insert(pos, t);
    }
    for (k, &i) in focus.iter().enumerate() {
        let Some(p) = points.get(i) else { continue };
        let x = x_of(i);
        // The hover column reaches halfway to the neighbouring focusable points.
        let left = if k == 0 { LEFT } else { focus.get(k - 1).map_or(LEFT, |&j| (x_of(j) + x) / 2.0) };
        let right = focus.get(k + 1).map_or(RIGHT, |&j| (x_of(j) + x) / 2.0);
        let (left, right) = if count <= 1 { (LEFT, RIGHT) } else { (left, right) };
        let tip = tooltip(p);
        out.push_str(&format!(
            "<g class=\"chart-point\" tabindex=\"0\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" \
             height=\"{}\" fill=\"transparent\"/><g class=\"chart-hl\" visibility=\"hidden\"><line x1=\"{x}\" \
             y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
            esc(&tip),
            n(left),
            n(TOP),
            n((right - left).max(1.0)),
            n(BOTTOM - TOP),
            n(TOP),
            n(BOTTOM),
            palette::AXIS,
            x = n(x)
        ));
        for s in &SERIES {
            out.push_str(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
                n(x),
                n(y_of((s.value)(p))),
                s.color
            ));
        }
        out.push_str(&format!(
            "</g><g class=\"chart-tip\" visibility=\"hidden\"><rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" \
             fill=\"#ffffff\"/><text x=\"{}\" y=\"26.5\" font-size=\"13\" fill=\"{}\">{}</text></g></g>",
            n(WIDTH),
            n(TOP - 12.0),
            n(READOUT_X),
            palette::TEXT,
            esc(&readout(p))
        ));
    }
    out.push_str("</svg>");
    out
}

fn dash_attr(dash: Option<&str>) -> String {
    dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default()
}

/// "Mar 2026 — balance $x, principal paid $y, interest paid $z".
fn tooltip(p: &AmortPoint) -> String {
    format!(
        "{} — balance {}, principal paid {}, interest paid {}",
        p.label,
        fmt_money(p.balance),
        fmt_money(p.cumulative_principal),
        fmt_money(p.cumulative_interest)
    )
}

/// Readout for the legend band, from `READOUT_X` (fits 630 px at 13 px up to seven-figure amounts).
fn readout(p: &AmortPoint) -> String {
    format!(
        "{} · balance {} · principal paid {} · interest paid {}",
        ellipsize(&p.label, 14),
        fmt_money(p.balance),
        fmt_money(p.cumulative_principal),
        fmt_money(p.cumulative_interest)
    )
}

fn describe(points: &[AmortPoint]) -> String {
    match (points.first(), points.last()) {
        (Some(first), Some(last)) if points.len() > 1 => format!(
            "Line chart from {} to {}: the balance goes from {} to {}, principal paid reaches {} and \
             interest paid reaches {}.",
            first.label,
            last.label,
            fmt_money(first.balance),
            fmt_money(last.balance),
            fmt_money(last.cumulative_principal),
            fmt_money(last.cumulative_interest)
        ),
        (Some(only), _) => format!("Line chart with a single point: {}.", tooltip(only)),
        _ => "No data to show.".to_string(),
    }
}

/// `k` (at most `max`) indices evenly spread over `0..count`, including the first and the last.
pub(crate) fn spread(count: usize, max: usize) -> Vec<usize> {
    if count == 0 || max == 0 {
        return Vec::new();
    }
    if count <= max {
        return (0..count).collect();
    }
    let k = max.max(2);
    let mut out: Vec<usize> = (0..k).map(|j| (j * (count - 1) + (k - 1) / 2) / (k - 1)).collect();
    out.dedup();
    out
}

/// Nice round ticks (cents) covering `lo..=hi` and zero: steps of 1, 2, 2.5 or 5 × 10ⁿ, about five
/// intervals. `nice_ticks(0, 2_500_000)` → 0, $5k, $10k, $15k, $20k, $25k.
pub(crate) fn nice_ticks(lo: i64, hi: i64) -> Vec<i64> {
    let lo = i128::from(lo.min(0));
    let hi = i128::from(hi.max(0)).max(lo + 100); // at least $1
    let raw = (hi - lo) as f64 / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 && mag >= 10.0 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = ((nice * mag).round() as i128).max(1);
    let start = lo.div_euclid(step) * step;
    let end = if hi.rem_euclid(step) == 0 { hi } else { (hi.div_euclid(step) + 1) * step };
    let mut ticks = Vec::new();
    let mut t = start;
    while t <= end && ticks.len() < 20 {
        if let Ok(v) = i64::try_from(t) {
            ticks.push(v);
        }
        t += step;
    }
    ticks
}

/// Compact money label for an axis: "$0", "$500", "$2.5k", "$25k", "$1.2M", "$0.50".
pub(crate) fn tick_label(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let dollars = abs as f64 / 100.0;
    let body = if abs >= 100_000_000 {
        format!("{}M", trim(dollars / 1_000_000.0))
    } else if abs >= 100_000 {
        format!("{}k", trim(dollars / 1_000.0))
    } else if abs.is_multiple_of(100) {
        format!("{}", abs / 100)
    } else {
        format!("{dollars:.2}")
    };
    format!("{sign}${body}")
}

/// Up to two decimals, trailing zeros removed.
fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0');
    s.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_for_25k() {
        assert_eq!(nice_ticks(0, 2_500_000), vec![0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000]);
        let labels: Vec<String> = nice_ticks(0, 2_500_000).into_iter().map(tick_label).collect();
        assert_eq!(labels, ["$0", "$5k", "$10k", "$15k", "$20k", "$25k"]);
    }

    #[test]
    fn ticks_are_round_and_cover() {
        for &(lo, hi) in &[(0, 1), (0, 99), (0, 123_456), (0, 24_000_000), (-50_000, 300_000), (0, 3_150_000_000)] {
            let t = nice_ticks(lo, hi);
            assert!(t.len() >= 2 && t.len() <= 12, "{lo}..{hi}: {t:?}");
            assert!(t.first().is_some_and(|&f| f <= lo.min(0)));
            assert!(t.last().is_some_and(|&l| l >= hi));
            assert!(t.contains(&0), "{t:?}");
            let steps: Vec<i64> = t.windows(2).map(|w| w[1] - w[0]).collect();
            assert!(steps.windows(2).all(|w| w[0] == w[1]), "{t:?}");
        }
        assert_eq!(nice_ticks(0, 0), vec![0, 20, 40, 60, 80, 100]);
        assert_eq!(nice_ticks(0, 31_500_000), vec![0, 10_000_000, 20_000_000, 30_000_000, 40_000_000]);
        // Huge values do not overflow.
        assert!(!nice_ticks(i64::MIN, i64::MAX).is_empty());
    }

    #[test]
    fn labels() {
        assert_eq!(tick_label(0), "$0");
        assert_eq!(tick_label(50_000), "$500");
        assert_eq!(tick_label(250_000), "$2.5k");
        assert_eq!(tick_label(125_000), "$1.25k");
        assert_eq!(tick_label(150_000_000), "$1.5M");
        assert_eq!(tick_label(50), "$0.50");
        assert_eq!(tick_label(-500_000), "-$5k");
    }

    #[test]
    fn spreading() {
        assert_eq!(spread(0, 8), Vec::<usize>::new());
        assert_eq!(spread(1, 8), vec![0]);
        assert_eq!(spread(5, 8), vec![0, 1, 2, 3, 4]);
        let s = spread(360, 8);
        assert_eq!(s.len(), 8);
        assert_eq!(s.first(), Some(&0));
        assert_eq!(s.last(), Some(&359));
        let s = spread(360, 60);
        assert_eq!(s.len(), 60);
        assert_eq!(s.last(), Some(&359));
    }
}
