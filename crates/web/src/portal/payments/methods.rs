//! Saved payment methods: add a bank account or a card, make one the default, delete (seed 004).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Customer;
use portico_app::payments::methods::{self, BankInput};
use portico_app::{AppError, FieldErrors};
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, Id, OriginCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

use super::{MethodRow, MsgQuery, may_pay, method_row, pay_settings, require};

#[derive(Template)]
#[template(path = "portal/payment_methods.html")]
struct MethodsPage {
    p: Page,
    methods: Vec<MethodRow>,
    bank: BankForm,
    errors: FieldErrors,
    accept_cards: bool,
    accept_bank: bool,
    can_change: bool,
    can_add: bool,
}

#[derive(Deserialize, Default, Clone)]
pub struct BankForm {
    #[serde(default)]
    holder_name: String,
    #[serde(default)]
    bank_name: String,
    #[serde(default)]
    routing: String,
    /// Never echoed back into the page (it is a secret).
    #[serde(default)]
    account: String,
    #[serde(default)]
    account_confirm: String,
    #[serde(default)]
    account_type: String,
    #[serde(default)]
    nickname: String,
    #[serde(default)]
    make_default: Option<String>,
}

async fn methods_page(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    bank: BankForm,
    errors: FieldErrors,
    notice: Option<Notice>,
) -> WebResult<String> {
    let settings = pay_settings(state, c).await?;
    let t = MethodsPage {
        p: portal_page(tenant, c, "Payment methods", "/payments", csrf).with_notice(notice),
        methods: methods::list(&state.app, c).await?.iter().map(method_row).collect(),
        bank: BankForm { account: String::new(), account_confirm: String::new(), ..bank },
        errors,
        accept_cards: settings.accept_cards,
        accept_bank: settings.accept_bank,
        can_change: !c.is_agent(),
        can_add: may_pay(c, &settings),
    };
    Ok(t.render()?)
}

pub async fn methods_list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    require(&tenant)?;
    let bank = BankForm { account_type: "checking".into(), ..BankForm::default() };
    let html =
        methods_page(&state, &tenant, &c, &csrf, bank, FieldErrors::new(), Notice::from_code(q.m.as_deref())).await?;
    Ok(Html(html).into_response())
}

pub async fn add_bank(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<BankForm>,
) -> WebResult {
    require(&tenant)?;
    let input = BankInput {
        holder_name: f.holder_name.clone(),
        bank_name: f.bank_name.clone(),
        routing: f.routing.clone(),
        account: f.account.clone(),
        account_confirm: f.account_confirm.clone(),
        account_type: f.account_type.clone(),
        nickname: f.nickname.clone(),
        make_default: f.make_default.is_some(),
    };
    match methods::add_bank(&state.app, &c, &input, &origin).await {
        Ok(_) => Ok(Redirect::to("/payments/methods?m=method-added").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = methods_page(&state, &tenant, &c, &csrf, f, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn host_base(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or_default();
    format!("{}://{}", state.app.config.public_scheme, host)
}

/// Add a card: off to the gateway's hosted form.
pub async fn add_card(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    headers: axum::http::HeaderMap,
) -> WebResult {
    require(&tenant)?;
    let url = methods::begin_card(&state.app, &c, &host_base(&state, &headers), &origin).await?;
    Ok(Redirect::to(&url).into_response())
}

#[derive(Deserialize)]
pub struct CardReturn {
    #[serde(default)]
    session: String,
}

pub async fn card_return(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Query(q): Query<CardReturn>,
) -> WebResult {
    require(&tenant)?;
    methods::finish_card(&state.app, &c, &q.session, &origin).await?;
    Ok(Redirect::to("/payments/methods?m=method-added").into_response())
}

pub async fn make_default(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    require(&tenant)?;
    methods::make_default(&state.app, &c, id, &origin).await?;
    Ok(Redirect::to("/payments/methods?m=method-default").into_response())
}

pub async fn delete_method(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    require(&tenant)?;
    match methods::delete(&state.app, &c, id, &origin).await {
        Ok(()) => Ok(Redirect::to("/payments/methods?m=method-deleted").into_response()),
        Err(AppError::Conflict(m)) => {
            let bank = BankForm { account_type: "checking".into(), ..BankForm::default() };
            let html =
                methods_page(&state, &tenant, &c, &csrf, bank, FieldErrors::new(), Some(Notice::error(m))).await?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
