#![allow(clippy::unwrap_used)]
//! Random histories (issue 19): for loans and lines of credit with random
//! payments (partial, whole, over), fees, interest charges and draws, the
//! figures the portal shows follow from the ledger and paying "payoff
//! today" leaves exactly zero. The ledger sums and the average daily
//! balance are recomputed here, not taken from the app.

use portico_app::ledger::plan_payment;
use portico_app::servicing::{self, Inputs};
use portico_domain::codes::{AccountKind, AccountStatus, TxKind, TxStatus};
use portico_store::accounts::{Account, AccountWithLedger, Ledger, Statement, Transaction};
use proptest::prelude::*;
use time::{Date, Duration, macros::date};

#[derive(Debug, Clone)]
enum Event {
    Pay(i64),
    Fee(i64),
    Interest(i64),
    Draw(i64),
}

fn event() -> impl Strategy<Value = (i64, Event)> {
    (
        0_i64..40,
        prop_oneof![
            4 => (1_i64..400_000).prop_map(Event::Pay),
            1 => (100_i64..5_000).prop_map(Event::Fee),
            1 => (1_i64..20_000).prop_map(Event::Interest),
            2 => (1_000_i64..300_000).prop_map(Event::Draw),
        ],
    )
}

fn iso(d: Date) -> String {
    d.to_string()
}

fn account(kind: &str, rate: &str) -> Account {
    let loc = kind == "line_of_credit";
    Account {
        id: 1,
        company_id: 1,
        contact_id: 1,
        external_id: None,
        number: "X-1".into(),
        kind: kind.parse().unwrap(),
        product: String::new(),
        status: AccountStatus::Active,
        hidden: false,
        opened_on: "2026-01-01".into(),
        amount_cents: if loc { 2_000_000 } else { 1_000_000 },
        annual_rate: rate.into(),
        factor_rate: None,
        term_periods: if loc { None } else { Some(36) },
        frequency: "monthly".into(),
        first_due_on: if loc { None } else { Some("2026-02-01".into()) },
        payment_cents: if loc { None } else { Some(31_000) },
        day_count: if loc { "actual/365".into() } else { "30/360".into() },
        min_payment_percent: None,
        min_payment_floor_cents: None,
    }
}

/// The ledger's sums over the posted entries, computed here.
fn sums(entries: &[Transaction]) -> Ledger {
    let mut l = Ledger::default();
    for t in entries.iter().filter(|t| t.status == TxStatus::Posted) {
        l.principal += t.principal_cents;
        l.interest += t.interest_cents;
        l.fees += t.fees_cents;
        l.credit += t.credit_cents;
        match t.kind {
            TxKind::Disbursement | TxKind::Draw => l.disbursed += t.principal_cents,
            TxKind::Interest => {
                l.interest_assessed += t.interest_cents;
                l.last_interest_on = Some(t.posted_on.clone()).max(l.last_interest_on.take());
            }
            TxKind::Fee => l.fees_assessed += t.fees_cents,
            TxKind::Payment => {
                l.received += t.amount_cents;
                l.last_payment_on = Some(t.posted_on.clone()).max(l.last_payment_on.take());
            }
            _ => {}
        }
        if t.principal_cents != 0 {
            l.last_principal_on = Some(t.posted_on.clone()).max(l.last_principal_on.take());
        }
    }
    l
}

fn entry(on: Date, kind: &str, amount: i64, d: (i64, i64, i64, i64)) -> Transaction {
    Transaction {
        id: 0,
        account_id: 1,
        posted_on: iso(on),
        kind: kind.parse().unwrap(),
        status: TxStatus::Posted,
        amount_cents: amount,
        principal_cents: d.0,
        interest_cents: d.1,
        fees_cents: d.2,
        credit_cents: d.3,
        description: String::new(),
        reference: None,
        reverses_id: None,
        account_number: "X-1".into(),
        effect_cents: d.0 + d.1 + d.2 - d.3,
    }
}

struct Book {
    account: Account,
    entries: Vec<Transaction>,
    statement: Option<Statement>,
}

impl Book {
    fn view(&self, on: Date) -> servicing::AccountView {
        let l = sums(&self.entries);
        let cycle_end = match (&self.statement, &l.last_interest_on) {
            (Some(s), _) => s.cycle_end.clone(),
            (None, Some(i)) if self.account.kind != AccountKind::LineOfCredit => i.clone(),
            _ => "2025-12-31".into(),
        };
        let since: Vec<Transaction> =
            self.entries.iter().filter(|t| t.status == TxStatus::Posted && t.posted_on > cycle_end).cloned().collect();
        let inputs = Inputs { statement: self.statement.clone(), since_cycle: since, upcoming: Vec::new() };
        let a = AccountWithLedger { account: self.account.clone(), ledger: l };
        servicing::view(&a, on, &inputs)
    }

    /// Post a payment the way the app does (plan, accrual entry, payment entry).
    fn pay(&mut self, on: Date, amount: i64) -> servicing::AccountView {
        let v = self.view(on);
        let p = plan_payment(&v, amount, "fees,interest,principal").unwrap();
        if let Some(a) = p.accrual {
            self.entries.push(entry(on, "interest", a, (0, a, 0, 0)));
        }
        let d = p.deltas;
        self.entries.push(entry(on, "payment", amount, (d.principal, d.interest, d.fees, d.credit)));
        v
    }
}

/// Σ end-of-day principal over `[from, until)` · apr / 365, half up — the
/// average-daily-balance interest, written out day by day.
fn adb(entries: &[Transaction], from: Date, until: Date, apr_bp: i64) -> i64 {
    let mut sum: i128 = 0;
    let mut d = from;
    while d < until {
        let bal: i64 = entries
            .iter()
            .filter(|t| t.status == TxStatus::Posted && t.posted_on.as_str() <= iso(d).as_str())
            .map(|t| t.principal_cents)
            .sum();
        sum += i128::from(bal.max(0));
        d += Duration::days(1);
    }
    // apr = apr_bp / 10_000
    ((2 * sum * i128::from(apr_bp) + 365 * 10_000) / (2 * 365 * 10_000)) as i64
}

fn run(kind: &str, apr_bp: i64, events: &[(i64, Event)], extra: i64) -> Result<(), TestCaseError> {
    let rate = format!("0.{apr_bp:04}");
    let loc = kind == "line_of_credit";
    let opened = date!(2026 - 01 - 01);
    let mut b = Book { account: account(kind, &rate), entries: Vec::new(), statement: None };
    let funded = if loc { 0 } else { 1_000_000 };
    if funded > 0 {
        b.entries.push(entry(opened, "disbursement", funded, (funded, 0, 0, 0)));
    }
    let mut on = opened;
    for (gap, ev) in events {
        on += Duration::days(*gap);
        match ev {
            Event::Pay(amount) => {
                let before = b.view(on);
                let payoff = before.payoff_today();
                if payoff == 0 {
                    continue;
                }
                let amount = (*amount).min(payoff);
                b.pay(on, amount);
                let l = sums(&b.entries);
                prop_assert!(l.principal >= 0 && l.interest >= 0 && l.fees >= 0, "{l:?}");
                prop_assert!(l.credit >= 0, "{l:?}");
                let after = b.view(on);
                prop_assert_eq!(after.payoff_today(), payoff - amount, "a payment lowers the payoff by itself");
            }
            Event::Fee(a) => b.entries.push(entry(on, "fee", *a, (0, 0, *a, 0))),
            Event::Interest(a) if !loc => b.entries.push(entry(on, "interest", *a, (0, *a, 0, 0))),
            Event::Interest(_) => {}
            Event::Draw(a) if loc => b.entries.push(entry(on, "draw", *a, (*a, 0, 0, 0))),
            Event::Draw(_) => {}
        }
    }
    let today = on + Duration::days(3);
    let v = b.view(today);
    // The view's figures follow from the ledger.
    let l = sums(&b.entries);
    prop_assert_eq!(v.balance, l.principal + l.interest + l.fees - l.credit);
    if loc {
        let last_interest = b.entries.iter().filter(|t| t.kind == TxKind::Interest).map(|t| t.posted_on.clone()).max();
        let from = last_interest
            .map_or(opened, |d| time::Date::parse(&d, &time::format_description::well_known::Iso8601::DATE).unwrap());
        prop_assert_eq!(v.accrued_interest, adb(&b.entries, from, today, apr_bp), "ADB since the last charge");
    }
    // Payoff today, then `extra` on top: exactly zero, the extra a credit.
    let payoff = v.payoff_today();
    if payoff > 0 {
        b.pay(today, payoff + extra);
        let l = sums(&b.entries);
        prop_assert_eq!((l.principal, l.interest, l.fees), (0, 0, 0), "paid off exactly: {:?}", l);
        prop_assert_eq!(l.credit, extra, "what was paid beyond the payoff is a credit");
        prop_assert_eq!(b.view(today).balance, -extra);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn loans_pay_off_to_exactly_zero(apr in 0_i64..3000, events in prop::collection::vec(event(), 0..25), extra in 0_i64..2) {
        run("installment", apr, &events, extra * 1234)?;
    }

    #[test]
    fn lines_of_credit_accrue_by_daily_balance_and_pay_off_to_zero(apr in 0_i64..3000, events in prop::collection::vec(event(), 0..25), extra in 0_i64..2) {
        run("line_of_credit", apr, &events, extra * 999)?;
    }
}
