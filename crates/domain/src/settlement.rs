//! Debt settlement programs: the debts a customer enrolled, the program
//! summary shown above the Debts page (progress, fees, savings), the
//! dedicated program ("special purpose") account with its monthly statements,
//! and the schedule of drafts.
//!
//! Pure: no I/O, no clock. Every function that needs "today" or a month takes
//! it as an argument.
//!
//! # Money and rounding
//!
//! * All amounts are [`Cents`] (`i64` minor units). Sums are exact integer
//!   sums, checked for overflow ([`SettlementError::Overflow`]).
//! * Percentages are [`Decimal`] **percent** values (`45.00` means 45 %),
//!   rounded once to two decimal places half away from zero
//!   ([`rust_decimal::RoundingStrategy::MidpointAwayFromZero`]); a percentage
//!   with a zero denominator is `0.00`.
//! * Fee rates are fractions (`0.25` = 25 %). A percentage fee is computed
//!   **per debt** and rounded to cents half up ([`round_cents`]); the program
//!   total is the sum of the rounded per-debt fees, never re-rounded. This is
//!   how a fee is earned under the FTC Telemarketing Sales Rule (16 CFR
//!   310.4(a)(5)(i)): one debt at a time, only once that debt is settled.
//!
//! # Statuses
//!
//! | Status | Meaning | In the program figures |
//! |---|---|---|
//! | [`DebtStatus::Unenrolled`] | on the customer's file but not in the program | no (listed only) |
//! | [`DebtStatus::Enrolled`] | in the program, not settled yet | enrolled |
//! | [`DebtStatus::Settled`] | a settlement was agreed (it has [`SettlementTerms`]) | enrolled and settled |
//! | [`DebtStatus::Unsettled`] | in the program; a settlement was agreed and then fell through (missed payments, creditor withdrew), so it is being negotiated again | enrolled; payments already made under the failed settlement still count as paid to creditors |

use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::loan::{Cents, round_cents};

/// Why a settlement computation or a debt was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettlementError {
    /// Input that breaks a rule of this module; the text says which, in words
    /// a customer or staff member can act on.
    #[error("{0}")]
    Invalid(String),
    /// A sum does not fit `i64` cents.
    #[error("arithmetic overflow")]
    Overflow,
}

fn invalid(message: impl Into<String>) -> SettlementError {
    SettlementError::Invalid(message.into())
}

fn add(a: Cents, b: Cents) -> Result<Cents, SettlementError> {
    a.0.checked_add(b.0).map(Cents).ok_or(SettlementError::Overflow)
}

fn sub(a: Cents, b: Cents) -> Result<Cents, SettlementError> {
    a.0.checked_sub(b.0).map(Cents).ok_or(SettlementError::Overflow)
}

/// `numerator ÷ denominator × 100`, rounded to two places half away from
/// zero; `0.00` when the denominator is zero.
pub fn percent(numerator: Cents, denominator: Cents) -> Decimal {
    if denominator.0 == 0 {
        return Decimal::ZERO.round_dp(2);
    }
    let ratio = Decimal::from(numerator.0) * Decimal::ONE_HUNDRED / Decimal::from(denominator.0);
    ratio.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `amount × rate` rounded to cents half up, as a fee.
fn fee_of(amount: Cents, rate: Decimal) -> Result<Cents, SettlementError> {
    let value = amount.to_decimal().checked_mul(rate).ok_or(SettlementError::Overflow)?;
    let cents = round_cents(value).checked_mul(Decimal::ONE_HUNDRED).ok_or(SettlementError::Overflow)?;
    cents.to_i64().map(Cents).ok_or(SettlementError::Overflow)
}

// ---------------------------------------------------------------- debts

/// Where a debt stands in the program (see the table in the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DebtStatus {
    /// On file, not in the program.
    Unenrolled,
    /// In the program, not settled yet.
    Enrolled,
    /// Settled: terms were agreed with the current creditor.
    Settled,
    /// In the program; an agreed settlement fell through.
    Unsettled,
}

impl DebtStatus {
    /// Every status, in display order.
    pub const ALL: [DebtStatus; 4] =
        [DebtStatus::Unenrolled, DebtStatus::Enrolled, DebtStatus::Settled, DebtStatus::Unsettled];

    /// Stable lower-case key for storage and URLs.
    pub const fn key(self) -> &'static str {
        match self {
            DebtStatus::Unenrolled => "unenrolled",
            DebtStatus::Enrolled => "enrolled",
            DebtStatus::Settled => "settled",
            DebtStatus::Unsettled => "unsettled",
        }
    }

    /// The status for a [`key`](Self::key), if any.
    pub fn from_key(key: &str) -> Option<DebtStatus> {
        DebtStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Human label ("Unenrolled", "Enrolled", …).
    pub const fn label(self) -> &'static str {
        match self {
            DebtStatus::Unenrolled => "Unenrolled",
            DebtStatus::Enrolled => "Enrolled",
            DebtStatus::Settled => "Settled",
            DebtStatus::Unsettled => "Unsettled",
        }
    }

    /// True for the statuses that are part of the program (all but
    /// Unenrolled).
    pub const fn in_program(self) -> bool {
        !matches!(self, DebtStatus::Unenrolled)
    }
}

impl fmt::Display for DebtStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The terms of a settlement agreed with the current creditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementTerms {
    /// The total the creditor accepts to close the debt, > 0.
    pub amount: Cents,
    /// How many payments the settlement is paid in, 1 ..= 120.
    pub payments: u32,
    /// Paid to the creditor under these terms so far, 0 ..= `amount`.
    pub paid: Cents,
}

impl SettlementTerms {
    /// Still to pay to the creditor: `amount − paid`.
    pub fn remaining(&self) -> Cents {
        Cents(self.amount.0.saturating_sub(self.paid.0))
    }

    /// The settlement amount as a percentage of `balance` (what the industry
    /// quotes as "settled at 45 %"), two places.
    pub fn percent_of(&self, balance: Cents) -> Decimal {
        percent(self.amount, balance)
    }

    fn validate(&self) -> Result<(), SettlementError> {
        if self.amount.0 <= 0 {
            return Err(invalid("The settlement amount must be more than zero."));
        }
        if self.payments == 0 || self.payments > 120 {
            return Err(invalid("A settlement is paid in 1 to 120 payments."));
        }
        if self.paid.0 < 0 {
            return Err(invalid("The amount paid to the creditor cannot be negative."));
        }
        if self.paid.0 > self.amount.0 {
            return Err(invalid("The amount paid to the creditor cannot exceed the settlement amount."));
        }
        Ok(())
    }
}

/// One debt (an "account" on the Debts page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debt {
    /// The creditor the debt was first owed to. Required.
    pub original_creditor: String,
    /// The creditor or debt buyer that holds it now, when the debt was sold
    /// or placed; `None` (or the same name) when it never was.
    pub current_creditor: Option<String>,
    /// Account number as given; shown masked ([`Debt::masked_account`]).
    pub account_number: String,
    /// Balance when the debt was enrolled, ≥ 0.
    pub enrolled_balance: Cents,
    /// Balance the current creditor reports now, ≥ 0.
    pub current_balance: Cents,
    /// Where the debt stands.
    pub status: DebtStatus,
    /// The settlement, required for Settled, optional for Unsettled (the
    /// failed one, to keep what was paid under it), absent otherwise.
    pub settlement: Option<SettlementTerms>,
}

/// Largest balance accepted on one debt: $10,000,000.00.
pub const MAX_DEBT_BALANCE: Cents = Cents(1_000_000_000);

impl Debt {
    /// The creditor to show in bold: the current one, or the original one
    /// when the debt was never sold.
    pub fn current_creditor(&self) -> &str {
        match &self.current_creditor {
            Some(name) if !name.trim().is_empty() => name.trim(),
            _ => self.original_creditor.trim(),
        }
    }

    /// True when the current creditor differs from the original one
    /// (case-insensitively, ignoring surrounding spaces).
    pub fn was_sold(&self) -> bool {
        !self.current_creditor().eq_ignore_ascii_case(self.original_creditor.trim())
    }

    /// The account number with all but its last four characters replaced by
    /// `•`, spaces and dashes dropped: `"4111-1111-1111-1234"` →
    /// `"••••1234"`. Four or fewer characters are fully masked to `"••••"`
    /// so that a short number is not shown whole.
    pub fn masked_account(&self) -> String {
        mask_account(&self.account_number)
    }

    /// Checks the rules a stored debt must meet; the message names the field.
    pub fn validate(&self) -> Result<(), SettlementError> {
        if self.original_creditor.trim().is_empty() {
            return Err(invalid("Enter the original creditor."));
        }
        if self.original_creditor.chars().count() > 200 {
            return Err(invalid("The original creditor's name is too long (200 characters at most)."));
        }
        if let Some(current) = &self.current_creditor
            && current.chars().count() > 200
        {
            return Err(invalid("The current creditor's name is too long (200 characters at most)."));
        }
        if self.account_number.chars().count() > 64 {
            return Err(invalid("The account number is too long (64 characters at most)."));
        }
        for (what, amount) in [("enrolled", self.enrolled_balance), ("current", self.current_balance)] {
            if amount.0 < 0 {
                return Err(invalid(format!("The {what} balance cannot be negative.")));
            }
            if amount > MAX_DEBT_BALANCE {
                return Err(invalid(format!("The {what} balance is above $10,000,000.00.")));
            }
        }
        match (self.status, &self.settlement) {
            (DebtStatus::Settled, None) => Err(invalid("A settled debt needs its settlement terms.")),
            (DebtStatus::Unenrolled | DebtStatus::Enrolled, Some(_)) => {
                Err(invalid("Only a settled or unsettled debt has settlement terms."))
            }
            (_, Some(terms)) => terms.validate(),
            (_, None) => Ok(()),
        }
    }
}

/// See [`Debt::masked_account`].
pub fn mask_account(number: &str) -> String {
    let kept: Vec<char> = number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if kept.len() <= 4 {
        return "••••".to_owned();
    }
    let tail: String = kept[kept.len() - 4..].iter().collect();
    format!("••••{tail}")
}

// ---------------------------------------------------------------- fees

/// How the program's performance fee is charged. Both bases are the ones the
/// FTC Telemarketing Sales Rule allows (16 CFR 310.4(a)(5)(i)(C)): a fee
/// proportional to the enrolled debt, or a percentage of the amount saved.
/// Either way the fee on a debt is earned only once that debt is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeeBasis {
    /// `rate` × the **enrolled balance** of each settled debt (the common
    /// "25 % of enrolled debt" model).
    PercentOfEnrolledDebt,
    /// `rate` × the **savings** on each settled debt (enrolled balance minus
    /// settlement amount, counted as zero when negative).
    PercentOfSavings,
}

/// The fee schedule of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeePlan {
    /// What the percentage fee is a percentage of.
    pub basis: FeeBasis,
    /// The percentage as a fraction, 0 ..= 1 (`0.25` = 25 %).
    pub rate: Decimal,
    /// A fixed maintenance fee charged every month of the program
    /// (account/maintenance fee), ≥ 0; `Cents::ZERO` when there is none.
    pub monthly_maintenance: Cents,
}

impl FeePlan {
    /// Checks rate and maintenance fee.
    pub fn validate(&self) -> Result<(), SettlementError> {
        if self.rate.is_sign_negative() || self.rate > Decimal::ONE {
            return Err(invalid("The fee rate must be between 0 % and 100 %."));
        }
        if self.monthly_maintenance.0 < 0 {
            return Err(invalid("The monthly maintenance fee cannot be negative."));
        }
        Ok(())
    }

    /// The performance fee earned on one debt (zero unless it is Settled).
    pub fn fee_for(&self, debt: &Debt) -> Result<Cents, SettlementError> {
        let Some(terms) = settled_terms(debt) else { return Ok(Cents::ZERO) };
        match self.basis {
            FeeBasis::PercentOfEnrolledDebt => fee_of(debt.enrolled_balance, self.rate),
            FeeBasis::PercentOfSavings => {
                let saved = sub(debt.enrolled_balance, terms.amount)?;
                fee_of(Cents(saved.0.max(0)), self.rate)
            }
        }
    }
}

fn settled_terms(debt: &Debt) -> Option<&SettlementTerms> {
    match (debt.status, &debt.settlement) {
        (DebtStatus::Settled, Some(terms)) => Some(terms),
        _ => None,
    }
}

// ---------------------------------------------------------------- summary

/// The figures of the Summary section of the Debts page.
///
/// Definitions (Unenrolled debts are left out of every figure):
///
/// * `enrolled_balance` — Σ enrolled balance of debts in the program.
/// * `settled_enrolled_balance` — Σ enrolled balance of Settled debts.
/// * `settled_amount` — Σ settlement amount of Settled debts.
/// * `progress_percent` — **settled enrolled balance ÷ enrolled balance ×
///   100**: the share of the enrolled debt that has been settled. This drives
///   the progress bar ([`ProgramSummary::progress_bar`]).
/// * `settlement_percent` — settled amount ÷ settled enrolled balance × 100:
///   what the settled debts were settled for, on average weighted by
///   balance ("settled at 48 % of the balance").
/// * `paid_to_creditors` — Σ paid under settlements (Settled and Unsettled).
/// * `remaining_to_creditors` — Σ (amount − paid) of Settled debts.
/// * `savings` — settled enrolled balance − settled amount (may be negative
///   when a debt settled above its enrolled balance).
/// * `performance_fees` — Σ per-debt fees of [`FeePlan::fee_for`].
/// * `maintenance_fees` — monthly maintenance fee × months in the program.
/// * `projected_performance_fees` — for [`FeeBasis::PercentOfEnrolledDebt`],
///   the fee if every enrolled debt settles (Σ per-debt rate × enrolled
///   balance); `None` for [`FeeBasis::PercentOfSavings`], which cannot be
///   known before the settlements are.
/// * `net_savings` — savings − performance fees − maintenance fees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSummary {
    /// Debts in the program (Enrolled, Settled, Unsettled).
    pub debts_enrolled: u32,
    /// Debts Settled.
    pub debts_settled: u32,
    /// Debts on file but Unenrolled.
    pub debts_unenrolled: u32,
    /// See the type docs.
    pub enrolled_balance: Cents,
    /// Σ current balance of debts in the program.
    pub current_balance: Cents,
    /// See the type docs.
    pub settled_enrolled_balance: Cents,
    /// See the type docs.
    pub settled_amount: Cents,
    /// See the type docs.
    pub progress_percent: Decimal,
    /// See the type docs.
    pub settlement_percent: Decimal,
    /// See the type docs.
    pub paid_to_creditors: Cents,
    /// See the type docs.
    pub remaining_to_creditors: Cents,
    /// See the type docs.
    pub savings: Cents,
    /// See the type docs.
    pub performance_fees: Cents,
    /// See the type docs.
    pub maintenance_fees: Cents,
    /// See the type docs.
    pub projected_performance_fees: Option<Cents>,
    /// See the type docs.
    pub net_savings: Cents,
}

impl ProgramSummary {
    /// Computes the summary of `debts` under `fees` after `months_in_program`
    /// months (for the maintenance fee). Every debt is validated first.
    pub fn compute(debts: &[Debt], fees: &FeePlan, months_in_program: u32) -> Result<Self, SettlementError> {
        fees.validate()?;
        let mut s = ProgramSummary {
            debts_enrolled: 0,
            debts_settled: 0,
            debts_unenrolled: 0,
            enrolled_balance: Cents::ZERO,
            current_balance: Cents::ZERO,
            settled_enrolled_balance: Cents::ZERO,
            settled_amount: Cents::ZERO,
            progress_percent: Decimal::ZERO,
            settlement_percent: Decimal::ZERO,
            paid_to_creditors: Cents::ZERO,
            remaining_to_creditors: Cents::ZERO,
            savings: Cents::ZERO,
            performance_fees: Cents::ZERO,
            maintenance_fees: Cents::ZERO,
            projected_performance_fees: None,
            net_savings: Cents::ZERO,
        };
        let mut projected = Cents::ZERO;
        for debt in debts {
            debt.validate()?;
            if !debt.status.in_program() {
                s.debts_unenrolled += 1;
                continue;
            }
            s.debts_enrolled += 1;
            s.enrolled_balance = add(s.enrolled_balance, debt.enrolled_balance)?;
            s.current_balance = add(s.current_balance, debt.current_balance)?;
            projected = add(projected, fee_of(debt.enrolled_balance, fees.rate)?)?;
            if let Some(terms) = &debt.settlement {
                s.paid_to_creditors = add(s.paid_to_creditors, terms.paid)?;
            }
            if let Some(terms) = settled_terms(debt) {
                s.debts_settled += 1;
                s.settled_enrolled_balance = add(s.settled_enrolled_balance, debt.enrolled_balance)?;
                s.settled_amount = add(s.settled_amount, terms.amount)?;
                s.remaining_to_creditors = add(s.remaining_to_creditors, terms.remaining())?;
                s.performance_fees = add(s.performance_fees, fees.fee_for(debt)?)?;
            }
        }
        s.progress_percent = percent(s.settled_enrolled_balance, s.enrolled_balance);
        s.settlement_percent = percent(s.settled_amount, s.settled_enrolled_balance);
        s.savings = sub(s.settled_enrolled_balance, s.settled_amount)?;
        s.maintenance_fees = Cents(
            fees.monthly_maintenance.0.checked_mul(i64::from(months_in_program)).ok_or(SettlementError::Overflow)?,
        );
        s.projected_performance_fees = match fees.basis {
            FeeBasis::PercentOfEnrolledDebt => Some(projected),
            FeeBasis::PercentOfSavings => None,
        };
        s.net_savings = sub(sub(s.savings, s.performance_fees)?, s.maintenance_fees)?;
        Ok(s)
    }

    /// The progress bar value: `progress_percent` rounded **down** to a whole
    /// percent, 0 ..= 100, so the bar shows 100 only when everything enrolled
    /// is settled.
    pub fn progress_bar(&self) -> u8 {
        let whole = self.progress_percent.floor().to_u8().unwrap_or(0);
        whole.min(100)
    }
}

// ---------------------------------------------------------------- program account

/// What a line of the program account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    /// A draft from the customer's bank account into the program account.
    Deposit,
    /// A program fee (performance or maintenance); negative, or positive when
    /// a fee is reversed.
    Fee,
    /// A payment from the program account to a creditor.
    CreditorPayment,
    /// Money sent back to the customer (negative), or a refund into the
    /// account (positive).
    Refund,
    /// Any other movement (bank adjustment, returned draft …).
    Adjustment,
}

impl EntryKind {
    /// Stable lower-case key for storage.
    pub const fn key(self) -> &'static str {
        match self {
            EntryKind::Deposit => "deposit",
            EntryKind::Fee => "fee",
            EntryKind::CreditorPayment => "creditor_payment",
            EntryKind::Refund => "refund",
            EntryKind::Adjustment => "adjustment",
        }
    }

    /// The kind for a [`key`](Self::key), if any.
    pub fn from_key(key: &str) -> Option<EntryKind> {
        [EntryKind::Deposit, EntryKind::Fee, EntryKind::CreditorPayment, EntryKind::Refund, EntryKind::Adjustment]
            .into_iter()
            .find(|k| k.key() == key)
    }

    /// Human label.
    pub const fn label(self) -> &'static str {
        match self {
            EntryKind::Deposit => "Deposit",
            EntryKind::Fee => "Fee",
            EntryKind::CreditorPayment => "Payment to creditor",
            EntryKind::Refund => "Refund",
            EntryKind::Adjustment => "Adjustment",
        }
    }
}

/// One movement of the program account. `amount` is **signed as seen by the
/// account**: positive money in, negative money out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Posting date.
    pub date: Date,
    /// What it is.
    pub kind: EntryKind,
    /// Signed amount, non-zero.
    pub amount: Cents,
    /// Text for the statement line ("Draft", "Payment to Midland Credit" …).
    pub description: String,
}

impl LedgerEntry {
    /// Checks the sign rules: deposits are positive, creditor payments are
    /// negative, nothing is zero.
    pub fn validate(&self) -> Result<(), SettlementError> {
        if self.amount.0 == 0 {
            return Err(invalid("An account entry cannot be zero."));
        }
        match self.kind {
            EntryKind::Deposit if self.amount.0 < 0 => Err(invalid("A deposit must be a positive amount.")),
            EntryKind::CreditorPayment if self.amount.0 > 0 => {
                Err(invalid("A payment to a creditor must be a negative amount (money out of the account)."))
            }
            _ => Ok(()),
        }
    }
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StatementMonth {
    /// Year, 1 ..= 9999.
    pub year: i32,
    /// Month.
    pub month: Month,
}

impl StatementMonth {
    /// The month containing `date`.
    pub fn of(date: Date) -> Self {
        StatementMonth { year: date.year(), month: date.month() }
    }

    /// First day of the month.
    pub fn first_day(self) -> Result<Date, SettlementError> {
        Date::from_calendar_date(self.year, self.month, 1).map_err(|_| invalid("That month is out of range."))
    }

    /// Last day of the month.
    pub fn last_day(self) -> Result<Date, SettlementError> {
        let days = time::util::days_in_month(self.month, self.year);
        Date::from_calendar_date(self.year, self.month, days).map_err(|_| invalid("That month is out of range."))
    }

    /// The month after this one.
    pub fn next(self) -> StatementMonth {
        match self.month {
            Month::December => StatementMonth { year: self.year + 1, month: Month::January },
            m => StatementMonth { year: self.year, month: m.next() },
        }
    }

    /// `YYYY-MM`.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, u8::from(self.month))
    }

    /// Parses `YYYY-MM`.
    pub fn parse(key: &str) -> Option<StatementMonth> {
        let (y, m) = key.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
        (year >= 1).then_some(StatementMonth { year, month })
    }
}

impl fmt::Display for StatementMonth {
    /// `March 2026`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.month, self.year)
    }
}

/// One line of a statement, with the running balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// Posting date.
    pub date: Date,
    /// What it is.
    pub kind: EntryKind,
    /// Text.
    pub description: String,
    /// Signed amount.
    pub amount: Cents,
    /// Account balance after this line.
    pub balance: Cents,
}

/// A monthly statement of the program account.
///
/// Every total is a **signed** sum (money in positive, out negative), so
/// `closing = opening + deposits + fees + creditor_payments + other` always
/// holds. `other` is refunds and adjustments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The month.
    pub month: StatementMonth,
    /// Balance at the start of the first day (all earlier entries).
    pub opening: Cents,
    /// Σ deposits in the month.
    pub deposits: Cents,
    /// Σ fees in the month (normally negative).
    pub fees: Cents,
    /// Σ creditor payments in the month (negative).
    pub creditor_payments: Cents,
    /// Σ refunds and adjustments in the month.
    pub other: Cents,
    /// Balance at the end of the last day.
    pub closing: Cents,
    /// The month's entries by date (same-day entries in input order).
    pub lines: Vec<StatementLine>,
}

/// The statement of `month` from all the account's `entries` (any order;
/// entries after the month are ignored). Each entry is validated.
pub fn monthly_statement(entries: &[LedgerEntry], month: StatementMonth) -> Result<Statement, SettlementError> {
    let first = month.first_day()?;
    let last = month.last_day()?;
    let mut in_month: Vec<&LedgerEntry> = Vec::new();
    let mut opening = Cents::ZERO;
    for entry in entries {
        entry.validate()?;
        if entry.date < first {
            opening = add(opening, entry.amount)?;
        } else if entry.date <= last {
            in_month.push(entry);
        }
    }
    // Stable: same-day entries keep their input order.
    in_month.sort_by_key(|e| e.date);
    let mut statement = Statement {
        month,
        opening,
        deposits: Cents::ZERO,
        fees: Cents::ZERO,
        creditor_payments: Cents::ZERO,
        other: Cents::ZERO,
        closing: opening,
        lines: Vec::with_capacity(in_month.len()),
    };
    for entry in in_month {
        let bucket = match entry.kind {
            EntryKind::Deposit => &mut statement.deposits,
            EntryKind::Fee => &mut statement.fees,
            EntryKind::CreditorPayment => &mut statement.creditor_payments,
            EntryKind::Refund | EntryKind::Adjustment => &mut statement.other,
        };
        *bucket = add(*bucket, entry.amount)?;
        statement.closing = add(statement.closing, entry.amount)?;
        statement.lines.push(StatementLine {
            date: entry.date,
            kind: entry.kind,
            description: entry.description.clone(),
            amount: entry.amount,
            balance: statement.closing,
        });
    }
    Ok(statement)
}

/// Every month from the month of the earliest entry to the month of the
/// latest one (including quiet months in between, which get a statement
/// too), oldest first. Empty when there are no entries.
pub fn statement_months(entries: &[LedgerEntry]) -> Vec<StatementMonth> {
    let (Some(min), Some(max)) = (entries.iter().map(|e| e.date).min(), entries.iter().map(|e| e.date).max()) else {
        return Vec::new();
    };
    let end = StatementMonth::of(max);
    let mut months = Vec::new();
    let mut m = StatementMonth::of(min);
    while m <= end {
        months.push(m);
        m = m.next();
    }
    months
}

// ---------------------------------------------------------------- payments schedule

/// The kind of a scheduled transaction, as the CRM's payment schedule shows
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DraftKind {
    /// A draft debited from the customer's bank account (their program
    /// deposit).
    Debit,
    /// Money credited back to the customer.
    Credit,
    /// A fee transaction.
    Fee,
}

impl DraftKind {
    /// Stable key.
    pub const fn key(self) -> &'static str {
        match self {
            DraftKind::Debit => "debit",
            DraftKind::Credit => "credit",
            DraftKind::Fee => "fee",
        }
    }

    /// The kind for a key.
    pub fn from_key(key: &str) -> Option<DraftKind> {
        [DraftKind::Debit, DraftKind::Credit, DraftKind::Fee].into_iter().find(|k| k.key() == key)
    }
}

/// Where a scheduled transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DraftStatus {
    /// Due in the future.
    Scheduled,
    /// Sent to the bank, not cleared yet.
    Pending,
    /// Cleared.
    Cleared,
    /// Returned by the bank (insufficient funds, closed account …).
    Returned,
    /// Skipped at the customer's request.
    Skipped,
    /// Cancelled.
    Cancelled,
}

impl DraftStatus {
    /// Stable key.
    pub const fn key(self) -> &'static str {
        match self {
            DraftStatus::Scheduled => "scheduled",
            DraftStatus::Pending => "pending",
            DraftStatus::Cleared => "cleared",
            DraftStatus::Returned => "returned",
            DraftStatus::Skipped => "skipped",
            DraftStatus::Cancelled => "cancelled",
        }
    }

    /// The status for a key.
    pub fn from_key(key: &str) -> Option<DraftStatus> {
        [
            DraftStatus::Scheduled,
            DraftStatus::Pending,
            DraftStatus::Cleared,
            DraftStatus::Returned,
            DraftStatus::Skipped,
            DraftStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

/// One transaction of the program's payment schedule. `amount` is a positive
/// magnitude; `kind` says which way it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledDraft {
    /// Due (or process) date.
    pub date: Date,
    /// Debit, credit or fee.
    pub kind: DraftKind,
    /// Positive amount.
    pub amount: Cents,
    /// Status.
    pub status: DraftStatus,
    /// Free text ("Monthly deposit").
    pub memo: String,
}

/// Which transactions of the schedule the customer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduleFilter {
    /// Everything.
    All,
    /// Debits only: credits and fees hidden (seed 001's option).
    DebitsOnly,
}

/// The drafts `filter` lets through, by date (same-day in input order).
pub fn payment_schedule(drafts: &[ScheduledDraft], filter: ScheduleFilter) -> Vec<&ScheduledDraft> {
    let mut shown: Vec<&ScheduledDraft> = drafts
        .iter()
        .filter(|d| match filter {
            ScheduleFilter::All => true,
            ScheduleFilter::DebitsOnly => d.kind == DraftKind::Debit,
        })
        .collect();
    shown.sort_by_key(|d| d.date);
    shown
}

/// The first draft with status Scheduled or Pending on or after `today`
/// among those `filter` shows.
pub fn next_draft(drafts: &[ScheduledDraft], filter: ScheduleFilter, today: Date) -> Option<&ScheduledDraft> {
    payment_schedule(drafts, filter)
        .into_iter()
        .find(|d| d.date >= today && matches!(d.status, DraftStatus::Scheduled | DraftStatus::Pending))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn debt(original: &str, current: Option<&str>, enrolled: i64, status: DebtStatus) -> Debt {
        Debt {
            original_creditor: original.into(),
            current_creditor: current.map(Into::into),
            account_number: "4111 1111 1111 1234".into(),
            enrolled_balance: Cents(enrolled),
            current_balance: Cents(enrolled),
            status,
            settlement: None,
        }
    }

    fn settled(mut debt: Debt, amount: i64, payments: u32, paid: i64) -> Debt {
        debt.settlement = Some(SettlementTerms { amount: Cents(amount), payments, paid: Cents(paid) });
        debt
    }

    /// Four debts in the program plus one unenrolled:
    ///
    /// | debt | status | enrolled | settlement | paid |
    /// |---|---|---|---|---|
    /// | Chase | Settled | 10,000.00 | 4,500.00 in 6 | 1,500.00 |
    /// | Capital One → Midland | Settled | 5,000.00 | 2,000.00 in 1 | 2,000.00 |
    /// | Discover | Enrolled | 8,000.00 | — | — |
    /// | Citi → Portfolio Recovery | Unsettled | 7,000.00 | failed 3,000.00 | 300.00 |
    /// | Amex | Unenrolled | 2,500.00 | — | — |
    fn program() -> Vec<Debt> {
        vec![
            settled(debt("Chase Bank", None, 1_000_000, DebtStatus::Settled), 450_000, 6, 150_000),
            settled(
                debt("Capital One", Some("Midland Credit Management"), 500_000, DebtStatus::Settled),
                200_000,
                1,
                200_000,
            ),
            debt("Discover", None, 800_000, DebtStatus::Enrolled),
            settled(debt("Citibank", Some("Portfolio Recovery"), 700_000, DebtStatus::Unsettled), 300_000, 10, 30_000),
            debt("American Express", None, 250_000, DebtStatus::Unenrolled),
        ]
    }

    #[test]
    fn summary_with_fee_on_enrolled_debt() {
        let fees =
            FeePlan { basis: FeeBasis::PercentOfEnrolledDebt, rate: d("0.25"), monthly_maintenance: Cents(1_000) };
        let s = ProgramSummary::compute(&program(), &fees, 12).unwrap();
        assert_eq!((s.debts_enrolled, s.debts_settled, s.debts_unenrolled), (4, 2, 1));
        // enrolled: 10,000 + 5,000 + 8,000 + 7,000 = 30,000.00 (Amex left out)
        assert_eq!(s.enrolled_balance, Cents(3_000_000));
        // settled enrolled: 10,000 + 5,000 = 15,000.00; settled for 4,500 + 2,000 = 6,500.00
        assert_eq!(s.settled_enrolled_balance, Cents(1_500_000));
        assert_eq!(s.settled_amount, Cents(650_000));
        // progress: 15,000 / 30,000 = 50.00 %
        assert_eq!(s.progress_percent, d("50.00"));
        assert_eq!(s.progress_bar(), 50);
        // settlement percent: 6,500 / 15,000 = 43.333… → 43.33 %
        assert_eq!(s.settlement_percent, d("43.33"));
        // paid: 1,500 + 2,000 + 300 (under the failed Citi settlement) = 3,800.00
        assert_eq!(s.paid_to_creditors, Cents(380_000));
        // remaining: (4,500 − 1,500) + (2,000 − 2,000) = 3,000.00
        assert_eq!(s.remaining_to_creditors, Cents(300_000));
        // savings: 15,000 − 6,500 = 8,500.00
        assert_eq!(s.savings, Cents(850_000));
        // fees: 25 % × 10,000 + 25 % × 5,000 = 2,500 + 1,250 = 3,750.00
        assert_eq!(s.performance_fees, Cents(375_000));
        // maintenance: 10.00 × 12 = 120.00
        assert_eq!(s.maintenance_fees, Cents(12_000));
        // projected: 25 % × 30,000 = 7,500.00
        assert_eq!(s.projected_performance_fees, Some(Cents(750_000)));
        // net: 8,500 − 3,750 − 120 = 4,630.00
        assert_eq!(s.net_savings, Cents(463_000));
    }

    #[test]
    fn summary_with_fee_on_savings_rounds_per_debt() {
        // 33 % of savings. Chase saved 10,000 − 4,500 = 5,500 → 1,815.00;
        // Midland saved 5,000 − 2,000 = 3,000 → 990.00. Total 2,805.00.
        let fees = FeePlan { basis: FeeBasis::PercentOfSavings, rate: d("0.33"), monthly_maintenance: Cents::ZERO };
        let s = ProgramSummary::compute(&program(), &fees, 3).unwrap();
        assert_eq!(s.performance_fees, Cents(280_500));
        assert_eq!(s.projected_performance_fees, None);
        assert_eq!(s.maintenance_fees, Cents::ZERO);

        // Per-debt rounding: 33.3 % of 0.05 saved = 0.01665 → 0.02 on each of
        // two debts = 0.04 (rounding the 0.0333 total once would give 0.03).
        let tiny = vec![
            settled(debt("A", None, 105, DebtStatus::Settled), 100, 1, 0),
            settled(debt("B", None, 105, DebtStatus::Settled), 100, 1, 0),
        ];
        let fees = FeePlan { basis: FeeBasis::PercentOfSavings, rate: d("0.333"), monthly_maintenance: Cents::ZERO };
        assert_eq!(ProgramSummary::compute(&tiny, &fees, 0).unwrap().performance_fees, Cents(4));
    }

    #[test]
    fn savings_fee_is_zero_when_settled_above_balance() {
        // Enrolled 1,000.00, settled for 1,100.00 (interest added since):
        // savings −100.00, fee on savings 0.
        let debts = vec![settled(debt("A", None, 100_000, DebtStatus::Settled), 110_000, 2, 0)];
        let fees = FeePlan { basis: FeeBasis::PercentOfSavings, rate: d("0.25"), monthly_maintenance: Cents::ZERO };
        let s = ProgramSummary::compute(&debts, &fees, 0).unwrap();
        assert_eq!(s.savings, Cents(-10_000));
        assert_eq!(s.performance_fees, Cents::ZERO);
        assert_eq!(s.settlement_percent, d("110.00"));
    }

    #[test]
    fn empty_program_and_progress_bar_floor() {
        let fees = FeePlan { basis: FeeBasis::PercentOfEnrolledDebt, rate: d("0.2"), monthly_maintenance: Cents::ZERO };
        let s = ProgramSummary::compute(&[], &fees, 0).unwrap();
        assert_eq!(s.progress_percent, Decimal::ZERO);
        assert_eq!(s.progress_bar(), 0);
        // 9,999 of 10,000 settled: 99.99 % shows as 99 on the bar, not 100.
        let debts = vec![
            settled(debt("A", None, 999_900, DebtStatus::Settled), 1, 1, 0),
            debt("B", None, 100, DebtStatus::Enrolled),
        ];
        let s = ProgramSummary::compute(&debts, &fees, 0).unwrap();
        assert_eq!(s.progress_percent, d("99.99"));
        assert_eq!(s.progress_bar(), 99);
    }

    #[test]
    fn creditors_and_masking() {
        let sold = debt("Capital One", Some("Midland Credit Management"), 1, DebtStatus::Enrolled);
        assert_eq!(sold.current_creditor(), "Midland Credit Management");
        assert!(sold.was_sold());
        let unsold = debt("Chase Bank", None, 1, DebtStatus::Enrolled);
        assert_eq!(unsold.current_creditor(), "Chase Bank");
        assert!(!unsold.was_sold());
        let same = debt("Chase Bank", Some(" chase bank "), 1, DebtStatus::Enrolled);
        assert!(!same.was_sold());
        assert_eq!(sold.masked_account(), "••••1234");
        assert_eq!(mask_account("1234"), "••••");
        assert_eq!(mask_account("12-345"), "••••2345");
    }

    #[test]
    fn debt_validation_messages() {
        let mut no_creditor = debt("  ", None, 1, DebtStatus::Enrolled);
        assert_eq!(no_creditor.validate(), Err(invalid("Enter the original creditor.")));
        no_creditor.original_creditor = "X".into();
        assert!(no_creditor.validate().is_ok());

        let settled_without_terms = debt("X", None, 1, DebtStatus::Settled);
        assert!(settled_without_terms.validate().is_err());
        let enrolled_with_terms = settled(debt("X", None, 100, DebtStatus::Enrolled), 50, 1, 0);
        assert!(enrolled_with_terms.validate().is_err());
        let overpaid = settled(debt("X", None, 100, DebtStatus::Settled), 50, 1, 60);
        assert!(overpaid.validate().is_err());
        let zero_payments = settled(debt("X", None, 100, DebtStatus::Settled), 50, 0, 0);
        assert!(zero_payments.validate().is_err());
        let negative = debt("X", None, -1, DebtStatus::Enrolled);
        assert!(negative.validate().is_err());
        // A summary refuses a program with an invalid debt.
        let fees = FeePlan { basis: FeeBasis::PercentOfEnrolledDebt, rate: d("0.2"), monthly_maintenance: Cents::ZERO };
        assert!(ProgramSummary::compute(&[negative], &fees, 0).is_err());
        let bad_fees = FeePlan { rate: d("1.5"), ..fees };
        assert!(ProgramSummary::compute(&[], &bad_fees, 0).is_err());
    }

    fn entry(date: Date, kind: EntryKind, amount: i64) -> LedgerEntry {
        LedgerEntry { date, kind, amount: Cents(amount), description: kind.label().into() }
    }

    fn account() -> Vec<LedgerEntry> {
        vec![
            // February: opening activity
            entry(date!(2026 - 02 - 15), EntryKind::Deposit, 35_000),
            entry(date!(2026 - 02 - 15), EntryKind::Fee, -1_000),
            // March (given out of order on purpose)
            entry(date!(2026 - 03 - 20), EntryKind::CreditorPayment, -45_000),
            entry(date!(2026 - 03 - 01), EntryKind::Deposit, 35_000),
            entry(date!(2026 - 03 - 01), EntryKind::Fee, -1_000),
            entry(date!(2026 - 03 - 15), EntryKind::Deposit, 35_000),
            entry(date!(2026 - 03 - 31), EntryKind::Refund, -2_500),
            entry(date!(2026 - 03 - 31), EntryKind::Fee, 500),
            // April: ignored by the March statement
            entry(date!(2026 - 04 - 01), EntryKind::Deposit, 35_000),
        ]
    }

    #[test]
    fn march_statement_by_hand() {
        let march = StatementMonth { year: 2026, month: Month::March };
        let s = monthly_statement(&account(), march).unwrap();
        // opening = February: 350.00 − 10.00 = 340.00
        assert_eq!(s.opening, Cents(34_000));
        // deposits: 350.00 + 350.00 = 700.00
        assert_eq!(s.deposits, Cents(70_000));
        // fees: −10.00 + 5.00 (reversal) = −5.00
        assert_eq!(s.fees, Cents(-500));
        assert_eq!(s.creditor_payments, Cents(-45_000));
        assert_eq!(s.other, Cents(-2_500));
        // closing: 340 + 700 − 5 − 450 − 25 = 560.00
        assert_eq!(s.closing, Cents(56_000));
        assert_eq!(s.closing.0, s.opening.0 + s.deposits.0 + s.fees.0 + s.creditor_payments.0 + s.other.0);
        let dates: Vec<Date> = s.lines.iter().map(|l| l.date).collect();
        assert_eq!(
            dates,
            [
                date!(2026 - 03 - 01),
                date!(2026 - 03 - 01),
                date!(2026 - 03 - 15),
                date!(2026 - 03 - 20),
                date!(2026 - 03 - 31),
                date!(2026 - 03 - 31)
            ]
        );
        // same-day order kept: deposit before fee on the 1st
        assert_eq!(s.lines[0].kind, EntryKind::Deposit);
        // running balances: 690, 680, 1,030, 580, 555, 560
        let balances: Vec<i64> = s.lines.iter().map(|l| l.balance.0).collect();
        assert_eq!(balances, [69_000, 68_000, 103_000, 58_000, 55_500, 56_000]);
    }

    #[test]
    fn quiet_month_and_month_list() {
        let entries = vec![
            entry(date!(2025 - 11 - 03), EntryKind::Deposit, 100),
            entry(date!(2026 - 01 - 30), EntryKind::Deposit, 200),
        ];
        let dec = monthly_statement(&entries, StatementMonth { year: 2025, month: Month::December }).unwrap();
        assert_eq!((dec.opening, dec.closing, dec.lines.len()), (Cents(100), Cents(100), 0));
        let keys: Vec<String> = statement_months(&entries).into_iter().map(StatementMonth::key).collect();
        assert_eq!(keys, ["2025-11", "2025-12", "2026-01"]);
        assert!(statement_months(&[]).is_empty());
        assert_eq!(StatementMonth::parse("2026-02"), Some(StatementMonth { year: 2026, month: Month::February }));
        assert_eq!(StatementMonth::parse("2026-13"), None);
        assert_eq!(StatementMonth::parse("26-01"), None);
        assert_eq!(StatementMonth { year: 2026, month: Month::March }.to_string(), "March 2026");
        assert_eq!(StatementMonth { year: 2024, month: Month::February }.last_day().unwrap(), date!(2024 - 02 - 29));
    }

    #[test]
    fn statement_refuses_bad_entries() {
        let march = StatementMonth { year: 2026, month: Month::March };
        assert!(monthly_statement(&[entry(date!(2026 - 03 - 01), EntryKind::Deposit, -5)], march).is_err());
        assert!(monthly_statement(&[entry(date!(2026 - 03 - 01), EntryKind::CreditorPayment, 5)], march).is_err());
        assert!(monthly_statement(&[entry(date!(2026 - 03 - 01), EntryKind::Fee, 0)], march).is_err());
        let huge = vec![
            entry(date!(2026 - 01 - 01), EntryKind::Deposit, i64::MAX),
            entry(date!(2026 - 01 - 02), EntryKind::Deposit, 1),
        ];
        assert_eq!(monthly_statement(&huge, march), Err(SettlementError::Overflow));
    }

    #[test]
    fn schedule_filter_hides_credits_and_fees() {
        let draft =
            |date, kind, status| ScheduledDraft { date, kind, amount: Cents(35_000), status, memo: String::new() };
        let drafts = vec![
            draft(date!(2026 - 05 - 01), DraftKind::Debit, DraftStatus::Scheduled),
            draft(date!(2026 - 04 - 01), DraftKind::Fee, DraftStatus::Cleared),
            draft(date!(2026 - 04 - 01), DraftKind::Debit, DraftStatus::Cleared),
            draft(date!(2026 - 04 - 15), DraftKind::Credit, DraftStatus::Cleared),
            draft(date!(2026 - 04 - 20), DraftKind::Debit, DraftStatus::Returned),
        ];
        let all = payment_schedule(&drafts, ScheduleFilter::All);
        assert_eq!(all.len(), 5);
        assert_eq!(all[0].kind, DraftKind::Fee); // same day: input order kept
        let debits = payment_schedule(&drafts, ScheduleFilter::DebitsOnly);
        assert_eq!(debits.len(), 3);
        assert!(debits.iter().all(|d| d.kind == DraftKind::Debit));
        assert_eq!(
            next_draft(&drafts, ScheduleFilter::DebitsOnly, date!(2026 - 04 - 02)).map(|d| d.date),
            Some(date!(2026 - 05 - 01))
        );
        assert_eq!(next_draft(&drafts, ScheduleFilter::All, date!(2026 - 05 - 02)), None);
    }

    #[test]
    fn keys_round_trip() {
        for s in DebtStatus::ALL {
            assert_eq!(DebtStatus::from_key(s.key()), Some(s));
        }
        for k in
            [EntryKind::Deposit, EntryKind::Fee, EntryKind::CreditorPayment, EntryKind::Refund, EntryKind::Adjustment]
        {
            assert_eq!(EntryKind::from_key(k.key()), Some(k));
        }
        for k in [DraftKind::Debit, DraftKind::Credit, DraftKind::Fee] {
            assert_eq!(DraftKind::from_key(k.key()), Some(k));
        }
        assert_eq!(DraftStatus::from_key("returned"), Some(DraftStatus::Returned));
        assert_eq!(DebtStatus::from_key("nope"), None);
    }
}
