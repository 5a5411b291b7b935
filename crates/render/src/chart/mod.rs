//! Server-rendered SVG charts for inline use in HTML pages under a strict CSP.
//!
//! The output never contains `style` attributes, `<style>` elements or scripts: only presentation
//! attributes (`fill`, `stroke`, `font-size`, …) and `class` names, so `style-src 'self'` pages can
//! embed it as is. Every chart
//!
//! - is `<svg role="img" aria-labelledby="…">` pointing at its `<title>` and a one-sentence
//!   `<desc>`, has a `viewBox` and `width="100%"`, so it scales with its container;
//! - uses colours with at least 3:1 contrast on white for marks and 4.5:1 for text, and text of at
//!   least 12 user units (12 px at the natural 640 px width);
//! - gives every segment / data point a `<title>` (the browser's hover tooltip and the accessible
//!   name) and `tabindex="0"`, plus a hidden in-chart readout (`.chart-tip`) that a stylesheet can
//!   reveal on `:hover` / `:focus-visible`, so keyboard users see the same details;
//! - XML-escapes all text.
//!
//! Classes the web layer can style (all optional):
//!
//! | class | element | meaning |
//! | --- | --- | --- |
//! | `chart`, `chart-pie`, `chart-line` | `<svg>` | root |
//! | `chart-seg` | `<g tabindex="0">` | one pie segment |
//! | `chart-point` | `<g tabindex="0">` | one data point (x position) of a line chart |
//! | `chart-tip` | `<g visibility="hidden">` | readout of a segment/point |
//! | `chart-hl` | `<g visibility="hidden">` | highlight (guide line, markers) of a point |
//! | `chart-legend`, `chart-axis`, `chart-grid`, `chart-series`, `chart-today` | `<g>` | structure |
//!
//! Suggested CSS:
//!
//! ```css
//! svg.chart { display: block; max-width: 100%; height: auto; }
//! .chart-seg:hover .chart-tip, .chart-seg:focus-visible .chart-tip,
//! .chart-point:hover .chart-tip, .chart-point:focus-visible .chart-tip,
//! .chart-point:hover .chart-hl, .chart-point:focus-visible .chart-hl { visibility: visible; }
//! .chart-seg:focus-visible path { stroke: #111827; stroke-width: 3; }
//! .chart-seg:focus, .chart-point:focus { outline: none; }
//! ```

mod line;
mod pie;
mod svg;

pub use crate::fmt_money;
pub use line::{AmortPoint, amortization, amortization_with_marker};
pub use pie::{Slice, Tone, pie};

/// Colours used by the charts (hex, for reuse in legends outside the SVG).
pub mod palette {
    /// Blue 700, 6.7:1 on white.
    pub const PRIMARY: &str = "#1d4ed8";
    /// Teal 700, 5.5:1 on white.
    pub const SECONDARY: &str = "#0f766e";
    /// Grey 500, 4.8:1 on white.
    pub const MUTED: &str = "#6b7280";
    /// Amber 700, 5.0:1 on white.
    pub const WARNING: &str = "#b45309";
    /// Main text, 14.7:1 on white.
    pub const TEXT: &str = "#1f2937";
    /// Secondary text (axis labels), 7.6:1 on white.
    pub const TEXT_MUTED: &str = "#4b5563";
    /// Gridlines (decorative only).
    pub const GRID: &str = "#e5e7eb";
    /// Axis baseline and the empty-ring outline, 4.8:1 on white.
    pub const AXIS: &str = "#6b7280";
}
