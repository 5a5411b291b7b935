//! Day-count conventions: how many days of interest lie between two dates,
//! and what fraction of a year that is.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

/// A day-count convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// 30/360 US, the "NASD" / ISDA 2006 §4.16(f) "Bond Basis" method: every
    /// month counts as 30 days and a year as 360.
    ///
    /// With `from = Y1-M1-D1` and `to = Y2-M2-D2`:
    ///
    /// 1. if `D1` is 31, `D1 := 30`;
    /// 2. if `D2` is 31 and `D1` (after rule 1) is 30, `D2 := 30`;
    /// 3. `days = 360·(Y2 − Y1) + 30·(M2 − M1) + (D2 − D1)`.
    ///
    /// **End of February is not special**: February 28 (or 29) is an
    /// ordinary day, unlike the SIFMA end-of-month variant and Excel's
    /// `DAYS360(…, FALSE)`, which treat a start on the last day of February
    /// as the 30th. So 2026-01-31 → 2026-03-01 is 31 days, 2026-02-28 →
    /// 2026-03-31 is 33 days and 2026-01-30 → 2026-02-28 is 28 days.
    Thirty360,
    /// Actual/365 Fixed: the actual number of calendar days, over a year of
    /// 365 days even in leap years (so 366 days is 366/365 of a year).
    Actual365,
}

impl DayCount {
    /// Days in the year this convention divides by: 360 or 365.
    pub const fn basis(self) -> u32 {
        match self {
            DayCount::Thirty360 => 360,
            DayCount::Actual365 => 365,
        }
    }

    /// Days of interest from `from` to `to` under this convention (the start
    /// day is excluded, the end day included, as usual for accrual). Negative
    /// when `to` is before `from`; zero when they are equal.
    pub fn days(self, from: Date, to: Date) -> i64 {
        match self {
            DayCount::Actual365 => i64::from(to.to_julian_day()) - i64::from(from.to_julian_day()),
            DayCount::Thirty360 => {
                let (y1, m1, mut d1) = (i64::from(from.year()), i64::from(u8::from(from.month())), from.day());
                let (y2, m2, mut d2) = (i64::from(to.year()), i64::from(u8::from(to.month())), to.day());
                if d1 == 31 {
                    d1 = 30;
                }
                if d2 == 31 && d1 == 30 {
                    d2 = 30;
                }
                360 * (y2 - y1) + 30 * (m2 - m1) + (i64::from(d2) - i64::from(d1))
            }
        }
    }

    /// The year fraction `days(from, to) / basis()`, as an exact-as-possible
    /// decimal (28 significant digits).
    pub fn year_fraction(self, from: Date, to: Date) -> Decimal {
        // A day count of two valid dates is below 8·10⁶ in magnitude and the
        // basis is a non-zero constant, so this division cannot fail.
        Decimal::from(self.days(from, to)) / Decimal::from(self.basis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn thirty_360_hand_computed() {
        let t = DayCount::Thirty360;
        // D1 = 31 → 30; D2 = 1: 30·(3 − 1) + (1 − 30) = 31.
        assert_eq!(t.days(date!(2026 - 01 - 31), date!(2026 - 03 - 01)), 31);
        // D1 = 31 → 30, D2 = 31 → 30: 30·(3 − 1) + 0 = 60.
        assert_eq!(t.days(date!(2026 - 01 - 31), date!(2026 - 03 - 31)), 60);
        // D1 = 30, D2 = 31 → 30: one month exactly.
        assert_eq!(t.days(date!(2026 - 04 - 30), date!(2026 - 05 - 31)), 30);
        // D1 = 15, D2 = 31 stays 31: 30 + 16 = 46.
        assert_eq!(t.days(date!(2026 - 04 - 15), date!(2026 - 05 - 31)), 46);
        // End of February is ordinary: 30·1 + (31 − 28) = 33, and 30 → 28 is 28.
        assert_eq!(t.days(date!(2026 - 02 - 28), date!(2026 - 03 - 31)), 33);
        assert_eq!(t.days(date!(2026 - 01 - 30), date!(2026 - 02 - 28)), 28);
        assert_eq!(t.days(date!(2024 - 02 - 29), date!(2024 - 03 - 29)), 30);
        // A whole year is 360 days, across a year boundary as well.
        assert_eq!(t.days(date!(2025 - 12 - 15), date!(2026 - 12 - 15)), 360);
        assert_eq!(t.days(date!(2025 - 12 - 31), date!(2026 - 01 - 31)), 30);
        // Same day and reversed order.
        assert_eq!(t.days(date!(2026 - 05 - 05), date!(2026 - 05 - 05)), 0);
        assert_eq!(t.days(date!(2026 - 03 - 01), date!(2026 - 01 - 01)), -60);
    }

    #[test]
    fn actual_365_hand_computed() {
        let a = DayCount::Actual365;
        assert_eq!(a.days(date!(2026 - 01 - 31), date!(2026 - 03 - 01)), 29);
        assert_eq!(a.days(date!(2024 - 01 - 31), date!(2024 - 03 - 01)), 30);
        assert_eq!(a.days(date!(2024 - 01 - 01), date!(2025 - 01 - 01)), 366);
        assert_eq!(a.days(date!(2026 - 03 - 01), date!(2026 - 01 - 31)), -29);
    }

    #[test]
    fn year_fractions() {
        let half: Decimal = "0.5".parse().unwrap();
        assert_eq!(DayCount::Thirty360.year_fraction(date!(2026 - 01 - 15), date!(2026 - 07 - 15)), half);
        assert_eq!(DayCount::Actual365.year_fraction(date!(2025 - 01 - 01), date!(2026 - 01 - 01)), Decimal::ONE);
        let leap = DayCount::Actual365.year_fraction(date!(2024 - 01 - 01), date!(2025 - 01 - 01));
        assert_eq!(leap, Decimal::from(366) / Decimal::from(365));
        assert_eq!(DayCount::Thirty360.basis(), 360);
        assert_eq!(DayCount::Actual365.basis(), 365);
    }
}
