//! Dates of scheduled payments and AutoPay: the Federal Reserve's bank
//! holidays, business days, AutoPay recurrences, the day a due payment is
//! actually submitted, and the check of a date a customer picks.
//!
//! # Bank holidays
//!
//! ACH settles only on days the Federal Reserve Banks are open: Monday to
//! Friday except the eleven holidays of [`bank_holidays`]. The Fed's rule for
//! holidays on a weekend differs from the federal government's: one that falls
//! on a **Sunday is observed on the Monday** after, but one that falls on a
//! **Saturday is not observed at all** — the Fed is open on the Friday before.
//! The rules are those in force since 2022 (when Juneteenth was added); years
//! before 2022 are computed without Juneteenth, and no older changes (such as
//! the holidays' introduction) are modelled.

use time::{Date, Duration, Month, Weekday};

use crate::loan::Frequency;

/// One of the Federal Reserve's bank holidays in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BankHoliday {
    /// Its name, e.g. `"Independence Day"`.
    pub name: &'static str,
    /// The calendar date of the holiday itself.
    pub date: Date,
    /// The weekday the Fed is closed for it: `date` on a weekday, the Monday
    /// after for a Sunday, and `None` for a Saturday (not observed).
    pub observed: Option<Date>,
}

/// The `n`-th (1-based) `weekday` of `month` in `year`.
fn nth_weekday(year: i32, month: Month, weekday: Weekday, n: u8) -> Option<Date> {
    let first = Date::from_calendar_date(year, month, 1).ok()?;
    let offset = (7 + weekday.number_days_from_monday() - first.weekday().number_days_from_monday()) % 7;
    Date::from_calendar_date(year, month, 1 + offset + 7 * (n - 1)).ok()
}

/// The last `weekday` of `month` in `year`.
fn last_weekday(year: i32, month: Month, weekday: Weekday) -> Option<Date> {
    let last = Date::from_calendar_date(year, month, month.length(year)).ok()?;
    let back = (7 + last.weekday().number_days_from_monday() - weekday.number_days_from_monday()) % 7;
    last.checked_sub(Duration::days(i64::from(back)))
}

/// The Federal Reserve's bank holidays of `year`, in date order:
/// New Year's Day (Jan 1), Birthday of Martin Luther King Jr. (3rd Monday of
/// January), Washington's Birthday (3rd Monday of February), Memorial Day
/// (last Monday of May), Juneteenth (June 19, from 2022), Independence Day
/// (July 4), Labor Day (1st Monday of September), Columbus Day (2nd Monday of
/// October), Veterans Day (November 11), Thanksgiving Day (4th Thursday of
/// November) and Christmas Day (December 25).
///
/// Empty for years the `time` crate cannot represent.
pub fn bank_holidays(year: i32) -> Vec<BankHoliday> {
    use Month::*;
    use Weekday::*;
    let fixed = |month, day| Date::from_calendar_date(year, month, day).ok();
    let mut list: Vec<(&'static str, Option<Date>)> = vec![
        ("New Year's Day", fixed(January, 1)),
        ("Birthday of Martin Luther King, Jr.", nth_weekday(year, January, Monday, 3)),
        ("Washington's Birthday", nth_weekday(year, February, Monday, 3)),
        ("Memorial Day", last_weekday(year, May, Monday)),
    ];
    if year >= 2022 {
        list.push(("Juneteenth National Independence Day", fixed(June, 19)));
    }
    list.extend([
        ("Independence Day", fixed(July, 4)),
        ("Labor Day", nth_weekday(year, September, Monday, 1)),
        ("Columbus Day", nth_weekday(year, October, Monday, 2)),
        ("Veterans Day", fixed(November, 11)),
        ("Thanksgiving Day", nth_weekday(year, November, Thursday, 4)),
        ("Christmas Day", fixed(December, 25)),
    ]);
    list.into_iter()
        .filter_map(|(name, date)| {
            let date = date?;
            let observed = match date.weekday() {
                Saturday => None,
                Sunday => date.next_day(),
                _ => Some(date),
            };
            Some(BankHoliday { name, date, observed })
        })
        .collect()
}

/// The holiday the Fed is closed for on `date`, if any (weekends aside).
pub fn bank_holiday_on(date: Date) -> Option<BankHoliday> {
    bank_holidays(date.year()).into_iter().find(|h| h.observed == Some(date))
}

/// Whether ACH settles on `date`: a Monday to Friday that is not an observed
/// Federal Reserve holiday.
pub fn is_business_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && bank_holiday_on(date).is_none()
}

/// `date` itself when it is a business day, otherwise the first business day
/// after it. `None` only at the end of the calendar (year 9999).
pub fn next_business_day_on_or_after(date: Date) -> Option<Date> {
    let mut day = date;
    // At most a weekend plus one holiday (or two, in theory) lie in a row.
    for _ in 0..10 {
        if is_business_day(day) {
            return Some(day);
        }
        day = day.next_day()?;
    }
    None
}

/// The day a payment due on `due` is submitted: the effective entry date of
/// its ACH debit.
///
/// **Rule:** a payment runs on its due date when that is a business day
/// ([`is_business_day`]); a due date on a Saturday, Sunday or Federal Reserve
/// holiday runs on the **next** business day. It never runs early: taking
/// money before the day the customer chose (or agreed to for AutoPay) would
/// surprise them, and the next-business-day rule is what "payments due on a
/// non-business day are processed the next business day" in loan agreements
/// means. Whether a payment that runs after its due date is still on time is a
/// loan-servicing question, not decided here (it should be: it is).
///
/// `None` only at the end of the calendar (year 9999).
pub fn run_date(due: Date) -> Option<Date> {
    next_business_day_on_or_after(due)
}

/// How often an AutoPay draws a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoPayFrequency {
    /// Once a month on the start date's day, clamped to the month's last day.
    Monthly,
    /// Twice a month, 15 days apart; see [`occurrence`].
    SemiMonthly,
    /// Every 14 days.
    BiWeekly,
    /// Every 7 days.
    Weekly,
}

impl AutoPayFrequency {
    /// The loan schedule's frequency with the same stepping rule, so an
    /// AutoPay falls on the loan's due dates when it starts on one.
    pub const fn as_loan_frequency(self) -> Frequency {
        match self {
            AutoPayFrequency::Monthly => Frequency::Monthly,
            AutoPayFrequency::SemiMonthly => Frequency::SemiMonthly,
            AutoPayFrequency::BiWeekly => Frequency::BiWeekly,
            AutoPayFrequency::Weekly => Frequency::Weekly,
        }
    }
}

/// The `n`-th date (0-based; `n = 0` is `start`) of an AutoPay that started on
/// `start`. These are *due* dates; [`run_date`] gives the day each runs.
///
/// Dates are always computed from `start`, never from the previous date, so
/// month-end clamping does not drift:
///
/// * **Monthly**: `start`'s day of month, clamped to the month's last day.
///   Start Jan 31 → Feb 28 (Feb 29 in leap years) → Mar 31 → Apr 30 → …
/// * **SemiMonthly**: two days a month, 15 days apart, both clamped to the
///   month's end. Start day `d ≤ 15`: days `d` and `d + 15` (1st & 16th,
///   15th & 30th — Feb 28/29); start day `d ≥ 16`: days `d − 15` and `d`,
///   with `start` the second of the pair (31st → 16th & month end). This is
///   the rule of [`Frequency::SemiMonthly`], so AutoPay and the loan's
///   schedule agree.
/// * **BiWeekly / Weekly**: `start + 14n` / `start + 7n` days.
///
/// `None` past year 9999.
pub fn occurrence(start: Date, frequency: AutoPayFrequency, n: u32) -> Option<Date> {
    frequency.as_loan_frequency().due_date(start, n).ok()
}

/// The index of the first occurrence on or after `on_or_after`.
fn first_index_on_or_after(start: Date, frequency: AutoPayFrequency, on_or_after: Date) -> Option<u32> {
    if on_or_after <= start {
        return Some(0);
    }
    let days = i64::from(on_or_after.to_julian_day()) - i64::from(start.to_julian_day());
    let months = (i64::from(on_or_after.year()) - i64::from(start.year())) * 12
        + i64::from(u8::from(on_or_after.month()))
        - i64::from(u8::from(start.month()));
    // An estimate at or below the answer; stepping forward from it takes at
    // most a few iterations.
    let estimate = match frequency {
        AutoPayFrequency::Weekly => days / 7,
        AutoPayFrequency::BiWeekly => days / 14,
        AutoPayFrequency::Monthly => months - 1,
        AutoPayFrequency::SemiMonthly => 2 * months - 2,
    };
    let mut n = u32::try_from(estimate.max(0)).ok()?;
    loop {
        if occurrence(start, frequency, n)? >= on_or_after {
            return Some(n);
        }
        n = n.checked_add(1)?;
    }
}

/// The first occurrence of the AutoPay on or after `on_or_after` (`start`
/// itself when `on_or_after <= start`). `None` past year 9999.
pub fn next_occurrence(start: Date, frequency: AutoPayFrequency, on_or_after: Date) -> Option<Date> {
    occurrence(start, frequency, first_index_on_or_after(start, frequency, on_or_after)?)
}

/// The first `count` occurrences on or after `on_or_after`, in order (fewer
/// only at the end of the calendar).
pub fn occurrences(start: Date, frequency: AutoPayFrequency, on_or_after: Date, count: usize) -> Vec<Date> {
    let Some(first) = first_index_on_or_after(start, frequency, on_or_after) else {
        return Vec::new();
    };
    (first..).take(count).map_while(|n| occurrence(start, frequency, n)).collect()
}

/// Why a payment date the customer picked was refused (`Display` is for the
/// customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Before today.
    #[error("The date can't be in the past")]
    Past,
    /// More than `max_days` after today.
    #[error("Choose a date within {max_days} {unit}", unit = if *max_days == 1 { "day" } else { "days" })]
    TooFar {
        /// The limit that was passed to [`validate_payment_date`].
        max_days: u32,
    },
}

/// Checks the date a customer chose for a one-time payment: today up to
/// `max_days_ahead` days after `today` (both ends included). A weekend or
/// holiday is accepted — the payment then runs on [`run_date`] — so the
/// chosen date is returned unchanged.
pub fn validate_payment_date(chosen: Date, today: Date, max_days_ahead: u32) -> Result<Date, DateError> {
    if chosen < today {
        return Err(DateError::Past);
    }
    let days_ahead = i64::from(chosen.to_julian_day()) - i64::from(today.to_julian_day());
    if days_ahead > i64::from(max_days_ahead) {
        return Err(DateError::TooFar { max_days: max_days_ahead });
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn observed(year: i32) -> Vec<Date> {
        bank_holidays(year).into_iter().filter_map(|h| h.observed).collect()
    }

    // Figures from the Federal Reserve's published holiday schedule
    // ("Federal Reserve Bank Services — Holiday Schedules",
    // frbservices.org/about/holiday-schedules, and the Board's
    // federalreserve.gov/aboutthefed/k8.htm), which lists for each year the
    // days the Reserve Banks are closed and marks with an asterisk the
    // Saturday holidays for which they are open the Friday before:
    //
    // 2025: Jan 1, Jan 20, Feb 17, May 26, Jun 19, Jul 4, Sep 1, Oct 13,
    //       Nov 11, Nov 27, Dec 25.
    // 2026: Jan 1, Jan 19, Feb 16, May 25, Jun 19, Jul 4* (Saturday: open
    //       Friday Jul 3), Sep 7, Oct 12, Nov 11, Nov 26, Dec 25.
    // 2027: Jan 1, Jan 18, Feb 15, May 31, Jun 19* (Saturday: open Friday
    //       Jun 18), Jul 5 (Jul 4 is a Sunday), Sep 6, Oct 11, Nov 11, Nov 25,
    //       Dec 25* (Saturday: open Friday Dec 24).
    // 2028 (checked for the Saturday New Year's Day): Jan 1* (open Friday
    //       Dec 31, 2027), Jan 17, Feb 21, May 29, Jun 19, Jul 4, Sep 4,
    //       Oct 9, Nov 11*, Nov 23, Dec 25.

    #[test]
    fn fed_holidays_2025() {
        assert_eq!(
            observed(2025),
            vec![
                date!(2025 - 01 - 01),
                date!(2025 - 01 - 20),
                date!(2025 - 02 - 17),
                date!(2025 - 05 - 26),
                date!(2025 - 06 - 19),
                date!(2025 - 07 - 04),
                date!(2025 - 09 - 01),
                date!(2025 - 10 - 13),
                date!(2025 - 11 - 11),
                date!(2025 - 11 - 27),
                date!(2025 - 12 - 25),
            ]
        );
    }

    #[test]
    fn fed_holidays_2026_saturday_july_4_not_observed() {
        assert_eq!(
            observed(2026),
            vec![
                date!(2026 - 01 - 01),
                date!(2026 - 01 - 19),
                date!(2026 - 02 - 16),
                date!(2026 - 05 - 25),
                date!(2026 - 06 - 19),
                date!(2026 - 09 - 07),
                date!(2026 - 10 - 12),
                date!(2026 - 11 - 11),
                date!(2026 - 11 - 26),
                date!(2026 - 12 - 25),
            ]
        );
        let july4 = bank_holidays(2026).into_iter().find(|h| h.name == "Independence Day").unwrap();
        assert_eq!(july4.date, date!(2026 - 07 - 04));
        assert_eq!(july4.observed, None);
        assert!(is_business_day(date!(2026 - 07 - 03)), "Friday before a Saturday holiday is open");
        assert!(!is_business_day(date!(2026 - 07 - 04)));
        assert_eq!(next_business_day_on_or_after(date!(2026 - 07 - 04)), Some(date!(2026 - 07 - 06)));
    }

    #[test]
    fn fed_holidays_2027_sunday_observed_monday() {
        assert_eq!(
            observed(2027),
            vec![
                date!(2027 - 01 - 01),
                date!(2027 - 01 - 18),
                date!(2027 - 02 - 15),
                date!(2027 - 05 - 31),
                date!(2027 - 07 - 05),
                date!(2027 - 09 - 06),
                date!(2027 - 10 - 11),
                date!(2027 - 11 - 11),
                date!(2027 - 11 - 25),
            ]
        );
        assert_eq!(bank_holiday_on(date!(2027 - 07 - 05)).map(|h| h.name), Some("Independence Day"));
        assert!(is_business_day(date!(2027 - 06 - 18)));
        assert!(is_business_day(date!(2027 - 12 - 24)));
        assert!(is_business_day(date!(2027 - 12 - 31)), "Saturday New Year 2028 is not observed on Friday");
        assert_eq!(bank_holidays(2027).len(), 11, "all eleven holidays listed, observed or not");
    }

    #[test]
    fn fed_holidays_2028() {
        assert_eq!(
            observed(2028),
            vec![
                date!(2028 - 01 - 17),
                date!(2028 - 02 - 21),
                date!(2028 - 05 - 29),
                date!(2028 - 06 - 19),
                date!(2028 - 07 - 04),
                date!(2028 - 09 - 04),
                date!(2028 - 10 - 09),
                date!(2028 - 11 - 23),
                date!(2028 - 12 - 25),
            ]
        );
    }

    #[test]
    fn juneteenth_only_from_2022() {
        assert!(bank_holidays(2021).iter().all(|h| !h.name.starts_with("Juneteenth")));
        assert_eq!(bank_holidays(2021).len(), 10);
        assert_eq!(
            bank_holiday_on(date!(2022 - 06 - 20)).map(|h| h.name),
            Some("Juneteenth National Independence Day")
        );
    }

    #[test]
    fn holiday_rules_hold_every_year() {
        for year in 1990..2200 {
            let list = bank_holidays(year);
            assert_eq!(list.len(), if year >= 2022 { 11 } else { 10 });
            for h in &list {
                assert_eq!(h.date.year(), year);
                match h.observed {
                    Some(d) => {
                        assert!(!matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday), "{h:?}");
                        assert!(
                            d == h.date || (h.date.weekday() == Weekday::Sunday && d == h.date.next_day().unwrap())
                        );
                        assert!(!is_business_day(d));
                    }
                    None => assert_eq!(h.date.weekday(), Weekday::Saturday),
                }
            }
            let thanksgiving = list.iter().find(|h| h.name == "Thanksgiving Day").unwrap().date;
            assert_eq!(thanksgiving.weekday(), Weekday::Thursday);
            assert!((22..=28).contains(&thanksgiving.day()));
            let memorial = list.iter().find(|h| h.name == "Memorial Day").unwrap().date;
            assert_eq!(memorial.weekday(), Weekday::Monday);
            assert!(memorial.day() >= 25);
        }
    }

    #[test]
    fn business_days() {
        assert!(is_business_day(date!(2026 - 03 - 02)), "ordinary Monday");
        assert!(!is_business_day(date!(2026 - 03 - 07)), "Saturday");
        assert!(!is_business_day(date!(2026 - 03 - 08)), "Sunday");
        assert!(!is_business_day(date!(2026 - 11 - 26)), "Thanksgiving");
        assert!(is_business_day(date!(2026 - 11 - 27)), "day after Thanksgiving: Fed is open");
        // Friday before Labor Day → Labor Day Monday → Tuesday.
        assert_eq!(next_business_day_on_or_after(date!(2026 - 09 - 05)), Some(date!(2026 - 09 - 08)));
        assert_eq!(next_business_day_on_or_after(date!(2026 - 09 - 04)), Some(date!(2026 - 09 - 04)));
        // Christmas Friday 2026 → Monday Dec 28.
        assert_eq!(run_date(date!(2026 - 12 - 25)), Some(date!(2026 - 12 - 28)));
        // Sunday Jul 4 2027 → observed Monday Jul 5 → Tuesday Jul 6.
        assert_eq!(run_date(date!(2027 - 07 - 04)), Some(date!(2027 - 07 - 06)));
        // New Year 2028 on Saturday: Monday Jan 3 2028 is a business day.
        assert_eq!(run_date(date!(2028 - 01 - 01)), Some(date!(2028 - 01 - 03)));
        assert_eq!(run_date(date!(2026 - 03 - 04)), Some(date!(2026 - 03 - 04)), "business day unchanged");
        // The end of the calendar: no panic, and never a day before the input.
        let mut day = date!(9999 - 12 - 20);
        loop {
            if let Some(next) = next_business_day_on_or_after(day) {
                assert!(next >= day && is_business_day(next));
            }
            match day.next_day() {
                Some(d) => day = d,
                None => break,
            }
        }
    }

    #[test]
    fn monthly_clamps_to_month_end_without_drift() {
        let start = date!(2027 - 01 - 31);
        assert_eq!(
            occurrences(start, AutoPayFrequency::Monthly, start, 5),
            vec![
                date!(2027 - 01 - 31),
                date!(2027 - 02 - 28),
                date!(2027 - 03 - 31),
                date!(2027 - 04 - 30),
                date!(2027 - 05 - 31)
            ]
        );
        // Leap year.
        let start = date!(2028 - 01 - 31);
        assert_eq!(occurrence(start, AutoPayFrequency::Monthly, 1), Some(date!(2028 - 02 - 29)));
        assert_eq!(occurrence(start, AutoPayFrequency::Monthly, 2), Some(date!(2028 - 03 - 31)));
        assert_eq!(occurrence(start, AutoPayFrequency::Monthly, 13), Some(date!(2029 - 02 - 28)));
        // Feb 29 start keeps the 29th in later months.
        let start = date!(2028 - 02 - 29);
        assert_eq!(occurrence(start, AutoPayFrequency::Monthly, 1), Some(date!(2028 - 03 - 29)));
        assert_eq!(occurrence(start, AutoPayFrequency::Monthly, 12), Some(date!(2029 - 02 - 28)));
    }

    #[test]
    fn semi_monthly_rule() {
        let f = AutoPayFrequency::SemiMonthly;
        assert_eq!(
            occurrences(date!(2026 - 01 - 01), f, date!(2026 - 01 - 01), 4),
            vec![date!(2026 - 01 - 01), date!(2026 - 01 - 16), date!(2026 - 02 - 01), date!(2026 - 02 - 16)]
        );
        assert_eq!(
            occurrences(date!(2026 - 01 - 15), f, date!(2026 - 01 - 15), 5),
            vec![
                date!(2026 - 01 - 15),
                date!(2026 - 01 - 30),
                date!(2026 - 02 - 15),
                date!(2026 - 02 - 28),
                date!(2026 - 03 - 15)
            ]
        );
        assert_eq!(
            occurrences(date!(2028 - 01 - 31), f, date!(2028 - 01 - 31), 4),
            vec![date!(2028 - 01 - 31), date!(2028 - 02 - 16), date!(2028 - 02 - 29), date!(2028 - 03 - 16)]
        );
    }

    #[test]
    fn weekly_and_bi_weekly() {
        let start = date!(2026 - 12 - 18);
        assert_eq!(
            occurrences(start, AutoPayFrequency::BiWeekly, start, 3),
            vec![date!(2026 - 12 - 18), date!(2027 - 01 - 01), date!(2027 - 01 - 15)]
        );
        assert_eq!(
            occurrences(start, AutoPayFrequency::Weekly, date!(2026 - 12 - 19), 3),
            vec![date!(2026 - 12 - 25), date!(2027 - 01 - 01), date!(2027 - 01 - 08)]
        );
        // Feb 29 crossing.
        assert_eq!(occurrence(date!(2028 - 02 - 22), AutoPayFrequency::Weekly, 1), Some(date!(2028 - 02 - 29)));
    }

    #[test]
    fn next_occurrence_examples() {
        let start = date!(2026 - 01 - 31);
        let m = AutoPayFrequency::Monthly;
        assert_eq!(next_occurrence(start, m, date!(2025 - 06 - 01)), Some(start), "before start");
        assert_eq!(next_occurrence(start, m, start), Some(start));
        assert_eq!(next_occurrence(start, m, date!(2026 - 02 - 01)), Some(date!(2026 - 02 - 28)));
        assert_eq!(next_occurrence(start, m, date!(2026 - 03 - 01)), Some(date!(2026 - 03 - 31)));
        assert_eq!(next_occurrence(start, m, date!(2031 - 03 - 31)), Some(date!(2031 - 03 - 31)));
        assert_eq!(next_occurrence(start, m, date!(2031 - 04 - 01)), Some(date!(2031 - 04 - 30)));
        let b = AutoPayFrequency::BiWeekly;
        assert_eq!(next_occurrence(date!(2026 - 01 - 02), b, date!(2026 - 01 - 17)), Some(date!(2026 - 01 - 30)));
        assert_eq!(next_occurrence(date!(2026 - 01 - 02), b, date!(2026 - 01 - 16)), Some(date!(2026 - 01 - 16)));
        assert_eq!(next_occurrence(date!(9999 - 12 - 01), m, date!(9999 - 12 - 02)), None);
        assert!(occurrences(date!(9999 - 12 - 01), b, date!(9999 - 12 - 01), 5).len() == 3);
    }

    #[test]
    fn next_occurrence_matches_brute_force() {
        let starts = [date!(2024 - 01 - 31), date!(2024 - 02 - 29), date!(2025 - 03 - 15), date!(2025 - 07 - 16)];
        let freqs = [
            AutoPayFrequency::Monthly,
            AutoPayFrequency::SemiMonthly,
            AutoPayFrequency::BiWeekly,
            AutoPayFrequency::Weekly,
        ];
        for start in starts {
            for f in freqs {
                let all: Vec<Date> = (0..400).map(|n| occurrence(start, f, n).unwrap()).collect();
                assert!(all.windows(2).all(|w| w[0] < w[1]), "{start} {f:?} strictly increasing");
                let mut day = start.previous_day().unwrap();
                while day < date!(2029 - 01 - 01) {
                    let expect = *all.iter().find(|d| **d >= day).unwrap();
                    assert_eq!(next_occurrence(start, f, day), Some(expect), "{start} {f:?} {day}");
                    day = day.next_day().unwrap();
                }
            }
        }
    }

    #[test]
    fn payment_date_validation() {
        let today = date!(2026 - 03 - 10);
        assert_eq!(validate_payment_date(today, today, 60), Ok(today));
        assert_eq!(validate_payment_date(date!(2026 - 05 - 09), today, 60), Ok(date!(2026 - 05 - 09)));
        assert_eq!(validate_payment_date(date!(2026 - 05 - 10), today, 60), Err(DateError::TooFar { max_days: 60 }));
        assert_eq!(validate_payment_date(date!(2026 - 03 - 09), today, 60), Err(DateError::Past));
        assert_eq!(validate_payment_date(date!(2026 - 03 - 14), today, 60), Ok(date!(2026 - 03 - 14)), "Saturday ok");
        assert_eq!(validate_payment_date(date!(2026 - 03 - 11), today, 0), Err(DateError::TooFar { max_days: 0 }));
        assert_eq!(DateError::Past.to_string(), "The date can't be in the past");
        assert_eq!(DateError::TooFar { max_days: 60 }.to_string(), "Choose a date within 60 days");
        assert_eq!(DateError::TooFar { max_days: 1 }.to_string(), "Choose a date within 1 day");
    }
}
