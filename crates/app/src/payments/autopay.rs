//! AutoPay (seed 004): a payment made automatically on a schedule — a
//! fixed amount or the amount due; monthly, semi-monthly, bi-weekly or
//! weekly; from a start date; with a saved method. The runner makes one
//! payment per due date (its idempotency key is `autopay:<id>:<date>`),
//! so two runners, or one run twice, never pay a date twice.

use portico_domain::codes::Action;
use portico_domain::codes::{PaymentKind, PaymentStatus};
use portico_domain::payment::schedule::{self, AutoPayFrequency};
use portico_domain::validate;
use portico_store::payments::{self as store, AutoPay, NewAutoPay, NewPayment};

use super::methods::agent_gate;
use super::pay::{self, options};
use crate::accounts::today;
use crate::auth::Customer;
use crate::ledger::parse_amount;
use crate::mail::cents_text;
use crate::servicing::AccountView;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

pub const FREQUENCIES: [(&str, &str); 4] =
    [("monthly", "Monthly"), ("semi_monthly", "Twice a month"), ("bi_weekly", "Every two weeks"), ("weekly", "Weekly")];

const AUTOPAY_REFUSED: &str = "Agents can't change AutoPay for this company.";

pub fn frequency(key: &str) -> Option<AutoPayFrequency> {
    match key {
        "monthly" => Some(AutoPayFrequency::Monthly),
        "semi_monthly" => Some(AutoPayFrequency::SemiMonthly),
        "bi_weekly" => Some(AutoPayFrequency::BiWeekly),
        "weekly" => Some(AutoPayFrequency::Weekly),
        _ => None,
    }
}

pub fn frequency_label(key: &str) -> &'static str {
    FREQUENCIES.iter().find(|(k, _)| *k == key).map(|(_, l)| *l).unwrap_or("")
}

#[derive(Debug, Clone, Default)]
pub struct AutoPayInput {
    /// `fixed` or `due`.
    pub amount_mode: String,
    pub amount: String,
    pub frequency: String,
    pub start_on: String,
    pub method_id: String,
    pub terms_accepted: bool,
}

/// Set up an AutoPay on one of the customer's accounts.
pub async fn create(
    app: &App,
    c: &Customer,
    account_id: i64,
    input: &AutoPayInput,
    origin: &Origin,
) -> Result<i64, AppError> {
    let v = crate::accounts::view(app, c, account_id).await?;
    let settings = store::settings(app.db.r(), c.company_id).await?;
    let what = format!("AutoPay on {}", v.account.number);
    let refused = "Agents can't set up AutoPay for this company.";
    agent_gate(app, c, origin, settings.agent_payments, &what, refused).await?;
    let mut e = FieldErrors::new();
    if v.paid_in_full {
        e.add("account", "This account is paid in full; there is nothing to pay automatically.");
    }
    let amount = match input.amount_mode.as_str() {
        "due" => None,
        "fixed" => match parse_amount(&input.amount) {
            Ok(a) => {
                if let Some(max) = options(&v, crate::accounts::today()).payoff
                    && a > max
                {
                    e.add("amount", format!("That is more than the payoff amount ({}).", cents_text(max)));
                }
                Some(a)
            }
            Err(m) => {
                e.add("amount", m);
                None
            }
        },
        _ => {
            e.add("amount_mode", "Choose the amount due or a fixed amount.");
            None
        }
    };
    if frequency(&input.frequency).is_none() {
        e.add("frequency", "Choose how often to pay.");
    }
    let today = today();
    let start = match validate::date(input.start_on.trim()) {
        Some(d) => match schedule::validate_payment_date(d, today, settings.max_days_ahead.clamp(1, 365) as u32) {
            Ok(d) if d == today => {
                e.add("start_on", "Start tomorrow or later; for today, make a one-time payment.");
                None
            }
            Ok(d) => Some(d),
            Err(err) => {
                e.add("start_on", err.to_string());
                None
            }
        },
        None => {
            e.add("start_on", "Enter a start date like 2026-12-01.");
            None
        }
    };
    let method = match input.method_id.trim().parse::<i64>() {
        Ok(id) => store::method(app.db.r(), c.company_id, c.contact.id, id).await?,
        Err(_) => None,
    };
    match &method {
        None => e.add("method", "Choose a payment method."),
        Some(m) => {
            if let Err(msg) = pay::method_usable(m, &settings, start.unwrap_or(today)) {
                e.add("method", msg);
            }
        }
    }
    if !settings.terms.trim().is_empty() && !input.terms_accepted {
        e.add("terms", "Accept the terms to set up AutoPay.");
    }
    e.into_result()?;
    let (Some(method), Some(start)) = (method, start) else { return Err(AppError::Invalid(FieldErrors::new())) };
    let mut tx = app.db.begin().await?;
    let id = store::insert_autopay(
        &mut *tx,
        c.company_id,
        &NewAutoPay {
            contact_id: c.contact.id,
            account_id,
            method_id: method.id,
            amount_mode: input.amount_mode.clone(),
            amount_cents: amount,
            frequency: input.frequency.clone(),
            start_on: validate::iso_date(start),
            agent_user_id: c.agent.as_ref().map(|a| a.id),
        },
        now(),
    )
    .await?;
    let what = amount.map(cents_text).unwrap_or_else(|| "the amount due".into());
    let detail = format!(
        "{}: {what}, {}, from {}",
        v.account.number,
        frequency_label(&input.frequency),
        validate::iso_date(start)
    );
    audit::portal(&mut *tx, c, origin, Action::AutopayCreate, &detail).await?;
    let data = serde_json::json!({ "autopay_id": id, "contact_id": c.contact.id, "account": v.account.number, "change": "created" });
    crate::webhooks::emit(&mut tx, c.company_id, "autopay.changed", data).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(app: &App, c: &Customer) -> Result<Vec<AutoPay>, AppError> {
    Ok(store::autopays_for_contact(app.db.r(), c.company_id, c.contact.id).await?)
}

/// Switch an AutoPay on or off. Switching on moves its next date to the
/// first date of its schedule from tomorrow (dates missed while off are
/// not paid late).
pub async fn set_active(app: &App, c: &Customer, id: i64, active: bool, origin: &Origin) -> Result<(), AppError> {
    let a = store::autopay(app.db.r(), c.company_id, c.contact.id, id).await?.ok_or(AppError::NotFound)?;
    let settings = store::settings(app.db.r(), c.company_id).await?;
    agent_gate(app, c, origin, settings.agent_payments, &format!("switch AutoPay {id}"), AUTOPAY_REFUSED).await?;
    let next = if active {
        let start = validate::date(&a.start_on).ok_or_else(|| AppError::Conflict("bad start date".into()))?;
        let f = frequency(&a.frequency).ok_or_else(|| AppError::Conflict("bad frequency".into()))?;
        let tomorrow = today().next_day().unwrap_or(today());
        schedule::next_occurrence(start, f, tomorrow.max(start)).map(validate::iso_date)
    } else {
        None
    };
    let mut tx = app.db.begin().await?;
    store::set_autopay_active(&mut *tx, c.company_id, id, active, next.as_deref(), now()).await?;
    audit::portal(&mut *tx, c, origin, if active { Action::AutopayOn } else { Action::AutopayOff }, &id.to_string())
        .await?;
    let change = if active { "on" } else { "off" };
    let data = serde_json::json!({ "autopay_id": id, "contact_id": c.contact.id, "change": change });
    crate::webhooks::emit(&mut tx, c.company_id, "autopay.changed", data).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(app: &App, c: &Customer, id: i64, origin: &Origin) -> Result<(), AppError> {
    store::autopay(app.db.r(), c.company_id, c.contact.id, id).await?.ok_or(AppError::NotFound)?;
    let settings = store::settings(app.db.r(), c.company_id).await?;
    agent_gate(app, c, origin, settings.agent_payments, &format!("delete AutoPay {id}"), AUTOPAY_REFUSED).await?;
    let mut tx = app.db.begin().await?;
    store::delete_autopay(&mut *tx, c.company_id, id).await?;
    audit::portal(&mut *tx, c, origin, Action::AutopayDelete, &id.to_string()).await?;
    let data = serde_json::json!({ "autopay_id": id, "contact_id": c.contact.id, "change": "deleted" });
    crate::webhooks::emit(&mut tx, c.company_id, "autopay.changed", data).await?;
    tx.commit().await?;
    Ok(())
}

/// What an AutoPay pays on `date`: its fixed amount (never above the
/// payoff), or what is due then — past due including the installment due
/// that day, or a line of credit's minimum payment due that day.
pub fn amount_on(a: &AutoPay, v: &AccountView, date: time::Date) -> i64 {
    // Never more than pays the account off on that date.
    let payoff = super::pay::payoff_on(v, date).unwrap_or(0);
    let wanted = match a.amount_mode.as_str() {
        "fixed" => a.amount_cents.unwrap_or(0),
        _ if v.past_due > 0 => v.past_due,
        // What is still due that day after what was paid ahead and what the
        // customer already scheduled for it.
        _ if v.next_due == Some(date) => v.next_unscheduled().unwrap_or(0),
        _ => 0,
    };
    wanted.min(payoff).max(0)
}

/// Make the payments of AutoPays due on or before `today`: one scheduled
/// payment per AutoPay date (then the scheduled-payment runner charges it
/// on a business day). Returns how many payments were made.
pub async fn run_due(app: &App, today: time::Date, limit: i64) -> Result<usize, AppError> {
    let due = store::autopays_due(app.db.r(), &validate::iso_date(today), limit).await?;
    let mut made = 0;
    for a in due {
        match make_payment(app, &a, today).await {
            Ok(true) => made += 1,
            Ok(false) => {}
            Err(e) => tracing::error!(autopay = a.id, error = %e, "AutoPay"),
        }
    }
    Ok(made)
}

async fn make_payment(app: &App, a: &AutoPay, today: time::Date) -> Result<bool, AppError> {
    let (Some(date), Some(f)) = (validate::date(&a.next_on), frequency(&a.frequency)) else { return Ok(false) };
    let start = validate::date(&a.start_on).unwrap_or(date);
    let after = date.next_day().unwrap_or(date);
    let next = schedule::next_occurrence(start, f, after).map(validate::iso_date).unwrap_or_else(|| a.next_on.clone());
    let v = match crate::accounts::view_in(&mut *app.read_conn().await?, a.company_id, a.account_id, date.min(today))
        .await
    {
        Ok(v) => v,
        Err(AppError::NotFound) => return Ok(false),
        Err(e) => return Err(e),
    };
    let amount = amount_on(a, &v, date);
    let mut tx = app.db.begin().await?;
    if !store::advance_autopay(&mut *tx, a.id, &a.next_on, &next, now()).await? {
        // Another runner took this date.
        return Ok(false);
    }
    if v.paid_in_full {
        store::set_autopay_active(&mut *tx, a.company_id, a.id, false, None, now()).await?;
        audit::system(&mut *tx, a.company_id, Action::AutopayOff, Some(a.contact_id), "the account is paid in full")
            .await?;
        tx.commit().await?;
        return Ok(false);
    }
    if amount <= 0 {
        tx.commit().await?;
        return Ok(false);
    }
    let method = store::method_any(&mut *tx, a.company_id, a.method_id).await?.ok_or(AppError::NotFound)?;
    let reference = super::new_reference();
    let inserted = store::insert_payment(
        &mut tx,
        a.company_id,
        &NewPayment {
            contact_id: a.contact_id,
            reference: reference.clone(),
            idempotency_key: format!("autopay:{}:{}", a.id, a.next_on),
            request_digest: format!("autopay:{}", a.id),
            method_id: method.id,
            gateway: method.gateway.clone(),
            amount_cents: amount,
            kind: PaymentKind::Automatic,
            status: PaymentStatus::Scheduled,
            scheduled_on: a.next_on.clone(),
            autopay_id: Some(a.id),
            agent_user_id: a.agent_user_id,
            items: vec![(a.account_id, amount)],
            ..NewPayment::default()
        },
        now(),
    )
    .await?;
    if inserted.is_some() {
        let detail = format!("{reference}: AutoPay {} of {}", a.id, cents_text(amount));
        audit::system(&mut *tx, a.company_id, Action::AutopayPayment, Some(a.contact_id), &detail).await?;
    }
    tx.commit().await?;
    Ok(inserted.is_some())
}
