//! Accounts in the console: figures, ledger, manual transactions, portal
//! visibility; payoff requests.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::ledger::{self, ManualInput};
use portico_app::{AppError, FieldErrors};
use portico_domain::codes::{TxKind, TxStatus};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page, money, short_iso, when};
use crate::portal::accounts::{AccountCard, TxRow, card, tx_row};
use crate::staff::staff_page;
use crate::state::AppState;

const KINDS: [(&str, &str); 6] = [
    ("payment", "Payment received"),
    ("refund", "Refund of a credit balance"),
    ("fee", "Fee"),
    ("credit_adjustment", "Credit adjustment (lowers the balance)"),
    ("debit_adjustment", "Debit adjustment (raises the balance)"),
    ("reversal", "Reverse a transaction"),
];
const PAGE: i64 = 30;

#[derive(Template)]
#[template(path = "staff/account.html")]
struct AccountPage {
    p: Page,
    id: i64,
    contact_id: i64,
    contact_name: String,
    card: AccountCard,
    hidden: bool,
    principal: String,
    interest: String,
    fees: String,
    credit: String,
    accrued: String,
    payoff_today: String,
    can_act: bool,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    input_kind: String,
    input_amount: String,
    input_date: String,
    input_description: String,
    reversible: Vec<(i64, String)>,
    ledger: Vec<(i64, TxRow)>,
    page: i64,
    has_more: bool,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    page: Option<String>,
    m: Option<String>,
}

async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    account_id: i64,
    page: i64,
    notice: Option<Notice>,
    input: Option<ManualInput>,
    errors: FieldErrors,
) -> WebResult<String> {
    let page_data = portico_app::console::account_page(&state.app, s, account_id, PAGE + 1, (page - 1) * PAGE).await?;
    let (v, contact) = (page_data.account, page_data.contact);
    let a = &v;
    let mut rows = page_data.transactions;
    let has_more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let recent = page_data.recent;
    let input = input.unwrap_or_else(|| ManualInput {
        kind: "payment".into(),
        posted_on: portico_domain::validate::iso_date(portico_app::accounts::today()),
        ..ManualInput::default()
    });
    let t = AccountPage {
        p: staff_page(tenant, s, &a.account.number, "contacts", csrf).with_notice(notice),
        id: account_id,
        contact_id: contact.id,
        contact_name: format!("{} {}", contact.first_name, contact.last_name),
        card: card(&v),
        hidden: a.account.hidden,
        principal: money(a.ledger.principal),
        interest: money(a.ledger.interest),
        fees: money(a.ledger.fees),
        credit: money(a.ledger.credit),
        accrued: money(a.accrued_interest),
        payoff_today: money(a.payoff_today()),
        can_act: s.role.allows(Permission::ServiceCustomers),
        kinds: KINDS.to_vec(),
        errors,
        input_kind: input.kind,
        input_amount: input.amount,
        input_date: input.posted_on,
        input_description: input.description,
        reversible: recent
            .iter()
            .filter(|t| t.status == TxStatus::Posted && t.kind != TxKind::Reversal)
            .map(|t| {
                (t.id, format!("#{} {} {} {}", t.id, short_iso(&t.posted_on), t.kind.label(), money(t.amount_cents)))
            })
            .collect(),
        ledger: rows.iter().map(|t| (t.id, tx_row(t))).collect(),
        page,
        has_more,
    };
    Ok(t.render()?)
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<ShowQuery>,
) -> WebResult {
    let page = q.page.as_deref().and_then(|p| p.parse::<i64>().ok()).filter(|p| (1..=100_000).contains(p)).unwrap_or(1);
    let html =
        render(&state, &tenant, &s, &csrf, id, page, Notice::from_code(q.m.as_deref()), None, FieldErrors::new())
            .await?;
    Ok(Html(html).into_response())
}

#[derive(Deserialize)]
pub struct PostForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    posted_on: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    reverses: String,
}

pub async fn post(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(account_id): Id,
    Form(f): Form<PostForm>,
) -> WebResult {
    let input = ManualInput {
        kind: f.kind,
        amount: f.amount,
        posted_on: f.posted_on,
        description: f.description,
        reverses: f.reverses,
    };
    match ledger::post(&state.app, &s, account_id, &input, &origin).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/accounts/{account_id}?m=posted")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render(&state, &tenant, &s, &csrf, account_id, 1, None, Some(input), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn visibility(
    state: &AppState,
    s: &Staff,
    account_id: i64,
    hidden: bool,
    origin: &portico_app::Origin,
) -> WebResult {
    ledger::set_hidden(&state.app, s, account_id, hidden, origin).await?;
    let code = if hidden { "account-hidden" } else { "account-shown" };
    Ok(Redirect::to(&format!("/staff/accounts/{account_id}?m={code}")).into_response())
}

pub async fn hide(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(o): OriginCtx,
    Id(raw): Id,
) -> WebResult {
    visibility(&state, &s, raw, true, &o).await
}

pub async fn unhide(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(o): OriginCtx,
    Id(raw): Id,
) -> WebResult {
    visibility(&state, &s, raw, false, &o).await
}

pub struct PayoffRow {
    pub when: String,
    pub reference: String,
    pub contact_id: i64,
    pub customer: String,
    pub good_through: String,
    pub total: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "staff/payoffs.html")]
struct PayoffsPage {
    p: Page,
    rows: Vec<PayoffRow>,
}

pub async fn payoffs(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    let rows = portico_app::console::payoff_requests(&state.app, &s, 200)
        .await?
        .into_iter()
        .map(|(r, customer)| PayoffRow {
            when: when(Some(r.created_at)),
            reference: r.reference,
            contact_id: r.contact_id,
            customer,
            good_through: short_iso(&r.good_through),
            total: money(r.total_cents),
            status: if r.status == "requested" { "Requested".into() } else { r.status },
        })
        .collect();
    let t = PayoffsPage { p: staff_page(&tenant, &s, "Payoff requests", "payoffs", &csrf), rows };
    Ok(Html(t.render()?).into_response())
}
