mod common;

use common::schedule;
use portico_render::chart::{AmortPoint, Slice, Tone, amortization, amortization_with_marker, fmt_money, pie};

/// Parses the SVG and checks the CSP and accessibility rules every chart must follow.
fn check(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    assert!(!svg.contains("style="), "style attribute");
    assert!(!svg.contains("<style"), "style element");
    assert!(!svg.contains("<script"), "script");
    assert!(!svg.contains("javascript:"), "javascript URL");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("width"), Some("100%"));
    assert!(root.attribute("viewBox").is_some_and(|v| v.starts_with("0 0 640 ")));
    // aria-labelledby names a <title> and a <desc> that exist.
    let ids: Vec<&str> = root.attribute("aria-labelledby").expect("aria-labelledby").split(' ').collect();
    assert_eq!(ids.len(), 2);
    let by_id = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id)).map(|n| n.tag_name().name());
    assert_eq!(by_id(ids[0]), Some("title"));
    assert_eq!(by_id(ids[1]), Some("desc"));
    let desc = doc.descendants().find(|n| n.has_tag_name("desc")).and_then(|n| n.text()).unwrap_or("");
    assert!(desc.ends_with('.') && desc.len() > 10, "one-sentence summary: {desc:?}");
    // Every focusable element has a tooltip.
    for n in doc.descendants().filter(|n| n.attribute("tabindex") == Some("0")) {
        assert!(n.children().any(|c| c.has_tag_name("title")), "focusable without <title>");
    }
    // Text is at least 12 px at the natural 640 px width.
    for n in doc.descendants().filter(|n| n.attribute("font-size").is_some()) {
        let size: f64 = n.attribute("font-size").and_then(|s| s.parse().ok()).expect("numeric font-size");
        assert!(size >= 12.0, "font-size {size}");
    }
    doc
}

fn titles(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.attribute("tabindex") == Some("0"))
        .filter_map(|n| n.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).map(str::to_string))
        .collect()
}

fn slice(label: &str, value: i64, tone: Tone) -> Slice {
    Slice { label: label.into(), value, tone }
}

#[test]
fn pie_tooltips_and_legend() {
    let svg = pie(
        "Loan <progress> & more",
        &[
            slice("Paid", 1_234_567, Tone::Primary),
            slice("Remaining", 1_704_876, Tone::Muted),
            slice("Fees", 0, Tone::Warning),
        ],
    );
    let doc = check(&svg);
    assert!(svg.contains("Loan &lt;progress&gt; &amp; more"));
    assert_eq!(titles(&doc), ["Paid: $12,345.67 (42 %)", "Remaining: $17,048.76 (58 %)"]);
    // Zero slices are in the legend but have no segment.
    assert!(svg.contains(">Fees<"));
    assert!(svg.contains("$29,394.43"), "total in the middle");
    // Paths only use the tone colours.
    for color in [Tone::Primary.color(), Tone::Muted.color()] {
        assert!(svg.contains(&format!("fill=\"{color}\"")));
    }
}

#[test]
fn pie_single_and_empty() {
    let svg = pie("Only one", &[slice("Paid", 100, Tone::Secondary), slice("Remaining", 0, Tone::Muted)]);
    let doc = check(&svg);
    assert_eq!(titles(&doc), ["Paid: $1.00 (100 %)"]);
    assert!(svg.contains("fill-rule=\"evenodd\""), "full ring drawn with two arcs");

    for slices in [vec![], vec![slice("A", 0, Tone::Primary), slice("B", -5, Tone::Warning)]] {
        let svg = pie("Nothing", &slices);
        let doc = check(&svg);
        assert!(svg.contains(">No data<"));
        assert!(titles(&doc).is_empty());
    }
}

#[test]
fn pie_escapes_labels() {
    let svg = pie("t", &[slice("<b>\"x\" & 'y'</b>", 5, Tone::Primary)]);
    check(&svg);
    assert!(!svg.contains("<b>"));
    assert!(svg.contains("&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"));
}

#[test]
fn amortization_tooltips_and_ticks() {
    let points = vec![
        AmortPoint {
            label: "Mar 2026".into(),
            balance: 2_000_000,
            cumulative_principal: 500_000,
            cumulative_interest: 12_345,
        },
        AmortPoint {
            label: "Apr 2026".into(),
            balance: 1_500_000,
            cumulative_principal: 1_000_000,
            cumulative_interest: 22_000,
        },
        AmortPoint {
            label: "May 2026".into(),
            balance: 0,
            cumulative_principal: 2_500_000,
            cumulative_interest: 30_000,
        },
    ];
    let svg = amortization("Payoff <plan>", &points);
    let doc = check(&svg);
    assert!(svg.contains("Payoff &lt;plan&gt;"));
    assert_eq!(
        titles(&doc).first().map(String::as_str),
        Some("Mar 2026 — balance $20,000.00, principal paid $5,000.00, interest paid $123.45")
    );
    // Max $25,000.00 → ticks $0 … $25k in $5k steps.
    let axis: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("end"))
        .filter_map(|n| n.text())
        .collect();
    for label in ["$0", "$5k", "$10k", "$15k", "$20k", "$25k"] {
        assert!(axis.contains(&label), "{label} in {axis:?}");
    }
    assert!(!axis.contains(&"$30k"));
    // Legend.
    for name in ["Balance", "Principal paid", "Interest paid"] {
        assert!(svg.contains(&format!(">{name}<")));
    }
    assert!(!svg.contains("Today"));
}

#[test]
fn amortization_single_point() {
    let points = schedule(1);
    let svg = amortization("One", &points);
    let doc = check(&svg);
    assert_eq!(titles(&doc).len(), 1);
}

#[test]
fn amortization_empty() {
    let svg = amortization("None", &[]);
    check(&svg);
    assert!(svg.contains(">No data<"));
}

#[test]
fn amortization_360_points_thins_markers_but_not_lines() {
    let points = schedule(360);
    let svg = amortization_with_marker("Thirty years", &points, Some(100));
    let doc = check(&svg);
    let tips = titles(&doc);
    assert!(tips.len() <= 61 && tips.len() >= 50, "{}", tips.len());
    // First, last and today are focusable.
    let tip = |i: usize| {
        let p = &points[i];
        format!(
            "{} — balance {}, principal paid {}, interest paid {}",
            p.label,
            fmt_money(p.balance),
            fmt_money(p.cumulative_principal),
            fmt_money(p.cumulative_interest)
        )
    };
    for i in [0, 100, 359] {
        assert!(tips.contains(&tip(i)), "point {i}");
    }
    // Lines keep every point.
    let polylines: Vec<usize> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(|n| n.attribute("points").unwrap_or("").split(' ').count())
        .collect();
    assert_eq!(polylines, [360, 360, 360]);
    // At most 8 x-axis labels.
    let x_labels =
        doc.descendants().filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("middle")).count();
    assert!(x_labels <= 8, "{x_labels}");
    assert!(svg.contains(">Today<"));
    // Out-of-range marker is ignored.
    assert!(!amortization_with_marker("x", &points, Some(360)).contains(">Today<"));
}

#[test]
fn two_charts_have_distinct_ids() {
    let a = pie("A", &[slice("x", 1, Tone::Primary)]);
    let b = pie("B", &[slice("x", 1, Tone::Primary)]);
    let id = |s: &str| {
        let doc = roxmltree::Document::parse(s).expect("xml");
        doc.root_element().attribute("aria-labelledby").map(str::to_string)
    };
    assert!(id(&a).is_some());
    assert_ne!(id(&a), id(&b));
}

/// Writes an HTML page with both charts when `PORTICO_RENDER_SAMPLES` names a directory.
#[test]
fn write_samples_when_asked() {
    let Ok(dir) = std::env::var("PORTICO_RENDER_SAMPLES") else { return };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("sample dir");
    let points = schedule(360);
    let paid = points[100].cumulative_principal;
    let html = format!(
        "<!doctype html><html><head><meta charset=utf-8><style>\
         body{{font-family:system-ui,sans-serif;margin:16px;background:#fff}} .card{{width:640px;margin-bottom:16px}}\
         svg.chart{{display:block;max-width:100%;height:auto}}\
         .chart-seg:hover .chart-tip,.chart-seg:focus-visible .chart-tip,.chart-point:hover .chart-tip,\
         .chart-point:focus-visible .chart-tip,.chart-point:hover .chart-hl,.chart-point:focus-visible .chart-hl\
         {{visibility:visible}} .chart-seg:focus-visible path{{stroke:#111827;stroke-width:3}}\
         .chart-seg:focus,.chart-point:focus{{outline:none}}</style></head><body>\
         <div class=card>{}</div><div class=card>{}</div><div class=card>{}</div>\
         <script>var f=location.hash.slice(1);if(f){{var e=document.querySelectorAll(f.split(':')[0])[+f.split(':')[1]||0];if(e)e.focus();}}</script>\
         </body></html>",
        pie(
            "Principal paid and remaining",
            &[
                slice("Paid", paid, Tone::Primary),
                slice("Remaining", 25_000_000 - paid, Tone::Muted),
                slice("Interest", points[100].cumulative_interest, Tone::Warning),
            ]
        ),
        amortization_with_marker("Amortization schedule", &points, Some(100)),
        amortization("Short loan", &schedule(6)),
    );
    std::fs::write(dir.join("charts.html"), html).expect("write");
}
