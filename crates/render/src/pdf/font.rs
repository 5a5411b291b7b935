//! The two standard-14 fonts we use (Helvetica, Helvetica-Bold), WinAnsiEncoding, and text
//! measurement with the Adobe AFM advance widths.
//!
//! Text is encoded to WinAnsiEncoding (Windows-1252). Characters it cannot represent are folded:
//! accented Latin letters outside Latin-1 (Latin Extended-A, Vietnamese, Romanian …) lose their
//! marks ("Nguyễn" → "Nguyen", "Łódź" → "Lodz"), combining marks are dropped, typographic spaces
//! and dashes become their ASCII look-alikes, control characters become spaces, and everything else
//! (CJK, emoji, …) becomes '?'.

/// Which font a piece of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Resource name in every page's `/Font` dictionary.
    pub(crate) fn resource(self) -> &'static [u8] {
        match self {
            Font::Regular => b"F1",
            Font::Bold => b"F2",
        }
    }

    /// PostScript name of the standard-14 font.
    pub(crate) fn base_font(self) -> &'static [u8] {
        match self {
            Font::Regular => b"Helvetica",
            Font::Bold => b"Helvetica-Bold",
        }
    }

    /// Advance widths (1/1000 em) for codes 32..=255.
    pub(crate) fn widths(self) -> &'static [u16; 224] {
        match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        }
    }

    /// Width of WinAnsi-encoded `text` at `size` points.
    pub(crate) fn measure(self, text: &[u8], size: f32) -> f32 {
        let table = self.widths();
        let units: u32 = text
            .iter()
            .map(|&b| u32::from(b.checked_sub(32).and_then(|i| table.get(usize::from(i))).copied().unwrap_or(0)))
            .sum();
        units as f32 * size / 1000.0
    }
}

/// Encodes `s` to WinAnsiEncoding, folding what it cannot represent (see the module docs).
pub(crate) fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for ch in s.chars() {
        if let Some(b) = win_ansi(ch) {
            out.push(b);
        } else {
            match fold(ch) {
                Fold::Skip => {}
                Fold::Ascii(f) => out.extend_from_slice(f.as_bytes()),
            }
        }
    }
    out
}

/// The WinAnsi code of `ch`, if it has one (and is printable).
fn win_ansi(ch: char) -> Option<u8> {
    let c = ch as u32;
    match c {
        0x20..=0x7E => u8::try_from(c).ok(),
        0xA0..=0xFF => u8::try_from(c).ok(),
        0x20AC => Some(0x80),
        0x201A => Some(0x82),
        0x0192 => Some(0x83),
        0x201E => Some(0x84),
        0x2026 => Some(0x85),
        0x2020 => Some(0x86),
        0x2021 => Some(0x87),
        0x02C6 => Some(0x88),
        0x2030 => Some(0x89),
        0x0160 => Some(0x8A),
        0x2039 => Some(0x8B),
        0x0152 => Some(0x8C),
        0x017D => Some(0x8E),
        0x2018 => Some(0x91),
        0x2019 => Some(0x92),
        0x201C => Some(0x93),
        0x201D => Some(0x94),
        0x2022 => Some(0x95),
        0x2013 => Some(0x96),
        0x2014 => Some(0x97),
        0x02DC => Some(0x98),
        0x2122 => Some(0x99),
        0x0161 => Some(0x9A),
        0x203A => Some(0x9B),
        0x0153 => Some(0x9C),
        0x017E => Some(0x9E),
        0x0178 => Some(0x9F),
        _ => None,
    }
}

enum Fold {
    Skip,
    Ascii(&'static str),
}

/// Base letters of U+0100..=U+017F (Latin Extended-A).
const LATIN_EXT_A: &[u8; 128] = b"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
/// Base letters of U+1EA0..=U+1EF9 (Vietnamese in Latin Extended Additional).
const VIETNAMESE: &[u8; 90] =
    b"AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy";

fn letter(b: u8) -> &'static str {
    const ALPHA: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let idx = match b {
        b'A'..=b'Z' => usize::from(b - b'A'),
        b'a'..=b'z' => 26 + usize::from(b - b'a'),
        _ => return "?",
    };
    ALPHA.get(idx..idx + 1).unwrap_or("?")
}

fn fold(ch: char) -> Fold {
    let c = ch as u32;
    let table = |t: &[u8], base: u32| t.get((c - base) as usize).map_or(Fold::Ascii("?"), |&b| Fold::Ascii(letter(b)));
    match c {
        0x0132 => Fold::Ascii("IJ"),
        0x0133 => Fold::Ascii("ij"),
        0x0100..=0x017F => table(LATIN_EXT_A, 0x0100),
        0x1EA0..=0x1EF9 => table(VIETNAMESE, 0x1EA0),
        0x01A0 => Fold::Ascii("O"),
        0x01A1 => Fold::Ascii("o"),
        0x01AF => Fold::Ascii("U"),
        0x01B0 => Fold::Ascii("u"),
        0x0218 => Fold::Ascii("S"),
        0x0219 => Fold::Ascii("s"),
        0x021A => Fold::Ascii("T"),
        0x021B => Fold::Ascii("t"),
        // Combining diacritical marks (decomposed input), zero-width characters, BOM.
        0x0300..=0x036F | 0x200B..=0x200D | 0x2060 | 0xFEFF => Fold::Skip,
        // Controls, typographic spaces.
        0x00..=0x1F | 0x7F..=0x9F | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000 => Fold::Ascii(" "),
        0x2010..=0x2012 | 0x2015 | 0x2212 => Fold::Ascii("-"),
        0x2032 => Fold::Ascii("'"),
        0x2033 => Fold::Ascii("\""),
        _ => Fold::Ascii("?"),
    }
}

pub(crate) const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0x30
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 0x50
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 0x60
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0, // 0x70
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 0xF0
];

pub(crate) const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0x30
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 0x50
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 0x60
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0, // 0x70
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 0xF0
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_latin1_and_cp1252() {
        assert_eq!(encode("Café"), b"Caf\xe9");
        assert_eq!(encode("€ – “x” •"), b"\x80 \x96 \x93x\x94 \x95");
        assert_eq!(encode("••••4821"), b"\x95\x95\x95\x954821");
    }

    #[test]
    fn folds_the_rest() {
        assert_eq!(encode("Nguyễn Thị Đặng"), b"Nguyen Thi Dang");
        assert_eq!(encode("Łódź Ștefan"), b"L\xf3dz Stefan");
        assert_eq!(encode("李 小龙"), b"? ??");
        assert_eq!(encode("e\u{301}"), b"e");
        assert_eq!(encode("a\tb\u{2003}c"), b"a b c");
        assert_eq!(encode("😀"), b"?");
    }

    #[test]
    fn measures_with_afm_widths() {
        // "Hello" in Helvetica: 722 + 556 + 222 + 222 + 556 = 2278.
        assert!((Font::Regular.measure(b"Hello", 10.0) - 22.78).abs() < 1e-3);
        assert!((Font::Bold.measure(b"0123456789", 1000.0) - 5560.0).abs() < 1e-3);
        assert_eq!(Font::Regular.measure(b"\x81", 10.0), 0.0);
    }

    #[test]
    fn fold_tables_line_up() {
        // Spot checks of the base-letter tables.
        assert_eq!(
            encode("\u{0100}\u{0107}\u{0111}\u{011F}\u{0131}\u{0142}\u{0148}\u{0151}\u{0159}\u{015F}"),
            b"Acdgilnors"
        );
        assert_eq!(encode("\u{0165}\u{016F}\u{0171}\u{0175}\u{0177}\u{017A}\u{017C}\u{017F}"), b"tuuwyzzs");
        assert_eq!(encode("\u{1EA1}\u{1EB8}\u{1EC9}\u{1ECD}\u{1EE5}\u{1EF3}\u{1EF9}"), b"aEiouyy");
    }
}
