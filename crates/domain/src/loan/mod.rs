//! Loan-servicing arithmetic: day counts, due dates, level-payment
//! amortization, payment allocation, payoff quotes, projected payoff,
//! line-of-credit cycle interest and merchant cash advances.
//!
//! Everything here is pure: no I/O, no clock, no randomness. Every function
//! takes the dates and amounts it needs and returns a [`LoanError`] rather
//! than panicking on invalid input (zero periods, negative amounts, negative
//! rates, arithmetic or calendar overflow).
//!
//! # Conventions shared by the whole module
//!
//! * **Money** crosses the boundary as [`Cents`] (integer minor units, the
//!   same `i64` the store keeps). Inside, math is done with
//!   [`rust_decimal::Decimal`] (28 significant digits, exact for cents).
//! * **Rounding** to cents is *round half up*, i.e. half away from zero
//!   ([`rust_decimal::RoundingStrategy::MidpointAwayFromZero`]): 0.005 → 0.01,
//!   −0.005 → −0.01. It is never banker's rounding. Each figure that is
//!   stored or shown is rounded once, where its doc comment says so; sums of
//!   rounded figures are not rounded again.
//! * **Rates** are annual rates as fractions: `0.0725` is 7.25 % a year. The
//!   periodic rate of a schedule is `annual_rate / periods_per_year`.
//! * **Dates** are [`time::Date`]; see [`DayCount`] for how days between two
//!   dates are counted and [`Frequency`] for how due dates are stepped.
//!   30/360 is the US (NASD, ISDA "Bond Basis") rule with **no** special
//!   case for the end of February. No business-day or holiday calendar is
//!   applied anywhere, except that a merchant cash advance's `Daily` debits
//!   fall on Monday–Friday.
//! * **Schedules** put every rounding difference into the last payment,
//!   which can therefore be larger than the regular payment (see
//!   [`level_payment`] for how much on long, high-rate loans).
//!
//! The schedule functions are checked against numpy-financial and an
//! independent Python `decimal` implementation by the fixtures in
//! `crates/domain/fixtures/` (regenerate with `generate_amortization.py`).

mod allocation;
mod amortization;
mod cash_advance;
mod credit_line;
mod day_count;
mod error;
mod frequency;
mod money;
mod payoff;

pub use allocation::{Allocation, AllocationPolicy, AmountsDue, Bucket, allocate};
pub use amortization::{
    LoanTerms, MAX_PERIODS, ScheduleRow, level_payment, projected_payoff_date, remaining_payments, schedule,
    schedule_by_days,
};
pub use cash_advance::{CashAdvance, add_business_days};
pub use credit_line::{BalanceChange, CycleInterest, MinimumPaymentRule, cycle_interest, minimum_payment};
pub use day_count::DayCount;
pub use error::LoanError;
pub use frequency::{Frequency, add_days};
pub use money::{Cents, round_cents};
pub use payoff::{PayoffQuote, payoff};
