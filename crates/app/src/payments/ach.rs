//! ACH through the company's bank: a payment is accepted as `pending`,
//! staff export the day's pending payments as a NACHA file for the bank
//! (`nacha.rs`), and import the bank's returns. Nothing leaves Portico
//! when a payment is taken, so charging again with the same key is always
//! safe and `lookup` has nothing to report.

use async_trait::async_trait;

use super::gateway::{ChargeOutcome, ChargeRequest, GatewayError, PaymentGateway, ReturnNotice};
use crate::crypto::random_token;

#[derive(Debug, Clone, Copy, Default)]
pub struct AchGateway;

#[async_trait]
impl PaymentGateway for AchGateway {
    fn name(&self) -> &'static str {
        "ach"
    }

    async fn charge(&self, req: &ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError> {
        Ok(ChargeOutcome::Pending { gateway_ref: format!("ach:{}", req.reference) })
    }

    async fn lookup(&self, _idempotency_key: &str) -> Result<Option<ChargeOutcome>, GatewayError> {
        Ok(None)
    }

    async fn refund(&self, _gateway_ref: &str, _amount_cents: i64, _key: &str) -> Result<(), GatewayError> {
        Err(GatewayError::Refused(
            "an ACH payment is not refunded through Portico: reverse it here and return the money through the bank"
                .into(),
        ))
    }

    async fn returns(&self, _gateway_refs: &[String]) -> Result<Vec<ReturnNotice>, GatewayError> {
        Ok(Vec::new())
    }

    async fn tokenize_bank(&self, _routing: &str, _account: &str) -> Result<String, GatewayError> {
        // The account number itself is sealed in the payment method row;
        // the token only names it.
        Ok(format!("ach_{}", random_token()))
    }
}
