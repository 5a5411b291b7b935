//! Pure types and rules of Portico: no I/O, no clocks, no randomness.
//!
//! Everything here is deterministic and unit-tested; the `store` and `app`
//! layers call into it.

pub mod authz;
pub mod codes;
pub mod email_template;
pub mod loan;
pub mod password;
pub mod payment;
pub mod section;
pub mod settlement;
pub mod student_loan;
pub mod throttle;
pub mod username;
pub mod validate;

pub use section::Section;
