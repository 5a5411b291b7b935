//! Payment methods (seed 004): list, add, make default, delete. Cards come
//! from the gateway's hosted form (Portico never sees the number); bank
//! accounts are typed in Portico's form, the routing number checked, the
//! account number sealed (AES-256-GCM) and shown masked everywhere.

use portico_domain::codes::Action;
use portico_domain::codes::{MethodKind, PaymentStatus};
use portico_store::payments::{self as store, Method, NewMethod};

use super::gateway::GatewayError;
use crate::auth::Customer;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

#[derive(Debug, Clone, Default)]
pub struct BankInput {
    pub holder_name: String,
    pub bank_name: String,
    pub routing: String,
    pub account: String,
    pub account_confirm: String,
    /// `checking` or `savings`.
    pub account_type: String,
    pub nickname: String,
    pub make_default: bool,
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

/// The one gate for Agents in payments: an Agent is refused `action`
/// (audited as `agent.refused`, answered with `message`) unless `allowed`
/// — the company's "agent-assisted payments" for paying, adding methods,
/// cancelling and AutoPay; never for deleting or re-ordering methods.
pub async fn agent_gate(
    app: &App,
    c: &Customer,
    origin: &Origin,
    allowed: bool,
    action: &str,
    message: &str,
) -> Result<(), AppError> {
    if c.is_agent() && !allowed {
        audit::portal(app.db.w(), c, origin, Action::AgentRefused, action).await?;
        return Err(AppError::Forbidden(message.into()));
    }
    Ok(())
}

const METHODS_REFUSED: &str = "Agents can't change the customer's payment methods.";

pub async fn list(app: &App, c: &Customer) -> Result<Vec<Method>, AppError> {
    Ok(store::methods(app.db.r(), c.company_id, c.contact.id).await?)
}

pub fn gateway_error(e: GatewayError) -> AppError {
    tracing::warn!(error = %e, "payment gateway");
    AppError::Conflict("The payment service isn't answering right now. Nothing was charged; please try again.".into())
}

pub async fn add_bank(app: &App, c: &Customer, input: &BankInput, origin: &Origin) -> Result<i64, AppError> {
    let settings = store::settings(app.db.r(), c.company_id).await?;
    agent_gate(app, c, origin, settings.agent_payments, "add bank account", METHODS_REFUSED).await?;
    if !settings.accept_bank {
        return Err(AppError::Forbidden("This company doesn't take bank account payments.".into()));
    }
    let mut e = FieldErrors::new();
    let holder = input.holder_name.trim();
    if holder.is_empty() || holder.chars().count() > 100 || holder.chars().any(char::is_control) {
        e.add("holder_name", "Enter the name on the bank account.");
    }
    let bank_name = input.bank_name.trim();
    if bank_name.chars().count() > 100 || bank_name.chars().any(char::is_control) {
        e.add("bank_name", "Enter the bank's name in at most 100 characters.");
    }
    let routing = digits(&input.routing);
    if let Err(m) = portico_domain::payment::aba::validate_routing(&routing) {
        e.add("routing", m.to_string());
    }
    let account = digits(&input.account);
    if let Err(m) = portico_domain::payment::aba::validate_account_number(&account) {
        e.add("account", m.to_string());
    } else if digits(&input.account_confirm) != account {
        e.add("account_confirm", "The account numbers don't match.");
    }
    let account_type = match input.account_type.as_str() {
        "checking" | "savings" => input.account_type.clone(),
        _ => {
            e.add("account_type", "Choose checking or savings.");
            String::new()
        }
    };
    let nickname = input.nickname.trim();
    if nickname.chars().count() > 40 || nickname.chars().any(char::is_control) {
        e.add("nickname", "Use at most 40 characters for the nickname.");
    }
    e.into_result()?;
    let gw = app.gateways.get(&settings.bank_gateway)?;
    let token = gw.tokenize_bank(&routing, &account).await.map_err(gateway_error)?;
    let existing = store::methods(app.db.r(), c.company_id, c.contact.id).await?;
    let make_default = input.make_default || existing.is_empty();
    let last4 = account[account.len() - 4..].to_string();
    let mut tx = app.db.begin().await?;
    let id = store::insert_method(
        &mut *tx,
        c.company_id,
        &NewMethod {
            contact_id: c.contact.id,
            kind: MethodKind::Bank,
            gateway: settings.bank_gateway.clone(),
            token,
            nickname: nickname.to_string(),
            holder_name: holder.to_string(),
            brand: if account_type == "savings" { "Savings".into() } else { "Checking".into() },
            last4: last4.clone(),
            bank_name: bank_name.to_string(),
            routing_number: routing,
            account_type,
            account_sealed: Some(app.keys.seal(&account)),
            is_default: false,
            ..NewMethod::default()
        },
        now(),
    )
    .await?;
    if make_default {
        store::set_default(&mut *tx, c.company_id, c.contact.id, id).await?;
    }
    audit::portal(&mut *tx, c, origin, Action::PaymentMethodAdd, &format!("bank account ending {last4}")).await?;
    tx.commit().await?;
    Ok(id)
}

/// Start adding a card: the URL of the gateway's hosted form.
pub async fn begin_card(app: &App, c: &Customer, host_base: &str, origin: &Origin) -> Result<String, AppError> {
    let settings = store::settings(app.db.r(), c.company_id).await?;
    agent_gate(app, c, origin, settings.agent_payments, "add card", METHODS_REFUSED).await?;
    if !settings.accept_cards {
        return Err(AppError::Forbidden("This company doesn't take card payments.".into()));
    }
    let gw = app.gateways.get(&settings.card_gateway)?;
    let entry = gw
        .begin_card_entry(c.company_id, host_base, &format!("{host_base}/payments/methods/card-return"))
        .await
        .map_err(gateway_error)?;
    Ok(entry.form_url)
}

/// Back from the hosted form: store the card's token and display details.
pub async fn finish_card(app: &App, c: &Customer, session_id: &str, origin: &Origin) -> Result<i64, AppError> {
    let settings = store::settings(app.db.r(), c.company_id).await?;
    agent_gate(app, c, origin, settings.agent_payments, "add card", METHODS_REFUSED).await?;
    let gw = app.gateways.get(&settings.card_gateway)?;
    let card = gw.finish_card_entry(session_id).await.map_err(gateway_error)?.ok_or_else(|| {
        AppError::Conflict("This card form was already used or has expired. Add the card again.".into())
    })?;
    let existing = store::methods(app.db.r(), c.company_id, c.contact.id).await?;
    let mut tx = app.db.begin().await?;
    let id = store::insert_method(
        &mut *tx,
        c.company_id,
        &NewMethod {
            contact_id: c.contact.id,
            kind: MethodKind::Card,
            gateway: gw.name().into(),
            token: card.token,
            holder_name: card.holder_name,
            brand: card.brand.clone(),
            last4: card.last4.clone(),
            exp_month: Some(card.exp_month),
            exp_year: Some(card.exp_year),
            ..NewMethod::default()
        },
        now(),
    )
    .await?;
    if existing.is_empty() {
        store::set_default(&mut *tx, c.company_id, c.contact.id, id).await?;
    }
    let detail = format!("{} ending {}", card.brand, card.last4);
    audit::portal(&mut *tx, c, origin, Action::PaymentMethodAdd, &detail).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn make_default(app: &App, c: &Customer, id: i64, origin: &Origin) -> Result<(), AppError> {
    let m = store::method(app.db.r(), c.company_id, c.contact.id, id).await?.ok_or(AppError::NotFound)?;
    agent_gate(app, c, origin, false, "make payment method default", METHODS_REFUSED).await?;
    let mut tx = app.db.begin().await?;
    store::set_default(&mut *tx, c.company_id, c.contact.id, id).await?;
    let detail = super::method_label(m.kind, &m.brand, &m.last4);
    audit::portal(&mut *tx, c, origin, Action::PaymentMethodDefault, &detail).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(app: &App, c: &Customer, id: i64, origin: &Origin) -> Result<(), AppError> {
    let m = store::method(app.db.r(), c.company_id, c.contact.id, id).await?.ok_or(AppError::NotFound)?;
    agent_gate(app, c, origin, false, "delete payment method", METHODS_REFUSED).await?;
    let autopays = store::autopays_for_contact(app.db.r(), c.company_id, c.contact.id).await?;
    if autopays.iter().any(|a| a.method_id == id && a.active) {
        return Err(AppError::Conflict(
            "An AutoPay uses this payment method. Switch that AutoPay off or delete it first.".into(),
        ));
    }
    let scheduled = store::list(
        app.db.r(),
        c.company_id,
        &store::Filter {
            contact_id: Some(c.contact.id),
            method_id: Some(id),
            status: Some(PaymentStatus::Scheduled),
            limit: 1,
            ..store::Filter::default()
        },
    )
    .await?;
    if !scheduled.is_empty() {
        return Err(AppError::Conflict(
            "A scheduled payment uses this payment method. Cancel it first, in Payments.".into(),
        ));
    }
    let mut tx = app.db.begin().await?;
    store::delete_method(&mut *tx, c.company_id, c.contact.id, id, now()).await?;
    if m.is_default
        && let Some(next) = store::methods(&mut *tx, c.company_id, c.contact.id).await?.first()
    {
        store::set_default(&mut *tx, c.company_id, c.contact.id, next.id).await?;
    }
    let detail = super::method_label(m.kind, &m.brand, &m.last4);
    audit::portal(&mut *tx, c, origin, Action::PaymentMethodDelete, &detail).await?;
    tx.commit().await?;
    Ok(())
}
