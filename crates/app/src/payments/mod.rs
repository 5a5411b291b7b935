//! Payments (issue 4): payment methods, one-off and scheduled payments,
//! Pay Multiple, AutoPay, the Payments Manager, and the staff side
//! (cancel, reverse, refund, NACHA export, return import).
//!
//! Exactly once (docs/decisions.md §18): every submission carries an
//! idempotency key; the payment row is committed (`processing`, with a
//! lease) before the gateway is called with that key; the outcome is
//! recorded by a conditional status change, so only one caller applies it
//! to the ledger; a payment left `processing` by a crash is recovered by
//! asking the gateway for the key's outcome.

mod ach;
pub mod api;
pub mod autopay;
pub mod console;
pub mod gateway;
pub mod methods;
pub mod pay;
pub mod runner;
pub mod test_gateway;

use std::sync::Arc;

pub use ach::AchGateway;
pub use gateway::PaymentGateway;
use portico_domain::codes::MethodKind;
use portico_store::Db;
pub use test_gateway::TestGateway;

use crate::AppError;

/// The gateways this installation knows, by name.
#[derive(Debug, Clone)]
pub struct Gateways {
    pub test: Arc<TestGateway>,
    pub ach: Arc<AchGateway>,
}

impl Gateways {
    pub fn new(db: Db) -> Gateways {
        Gateways { test: Arc::new(TestGateway::new(db)), ach: Arc::new(AchGateway) }
    }

    pub fn get(&self, name: &str) -> Result<Arc<dyn PaymentGateway>, AppError> {
        match name {
            "test" => Ok(self.test.clone()),
            "ach" => Ok(self.ach.clone()),
            other => Err(AppError::Conflict(format!("the payment gateway \"{other}\" is not configured"))),
        }
    }
}

/// "Visa ending 4242", "Checking ending 6789".
pub fn method_label(kind: MethodKind, brand: &str, last4: &str) -> String {
    if kind == MethodKind::Bank {
        let t = if brand.is_empty() { "Bank account" } else { brand };
        format!("{t} ending {last4}")
    } else {
        format!("{} ending {last4}", if brand.is_empty() { "Card" } else { brand })
    }
}

/// A confirmation number: `P` + 10 characters from an alphabet without
/// look-alikes (0/O, 1/I/L).
pub fn new_reference() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let s: String = (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    format!("P{s}")
}
