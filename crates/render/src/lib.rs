//! Pure rendering for Portico: inline SVG charts for the portal pages and PDF documents
//! (monthly statements, payoff letters).
//!
//! Everything here is a pure function of its input: no I/O, no clock, no randomness, and no
//! panics on any input (library code may not `unwrap`).
//!
//! - [`chart`]: SVG strings safe to embed under a strict Content-Security-Policy (no `style`
//!   attributes, no `<style>` elements, no scripts).
//! - [`pdf`]: PDF 1.7 documents on US Letter paper using the standard Helvetica fonts.
//! - [`fmt_money`] and [`fmt_date`]: the formatting both share, exported for the web layer.

pub mod chart;
mod format;
pub mod pdf;

pub use format::{fmt_balance, fmt_date, fmt_money, fmt_plain, fmt_signed};
