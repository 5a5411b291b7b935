//! Payments in the portal (seed 004): pay one account, Pay Multiple,
//! the Payments Manager, payment methods, AutoPay, receipts.

pub mod autopay;
pub mod manager;
pub mod methods;
pub mod pay;

use portico_app::accounts;
use portico_app::auth::Customer;
use portico_app::payments::method_label;
use portico_app::portal::{Method, PaymentSettings};
use portico_domain::codes::{MethodKind, PaymentStatus};
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::TenantCtx;
use crate::error::{WebError, WebResult};
use crate::state::AppState;

pub(super) fn require(tenant: &TenantCtx) -> Result<(), WebError> {
    tenant.require(Section::Payments)
}

pub(super) async fn pay_settings(state: &AppState, c: &Customer) -> WebResult<PaymentSettings> {
    portico_app::portal::payment_settings(&state.app, c.company_id).await.map_err(WebError::from)
}

/// Whether this session may pay (customers always; Agents where allowed).
pub(super) fn may_pay(c: &Customer, s: &PaymentSettings) -> bool {
    !c.is_agent() || s.agent_payments
}

pub struct MethodRow {
    pub id: i64,
    pub label: String,
    pub detail: String,
    pub kind: &'static str,
    pub is_default: bool,
    pub expired: bool,
}

pub(super) fn method_row(m: &Method) -> MethodRow {
    let today = accounts::today();
    let expired = match (m.exp_month, m.exp_year) {
        (Some(mm), Some(yy)) => portico_app::payments::test_gateway::expired(mm, yy, today),
        _ => false,
    };
    let detail = if m.kind == MethodKind::Card {
        format!(
            "Expires {:02}/{}{}",
            m.exp_month.unwrap_or(0),
            m.exp_year.unwrap_or(0) % 100,
            if m.holder_name.is_empty() { String::new() } else { format!(" · {}", m.holder_name) }
        )
    } else {
        let bank = if m.bank_name.is_empty() { "Bank account".to_string() } else { m.bank_name.clone() };
        format!("{bank} · routing {} · {}", m.routing_number, m.holder_name)
    };
    let mut label = method_label(m.kind, &m.brand, &m.last4);
    if !m.nickname.is_empty() {
        label = format!("{} ({label})", m.nickname);
    }
    MethodRow {
        id: m.id,
        label,
        detail,
        kind: if m.kind == MethodKind::Card { "Card" } else { "Bank account" },
        is_default: m.is_default,
        expired,
    }
}

/// The badge class of a payment status (portal and console).
pub(crate) fn badge(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Completed => "badge-success",
        PaymentStatus::Failed | PaymentStatus::Returned => "badge-danger",
        PaymentStatus::Cancelled | PaymentStatus::Reversed | PaymentStatus::Refunded => "badge-muted",
        PaymentStatus::Scheduled | PaymentStatus::Processing | PaymentStatus::Pending => "badge-info",
    }
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}
