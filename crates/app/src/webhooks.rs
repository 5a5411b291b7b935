//! Webhooks (issue 13): the company's systems hear when something happens.
//!
//! * An event is written in the same transaction as the change ([`emit`]),
//!   with one delivery per subscribed endpoint, so a change and its event
//!   are never apart.
//! * Deliveries are signed as the Standard Webhooks specification says:
//!   `webhook-id`, `webhook-timestamp` and `webhook-signature:
//!   v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the endpoint's
//!   `whsec_` secret; after a rotation the old secret signs too for a day.
//! * The job runner sends what is due ([`due`], [`claim`], [`record`]): a
//!   2xx is delivered, 410 stops the endpoint, anything else is retried with
//!   exponential backoff and jitter for about three days. An endpoint
//!   failing for three days is disabled and the administrators e-mailed.
//! * Payloads are thin: the event type, ids and a summary; the receiver
//!   fetches the rest through the audited API.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use portico_domain::codes::{Action, DeliveryStatus};
use portico_store::webhooks::{self as st, Attempt, Endpoint, LogRow};
use rand::Rng;
use serde_json::json;
use sha2::Sha256;

use crate::auth::Staff;
use crate::authz::Permission;
use crate::mail::{self, Outgoing};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// The event types a company can subscribe to.
pub const EVENT_TYPES: [(&str, &str); 15] = [
    ("contact.created", "A contact was created"),
    ("contact.updated", "A contact was changed"),
    ("portal_user.enrolled", "A contact was enrolled in the portal"),
    ("portal_user.login", "A customer signed in to the portal"),
    ("payment.succeeded", "A payment went through"),
    ("payment.failed", "A payment failed"),
    ("payment.returned", "A bank payment came back"),
    ("payment.refunded", "A payment was refunded"),
    ("autopay.changed", "AutoPay was set up, switched or deleted"),
    ("document.uploaded", "A customer uploaded a document"),
    ("task.completed", "A task was completed"),
    ("message.created", "A customer wrote a message"),
    ("payoff.requested", "A customer asked for a payoff letter"),
    ("estimate.shared", "A customer shared a student-loan estimate"),
    ("statement_preference.changed", "A customer chose paper or paperless statements"),
];

/// The wait after each failed attempt, in seconds (Standard Webhooks'
/// schedule, stretched to about three days); ±10 % jitter is added.
const RETRY_AFTER: [i64; 10] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 50_400, 72_000, 72_000];

/// An endpoint failing this long (every attempt) is disabled.
pub const DISABLE_AFTER_SECS: i64 = 3 * 86_400;

/// How long the old secret still signs after a rotation.
pub const ROTATION_OVERLAP_SECS: i64 = 86_400;

/// How long a sender holds a delivery.
pub const LEASE_SECS: i64 = 60;

fn new_secret() -> String {
    let mut b = [0u8; 24];
    rand::thread_rng().fill(&mut b);
    format!("whsec_{}", STANDARD.encode(b))
}

/// `v1,<signature>` of one message with one secret (`whsec_<base64 key>`).
pub fn sign(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&key).ok()?;
    m.update(format!("{message_id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(m.finalize().into_bytes())))
}

fn check_types(raw: &[String], e: &mut FieldErrors) -> String {
    if raw.iter().any(|t| t == "*") {
        return "*".into();
    }
    let types: Vec<&str> = EVENT_TYPES.iter().map(|(t, _)| *t).filter(|t| raw.iter().any(|x| x == t)).collect();
    if raw.iter().any(|t| !EVENT_TYPES.iter().any(|(k, _)| k == t)) {
        e.add("event_types", "Unknown event type.");
    } else if types.is_empty() {
        e.add("event_types", "Choose the events to send, or all of them.");
    }
    types.join(",")
}

fn subscribed(e: &Endpoint, event_type: &str) -> bool {
    e.active && (e.event_types == "*" || e.event_types.split(',').any(|t| t == event_type))
}

// ---------------------------------------------------------------- emitting

/// Record an event of `company_id` inside the change's transaction and
/// queue it for every endpoint that wants it. `data` is the thin payload.
pub async fn emit(
    tx: &mut portico_store::Tx,
    company_id: i64,
    event_type: &str,
    data: serde_json::Value,
) -> Result<(), AppError> {
    let endpoints = st::endpoints(&mut **tx, company_id).await?;
    let wanted: Vec<&Endpoint> = endpoints.iter().filter(|e| subscribed(e, event_type)).collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let (event, t) = insert_event(tx, company_id, event_type, data).await?;
    for e in wanted {
        st::insert_delivery(&mut **tx, company_id, event, e.id, t).await?;
    }
    Ok(())
}

/// An event row with a fresh `webhook-id` and the envelope receivers get
/// (`type`, `timestamp`, `data`); answers its id and time.
async fn insert_event(
    tx: &mut portico_store::Tx,
    company_id: i64,
    event_type: &str,
    data: serde_json::Value,
) -> Result<(i64, i64), AppError> {
    let t = now();
    let message_id = format!("msg_{}", crate::crypto::random_token());
    let payload = json!({ "type": event_type, "timestamp": crate::api::rfc3339(t), "data": data }).to_string();
    Ok((st::insert_event(&mut **tx, company_id, &message_id, event_type, &payload, t).await?, t))
}

// ---------------------------------------------------------------- console

/// An endpoint as the console shows it (never its secret, but on request).
#[derive(Debug, Clone)]
pub struct EndpointView {
    pub endpoint: Endpoint,
    pub log: Vec<LogRow>,
}

#[derive(Debug, Clone, Default)]
pub struct EndpointInput {
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
}

fn check_url(raw: &str, e: &mut FieldErrors) -> String {
    let raw = raw.trim();
    match url::Url::parse(raw) {
        Ok(u) if (u.scheme() == "https" || u.scheme() == "http") && u.host_str().is_some() && raw.len() <= 500 => {
            u.to_string()
        }
        _ => {
            e.add("url", "Enter the endpoint's full address, like https://crm.example.com/hooks/portico.");
            String::new()
        }
    }
}

pub async fn endpoints(app: &App, s: &Staff) -> Result<Vec<Endpoint>, AppError> {
    s.require(Permission::ManageApiKeys)?;
    Ok(st::endpoints(app.db.r(), s.company_id).await?)
}

/// One endpoint with its latest deliveries.
pub async fn endpoint(app: &App, s: &Staff, id: i64) -> Result<EndpointView, AppError> {
    s.require(Permission::ManageApiKeys)?;
    let endpoint = st::endpoint(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let log = st::log(app.db.r(), s.company_id, id, 100).await?;
    Ok(EndpointView { endpoint, log })
}

/// The endpoint's signing secret (for the receiver's configuration).
pub async fn reveal_secret(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<String, AppError> {
    s.require(Permission::ManageApiKeys)?;
    let e = st::endpoint(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let secret = app.keys.open(&e.secret_sealed).map_err(|_| AppError::Conflict("The secret can't be read.".into()))?;
    audit::staff(app.db.w(), s, origin, Action::WebhookSecretShow, None, &e.url).await?;
    Ok(secret)
}

pub async fn create(app: &App, s: &Staff, input: &EndpointInput, origin: &Origin) -> Result<(i64, String), AppError> {
    s.require(Permission::ManageApiKeys)?;
    let mut e = FieldErrors::new();
    let url = check_url(&input.url, &mut e);
    let types = check_types(&input.event_types, &mut e);
    let description = portico_domain::validate::line(&input.description, 200).unwrap_or_else(|m| {
        e.add("description", m);
        String::new()
    });
    e.into_result()?;
    let secret = new_secret();
    let mut tx = app.db.begin().await?;
    let id =
        st::insert_endpoint(&mut *tx, s.company_id, &url, &description, &types, &app.keys.seal(&secret), now()).await?;
    audit::staff(&mut *tx, s, origin, Action::WebhookAdd, None, &format!("{url} ({types})")).await?;
    tx.commit().await?;
    Ok((id, secret))
}

pub async fn delete(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageApiKeys)?;
    let e = st::endpoint(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    st::set_active(&mut *tx, s.company_id, id, false, Some("deleted"), now()).await?;
    st::stop_pending(&mut *tx, id, now()).await?;
    audit::staff(&mut *tx, s, origin, Action::WebhookDelete, None, &e.url).await?;
    tx.commit().await?;
    Ok(())
}

/// Turn an endpoint back on (after it was disabled for failing), or off.
pub async fn set_active(app: &App, s: &Staff, id: i64, active: bool, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageApiKeys)?;
    let e = st::endpoint(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    st::set_active(&mut *tx, s.company_id, id, active, (!active).then_some("turned off by staff"), now()).await?;
    if !active {
        st::stop_pending(&mut *tx, id, now()).await?;
    }
    let action = if active { Action::WebhookEnable } else { Action::WebhookDisable };
    audit::staff(&mut *tx, s, origin, action, None, &e.url).await?;
    tx.commit().await?;
    Ok(())
}

/// A new secret; the old one keeps signing for [`ROTATION_OVERLAP_SECS`]
/// (both signatures are sent), so the receiver can switch without a gap.
pub async fn rotate(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<String, AppError> {
    s.require(Permission::ManageApiKeys)?;
    let e = st::endpoint(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let secret = new_secret();
    let mut tx = app.db.begin().await?;
    st::rotate_secret(&mut *tx, s.company_id, id, &app.keys.seal(&secret), now() + ROTATION_OVERLAP_SECS, now())
        .await?;
    audit::staff(&mut *tx, s, origin, Action::WebhookRotate, None, &e.url).await?;
    tx.commit().await?;
    Ok(secret)
}

/// Queue a `webhook.test` event to one endpoint.
pub async fn send_test(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageApiKeys)?;
    let e = st::endpoint(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    if !e.active {
        return Err(AppError::Conflict("Turn the endpoint on first.".into()));
    }
    let mut tx = app.db.begin().await?;
    let (event, t) = insert_event(&mut tx, s.company_id, "webhook.test", json!({ "endpoint_id": id })).await?;
    st::insert_delivery(&mut *tx, s.company_id, event, id, t).await?;
    audit::staff(&mut *tx, s, origin, Action::WebhookTest, None, &e.url).await?;
    tx.commit().await?;
    Ok(())
}

/// Send a delivered or failed event again (same `webhook-id`, so the
/// receiver can tell it is the same event).
pub async fn replay(app: &App, s: &Staff, delivery_id: i64, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ManageApiKeys)?;
    let (event, endpoint) =
        st::delivery_event(app.db.r(), s.company_id, delivery_id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    st::insert_delivery(&mut *tx, s.company_id, event, endpoint, now()).await?;
    audit::staff(&mut *tx, s, origin, Action::WebhookReplay, None, &format!("delivery #{delivery_id}")).await?;
    tx.commit().await?;
    Ok(endpoint)
}

// ---------------------------------------------------------------- sending

/// A delivery to send: where, what, and the headers to sign it with.
#[derive(Debug, Clone)]
pub struct Send {
    pub delivery_id: i64,
    pub url: String,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
    /// The row as claimed (its attempt counted), for [`record`].
    claimed: st::Due,
}

/// Deliveries due now that this caller holds the lease of.
pub async fn due(app: &App, limit: i64) -> Result<Vec<Send>, AppError> {
    let t = now();
    let mut out = Vec::new();
    for mut d in st::due(app.db.r(), t, limit).await? {
        if !st::claim(app.db.w(), d.id, t, LEASE_SECS).await? {
            continue;
        }
        d.attempts += 1;
        let mut sigs = Vec::new();
        let secrets = [
            Some(d.secret_sealed.as_str()),
            d.previous_secret_sealed.as_deref().filter(|_| d.previous_valid_until.is_some_and(|u| u > t)),
        ];
        for sealed in secrets.into_iter().flatten() {
            let Ok(secret) = app.keys.open(sealed) else { continue };
            if let Some(sig) = sign(&secret, &d.message_id, t, &d.payload) {
                sigs.push(sig);
            }
        }
        out.push(Send {
            delivery_id: d.id,
            url: d.url.clone(),
            body: d.payload.clone(),
            headers: vec![
                ("webhook-id", d.message_id.clone()),
                ("webhook-timestamp", t.to_string()),
                ("webhook-signature", sigs.join(" ")),
                ("content-type", "application/json".into()),
            ],
            claimed: d,
        });
    }
    Ok(out)
}

/// What sending gave: the HTTP status, or the error when there was none.
#[derive(Debug, Clone)]
pub enum Outcome {
    Status(u16),
    Error(String),
}

/// Record one attempt: delivered, stopped (410), retried later, or given
/// up; an endpoint failing for [`DISABLE_AFTER_SECS`] is disabled and the
/// company's administrators e-mailed.
pub async fn record(app: &App, sent: &Send, outcome: &Outcome, duration_ms: i64) -> Result<(), AppError> {
    let t = now();
    let d = &sent.claimed;
    let (status, http) = match outcome {
        Outcome::Status(s) => (*s, Some(i64::from(*s))),
        Outcome::Error(_) => (0, None),
    };
    let error = match outcome {
        Outcome::Error(e) => Some(e.chars().take(300).collect::<String>()),
        Outcome::Status(s) if !(200..300).contains(s) => Some(format!("HTTP {s}")),
        Outcome::Status(_) => None,
    };
    let mut tx = app.db.begin().await?;
    let (state, next) = if (200..300).contains(&status) {
        st::set_failing(&mut *tx, d.endpoint_id, None).await?;
        (DeliveryStatus::Delivered, t)
    } else if status == 410 {
        st::set_active(&mut *tx, d.company_id, d.endpoint_id, false, Some("the endpoint answered 410 Gone"), t).await?;
        st::stop_pending(&mut *tx, d.endpoint_id, t).await?;
        (DeliveryStatus::Stopped, t)
    } else {
        st::set_failing(&mut *tx, d.endpoint_id, Some(t)).await?;
        if d.failing_since.is_some_and(|since| t - since >= DISABLE_AFTER_SECS) {
            disable_failing(&mut tx, d, t).await?;
            (DeliveryStatus::Stopped, t)
        } else {
            match RETRY_AFTER.get(usize::try_from(d.attempts - 1).unwrap_or(0)) {
                Some(after) => {
                    let jitter = rand::thread_rng().gen_range(-(after / 10)..=(after / 10).max(1));
                    (DeliveryStatus::Pending, t + after + jitter)
                }
                None => (DeliveryStatus::Failed, t),
            }
        }
    };
    let attempt =
        Attempt { status: state, next_attempt_at: next, http_status: http, error: error.as_deref(), duration_ms };
    st::record(&mut *tx, d.id, &attempt, t).await?;
    tx.commit().await?;
    Ok(())
}

async fn disable_failing(tx: &mut portico_store::Tx, d: &st::Due, t: i64) -> Result<(), AppError> {
    let reason = "every delivery failed for three days";
    st::set_active(&mut **tx, d.company_id, d.endpoint_id, false, Some(reason), t).await?;
    st::stop_pending(&mut **tx, d.endpoint_id, t).await?;
    let sender = crate::tasks::sender_in_tx(tx, d.company_id).await?;
    let text = format!(
        "The webhook endpoint {} was turned off: {reason}.\n\nCheck the receiver, then turn it on again under \
         Portal settings → Webhooks. Events from now on are sent once it is on; replay the failed ones from its \
         delivery log.",
        d.url
    );
    for admin in portico_store::people::active_admins(&mut **tx, d.company_id).await? {
        mail::enqueue(
            &mut **tx,
            &Outgoing {
                company_id: d.company_id,
                kind: "webhook_disabled",
                to: &admin,
                from: sender.from(),
                subject: "A webhook endpoint was turned off",
                text: &text,
            },
        )
        .await?;
    }
    audit::system(&mut **tx, d.company_id, Action::WebhookDisable, None, &format!("{}: {reason}", d.url)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Standard Webhooks specification's own example.
    #[test]
    fn signs_as_the_specification_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(sign("nope", "m", 1, "b"), None);
    }

    /// Every event a company can subscribe to is emitted somewhere, and
    /// nothing is emitted that it can't subscribe to.
    #[test]
    fn every_event_type_is_emitted() {
        let sources = [
            include_str!("contacts.rs"),
            include_str!("api/contacts.rs"),
            include_str!("enroll.rs"),
            include_str!("payments/pay.rs"),
            include_str!("payments/console.rs"),
            include_str!("payments/autopay.rs"),
            include_str!("documents.rs"),
            include_str!("tasks.rs"),
            include_str!("messages.rs"),
            include_str!("payoff.rs"),
            include_str!("student_loans.rs"),
            include_str!("account.rs"),
            include_str!("auth.rs"),
        ]
        .concat();
        for (t, _) in EVENT_TYPES {
            assert!(sources.contains(&format!("\"{t}\", data)")), "{t} is never emitted");
        }
        let emitted = sources.matches("webhooks::emit(").count();
        let listed: usize = EVENT_TYPES.iter().map(|(t, _)| sources.matches(&format!("\"{t}\", data)")).count()).sum();
        assert_eq!(emitted, listed, "an emit of a type not in EVENT_TYPES");
    }

    #[test]
    fn retries_last_about_three_days() {
        let total: i64 = RETRY_AFTER.iter().sum();
        assert!((2 * 86_400..4 * 86_400).contains(&total), "{total}");
    }
}
