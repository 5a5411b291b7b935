//! Building blocks shared by the documents: letterhead, address block, key-value lists.

use super::Party;
use super::font::{Font, encode};
use super::layout::{ACCENT, GREY, HAIR, INK, LEFT, Layout, RIGHT, Rgb, SHADE, TOP, fit, wrap};

/// Right edge of the letterhead's left column.
const HEAD_LEFT_W: f32 = 290.0;
/// Left edge of the right-hand blocks.
pub(crate) const RIGHT_COL: f32 = 340.0;

/// A row in the letterhead's right column.
pub(crate) enum HeadRow {
    /// Bold line, right-aligned.
    Strong(String),
    /// Grey label on the left, value right-aligned (on the next line if both don't fit).
    Pair(&'static str, String),
}

/// Company name and address top left, document title and `rows` top right, then a heavy rule.
pub(crate) fn letterhead(l: &mut Layout, company: &Party, title: &str, rows: &[HeadRow]) {
    let mut y = TOP - 6.0;
    for (i, line) in wrap(&encode(&company.name), Font::Bold, 15.0, HEAD_LEFT_W).into_iter().take(3).enumerate() {
        if i > 0 {
            y -= 17.0;
        }
        l.text_bytes(LEFT, y, Font::Bold, 15.0, ACCENT, &line);
    }
    y -= 4.0;
    for line in company.address_lines.iter().take(6) {
        y -= 11.5;
        l.text_bytes(LEFT, y, Font::Regular, 9.0, GREY, &fit(&encode(line), Font::Regular, 9.0, HEAD_LEFT_W));
    }

    let mut ry = TOP - 6.0;
    let title_bytes = fit(&encode(title), Font::Bold, 18.0, RIGHT - RIGHT_COL);
    l.text_bytes_right(RIGHT, ry, Font::Bold, 18.0, INK, &title_bytes);
    ry -= 6.0;
    for row in rows {
        match row {
            HeadRow::Strong(text) => {
                ry -= 14.0;
                let t = fit(&encode(text), Font::Bold, 10.0, RIGHT - RIGHT_COL);
                l.text_bytes_right(RIGHT, ry, Font::Bold, 10.0, INK, &t);
            }
            HeadRow::Pair(label, value) => {
                ry -= 13.0;
                let label = encode(label);
                let value = encode(value);
                let lw = Font::Regular.measure(&label, 8.5);
                let vw = Font::Regular.measure(&value, 9.5);
                l.text_bytes(RIGHT_COL, ry, Font::Regular, 8.5, GREY, &label);
                if lw + vw + 10.0 > RIGHT - RIGHT_COL {
                    ry -= 12.0;
                }
                let v = fit(&value, Font::Regular, 9.5, RIGHT - RIGHT_COL);
                l.text_bytes_right(RIGHT, ry, Font::Regular, 9.5, INK, &v);
            }
        }
    }
    l.y = y.min(ry) - 14.0;
    l.rule(LEFT, RIGHT, l.y, 1.5, ACCENT);
    l.y -= 8.0;
}

/// Name (bold) and address lines at `x`, starting below `top`; returns the last baseline.
pub(crate) fn address_block(l: &mut Layout, x: f32, top: f32, width: f32, caption: Option<&str>, party: &Party) -> f32 {
    let mut y = top;
    if let Some(caption) = caption {
        y -= 10.0;
        l.text(x, y, Font::Regular, 8.0, GREY, caption);
        y -= 3.0;
    }
    for line in wrap(&encode(&party.name), Font::Bold, 10.5, width).into_iter().take(3) {
        y -= 13.0;
        l.text_bytes(x, y, Font::Bold, 10.5, INK, &line);
    }
    for line in party.address_lines.iter().take(8) {
        y -= 12.5;
        l.text_bytes(x, y, Font::Regular, 10.0, INK, &fit(&encode(line), Font::Regular, 10.0, width));
    }
    y
}

/// A key-value row.
pub(crate) struct Kv {
    pub(crate) label: String,
    pub(crate) value: String,
    /// Bold text.
    pub(crate) strong: bool,
    /// A heavier rule above (a total).
    pub(crate) total: bool,
}

impl Kv {
    pub(crate) fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Kv { label: label.into(), value: value.into(), strong: false, total: false }
    }

    pub(crate) fn strong(label: impl Into<String>, value: impl Into<String>) -> Self {
        Kv { label: label.into(), value: value.into(), strong: true, total: false }
    }

    pub(crate) fn total(label: impl Into<String>, value: impl Into<String>) -> Self {
        Kv { label: label.into(), value: value.into(), strong: true, total: true }
    }
}

const KV_ROW: f32 = 16.0;

/// Rows of "label ........ value" between `x0` and `x1`, starting below `top`, hairlines between
/// rows and a heavier rule above strong rows. Returns the bottom y. Does not break pages: the
/// caller reserves [`kv_height`].
pub(crate) fn kv_list(l: &mut Layout, x0: f32, x1: f32, top: f32, rows: &[Kv]) -> f32 {
    let mut y = top;
    for (i, row) in rows.iter().enumerate() {
        if row.total {
            l.rule(x0, x1, y, 1.0, ACCENT);
        } else if i > 0 {
            l.rule(x0, x1, y, 0.4, HAIR);
        }
        let baseline = y - 11.5;
        let font = if row.strong { Font::Bold } else { Font::Regular };
        let value = encode(&row.value);
        let vw = font.measure(&value, 9.5);
        let label = fit(&encode(&row.label), font, 9.5, (x1 - x0 - vw - 12.0).max(20.0));
        l.text_bytes(x0, baseline, font, 9.5, if row.strong { INK } else { GREY_INK }, &label);
        l.text_bytes_right(x1, baseline, font, 9.5, INK, &value);
        y -= KV_ROW;
    }
    y
}

/// Labels in key-value lists: between grey and ink.
const GREY_INK: Rgb = Rgb(0.22, 0.24, 0.27);

pub(crate) fn kv_height(rows: usize) -> f32 {
    rows as f32 * KV_ROW
}

/// A shaded box with key-value rows; returns the bottom y.
pub(crate) fn kv_box(l: &mut Layout, x0: f32, x1: f32, top: f32, title: &str, rows: &[Kv]) -> f32 {
    let h = 24.0 + kv_height(rows.len()) + 6.0;
    l.fill_rect(x0, top - h, x1 - x0, h, SHADE);
    l.rule(x0, x1, top, 1.5, ACCENT);
    l.text(x0 + 10.0, top - 16.0, Font::Bold, 10.0, ACCENT, title);
    kv_list(l, x0 + 10.0, x1 - 10.0, top - 22.0, rows);
    top - h
}
