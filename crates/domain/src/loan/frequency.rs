//! Payment frequencies and due-date stepping.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::LoanError;

/// How often payments fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Once a month on the anchor's day of month (12 a year).
    Monthly,
    /// Twice a month, on day `d` and day `d + 15` (24 a year); see
    /// [`Frequency::due_date`].
    SemiMonthly,
    /// Every 14 days (26 a year).
    BiWeekly,
    /// Every 7 days (52 a year).
    Weekly,
    /// Every calendar day (365 a year). Merchant cash advances count business
    /// days instead; see [`crate::loan::CashAdvance::expected_completion`].
    Daily,
}

impl Frequency {
    /// Payments per year: 12, 24, 26, 52 or 365. The periodic rate of a
    /// level-payment schedule is `annual_rate / periods_per_year`.
    pub const fn periods_per_year(self) -> u32 {
        match self {
            Frequency::Monthly => 12,
            Frequency::SemiMonthly => 24,
            Frequency::BiWeekly => 26,
            Frequency::Weekly => 52,
            Frequency::Daily => 365,
        }
    }

    /// The due date `n` periods after `anchor` (`n = 0` is `anchor` itself).
    ///
    /// Dates are always computed from the anchor, never by stepping from the
    /// previous due date, so clamping does not drift:
    ///
    /// * **Monthly**: the anchor's day of month in the month `n` months later,
    ///   clamped to that month's last day. Anchor Jan 31 gives Feb 28 (29 in
    ///   leap years), Mar 31, Apr 30, …
    /// * **SemiMonthly**: two days a month, 15 apart. With anchor day `d`:
    ///   if `d ≤ 15` the days are `d` and `d + 15` and the anchor is the first
    ///   of the pair; if `d ≥ 16` they are `d − 15` and `d` and the anchor is
    ///   the second. Both are clamped to the month's last day: anchor the 1st
    ///   gives the 1st and 16th; anchor the 15th gives the 15th and the 30th
    ///   (Feb 28/29); anchor the 31st gives the 16th and the month's end.
    /// * **BiWeekly / Weekly / Daily**: `anchor + 14n / 7n / n` calendar days.
    ///
    /// No business-day adjustment is made. Because the anchor's *day* drives
    /// the monthly clamping, pass the loan's original first due date (not a
    /// clamped later one such as Feb 28 for a loan due on the 31st).
    pub fn due_date(self, anchor: Date, n: u32) -> Result<Date, LoanError> {
        match self {
            Frequency::Monthly => month_day(anchor, i64::from(n), anchor.day()),
            Frequency::SemiMonthly => {
                let d = anchor.day();
                let (days, slot) = if d <= 15 { ([d, d + 15], 0) } else { ([d - 15, d], 1) };
                let index = i64::from(n) + slot;
                let day = if index % 2 == 0 { days[0] } else { days[1] };
                month_day(anchor, index / 2, day)
            }
            Frequency::BiWeekly => add_days(anchor, 14 * i64::from(n)),
            Frequency::Weekly => add_days(anchor, 7 * i64::from(n)),
            Frequency::Daily => add_days(anchor, i64::from(n)),
        }
    }
}

/// `date` plus `days` calendar days (negative goes back), or
/// [`LoanError::DateOutOfRange`].
pub fn add_days(date: Date, days: i64) -> Result<Date, LoanError> {
    let julian = i64::from(date.to_julian_day()).checked_add(days).ok_or(LoanError::DateOutOfRange)?;
    let julian = i32::try_from(julian).map_err(|_| LoanError::DateOutOfRange)?;
    Date::from_julian_day(julian).map_err(|_| LoanError::DateOutOfRange)
}

/// Day `day` (clamped to the month's length) of the month `months` after
/// `anchor`'s month.
fn month_day(anchor: Date, months: i64, day: u8) -> Result<Date, LoanError> {
    let index = i64::from(anchor.year()) * 12 + i64::from(u8::from(anchor.month())) - 1;
    let index = index.checked_add(months).ok_or(LoanError::DateOutOfRange)?;
    let year = i32::try_from(index.div_euclid(12)).map_err(|_| LoanError::DateOutOfRange)?;
    let month_number = u8::try_from(index.rem_euclid(12) + 1).map_err(|_| LoanError::DateOutOfRange)?;
    let month = Month::try_from(month_number).map_err(|_| LoanError::DateOutOfRange)?;
    let day = day.min(month.length(year));
    Date::from_calendar_date(year, month, day).map_err(|_| LoanError::DateOutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn monthly_clamps_from_the_anchor() {
        let f = Frequency::Monthly;
        let a = date!(2026 - 01 - 31);
        assert_eq!(f.due_date(a, 0).unwrap(), a);
        assert_eq!(f.due_date(a, 1).unwrap(), date!(2026 - 02 - 28));
        assert_eq!(f.due_date(a, 2).unwrap(), date!(2026 - 03 - 31));
        assert_eq!(f.due_date(a, 3).unwrap(), date!(2026 - 04 - 30));
        assert_eq!(f.due_date(a, 11).unwrap(), date!(2026 - 12 - 31));
        assert_eq!(f.due_date(a, 12).unwrap(), date!(2027 - 01 - 31));
        assert_eq!(f.due_date(a, 25).unwrap(), date!(2028 - 02 - 29));
        assert_eq!(f.due_date(date!(2026 - 03 - 15), 359).unwrap(), date!(2056 - 02 - 15));
    }

    #[test]
    fn semi_monthly_pairs() {
        let f = Frequency::SemiMonthly;
        let a = date!(2026 - 01 - 01);
        let got: Vec<Date> = (0..4).map(|n| f.due_date(a, n).unwrap()).collect();
        assert_eq!(got, [date!(2026 - 01 - 01), date!(2026 - 01 - 16), date!(2026 - 02 - 01), date!(2026 - 02 - 16)]);
        let a = date!(2026 - 01 - 15);
        let got: Vec<Date> = (0..4).map(|n| f.due_date(a, n).unwrap()).collect();
        assert_eq!(got, [date!(2026 - 01 - 15), date!(2026 - 01 - 30), date!(2026 - 02 - 15), date!(2026 - 02 - 28)]);
        let a = date!(2026 - 01 - 31);
        let got: Vec<Date> = (0..4).map(|n| f.due_date(a, n).unwrap()).collect();
        assert_eq!(got, [date!(2026 - 01 - 31), date!(2026 - 02 - 16), date!(2026 - 02 - 28), date!(2026 - 03 - 16)]);
    }

    #[test]
    fn day_based_frequencies() {
        let a = date!(2026 - 12 - 25);
        assert_eq!(Frequency::BiWeekly.due_date(a, 2).unwrap(), date!(2027 - 01 - 22));
        assert_eq!(Frequency::Weekly.due_date(a, 1).unwrap(), date!(2027 - 01 - 01));
        assert_eq!(Frequency::Daily.due_date(a, 7).unwrap(), date!(2027 - 01 - 01));
        let per_year: Vec<u32> =
            [Frequency::Monthly, Frequency::SemiMonthly, Frequency::BiWeekly, Frequency::Weekly, Frequency::Daily]
                .iter()
                .map(|f| f.periods_per_year())
                .collect();
        assert_eq!(per_year, [12, 24, 26, 52, 365]);
    }

    #[test]
    fn out_of_range_is_an_error_not_a_panic() {
        assert_eq!(Frequency::Monthly.due_date(date!(9999 - 12 - 01), 1), Err(LoanError::DateOutOfRange));
        assert_eq!(Frequency::Daily.due_date(date!(9999 - 12 - 31), u32::MAX), Err(LoanError::DateOutOfRange));
        assert_eq!(add_days(Date::MIN, -1), Err(LoanError::DateOutOfRange));
        assert_eq!(add_days(date!(2026 - 01 - 01), i64::MAX), Err(LoanError::DateOutOfRange));
    }
}
