//! Money at the boundary ([`Cents`]) and the checked decimal helpers the rest
//! of the module uses so that no operator can panic on overflow.

use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::LoanError;

/// An amount of money in integer minor units (cents), as stored by the
/// application. `Cents(123_456)` is 1,234.56.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    /// Zero.
    pub const ZERO: Cents = Cents(0);

    /// The amount as an exact decimal with two places (`Cents(5)` → `0.05`).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Rounds `amount` to cents half up (half away from zero) and converts it.
    ///
    /// Fails with [`LoanError::Overflow`] when the result does not fit an `i64`
    /// number of cents.
    pub fn from_decimal(amount: Decimal) -> Result<Cents, LoanError> {
        let rounded = round_cents(amount);
        let scaled = rounded.checked_mul(Decimal::ONE_HUNDRED).ok_or(LoanError::Overflow)?;
        scaled.to_i64().map(Cents).ok_or(LoanError::Overflow)
    }

    /// `self + other`, or [`LoanError::Overflow`].
    pub fn checked_add(self, other: Cents) -> Result<Cents, LoanError> {
        self.0.checked_add(other.0).map(Cents).ok_or(LoanError::Overflow)
    }

    /// `self - other`, or [`LoanError::Overflow`].
    pub fn checked_sub(self, other: Cents) -> Result<Cents, LoanError> {
        self.0.checked_sub(other.0).map(Cents).ok_or(LoanError::Overflow)
    }

    /// True when the amount is below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Fails with [`LoanError::Negative`] naming `what` when the amount is
    /// below zero.
    pub(crate) fn non_negative(self, what: &'static str) -> Result<Cents, LoanError> {
        if self.0 < 0 { Err(LoanError::Negative(what)) } else { Ok(self) }
    }
}

impl fmt::Display for Cents {
    /// Plain decimal form with two places and a leading minus when negative:
    /// `-1234.05`. No grouping or currency sign (that is presentation).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_decimal())
    }
}

/// Rounds to two decimal places, half away from zero ("round half up" for
/// positive amounts): `2.345` → `2.35`, `2.3449` → `2.34`, `-2.345` → `-2.35`.
///
/// This is the only rounding rule of the module.
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `a + b` without panicking.
pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, LoanError> {
    a.checked_add(b).ok_or(LoanError::Overflow)
}

/// `a - b` without panicking.
pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, LoanError> {
    a.checked_sub(b).ok_or(LoanError::Overflow)
}

/// `a × b` without panicking.
pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, LoanError> {
    a.checked_mul(b).ok_or(LoanError::Overflow)
}

/// `a ÷ b` without panicking (division by zero is reported as overflow; the
/// callers only divide by values they validated as non-zero).
pub(crate) fn div(a: Decimal, b: Decimal) -> Result<Decimal, LoanError> {
    a.checked_div(b).ok_or(LoanError::Overflow)
}

/// Fails with [`LoanError::Negative`] naming `what` when `rate` is below zero.
pub(crate) fn non_negative_rate(rate: Decimal, what: &'static str) -> Result<Decimal, LoanError> {
    if rate.is_sign_negative() && !rate.is_zero() { Err(LoanError::Negative(what)) } else { Ok(rate) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounds_half_up_not_bankers() {
        assert_eq!(round_cents(d("2.345")), d("2.35"));
        assert_eq!(round_cents(d("2.355")), d("2.36"));
        assert_eq!(round_cents(d("0.005")), d("0.01"));
        assert_eq!(round_cents(d("2.3449999")), d("2.34"));
        assert_eq!(round_cents(d("-2.345")), d("-2.35"));
    }

    #[test]
    fn cents_round_trip() {
        assert_eq!(Cents(123_456).to_decimal(), d("1234.56"));
        assert_eq!(Cents::from_decimal(d("1234.555")), Ok(Cents(123_456)));
        assert_eq!(Cents::from_decimal(d("-0.005")), Ok(Cents(-1)));
        assert_eq!(Cents::from_decimal(Decimal::MAX), Err(LoanError::Overflow));
        assert_eq!(Cents(-105).to_string(), "-1.05");
        assert_eq!(Cents(i64::MAX).checked_add(Cents(1)), Err(LoanError::Overflow));
    }
}
