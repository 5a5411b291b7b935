//! AutoPay: recurring payments per account, on, off and deleted (seed 004).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Customer;
use portico_app::payments::autopay::{self, AutoPayInput};
use portico_app::payments::method_label;
use portico_app::servicing::AccountView;
use portico_app::{AppError, FieldErrors, accounts};
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, Id, OriginCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page, money, short_iso};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

use super::{MethodRow, MsgQuery, may_pay, method_row, pay_settings, require};

pub struct AutoPayRow {
    pub id: i64,
    pub account: String,
    pub account_id: i64,
    pub amount: String,
    pub frequency: &'static str,
    pub next: String,
    pub method: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "portal/autopay.html")]
struct AutoPayPage {
    p: Page,
    account_id: Option<i64>,
    account_number: String,
    rows: Vec<AutoPayRow>,
    methods: Vec<MethodRow>,
    frequencies: Vec<(&'static str, &'static str)>,
    f: AutoPayForm,
    errors: FieldErrors,
    terms: String,
    can_change: bool,
    accounts: Vec<(i64, String)>,
    today: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct AutoPayForm {
    #[serde(default)]
    amount_mode: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    start_on: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    terms: Option<String>,
}

async fn autopay_page(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    account: Option<&AccountView>,
    f: AutoPayForm,
    errors: FieldErrors,
    notice: Option<Notice>,
) -> WebResult<String> {
    let settings = pay_settings(state, c).await?;
    let views = accounts::views(&state.app, c).await?;
    let methods_all = portico_app::portal::methods(&state.app, c).await?;
    let mut all_methods = methods_all.clone();
    let list = autopay::list(&state.app, c).await?;
    for a in &list {
        if !all_methods.iter().any(|m| m.id == a.method_id)
            && let Some(m) = portico_app::portal::method_used(&state.app, c, a.method_id).await?
        {
            all_methods.push(m);
        }
    }
    let rows = list
        .iter()
        .filter(|a| account.is_none_or(|v| v.account.id == a.account_id))
        .map(|a| AutoPayRow {
            id: a.id,
            account_id: a.account_id,
            account: views
                .iter()
                .find(|v| v.account.id == a.account_id)
                .map(|v| v.account.number.clone())
                .unwrap_or_default(),
            amount: if a.amount_mode == "fixed" { money(a.amount_cents.unwrap_or(0)) } else { "Amount due".into() },
            frequency: autopay::frequency_label(&a.frequency),
            next: if a.active { short_iso(&a.next_on) } else { "—".into() },
            method: all_methods
                .iter()
                .find(|m| m.id == a.method_id)
                .map(|m| method_label(m.kind, &m.brand, &m.last4))
                .unwrap_or_default(),
            active: a.active,
        })
        .collect();
    let today = accounts::today();
    let t = AutoPayPage {
        p: portal_page(tenant, c, "AutoPay", "/payments", csrf).with_notice(notice),
        account_id: account.map(|v| v.account.id),
        account_number: account.map(|v| v.account.number.clone()).unwrap_or_default(),
        rows,
        methods: methods_all.iter().map(method_row).collect(),
        frequencies: autopay::FREQUENCIES.to_vec(),
        f: AutoPayForm {
            amount_mode: if f.amount_mode.is_empty() { "due".into() } else { f.amount_mode },
            frequency: if f.frequency.is_empty() { "monthly".into() } else { f.frequency },
            start_on: if f.start_on.is_empty() {
                account
                    .and_then(|v| v.next_due)
                    .filter(|d| *d > today)
                    .map(portico_domain::validate::iso_date)
                    .unwrap_or_default()
            } else {
                f.start_on
            },
            method: if f.method.is_empty() {
                methods_all.iter().find(|m| m.is_default).map(|m| m.id.to_string()).unwrap_or_default()
            } else {
                f.method
            },
            ..f
        },
        errors,
        terms: settings.terms.clone(),
        can_change: may_pay(c, &settings),
        accounts: views
            .iter()
            .filter(|v| !v.paid_in_full && v.balance > 0)
            .map(|v| (v.account.id, v.account.number.clone()))
            .collect(),
        today: portico_domain::validate::iso_date(today),
    };
    Ok(t.render()?)
}

pub async fn autopay_overview(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    require(&tenant)?;
    let notice = Notice::from_code(q.m.as_deref());
    let html =
        autopay_page(&state, &tenant, &c, &csrf, None, AutoPayForm::default(), FieldErrors::new(), notice).await?;
    Ok(Html(html).into_response())
}

pub async fn autopay_account(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    require(&tenant)?;
    let v = accounts::view(&state.app, &c, id).await?;
    let notice = Notice::from_code(q.m.as_deref());
    let html =
        autopay_page(&state, &tenant, &c, &csrf, Some(&v), AutoPayForm::default(), FieldErrors::new(), notice).await?;
    Ok(Html(html).into_response())
}

pub async fn autopay_create(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Form(f): Form<AutoPayForm>,
) -> WebResult {
    require(&tenant)?;
    let v = accounts::view(&state.app, &c, id).await?;
    let input = AutoPayInput {
        amount_mode: f.amount_mode.clone(),
        amount: f.amount.clone(),
        frequency: f.frequency.clone(),
        start_on: f.start_on.clone(),
        method_id: f.method.clone(),
        terms_accepted: f.terms.is_some(),
    };
    match autopay::create(&state.app, &c, v.account.id, &input, &origin).await {
        Ok(_) => Ok(Redirect::to(&format!("/accounts/{}/autopay?m=autopay-created", v.account.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = autopay_page(&state, &tenant, &c, &csrf, Some(&v), f, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    back: String,
}

fn back_to(b: &Back, code: &str) -> Response {
    let target =
        crate::ctx::safe_next(&b.back).filter(|p| p.starts_with("/")).unwrap_or_else(|| "/payments/autopay".into());
    let sep = if target.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{target}{sep}m={code}")).into_response()
}

pub async fn autopay_on(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(b): Form<Back>,
) -> WebResult {
    require(&tenant)?;
    autopay::set_active(&state.app, &c, id, true, &origin).await?;
    Ok(back_to(&b, "autopay-on"))
}

pub async fn autopay_off(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(b): Form<Back>,
) -> WebResult {
    require(&tenant)?;
    autopay::set_active(&state.app, &c, id, false, &origin).await?;
    Ok(back_to(&b, "autopay-off"))
}

pub async fn autopay_delete(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(b): Form<Back>,
) -> WebResult {
    require(&tenant)?;
    autopay::delete(&state.app, &c, id, &origin).await?;
    Ok(back_to(&b, "autopay-deleted"))
}
