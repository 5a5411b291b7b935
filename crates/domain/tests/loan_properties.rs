//! Property-style checks over many deterministic pseudo-random loans.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use portico_domain::loan::{
    Cents, DayCount, Frequency, LoanTerms, ScheduleRow, level_payment, remaining_payments, schedule, schedule_by_days,
};
use rust_decimal::Decimal;
use time::macros::date;

/// xorshift64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const FREQUENCIES: [Frequency; 5] =
    [Frequency::Monthly, Frequency::SemiMonthly, Frequency::BiWeekly, Frequency::Weekly, Frequency::Daily];

fn random_terms(rng: &mut Rng) -> LoanTerms {
    let frequency = FREQUENCIES[rng.below(5) as usize];
    let periods = 1 + rng.below(match frequency {
        Frequency::Daily => 730,
        _ => 480,
    }) as u32;
    // Rates 0 to 35.99 % in basis points, a tenth of them exactly 0.
    let rate = if rng.below(10) == 0 { Decimal::ZERO } else { Decimal::new(rng.below(3_600) as i64, 4) };
    // Principal from 0.01 to 2,000,000.00, spread over magnitudes.
    let magnitude = 10u64.pow(1 + rng.below(8) as u32);
    let principal = Cents(1 + rng.below(magnitude) as i64);
    let first_due = date!(2026 - 01 - 01).replace_day(1 + rng.below(28) as u8).unwrap();
    LoanTerms::new(principal, rate, frequency, periods, first_due)
}

fn check_rows(terms: &LoanTerms, rows: &[ScheduleRow], context: &str) {
    let payment = terms.regular_payment().unwrap();
    assert!(!rows.is_empty() && rows.len() <= terms.periods as usize, "{context}");
    let principal_sum: i64 = rows.iter().map(|r| r.principal.0).sum();
    assert_eq!(principal_sum, terms.principal.0, "{context}: principal parts add up to the principal");
    assert_eq!(rows.last().unwrap().balance, Cents::ZERO, "{context}: ends at zero");
    let mut previous_balance = terms.principal;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.number as usize, i + 1, "{context}");
        assert!(row.balance >= Cents::ZERO, "{context}: row {} balance negative", row.number);
        assert!(row.interest >= Cents::ZERO, "{context}");
        assert_eq!(row.payment.0, row.interest.0 + row.principal.0, "{context}");
        assert_eq!(row.balance.0, previous_balance.0 - row.principal.0, "{context}");
        if i + 1 < rows.len() {
            assert_eq!(row.payment, payment, "{context}: only the last payment differs");
        }
        previous_balance = row.balance;
    }
}

#[test]
fn schedules_of_random_loans_balance_to_the_cent() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for case in 0..600 {
        let terms = random_terms(&mut rng);
        let context = format!("case {case}: {terms:?}");
        if terms.principal == Cents::ZERO {
            continue;
        }
        let rows = schedule(&terms).unwrap();
        check_rows(&terms, &rows, &context);
        // Level payments never amortize negatively, so the balance only falls.
        assert!(rows.windows(2).all(|w| w[1].balance <= w[0].balance), "{context}");

        for day_count in [DayCount::Thirty360, DayCount::Actual365] {
            let start = terms.first_due.previous_day().unwrap().replace_day(1).unwrap();
            let by_days = schedule_by_days(&terms, start, day_count).unwrap();
            check_rows(&terms, &by_days, &format!("{context} by days {day_count:?}"));
        }
        // Monthly 30/360 with a due day ≤ 28 and a one-month first period is the periodic schedule.
        if terms.frequency == Frequency::Monthly {
            let start = terms.first_due.replace_month(time::Month::December).unwrap().replace_year(2025).unwrap();
            assert_eq!(schedule_by_days(&terms, start, DayCount::Thirty360).unwrap(), rows, "{context}");
        }
    }
}

#[test]
fn remaining_payments_matches_the_schedule() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut checked = 0;
    for case in 0..600 {
        let terms = random_terms(&mut rng);
        let payment =
            level_payment(terms.principal, terms.annual_rate, terms.frequency.periods_per_year(), terms.periods)
                .unwrap();
        if payment < Cents(100) {
            continue; // tiny payments are dominated by rounding; covered elsewhere
        }
        let rows = schedule(&terms).unwrap();
        let last = rows.last().unwrap();
        let remaining =
            remaining_payments(terms.principal, terms.annual_rate, terms.frequency.periods_per_year(), payment)
                .unwrap();
        // Long, high-rate, small loans can have a level payment that rounds to
        // exactly the periodic interest: the schedule then repays everything
        // in its last payment and a projection at that payment never ends.
        if payment <= rows[0].interest {
            assert_eq!(remaining, None, "case {case}: {terms:?}");
            continue;
        }
        let remaining = remaining.unwrap();
        // Paying the regular payment every period takes exactly the schedule's
        // count when its last payment is not above the regular one; otherwise
        // more (the rounded-down payment's shortfall compounds into the last
        // payment, which can be far above the regular one on long, high-rate loans).
        if last.payment <= payment {
            assert_eq!(remaining as usize, rows.len(), "case {case}: {terms:?}");
        } else {
            assert!(remaining as usize > rows.len(), "case {case}: {terms:?}");
        }
        // And it is exactly the length of a schedule at that payment with room to spare.
        let open_ended = LoanTerms { periods: remaining + 5, ..terms.clone() }.with_payment(payment);
        let at_payment = schedule(&open_ended).unwrap();
        assert_eq!(at_payment.len(), remaining as usize, "case {case}: {terms:?}");
        assert!(at_payment.last().unwrap().payment <= payment, "case {case}: {terms:?}");
        // From any row's balance on, the rest of that schedule.
        let k = rng.below(at_payment.len() as u64) as usize;
        let from_row =
            remaining_payments(at_payment[k].balance, terms.annual_rate, terms.frequency.periods_per_year(), payment)
                .unwrap();
        assert_eq!(from_row, Some(remaining - (k as u32 + 1)), "case {case} row {k}: {terms:?}");
        checked += 1;
    }
    assert!(checked > 250, "enough cases had a payment of a dollar or more: {checked}");
}

/// Every public function returns (Ok or Err) rather than panicking on
/// arbitrary input, including extreme amounts, rates and dates.
#[test]
fn no_panics_on_arbitrary_input() {
    use portico_domain::loan::{
        AllocationPolicy, AmountsDue, BalanceChange, Bucket, CashAdvance, MAX_PERIODS, MinimumPaymentRule, allocate,
        cycle_interest, minimum_payment, payoff, projected_payoff_date,
    };
    use time::Date;

    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let amounts = [i64::MIN, -1, 0, 1, 99, 123_456, 10_000_000_000, i64::MAX / 100, i64::MAX];
    let rates = [
        Decimal::MIN,
        Decimal::NEGATIVE_ONE,
        Decimal::ZERO,
        Decimal::new(1, 28),
        Decimal::new(725, 4),
        Decimal::ONE,
        Decimal::from(10i64.pow(18)),
        Decimal::MAX,
    ];
    let dates = [Date::MIN, date!(2026 - 01 - 31), date!(2024 - 02 - 29), date!(2026 - 12 - 31), Date::MAX];
    let counts = [0, 1, 2, 12, 360, MAX_PERIODS + 1, u32::MAX];
    let mut pick = |n: usize| rng.below(n as u64) as usize;
    for _ in 0..400 {
        let a = Cents(amounts[pick(amounts.len())]);
        let b = Cents(amounts[pick(amounts.len())]);
        let c = Cents(amounts[pick(amounts.len())]);
        let rate = rates[pick(rates.len())];
        let d1 = dates[pick(dates.len())];
        let d2 = dates[pick(dates.len())];
        let n = counts[pick(counts.len())];
        let frequency = FREQUENCIES[pick(5)];
        let day_count = if pick(2) == 0 { DayCount::Thirty360 } else { DayCount::Actual365 };

        let _ = day_count.days(d1, d2);
        let _ = day_count.year_fraction(d1, d2);
        let _ = frequency.due_date(d1, n);
        let _ = level_payment(a, rate, frequency.periods_per_year(), n);
        let _ = level_payment(a, rate, 0, n);
        let terms = LoanTerms::new(a, rate, frequency, n.min(400), d1);
        let _ = schedule(&terms);
        let _ = schedule(&terms.clone().with_payment(b));
        let _ = schedule_by_days(&terms, d2, day_count);
        let _ = remaining_payments(a, rate, frequency.periods_per_year(), b);
        let _ = projected_payoff_date(d1, frequency, n);
        let due = AmountsDue { fees: a, interest: b, principal: c };
        let order = match pick(3) {
            0 => vec![],
            1 => vec![Bucket::Principal, Bucket::Interest],
            _ => vec![Bucket::Fees, Bucket::Interest, Bucket::Principal],
        };
        let policy = AllocationPolicy { order, excess_to_principal: pick(2) == 0 };
        let _ = allocate(a, &due, b, &policy);
        let _ = payoff(a, b, c, rate, day_count, d1, n);
        let changes = [BalanceChange { date: d1, balance: b }, BalanceChange { date: d2, balance: c }];
        let _ = cycle_interest(a, &changes, d1, d2, rate, day_count);
        let _ = cycle_interest(a, &[], d1, d2, rate, day_count);
        let _ = minimum_payment(a, b, c, &MinimumPaymentRule { percent_of_balance: rate, floor: b });
        let advance = CashAdvance { funded: a, factor_rate: rate, remitted_to_date: b, debit_amount: c, frequency };
        let _ = advance.total_payback();
        let _ = advance.remaining();
        let _ = advance.overpaid();
        let _ = advance.percent_paid();
        let _ = advance.debits_remaining();
        let _ = advance.expected_completion(d2);
    }
    // The largest schedule allowed is computed, not refused.
    let terms =
        LoanTerms::new(Cents(100_000_000), Decimal::new(5, 2), Frequency::Daily, MAX_PERIODS, date!(2026 - 01 - 01));
    assert_eq!(schedule(&terms).unwrap().len(), MAX_PERIODS as usize);
}
