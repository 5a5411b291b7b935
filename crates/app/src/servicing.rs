//! What a customer sees of an account: balance, next payment, past due,
//! remaining payments, projected payoff, payoff quotes, the amortization
//! chart — computed from the account's terms and its ledger with the
//! domain's loan math (`portico_domain::loan`). Nothing here is stored.

use portico_domain::codes::{AccountStatus, PaymentKind, TxKind};
use std::str::FromStr;

use portico_domain::codes::AccountKind;
use portico_domain::loan::{
    self, BalanceChange, CashAdvance, Cents, DayCount, Frequency, LoanTerms, PayoffQuote, ScheduleRow,
    add_business_days,
};
use portico_domain::validate;
use portico_store::accounts::{Account, AccountWithLedger, Ledger, Statement, Transaction};
use portico_store::payments::Upcoming;
use rust_decimal::Decimal;
use time::Date;

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

/// What the view of an account needs beyond its ledger sums, loaded by
/// `crate::accounts` in a fixed number of queries per page.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Lines of credit: the latest statement.
    pub statement: Option<Statement>,
    /// Posted entries after the day interest accrues from, in date order:
    /// a line of credit's latest cycle end (the day before opening without
    /// a statement), a loan's last interest charge (loaded only when its
    /// principal moved since).
    pub since_cycle: Vec<Transaction>,
    /// Payments on this account that will still reach the ledger.
    pub upcoming: Vec<Upcoming>,
}

/// A payment still to reach the ledger, as the account shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingPayment {
    pub on: Date,
    pub amount: i64,
    pub reference: String,
    pub automatic: bool,
}

/// A line of credit's figures (seed 000: limit, available, minimum due).
#[derive(Debug, Clone, Default)]
pub struct CreditLine {
    pub limit: i64,
    /// `limit − owed`, never below zero.
    pub available: i64,
    /// The latest statement's balance, minimum payment and due date.
    pub statement_balance: Option<i64>,
    pub statement_minimum: Option<i64>,
    pub statement_due: Option<Date>,
    pub cycle_end: Option<Date>,
    /// Paid since the cycle end (counts toward the minimum).
    pub paid_since_cycle: i64,
    /// What is left of the minimum payment (`minimum − paid since`, ≥ 0).
    pub minimum_left: i64,
    /// The first day interest accrues from that no statement has charged.
    accrual_start: Option<Date>,
    /// Principal at the end of the last cycle and its changes since.
    opening_principal: i64,
    changes: Vec<BalanceChange>,
}

/// An account as the portal shows it. Every figure a customer sees of an
/// account comes from here, so the dashboard, lists, pay page, payoff
/// letter, CSV and API agree.
#[derive(Debug, Clone)]
pub struct AccountView {
    pub account: Account,
    pub ledger: Ledger,
    pub kind: AccountKind,
    pub day_count: DayCount,
    /// What is owed now, signed: principal + interest + fees − credit. A
    /// negative balance is a credit held for the customer.
    pub balance: i64,
    pub next_due: Option<Date>,
    /// What is still to pay for `next_due` after what was paid ahead.
    pub next_amount: Option<i64>,
    pub past_due: i64,
    /// Received beyond everything due so far (loans and leases).
    pub paid_ahead: i64,
    /// Payments already scheduled or being charged, oldest first.
    pub upcoming: Vec<UpcomingPayment>,
    pub remaining_payments: Option<u32>,
    pub projected_payoff: Option<Date>,
    pub annual_rate: Decimal,
    pub paid_in_full: bool,
    /// The day interest has accrued from since it was last assessed: the
    /// last due date of a loan, the day after a line of credit's last cycle.
    pub accrual_from: Option<Date>,
    /// Interest accrued since `accrual_from` and not yet on the ledger: what
    /// a payoff made today adds to the balance.
    pub accrued_interest: i64,
    /// Interest per day on today's principal, rounded half up to a cent.
    pub per_diem: i64,
    /// Loans and leases: the principal at `accrual_from` and its changes
    /// since (what the interest accrued so far is computed on).
    accrual_opening: i64,
    accrual_changes: Vec<BalanceChange>,
    /// Lines of credit only.
    pub credit_line: Option<CreditLine>,
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

    /// What is owed now, or zero when the account holds a credit.
    pub fn owed(&self) -> i64 {
        self.balance.max(0)
    }

    /// The credit held for the customer, or zero.
    pub fn credit(&self) -> i64 {
        (-self.balance).max(0)
    }

    /// What pays the account in full if paid today: the balance plus the
    /// interest accrued since it was last assessed. Zero when nothing is
    /// owed.
    pub fn payoff_today(&self) -> i64 {
        if self.kind == AccountKind::CashAdvance {
            return self.owed();
        }
        (self.balance + self.accrued_interest).max(0)
    }

    /// Payments already scheduled for on or before `date`.
    pub fn scheduled_through(&self, date: Date) -> i64 {
        self.upcoming.iter().filter(|u| u.on <= date).map(|u| u.amount).sum()
    }

    /// The next payment still to arrange: `next_amount` less what is already
    /// scheduled for on or before its due date.
    pub fn next_unscheduled(&self) -> Option<i64> {
        let (due, amount) = (self.next_due?, self.next_amount?);
        Some((amount - self.scheduled_through(due)).max(0))
    }

    /// How interest is counted, in words (payoff page and letter).
    pub fn basis_text(&self) -> &'static str {
        match (self.kind, self.day_count) {
            (AccountKind::CashAdvance, _) => "A cash advance has no interest: the payoff is the payback left.",
            (AccountKind::LineOfCredit, _) => {
                "Interest is charged on the average daily balance: each calendar day's balance times the APR divided by 365."
            }
            (_, DayCount::Thirty360) => {
                "Interest accrues on a 30/360 basis: every month counts as 30 days, so the 31st of a month adds no interest and the end of February adds up to three days."
            }
            (_, DayCount::Actual365) => "Interest accrues on an actual/365 basis: every calendar day counts.",
        }
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

/// Interest of a loan or lease accrued from `accrual_from` to `until`
/// (that day not included): the per-diem times the days the account's day
/// count gives.
///
/// The principal of each day is the principal it had: a payment since the
/// last charge lowers the interest from its date on, not for the days
/// before it.
fn accrued(v: &AccountView, until: Date) -> i64 {
    let Some(mut from) = v.accrual_from else { return 0 };
    let mut principal = v.accrual_opening;
    let mut total = 0;
    for c in v.accrual_changes.iter().filter(|c| c.date < until) {
        if c.date > from {
            total += per_diem(principal, v.annual_rate, v.day_count) * v.day_count.days(from, c.date).max(0);
            from = c.date;
        }
        principal = c.balance.0;
    }
    total + per_diem(principal, v.annual_rate, v.day_count) * v.day_count.days(from, until).max(0)
}

/// `round(principal · rate / basis)`, half up, in cents.
fn per_diem(principal: i64, rate: Decimal, dc: DayCount) -> i64 {
    let d = Decimal::from(principal.max(0)) * rate / Decimal::from(dc.basis());
    i64::try_from(d.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)).unwrap_or(0)
}

/// Build the view of one account as of `today`.
pub fn view(a: &AccountWithLedger, today: Date, inputs: &Inputs) -> AccountView {
    let acct = &a.account;
    let l = &a.ledger;
    let kind = acct.kind;
    let annual_rate = rate(&acct.annual_rate);
    let f = frequency(&acct.frequency);
    let dc = day_count(&acct.day_count);
    let mut v = AccountView {
        account: acct.clone(),
        ledger: l.clone(),
        kind,
        day_count: dc,
        balance: l.principal + l.interest + l.fees - l.credit,
        next_due: None,
        next_amount: None,
        past_due: 0,
        paid_ahead: 0,
        upcoming: inputs
            .upcoming
            .iter()
            .filter(|u| u.account_id == acct.id)
            .filter_map(|u| {
                Some(UpcomingPayment {
                    on: date(&u.scheduled_on)?,
                    amount: u.amount_cents,
                    reference: u.reference.clone(),
                    automatic: u.kind == PaymentKind::Automatic,
                })
            })
            .collect(),
        remaining_payments: None,
        projected_payoff: None,
        annual_rate,
        paid_in_full: false,
        accrual_from: None,
        accrued_interest: 0,
        per_diem: 0,
        accrual_opening: l.principal,
        accrual_changes: Vec::new(),
        credit_line: None,
        advance: None,
    };
    match kind {
        AccountKind::Installment | AccountKind::Lease => amortizing(&mut v, f, inputs, today),
        AccountKind::LineOfCredit => credit_line(&mut v, inputs, today),
        AccountKind::CashAdvance => cash_advance(&mut v, f, today),
    }
    v
}

fn amortizing(v: &mut AccountView, f: Frequency, inputs: &Inputs, today: Date) {
    let (acct, l) = (&v.account, &v.ledger);
    let payment = acct.payment_cents.unwrap_or(0);
    let periods = acct.term_periods.unwrap_or(0).clamp(0, i64::from(loan::MAX_PERIODS)) as u32;
    v.paid_in_full = v.balance <= 0 && l.disbursed > 0;
    v.per_diem = per_diem(l.principal, v.annual_rate, v.day_count);
    let Some(first) = acct.first_due_on.as_deref().and_then(date) else { return };
    if v.paid_in_full {
        return;
    }
    let due_so_far = due_dates_through(first, f, periods, today);
    // Interest is on the ledger through its latest interest entry (a due
    // date's charge, or the interest a payoff posted); it accrues from there.
    v.accrual_from = l.last_interest_on.as_deref().and_then(date).or_else(|| date(&acct.opened_on));
    let since: Vec<&Transaction> = inputs
        .since_cycle
        .iter()
        .filter(|t| t.account_id == acct.id && t.principal_cents != 0)
        .filter(|t| v.accrual_from.is_none_or(|from| date(&t.posted_on).is_some_and(|d| d > from)))
        .collect();
    let mut running = l.principal - since.iter().map(|t| t.principal_cents).sum::<i64>();
    v.accrual_opening = running;
    v.accrual_changes = since
        .iter()
        .filter_map(|t| {
            running += t.principal_cents;
            Some(BalanceChange { date: date(&t.posted_on)?, balance: Cents(running) })
        })
        .collect();
    v.accrued_interest = accrued(v, today);
    // Everything due so far: the installments and every fee assessed. What
    // was received beyond it pays the next installments ahead.
    let due_to_date = i64::from(due_so_far) * payment + l.fees_assessed;
    let owed = v.balance.max(0);
    v.past_due = (due_to_date - l.received).clamp(0, owed);
    v.paid_ahead = (l.received - due_to_date).max(0);
    if payment > 0 {
        let covered = u32::try_from(v.paid_ahead / payment).unwrap_or(u32::MAX);
        let next_index = due_so_far.saturating_add(covered);
        if next_index < periods && owed > 0 {
            v.next_due = f.due_date(first, next_index).ok();
            v.next_amount = Some((payment - v.paid_ahead % payment).min(owed));
        }
    }
    let left_on_schedule = periods.saturating_sub(due_so_far);
    let on_schedule = v.past_due == 0;
    v.remaining_payments =
        loan::remaining_payments(Cents(l.principal.max(0)), v.annual_rate, f.periods_per_year(), Cents(payment))
            .ok()
            .flatten()
            // Projecting with the regular payment can leave a few cents of
            // rounding for one extra payment that the schedule folds into
            // its adjusted final payment; count it as the schedule does.
            .map(|n| if on_schedule && n == left_on_schedule + 1 { left_on_schedule } else { n });
    if let (Some(n), Some(first_unpaid)) = (v.remaining_payments, f.due_date(first, due_so_far).ok()) {
        // The projection runs from the first installment not yet due; one
        // paid ahead moves nothing (the principal it paid is in `n`).
        v.projected_payoff = loan::projected_payoff_date(first_unpaid, f, n).ok().flatten();
    }
}

/// Interest by the average daily balance on the days `[start, until)`, as
/// the next statement will charge it.
fn adb_interest(cl: &CreditLine, until: Date, apr: Decimal, dc: DayCount) -> i64 {
    let Some(start) = cl.accrual_start else { return 0 };
    let Some(last_day) = until.previous_day() else { return 0 };
    if last_day < start {
        return 0;
    }
    let changes: Vec<BalanceChange> = cl.changes.iter().copied().filter(|c| c.date <= last_day).collect();
    loan::cycle_interest(Cents(cl.opening_principal), &changes, start, last_day, apr, dc)
        .map(|ci| ci.interest.0)
        .unwrap_or(0)
}

fn credit_line(v: &mut AccountView, inputs: &Inputs, today: Date) {
    let l = &v.ledger;
    let st = inputs.statement.as_ref();
    let cycle_end = st.and_then(|s| date(&s.cycle_end));
    let cycle_start = match cycle_end {
        Some(end) => end.next_day(),
        None => date(&v.account.opened_on),
    };
    let since: Vec<&Transaction> = inputs.since_cycle.iter().filter(|t| t.account_id == v.account.id).collect();
    // Interest posted since the cycle end (a payoff that was then returned)
    // covers the days before it: accrue from its date.
    let last_interest = since.iter().filter(|t| t.kind == TxKind::Interest).filter_map(|t| date(&t.posted_on)).max();
    let accrual_start = match (cycle_start, last_interest) {
        (Some(s), Some(i)) => Some(s.max(i)),
        (s, i) => s.or(i),
    };
    let in_window = |t: &&&Transaction| match (accrual_start, date(&t.posted_on)) {
        (Some(s), Some(d)) => d >= s,
        _ => true,
    };
    let moved: i64 = since.iter().filter(in_window).map(|t| t.principal_cents).sum();
    let mut running = l.principal - moved;
    let opening_principal = running;
    let mut changes = Vec::new();
    for t in since.iter().filter(in_window) {
        running += t.principal_cents;
        if let (Some(d), true) = (date(&t.posted_on), t.principal_cents != 0) {
            changes.push(BalanceChange { date: d, balance: Cents(running) });
        }
    }
    let paid_since: i64 = since.iter().filter(|t| t.kind == TxKind::Payment).map(|t| t.amount_cents).sum();
    let minimum = st.map(|s| s.minimum_payment_cents).unwrap_or(0);
    let minimum_left = (minimum - paid_since).clamp(0, v.balance.max(0));
    let cl = CreditLine {
        limit: v.account.amount_cents,
        available: (v.account.amount_cents - v.balance.max(0)).max(0),
        statement_balance: st.map(|s| s.closing_cents),
        statement_minimum: st.map(|s| s.minimum_payment_cents),
        statement_due: st.and_then(|s| date(&s.due_on)),
        cycle_end,
        paid_since_cycle: paid_since,
        minimum_left,
        accrual_start,
        opening_principal,
        changes,
    };
    v.accrual_from = accrual_start;
    v.per_diem = per_diem(l.principal, v.annual_rate, DayCount::Actual365);
    v.accrued_interest = adb_interest(&cl, today, v.annual_rate, v.day_count);
    if let Some(due) = cl.statement_due
        && minimum_left > 0
    {
        if due >= today {
            v.next_due = Some(due);
            v.next_amount = Some(minimum_left);
        } else {
            v.past_due = minimum_left;
        }
    }
    v.credit_line = Some(cl);
}

fn cash_advance(v: &mut AccountView, f: Frequency, today: Date) {
    let (acct, l) = (&v.account, &v.ledger);
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
    // The ledger is the balance: an advance is disbursed at its payback, so
    // its principal is the payback left.
    let remaining = v.balance.max(0);
    v.paid_in_full = remaining == 0;
    let next = next_debit_date(today, f);
    let expected = if v.paid_in_full { None } else { next.and_then(|n| adv.expected_completion(n).ok().flatten()) };
    if !v.paid_in_full && acct.status == AccountStatus::Active {
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

/// A payoff quote as of `today`, good through `good_through_days` later:
/// the balance, the interest accrued to today, and the interest of the
/// days up to the good-through date at today's principal. A credit held
/// reduces the total.
///
/// Loans and leases: `per_diem × days` (30/360 or actual days, as the
/// account counts them). Lines of credit: the average daily balance since
/// the last cycle end through the day before the good-through date, as the
/// next statement will charge it. Advances: the payback left.
///
/// With `good_through_days = 0` the total is [`AccountView::payoff_today`].
pub fn payoff_quote(v: &AccountView, today: Date, good_through_days: u32) -> Option<PayoffQuote> {
    if v.payoff_today() <= 0 {
        return None;
    }
    let l = &v.ledger;
    let good_through = loan::add_days(today, i64::from(good_through_days)).ok()?;
    let (principal, posted_interest, fees) = (l.principal.max(0), l.interest.max(0), l.fees.max(0));
    let interest = match v.kind {
        AccountKind::CashAdvance => 0,
        AccountKind::LineOfCredit => {
            let cl = v.credit_line.as_ref()?;
            posted_interest + adb_interest(cl, good_through, v.annual_rate, v.day_count)
        }
        AccountKind::Installment | AccountKind::Lease => posted_interest + accrued(v, good_through),
    };
    // A credit held (rare: a race or a reversal) comes off the total, from
    // principal first, then interest, then fees.
    let principal = if v.kind == AccountKind::CashAdvance { v.owed() } else { principal };
    let mut credit = l.credit.max(0);
    let mut net = |x: i64| {
        let used = credit.min(x);
        credit -= used;
        x - used
    };
    let (principal, interest, fees) = (net(principal), net(interest), net(fees));
    Some(PayoffQuote {
        as_of: today,
        good_through,
        principal: Cents(principal),
        interest: Cents(interest),
        fees: Cents(fees),
        per_diem: Cents(if v.kind == AccountKind::CashAdvance { 0 } else { v.per_diem }),
        total: Cents(principal + interest + fees),
    })
}

/// Aggregates for the dashboard (seed 000). Loans, leases and lines of
/// credit are "accounts"; advances are totalled apart so each figure can
/// be labelled for what it is and match its own page.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    /// Signed sum of the accounts' balances (Accounts page total).
    pub accounts_balance: i64,
    /// Signed sum of the advances' payback left (Advances page total).
    pub advances_balance: i64,
    /// `accounts_balance + advances_balance`.
    pub balance: i64,
    /// The earliest payment due on an account (advances' debits excluded)
    /// and what is still to pay for it, summed over accounts due that day.
    pub next_due: Option<Date>,
    pub next_amount: i64,
    /// The next debit of an advance.
    pub next_debit: Option<Date>,
    pub next_debit_amount: i64,
    pub past_due: i64,
    pub accounts: usize,
    pub advances: usize,
}

pub fn totals(views: &[AccountView]) -> Totals {
    let mut t = Totals::default();
    for v in views {
        if v.kind == AccountKind::CashAdvance {
            t.advances += 1;
            t.advances_balance += v.balance;
            earliest(&mut t.next_debit, &mut t.next_debit_amount, v.next_due, v.next_amount);
        } else {
            t.accounts += 1;
            t.accounts_balance += v.balance;
            t.past_due += v.past_due;
            earliest(&mut t.next_due, &mut t.next_amount, v.next_due, v.next_amount);
        }
    }
    t.balance = t.accounts_balance + t.advances_balance;
    t
}

fn earliest(cur: &mut Option<Date>, sum: &mut i64, d: Option<Date>, a: Option<i64>) {
    let (Some(d), Some(a)) = (d, a) else { return };
    match *cur {
        Some(c) if c < d => {}
        Some(c) if c == d => *sum += a,
        _ => {
            *cur = Some(d);
            *sum = a;
        }
    }
}

#[cfg(test)]
mod tests {
    use portico_store::accounts::{Account, AccountWithLedger, Ledger};
    use time::macros::date;

    use super::*;

    fn account(kind: AccountKind) -> Account {
        Account {
            id: 1,
            company_id: 1,
            contact_id: 1,
            external_id: None,
            number: "LN-1".into(),
            kind,
            product: String::new(),
            status: AccountStatus::Active,
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
        let mut a = account(AccountKind::Installment);
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
                // Interest is charged on each due date paid so far.
                last_interest_on: paid.checked_sub(1).map(|k| validate::iso_date(rows[k].due_date)),
                ..Ledger::default()
            },
        }
    }

    #[test]
    fn rounding_residue_does_not_add_a_payment() {
        // $25,000 at 7.25 % for 60 months (497.98 a month) after 18 payments:
        // the balance needs 42.0006 regular payments, i.e. the 42 the schedule
        // has left, the last one a few cents larger.
        let mut a = account(AccountKind::Installment);
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
        let v = view(&AccountWithLedger { account: a, ledger: l }, date!(2026 - 11 - 24), &Inputs::default());
        assert_eq!(v.ledger.principal, 1_842_384);
        assert_eq!(v.remaining_payments, Some(42));
        assert_eq!(v.projected_payoff, Some(date!(2030 - 05 - 13)), "the schedule's last due date");
    }

    #[test]
    fn on_schedule_loan() {
        // $12,000 at 6 % for 12 months: 1,032.80 a month (PMT(0.005, 12, -12000)).
        let v = view(&loan_after(5), date!(2025 - 07 - 01), &Inputs::default());
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
        let v = view(&loan_after(4), date!(2025 - 07 - 01), &Inputs::default());
        assert_eq!(v.past_due, 103_280);
        assert_eq!(v.remaining_payments, Some(8), "one payment behind: eight left, not seven");
    }

    #[test]
    fn paid_off_loan_has_no_next_payment() {
        let v = view(&loan_after(12), date!(2026 - 02 - 01), &Inputs::default());
        assert!(v.paid_in_full);
        assert_eq!(v.next_due, None);
        assert_eq!(v.balance, 0);
    }

    #[test]
    fn cash_advance_from_factor_rate() {
        let mut a = account(AccountKind::CashAdvance);
        a.amount_cents = 1_000_000;
        a.factor_rate = Some("1.35".into());
        a.payment_cents = Some(10_000);
        a.frequency = "daily".into();
        let l = Ledger { principal: 850_000, disbursed: 1_350_000, received: 500_000, ..Ledger::default() };
        let v = view(&AccountWithLedger { account: a, ledger: l }, date!(2026 - 11 - 20), &Inputs::default());
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
        let a = view(&loan_after(5), date!(2025 - 07 - 01), &Inputs::default());
        let mut b = a.clone();
        b.next_due = Some(date!(2025 - 07 - 10));
        b.next_amount = Some(5_000);
        let t = totals(&[a.clone(), b]);
        assert_eq!(t.next_due, Some(date!(2025 - 07 - 10)));
        assert_eq!(t.next_amount, 5_000);
        assert_eq!(t.balance, 2 * a.balance);
    }
}
