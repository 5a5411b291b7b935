//! Lines of credit: cycle interest by the average daily balance method and
//! the minimum payment.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::money::{add, div, mul, non_negative_rate};
use super::{Cents, DayCount, LoanError};

/// The balance owed from `date` on (the end-of-day balance of `date` and of
/// every following day until the next change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceChange {
    /// First day with the new balance.
    pub date: Date,
    /// The balance from that day on.
    pub balance: Cents,
}

/// Interest for one billing cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleInterest {
    /// Days in the cycle, both ends included.
    pub days: u32,
    /// The average daily balance, rounded to cents for display (the interest
    /// is computed from the unrounded average).
    pub average_daily_balance: Cents,
    /// Interest charged for the cycle.
    pub interest: Cents,
}

/// Cycle interest by the average daily balance method.
///
/// The cycle runs from `cycle_start` to `cycle_end`, **both included**
/// (`days = cycle_end − cycle_start + 1` actual calendar days). The balance
/// of each day is `opening_balance` until the first change, then the balance
/// of the latest change dated on or before that day. Negative (credit)
/// balances count as zero.
///
/// ```text
/// ADB      = Σ daily balance / days
/// interest = round(ADB · apr / basis · days) = round(Σ daily balance · apr / basis)
/// ```
///
/// rounded half up to cents, with `basis` 365 for [`DayCount::Actual365`]
/// (the usual choice) or 360 for [`DayCount::Thirty360`]; the day count only
/// picks the daily periodic rate `apr / basis`, the days are always actual.
///
/// `changes` must be in date order and dated within the cycle; several
/// changes on one day are allowed (the last one counts).
///
/// Errors: `cycle_end` before `cycle_start`, changes out of order or outside
/// the cycle, a negative APR, or overflow.
pub fn cycle_interest(
    opening_balance: Cents,
    changes: &[BalanceChange],
    cycle_start: Date,
    cycle_end: Date,
    apr: Decimal,
    day_count: DayCount,
) -> Result<CycleInterest, LoanError> {
    non_negative_rate(apr, "APR")?;
    if cycle_end < cycle_start {
        return Err(LoanError::Invalid("cycle ends before it starts"));
    }
    let days = u32::try_from(DayCount::Actual365.days(cycle_start, cycle_end) + 1).map_err(|_| LoanError::Overflow)?;
    let mut sum = Decimal::ZERO;
    let mut balance = opening_balance;
    let mut from = cycle_start;
    for change in changes {
        if change.date < from {
            return Err(LoanError::Invalid("balance changes are out of order or before the cycle"));
        }
        if change.date > cycle_end {
            return Err(LoanError::Invalid("balance change after the end of the cycle"));
        }
        sum = add(sum, balance_days(balance, from, change.date)?)?;
        balance = change.balance;
        from = change.date;
    }
    // The last balance holds through cycle_end inclusive.
    let end_exclusive = super::add_days(cycle_end, 1)?;
    sum = add(sum, balance_days(balance, from, end_exclusive)?)?;

    let average = Cents::from_decimal(div(sum, Decimal::from(days))?)?;
    let interest = Cents::from_decimal(div(mul(sum, apr)?, Decimal::from(day_count.basis()))?)?;
    Ok(CycleInterest { days, average_daily_balance: average, interest })
}

/// `max(balance, 0) × days in [from, to)`.
fn balance_days(balance: Cents, from: Date, to: Date) -> Result<Decimal, LoanError> {
    let days = DayCount::Actual365.days(from, to);
    mul(balance.max(Cents::ZERO).to_decimal(), Decimal::from(days))
}

/// A minimum-payment rule: a percentage of the balance plus the cycle's
/// interest and fees, but not less than a floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinimumPaymentRule {
    /// Fraction of the statement balance (0.02 = 2 %), ≥ 0.
    pub percent_of_balance: Decimal,
    /// The smallest minimum payment (e.g. $25.00), ≥ 0.
    pub floor: Cents,
}

/// The minimum payment due on a statement:
///
/// ```text
/// minimum = min(statement_balance, max(floor, round(percent · statement_balance) + interest + fees))
/// ```
///
/// rounded half up to cents (only the percentage term has fractions). Never
/// more than the statement balance, and 0 when the balance is zero or a
/// credit.
///
/// Errors: negative `interest`, `fees`, percentage or floor, or overflow.
pub fn minimum_payment(
    statement_balance: Cents,
    interest: Cents,
    fees: Cents,
    rule: &MinimumPaymentRule,
) -> Result<Cents, LoanError> {
    interest.non_negative("interest")?;
    fees.non_negative("fees")?;
    rule.floor.non_negative("minimum payment floor")?;
    non_negative_rate(rule.percent_of_balance, "minimum payment percentage")?;
    if statement_balance <= Cents::ZERO {
        return Ok(Cents::ZERO);
    }
    let percent_part = Cents::from_decimal(mul(statement_balance.to_decimal(), rule.percent_of_balance)?)?;
    let computed = percent_part.checked_add(interest)?.checked_add(fees)?;
    Ok(statement_balance.min(rule.floor.max(computed)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn average_daily_balance_by_hand() {
        // 30-day cycle 2026-04-01 ..= 2026-04-30. Opening 1,000.00;
        // draw to 1,500.00 on the 11th; payment to 1,200.00 on the 21st.
        //   Apr 1–10:  10 days × 1,000 = 10,000
        //   Apr 11–20: 10 days × 1,500 = 15,000
        //   Apr 21–30: 10 days × 1,200 = 12,000
        // ADB = 37,000 / 30 = 1,233.33; interest = 37,000 · 0.1825 / 365 = 18.50.
        let changes = [
            BalanceChange { date: date!(2026 - 04 - 11), balance: Cents(150_000) },
            BalanceChange { date: date!(2026 - 04 - 21), balance: Cents(120_000) },
        ];
        let c = cycle_interest(
            Cents(100_000),
            &changes,
            date!(2026 - 04 - 01),
            date!(2026 - 04 - 30),
            d("0.1825"),
            DayCount::Actual365,
        )
        .unwrap();
        assert_eq!(c, CycleInterest { days: 30, average_daily_balance: Cents(123_333), interest: Cents(1_850) });
        // Same sum at 18 %/360: 37,000 · 0.18 / 360 = 18.50.
        let c = cycle_interest(
            Cents(100_000),
            &changes,
            date!(2026 - 04 - 01),
            date!(2026 - 04 - 30),
            d("0.18"),
            DayCount::Thirty360,
        )
        .unwrap();
        assert_eq!(c.interest, Cents(1_850));
    }

    #[test]
    fn changes_on_the_edges_and_credit_balances() {
        // Change on the first day replaces the opening balance; one on the last
        // day counts for that one day; a credit balance counts as zero.
        // 2026-02-01 ..= 2026-02-28 (28 days): 27 × 730.00 + 1 × (−50 → 0).
        let changes = [
            BalanceChange { date: date!(2026 - 02 - 01), balance: Cents(73_000) },
            BalanceChange { date: date!(2026 - 02 - 28), balance: Cents(-5_000) },
        ];
        let c = cycle_interest(
            Cents(999_999),
            &changes,
            date!(2026 - 02 - 01),
            date!(2026 - 02 - 28),
            d("0.10"),
            DayCount::Actual365,
        )
        .unwrap();
        // Σ = 27 · 730 = 19,710; ADB = 703.93 (703.928…); interest = 19,710 · 0.1 / 365 = 5.40.
        assert_eq!(c, CycleInterest { days: 28, average_daily_balance: Cents(70_393), interest: Cents(540) });
        // A one-day cycle.
        let c = cycle_interest(
            Cents(365_000),
            &[],
            date!(2026 - 02 - 01),
            date!(2026 - 02 - 01),
            d("0.10"),
            DayCount::Actual365,
        )
        .unwrap();
        assert_eq!(c, CycleInterest { days: 1, average_daily_balance: Cents(365_000), interest: Cents(100) });
    }

    #[test]
    fn cycle_errors() {
        let (s, e) = (date!(2026 - 04 - 01), date!(2026 - 04 - 30));
        let late = [BalanceChange { date: date!(2026 - 05 - 01), balance: Cents(1) }];
        let early = [BalanceChange { date: date!(2026 - 03 - 31), balance: Cents(1) }];
        let unordered = [
            BalanceChange { date: date!(2026 - 04 - 11), balance: Cents(1) },
            BalanceChange { date: date!(2026 - 04 - 10), balance: Cents(1) },
        ];
        for changes in [&late[..], &early[..], &unordered[..]] {
            assert!(matches!(
                cycle_interest(Cents(1), changes, s, e, d("0.1"), DayCount::Actual365),
                Err(LoanError::Invalid(_))
            ));
        }
        assert!(matches!(
            cycle_interest(Cents(1), &[], e, s, d("0.1"), DayCount::Actual365),
            Err(LoanError::Invalid(_))
        ));
        assert_eq!(
            cycle_interest(Cents(1), &[], s, e, d("-0.1"), DayCount::Actual365),
            Err(LoanError::Negative("APR"))
        );
        assert!(cycle_interest(Cents(i64::MAX), &[], Date::MIN, Date::MAX, Decimal::MAX, DayCount::Actual365).is_err());
    }

    #[test]
    fn minimum_payment_by_hand() {
        let rule = MinimumPaymentRule { percent_of_balance: d("0.01"), floor: Cents(2_500) };
        // 1 % of 3,456.78 = 34.5678 → 34.57; + 41.10 interest + 0 fees = 75.67.
        assert_eq!(minimum_payment(Cents(345_678), Cents(4_110), Cents::ZERO, &rule), Ok(Cents(7_567)));
        // 1 % of 800.00 = 8.00 + 6.50 + 0 = 14.50 < floor 25.00 → 25.00.
        assert_eq!(minimum_payment(Cents(80_000), Cents(650), Cents::ZERO, &rule), Ok(Cents(2_500)));
        // Balance below the floor: the whole balance.
        assert_eq!(minimum_payment(Cents(1_999), Cents(10), Cents::ZERO, &rule), Ok(Cents(1_999)));
        // With a 39.00 late fee: 1 % of 2,000.00 = 20.00 + 30.00 + 39.00 = 89.00.
        assert_eq!(minimum_payment(Cents(200_000), Cents(3_000), Cents(3_900), &rule), Ok(Cents(8_900)));
        // Half a cent rounds up: 1 % of 0.50 = 0.005 → 0.01 (floor 0).
        let no_floor = MinimumPaymentRule { percent_of_balance: d("0.01"), floor: Cents::ZERO };
        assert_eq!(minimum_payment(Cents(50), Cents::ZERO, Cents::ZERO, &no_floor), Ok(Cents(1)));
        assert_eq!(minimum_payment(Cents::ZERO, Cents::ZERO, Cents::ZERO, &rule), Ok(Cents::ZERO));
        assert_eq!(minimum_payment(Cents(-500), Cents::ZERO, Cents::ZERO, &rule), Ok(Cents::ZERO));
        assert_eq!(minimum_payment(Cents(500), Cents(-1), Cents::ZERO, &rule), Err(LoanError::Negative("interest")));
    }
}
