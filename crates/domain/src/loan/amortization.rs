//! Level-payment amortization: the periodic payment, the schedule, and how
//! many payments an actual balance still needs.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::money::{add, div, mul, non_negative_rate, sub};
use super::{Cents, DayCount, Frequency, LoanError};

/// The most periods a schedule or projection may have (about 274 years of
/// daily payments). Bounds memory and time; more is refused with
/// [`LoanError::PeriodsOutOfRange`].
pub const MAX_PERIODS: u32 = 100_000;

/// The contract of a level-payment (fully amortizing) loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanTerms {
    /// Amount financed, ≥ 0.
    pub principal: Cents,
    /// Nominal annual rate as a fraction (0.0725 = 7.25 %), ≥ 0.
    pub annual_rate: Decimal,
    /// Payment frequency; also gives `periods_per_year`.
    pub frequency: Frequency,
    /// Number of scheduled payments, 1 ..= [`MAX_PERIODS`].
    pub periods: u32,
    /// Due date of payment 1; later due dates come from
    /// [`Frequency::due_date`] with this as the anchor.
    pub first_due: Date,
    /// The contractual payment when it is not the computed level payment
    /// (for example rounded up to the dollar). `None` uses
    /// [`level_payment`].
    pub payment: Option<Cents>,
}

impl LoanTerms {
    /// Terms whose payment is the computed [`level_payment`].
    pub fn new(principal: Cents, annual_rate: Decimal, frequency: Frequency, periods: u32, first_due: Date) -> Self {
        LoanTerms { principal, annual_rate, frequency, periods, first_due, payment: None }
    }

    /// The same terms with a contractual payment amount.
    pub fn with_payment(self, payment: Cents) -> Self {
        LoanTerms { payment: Some(payment), ..self }
    }

    /// The regular payment: the contractual one if set, else the computed
    /// [`level_payment`].
    pub fn regular_payment(&self) -> Result<Cents, LoanError> {
        match self.payment {
            Some(payment) => payment.non_negative("payment"),
            None => level_payment(self.principal, self.annual_rate, self.frequency.periods_per_year(), self.periods),
        }
    }
}

/// One line of an amortization schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    /// Payment number, from 1.
    pub number: u32,
    /// Due date of this payment.
    pub due_date: Date,
    /// Amount due: the regular payment, except on the last row.
    pub payment: Cents,
    /// Interest part of the payment.
    pub interest: Cents,
    /// Principal part of the payment (`payment − interest`).
    pub principal: Cents,
    /// Principal balance after this payment; exactly zero on the last row.
    pub balance: Cents,
}

/// The level (annuity) payment that repays `principal` in `n` equal
/// payments, rounded to cents half up.
///
/// With periodic rate `r = annual_rate / periods_per_year`:
///
/// ```text
///            P · r
/// pmt = ─────────────────        (r > 0)
///        1 − (1 + r)^(−n)
///
/// pmt = P / n                    (r = 0)
/// ```
///
/// computed in 28-digit decimal arithmetic and rounded once. This is
/// numpy-financial's `pmt(r, n, -P)` rounded to cents.
///
/// Because of that rounding the last payment of a [`schedule`] differs from
/// the others: by a few cents on ordinary loans ($25,000 at 7.25 % for 60
/// months: 497.98 then 498.27), but a shortfall of under half a cent grows
/// like `(1 + r)^n`, so on long, high-rate loans the difference is large
/// ($936.44 at 24.04 % for 318 months: 18.79 a month, last payment 141.22),
/// and a tiny long loan's payment can even round to exactly the periodic
/// interest ($56.78 at 35.41 % for 428 months: 1.68 = the interest, so the
/// whole principal is in the last payment). A servicer that wants a last
/// payment no larger than the others sets a contractual payment rounded up
/// ([`LoanTerms::with_payment`]).
///
/// Published check: $200,000 at 6 % for 30 years monthly is r = 0.005,
/// (1.005)^360 = 6.022575212…, pmt = 1000 · 6.022575212 / 5.022575212 =
/// 1,199.1010503… → **$1,199.10**.
///
/// Errors: negative `principal` or `annual_rate`, `periods_per_year = 0`, or
/// `n` outside 1 ..= [`MAX_PERIODS`].
pub fn level_payment(
    principal: Cents,
    annual_rate: Decimal,
    periods_per_year: u32,
    n: u32,
) -> Result<Cents, LoanError> {
    principal.non_negative("principal")?;
    non_negative_rate(annual_rate, "annual rate")?;
    check_periods(n)?;
    if periods_per_year == 0 {
        return Err(LoanError::NotPositive("periods per year"));
    }
    let p = principal.to_decimal();
    let equal_split = || Cents::from_decimal(div(p, Decimal::from(n))?);
    if annual_rate.is_zero() {
        return equal_split();
    }
    let r = div(annual_rate, Decimal::from(periods_per_year))?;
    // v = 1 / (1 + r) < 1, so vⁿ cannot overflow (it may underflow to 0,
    // which is the right limit).
    let v = div(Decimal::ONE, add(Decimal::ONE, r)?)?;
    let annuity_denominator = sub(Decimal::ONE, pow(v, n)?)?;
    if annuity_denominator.is_zero() {
        // A rate so small that (1 + r)^n rounds to 1: no interest to speak of.
        return equal_split();
    }
    Cents::from_decimal(div(mul(p, r)?, annuity_denominator)?)
}

/// The amortization schedule of `terms`, interest computed per period.
///
/// For each period `k = 1 ..= n`, with `B` the balance before it and
/// `pmt = terms.regular_payment()`:
///
/// ```text
/// interest  = round(B · annual_rate / periods_per_year)      (half up, cents)
/// principal = pmt − interest
/// balance   = B − principal
/// ```
///
/// The **last payment** (period `n`) is `B + interest`, so the balance ends at
/// exactly 0.00 and the principal parts add up to the original principal to
/// the cent. If a regular payment would already pay the loan off earlier
/// (`pmt − interest ≥ B`, possible when a contractual payment is larger, or
/// for tiny loans whose rounded payment exceeds the exact one), that payment
/// is reduced to `B + interest` and the schedule ends there: it may have
/// fewer than `n` rows but the balance never goes negative. A payment below
/// the interest is allowed (negative amortization: the balance grows and
/// the last payment absorbs it). A zero principal has an empty schedule.
///
/// Errors: as for [`level_payment`], a negative contractual payment, or a due
/// date outside the calendar.
pub fn schedule(terms: &LoanTerms) -> Result<Vec<ScheduleRow>, LoanError> {
    validate(terms)?;
    let periods_per_year = Decimal::from(terms.frequency.periods_per_year());
    let rate = terms.annual_rate;
    build(terms, |_due, balance| Cents::from_decimal(div(mul(balance.to_decimal(), rate)?, periods_per_year)?))
}

/// The amortization schedule of `terms` with interest accrued on the days
/// between due dates, as servicers of simple-interest loans do.
///
/// Same rules as [`schedule`] (same regular payment, same last-payment
/// adjustment), except that the interest of period `k` is
///
/// ```text
/// interest = round(B · annual_rate · days(D[k−1], D[k]) / basis)
/// ```
///
/// where `D[0] = accrual_start` (the funding date), `D[k]` is the due date
/// of payment `k`, and `days`/`basis` come from `day_count` (30/360 US or
/// Actual/365 Fixed; see [`DayCount`]). With 30/360 and a due day ≤ 28 every
/// period is 30 days and this equals [`schedule`]; with Actual/365 the
/// interest follows the calendar (28 to 31 days a month). An odd first
/// period (funding date not one period before the first due date) is
/// charged its actual length.
///
/// Errors: as for [`schedule`], and [`LoanError::Invalid`] when
/// `accrual_start` is after `first_due`.
pub fn schedule_by_days(
    terms: &LoanTerms,
    accrual_start: Date,
    day_count: DayCount,
) -> Result<Vec<ScheduleRow>, LoanError> {
    validate(terms)?;
    if accrual_start > terms.first_due {
        return Err(LoanError::Invalid("accrual start is after the first due date"));
    }
    let basis = Decimal::from(day_count.basis());
    let rate = terms.annual_rate;
    let mut previous = accrual_start;
    build(terms, |due, balance| {
        let days = Decimal::from(day_count.days(previous, due));
        previous = due;
        Cents::from_decimal(div(mul(mul(balance.to_decimal(), rate)?, days)?, basis)?)
    })
}

/// How many payments of `payment` an actual principal `balance` still needs,
/// the last one possibly smaller; `Some(0)` when the balance is zero.
///
/// Simulates the same rules as [`schedule`] (it equals the length of a
/// schedule with that contractual payment and enough periods): each period adds
/// `round(B · annual_rate / periods_per_year)` and subtracts `payment`, and
/// the count stops at the first period where `B + interest ≤ payment`. This
/// agrees with `ceil(numpy_financial.nper(r, −payment, balance))` except when
/// the exact count is within a few cents' rounding of a whole number.
///
/// Returns `None` when the payment does not exceed the periodic interest on
/// the balance (`payment ≤ interest`), i.e. the loan would never be repaid.
///
/// Note: for a loan exactly on schedule, projecting with the regular payment
/// gives *more* payments than the schedule has left whenever the schedule's
/// last payment is larger than the regular one (see [`level_payment`]): e.g.
/// a new $250,000 6.5 % 30-year loan paying 1,580.17 projects 361 payments,
/// the 361st being 0.38, because the scheduled 360th payment is 1,580.55.
///
/// Errors: negative inputs, `periods_per_year = 0`, or more than
/// [`MAX_PERIODS`] payments needed ([`LoanError::PeriodsOutOfRange`]).
pub fn remaining_payments(
    balance: Cents,
    annual_rate: Decimal,
    periods_per_year: u32,
    payment: Cents,
) -> Result<Option<u32>, LoanError> {
    balance.non_negative("balance")?;
    payment.non_negative("payment")?;
    non_negative_rate(annual_rate, "annual rate")?;
    if periods_per_year == 0 {
        return Err(LoanError::NotPositive("periods per year"));
    }
    let periods_per_year = Decimal::from(periods_per_year);
    let mut balance = balance;
    if balance == Cents::ZERO {
        return Ok(Some(0));
    }
    for count in 1..=MAX_PERIODS {
        let interest = Cents::from_decimal(div(mul(balance.to_decimal(), annual_rate)?, periods_per_year)?)?;
        let owed = balance.checked_add(interest)?;
        if owed <= payment {
            return Ok(Some(count));
        }
        if payment <= interest {
            return Ok(None);
        }
        balance = owed.checked_sub(payment)?;
    }
    Err(LoanError::PeriodsOutOfRange)
}

/// The due date of the last of `remaining` payments when the next one is due
/// on `next_due`: `frequency.due_date(next_due, remaining − 1)`; `None` when
/// nothing remains.
///
/// Monthly clamping follows `next_due`'s day of month (see
/// [`Frequency::due_date`]): for a loan due on the 31st whose next payment is
/// on a clamped date such as Feb 28, step from the original anchor instead.
pub fn projected_payoff_date(next_due: Date, frequency: Frequency, remaining: u32) -> Result<Option<Date>, LoanError> {
    match remaining.checked_sub(1) {
        None => Ok(None),
        Some(steps) => frequency.due_date(next_due, steps).map(Some),
    }
}

fn check_periods(n: u32) -> Result<(), LoanError> {
    if n == 0 || n > MAX_PERIODS { Err(LoanError::PeriodsOutOfRange) } else { Ok(()) }
}

fn validate(terms: &LoanTerms) -> Result<(), LoanError> {
    terms.principal.non_negative("principal")?;
    non_negative_rate(terms.annual_rate, "annual rate")?;
    check_periods(terms.periods)
}

/// Runs the schedule rules with `interest_for(due_date, balance)` giving each
/// period's rounded interest (called once per period, in order).
fn build(
    terms: &LoanTerms,
    mut interest_for: impl FnMut(Date, Cents) -> Result<Cents, LoanError>,
) -> Result<Vec<ScheduleRow>, LoanError> {
    let payment = terms.regular_payment()?;
    let mut rows = Vec::with_capacity(usize::try_from(terms.periods).unwrap_or(0));
    let mut balance = terms.principal;
    for number in 1..=terms.periods {
        if balance <= Cents::ZERO {
            break;
        }
        let due_date = terms.frequency.due_date(terms.first_due, number - 1)?;
        let interest = interest_for(due_date, balance)?;
        let regular_principal = payment.checked_sub(interest)?;
        let (payment, principal) = if number == terms.periods || regular_principal >= balance {
            (balance.checked_add(interest)?, balance)
        } else {
            (payment, regular_principal)
        };
        balance = balance.checked_sub(principal)?;
        rows.push(ScheduleRow { number, due_date, payment, interest, principal, balance });
    }
    Ok(rows)
}

/// `base^exp` by squaring, with checked multiplication.
fn pow(base: Decimal, exp: u32) -> Result<Decimal, LoanError> {
    let mut result = Decimal::ONE;
    let mut square = base;
    let mut exp = exp;
    while exp > 0 {
        if exp & 1 == 1 {
            result = mul(result, square)?;
        }
        exp >>= 1;
        if exp > 0 {
            square = mul(square, square)?;
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn published_level_payments() {
        // $200,000 at 6 % for 30 years: see the doc comment of level_payment.
        assert_eq!(level_payment(Cents(20_000_000), d("0.06"), 12, 360), Ok(Cents(119_910)));
        // $100,000 at 5 % for 15 years: r = 0.05/12, (1+r)^180 = 2.113703…,
        // pmt = 416.6667 · 2.113703 / 1.113703 = 790.7936… → $790.79.
        assert_eq!(level_payment(Cents(10_000_000), d("0.05"), 12, 180), Ok(Cents(79_079)));
        // $1,000 at 12 % for 12 months: r = 0.01, 1.01^12 = 1.126825…,
        // pmt = 10 · 1.126825 / 0.126825 = 88.8488 → $88.85.
        assert_eq!(level_payment(Cents(100_000), d("0.12"), 12, 12), Ok(Cents(8_885)));
    }

    #[test]
    fn zero_rate_splits_evenly_and_rounds_half_up() {
        assert_eq!(level_payment(Cents(120_000), Decimal::ZERO, 12, 12), Ok(Cents(10_000)));
        // 1000.00 / 3 = 333.333… → 333.33; 0.05 / 10 = 0.005 → 0.01.
        assert_eq!(level_payment(Cents(100_000), Decimal::ZERO, 12, 3), Ok(Cents(33_333)));
        assert_eq!(level_payment(Cents(5), Decimal::ZERO, 12, 10), Ok(Cents(1)));
    }

    #[test]
    fn invalid_input_is_an_error() {
        assert_eq!(level_payment(Cents(100), d("0.05"), 12, 0), Err(LoanError::PeriodsOutOfRange));
        assert_eq!(level_payment(Cents(100), d("0.05"), 12, MAX_PERIODS + 1), Err(LoanError::PeriodsOutOfRange));
        assert_eq!(level_payment(Cents(-1), d("0.05"), 12, 12), Err(LoanError::Negative("principal")));
        assert_eq!(level_payment(Cents(100), d("-0.01"), 12, 12), Err(LoanError::Negative("annual rate")));
        assert_eq!(level_payment(Cents(100), d("0.05"), 0, 12), Err(LoanError::NotPositive("periods per year")));
        let terms = LoanTerms::new(Cents(100), d("0.05"), Frequency::Monthly, 0, date!(2026 - 01 - 01));
        assert_eq!(schedule(&terms), Err(LoanError::PeriodsOutOfRange));
        let terms = LoanTerms { periods: 12, ..terms }.with_payment(Cents(-5));
        assert_eq!(schedule(&terms), Err(LoanError::Negative("payment")));
        let terms = LoanTerms::new(Cents(100), d("0.05"), Frequency::Monthly, 12, date!(2026 - 01 - 01));
        assert!(matches!(
            schedule_by_days(&terms, date!(2026 - 02 - 01), DayCount::Actual365),
            Err(LoanError::Invalid(_))
        ));
    }

    #[test]
    fn extreme_input_does_not_panic() {
        let huge = Cents(i64::MAX);
        assert!(level_payment(huge, Decimal::MAX, 1, MAX_PERIODS).is_err());
        let _ = level_payment(huge, d("0.99"), 365, MAX_PERIODS);
        let _ = level_payment(Cents(1), d("0.0000000000000000000000000001"), 12, 360);
        let terms = LoanTerms::new(huge, d("50"), Frequency::Monthly, 1_000, date!(2026 - 01 - 01));
        assert!(schedule(&terms).is_err());
        let terms = LoanTerms::new(Cents(100_000), d("0.05"), Frequency::Monthly, 360, date!(9990 - 01 - 01));
        assert_eq!(schedule(&terms), Err(LoanError::DateOutOfRange));
        assert!(remaining_payments(huge, Decimal::MAX, 1, huge).is_err());
    }

    #[test]
    fn small_schedule_by_hand() {
        // $1,000 at 12 % over 3 months: r = 1 %, pmt = 10.00·1.030301/0.030301
        // = 340.0221… → 340.02.
        //   1: interest 10.00, principal 330.02, balance 669.98
        //   2: interest 6.70 (6.6998), principal 333.32, balance 336.66
        //   3: interest 3.37 (3.3666), last payment 336.66 + 3.37 = 340.03
        let terms = LoanTerms::new(Cents(100_000), d("0.12"), Frequency::Monthly, 3, date!(2026 - 01 - 31));
        let rows = schedule(&terms).unwrap();
        let got: Vec<(Date, i64, i64, i64, i64)> =
            rows.iter().map(|r| (r.due_date, r.payment.0, r.interest.0, r.principal.0, r.balance.0)).collect();
        assert_eq!(
            got,
            [
                (date!(2026 - 01 - 31), 34_002, 1_000, 33_002, 66_998),
                (date!(2026 - 02 - 28), 34_002, 670, 33_332, 33_666),
                (date!(2026 - 03 - 31), 34_003, 337, 33_666, 0),
            ]
        );
    }

    #[test]
    fn by_days_hand_computed() {
        // $1,000 at 12 %, 2 monthly payments from a Jan 1 funding, due Feb 1
        // and Mar 1 (2026). pmt = 10 · 1.0201 / 0.0201 = 507.5124… → 507.51.
        let terms = LoanTerms::new(Cents(100_000), d("0.12"), Frequency::Monthly, 2, date!(2026 - 02 - 01));
        // Actual/365: 31 days → 1000 · 0.12 · 31/365 = 10.1918 → 10.19;
        // principal 497.32, balance 502.68; 28 days → 502.68 · 0.12 · 28/365
        // = 4.6274 → 4.63; last payment 502.68 + 4.63 = 507.31.
        let rows = schedule_by_days(&terms, date!(2026 - 01 - 01), DayCount::Actual365).unwrap();
        assert_eq!(rows[0].interest, Cents(1_019));
        assert_eq!(rows[0].balance, Cents(50_268));
        assert_eq!(rows[1].interest, Cents(463));
        assert_eq!(rows[1].payment, Cents(50_731));
        // 30/360: both periods are 30 days → the same as the periodic schedule.
        let by_days = schedule_by_days(&terms, date!(2026 - 01 - 01), DayCount::Thirty360).unwrap();
        assert_eq!(by_days, schedule(&terms).unwrap());
        // An odd first period of 45 days (Dec 17 → Feb 1) under 30/360:
        // 30·2 + (1 − 17) = 44 days → 1000 · 0.12 · 44/360 = 14.666… → 14.67.
        let rows = schedule_by_days(&terms, date!(2025 - 12 - 17), DayCount::Thirty360).unwrap();
        assert_eq!(rows[0].interest, Cents(1_467));
    }

    #[test]
    fn contractual_payment_can_end_the_schedule_early() {
        // $1,000 at 0 % for 12 months but paying $300: 300, 300, 300, 100.
        let terms = LoanTerms::new(Cents(100_000), Decimal::ZERO, Frequency::Weekly, 12, date!(2026 - 01 - 05))
            .with_payment(Cents(30_000));
        let rows = schedule(&terms).unwrap();
        let payments: Vec<i64> = rows.iter().map(|r| r.payment.0).collect();
        assert_eq!(payments, [30_000, 30_000, 30_000, 10_000]);
        assert_eq!(rows[3].due_date, date!(2026 - 01 - 26));
        assert_eq!(remaining_payments(Cents(100_000), Decimal::ZERO, 52, Cents(30_000)), Ok(Some(4)));
        // A payment below the interest amortizes negatively; the last pays it all.
        let terms = LoanTerms::new(Cents(100_000), d("0.12"), Frequency::Monthly, 2, date!(2026 - 01 - 05))
            .with_payment(Cents(500));
        let rows = schedule(&terms).unwrap();
        assert_eq!(rows[0].balance, Cents(100_500));
        assert_eq!(rows[1].payment, Cents(100_500 + 1_005));
        assert_eq!(schedule(&LoanTerms { principal: Cents::ZERO, ..terms }).unwrap(), []);
    }

    #[test]
    fn rounding_shortfall_compounds_into_the_last_payment() {
        // The examples in level_payment's doc comment (figures also produced by
        // the Python Decimal reference in fixtures/generate_amortization.py).
        let first = date!(2026 - 01 - 05);
        let terms = LoanTerms::new(Cents(93_644), d("0.2404"), Frequency::Monthly, 318, first);
        let rows = schedule(&terms).unwrap();
        assert_eq!((rows.len(), rows[0].payment, rows[317].payment), (318, Cents(1_879), Cents(14_122)));
        // One cent more a month and the last payment is no longer the largest.
        let rounded_up = schedule(&terms.with_payment(Cents(1_880))).unwrap();
        assert!(rounded_up.iter().all(|r| r.payment <= Cents(1_880)));
        let tiny = LoanTerms::new(Cents(5_678), d("0.3541"), Frequency::Monthly, 428, first);
        let rows = schedule(&tiny).unwrap();
        assert!(rows[..427].iter().all(|r| r.payment == Cents(168) && r.interest == Cents(168)));
        assert_eq!((rows[427].principal, rows[427].payment), (Cents(5_678), Cents(5_678 + 168)));
        assert_eq!(remaining_payments(Cents(5_678), d("0.3541"), 12, Cents(168)), Ok(None));
    }

    #[test]
    fn remaining_payments_by_hand() {
        // $1,000 at 12 %: the 3-row schedule above ends with 340.03, one cent
        // more than the rounded-down level payment 340.02, so paying exactly
        // 340.02 needs a 4th payment of 0.01 (numpy's nper is 3.00002…).
        assert_eq!(remaining_payments(Cents(100_000), d("0.12"), 12, Cents(34_002)), Ok(Some(4)));
        assert_eq!(remaining_payments(Cents(100_000), d("0.12"), 12, Cents(34_003)), Ok(Some(3)));
        assert_eq!(remaining_payments(Cents(100_000), d("0.12"), 12, Cents(200_000)), Ok(Some(1)));
        assert_eq!(remaining_payments(Cents::ZERO, d("0.12"), 12, Cents(1)), Ok(Some(0)));
        // Interest is exactly 10.00: paying 10.00 or less never ends.
        assert_eq!(remaining_payments(Cents(100_000), d("0.12"), 12, Cents(1_000)), Ok(None));
        assert_eq!(remaining_payments(Cents(100_000), d("0.12"), 12, Cents(999)), Ok(None));
        // 1 cent a month on $1,000,000 would take 10⁸ payments: refused.
        assert_eq!(
            remaining_payments(Cents(100_000_000), Decimal::ZERO, 12, Cents(1)),
            Err(LoanError::PeriodsOutOfRange)
        );
        assert_eq!(remaining_payments(Cents(-1), d("0.12"), 12, Cents(1)), Err(LoanError::Negative("balance")));
    }

    #[test]
    fn projected_payoff() {
        assert_eq!(projected_payoff_date(date!(2026 - 05 - 31), Frequency::Monthly, 0), Ok(None));
        assert_eq!(
            projected_payoff_date(date!(2026 - 05 - 31), Frequency::Monthly, 1),
            Ok(Some(date!(2026 - 05 - 31)))
        );
        assert_eq!(
            projected_payoff_date(date!(2026 - 05 - 31), Frequency::Monthly, 10),
            Ok(Some(date!(2027 - 02 - 28)))
        );
        assert_eq!(
            projected_payoff_date(date!(2026 - 05 - 01), Frequency::BiWeekly, 3),
            Ok(Some(date!(2026 - 05 - 29)))
        );
    }
}
