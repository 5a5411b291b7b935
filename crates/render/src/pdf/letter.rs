//! Payoff quote letter.

use super::blocks::{HeadRow, address_block, letterhead};
use super::font::Font;
use super::layout::{ACCENT, Align, Col, INK, LEFT, Layout, RIGHT, RowKind, Table};
use super::{Info, MAX_PAGES, PayoffLetterDoc, RenderError, assemble};
use crate::{fmt_date, fmt_money};

/// Renders a payoff quote letter as a PDF.
///
/// Letterhead with "Payoff quote", the reference, quote date and good-through date; the
/// addressee; a salutation; the quote table (Account, Principal, Interest, Fees, Per diem,
/// Payoff amount) with a totals row; "This quote is good through {date}. …"; each account's
/// per-diem with how it counts interest (30/360, actual/365, average daily balance); the payment
/// instructions under "How to pay"; the contact sentence; and the closing.
///
/// Errors: [`RenderError::Invalid`] when the quote is good through a date before the letter's
/// date, [`RenderError::TooLong`] beyond [`MAX_PAGES`] pages.
pub fn payoff_letter(doc: &PayoffLetterDoc) -> Result<Vec<u8>, RenderError> {
    if doc.good_through < doc.date {
        return Err(RenderError::Invalid("payoff quote is good through a date before the letter"));
    }
    let mut l = Layout::new(&doc.company.name, &format!("Payoff quote · {} · {}", doc.reference, fmt_date(doc.date)));
    letterhead(
        &mut l,
        &doc.company,
        "Payoff quote",
        &[
            HeadRow::Pair("Date", fmt_date(doc.date)),
            HeadRow::Pair("Reference", doc.reference.clone()),
            HeadRow::Pair("Good through", fmt_date(doc.good_through)),
        ],
    );
    let top = l.y - 6.0;
    l.y = address_block(&mut l, LEFT, top, 280.0, None, &doc.customer) - 22.0;

    let body = |l: &mut Layout, text: &str| {
        l.paragraph(LEFT, RIGHT - LEFT, Font::Regular, 10.0, 14.0, INK, text);
        l.gap(6.0);
    };
    let name = doc.customer.name.trim();
    body(&mut l, &format!("Dear {},", if name.is_empty() { "customer" } else { name }));
    let what = if doc.accounts.len() == 1 { "your account" } else { "your accounts" };
    body(
        &mut l,
        &format!(
            "As requested, this letter states the amount needed to pay {what} in full. The payoff amount of {} \
             is valid if we receive your payment on or before {}.",
            fmt_money(doc.total),
            fmt_date(doc.good_through)
        ),
    );
    l.gap(4.0);

    let table = Table::new(vec![
        Col { title: "Account", width: 150.0, align: Align::Left },
        Col { title: "Principal", width: 74.0, align: Align::Right },
        Col { title: "Interest", width: 66.0, align: Align::Right },
        Col { title: "Fees", width: 60.0, align: Align::Right },
        Col { title: "Per diem", width: 62.0, align: Align::Right },
        Col { title: "Payoff amount", width: 92.0, align: Align::Right },
    ]);
    table.begin(&mut l);
    let mut sums = [0i64; 4];
    for a in &doc.accounts {
        for (sum, v) in sums.iter_mut().zip([a.principal, a.interest, a.fees, a.per_diem]) {
            *sum = sum.saturating_add(v);
        }
        table.row(
            &mut l,
            &[
                a.account_label.clone(),
                fmt_money(a.principal),
                fmt_money(a.interest),
                fmt_money(a.fees),
                fmt_money(a.per_diem),
                fmt_money(a.total),
            ],
            RowKind::Body,
        );
        if l.page_count() > MAX_PAGES {
            return Err(RenderError::TooLong { limit: MAX_PAGES });
        }
    }
    let [principal, interest, fees, per_diem] = sums;
    table.row(
        &mut l,
        &[
            "Total".to_string(),
            fmt_money(principal),
            fmt_money(interest),
            fmt_money(fees),
            // Per-diems of accounts that count days differently don't add up.
            String::new(),
            fmt_money(doc.total),
        ],
        RowKind::Total,
    );
    l.gap(14.0);

    let validity = if per_diem > 0 {
        format!(
            "This quote is good through {}. After that date, interest keeps accruing on each account as stated \
             below until we receive your payment; ask us for an updated quote.",
            fmt_date(doc.good_through)
        )
    } else {
        format!(
            "This quote is good through {}. After that date, please ask us for an updated quote.",
            fmt_date(doc.good_through)
        )
    };
    l.paragraph(LEFT, RIGHT - LEFT, Font::Bold, 10.0, 14.0, INK, &validity);
    l.gap(6.0);
    for a in doc.accounts.iter().filter(|a| a.per_diem > 0 || !a.basis.is_empty()) {
        let per_day = if a.per_diem > 0 {
            format!(" {} per day at today's balance.", fmt_money(a.per_diem))
        } else {
            String::new()
        };
        body(&mut l, &format!("{}:{per_day} {}", a.account_label, a.basis));
        if l.page_count() > MAX_PAGES {
            return Err(RenderError::TooLong { limit: MAX_PAGES });
        }
    }
    l.gap(8.0);

    if !doc.instructions.is_empty() {
        l.heading("How to pay", 40.0);
        l.gap(2.0);
        for p in &doc.instructions {
            body(&mut l, p);
            if l.page_count() > MAX_PAGES {
                return Err(RenderError::TooLong { limit: MAX_PAGES });
            }
        }
        l.gap(4.0);
    }
    if !doc.contact.is_empty() {
        body(&mut l, &doc.contact);
    }
    l.ensure(60.0);
    l.gap(8.0);
    body(&mut l, "Sincerely,");
    l.gap(10.0);
    l.paragraph(LEFT, RIGHT - LEFT, Font::Bold, 10.0, 14.0, ACCENT, &doc.company.name);

    if l.overflowed() {
        return Err(RenderError::TooLong { limit: MAX_PAGES });
    }
    let pages = l.finish(&format!("{} · Payoff quote {}", doc.company.name, doc.reference));
    let title = format!("Payoff quote {} · {}", doc.reference, fmt_date(doc.date));
    assemble(&pages, &Info { title: &title, author: &doc.company.name, subject: &doc.reference })
}
