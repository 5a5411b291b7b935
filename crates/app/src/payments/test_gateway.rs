//! The built-in test gateway, for demos and tests. It behaves like a card
//! processor's sandbox: a hosted card form of its own, tokens, charges
//! idempotent by key, and outcomes chosen by magic numbers (the same
//! convention as processors' published test numbers):
//!
//! | card number            | outcome                                   |
//! |------------------------|-------------------------------------------|
//! | 4242 4242 4242 4242    | approved (Visa)                           |
//! | 5555 5555 5555 4444    | approved (Mastercard)                     |
//! | 3782 822463 10005      | approved (American Express)               |
//! | 6011 1111 1111 1117    | approved (Discover)                       |
//! | 4000 0000 0000 0002    | declined (`card_declined`)                |
//! | 4000 0000 0000 9995    | declined (`insufficient_funds`)           |
//! | 4000 0000 0000 0259    | approved, then charged back (`chargeback`)|
//! | 4000 0000 0000 0119    | processing error (the service is down)    |
//! | any other valid number | approved                                  |
//!
//! | bank account number | outcome                                  |
//! |---------------------|------------------------------------------|
//! | 000123456789        | approved                                 |
//! | 000111111116        | approved, then returned R02 (closed)     |
//! | 000222222227        | approved, then returned R01 (NSF)        |
//! | 000333333335        | declined (`bank_account_declined`)       |
//! | any other           | approved                                 |
//!
//! It keeps its own tables (`test_gateway_*`), as a processor keeps its
//! own records: only last four digits, brand and expiry — never the card
//! number. Its SQL lives here, not in `store`, because it stands for a
//! service outside Portico.

use async_trait::async_trait;
use portico_store::Db;
use sqlx::Row;

use super::gateway::{
    CardDetails, CardEntry, ChargeOutcome, ChargeRequest, GatewayError, PaymentGateway, ReturnNotice,
};
use crate::crypto::random_token;
use crate::now;

#[derive(Debug, Clone)]
pub struct TestGateway {
    db: Db,
}

/// What the hosted form says about the card typed into it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardFormErrors {
    pub number: Option<&'static str>,
    pub expiry: Option<&'static str>,
    pub cvc: Option<&'static str>,
    pub name: Option<&'static str>,
}

impl CardFormErrors {
    pub fn is_empty(&self) -> bool {
        self.number.is_none() && self.expiry.is_none() && self.cvc.is_none() && self.name.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Approve,
    Decline,
    InsufficientFunds,
    ReturnLater,
    Error,
}

impl Outcome {
    fn key(self) -> &'static str {
        match self {
            Outcome::Approve => "approve",
            Outcome::Decline => "decline",
            Outcome::InsufficientFunds => "insufficient_funds",
            Outcome::ReturnLater => "return_later",
            Outcome::Error => "error",
        }
    }
}

/// Luhn check of a card number (digits only).
pub fn luhn_ok(digits: &str) -> bool {
    if digits.len() < 12 || digits.len() > 19 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The card brand from its number's prefix.
pub fn brand(digits: &str) -> &'static str {
    let p2: u32 = digits.get(..2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let p4: u32 = digits.get(..4).and_then(|s| s.parse().ok()).unwrap_or(0);
    if digits.starts_with('4') {
        "Visa"
    } else if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) {
        "Mastercard"
    } else if p2 == 34 || p2 == 37 {
        "American Express"
    } else if p4 == 6011 || p2 == 65 {
        "Discover"
    } else {
        "Card"
    }
}

fn card_outcome(digits: &str) -> Outcome {
    match digits {
        "4000000000000002" => Outcome::Decline,
        "4000000000009995" => Outcome::InsufficientFunds,
        "4000000000000259" => Outcome::ReturnLater,
        "4000000000000119" => Outcome::Error,
        _ => Outcome::Approve,
    }
}

fn bank_outcome(account: &str) -> (Outcome, Option<&'static str>) {
    match account {
        "000111111116" => (Outcome::ReturnLater, Some("R02")),
        "000222222227" => (Outcome::ReturnLater, Some("R01")),
        "000333333335" => (Outcome::Decline, None),
        _ => (Outcome::Approve, None),
    }
}

fn db_err(e: sqlx::Error) -> GatewayError {
    GatewayError::Unavailable(e.to_string())
}

/// Parse `MM/YY` or `MM/YYYY`.
pub fn parse_expiry(raw: &str) -> Option<(i64, i64)> {
    let cleaned: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let (m, y) = cleaned.split_once('/')?;
    let m: i64 = m.parse().ok()?;
    let y: i64 = y.parse().ok()?;
    let y = match y {
        0..=99 => 2000 + y,
        2000..=2199 => y,
        _ => return None,
    };
    (1..=12).contains(&m).then_some((m, y))
}

/// A card is usable through the last day of its expiry month.
pub fn expired(exp_month: i64, exp_year: i64, today: time::Date) -> bool {
    let (y, m) = (i64::from(today.year()), i64::from(u8::from(today.month())));
    exp_year < y || (exp_year == y && exp_month < m)
}

impl TestGateway {
    pub fn new(db: Db) -> TestGateway {
        TestGateway { db }
    }

    /// The hosted form's session, if it exists and is not expired: its
    /// return address.
    pub async fn session_return_url(&self, session_id: &str) -> Result<Option<String>, GatewayError> {
        let row = sqlx::query(
            "SELECT return_url FROM test_gateway_sessions WHERE id = $1 AND expires_at > $2 AND token IS NULL",
        )
        .bind(session_id)
        .bind(now())
        .fetch_optional(self.db.r())
        .await
        .map_err(db_err)?;
        Ok(row.and_then(|r| r.try_get::<String, _>("return_url").ok()))
    }

    /// The hosted form's submission: check the card, make a token, and
    /// answer with the address to send the customer back to.
    pub async fn submit_card(
        &self,
        session_id: &str,
        number: &str,
        expiry: &str,
        cvc: &str,
        name: &str,
    ) -> Result<Result<String, CardFormErrors>, GatewayError> {
        let Some(return_url) = self.session_return_url(session_id).await? else {
            return Err(GatewayError::Refused("this card form has expired; start again".into()));
        };
        let digits: String = number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let mut e = CardFormErrors::default();
        if digits.is_empty() {
            e.number = Some("Enter the card number.");
        } else if !luhn_ok(&digits) {
            e.number = Some("This card number isn't valid. Check the digits.");
        }
        let exp = parse_expiry(expiry);
        match exp {
            None => e.expiry = Some("Enter the expiry date as MM/YY."),
            Some((m, y)) if expired(m, y, time::OffsetDateTime::now_utc().date()) => {
                e.expiry = Some("This card has expired.")
            }
            _ => {}
        }
        let cvc_len = if brand(&digits) == "American Express" { 4 } else { 3 };
        if cvc.len() != cvc_len || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            e.cvc = Some(if cvc_len == 4 {
                "Enter the 4-digit code on the front of the card."
            } else {
                "Enter the 3-digit code on the back of the card."
            });
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            e.name = Some("Enter the name on the card.");
        }
        if !e.is_empty() {
            return Ok(Err(e));
        }
        let (m, y) = exp.unwrap_or_default();
        let token = format!("tok_test_{}", random_token());
        let outcome = card_outcome(&digits);
        let mut tx = self.db.begin().await.map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        sqlx::query(
            "INSERT INTO test_gateway_tokens (token, kind, brand, last4, exp_month, exp_year, outcome, return_code, \
             created_at) VALUES ($1, 'card', $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&token)
        .bind(brand(&digits))
        .bind(&digits[digits.len() - 4..])
        .bind(m)
        .bind(y)
        .bind(outcome.key())
        .bind(if outcome == Outcome::ReturnLater { Some("chargeback") } else { None })
        .bind(now())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query("UPDATE test_gateway_sessions SET token = $2, holder_name = $3 WHERE id = $1 AND token IS NULL")
            .bind(session_id)
            .bind(&token)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        let sep = if return_url.contains('?') { '&' } else { '?' };
        Ok(Ok(format!("{return_url}{sep}session={session_id}")))
    }

    /// A card token made without the hosted form (demo data only).
    pub async fn demo_card(&self, number: &str, exp_month: i64, exp_year: i64) -> Result<String, GatewayError> {
        let token = format!("tok_test_{}", random_token());
        sqlx::query(
            "INSERT INTO test_gateway_tokens (token, kind, brand, last4, exp_month, exp_year, outcome, created_at) \
             VALUES ($1, 'card', $2, $3, $4, $5, $6, $7)",
        )
        .bind(&token)
        .bind(brand(number))
        .bind(&number[number.len().saturating_sub(4)..])
        .bind(exp_month)
        .bind(exp_year)
        .bind(card_outcome(number).key())
        .bind(now())
        .execute(self.db.w())
        .await
        .map_err(db_err)?;
        Ok(token)
    }

    /// How many charges the gateway holds for a key (tests: "charged once").
    pub async fn charge_count(&self, idempotency_key: &str) -> Result<i64, GatewayError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM test_gateway_charges WHERE idempotency_key = $1")
            .bind(idempotency_key)
            .fetch_one(self.db.r())
            .await
            .map_err(db_err)
    }
}

fn outcome_of(status: &str, gateway_ref: String, code: Option<String>, message: Option<String>) -> ChargeOutcome {
    match status {
        "declined" => ChargeOutcome::Declined { code: code.unwrap_or_default(), message: message.unwrap_or_default() },
        _ => ChargeOutcome::Approved { gateway_ref },
    }
}

#[async_trait]
impl PaymentGateway for TestGateway {
    fn name(&self) -> &'static str {
        "test"
    }

    async fn charge(&self, req: &ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError> {
        if let Some(done) = self.lookup(req.idempotency_key).await? {
            return Ok(done);
        }
        let token = sqlx::query("SELECT outcome FROM test_gateway_tokens WHERE token = $1")
            .bind(req.token)
            .fetch_optional(self.db.r())
            .await
            .map_err(db_err)?;
        let Some(token) = token else {
            return Ok(ChargeOutcome::Declined {
                code: "invalid_token".into(),
                message: "The payment method is not known to the gateway.".into(),
            });
        };
        let outcome: String = token.try_get("outcome").map_err(db_err)?;
        let (status, code, message) = match outcome.as_str() {
            "error" => {
                return Err(GatewayError::Unavailable("processing error (test card 4000 0000 0000 0119)".into()));
            }
            "decline" => ("declined", Some("card_declined"), Some("The payment was declined by the bank.")),
            "insufficient_funds" => {
                ("declined", Some("insufficient_funds"), Some("The payment was declined: insufficient funds."))
            }
            _ => ("approved", None, None),
        };
        // Idempotent by key even under a race: the UNIQUE key keeps one row.
        sqlx::query(
            "INSERT INTO test_gateway_charges (idempotency_key, token, amount_cents, status, code, message, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(req.idempotency_key)
        .bind(req.token)
        .bind(req.amount_cents)
        .bind(status)
        .bind(code)
        .bind(message)
        .bind(now())
        .execute(self.db.w())
        .await
        .map_err(db_err)?;
        self.lookup(req.idempotency_key)
            .await?
            .ok_or_else(|| GatewayError::Unavailable("the charge was not recorded".into()))
    }

    async fn lookup(&self, idempotency_key: &str) -> Result<Option<ChargeOutcome>, GatewayError> {
        let row = sqlx::query("SELECT id, status, code, message FROM test_gateway_charges WHERE idempotency_key = $1")
            .bind(idempotency_key)
            .fetch_optional(self.db.r())
            .await
            .map_err(db_err)?;
        Ok(match row {
            Some(r) => {
                let id: i64 = r.try_get("id").map_err(db_err)?;
                let status: String = r.try_get("status").map_err(db_err)?;
                Some(outcome_of(
                    &status,
                    format!("ch_test_{id}"),
                    r.try_get("code").map_err(db_err)?,
                    r.try_get("message").map_err(db_err)?,
                ))
            }
            None => None,
        })
    }

    async fn refund(&self, gateway_ref: &str, amount_cents: i64, _idempotency_key: &str) -> Result<(), GatewayError> {
        let id: i64 = gateway_ref
            .strip_prefix("ch_test_")
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| GatewayError::Refused("unknown charge".into()))?;
        // Refunds are idempotent: the refunded amount is set, not added.
        let r = sqlx::query(
            "UPDATE test_gateway_charges SET status = 'refunded', refunded_cents = $2 \
             WHERE id = $1 AND status IN ('approved', 'refunded') AND amount_cents >= $2",
        )
        .bind(id)
        .bind(amount_cents)
        .execute(self.db.w())
        .await
        .map_err(db_err)?;
        if r.rows_affected() == 1 { Ok(()) } else { Err(GatewayError::Refused("this charge can't be refunded".into())) }
    }

    async fn returns(&self, gateway_refs: &[String]) -> Result<Vec<ReturnNotice>, GatewayError> {
        let mut out = Vec::new();
        for r in gateway_refs {
            let Some(id) = r.strip_prefix("ch_test_").and_then(|s| s.parse::<i64>().ok()) else { continue };
            let row = sqlx::query(
                "SELECT c.status, t.outcome, t.return_code FROM test_gateway_charges c \
                 JOIN test_gateway_tokens t ON t.token = c.token WHERE c.id = $1",
            )
            .bind(id)
            .fetch_optional(self.db.r())
            .await
            .map_err(db_err)?;
            let Some(row) = row else { continue };
            let outcome: String = row.try_get("outcome").map_err(db_err)?;
            let status: String = row.try_get("status").map_err(db_err)?;
            if outcome != "return_later" || !(status == "approved" || status == "returned") {
                continue;
            }
            let code: String = row.try_get::<Option<String>, _>("return_code").map_err(db_err)?.unwrap_or_default();
            if status == "approved" {
                sqlx::query("UPDATE test_gateway_charges SET status = 'returned', return_code = $2 WHERE id = $1")
                    .bind(id)
                    .bind(&code)
                    .execute(self.db.w())
                    .await
                    .map_err(db_err)?;
            }
            let message = match code.as_str() {
                "chargeback" => "The card holder disputed the payment (chargeback).",
                "R01" => "Insufficient funds (R01).",
                "R02" => "The bank account is closed (R02).",
                _ => "The payment was returned.",
            };
            out.push(ReturnNotice { gateway_ref: r.clone(), code, message: message.into() });
        }
        Ok(out)
    }

    async fn begin_card_entry(
        &self,
        company_id: i64,
        host_base: &str,
        return_url: &str,
    ) -> Result<CardEntry, GatewayError> {
        let id = random_token();
        sqlx::query(
            "INSERT INTO test_gateway_sessions (id, company_id, return_url, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(company_id)
        .bind(return_url)
        .bind(now() + 30 * 60)
        .execute(self.db.w())
        .await
        .map_err(db_err)?;
        Ok(CardEntry { form_url: format!("{host_base}/_gateway/test/card?session={id}"), session_id: id })
    }

    async fn finish_card_entry(&self, session_id: &str) -> Result<Option<CardDetails>, GatewayError> {
        // Single use: the DELETE decides who collects the card.
        let row = sqlx::query(
            "DELETE FROM test_gateway_sessions WHERE id = $1 AND token IS NOT NULL AND expires_at > $2 \
             RETURNING token, holder_name",
        )
        .bind(session_id)
        .bind(now())
        .fetch_optional(self.db.w())
        .await
        .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let token: String = row.try_get("token").map_err(db_err)?;
        let holder: String = row.try_get::<Option<String>, _>("holder_name").map_err(db_err)?.unwrap_or_default();
        let t = sqlx::query("SELECT brand, last4, exp_month, exp_year FROM test_gateway_tokens WHERE token = $1")
            .bind(&token)
            .fetch_one(self.db.r())
            .await
            .map_err(db_err)?;
        Ok(Some(CardDetails {
            token,
            brand: t.try_get("brand").map_err(db_err)?,
            last4: t.try_get("last4").map_err(db_err)?,
            exp_month: t.try_get::<Option<i64>, _>("exp_month").map_err(db_err)?.unwrap_or(0),
            exp_year: t.try_get::<Option<i64>, _>("exp_year").map_err(db_err)?.unwrap_or(0),
            holder_name: holder,
        }))
    }

    async fn tokenize_bank(&self, _routing: &str, account: &str) -> Result<String, GatewayError> {
        let token = format!("btok_test_{}", random_token());
        let (outcome, code) = bank_outcome(account);
        sqlx::query(
            "INSERT INTO test_gateway_tokens (token, kind, last4, outcome, return_code, created_at) \
             VALUES ($1, 'bank', $2, $3, $4, $5)",
        )
        .bind(&token)
        .bind(&account[account.len().saturating_sub(4)..])
        .bind(outcome.key())
        .bind(code)
        .bind(now())
        .execute(self.db.w())
        .await
        .map_err(db_err)?;
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn luhn_and_brands() {
        for n in ["4242424242424242", "5555555555554444", "378282246310005", "6011111111111117", "4000000000000002"] {
            assert!(luhn_ok(n), "{n}");
        }
        assert!(!luhn_ok("4242424242424241"));
        assert!(!luhn_ok("4242"));
        assert!(!luhn_ok("42424242424242x2"));
        assert_eq!(brand("4242424242424242"), "Visa");
        assert_eq!(brand("5555555555554444"), "Mastercard");
        assert_eq!(brand("2223003122003222"), "Mastercard");
        assert_eq!(brand("378282246310005"), "American Express");
        assert_eq!(brand("6011111111111117"), "Discover");
    }

    #[test]
    fn expiry() {
        assert_eq!(parse_expiry("04/29"), Some((4, 2029)));
        assert_eq!(parse_expiry("4 / 2031"), Some((4, 2031)));
        assert_eq!(parse_expiry("13/29"), None);
        assert_eq!(parse_expiry("0429"), None);
        assert!(!expired(11, 2026, date!(2026 - 11 - 30)), "valid through the end of its month");
        assert!(expired(10, 2026, date!(2026 - 11 - 01)));
        assert!(expired(12, 2025, date!(2026 - 01 - 01)));
    }
}
