//! Taking a payment: one account or several (Pay Multiple), now or on a
//! future date, exactly once.
//!
//! 1. `submit` looks the idempotency key up first: a key seen before
//!    answers with that payment (a double click, a back-and-resubmit, an
//!    API retry), or is refused when it came with a different request.
//! 2. The request is validated against the accounts as they are now.
//! 3. The payment row is committed: `scheduled` for a future date, else
//!    `processing` with a lease.
//! 4. `execute` charges the gateway with the key, then `record` stores the
//!    outcome with a conditional status change: only the caller that moves
//!    the payment out of `processing` posts it to the ledger.
//! 5. A crash between 4's charge and its commit leaves the row
//!    `processing`; when the lease runs out the runner (or the customer
//!    resubmitting the same key) asks the gateway for the key's outcome.

use portico_domain::codes::Action;
use portico_domain::codes::{AccountStatus, MethodKind, PaymentKind, PaymentStatus, TxKind, TxStatus};
use portico_domain::validate;
use portico_store::accounts::{self as accounts_store, NewTransaction};
use portico_store::payments::{self as store, Method, NewPayment, Payment, PaymentSettings};
use portico_store::{Tx, companies, people};
use sha2::{Digest, Sha256};
use time::Date;

use super::gateway::{ChargeOutcome, ChargeRequest, GatewayError};
use super::test_gateway::expired;
use crate::accounts::today;
use crate::auth::Customer;
use crate::ledger::{parse_amount, plan_payment, post_payment};
use crate::mail::cents_text;
use crate::notify::{self, Topic};
use crate::servicing::{self, AccountView};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// Seconds a request or runner holds a payment it is charging.
pub const LEASE_SECS: i64 = 120;
/// Attempts for a scheduled or automatic payment when the gateway is down.
pub const MAX_ATTEMPTS: i64 = 4;

/// What the customer asked to pay on one account.
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub account_id: i64,
    /// `next`, `past_due`, `payoff` or `custom`.
    pub choice: String,
    /// The custom amount as typed.
    pub amount: String,
}

#[derive(Debug, Clone, Default)]
pub struct PayRequest {
    pub items: Vec<ItemInput>,
    pub method_id: String,
    /// `YYYY-MM-DD`; empty for today.
    pub date: String,
    pub idempotency_key: String,
    pub terms_accepted: bool,
    /// Pay Multiple: the company's terms must be accepted.
    pub multiple: bool,
}

/// Messages for the form: by field, and by account row (Pay Multiple).
#[derive(Debug, Clone, Default)]
pub struct PayErrors {
    pub fields: FieldErrors,
    pub rows: Vec<(i64, String)>,
}

impl PayErrors {
    pub fn row(&self, account_id: i64) -> Option<&str> {
        self.rows.iter().find(|(id, _)| *id == account_id).map(|(_, m)| m.as_str())
    }
    fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.rows.is_empty()
    }
}

#[derive(Debug)]
pub enum PayError {
    Invalid(PayErrors),
    App(AppError),
}

impl From<AppError> for PayError {
    fn from(e: AppError) -> Self {
        PayError::App(e)
    }
}

impl From<portico_store::StoreError> for PayError {
    fn from(e: portico_store::StoreError) -> Self {
        PayError::App(e.into())
    }
}

/// The amounts a customer can pick for an account paying on `on`.
#[derive(Debug, Clone, Default)]
pub struct AmountOptions {
    /// The next payment still to arrange (after what was paid ahead and
    /// what is already scheduled).
    pub next: Option<i64>,
    pub past_due: Option<i64>,
    /// What pays the account in full on `on` (today's payoff, or the
    /// payoff on a later payment date); also the most one payment may be.
    pub payoff: Option<i64>,
}

/// What pays account `v` off if the payment posts on `on` (≥ today).
pub fn payoff_on(v: &AccountView, on: Date) -> Option<i64> {
    let days = u32::try_from((on - today()).whole_days().max(0)).unwrap_or(0);
    servicing::payoff_quote(v, today(), days).map(|q| q.total.0).filter(|t| *t > 0)
}

pub fn options(v: &AccountView, on: Date) -> AmountOptions {
    let payoff = payoff_on(v, on);
    AmountOptions {
        next: v.next_unscheduled().filter(|a| *a > 0).map(|a| payoff.map_or(a, |p| a.min(p))),
        past_due: (v.past_due > 0).then_some(v.past_due),
        payoff,
    }
}

#[derive(Debug, Clone)]
pub struct PlanLine {
    pub view: AccountView,
    pub amount: i64,
    pub choice: String,
}

/// A validated request.
#[derive(Debug, Clone)]
pub struct Plan {
    pub lines: Vec<PlanLine>,
    pub method: Method,
    pub date: Date,
    pub scheduled: bool,
    pub total: i64,
    /// Things the customer should know before paying: a payment already
    /// scheduled or an AutoPay on the same account in the same cycle.
    pub warnings: Vec<String>,
}

/// A digest of the request as sent, to tell a retry from a different
/// request that reuses a key.
pub fn digest(req: &PayRequest) -> String {
    let mut items: Vec<String> = req
        .items
        .iter()
        .map(|i| format!("{}:{}:{}", i.account_id, i.choice, if i.choice == "custom" { i.amount.trim() } else { "" }))
        .collect();
    items.sort();
    let s = format!("{}|{}|{}", req.method_id.trim(), req.date.trim(), items.join(","));
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn key_ok(key: &str) -> bool {
    (8..=120).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b':')
}

/// A fresh idempotency key for a payment form.
pub fn new_key() -> String {
    crate::crypto::random_token()
}

/// Check a payment method can pay now.
pub fn method_usable(m: &Method, s: &PaymentSettings, on: Date) -> Result<(), &'static str> {
    if m.kind == MethodKind::Card && !s.accept_cards {
        return Err("This company no longer takes cards. Choose a bank account.");
    }
    if m.kind == MethodKind::Bank && !s.accept_bank {
        return Err("This company no longer takes bank accounts. Choose a card.");
    }
    if m.kind == MethodKind::Card
        && let (Some(mm), Some(yy)) = (m.exp_month, m.exp_year)
        && expired(mm, yy, on)
    {
        return Err("This card has expired. Choose another method or add a new card.");
    }
    Ok(())
}

/// Who pays: a customer in the portal (or an Agent for them), or the
/// company's own system through the API on a customer's behalf.
#[derive(Debug, Clone, Copy)]
pub enum Payer<'a> {
    Portal(&'a Customer),
    Api { company_id: i64, contact_id: i64, key_id: i64, key_name: &'a str },
}

impl Payer<'_> {
    pub fn company_id(&self) -> i64 {
        match self {
            Payer::Portal(c) => c.company_id,
            Payer::Api { company_id, .. } => *company_id,
        }
    }

    pub fn contact_id(&self) -> i64 {
        match self {
            Payer::Portal(c) => c.contact.id,
            Payer::Api { contact_id, .. } => *contact_id,
        }
    }

    fn agent_id(&self) -> Option<i64> {
        match self {
            Payer::Portal(c) => c.agent.as_ref().map(|a| a.id),
            Payer::Api { .. } => None,
        }
    }

    fn is_agent(&self) -> bool {
        self.agent_id().is_some()
    }

    async fn audit(
        &self,
        ex: &mut sqlx::AnyConnection,
        origin: &Origin,
        action: Action,
        detail: &str,
    ) -> Result<(), AppError> {
        match self {
            Payer::Portal(c) => audit::portal(ex, c, origin, action, detail).await,
            Payer::Api { company_id, contact_id, key_name, .. } => {
                audit::system(ex, *company_id, action, Some(*contact_id), &format!("API key \"{key_name}\": {detail}"))
                    .await
            }
        }
    }
}

/// Validate a request against the accounts as they are now.
pub async fn validate(app: &App, c: &Customer, req: &PayRequest) -> Result<Plan, PayError> {
    validate_as(app, &Payer::Portal(c), req).await
}

pub async fn validate_as(app: &App, who: &Payer<'_>, req: &PayRequest) -> Result<Plan, PayError> {
    let (company_id, contact_id) = (who.company_id(), who.contact_id());
    let settings = store::settings(app.db.r(), company_id).await?;
    if who.is_agent() && !settings.agent_payments {
        return Err(PayError::App(AppError::Forbidden(
            "Agents can't make payments or change payment methods for this company.".into(),
        )));
    }
    let mut e = PayErrors::default();
    let today = today();
    let method = match req.method_id.trim().parse::<i64>() {
        Ok(id) => store::method(app.db.r(), company_id, contact_id, id).await?,
        Err(_) => None,
    };
    if method.is_none() {
        e.fields.add(
            "method",
            if req.method_id.trim().is_empty() {
                "Choose a payment method."
            } else {
                "This payment method is no longer available. Choose another."
            },
        );
    }
    let date = if req.date.trim().is_empty() {
        Some(today)
    } else {
        match validate::date(req.date.trim()) {
            Some(d) if d < today => {
                e.fields.add("date", "The date can't be in the past.");
                None
            }
            Some(d) if (d - today).whole_days() > settings.max_days_ahead => {
                e.fields.add("date", format!("Choose a date within {} days from today.", settings.max_days_ahead));
                None
            }
            Some(d) => Some(d),
            None => {
                e.fields.add("date", "Enter a date like 2026-12-01.");
                None
            }
        }
    };
    if let (Some(m), Some(d)) = (&method, date)
        && let Err(msg) = method_usable(m, &settings, d)
    {
        e.fields.add("method", msg);
    }
    if req.items.is_empty() {
        e.fields.add("accounts", "Choose at least one account to pay.");
    }
    if req.items.len() > 50 {
        e.fields.add("accounts", "Pay at most 50 accounts at once.");
    }
    let pay_on = date.unwrap_or(today);
    let mut lines = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in &req.items {
        if !seen.insert(item.account_id) {
            continue;
        }
        let v = crate::accounts::view_of(app, company_id, contact_id, item.account_id).await?;
        let opts = options(&v, pay_on);
        let Some(payoff) = opts.payoff.filter(|_| !v.paid_in_full) else {
            e.rows.push((v.account.id, format!("{} is paid in full; there is nothing to pay.", v.account.number)));
            continue;
        };
        let amount = match item.choice.as_str() {
            "next" => opts.next.ok_or("No payment is due on this account right now. Choose another amount."),
            "past_due" => opts.past_due.ok_or("Nothing is past due on this account. Choose another amount."),
            "payoff" => Ok(payoff),
            "custom" | "" => parse_amount(&item.amount),
            _ => Err("Choose an amount."),
        };
        match amount {
            Ok(a) if a > payoff => e.rows.push((
                v.account.id,
                format!(
                    "That is more than the payoff amount ({}). Enter {} or less.",
                    cents_text(payoff),
                    cents_text(payoff)
                ),
            )),
            Ok(a) => lines.push(PlanLine { amount: a, choice: item.choice.clone(), view: v }),
            Err(m) => e.rows.push((v.account.id, m.to_string())),
        }
    }
    if req.multiple && !settings.terms.trim().is_empty() && !req.terms_accepted {
        e.fields.add("terms", "Accept the terms to make this payment.");
    }
    if !e.is_empty() {
        return Err(PayError::Invalid(e));
    }
    let (Some(method), Some(date)) = (method, date) else {
        return Err(PayError::Invalid(e));
    };
    let total = lines.iter().map(|l| l.amount).sum();
    let autopays = store::autopays_for_contact(app.db.r(), company_id, contact_id).await?;
    let warnings = lines.iter().flat_map(|l| warnings(l, &autopays, date)).collect();
    Ok(Plan { lines, method, scheduled: date > today, date, total, warnings })
}

/// What is already arranged on a line's account before its next due date
/// (or, with nothing due, within a month of the payment).
fn warnings(l: &PlanLine, autopays: &[store::AutoPay], on: Date) -> Vec<String> {
    let v = &l.view;
    let horizon = v.next_due.unwrap_or(on + time::Duration::days(31)).max(on);
    let number = &v.account.number;
    let mut out: Vec<String> = v
        .upcoming
        .iter()
        .filter(|u| u.on <= horizon)
        .map(|u| {
            format!(
                "{number} already has {} {} for {} ({}). This payment comes on top of it.",
                if u.automatic { "an AutoPay payment of" } else { "a payment of" },
                cents_text(u.amount),
                validate::iso_date(u.on),
                u.reference
            )
        })
        .collect();
    for a in autopays.iter().filter(|a| a.active && a.account_id == v.account.id) {
        if let Some(next) = validate::date(&a.next_on).filter(|d| *d <= horizon) {
            let what = match (a.amount_mode.as_str(), a.amount_cents) {
                ("fixed", Some(c)) => cents_text(c),
                _ => "the amount due".into(),
            };
            out.push(format!(
                "AutoPay will also pay {what} on {number} on {}. Paying now lowers what AutoPay takes only when it pays the amount due.",
                validate::iso_date(next)
            ));
        }
    }
    if l.choice != "payoff" && l.amount >= v.payoff_today() && v.payoff_today() > 0 && on > today() {
        out.push(format!(
            "{number}: on {} the payoff will include interest to that day; choose \"Payoff amount\" to pay the account in full.",
            validate::iso_date(on)
        ));
    }
    out
}

/// Submit a payment. Answers with its confirmation number, including when
/// the same key was submitted before (nothing is charged again).
pub async fn submit(app: &App, c: &Customer, req: &PayRequest, origin: &Origin) -> Result<String, PayError> {
    submit_as(app, &Payer::Portal(c), req, origin).await
}

pub async fn submit_as(app: &App, who: &Payer<'_>, req: &PayRequest, origin: &Origin) -> Result<String, PayError> {
    let (company_id, contact_id) = (who.company_id(), who.contact_id());
    let key = req.idempotency_key.trim();
    if !key_ok(key) {
        return Err(PayError::App(AppError::Conflict(
            "This payment form is out of date. Open the payment page again.".into(),
        )));
    }
    let digest = digest(req);
    if let Some(done) = replay(app, who, key, &digest).await? {
        return Ok(done);
    }
    let settings = store::settings(app.db.r(), company_id).await?;
    if who.is_agent() && !settings.agent_payments {
        let mut conn = app.db.w().acquire().await.map_err(portico_store::StoreError::from)?;
        who.audit(&mut conn, origin, Action::AgentRefused, "make a payment").await?;
    }
    let plan = match validate_as(app, who, req).await {
        Ok(plan) => plan,
        // A submission of the same key that raced this one may have been
        // recorded since the lookup above; its payment now counts as
        // scheduled on the account, which can make this copy look invalid
        // ("nothing due"). The first one's receipt is the answer.
        Err(PayError::Invalid(e)) => match replay(app, who, key, &digest).await? {
            Some(done) => return Ok(done),
            None => return Err(PayError::Invalid(e)),
        },
        Err(e) => return Err(e),
    };
    let gateway = if plan.method.kind == MethodKind::Card { &settings.card_gateway } else { &settings.bank_gateway };
    // A method keeps the gateway it was tokenized with.
    let gateway = if plan.method.gateway.is_empty() { gateway.clone() } else { plan.method.gateway.clone() };
    let reference = super::new_reference();
    let t = now();
    let status = if plan.scheduled { PaymentStatus::Scheduled } else { PaymentStatus::Processing };
    let new = NewPayment {
        contact_id,
        reference: reference.clone(),
        idempotency_key: key.to_string(),
        request_digest: digest.clone(),
        method_id: plan.method.id,
        gateway,
        amount_cents: plan.total,
        kind: if plan.scheduled { PaymentKind::Scheduled } else { PaymentKind::OneTime },
        status,
        scheduled_on: validate::iso_date(plan.date),
        agent_user_id: who.agent_id(),
        claimed_until: (!plan.scheduled).then_some(t + LEASE_SECS),
        items: plan.lines.iter().map(|l| (l.view.account.id, l.amount)).collect(),
        ..NewPayment::default()
    };
    let mut tx = app.db.begin().await?;
    let Some(id) = store::insert_payment(&mut tx, company_id, &new, t).await? else {
        // The same key won a race a moment ago (a double click).
        tx.rollback().await.map_err(portico_store::StoreError::from)?;
        return replay(app, who, key, &digest)
            .await?
            .ok_or_else(|| PayError::App(AppError::Conflict("Please try again.".into())));
    };
    let accounts: Vec<String> = plan.lines.iter().map(|l| l.view.account.number.clone()).collect();
    let method = super::method_label(plan.method.kind, &plan.method.brand, &plan.method.last4);
    let detail = format!(
        "{reference}: {} from {method} for {} on {}",
        cents_text(plan.total),
        accounts.join(", "),
        new.scheduled_on
    );
    who.audit(&mut tx, origin, if plan.scheduled { Action::PaymentSchedule } else { Action::PaymentSubmit }, &detail)
        .await?;
    if plan.scheduled {
        let first_name =
            people::contact(&mut *tx, company_id, contact_id).await?.map(|c| c.first_name).unwrap_or_default();
        let lines: Vec<String> =
            plan.lines.iter().map(|l| format!("- {}: {}", l.view.account.number, cents_text(l.amount))).collect();
        let text = format!(
            "Hello {},\n\nYour payment of {} is scheduled for {}.\n\nConfirmation number: {reference}\nPaying with: {method}\n\n{}\n\nYou can cancel it in the portal, under Payments, until that date.",
            first_name,
            cents_text(plan.total),
            new.scheduled_on,
            lines.join("\n"),
        );
        notify::notify(&mut tx, app, company_id, contact_id, Topic::Payments, "Your payment is scheduled", &text)
            .await?;
    }
    tx.commit().await.map_err(portico_store::StoreError::from)?;
    if !plan.scheduled {
        let p = store::by_id(app.db.r(), company_id, id).await?.ok_or(AppError::NotFound)?;
        execute(app, &p).await?;
    }
    Ok(reference)
}

/// A key seen before: the same request answers with its payment (and
/// finishes it if it was left `processing`); another request is refused.
async fn replay(app: &App, who: &Payer<'_>, key: &str, digest: &str) -> Result<Option<String>, PayError> {
    let Some(p) = store::by_key(app.db.r(), who.company_id(), key).await? else { return Ok(None) };
    if p.contact_id != who.contact_id() {
        return Err(PayError::App(AppError::NotFound));
    }
    if p.request_digest != digest {
        let mut e = PayErrors::default();
        e.fields.add(
            "form",
            format!(
                "This form was already used for payment {}. Nothing new was charged. To make another payment, open the payment page again.",
                p.reference
            ),
        );
        return Err(PayError::Invalid(e));
    }
    if p.status == PaymentStatus::Processing
        && store::claim(app.db.w(), who.company_id(), p.id, now(), LEASE_SECS).await?
    {
        recover(app, &p).await?;
    }
    Ok(Some(p.reference))
}

/// Charge the gateway for a payment this caller holds (`processing`, with
/// a lease) and record the outcome.
pub async fn execute(app: &App, p: &Payment) -> Result<(), AppError> {
    let gw = app.gateways.get(&p.gateway)?;
    let m = store::method_any(app.db.r(), p.company_id, p.method_id).await?.ok_or(AppError::NotFound)?;
    let req = ChargeRequest {
        idempotency_key: &p.idempotency_key,
        amount_cents: p.amount_cents,
        token: &m.token,
        reference: &p.reference,
    };
    match gw.charge(&req).await {
        Ok(outcome) => {
            if app.config.crash_after_charge {
                // Fault injection for the crash test (PORTICO_TEST_CRASH_AFTER_CHARGE):
                // the gateway has the charge, Portico has not recorded it.
                tracing::error!(payment = p.id, "fault injection: stopping between the charge and its commit");
                std::process::abort();
            }
            record(app, p, outcome).await
        }
        Err(GatewayError::Unavailable(msg)) => match gw.lookup(&p.idempotency_key).await {
            Ok(Some(outcome)) => record(app, p, outcome).await,
            Ok(None) => soft_failure(app, p, &msg).await,
            // Unknown: keep the lease; recovery asks again when it ends.
            Err(e) => {
                tracing::warn!(payment = p.id, error = %e, "gateway lookup failed; left for recovery");
                Ok(())
            }
        },
        Err(GatewayError::Refused(msg)) => {
            record(app, p, ChargeOutcome::Declined { code: "refused".into(), message: msg }).await
        }
    }
}

/// Finish a payment left `processing` (lease expired, or the same key came
/// back): ask the gateway what happened to the key; if it never saw it,
/// charge it now with the same key (it can't charge twice).
pub async fn recover(app: &App, p: &Payment) -> Result<(), AppError> {
    let gw = app.gateways.get(&p.gateway)?;
    match gw.lookup(&p.idempotency_key).await {
        Ok(Some(outcome)) => {
            tracing::info!(payment = p.id, "recovered a payment from the gateway's record");
            record(app, p, outcome).await
        }
        Ok(None) => execute(app, p).await,
        Err(e) => {
            tracing::warn!(payment = p.id, error = %e, "gateway lookup failed; left for recovery");
            Ok(())
        }
    }
}

async fn soft_failure(app: &App, p: &Payment, msg: &str) -> Result<(), AppError> {
    if p.kind != PaymentKind::OneTime && p.attempts < MAX_ATTEMPTS {
        let delay = 3600 * p.attempts.max(1);
        store::retry_later(app.db.w(), p.company_id, p.id, msg, now() + delay, now()).await?;
        tracing::warn!(payment = p.id, attempts = p.attempts, "payment service unavailable; will retry");
        return Ok(());
    }
    record(
        app,
        p,
        ChargeOutcome::Declined {
            code: "unavailable".into(),
            message: "The payment service didn't answer, so nothing was charged. Please try again.".into(),
        },
    )
    .await
}

/// Store the gateway's outcome. Only the caller whose conditional update
/// moves the payment out of `processing` posts it and sends the e-mail.
pub async fn record(app: &App, p: &Payment, outcome: ChargeOutcome) -> Result<(), AppError> {
    let (status, gateway_ref, failure) = match &outcome {
        ChargeOutcome::Approved { gateway_ref } => (PaymentStatus::Completed, Some(gateway_ref.as_str()), None),
        ChargeOutcome::Pending { gateway_ref } => (PaymentStatus::Pending, Some(gateway_ref.as_str()), None),
        ChargeOutcome::Declined { code, message } => {
            (PaymentStatus::Failed, None, Some((code.as_str(), message.as_str())))
        }
    };
    let mut tx = app.db.begin().await?;
    if !store::settle(&mut *tx, p.company_id, p.id, status, gateway_ref, failure, now()).await? {
        tx.rollback().await.map_err(portico_store::StoreError::from)?;
        return Ok(());
    }
    let m = store::method_any(&mut *tx, p.company_id, p.method_id).await?;
    let method = m.map(|m| super::method_label(m.kind, &m.brand, &m.last4)).unwrap_or_default();
    let first_name =
        people::contact(&mut *tx, p.company_id, p.contact_id).await?.map(|c| c.first_name).unwrap_or_default();
    if status == PaymentStatus::Failed {
        let (_, message) = failure.unwrap_or(("", ""));
        let text = format!(
            "Hello {first_name},\n\nYour payment of {} (confirmation number {}) with {method} did not go through: {message}\n\nNothing was charged. Please sign in to the portal to pay with another method.",
            cents_text(p.amount_cents),
            p.reference
        );
        notify::notify(
            &mut tx,
            app,
            p.company_id,
            p.contact_id,
            Topic::Payments,
            "Your payment did not go through",
            &text,
        )
        .await?;
        audit::system(
            &mut *tx,
            p.company_id,
            Action::PaymentFailed,
            Some(p.contact_id),
            &format!("{}: {message}", p.reference),
        )
        .await?;
        let data =
            serde_json::json!({ "reference": p.reference, "contact_id": p.contact_id, "amount_cents": p.amount_cents });
        crate::webhooks::emit(&mut tx, p.company_id, "payment.failed", data).await?;
    } else {
        let lines = apply(&mut tx, p).await?;
        let text = format!(
            "Hello {first_name},\n\nThank you for your payment of {}{}.\n\nConfirmation number: {}\nPaid with: {method}\nDate: {}\n\n{}\n\nKeep this e-mail as your receipt.",
            cents_text(p.amount_cents),
            if status == PaymentStatus::Pending { " (it is processing with your bank)" } else { "" },
            p.reference,
            validate::iso_date(today()),
            lines.join("\n"),
        );
        notify::notify(&mut tx, app, p.company_id, p.contact_id, Topic::Payments, "Payment receipt", &text).await?;
        let action = if status == PaymentStatus::Pending { Action::PaymentPending } else { Action::PaymentCompleted };
        audit::system(&mut *tx, p.company_id, action, Some(p.contact_id), &p.reference).await?;
        let data = serde_json::json!({
            "reference": p.reference, "contact_id": p.contact_id, "amount_cents": p.amount_cents, "status": status,
        });
        crate::webhooks::emit(&mut tx, p.company_id, "payment.succeeded", data).await?;
    }
    tx.commit().await.map_err(portico_store::StoreError::from)?;
    Ok(())
}

/// Post each item of a payment to its account through the waterfall.
/// Returns a line per account for the receipt.
async fn apply(tx: &mut Tx, p: &Payment) -> Result<Vec<String>, AppError> {
    let settings = companies::settings(&mut **tx, p.company_id).await?;
    let items = store::items(&mut **tx, p.company_id, &[p.id]).await?;
    let mut lines = Vec::new();
    let posted_on = validate::iso_date(today());
    for item in items {
        if item.transaction_id.is_some() {
            continue;
        }
        let v = crate::accounts::view_in(tx, p.company_id, item.account_id, today()).await?;
        let posting = plan_payment(&v, item.amount_cents, &settings.allocation_order)?;
        let tid = post_payment(
            tx,
            p.company_id,
            &v,
            &posting,
            NewTransaction {
                account_id: item.account_id,
                posted_on: posted_on.clone(),
                status: TxStatus::Posted,
                amount_cents: item.amount_cents,
                description: format!("Online payment {}", p.reference),
                reference: Some(p.reference.clone()),
                staff_user_id: p.staff_user_id,
                ..Default::default()
            },
        )
        .await?;
        let d = posting.deltas;
        store::set_item_posted(&mut **tx, item.id, tid, (-d.principal, -d.interest, -d.fees)).await?;
        lines.push(format!("- {}: {}", item.account_number, cents_text(item.amount_cents)));
    }
    Ok(lines)
}

/// Undo what a payment posted (a return, a reversal, a refund): each
/// ledger entry is marked `reversed` with a reversal entry beside it, and
/// an account it had paid off is active again.
pub async fn unapply(tx: &mut Tx, p: &Payment, why: &str, staff_user_id: Option<i64>) -> Result<(), AppError> {
    let items = store::items(&mut **tx, p.company_id, &[p.id]).await?;
    let posted_on = validate::iso_date(today());
    for item in items {
        let Some(tid) = item.transaction_id else { continue };
        let Some(t) = accounts_store::transaction(&mut **tx, p.company_id, tid).await? else { continue };
        if t.status != TxStatus::Posted {
            continue;
        }
        accounts_store::set_transaction_status(&mut **tx, p.company_id, tid, TxStatus::Reversed).await?;
        accounts_store::insert_transaction(
            &mut **tx,
            p.company_id,
            &NewTransaction {
                account_id: item.account_id,
                posted_on: posted_on.clone(),
                kind: TxKind::Reversal,
                status: TxStatus::Posted,
                amount_cents: t.amount_cents,
                description: format!("{why}: payment {}", p.reference),
                reference: Some(p.reference.clone()),
                reverses_id: Some(tid),
                staff_user_id,
                ..Default::default()
            },
            now(),
        )
        .await?;
        let a = accounts_store::for_company_one(&mut **tx, p.company_id, item.account_id).await?;
        if let Some(a) = a
            && (a.account.status == AccountStatus::PaidOff || a.account.status == AccountStatus::Completed)
        {
            accounts_store::set_status(&mut **tx, p.company_id, item.account_id, AccountStatus::Active).await?;
        }
    }
    Ok(())
}

/// A payment of the customer with its items, by confirmation number.
pub async fn find(app: &App, c: &Customer, reference: &str) -> Result<(Payment, Vec<store::Item>), AppError> {
    let p = store::for_contact(app.db.r(), c.company_id, c.contact.id, reference).await?.ok_or(AppError::NotFound)?;
    let items = store::items(app.db.r(), c.company_id, &[p.id]).await?;
    Ok((p, items))
}

/// Cancel a scheduled payment before its date.
pub async fn cancel(app: &App, c: &Customer, reference: &str, origin: &Origin) -> Result<(), AppError> {
    let p = store::for_contact(app.db.r(), c.company_id, c.contact.id, reference).await?.ok_or(AppError::NotFound)?;
    let settings = store::settings(app.db.r(), c.company_id).await?;
    let refused = "Agents can't change the customer's payments.";
    super::methods::agent_gate(
        app,
        c,
        origin,
        settings.agent_payments,
        &format!("cancel payment {reference}"),
        refused,
    )
    .await?;
    let mut tx = app.db.begin().await?;
    if !store::transition(&mut *tx, c.company_id, p.id, &[PaymentStatus::Scheduled], PaymentStatus::Cancelled, now())
        .await?
    {
        return Err(AppError::Conflict(
            "This payment can't be cancelled any more: it is already being processed or done.".into(),
        ));
    }
    audit::portal(&mut *tx, c, origin, Action::PaymentCancel, &p.reference).await?;
    tx.commit().await.map_err(portico_store::StoreError::from)?;
    Ok(())
}

/// A payment came back (an ACH return, a card chargeback): mark it
/// returned, reverse what it posted, tell the customer. False when it was
/// already returned or not in a state that can be returned.
pub async fn apply_return(
    app: &App,
    p: &Payment,
    code: &str,
    message: &str,
    staff_user_id: Option<i64>,
) -> Result<bool, AppError> {
    let mut tx = app.db.begin().await?;
    if !store::set_return(&mut *tx, p.company_id, p.id, code, message, now()).await? {
        tx.rollback().await.map_err(portico_store::StoreError::from)?;
        return Ok(false);
    }
    unapply(&mut tx, p, &format!("Returned ({code})"), staff_user_id).await?;
    let first_name =
        people::contact(&mut *tx, p.company_id, p.contact_id).await?.map(|c| c.first_name).unwrap_or_default();
    let text = format!(
        "Hello {first_name},\n\nYour payment of {} (confirmation number {}) was returned by your bank or card issuer: {message}\n\nThe payment has been taken off your account balance. Please sign in to the portal to pay again with another method, or contact us.",
        cents_text(p.amount_cents),
        p.reference
    );
    notify::notify(&mut tx, app, p.company_id, p.contact_id, Topic::Payments, "Your payment was returned", &text)
        .await?;
    audit::system(
        &mut *tx,
        p.company_id,
        Action::PaymentReturned,
        Some(p.contact_id),
        &format!("{} {code}", p.reference),
    )
    .await?;
    let data = serde_json::json!({
        "reference": p.reference, "contact_id": p.contact_id, "amount_cents": p.amount_cents, "return_code": code,
    });
    crate::webhooks::emit(&mut tx, p.company_id, "payment.returned", data).await?;
    tx.commit().await.map_err(portico_store::StoreError::from)?;
    Ok(true)
}
