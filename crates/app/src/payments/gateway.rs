//! The payment gateway boundary. Callers (taking a payment, the job
//! runners, refunds, the card form) only see this trait, so a real card
//! processor fits behind it without changing them.
//!
//! Contract every implementation keeps:
//! - `charge` is idempotent by `idempotency_key`: the same key never moves
//!   money twice and answers with the first outcome;
//! - `lookup` tells the outcome of a key the gateway has seen, or `None` when
//!   it never received it (then charging again with the key is safe);
//! - card numbers never reach Portico: cards are entered in the gateway's
//!   own hosted form and Portico keeps the token, brand, last four, expiry.

use async_trait::async_trait;

/// What the gateway did with a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    /// The money is taken (cards).
    Approved { gateway_ref: String },
    /// Accepted; it settles later and may still be returned (ACH).
    Pending { gateway_ref: String },
    /// Refused for good: not retried. `code` is the gateway's reason.
    Declined { code: String, message: String },
}

/// Trouble reaching or using the gateway. `Unavailable` is a soft failure:
/// nothing was decided and the charge may be retried with the same key.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GatewayError {
    #[error("the payment service is unavailable: {0}")]
    Unavailable(String),
    #[error("the payment service refused the request: {0}")]
    Refused(String),
}

#[derive(Debug, Clone)]
pub struct ChargeRequest<'a> {
    pub idempotency_key: &'a str,
    pub amount_cents: i64,
    /// The gateway's token for the card or bank account.
    pub token: &'a str,
    /// Portico's confirmation number, for the gateway's records.
    pub reference: &'a str,
}

/// A card as the gateway describes it after its hosted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDetails {
    pub token: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
    pub holder_name: String,
}

/// Where to send the customer to enter a card.
#[derive(Debug, Clone)]
pub struct CardEntry {
    pub session_id: String,
    pub form_url: String,
}

/// A return or chargeback the gateway reports for an earlier charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnNotice {
    pub gateway_ref: String,
    pub code: String,
    pub message: String,
}

#[async_trait]
pub trait PaymentGateway: Send + Sync + std::fmt::Debug {
    /// Stored with each payment and method (`test`, `ach`, …).
    fn name(&self) -> &'static str;

    /// Take a payment. Idempotent by `req.idempotency_key`.
    async fn charge(&self, req: &ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError>;

    /// The outcome of an earlier `charge` with this key, if the gateway got it.
    async fn lookup(&self, idempotency_key: &str) -> Result<Option<ChargeOutcome>, GatewayError>;

    /// Give money back on an earlier charge. Idempotent by key.
    async fn refund(&self, gateway_ref: &str, amount_cents: i64, idempotency_key: &str) -> Result<(), GatewayError>;

    /// Returns and chargebacks known for these charges (the gateway's
    /// events feed). Gateways whose returns arrive as bank files (ACH)
    /// answer with nothing here; staff import those files.
    async fn returns(&self, gateway_refs: &[String]) -> Result<Vec<ReturnNotice>, GatewayError>;

    /// Start card entry in the gateway's hosted form; the gateway sends the
    /// customer back to `return_url` with `?session=<id>` when done.
    async fn begin_card_entry(
        &self,
        company_id: i64,
        host_base: &str,
        return_url: &str,
    ) -> Result<CardEntry, GatewayError> {
        let _ = (company_id, host_base, return_url);
        Err(GatewayError::Refused(format!("{} does not take cards", self.name())))
    }

    /// The card entered in a hosted-form session (once), or `None`.
    async fn finish_card_entry(&self, session_id: &str) -> Result<Option<CardDetails>, GatewayError> {
        let _ = session_id;
        Ok(None)
    }

    /// A token for a bank account the customer typed in Portico's form.
    async fn tokenize_bank(&self, routing: &str, account: &str) -> Result<String, GatewayError>;
}
