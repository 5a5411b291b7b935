//! Monthly statement of a line of credit or program account.

use super::blocks::{HeadRow, Kv, RIGHT_COL, address_block, kv_box, kv_height, kv_list, letterhead};
use super::font::Font;
use super::layout::{Align, Col, GREY, LEFT, Layout, RIGHT, RowKind, Table};
use super::{Info, MAX_PAGES, RenderError, StatementDoc, assemble};
use crate::{fmt_date, fmt_money, fmt_signed};
use time::Date;

/// Renders a monthly statement as a PDF.
///
/// Page 1: letterhead with "Statement", the account label and the period; the customer's mailing
/// address beside a "Payment information" box (new balance, minimum payment, due date); the
/// account summary (opening balance, `totals`, new balance; credit limit, available credit, APR);
/// then the transactions table (Date, Description, Amount), continued on further pages with its
/// header repeated; then the notes under "Important information".
///
/// Errors: [`RenderError::Invalid`] when the cycle ends before it starts,
/// [`RenderError::TooLong`] beyond [`MAX_PAGES`] pages.
pub fn statement(doc: &StatementDoc) -> Result<Vec<u8>, RenderError> {
    if doc.cycle_end < doc.cycle_start {
        return Err(RenderError::Invalid("statement cycle ends before it starts"));
    }
    let period = period(doc.cycle_start, doc.cycle_end);
    let mut l = Layout::new(&doc.company.name, &format!("Statement · {} · {}", doc.account_label, period));

    letterhead(
        &mut l,
        &doc.company,
        "Statement",
        &[
            HeadRow::Strong(doc.account_label.clone()),
            HeadRow::Pair("Statement period", period.clone()),
            HeadRow::Pair("Closing date", fmt_date(doc.cycle_end)),
        ],
    );

    // Mailing address beside the payment box.
    let top = l.y - 6.0;
    let address_bottom = address_block(&mut l, LEFT, top, RIGHT_COL - LEFT - 24.0, None, &doc.customer);
    let mut pay = vec![Kv::strong("New balance", fmt_money(doc.closing_balance))];
    if let Some(min) = doc.minimum_payment {
        pay.push(Kv::strong("Minimum payment due", fmt_money(min)));
    }
    if let Some(due) = doc.payment_due {
        pay.push(Kv::strong("Payment due date", fmt_date(due)));
    }
    let box_bottom = kv_box(&mut l, RIGHT_COL, RIGHT, top, "Payment information", &pay);
    l.y = address_bottom.min(box_bottom) - 10.0;

    // Account summary: flows on the left, account terms on the right.
    let mut summary = vec![Kv::new("Previous balance", fmt_money(doc.opening_balance))];
    summary.extend(doc.totals.iter().map(|(label, amount)| Kv::new(label.clone(), fmt_money(*amount))));
    summary.push(Kv::total("New balance", fmt_money(doc.closing_balance)));
    let mut terms = Vec::new();
    if let Some(limit) = doc.credit_limit {
        terms.push(Kv::new("Credit limit", fmt_money(limit)));
    }
    if let Some(available) = doc.available_credit {
        terms.push(Kv::new("Available credit", fmt_money(available)));
    }
    if let Some(apr) = &doc.apr {
        terms.push(Kv::new("Annual percentage rate (APR)", apr.clone()));
    }
    let rows = summary.len().max(terms.len());
    l.heading("Account summary", kv_height(rows.min(20)));
    let top = l.y;
    let mid = (LEFT + RIGHT) / 2.0;
    let left_bottom = kv_list(&mut l, LEFT, mid - 16.0, top, &summary);
    let right_bottom = kv_list(&mut l, mid + 16.0, RIGHT, top, &terms);
    l.y = left_bottom.min(right_bottom) - 10.0;

    // Transactions.
    l.heading("Transactions", 60.0);
    let table = Table::new(vec![
        Col { title: "Date", width: 104.0, align: Align::Left },
        Col { title: "Description", width: 300.0, align: Align::Left },
        Col { title: "Amount", width: 100.0, align: Align::Right },
    ]);
    table.begin(&mut l);
    if doc.lines.is_empty() {
        table.row(&mut l, &[String::new(), "No transactions this period.".to_string(), String::new()], RowKind::Body);
    }
    for line in &doc.lines {
        table.row(&mut l, &[fmt_date(line.date), line.description.clone(), fmt_signed(line.amount)], RowKind::Body);
        if l.page_count() > MAX_PAGES {
            return Err(RenderError::TooLong { limit: MAX_PAGES });
        }
    }
    let net: i64 = doc.lines.iter().fold(0i64, |acc, line| acc.saturating_add(line.amount));
    if !doc.lines.is_empty() {
        table.row(&mut l, &["Total".to_string(), String::new(), fmt_signed(net)], RowKind::Total);
    }

    // Notes.
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
    let title = format!("Statement · {} · {}", doc.account_label, period);
    assemble(&pages, &Info { title: &title, author: &doc.company.name, subject: &doc.account_label })
}

/// "October 25 – November 24, 2026", or with both years when they differ.
fn period(start: Date, end: Date) -> String {
    if start.year() == end.year() {
        format!("{} {} – {}", start.month(), start.day(), fmt_date(end))
    } else {
        format!("{} – {}", fmt_date(start), fmt_date(end))
    }
}
