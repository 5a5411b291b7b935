//! Small helpers for writing SVG text.

/// XML-escapes text for element content and attribute values (both quote kinds).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0; drop them (keep tab/newline as space).
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal, without a trailing `.0`.
pub(crate) fn n(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 10.0).round() / 10.0;
    let s = format!("{r:.1}");
    match s.strip_suffix(".0") {
        Some("-0") => "0".to_string(),
        Some(int) => int.to_string(),
        None => s,
    }
}

/// Shortens `s` to at most `max` characters, ending in "…" when cut.
pub(crate) fn ellipsize(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Deterministic element id prefix, so two charts on one page get different ids.
pub(crate) fn chart_id(kind: &str, parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in std::iter::once(kind).chain(parts.iter().copied()) {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("chart-{kind}-{:08x}", h & 0xffff_ffff)
}

/// Writes the root element, `<title>` and `<desc>`.
pub(crate) fn open(out: &mut String, id: &str, class: &str, width: u32, height: u32, title: &str, desc: &str) {
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" viewBox=\"0 0 {width} {height}\" \
         width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif\" \
         font-size=\"14\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    ));
}

/// Rough width of `s` at `size` px in a sans-serif UI font (average advance ≈ 0.55 em).
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.55
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(esc("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        assert_eq!(esc("x\u{1}y\nz"), "xy z");
    }

    #[test]
    fn numbers() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.25), "1.3");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(f64::NAN), "0");
        assert_eq!(n(-12.34), "-12.3");
    }

    #[test]
    fn ids_differ() {
        assert_ne!(chart_id("pie", &["a"]), chart_id("pie", &["b"]));
        assert_eq!(chart_id("pie", &["a"]), chart_id("pie", &["a"]));
    }
}
