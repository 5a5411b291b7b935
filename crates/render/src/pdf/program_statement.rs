//! Monthly statement of a debt settlement program's dedicated account (seed 000's
//! "Statements" for clients whose program account is held by a payment processor).
//!
//! The figures come from `portico_domain::settlement::monthly_statement`; this module only lays
//! them out. Money in is positive, money out negative, as seen by the account.

use time::Date;

use super::blocks::{HeadRow, Kv, RIGHT_COL, address_block, kv_box, kv_height, kv_list, letterhead};
use super::font::Font;
use super::layout::{Align, Col, GREY, LEFT, Layout, RIGHT, RowKind, Table};
use super::{Info, MAX_PAGES, Party, RenderError, assemble};
use crate::{fmt_date, fmt_money, fmt_signed};

/// One movement on a program account statement. Amounts are in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramLine {
    /// Posting date.
    pub date: Date,
    /// What it is ("Deposit", "Fee", "Payment to creditor", …).
    pub kind: String,
    /// Statement text.
    pub description: String,
    /// Signed amount: positive money in, negative money out.
    pub amount: i64,
    /// Account balance after this line.
    pub balance: i64,
}

/// A program account statement for one calendar month. Amounts are in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramStatementDoc {
    /// The settlement company.
    pub company: Party,
    /// The customer and mailing address.
    pub customer: Party,
    /// Already masked by the caller, e.g. "ForthPay ••••4821".
    pub account_label: String,
    /// The customer's number at the company.
    pub customer_number: String,
    /// First day of the month.
    pub start: Date,
    /// Last day of the month.
    pub end: Date,
    /// Balance at the start of the month.
    pub opening: i64,
    /// Σ deposits in the month.
    pub deposits: i64,
    /// Σ fees in the month (normally negative).
    pub fees: i64,
    /// Σ payments to creditors in the month (negative).
    pub creditor_payments: i64,
    /// Σ refunds and adjustments.
    pub other: i64,
    /// Balance at the end of the month.
    pub closing: i64,
    /// The month's movements, in date order.
    pub lines: Vec<ProgramLine>,
    /// Paragraphs printed under "Important information".
    pub notes: Vec<String>,
}

/// Renders a program account statement as a PDF.
///
/// Page 1: letterhead with "Program account statement", the account and the month; the customer's
/// mailing address beside an "Account balance" box; the summary (opening balance, deposits, fees,
/// payments to creditors, other, closing balance, which always add up); then the activity table
/// (Date, Type, Description, Amount, Balance), continued on further pages with its header repeated;
/// then the notes.
///
/// Errors: [`RenderError::Invalid`] when the month ends before it starts or the figures don't add
/// up, [`RenderError::TooLong`] beyond [`MAX_PAGES`] pages.
pub fn program_statement(doc: &ProgramStatementDoc) -> Result<Vec<u8>, RenderError> {
    if doc.end < doc.start {
        return Err(RenderError::Invalid("statement period ends before it starts"));
    }
    let sum = [doc.deposits, doc.fees, doc.creditor_payments, doc.other]
        .iter()
        .try_fold(doc.opening, |acc, v| acc.checked_add(*v))
        .ok_or(RenderError::Invalid("statement totals overflow"))?;
    if sum != doc.closing {
        return Err(RenderError::Invalid("statement totals do not add up to the closing balance"));
    }
    let month = format!("{} {}", doc.start.month(), doc.start.year());
    let mut l = Layout::new(&doc.company.name, &format!("Program account statement · {month}"));

    letterhead(
        &mut l,
        &doc.company,
        "Statement",
        &[
            HeadRow::Strong("Settlement program account".into()),
            HeadRow::Strong(doc.account_label.clone()),
            HeadRow::Pair("Statement period", format!("{} – {}", fmt_date(doc.start), fmt_date(doc.end))),
            HeadRow::Pair("Customer number", doc.customer_number.clone()),
        ],
    );

    let top = l.y - 6.0;
    let address_bottom = address_block(&mut l, LEFT, top, RIGHT_COL - LEFT - 24.0, None, &doc.customer);
    let balance = vec![
        Kv::strong("Balance on ".to_string() + &fmt_date(doc.end), fmt_money(doc.closing)),
        Kv::new("Deposits this month", fmt_money(doc.deposits)),
    ];
    let box_bottom = kv_box(&mut l, RIGHT_COL, RIGHT, top, "Account balance", &balance);
    l.y = address_bottom.min(box_bottom) - 10.0;

    let summary = vec![
        Kv::new("Opening balance", fmt_money(doc.opening)),
        Kv::new("Deposits", fmt_money(doc.deposits)),
        Kv::new("Program fees", fmt_money(doc.fees)),
        Kv::new("Payments to creditors", fmt_money(doc.creditor_payments)),
        Kv::new("Refunds and adjustments", fmt_money(doc.other)),
        Kv::total("Closing balance", fmt_money(doc.closing)),
    ];
    l.heading("Summary", kv_height(summary.len()));
    let top = l.y;
    l.y = kv_list(&mut l, LEFT, (LEFT + RIGHT) / 2.0 - 16.0, top, &summary) - 10.0;

    l.heading("Activity", 60.0);
    let table = Table::new(vec![
        Col { title: "Date", width: 84.0, align: Align::Left },
        Col { title: "Type", width: 100.0, align: Align::Left },
        Col { title: "Description", width: 164.0, align: Align::Left },
        Col { title: "Amount", width: 78.0, align: Align::Right },
        Col { title: "Balance", width: 78.0, align: Align::Right },
    ]);
    table.begin(&mut l);
    table.row(
        &mut l,
        &[fmt_date(doc.start), String::new(), "Opening balance".into(), String::new(), fmt_money(doc.opening)],
        RowKind::Body,
    );
    if doc.lines.is_empty() {
        table.row(
            &mut l,
            &[String::new(), String::new(), "No activity this month.".into(), String::new(), String::new()],
            RowKind::Body,
        );
    }
    for line in &doc.lines {
        table.row(
            &mut l,
            &[
                fmt_date(line.date),
                line.kind.clone(),
                line.description.clone(),
                fmt_signed(line.amount),
                fmt_money(line.balance),
            ],
            RowKind::Body,
        );
        if l.page_count() > MAX_PAGES {
            return Err(RenderError::TooLong { limit: MAX_PAGES });
        }
    }
    table.row(
        &mut l,
        &["Closing balance".into(), String::new(), String::new(), String::new(), fmt_money(doc.closing)],
        RowKind::Total,
    );

    if !doc.notes.is_empty() {
        l.gap(8.0);
        l.heading("Important information", 24.0);
        for note in &doc.notes {
            l.gap(3.0);
            l.paragraph(LEFT, RIGHT - LEFT, Font::Regular, 8.5, 11.0, GREY, note);
            if l.page_count() > MAX_PAGES {
                return Err(RenderError::TooLong { limit: MAX_PAGES });
            }
        }
    }

    if l.overflowed() {
        return Err(RenderError::TooLong { limit: MAX_PAGES });
    }
    let pages = l.finish(&format!("{} · {}", doc.company.name, doc.account_label));
    let title = format!("Program account statement · {} · {month}", doc.account_label);
    assemble(&pages, &Info { title: &title, author: &doc.company.name, subject: &doc.account_label })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn doc() -> ProgramStatementDoc {
        ProgramStatementDoc {
            company: Party { name: "Acme Debt Relief".into(), address_lines: vec!["1 Main St".into()] },
            customer: Party { name: "Sam Settle".into(), address_lines: vec!["2 Elm St".into()] },
            account_label: "ForthPay ••••4821".into(),
            customer_number: "AC-200001".into(),
            start: date!(2026 - 03 - 01),
            end: date!(2026 - 03 - 31),
            opening: 120_000,
            deposits: 35_000,
            fees: -4_500,
            creditor_payments: -50_000,
            other: 0,
            closing: 100_500,
            lines: vec![
                ProgramLine {
                    date: date!(2026 - 03 - 02),
                    kind: "Deposit".into(),
                    description: "Monthly draft".into(),
                    amount: 35_000,
                    balance: 155_000,
                },
                ProgramLine {
                    date: date!(2026 - 03 - 05),
                    kind: "Fee".into(),
                    description: "Account fee".into(),
                    amount: -4_500,
                    balance: 150_500,
                },
                ProgramLine {
                    date: date!(2026 - 03 - 20),
                    kind: "Payment to creditor".into(),
                    description: "Midland Credit Management 1 of 4".into(),
                    amount: -50_000,
                    balance: 100_500,
                },
            ],
            notes: vec!["Questions? Call us.".into()],
        }
    }

    #[test]
    fn renders_a_pdf_with_the_months_figures() {
        let bytes = program_statement(&doc()).unwrap();
        assert!(bytes.starts_with(b"%PDF-1.7"));
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        let text = pdf.extract_text(&[1]).unwrap();
        for needle in [
            "Settlement program account",
            "Statement",
            "$1,200.00",
            "$350.00",
            "-$45.00",
            "-$500.00",
            "$1,005.00",
            "Midland",
        ] {
            assert!(text.contains(needle), "{needle} missing in {text}");
        }
    }

    #[test]
    fn refuses_figures_that_do_not_add_up() {
        let mut d = doc();
        d.closing += 1;
        assert!(matches!(program_statement(&d), Err(RenderError::Invalid(_))));
        let mut d = doc();
        d.end = date!(2026 - 02 - 01);
        assert!(matches!(program_statement(&d), Err(RenderError::Invalid(_))));
    }

    #[test]
    fn long_months_break_pages() {
        let mut d = doc();
        let line = d.lines[0].clone();
        d.lines = vec![ProgramLine { amount: 0, ..line }; 120];
        d.deposits = 0;
        d.fees = 0;
        d.creditor_payments = 0;
        d.closing = d.opening;
        let bytes = program_statement(&d).unwrap();
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        assert!(pdf.get_pages().len() >= 3);
    }
}
