//! Payments through `/api/v1`: the company's own system (a CRM taking a
//! payment by phone, a loan system) pays a customer's account with one of
//! the customer's saved methods. The client's `Idempotency-Key` makes
//! retries safe: the same key and request answer with the same payment.

use portico_domain::codes::PaymentStatus;
use portico_store::accounts as acct_store;
use portico_store::payments::{self as store, Filter};
pub use portico_store::payments::{Item, Method, Payment};

use super::pay::{ItemInput, PayError, PayErrors, PayRequest, Payer, submit_as};
use crate::api_keys::ApiClient;
use crate::{App, AppError, Origin};

#[derive(Debug, Clone, Default)]
pub struct ApiPaymentInput {
    /// The account number (`LN-100234`).
    pub account: String,
    pub method_id: i64,
    /// `"125.00"`.
    pub amount: String,
    /// `YYYY-MM-DD`; none for today.
    pub date: Option<String>,
}

/// The key as stored: namespaced by API key, so clients can't collide with
/// each other or with the portal's keys.
fn stored_key(client: &ApiClient, key: &str) -> String {
    format!("api:{}:{}", client.key_id, key.trim())
}

/// Answers with the payment and whether this call created it.
pub async fn pay(
    app: &App,
    client: &ApiClient,
    idempotency_key: &str,
    input: &ApiPaymentInput,
    origin: &Origin,
) -> Result<(Payment, Vec<store::Item>, bool), PayError> {
    let key = idempotency_key.trim();
    if key.len() < 8 || key.len() > 64 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        let mut e = PayErrors::default();
        e.fields.add(
            "idempotency_key",
            "Send an Idempotency-Key header of 8 to 64 letters, digits, - or _ (a UUID will do).",
        );
        return Err(PayError::Invalid(e));
    }
    let stored = stored_key(client, key);
    let Some((account_id, contact_id)) =
        acct_store::id_by_number(app.db.r(), client.company_id, input.account.trim()).await?
    else {
        let mut e = PayErrors::default();
        e.fields.add("account", "No account of this company has that number.");
        return Err(PayError::Invalid(e));
    };
    let existed = store::by_key(app.db.r(), client.company_id, &stored).await?.is_some();
    let req = PayRequest {
        items: vec![ItemInput { account_id, choice: "custom".into(), amount: input.amount.clone() }],
        method_id: input.method_id.to_string(),
        date: input.date.clone().unwrap_or_default(),
        idempotency_key: stored.clone(),
        terms_accepted: true,
        multiple: false,
    };
    let who = Payer::Api { company_id: client.company_id, contact_id, key_id: client.key_id, key_name: &client.name };
    let reference = match submit_as(app, &who, &req, origin).await {
        Ok(r) => r,
        Err(PayError::Invalid(mut e)) => {
            // Per-account messages name the amount field in the API.
            for (_, m) in e.rows.drain(..) {
                e.fields.add("amount", m);
            }
            return Err(PayError::Invalid(e));
        }
        Err(other) => return Err(other),
    };
    // A retry that arrives while the first request is still charging waits
    // a moment for its outcome rather than answering "processing".
    let mut found = get(app, client, &reference).await?;
    for _ in 0..25 {
        if found.0.status != PaymentStatus::Processing {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        found = get(app, client, &reference).await?;
    }
    Ok((found.0, found.1, !existed))
}

pub async fn get(app: &App, client: &ApiClient, reference: &str) -> Result<(Payment, Vec<store::Item>), AppError> {
    let p = store::by_reference(app.db.r(), client.company_id, reference).await?.ok_or(AppError::NotFound)?;
    let items = store::items(app.db.r(), client.company_id, &[p.id]).await?;
    Ok((p, items))
}

/// Payments of the company, newest first, optionally of one account.
pub async fn list(
    app: &App,
    client: &ApiClient,
    account: Option<&str>,
    status: Option<&str>,
) -> Result<Vec<(Payment, Vec<store::Item>)>, AppError> {
    let account_id = match account {
        Some(n) => Some(acct_store::id_by_number(app.db.r(), client.company_id, n).await?.ok_or(AppError::NotFound)?.0),
        None => None,
    };
    let listed = store::list(
        app.db.r(),
        client.company_id,
        &Filter { account_id, status: status.and_then(PaymentStatus::from_code), limit: 200, ..Filter::default() },
    )
    .await?;
    let ids: Vec<i64> = listed.iter().map(|l| l.payment.id).collect();
    let items = store::items(app.db.r(), client.company_id, &ids).await?;
    Ok(listed
        .into_iter()
        .map(|l| {
            let mine = items.iter().filter(|i| i.payment_id == l.payment.id).cloned().collect();
            (l.payment, mine)
        })
        .collect())
}

/// The payment methods of the customer an account number belongs to (so a
/// system can choose one); another company's account is `NotFound`.
pub async fn account_methods(app: &App, client: &ApiClient, number: &str) -> Result<Vec<Method>, AppError> {
    let (_, contact_id) =
        acct_store::id_by_number(app.db.r(), client.company_id, number).await?.ok_or(AppError::NotFound)?;
    Ok(store::methods(app.db.r(), client.company_id, contact_id).await?)
}
