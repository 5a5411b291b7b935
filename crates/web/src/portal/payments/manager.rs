//! The Payments Manager: history and scheduled payments, filtered (seed 004).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse};
use portico_app::accounts;
use portico_app::payments::autopay::{self};
use portico_app::payments::method_label;
use portico_app::portal::PaymentFilter as Filter;
use portico_domain::codes::{PaymentKind, PaymentStatus};
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Notice, Page, money, short_iso};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

use super::{badge, may_pay, pay_settings, require};

#[derive(Deserialize, Default)]
pub struct ManagerQuery {
    #[serde(default)]
    account: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    m: Option<String>,
}

pub struct HistoryRow {
    pub reference: String,
    pub date: String,
    pub accounts: String,
    pub method: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_badge: &'static str,
    pub amount: String,
    pub can_cancel: bool,
}

#[derive(Template)]
#[template(path = "portal/payments.html")]
struct ManagerPage {
    p: Page,
    rows: Vec<HistoryRow>,
    accounts: Vec<(i64, String)>,
    methods: Vec<(i64, String)>,
    q: ManagerQuery,
    kinds: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    periods: Vec<(&'static str, &'static str)>,
    autopays: usize,
    can_pay: bool,
    payable: usize,
}

const PERIODS: [(&str, &str); 5] = [
    ("", "All time"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("365", "Last 12 months"),
    ("upcoming", "Upcoming"),
];

pub async fn manager(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<ManagerQuery>,
) -> WebResult {
    require(&tenant)?;
    let views = accounts::views(&state.app, &c).await?;
    let methods_all = portico_app::portal::methods(&state.app, &c).await?;
    let today = accounts::today();
    let iso = portico_domain::validate::iso_date;
    let (from, to) = match q.period.as_str() {
        "30" | "90" | "365" => {
            let days: i64 = q.period.parse().unwrap_or(30);
            (Some(iso(today - time::Duration::days(days))), Some(iso(today)))
        }
        "upcoming" => (Some(iso(today)), None),
        _ => (None, None),
    };
    let filter = Filter {
        contact_id: Some(c.contact.id),
        account_id: q.account.parse::<i64>().ok().filter(|id| views.iter().any(|v| v.account.id == *id)),
        method_id: q.method.parse::<i64>().ok(),
        kind: PaymentKind::from_code(&q.kind),
        status: PaymentStatus::from_code(&q.status),
        from,
        to,
        search: None,
        limit: 500,
    };
    let (listed, items) = portico_app::portal::payments(&state.app, &c, &filter).await?;
    let settings = pay_settings(&state, &c).await?;
    let can_pay = may_pay(&c, &settings);
    let rows = listed
        .iter()
        .map(|l| {
            let p = &l.payment;
            HistoryRow {
                reference: p.reference.clone(),
                date: short_iso(&p.scheduled_on),
                accounts: items
                    .iter()
                    .filter(|i| i.payment_id == p.id)
                    .map(|i| i.account_number.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                method: method_label(l.method_kind, &l.method_brand, &l.method_last4),
                kind: p.kind.label(),
                status: p.status.label(),
                status_badge: badge(p.status),
                amount: money(p.amount_cents),
                can_cancel: p.status == PaymentStatus::Scheduled && can_pay,
            }
        })
        .collect();
    // Deleted methods still show in the history; the filter offers every method used.
    let mut methods: Vec<(i64, String)> =
        methods_all.iter().map(|m| (m.id, method_label(m.kind, &m.brand, &m.last4))).collect();
    for l in &listed {
        if !methods.iter().any(|(id, _)| *id == l.payment.method_id) {
            methods.push((l.payment.method_id, method_label(l.method_kind, &l.method_brand, &l.method_last4)));
        }
    }
    let autopays = autopay::list(&state.app, &c).await?.iter().filter(|a| a.active).count();
    let t = ManagerPage {
        p: portal_page(&tenant, &c, "Payments", "/payments", &csrf).with_notice(Notice::from_code(q.m.as_deref())),
        rows,
        accounts: views.iter().map(|v| (v.account.id, v.account.number.clone())).collect(),
        methods,
        kinds: PaymentKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        statuses: PaymentStatus::ALL
            .iter()
            .filter(|s| **s != PaymentStatus::Processing)
            .map(|s| (s.code(), s.label()))
            .collect(),
        periods: PERIODS.to_vec(),
        autopays,
        can_pay,
        payable: views.iter().filter(|v| !v.paid_in_full && v.balance > 0).count(),
        q,
    };
    Ok(Html(t.render()?).into_response())
}
