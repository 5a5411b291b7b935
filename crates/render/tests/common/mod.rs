//! Sample documents shared by the integration tests.
#![allow(dead_code)]

use portico_render::chart::AmortPoint;
use portico_render::pdf::{Party, PayoffLetterDoc, PayoffLine, StatementDoc, StatementLine};
use time::Date;
use time::macros::date;

pub fn company() -> Party {
    Party {
        name: "Harbor Point Lending, LLC".into(),
        address_lines: vec![
            "1200 Market Street, Suite 400".into(),
            "Wilmington, DE 19801".into(),
            "(800) 555-0142 · harborpoint.example".into(),
        ],
    }
}

pub fn customer() -> Party {
    Party {
        name: "Jane Q. Public".into(),
        address_lines: vec!["42 Elm Street, Apt 3B".into(), "Springfield, IL 62701".into()],
    }
}

pub fn statement_doc(lines: usize) -> StatementDoc {
    let start = date!(2026 - 10 - 25);
    let descriptions = [
        "Draw to checking ••••1234",
        "Payment — thank you",
        "Interest charge",
        "Late fee waived (courtesy adjustment for October, see note below on how fees are assessed)",
    ];
    let mut out = Vec::with_capacity(lines);
    for i in 0..lines {
        let day = start.checked_add(time::Duration::days((i % 30) as i64)).unwrap_or(start);
        let description = descriptions[i % descriptions.len()].to_string();
        let amount = match i % 4 {
            0 => 25_000 + (i as i64) * 137,
            1 => -(10_000 + (i as i64) * 11),
            2 => 1_234,
            _ => -500,
        };
        out.push(StatementLine { date: day, description, amount });
    }
    StatementDoc {
        company: company(),
        customer: customer(),
        account_label: "Line of credit ••••4821".into(),
        cycle_start: start,
        cycle_end: date!(2026 - 11 - 24),
        opening_balance: 412_350,
        closing_balance: 538_984,
        credit_limit: Some(1_000_000),
        available_credit: Some(461_016),
        totals: vec![
            ("Draws".into(), 123_400),
            ("Payments".into(), -50_000),
            ("Interest charged".into(), 1_234),
            ("Fees".into(), 0),
        ],
        lines: out,
        minimum_payment: Some(16_170),
        payment_due: Some(date!(2026 - 12 - 19)),
        apr: Some("18.99 %".into()),
        notes: vec![
            "Interest is charged on the average daily balance. We figure the balance by taking the beginning \
             balance of your account each day, adding any new draws, and subtracting any payments or credits."
                .into(),
            "Billing rights summary: if you think there is an error on your statement, write to us at the \
             address above within 60 days after we sent the statement on which the error appeared."
                .into(),
        ],
    }
}

pub fn payoff_doc() -> PayoffLetterDoc {
    PayoffLetterDoc {
        company: company(),
        customer: customer(),
        date: date!(2026 - 11 - 24),
        reference: "PQ-2026-00042".into(),
        good_through: date!(2026 - 12 - 04),
        accounts: vec![
            PayoffLine {
                account_label: "Installment loan ••••1234".into(),
                principal: 1_234_567,
                interest: 4_321,
                fees: 2_500,
                per_diem: 412,
                total: 1_241_388,
                basis: "Interest accrues on a 30/360 basis.".into(),
            },
            PayoffLine {
                account_label: "Line of credit ••••4821".into(),
                principal: 538_984,
                interest: 2_110,
                fees: 0,
                per_diem: 280,
                total: 541_094,
                basis: "Interest is charged on the average daily balance.".into(),
            },
        ],
        total: 1_782_482,
        instructions: vec![
            "Send the total payoff amount by wire transfer to Harbor Point Lending, ABA 021000021, account \
             000123456789, or by certified check payable to Harbor Point Lending, LLC, to the address above."
                .into(),
            "Include the quote reference PQ-2026-00042 with your payment. Personal checks may delay the release \
             of liens by up to 10 business days."
                .into(),
        ],
        contact: "Questions? Call (800) 555-0142, Monday to Friday, 8 am to 6 pm Eastern.".into(),
    }
}

/// A 30-year monthly schedule of $250,000 at 6.5 %, starting March 2026.
pub fn schedule(months: usize) -> Vec<AmortPoint> {
    let mut balance: i64 = 25_000_000;
    let rate = 0.065 / 12.0;
    let n = months.max(1) as i32;
    let payment = (balance as f64 * rate / (1.0 - (1.0 + rate).powi(-n))).round() as i64;
    let (mut cp, mut ci) = (0i64, 0i64);
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    (0..months)
        .map(|i| {
            let interest = (balance as f64 * rate).round() as i64;
            let principal = (payment - interest).min(balance);
            balance -= principal;
            cp += principal;
            ci += interest;
            let m = (2 + i) % 12;
            let y = 2026 + (2 + i) / 12;
            AmortPoint {
                label: format!("{} {y}", names[m]),
                balance,
                cumulative_principal: cp,
                cumulative_interest: ci,
            }
        })
        .collect()
}

pub fn any_date() -> Date {
    date!(2026 - 01 - 01)
}
