//! What a customer sees of an account: balance, next payment, past due,
//! remaining payments, projected payoff, payoff quotes, the amortization
//! chart — computed from the account's terms and its ledger with the
//! domain's loan math (`portico_domain::loan`). Nothing here is stored.

use std::str::FromStr;

use portico_domain::loan::{
    self, CashAdvance, Cents, DayCount, Frequency, LoanTerms, PayoffQuote, ScheduleRow, add_business_days,
};
use portico_domain::validate;
use portico_store::accounts::{Account, AccountWithLedger, Ledger, Statement};
use rust_decimal::Decimal;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Installment,
    Lease,
    LineOfCredit,
    CashAdvance,
}

impl Kind {
    pub fn parse(s: &str) -> Kind {
        match s {
            "lease" => Kind::Lease,
            "line_of_credit" => Kind::LineOfCredit,
            "cash_advance" => Kind::CashAdvance,
            _ => Kind::Installment,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Installment => "Installment loan",
            Kind::Lease => "Lease",
            Kind::LineOfCredit => "Line of credit",
            Kind::CashAdvance => "Cash advance",
        }
    }

    /// Loans and leases have a schedule (Summary and Collateral tabs).
    pub fn amortizes(self) -> bool {
        matches!(self, Kind::Installment | Kind::Lease)
    }
}

pub fn frequency(s: &str) -> Frequency {
    match s {
        "semi_monthly" => Frequency::SemiMonthly,
        "bi_weekly" => Frequency::BiWeekly,
        "weekly" => Frequency::Weekly,
        "daily" => Frequency::Daily,
        _ => Frequency::Monthly,
    }
}

pub fn frequency_label(f: Frequency) -> &'static str {
    match f {
        Frequency::Monthly => "Monthly",
        Frequency::SemiMonthly => "Twice a month",
        Frequency::BiWeekly => "Every two weeks",
        Frequency::Weekly => "Weekly",
        Frequency::Daily => "Every business day",
    }
}

pub fn day_count(s: &str) -> DayCount {
    if s == "actual/365" { DayCount::Actual365 } else { DayCount::Thirty360 }
}

fn rate(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

fn date(s: &str) -> Option<Date> {
    validate::date(s)
}

/// An account as the portal shows it.
#[derive(Debug, Clone)]
pub struct AccountView {
    pub account: Account,
    pub ledger: Ledger,
    pub kind: Kind,
    /// What is owed now: principal + interest + fees (advances: payback left).
    pub balance: i64,
    pub next_due: Option<Date>,
    pub next_amount: Option<i64>,
    pub past_due: i64,
    pub remaining_payments: Option<u32>,
    pub projected_payoff: Option<Date>,
    pub annual_rate: Decimal,
    pub paid_in_full: bool,
    /// The day interest has accrued from since it was last assessed: the
    /// last due date of a loan, the end of a line of credit's last cycle.
    pub accrual_from: Option<Date>,
    /// Advances only.
    pub advance: Option<AdvanceFigures>,
}

#[derive(Debug, Clone)]
pub struct AdvanceFigures {
    pub funded: i64,
    pub factor_rate: Decimal,
    pub total_payback: i64,
    pub remitted: i64,
    pub remaining: i64,
    pub percent_paid: Decimal,
    pub debit_amount: i64,
    pub frequency: Frequency,
    pub expected_completion: Option<Date>,
}

impl AccountView {
    /// Regular payment of a loan or lease, or debit of an advance.
    pub fn payment(&self) -> Option<i64> {
        self.account.payment_cents
    }

    /// Principal paid so far (loans and leases).
    pub fn principal_paid(&self) -> i64 {
        (self.ledger.disbursed - self.ledger.principal).max(0)
    }

    pub fn interest_paid(&self) -> i64 {
        (self.ledger.interest_assessed - self.ledger.interest).max(0)
    }
}

/// Due dates of an amortizing account from its first due date.
fn due_dates_through(first_due: Date, f: Frequency, periods: u32, through: Date) -> u32 {
    let mut k = 0;
    while k < periods {
        match f.due_date(first_due, k) {
            Ok(d) if d <= through => k += 1,
            _ => break,
        }
    }
    k
}

/// Build the view of one account as of `today`. `latest_statement` is used
/// for lines of credit (their minimum payment and due date).
pub fn view(a: &AccountWithLedger, today: Date, latest_statement: Option<&Statement>) -> AccountView {
    let acct = &a.account;
    let l = &a.ledger;
    let kind = Kind::parse(&acct.kind);
    let annual_rate = rate(&acct.annual_rate);
    let f = frequency(&acct.frequency);
    let mut v = AccountView {
        account: acct.clone(),
        ledger: l.clone(),
        kind,
        balance: l.principal + l.interest + l.fees,
        next_due: None,
        next_amount: None,
        past_due: 0,
        remaining_payments: None,
        projected_payoff: None,
        annual_rate,
        paid_in_full: false,
        accrual_from: None,
        advance: None,
    };
    match kind {
        Kind::Installment | Kind::Lease => {
            let payment = acct.payment_cents.unwrap_or(0);
            let periods = acct.term_periods.unwrap_or(0).clamp(0, i64::from(loan::MAX_PERIODS)) as u32;
            v.paid_in_full = v.balance <= 0 && l.disbursed > 0;
            if let (Some(first), false) = (acct.first_due_on.as_deref().and_then(date), v.paid_in_full) {
                let due_so_far = due_dates_through(first, f, periods, today);
                v.accrual_from =
                    if due_so_far == 0 { date(&acct.opened_on) } else { f.due_date(first, due_so_far - 1).ok() };
                let scheduled = i64::from(due_so_far) * payment;
                v.past_due = (scheduled - l.received).clamp(0, v.balance.max(0));
                if due_so_far < periods {
                    v.next_due = f.due_date(first, due_so_far).ok();
                    v.next_amount = Some(payment.min(v.balance.max(0)));
                }
                let left_on_schedule = periods.saturating_sub(due_so_far);
                let on_schedule = v.past_due == 0;
                v.remaining_payments = loan::remaining_payments(
                    Cents(l.principal.max(0)),
                    annual_rate,
                    f.periods_per_year(),
                    Cents(payment),
                )
                .ok()
                .flatten()
                // Projecting with the regular payment can leave a few cents of
                // rounding for one extra payment that the schedule folds into
                // its adjusted final payment; count it as the schedule does.
                .map(|n| if on_schedule && n == left_on_schedule + 1 { left_on_schedule } else { n });
                if let (Some(n), Some(next)) = (v.remaining_payments, v.next_due) {
                    v.projected_payoff = loan::projected_payoff_date(next, f, n).ok().flatten();
                }
            }
        }
        Kind::LineOfCredit => {
            v.paid_in_full = false;
            if let Some(st) = latest_statement {
                v.accrual_from = date(&st.cycle_end);
                let due = date(&st.due_on);
                let paid_since = l.last_payment_on.as_deref().is_some_and(|p| p > st.cycle_end.as_str());
                if due.is_some_and(|d| d >= today) && !paid_since && st.minimum_payment_cents > 0 {
                    v.next_due = due;
                    v.next_amount = Some(st.minimum_payment_cents);
                }
                if due.is_some_and(|d| d < today) && !paid_since {
                    v.past_due = st.minimum_payment_cents;
                }
            }
        }
        Kind::CashAdvance => {
            let factor = acct.factor_rate.as_deref().map(rate).unwrap_or(Decimal::ONE);
            let debit = acct.payment_cents.unwrap_or(0);
            let adv = CashAdvance {
                funded: Cents(acct.amount_cents),
                factor_rate: factor,
                remitted_to_date: Cents(l.received),
                debit_amount: Cents(debit.max(1)),
                frequency: f,
            };
            let total = adv.total_payback().map(|c| c.0).unwrap_or(acct.amount_cents);
            let remaining = (total - l.received).max(0);
            v.balance = remaining;
            v.paid_in_full = remaining == 0;
            let next = next_debit_date(today, f);
            let expected =
                if v.paid_in_full { None } else { next.and_then(|n| adv.expected_completion(n).ok().flatten()) };
            if !v.paid_in_full && acct.status == "active" {
                v.next_due = next;
                v.next_amount = Some(debit.min(remaining));
                v.remaining_payments = adv.debits_remaining().ok().and_then(|n| u32::try_from(n).ok());
                v.projected_payoff = expected;
            }
            v.advance = Some(AdvanceFigures {
                funded: acct.amount_cents,
                factor_rate: factor,
                total_payback: total,
                remitted: l.received,
                remaining,
                percent_paid: adv.percent_paid().unwrap_or_default(),
                debit_amount: debit,
                frequency: f,
                expected_completion: expected,
            });
        }
    }
    v
}

/// The next debit of an advance after `today`: the next business day for
/// daily debits, a week later for weekly ones.
fn next_debit_date(today: Date, f: Frequency) -> Option<Date> {
    match f {
        Frequency::Daily => add_business_days(today, 1).ok(),
        Frequency::Weekly => loan::add_days(today, 7).ok(),
        _ => loan::add_days(today, 30).ok(),
    }
}

/// The original schedule of a loan or lease (for "See breakdown" and the
/// amortization chart).
pub fn schedule(acct: &Account) -> Vec<ScheduleRow> {
    let Some(first) = acct.first_due_on.as_deref().and_then(date) else { return Vec::new() };
    let periods = acct.term_periods.unwrap_or(0).clamp(0, i64::from(loan::MAX_PERIODS)) as u32;
    let mut terms =
        LoanTerms::new(Cents(acct.amount_cents), rate(&acct.annual_rate), frequency(&acct.frequency), periods, first);
    if let Some(p) = acct.payment_cents {
        terms = terms.with_payment(Cents(p));
    }
    loan::schedule(&terms).unwrap_or_default()
}

/// A payoff quote for one loan or lease as of `today`: the ledger's
/// principal, interest and fees plus interest accrued since the last due
/// date, good through `good_through_days`.
pub fn payoff_quote(v: &AccountView, today: Date, good_through_days: u32) -> Option<PayoffQuote> {
    if v.paid_in_full || v.balance <= 0 {
        return None;
    }
    match v.kind {
        Kind::CashAdvance => {
            // Advances pay off at the remaining payback; no interest accrues.
            loan::payoff(
                Cents(v.balance),
                Cents(0),
                Cents(0),
                Decimal::ZERO,
                DayCount::Actual365,
                today,
                good_through_days,
            )
            .ok()
        }
        _ => {
            let dc = day_count(&v.account.day_count);
            let since = v.accrual_from.unwrap_or(today);
            let accrued_days = dc.days(since, today).max(0);
            // Cents per day, rounded half up to a whole cent, as on a payoff letter.
            let per_day = (Decimal::from(v.ledger.principal.max(0)) * v.annual_rate / Decimal::from(dc.basis()))
                .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            let accrued = v.ledger.interest.max(0) + i64::try_from(per_day * Decimal::from(accrued_days)).unwrap_or(0);
            loan::payoff(
                Cents(v.ledger.principal.max(0)),
                Cents(accrued),
                Cents(v.ledger.fees.max(0)),
                v.annual_rate,
                dc,
                today,
                good_through_days,
            )
            .ok()
        }
    }
}

/// Aggregates for the dashboard (seed 000): total balance and the next
/// transaction across the customer's accounts.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub balance: i64,
    pub next_due: Option<Date>,
    pub next_amount: i64,
    pub accounts: usize,
}

pub fn totals(views: &[AccountView]) -> Totals {
    let mut t = Totals { accounts: views.len(), ..Totals::default() };
    for v in views {
        t.balance += v.balance.max(0);
        if let (Some(d), Some(a)) = (v.next_due, v.next_amount) {
            match t.next_due {
                Some(cur) if cur < d => {}
                Some(cur) if cur == d => t.next_amount += a,
                _ => {
                    t.next_due = Some(d);
                    t.next_amount = a;
                }
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use portico_store::accounts::{Account, AccountWithLedger, Ledger};
    use time::macros::date;

    use super::*;

    fn account(kind: &str) -> Account {
        Account {
            id: 1,
            company_id: 1,
            contact_id: 1,
            external_id: None,
            number: "LN-1".into(),
            kind: kind.into(),
            product: String::new(),
            status: "active".into(),
            hidden: false,
            opened_on: "2025-01-15".into(),
            amount_cents: 1_200_000,
            annual_rate: "0.06".into(),
            factor_rate: None,
            term_periods: Some(12),
            frequency: "monthly".into(),
            first_due_on: Some("2025-02-15".into()),
            payment_cents: None,
            day_count: "30/360".into(),
            min_payment_percent: None,
            min_payment_floor_cents: None,
        }
    }

    /// A $12,000 loan at 6 % over 12 months after `paid` on-time payments.
    fn loan_after(paid: usize) -> AccountWithLedger {
        let mut a = account("installment");
        let rows = schedule(&a);
        a.payment_cents = Some(rows[0].payment.0);
        let principal_paid: i64 = rows[..paid].iter().map(|r| r.principal.0).sum();
        let interest: i64 = rows[..paid].iter().map(|r| r.interest.0).sum();
        let received: i64 = rows[..paid].iter().map(|r| r.payment.0).sum();
        AccountWithLedger {
            account: a,
            ledger: Ledger {
                principal: 1_200_000 - principal_paid,
                interest: 0,
                fees: 0,
                disbursed: 1_200_000,
                interest_assessed: interest,
                fees_assessed: 0,
                received,
                last_payment_on: None,
            },
        }
    }

    #[test]
    fn rounding_residue_does_not_add_a_payment() {
        // $25,000 at 7.25 % for 60 months (497.98 a month) after 18 payments:
        // the balance needs 42.0006 regular payments, i.e. the 42 the schedule
        // has left, the last one a few cents larger.
        let mut a = account("installment");
        a.amount_cents = 2_500_000;
        a.annual_rate = "0.0725".into();
        a.term_periods = Some(60);
        a.opened_on = "2025-05-13".into();
        a.first_due_on = Some("2025-06-13".into());
        let rows = schedule(&a);
        a.payment_cents = Some(rows[0].payment.0);
        assert_eq!(rows[0].payment.0, 49_798);
        let paid: i64 = rows[..18].iter().map(|r| r.principal.0).sum();
        let l = Ledger {
            principal: 2_500_000 - paid,
            disbursed: 2_500_000,
            received: rows[..18].iter().map(|r| r.payment.0).sum(),
            ..Ledger::default()
        };
        let v = view(&AccountWithLedger { account: a, ledger: l }, date!(2026 - 11 - 24), None);
        assert_eq!(v.ledger.principal, 1_842_384);
        assert_eq!(v.remaining_payments, Some(42));
        assert_eq!(v.projected_payoff, Some(date!(2030 - 05 - 13)), "the schedule's last due date");
    }

    #[test]
    fn on_schedule_loan() {
        // $12,000 at 6 % for 12 months: 1,032.80 a month (PMT(0.005, 12, -12000)).
        let v = view(&loan_after(5), date!(2025 - 07 - 01), None);
        assert_eq!(v.account.payment_cents, Some(103_280));
        assert_eq!(v.past_due, 0);
        assert_eq!(v.next_due, Some(date!(2025 - 07 - 15)));
        assert_eq!(v.next_amount, Some(103_280));
        assert_eq!(v.remaining_payments, Some(7));
        assert_eq!(v.projected_payoff, Some(date!(2026 - 01 - 15)));
        assert_eq!(v.accrual_from, Some(date!(2025 - 06 - 15)));
        assert!(!v.paid_in_full);
    }

    #[test]
    fn a_missed_payment_is_past_due_and_adds_a_payment() {
        let v = view(&loan_after(4), date!(2025 - 07 - 01), None);
        assert_eq!(v.past_due, 103_280);
        assert_eq!(v.remaining_payments, Some(8), "one payment behind: eight left, not seven");
    }

    #[test]
    fn paid_off_loan_has_no_next_payment() {
        let v = view(&loan_after(12), date!(2026 - 02 - 01), None);
        assert!(v.paid_in_full);
        assert_eq!(v.next_due, None);
        assert_eq!(v.balance, 0);
    }

    #[test]
    fn cash_advance_from_factor_rate() {
        let mut a = account("cash_advance");
        a.amount_cents = 1_000_000;
        a.factor_rate = Some("1.35".into());
        a.payment_cents = Some(10_000);
        a.frequency = "daily".into();
        let l = Ledger { principal: 850_000, disbursed: 1_350_000, received: 500_000, ..Ledger::default() };
        let v = view(&AccountWithLedger { account: a, ledger: l }, date!(2026 - 11 - 20), None);
        let adv = v.advance.unwrap();
        assert_eq!(adv.total_payback, 1_350_000);
        assert_eq!(adv.remaining, 850_000);
        assert_eq!(v.balance, 850_000);
        assert_eq!(v.remaining_payments, Some(85));
        // Friday Nov 20 → next debit Monday Nov 23; 85 business days from it.
        assert_eq!(v.next_due, Some(date!(2026 - 11 - 23)));
    }

    #[test]
    fn totals_take_the_earliest_next_transaction() {
        let a = view(&loan_after(5), date!(2025 - 07 - 01), None);
        let mut b = a.clone();
        b.next_due = Some(date!(2025 - 07 - 10));
        b.next_amount = Some(5_000);
        let t = totals(&[a.clone(), b]);
        assert_eq!(t.next_due, Some(date!(2025 - 07 - 10)));
        assert_eq!(t.next_amount, 5_000);
        assert_eq!(t.balance, 2 * a.balance);
    }
}
