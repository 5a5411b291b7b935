//! Bank payments: routing and account numbers ([`aba`]), NACHA (ACH) files
//! ([`nacha`]) and the returns banks send back ([`returns`]), and the dates
//! of scheduled payments and AutoPay ([`schedule`]).
//!
//! Pure like the rest of the crate: no I/O, no clock (callers pass `today`
//! and the file's creation time), no randomness.

pub mod aba;
pub mod nacha;
pub mod returns;
pub mod schedule;
