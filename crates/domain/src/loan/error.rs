//! The error type of the loan module.

/// Why a loan computation was refused. No function of this module panics;
/// invalid input and arithmetic that would overflow come back as one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LoanError {
    /// An amount or rate that must not be negative was negative; the payload
    /// names the argument.
    #[error("{0} must not be negative")]
    Negative(&'static str),
    /// An amount, count or rate that must be strictly positive was not.
    #[error("{0} must be positive")]
    NotPositive(&'static str),
    /// A number of periods was 0 or above [`crate::loan::MAX_PERIODS`], or a
    /// projection would need more periods than that.
    #[error("the number of periods must be between 1 and {max}", max = crate::loan::MAX_PERIODS)]
    PeriodsOutOfRange,
    /// Input that is well-typed but inconsistent (for example a date after the
    /// end of the cycle it belongs to); the payload says what.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    /// A result does not fit the numeric types (amounts beyond ±7.9·10²⁸ or
    /// cents beyond `i64`).
    #[error("arithmetic overflow")]
    Overflow,
    /// A date computation went outside the supported calendar (years ±9999).
    #[error("date out of range")]
    DateOutOfRange,
}
