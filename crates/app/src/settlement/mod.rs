//! Debt settlement programs (seeds 000 and 001): the Debts (or Creditors)
//! page, the program account with its monthly statements (PDF), the payment
//! schedule, the Profile from intake data; and the console's editing of all
//! of it, with the company's settings.
//!
//! Every figure comes from `portico_domain::settlement` over stored rows;
//! nothing computed is stored. Staff actions need the servicer role (the
//! settings: admin) and are audited; Agents may look but not download.

mod intake;
mod portal;
mod settings;
mod staff;

pub use intake::*;
pub use portal::*;
pub use settings::*;
pub use staff::*;

use std::str::FromStr;

use portico_domain::loan::Cents;
use portico_domain::section::{Section, SectionSet};
use portico_domain::settlement::{
    Debt, DebtStatus, DraftKind, DraftStatus, EntryKind, FeeBasis, FeePlan, LedgerEntry, ProgramSummary,
    ScheduledDraft, SettlementError, SettlementTerms,
};
use portico_domain::validate;
use portico_store::StoreError;
use portico_store::settlement::{self as st, DebtRow, DraftRow, EntryRow, Program};
use rust_decimal::Decimal;
use time::Date;

use crate::AppError;
use crate::accounts::today;
use crate::ledger::parse_amount;

// ---------------------------------------------------------------- conversions

/// The domain debt of a stored row (`None` when the row breaks a rule, which
/// the console prevents; such a row is skipped rather than failing a page).
pub fn to_domain(r: &DebtRow) -> Option<Debt> {
    let status = DebtStatus::from_key(&r.status)?;
    let settlement = match (r.settlement_amount_cents, r.settlement_payments) {
        (Some(amount), Some(payments)) => Some(SettlementTerms {
            amount: Cents(amount),
            payments: u32::try_from(payments).ok()?,
            paid: Cents(r.settlement_paid_cents.unwrap_or(0)),
        }),
        _ => None,
    };
    let d = Debt {
        original_creditor: r.original_creditor.clone(),
        current_creditor: r.current_creditor.clone(),
        account_number: r.account_mask.clone(),
        enrolled_balance: Cents(r.enrolled_balance_cents),
        current_balance: Cents(r.current_balance_cents),
        status,
        settlement,
    };
    d.validate().is_ok().then_some(d)
}

/// The domain entry of a stored row, or `None` for an unknown kind.
pub fn entry_of(r: &EntryRow) -> Option<LedgerEntry> {
    Some(LedgerEntry {
        date: validate::date(&r.posted_on)?,
        kind: EntryKind::from_key(&r.kind)?,
        amount: Cents(r.amount_cents),
        description: r.description.clone(),
    })
}

pub fn draft_of(r: &DraftRow) -> Option<ScheduledDraft> {
    Some(ScheduledDraft {
        date: validate::date(&r.due_on)?,
        kind: DraftKind::from_key(&r.kind)?,
        amount: Cents(r.amount_cents),
        status: DraftStatus::from_key(&r.status)?,
        memo: r.memo.clone(),
    })
}

pub fn fee_plan(p: &Program) -> FeePlan {
    FeePlan {
        basis: if p.fee_basis == "savings" { FeeBasis::PercentOfSavings } else { FeeBasis::PercentOfEnrolledDebt },
        rate: Decimal::from_str(&p.fee_rate).unwrap_or_default(),
        monthly_maintenance: Cents(p.monthly_fee_cents),
    }
}

/// Months of the program started by `today`: the enrollment month counts
/// as the first, and a month counts once its day-of-month is reached.
pub fn months_in_program(enrolled: Date, today: Date) -> u32 {
    if today < enrolled {
        return 0;
    }
    let months = (today.year() - enrolled.year()) * 12 + i32::from(u8::from(today.month()))
        - i32::from(u8::from(enrolled.month()));
    let started = if today.day() >= enrolled.day() { months + 1 } else { months };
    u32::try_from(started.max(0)).unwrap_or(0)
}

/// The statuses a company shows.
pub fn statuses_shown(s: &st::SettlementSettings) -> Vec<DebtStatus> {
    s.statuses_shown.split(',').filter_map(|k| DebtStatus::from_key(k.trim())).collect()
}

/// "Debts" or "Creditors", as the company names the section (seed 000 /
/// seed 001); `None` when neither is on.
pub fn debts_name(sections: &SectionSet) -> Option<&'static str> {
    match (sections.contains(Section::Debts), sections.contains(Section::Creditors)) {
        (true, _) => Some("Debts"),
        (false, true) => Some("Creditors"),
        _ => None,
    }
}

/// Months since enrollment, today (0 without a program).
pub(super) fn months_of(program: Option<&Program>) -> u32 {
    program.and_then(|p| validate::date(&p.enrolled_on)).map(|d| months_in_program(d, today())).unwrap_or(0)
}

/// The program's figures (enrolled debt, fees, savings needed) as of
/// today: one computation for the customer's Debts page and the console.
pub(super) fn summary_of(program: Option<&Program>, debts: &[Debt]) -> Result<Option<ProgramSummary>, AppError> {
    if debts.is_empty() {
        return Ok(None);
    }
    let months = months_of(program);
    let plan = program.map(fee_plan).unwrap_or(FeePlan {
        basis: FeeBasis::PercentOfEnrolledDebt,
        rate: Decimal::ZERO,
        monthly_maintenance: Cents::ZERO,
    });
    ProgramSummary::compute(debts, &plan, months).map(Some).map_err(internal)
}

pub(super) fn internal(e: SettlementError) -> AppError {
    AppError::Store(StoreError::Config(format!("settlement figures: {e}")))
}

/// Money typed by staff: zero allowed, at most two decimals.
pub(super) fn money_or_zero(raw: &str) -> Result<i64, &'static str> {
    let t = raw.trim().trim_start_matches('$').replace(',', "");
    if t.starts_with('-') {
        return Err("The amount cannot be negative.");
    }
    if t.chars().all(|c| c == '0' || c == '.') && !t.is_empty() && t.matches('.').count() <= 1 {
        return Ok(0);
    }
    parse_amount(&t)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_count_the_enrollment_month() {
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2025 - 03 - 15)), 1);
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2025 - 04 - 14)), 1);
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2025 - 04 - 15)), 2);
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2026 - 03 - 15)), 13);
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2025 - 01 - 01)), 0);
    }

    #[test]
    fn values_are_checked_by_type() {
        assert_eq!(check_value("money", "$1,250.50"), Ok("125050".into()));
        assert_eq!(check_value("money", "0"), Ok("0".into()));
        assert!(check_value("money", "-3").is_err());
        assert_eq!(check_value("date", "2024-02-29"), Ok("2024-02-29".into()));
        assert!(check_value("date", "2023-02-29").is_err());
        assert_eq!(check_value("yes_no", "Y"), Ok("yes".into()));
        assert!(check_value("yes_no", "maybe").is_err());
        assert_eq!(display_value("money", "125050"), "$1,250.50");
        assert_eq!(display_value("yes_no", "no"), "No");
        assert_eq!(edit_value("money", "125050"), "1250.50");
    }

    #[test]
    fn keys() {
        assert_eq!(check_key(" Monthly_Income "), Ok("monthly_income".into()));
        assert!(check_key("a b").is_err());
        assert!(check_key("").is_err());
    }
}
