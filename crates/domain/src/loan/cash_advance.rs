//! Merchant cash advances priced with a factor rate.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Weekday};

use super::money::{div, mul};
use super::{Cents, Frequency, LoanError, add_days, round_cents};

/// A merchant cash advance: `funded` is advanced and `funded × factor_rate`
/// is collected back by fixed debits of `debit_amount` at `frequency`.
///
/// Invariants checked by every method: `funded > 0`, `factor_rate ≥ 1`
/// (a factor such as 1.35; below 1 would mean collecting less than was
/// advanced, almost always a percentage typed as a factor),
/// `remitted_to_date ≥ 0`, `debit_amount > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashAdvance {
    /// Amount advanced to the merchant.
    pub funded: Cents,
    /// Factor rate, e.g. 1.35.
    pub factor_rate: Decimal,
    /// Collected so far.
    pub remitted_to_date: Cents,
    /// Amount of each scheduled debit.
    pub debit_amount: Cents,
    /// Debit frequency. `Daily` means every business day (see
    /// [`CashAdvance::expected_completion`]).
    pub frequency: Frequency,
}

impl CashAdvance {
    /// `round(funded × factor_rate)`, half up to cents.
    pub fn total_payback(&self) -> Result<Cents, LoanError> {
        self.validate()?;
        Cents::from_decimal(mul(self.funded.to_decimal(), self.factor_rate)?)
    }

    /// `max(0, total_payback − remitted_to_date)`.
    pub fn remaining(&self) -> Result<Cents, LoanError> {
        Ok(self.total_payback()?.checked_sub(self.remitted_to_date)?.max(Cents::ZERO))
    }

    /// `max(0, remitted_to_date − total_payback)`: collected beyond the
    /// payback, to be refunded.
    pub fn overpaid(&self) -> Result<Cents, LoanError> {
        Ok(self.remitted_to_date.checked_sub(self.total_payback()?)?.max(Cents::ZERO))
    }

    /// `min(100, remitted_to_date / total_payback × 100)` as a percentage
    /// rounded half up to two places (37.5 % is `37.50`).
    pub fn percent_paid(&self) -> Result<Decimal, LoanError> {
        let total = self.total_payback()?;
        let ratio = div(self.remitted_to_date.to_decimal(), total.to_decimal())?;
        Ok(round_cents(mul(ratio, Decimal::ONE_HUNDRED)?).min(Decimal::ONE_HUNDRED))
    }

    /// `ceil(remaining / debit_amount)`: debits still to be taken, the last
    /// one possibly partial.
    pub fn debits_remaining(&self) -> Result<u64, LoanError> {
        let remaining = self.remaining()?;
        let (whole, part) = (remaining.0 / self.debit_amount.0, remaining.0 % self.debit_amount.0);
        let count = if part > 0 { whole + 1 } else { whole };
        u64::try_from(count).map_err(|_| LoanError::Overflow)
    }

    /// The date of the last debit if debits keep coming from
    /// `next_debit_date` on; `None` when nothing remains.
    ///
    /// * `Daily`: one debit per **business day, Monday to Friday**. Holidays
    ///   are *not* skipped (this layer has no holiday calendar); a weekend
    ///   `next_debit_date` rolls forward to Monday. The result is the
    ///   `debits_remaining`-th business day counting `next_debit_date` (or
    ///   that Monday) as the first.
    /// * Other frequencies: `frequency.due_date(next_debit_date,
    ///   debits_remaining − 1)` (calendar stepping, no business-day rule).
    pub fn expected_completion(&self, next_debit_date: Date) -> Result<Option<Date>, LoanError> {
        let Some(steps) = self.debits_remaining()?.checked_sub(1) else {
            return Ok(None);
        };
        let date = match self.frequency {
            Frequency::Daily => {
                let first = add_business_days(next_debit_date, 0)?;
                add_business_days(first, steps)?
            }
            other => other.due_date(next_debit_date, u32::try_from(steps).map_err(|_| LoanError::DateOutOfRange)?)?,
        };
        Ok(Some(date))
    }

    fn validate(&self) -> Result<(), LoanError> {
        if self.funded <= Cents::ZERO {
            return Err(LoanError::NotPositive("funded amount"));
        }
        if self.factor_rate < Decimal::ONE {
            return Err(LoanError::Invalid("factor rate below 1"));
        }
        self.remitted_to_date.non_negative("remitted to date")?;
        if self.debit_amount <= Cents::ZERO {
            return Err(LoanError::NotPositive("debit amount"));
        }
        Ok(())
    }
}

/// The business day (Monday–Friday, no holidays) `n` business days after
/// `date`. A weekend `date` first rolls forward to Monday, so `n = 0` is
/// `date` itself on a weekday and the next Monday on a weekend.
pub fn add_business_days(date: Date, n: u64) -> Result<Date, LoanError> {
    let start = match date.weekday() {
        Weekday::Saturday => add_days(date, 2)?,
        Weekday::Sunday => add_days(date, 1)?,
        _ => date,
    };
    let weeks = i64::try_from(n / 5).map_err(|_| LoanError::DateOutOfRange)?;
    let mut day = add_days(start, weeks.checked_mul(7).ok_or(LoanError::DateOutOfRange)?)?;
    for _ in 0..n % 5 {
        day = add_days(day, if day.weekday() == Weekday::Friday { 3 } else { 1 })?;
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn advance(remitted: i64, frequency: Frequency) -> CashAdvance {
        CashAdvance {
            funded: Cents(5_000_000),
            factor_rate: "1.35".parse().unwrap(),
            remitted_to_date: Cents(remitted),
            debit_amount: Cents(45_000),
            frequency,
        }
    }

    #[test]
    fn factor_rate_by_hand() {
        // $50,000 × 1.35 = $67,500 payback. After $25,312.50:
        // remaining 42,187.50; 25,312.50 / 67,500 = 37.5 %; 42,187.50 / 450 =
        // 93.75 → 94 debits.
        let a = advance(2_531_250, Frequency::Daily);
        assert_eq!(a.total_payback(), Ok(Cents(6_750_000)));
        assert_eq!(a.remaining(), Ok(Cents(4_218_750)));
        assert_eq!(a.percent_paid(), Ok("37.50".parse().unwrap()));
        assert_eq!(a.debits_remaining(), Ok(94));
        assert_eq!(a.overpaid(), Ok(Cents::ZERO));
        // Exactly divisible: 4,500.00 left at 450.00 a debit = 10 debits.
        assert_eq!(advance(6_750_000 - 450_000, Frequency::Daily).debits_remaining(), Ok(10));
        // Rounding of the payback: 12,345.67 × 1.49 = 18,395.0483 → 18,395.05.
        let b = CashAdvance { funded: Cents(1_234_567), factor_rate: "1.49".parse().unwrap(), ..a };
        assert_eq!(b.total_payback(), Ok(Cents(1_839_505)));
        // Paid off and overpaid.
        let done = advance(6_760_000, Frequency::Daily);
        assert_eq!(done.remaining(), Ok(Cents::ZERO));
        assert_eq!(done.overpaid(), Ok(Cents(10_000)));
        assert_eq!(done.percent_paid(), Ok(Decimal::ONE_HUNDRED));
        assert_eq!(done.debits_remaining(), Ok(0));
        assert_eq!(done.expected_completion(date!(2026 - 06 - 01)), Ok(None));
    }

    #[test]
    fn completion_counts_business_days() {
        let a = advance(2_531_250, Frequency::Daily);
        // 94 debits from Monday 2026-06-01: 93 business days later = 18 weeks
        // (126 days → Monday 2026-10-05) plus 3 → Thursday 2026-10-08.
        assert_eq!(a.expected_completion(date!(2026 - 06 - 01)), Ok(Some(date!(2026 - 10 - 08))));
        // Starting on Saturday 2026-05-30 rolls to Monday: same answer.
        assert_eq!(a.expected_completion(date!(2026 - 05 - 30)), Ok(Some(date!(2026 - 10 - 08))));
        // Weekly: 94 debits from 2026-06-01 → 93 weeks later = 2028-03-13.
        let w = advance(2_531_250, Frequency::Weekly);
        assert_eq!(w.expected_completion(date!(2026 - 06 - 01)), Ok(Some(date!(2028 - 03 - 13))));
    }

    #[test]
    fn business_day_steps() {
        // Friday + 1 = Monday; Thursday + 2 = Monday; Sunday + 0 = Monday.
        assert_eq!(add_business_days(date!(2026 - 06 - 05), 1), Ok(date!(2026 - 06 - 08)));
        assert_eq!(add_business_days(date!(2026 - 06 - 04), 2), Ok(date!(2026 - 06 - 08)));
        assert_eq!(add_business_days(date!(2026 - 06 - 07), 0), Ok(date!(2026 - 06 - 08)));
        assert_eq!(add_business_days(date!(2026 - 06 - 03), 5), Ok(date!(2026 - 06 - 10)));
        // Agrees with stepping one business day at a time.
        let mut day = date!(2026 - 06 - 03);
        for n in 1..200 {
            day = day.next_day().unwrap();
            while matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
                day = day.next_day().unwrap();
            }
            assert_eq!(add_business_days(date!(2026 - 06 - 03), n), Ok(day));
        }
        assert_eq!(add_business_days(date!(2026 - 06 - 03), u64::MAX), Err(LoanError::DateOutOfRange));
    }

    #[test]
    fn invalid_advances() {
        let a = advance(0, Frequency::Daily);
        assert_eq!(
            CashAdvance { funded: Cents::ZERO, ..a }.total_payback(),
            Err(LoanError::NotPositive("funded amount"))
        );
        assert!(matches!(
            CashAdvance { factor_rate: "0.35".parse().unwrap(), ..a }.remaining(),
            Err(LoanError::Invalid(_))
        ));
        assert_eq!(
            CashAdvance { debit_amount: Cents::ZERO, ..a }.debits_remaining(),
            Err(LoanError::NotPositive("debit amount"))
        );
        assert_eq!(
            CashAdvance { remitted_to_date: Cents(-1), ..a }.percent_paid(),
            Err(LoanError::Negative("remitted to date"))
        );
        // One cent a day for a huge advance: the end date is beyond the calendar.
        let slow = CashAdvance { funded: Cents(i64::MAX / 2), factor_rate: Decimal::ONE, debit_amount: Cents(1), ..a };
        assert_eq!(slow.expected_completion(date!(2026 - 06 - 01)), Err(LoanError::DateOutOfRange));
    }
}
