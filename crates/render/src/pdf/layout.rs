//! A tiny page-flow engine on top of pdf-writer: a cursor moving down US Letter pages, text in
//! the two Helvetica fonts, rules, filled boxes, wrapped paragraphs, and tables with right-aligned
//! columns whose header repeats after a page break. Footers ("Page i of N") are added once the
//! page count is known.

use pdf_writer::{Content, Name, Str};

use super::MAX_PAGES;
use super::font::{Font, encode};

pub(crate) const PAGE_W: f32 = 612.0;
pub(crate) const PAGE_H: f32 = 792.0;
pub(crate) const LEFT: f32 = 54.0;
pub(crate) const RIGHT: f32 = PAGE_W - 54.0;
pub(crate) const TOP: f32 = PAGE_H - 50.0;
/// Content must stay above this line; the footer lives below it.
pub(crate) const BOTTOM: f32 = 70.0;
const FOOTER_Y: f32 = 40.0;

/// An RGB colour, components 0..=1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

/// Body text (near black).
pub(crate) const INK: Rgb = Rgb(0.11, 0.12, 0.14);
/// Secondary text: labels, addresses.
pub(crate) const GREY: Rgb = Rgb(0.33, 0.35, 0.39);
/// Accent for titles and heavy rules: dark navy.
pub(crate) const ACCENT: Rgb = Rgb(0.09, 0.20, 0.36);
/// Hairlines between rows.
pub(crate) const HAIR: Rgb = Rgb(0.82, 0.84, 0.87);
/// Shaded boxes and table headers.
pub(crate) const SHADE: Rgb = Rgb(0.945, 0.953, 0.965);

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// Text drawn at the top of every page after the first.
struct RunningHead {
    left: Vec<u8>,
    right: Vec<u8>,
}

pub(crate) struct Layout {
    done: Vec<Content>,
    current: Content,
    /// Baseline cursor: the next thing goes below this y.
    pub(crate) y: f32,
    head: RunningHead,
    /// Set when the document outgrew [`MAX_PAGES`]; further pages are discarded.
    overflow: bool,
}

impl Layout {
    /// Starts the first page. `head_left`/`head_right` form the running head of later pages.
    pub(crate) fn new(head_left: &str, head_right: &str) -> Self {
        Layout {
            done: Vec::new(),
            current: Content::new(),
            y: TOP,
            head: RunningHead { left: encode(head_left), right: encode(head_right) },
            overflow: false,
        }
    }

    pub(crate) fn page_count(&self) -> usize {
        self.done.len() + 1 + usize::from(self.overflow)
    }

    /// Starts a new page with the running head.
    /// Whether the document outgrew [`MAX_PAGES`] (the caller reports an error).
    pub(crate) fn overflowed(&self) -> bool {
        self.overflow
    }

    pub(crate) fn new_page(&mut self) {
        let page = std::mem::replace(&mut self.current, Content::new());
        if self.done.len() >= MAX_PAGES {
            // Keep memory bounded: drop the page, remember the overflow.
            self.overflow = true;
        } else {
            self.done.push(page);
        }
        let left = std::mem::take(&mut self.head.left);
        let right = std::mem::take(&mut self.head.right);
        let left_w = RIGHT - LEFT - Font::Regular.measure(&right, 8.5) - 12.0;
        let left_fit = fit(&left, Font::Bold, 9.0, left_w);
        self.text_bytes(LEFT, TOP, Font::Bold, 9.0, ACCENT, &left_fit);
        self.text_bytes_right(RIGHT, TOP, Font::Regular, 8.5, GREY, &right);
        self.rule(LEFT, RIGHT, TOP - 8.0, 0.75, ACCENT);
        self.head = RunningHead { left, right };
        self.y = TOP - 24.0;
    }

    /// Makes sure `height` points fit below the cursor; starts a new page if not.
    /// Returns whether a page break happened.
    pub(crate) fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    // ---- drawing primitives (absolute positions) ----

    pub(crate) fn text_bytes(&mut self, x: f32, y: f32, font: Font, size: f32, color: Rgb, text: &[u8]) {
        if text.is_empty() {
            return;
        }
        let c = &mut self.current;
        c.begin_text();
        c.set_fill_rgb(color.0, color.1, color.2);
        c.set_font(Name(font.resource()), size);
        c.next_line(x, y);
        c.show(Str(text));
        c.end_text();
    }

    pub(crate) fn text(&mut self, x: f32, y: f32, font: Font, size: f32, color: Rgb, text: &str) {
        self.text_bytes(x, y, font, size, color, &encode(text));
    }

    pub(crate) fn text_bytes_right(&mut self, right: f32, y: f32, font: Font, size: f32, color: Rgb, text: &[u8]) {
        let w = font.measure(text, size);
        self.text_bytes(right - w, y, font, size, color, text);
    }

    pub(crate) fn rule(&mut self, x0: f32, x1: f32, y: f32, width: f32, color: Rgb) {
        let c = &mut self.current;
        c.set_stroke_rgb(color.0, color.1, color.2);
        c.set_line_width(width);
        c.move_to(x0, y);
        c.line_to(x1, y);
        c.stroke();
    }

    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        let c = &mut self.current;
        c.set_fill_rgb(color.0, color.1, color.2);
        c.rect(x, y, w, h);
        c.fill_nonzero();
    }

    // ---- flowing content (moves the cursor, breaks pages) ----

    /// Vertical space.
    pub(crate) fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    /// A section heading with a rule under it; kept together with `keep` points of what follows.
    pub(crate) fn heading(&mut self, text: &str, keep: f32) {
        self.ensure(30.0 + keep);
        self.y -= 14.0;
        let fitted = fit(&encode(text), Font::Bold, 11.5, RIGHT - LEFT);
        self.text_bytes(LEFT, self.y, Font::Bold, 11.5, ACCENT, &fitted);
        self.y -= 6.0;
        self.rule(LEFT, RIGHT, self.y, 0.75, ACCENT);
        self.y -= 4.0;
    }

    /// Wrapped paragraph between `x` and `x + width`; breaks pages between lines.
    pub(crate) fn paragraph(
        &mut self,
        x: f32,
        width: f32,
        font: Font,
        size: f32,
        leading: f32,
        color: Rgb,
        text: &str,
    ) {
        for line in wrap_str(text, font, size, width) {
            self.ensure(leading);
            self.y -= leading;
            self.text_bytes(x, self.y, font, size, color, &line);
        }
    }

    /// Adds the footers and returns the finished content streams, one per page.
    pub(crate) fn finish(mut self, footer_left: &str) -> Vec<Vec<u8>> {
        let page = std::mem::replace(&mut self.current, Content::new());
        self.done.push(page);
        let total = self.done.len();
        let left = fit(&encode(footer_left), Font::Regular, 8.0, RIGHT - LEFT - 90.0);
        let mut out = Vec::with_capacity(total);
        for (i, mut c) in self.done.into_iter().enumerate() {
            c.set_stroke_rgb(HAIR.0, HAIR.1, HAIR.2);
            c.set_line_width(0.5);
            c.move_to(LEFT, FOOTER_Y + 12.0);
            c.line_to(RIGHT, FOOTER_Y + 12.0);
            c.stroke();
            let number = encode(&format!("Page {} of {}", i + 1, total));
            for (x, text) in [(LEFT, &left), (RIGHT - Font::Regular.measure(&number, 8.0), &number)] {
                c.begin_text();
                c.set_fill_rgb(GREY.0, GREY.1, GREY.2);
                c.set_font(Name(Font::Regular.resource()), 8.0);
                c.next_line(x, FOOTER_Y);
                c.show(Str(text));
                c.end_text();
            }
            out.push(c.finish().to_vec());
        }
        out
    }
}

/// Greedy word wrap of WinAnsi bytes to `width`; words longer than a line are split.
pub(crate) fn wrap(text: &[u8], font: Font, size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let candidate_w = if line.is_empty() {
            font.measure(word, size)
        } else {
            font.measure(&line, size) + font.measure(b" ", size) + font.measure(word, size)
        };
        if candidate_w <= width {
            if !line.is_empty() {
                line.push(b' ');
            }
            line.extend_from_slice(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if font.measure(word, size) <= width {
            line.extend_from_slice(word);
        } else {
            // Split an over-long word at character boundaries.
            for &b in word {
                if !line.is_empty() && font.measure(&line, size) + font.measure(&[b], size) > width {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(b);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Wraps text that may contain explicit line breaks.
pub(crate) fn wrap_str(text: &str, font: Font, size: f32, width: f32) -> Vec<Vec<u8>> {
    text.split('\n').flat_map(|para| wrap(&encode(para), font, size, width)).collect()
}

/// Cuts `text` to fit `width`, ending in an ellipsis when cut.
pub(crate) fn fit(text: &[u8], font: Font, size: f32, width: f32) -> Vec<u8> {
    if font.measure(text, size) <= width {
        return text.to_vec();
    }
    let ellipsis = 0x85u8;
    let mut out = text.to_vec();
    while !out.is_empty() && font.measure(&out, size) + font.measure(&[ellipsis], size) > width {
        out.pop();
    }
    while out.last() == Some(&b' ') {
        out.pop();
    }
    out.push(ellipsis);
    out
}

/// A table column.
pub(crate) struct Col {
    pub(crate) title: &'static str,
    pub(crate) width: f32,
    pub(crate) align: Align,
}

/// A table cell shows at most this many lines (the rest is cut with an ellipsis), so a row
/// always fits on a page.
const MAX_CELL_LINES: usize = 12;

/// Row styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    Body,
    /// Bold, with a heavier rule above (totals).
    Total,
}

pub(crate) struct Table {
    cols: Vec<Col>,
    size: f32,
    leading: f32,
    /// Vertical padding above and below a row's text.
    pad: f32,
    /// Horizontal padding inside a cell.
    hpad: f32,
}

/// Cap height of Helvetica, in em.
const CAP: f32 = 0.718;

impl Table {
    pub(crate) fn new(cols: Vec<Col>) -> Self {
        Table { cols, size: 9.0, leading: 11.0, pad: 3.5, hpad: 6.0 }
    }

    fn header_height(&self) -> f32 {
        self.leading + 2.0 * self.pad + 2.0
    }

    /// Baseline of the first line in a band starting at `top`, centring the cap height.
    fn first_baseline(&self, top: f32, band: f32, lines: usize, size: f32) -> f32 {
        let text_h = (lines.max(1) - 1) as f32 * self.leading + CAP * size;
        top - (band - text_h) / 2.0 - CAP * size
    }

    /// Draws the header row at the cursor (shaded band, bold titles).
    pub(crate) fn header(&self, l: &mut Layout) {
        let h = self.header_height();
        l.fill_rect(LEFT, l.y - h, RIGHT - LEFT, h, SHADE);
        l.rule(LEFT, RIGHT, l.y - h, 0.75, ACCENT);
        let baseline = self.first_baseline(l.y, h, 1, 8.5);
        let mut x = LEFT;
        for col in &self.cols {
            let title = encode(col.title);
            match col.align {
                Align::Left => l.text_bytes(x + self.hpad, baseline, Font::Bold, 8.5, INK, &title),
                Align::Right => l.text_bytes_right(x + col.width - self.hpad, baseline, Font::Bold, 8.5, INK, &title),
            }
            x += col.width;
        }
        l.y -= h;
    }

    /// Starts the table: header kept together with at least one row.
    pub(crate) fn begin(&self, l: &mut Layout) {
        l.ensure(self.header_height() + self.leading + 2.0 * self.pad + 4.0);
        self.header(l);
    }

    /// One row; left-aligned cells wrap, right-aligned cells stay on one line. Breaks pages
    /// (repeating the header) before a row that does not fit.
    pub(crate) fn row(&self, l: &mut Layout, cells: &[String], kind: RowKind) {
        let font = if kind == RowKind::Total { Font::Bold } else { Font::Regular };
        let wrapped: Vec<Vec<Vec<u8>>> = self
            .cols
            .iter()
            .zip(cells.iter())
            .map(|(col, cell)| match col.align {
                Align::Left => {
                    let mut lines = wrap_str(cell, font, self.size, col.width - 2.0 * self.hpad);
                    if lines.len() > MAX_CELL_LINES {
                        lines.truncate(MAX_CELL_LINES);
                        if let Some(last) = lines.last_mut() {
                            last.push(b' ');
                            *last = fit(last, font, self.size, col.width - 2.0 * self.hpad - 1.0);
                            if last.last() != Some(&0x85) {
                                last.push(0x85);
                            }
                        }
                    }
                    lines
                }
                Align::Right => vec![encode(cell)],
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = lines as f32 * self.leading + 2.0 * self.pad;
        if l.ensure(h) {
            self.header(l);
        }
        let top = l.y;
        if kind == RowKind::Total {
            l.rule(LEFT, RIGHT, top, 1.0, ACCENT);
        }
        let mut x = LEFT;
        for (col, cell_lines) in self.cols.iter().zip(wrapped.iter()) {
            let mut baseline = self.first_baseline(top, self.leading + 2.0 * self.pad, 1, self.size);
            for line in cell_lines {
                match col.align {
                    Align::Left => l.text_bytes(x + self.hpad, baseline, font, self.size, INK, line),
                    Align::Right => l.text_bytes_right(x + col.width - self.hpad, baseline, font, self.size, INK, line),
                }
                baseline -= self.leading;
            }
            x += col.width;
        }
        l.y -= h;
        match kind {
            RowKind::Body => l.rule(LEFT, RIGHT, l.y, 0.4, HAIR),
            RowKind::Total => l.rule(LEFT, RIGHT, l.y, 0.75, ACCENT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_splits_long_ones() {
        let lines = wrap(b"the quick brown fox jumps over the lazy dog", Font::Regular, 10.0, 60.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(Font::Regular.measure(line, 10.0) <= 60.0);
        }
        let long = wrap(&[b'W'; 100], Font::Regular, 10.0, 50.0);
        assert!(long.len() >= 10);
        assert_eq!(wrap(b"", Font::Regular, 10.0, 50.0), vec![Vec::<u8>::new()]);
        // Zero width cannot loop forever.
        assert_eq!(wrap(b"abc", Font::Regular, 10.0, 0.0).len(), 3);
    }

    #[test]
    fn fit_cuts_with_ellipsis() {
        let cut = fit(b"A very long company name indeed", Font::Bold, 10.0, 60.0);
        assert!(Font::Bold.measure(&cut, 10.0) <= 60.0);
        assert_eq!(cut.last(), Some(&0x85));
        assert_eq!(fit(b"short", Font::Bold, 10.0, 60.0), b"short");
    }
}
