mod common;

use common::{payoff_doc, statement_doc};
use lopdf::{Document, Object};
use portico_render::pdf::{MAX_PAGES, RenderError, payoff_letter, statement};
use time::macros::date;

fn load(bytes: &[u8]) -> Document {
    assert!(bytes.starts_with(b"%PDF-1.7"), "PDF header");
    Document::load_mem(bytes).expect("lopdf parses the output")
}

/// Text of every page, in page order.
fn pages_text(doc: &Document) -> Vec<String> {
    let pages = doc.get_pages();
    pages.keys().map(|&n| doc.extract_text(&[n]).expect("text extraction")).collect()
}

fn info(doc: &Document, key: &[u8]) -> String {
    let info_ref = doc.trailer.get(b"Info").and_then(Object::as_reference).expect("Info in trailer");
    let dict = doc.get_dictionary(info_ref).expect("Info dictionary");
    let obj = dict.get(key).expect("key present");
    let bytes = obj.as_str().expect("string");
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16(&units).expect("utf-16")
    } else {
        String::from_utf8(bytes.to_vec()).expect("ascii")
    }
}

#[test]
fn statement_has_expected_text_and_info() {
    let bytes = statement(&statement_doc(10)).expect("renders");
    let doc = load(&bytes);
    let text = pages_text(&doc);
    assert_eq!(text.len(), 1, "10 lines and the notes fit on one page");
    let all = text.join("\n");
    for needle in [
        "Harbor Point Lending, LLC",
        "1200 Market Street, Suite 400",
        "Statement",
        "Jane Q. Public",
        "42 Elm Street, Apt 3B",
        "4821",
        "October 25 – November 24, 2026",
        "Previous balance",
        "$4,123.50",
        "Draws",
        "$1,234.00",
        "Payments",
        "-$500.00",
        "Interest charged",
        "$12.34",
        "New balance",
        "$5,389.84",
        "Credit limit",
        "$10,000.00",
        "Available credit",
        "$4,610.16",
        "18.99 %",
        "Minimum payment due",
        "$161.70",
        "December 19, 2026",
        "Payment — thank you",
        "October 25, 2026",
        "Important information",
        "Billing rights summary",
        "Page 1 of 1",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in:\n{all}");
    }
    assert_eq!(info(&doc, b"Author"), "Harbor Point Lending, LLC");
    assert_eq!(info(&doc, b"Creator"), "Portico");
    assert!(info(&doc, b"Title").contains("Line of credit ••••4821"));
}

#[test]
fn long_statement_breaks_pages_and_repeats_header() {
    let bytes = statement(&statement_doc(200)).expect("renders");
    let doc = load(&bytes);
    let text = pages_text(&doc);
    let n = text.len();
    assert!(n >= 4, "200 lines span several pages, got {n}");
    for (i, page) in text.iter().enumerate() {
        assert!(page.contains(&format!("Page {} of {n}", i + 1)), "footer on page {}", i + 1);
    }
    // Continuation pages carry the running head and the repeated table header.
    let second = &text[1];
    assert!(second.contains("Harbor Point Lending, LLC"));
    assert!(second.contains("Description") && second.contains("Amount"), "header repeated:\n{second}");
    // Every transaction made it: count the dates of the cycle across pages.
    let total_rows: usize = text.iter().map(|p| p.matches(", 2026").count()).sum();
    assert!(total_rows >= 200, "{total_rows}");
    assert!(text[n - 1].contains("Important information"));
}

#[test]
fn statement_without_optional_parts() {
    let mut d = statement_doc(0);
    d.credit_limit = None;
    d.available_credit = None;
    d.minimum_payment = None;
    d.payment_due = None;
    d.apr = None;
    d.notes.clear();
    d.totals.clear();
    d.cycle_start = date!(2025 - 12 - 25);
    d.cycle_end = date!(2026 - 01 - 24);
    let all = pages_text(&load(&statement(&d).expect("renders"))).join("\n");
    assert!(all.contains("No transactions this period."));
    assert!(all.contains("December 25, 2025 – January 24, 2026"));
    assert!(!all.contains("Credit limit"));
    assert!(!all.contains("Important information"));
}

#[test]
fn payoff_letter_has_table_totals_and_per_diem_sentence() {
    let bytes = payoff_letter(&payoff_doc()).expect("renders");
    let doc = load(&bytes);
    let text = pages_text(&doc);
    assert_eq!(text.len(), 1);
    let all = text.join("\n");
    for needle in [
        "Payoff quote",
        "PQ-2026-00042",
        "November 24, 2026",
        "Dear Jane Q. Public,",
        "Installment loan",
        "$12,345.67",
        "$5,389.84",
        "Total",
        "$17,735.51",
        "$64.31",
        "$25.00",
        "$17,824.82",
        "This quote is good through December 4, 2026.",
        "$4.12 per day at today's balance. Interest accrues on a 30/360 basis.",
        "$2.80 per day at today's balance. Interest is charged on the average daily balance.",
        "How to pay",
        "certified check",
        "Questions? Call (800) 555-0142",
        "Sincerely,",
        "Page 1 of 1",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in:\n{all}");
    }
    assert_eq!(info(&doc, b"Author"), "Harbor Point Lending, LLC");
    assert_eq!(info(&doc, b"Creator"), "Portico");
    assert!(info(&doc, b"Title").contains("PQ-2026-00042"));
}

#[test]
fn unrepresentable_characters_are_folded_not_fatal() {
    let mut d = payoff_doc();
    d.customer.name = "Nguyễn Văn Đức 李小龙".into();
    d.customer.address_lines = vec!["Łódź — ul. Piotrkowska 1".into(), "😀\u{0}\u{7}".into()];
    let bytes = payoff_letter(&d).expect("renders");
    let doc = load(&bytes);
    let all = pages_text(&doc).join("\n");
    assert!(all.contains("Nguyen Van Duc ???"), "{all}");
    assert!(all.contains("Lódz — ul. Piotrkowska 1"), "{all}");

    let mut s = statement_doc(3);
    s.company.name = "Société Générale d'Épargne — 東京".into();
    s.lines[0].description = "Café ☕ refund".into();
    let all = pages_text(&load(&statement(&s).expect("renders"))).join("\n");
    assert!(all.contains("Société Générale d'Épargne — ??"), "{all}");
    assert!(all.contains("Café ? refund"), "{all}");
}

#[test]
fn deterministic_output() {
    assert!(statement(&statement_doc(5)) == statement(&statement_doc(5)));
    assert!(payoff_letter(&payoff_doc()) == payoff_letter(&payoff_doc()));
}

#[test]
fn invalid_and_extreme_input() {
    let mut d = statement_doc(1);
    d.cycle_end = date!(2026 - 01 - 01);
    assert!(matches!(statement(&d), Err(RenderError::Invalid(_))));

    let mut p = payoff_doc();
    p.good_through = date!(2026 - 01 - 01);
    assert!(matches!(payoff_letter(&p), Err(RenderError::Invalid(_))));

    // Extreme amounts and empty strings do not panic.
    let mut p = payoff_doc();
    p.accounts[0].principal = i64::MAX;
    p.accounts[1].principal = i64::MAX;
    p.accounts[0].per_diem = i64::MIN;
    p.total = i64::MIN;
    p.reference = String::new();
    p.customer = Default::default();
    p.company = Default::default();
    load(&payoff_letter(&p).expect("renders"));

    // A huge unbroken description wraps inside its cell and still renders.
    let mut s = statement_doc(2);
    s.lines[0].description = "X".repeat(5_000);
    s.customer.name = "Y".repeat(500);
    load(&statement(&s).expect("renders"));

    // Too many pages is an error, not a runaway: many rows, or one enormous note.
    let too_long = |r: Result<Vec<u8>, RenderError>| matches!(r, Err(RenderError::TooLong { limit: MAX_PAGES }));
    assert!(too_long(statement(&statement_doc(MAX_PAGES * 60))));
    let mut s = statement_doc(1);
    s.notes = vec!["word ".repeat(1_000_000)];
    assert!(too_long(statement(&s)));
}

/// Writes sample files when `PORTICO_RENDER_SAMPLES` names a directory (for looking at them).
#[test]
fn write_samples_when_asked() {
    let Ok(dir) = std::env::var("PORTICO_RENDER_SAMPLES") else { return };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("sample dir");
    std::fs::write(dir.join("statement.pdf"), statement(&statement_doc(14)).expect("renders")).expect("write");
    std::fs::write(dir.join("statement-long.pdf"), statement(&statement_doc(200)).expect("renders")).expect("write");
    std::fs::write(dir.join("payoff.pdf"), payoff_letter(&payoff_doc()).expect("renders")).expect("write");
}
