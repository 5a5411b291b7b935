//! Payoff quotes: what it takes to close a loan if paid by a given date.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::money::{div, mul, non_negative_rate};
use super::{Cents, DayCount, LoanError, add_days};

/// A payoff quote, good through `good_through`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoffQuote {
    /// The date the quote was computed for (interest accrued through it).
    pub as_of: Date,
    /// The last day the quoted total pays the loan off.
    pub good_through: Date,
    /// Principal balance.
    pub principal: Cents,
    /// Interest through `good_through`: accrued to `as_of` plus per-diem days.
    pub interest: Cents,
    /// Fees due.
    pub fees: Cents,
    /// Interest per day on the principal, rounded to cents.
    pub per_diem: Cents,
    /// `principal + interest + fees`.
    pub total: Cents,
}

/// A payoff quote for a loan with principal `balance_principal`, interest
/// accrued and unpaid through `as_of`, and `fees_due`, good for
/// `good_through_days` calendar days.
///
/// ```text
/// good_through = as_of + good_through_days            (calendar days)
/// per_diem     = round(principal · annual_rate / basis)   (half up, cents;
///                basis = 360 for 30/360, 365 for Actual/365)
/// interest     = accrued_interest_to_date + per_diem · day_count.days(as_of, good_through)
/// total        = principal + interest + fees_due
/// ```
///
/// The per-diem is rounded *before* it is multiplied, as a payoff letter
/// states it, so the quoted interest can differ from exact accrual by up to
/// half a cent a day. Under 30/360 the days are 30/360 days: a 10-day
/// window across the 31st of a month counts 9 days, one across February's
/// end counts up to 3 more.
///
/// Errors: a negative amount or rate, or a date outside the calendar.
pub fn payoff(
    balance_principal: Cents,
    accrued_interest_to_date: Cents,
    fees_due: Cents,
    annual_rate: Decimal,
    day_count: DayCount,
    as_of: Date,
    good_through_days: u32,
) -> Result<PayoffQuote, LoanError> {
    balance_principal.non_negative("principal balance")?;
    accrued_interest_to_date.non_negative("accrued interest")?;
    fees_due.non_negative("fees due")?;
    non_negative_rate(annual_rate, "annual rate")?;
    let good_through = add_days(as_of, i64::from(good_through_days))?;
    let per_diem =
        Cents::from_decimal(div(mul(balance_principal.to_decimal(), annual_rate)?, Decimal::from(day_count.basis()))?)?;
    let days = day_count.days(as_of, good_through);
    let window_interest = per_diem.0.checked_mul(days).map(Cents).ok_or(LoanError::Overflow)?;
    let interest = accrued_interest_to_date.checked_add(window_interest)?;
    let total = balance_principal.checked_add(interest)?.checked_add(fees_due)?;
    Ok(PayoffQuote { as_of, good_through, principal: balance_principal, interest, fees: fees_due, per_diem, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn actual_365_by_hand() {
        // $18,250.00 at 7.3 %: per diem = 18250 · 0.073 / 365 = 3.65 exactly.
        // 10 days from 2026-03-25 → 2026-04-04: 41.20 + 36.50 = 77.70 interest;
        // total = 18,250.00 + 77.70 + 35.00 = 18,362.70.
        let q = payoff(
            Cents(1_825_000),
            Cents(4_120),
            Cents(3_500),
            "0.073".parse().unwrap(),
            DayCount::Actual365,
            date!(2026 - 03 - 25),
            10,
        )
        .unwrap();
        assert_eq!(q.good_through, date!(2026 - 04 - 04));
        assert_eq!(q.per_diem, Cents(365));
        assert_eq!(q.interest, Cents(7_770));
        assert_eq!(q.total, Cents(1_836_270));
    }

    #[test]
    fn thirty_360_by_hand() {
        // $25,000 at 7.25 %: per diem = 25000 · 0.0725 / 360 = 5.03472… → 5.03.
        // 2026-01-25 + 10 = 2026-02-04; 30/360: 30 + (4 − 25) = 9 days (Jan 31
        // does not count) → 45.27 interest on top of 12.00 accrued.
        let q = payoff(
            Cents(2_500_000),
            Cents(1_200),
            Cents::ZERO,
            "0.0725".parse().unwrap(),
            DayCount::Thirty360,
            date!(2026 - 01 - 25),
            10,
        )
        .unwrap();
        assert_eq!(q.per_diem, Cents(503));
        assert_eq!(q.interest, Cents(1_200 + 9 * 503));
        assert_eq!(q.total, Cents(2_500_000 + 5_727));
        // Half a cent rounds up: 1825 · 0.001 / 365 = 0.005 → 0.01.
        let q = payoff(
            Cents(182_500),
            Cents::ZERO,
            Cents::ZERO,
            "0.001".parse().unwrap(),
            DayCount::Actual365,
            date!(2026 - 01 - 01),
            0,
        )
        .unwrap();
        assert_eq!((q.per_diem, q.interest, q.good_through), (Cents(1), Cents::ZERO, date!(2026 - 01 - 01)));
    }

    #[test]
    fn invalid_input() {
        let d = date!(2026 - 01 - 01);
        let r: Decimal = "0.05".parse().unwrap();
        assert_eq!(
            payoff(Cents(-1), Cents(0), Cents(0), r, DayCount::Actual365, d, 10),
            Err(LoanError::Negative("principal balance"))
        );
        assert_eq!(
            payoff(Cents(1), Cents(0), Cents(0), -r, DayCount::Actual365, d, 10),
            Err(LoanError::Negative("annual rate"))
        );
        assert_eq!(
            payoff(Cents(1), Cents(0), Cents(0), r, DayCount::Actual365, Date::MAX, 1),
            Err(LoanError::DateOutOfRange)
        );
        assert_eq!(payoff(Cents(i64::MAX), Cents(0), Cents(0), r, DayCount::Actual365, d, 1), Err(LoanError::Overflow));
    }
}
