//! Accounts (seed 004), advances (seed 000).

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::accounts;
use portico_app::documents::UploadChoice;
use portico_app::servicing::{self, AccountView};
use portico_domain::codes::{AccountKind, AccountStatus, TxStatus};
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, Id, OriginCtx, ReadConn, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::layers::CsrfSeed;
use crate::page::{Page, balance, money, short_date, short_iso, signed_money};
use crate::portal::chrome::portal_page;
use crate::portal::library;
use crate::state::AppState;

/// An account as a row or card: everything pre-formatted.
pub struct AccountCard {
    pub id: i64,
    pub number: String,
    pub product: String,
    pub kind: &'static str,
    /// What is owed, or "$101.78 credit".
    pub balance: String,
    /// "Next payment due" for loans, "Minimum due" for a line of credit.
    pub next_label: &'static str,
    pub next_due: String,
    pub next_amount: String,
    pub remaining: String,
    pub past_due: Option<String>,
    /// "Paid ahead $497.98".
    pub paid_ahead: Option<String>,
    /// "$497.98 scheduled for Dec 14, 2026" (already arranged payments).
    pub scheduled: Vec<String>,
    /// Lines of credit: limit and available credit.
    pub credit_line: Option<(String, String)>,
    /// Lines of credit with the minimum paid: "Paid for this statement".
    pub minimum_note: Option<String>,
    /// The next payment is fully covered by payments already arranged.
    pub next_covered: bool,
    pub status: &'static str,
    pub status_badge: &'static str,
    /// Something to pay (shows "Pay" where the Payments section is on).
    pub payable: bool,
}

/// What is already arranged on an account, in words.
pub fn scheduled_lines(v: &AccountView) -> Vec<String> {
    v.upcoming
        .iter()
        .map(|u| {
            format!(
                "{} {} for {}",
                money(u.amount),
                if u.automatic { "AutoPay" } else { "scheduled" },
                short_date(u.on)
            )
        })
        .collect()
}

pub fn status_of(v: &AccountView) -> (&'static str, &'static str) {
    if v.paid_in_full {
        return if v.kind == AccountKind::CashAdvance {
            ("Completed", "badge-success")
        } else {
            ("Paid in full", "badge-success")
        };
    }
    let s = v.account.status;
    match s {
        AccountStatus::Completed | AccountStatus::PaidOff => (s.label(), "badge-success"),
        AccountStatus::ChargedOff => (s.label(), "badge-danger"),
        AccountStatus::Closed => (s.label(), "badge-muted"),
        AccountStatus::Active if v.past_due > 0 => ("Past due", "badge-danger"),
        AccountStatus::Active => (s.label(), "badge-info"),
    }
}

pub fn card(v: &AccountView) -> AccountCard {
    let (status, status_badge) = status_of(v);
    let loc = v.kind == AccountKind::LineOfCredit;
    AccountCard {
        id: v.account.id,
        number: v.account.number.clone(),
        product: v.account.product.clone(),
        kind: v.kind.label(),
        balance: balance(v.balance),
        next_label: if loc { "Minimum due" } else { "Next payment due" },
        next_due: v.next_due.map(short_date).unwrap_or_else(|| "—".into()),
        next_amount: v.next_amount.map(money).unwrap_or_default(),
        remaining: v.remaining_payments.map(|n| n.to_string()).unwrap_or_else(|| "—".into()),
        past_due: (v.past_due > 0).then(|| money(v.past_due)),
        paid_ahead: (v.paid_ahead > 0).then(|| money(v.paid_ahead)),
        scheduled: scheduled_lines(v),
        credit_line: v.credit_line.as_ref().map(|cl| (money(cl.limit), money(cl.available))),
        next_covered: v.next_unscheduled() == Some(0) && !v.upcoming.is_empty(),
        minimum_note: v
            .credit_line
            .as_ref()
            .filter(|cl| cl.statement_minimum.is_some_and(|m| m > 0) && cl.minimum_left == 0)
            .map(|cl| format!("Paid ({} since the statement)", money(cl.paid_since_cycle))),
        status,
        status_badge,
        payable: v.payoff_today() > 0,
    }
}

#[derive(Template)]
#[template(path = "portal/accounts.html")]
struct AccountsPage {
    p: Page,
    cards: Vec<AccountCard>,
    total: String,
    payments: bool,
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    conn: ReadConn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    tenant.require(Section::Accounts)?;
    let views = accounts::views_on(&mut *conn.get(&state.app).await?, &c).await?;
    let views: Vec<AccountView> = views.into_iter().filter(|v| v.kind != AccountKind::CashAdvance).collect();
    // Signed: a credit on one account offsets what another owes, so the
    // total is the sum of the rows as shown.
    let total = balance(views.iter().map(|v| v.balance).sum());
    let t = AccountsPage {
        p: portal_page(&tenant, &c, "Accounts", "/accounts", &csrf),
        cards: views.iter().map(card).collect(),
        total,
        payments: tenant.sections().contains(Section::Payments),
    };
    Ok(Html(t.render()?).into_response())
}

pub struct Tab {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

fn tabs(v: &AccountView, current: &str, documents: bool) -> Vec<Tab> {
    let id = v.account.id;
    let names: &[(&str, &str)] = match v.kind {
        AccountKind::Installment | AccountKind::Lease => {
            &[("summary", "Summary"), ("transactions", "Transactions"), ("collateral", "Collateral")]
        }
        AccountKind::LineOfCredit => &[("transactions", "Transactions"), ("statements", "Statements")],
        AccountKind::CashAdvance => &[("transactions", "Transactions")],
    };
    let mut t: Vec<Tab> = names
        .iter()
        .map(|(k, l)| Tab { label: l, href: format!("/accounts/{id}/{k}"), current: *k == current })
        .collect();
    // The Documents tab (seed 004) when the company's Documents section is on.
    if documents {
        t.push(Tab { label: "Documents", href: format!("/accounts/{id}/documents"), current: current == "documents" });
    }
    t
}

pub struct TxRow {
    pub date: String,
    pub kind: &'static str,
    pub description: String,
    pub amount: String,
    pub principal: String,
    pub interest: String,
    pub fees: String,
    pub status: &'static str,
    pub status_badge: &'static str,
}

/// The badge class of a ledger entry's status.
pub fn tx_badge(s: TxStatus) -> &'static str {
    match s {
        TxStatus::Posted => "badge-success",
        TxStatus::Pending => "badge-warning",
        TxStatus::Returned | TxStatus::Failed => "badge-danger",
        TxStatus::Reversed => "badge-muted",
    }
}

pub fn tx_row(t: &portico_app::portal::Transaction) -> TxRow {
    let (status, status_badge) = (t.status.label(), tx_badge(t.status));
    let part = |c: i64| if c == 0 { String::new() } else { signed_money(c) };
    TxRow {
        date: short_iso(&t.posted_on),
        kind: t.kind.label(),
        description: t.description.clone(),
        amount: signed_money(t.effect_cents),
        principal: part(t.principal_cents),
        interest: part(t.interest_cents),
        fees: part(t.fees_cents),
        status,
        status_badge,
    }
}

pub struct Detail {
    pub label: &'static str,
    pub value: String,
}

pub struct ScheduleLine {
    pub number: u32,
    pub date: String,
    pub payment: String,
    pub principal: String,
    pub interest: String,
    pub balance: String,
    pub past: bool,
}

fn schedule_lines(rows: &[portico_domain::loan::ScheduleRow]) -> Vec<ScheduleLine> {
    let today = accounts::today();
    rows.iter()
        .map(|r| ScheduleLine {
            number: r.number,
            date: short_date(r.due_date),
            payment: money(r.payment.0),
            principal: money(r.principal.0),
            interest: money(r.interest.0),
            balance: money(r.balance.0),
            past: r.due_date <= today,
        })
        .collect()
}

pub struct StatementRow {
    pub id: i64,
    pub period: String,
    pub closing: String,
    pub minimum: String,
    pub due: String,
}

pub struct CollateralRow {
    pub description: String,
    pub kind: String,
    pub identifier: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "portal/account_detail.html")]
struct AccountPage {
    p: Page,
    card: AccountCard,
    tabs: Vec<Tab>,
    tab: &'static str,
    details: Vec<Detail>,
    pie: String,
    pie_rows: Vec<(String, String)>,
    line_chart: String,
    transactions: Vec<TxRow>,
    split_columns: bool,
    page: i64,
    has_more: bool,
    schedule: Vec<ScheduleLine>,
    statements: Vec<StatementRow>,
    collateral: Vec<CollateralRow>,
    docs: Option<library::AccountDocs>,
    /// The Payments section is on: "Pay" and "AutoPay" buttons.
    payments: bool,
}

impl AccountPage {
    fn new(p: Page, v: &AccountView, tab: &'static str) -> AccountPage {
        let documents = p.nav.iter().any(|n| n.href == "/documents");
        let payments = p.nav.iter().any(|n| n.href == "/payments");
        AccountPage {
            payments,
            p,
            card: card(v),
            tabs: tabs(v, tab, documents),
            tab,
            details: Vec::new(),
            pie: String::new(),
            pie_rows: Vec::new(),
            line_chart: String::new(),
            transactions: Vec::new(),
            split_columns: v.kind.amortizes(),
            page: 1,
            has_more: false,
            schedule: Vec::new(),
            statements: Vec::new(),
            collateral: Vec::new(),
            docs: None,
        }
    }
}

fn percent(rate: rust_decimal::Decimal) -> String {
    format!("{} %", (rate * rust_decimal::Decimal::from(100)).round_dp(3).normalize())
}

async fn load(
    state: &AppState,
    tenant: &TenantCtx,
    c: &portico_app::auth::Customer,
    id: i64,
) -> WebResult<AccountView> {
    let v = accounts::view(&state.app, c, id).await?;
    let section = if v.kind == AccountKind::CashAdvance { Section::Advances } else { Section::Accounts };
    tenant.require(section)?;
    Ok(v)
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    Id(raw): Id,
) -> WebResult {
    let v = load(&state, &tenant, &c, raw).await?;
    let tab = if v.kind.amortizes() { "summary" } else { "transactions" };
    Ok(Redirect::to(&format!("/accounts/{}/{tab}", v.account.id)).into_response())
}

pub async fn summary(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(raw): Id,
) -> WebResult {
    let v = load(&state, &tenant, &c, raw).await?;
    if !v.kind.amortizes() {
        return Err(WebError::NotFound);
    }
    let mut t = AccountPage::new(portal_page(&tenant, &c, &v.account.number, "/accounts", &csrf), &v, "summary");
    let paid = v.principal_paid();
    let remaining = v.ledger.principal.max(0);
    t.pie_rows = vec![
        ("Principal paid".into(), money(paid)),
        ("Principal remaining".into(), money(remaining)),
        ("Interest paid".into(), money(v.interest_paid())),
    ];
    t.pie = crate::charts::paid_vs_remaining(paid, remaining);
    let schedule = servicing::schedule(&v.account);
    t.line_chart = crate::charts::amortization(&schedule, accounts::today());
    // The chart's data, as a table for screen readers and anyone who prefers numbers.
    t.schedule = schedule_lines(&schedule);
    t.details = vec![
        Detail { label: "Interest rate", value: percent(v.annual_rate) },
        Detail { label: "Original amount", value: money(v.account.amount_cents) },
        Detail { label: "Regular payment", value: v.payment().map(money).unwrap_or_default() },
        Detail { label: "Opened", value: short_iso(&v.account.opened_on) },
        Detail {
            label: "Projected payoff date",
            value: v.projected_payoff.map(short_date).unwrap_or_else(|| "—".into()),
        },
        Detail {
            label: "Remaining payments",
            value: v.remaining_payments.map(|n| n.to_string()).unwrap_or_else(|| "—".into()),
        },
        Detail { label: "Principal balance", value: money(v.ledger.principal.max(0)) },
        Detail { label: "Interest due", value: money(v.ledger.interest.max(0)) },
        Detail { label: "Fees due", value: money(v.ledger.fees.max(0)) },
    ];
    if v.credit() > 0 {
        t.details.push(Detail { label: "Credit held for you", value: money(v.credit()) });
    }
    if v.accrued_interest > 0 {
        t.details.push(Detail {
            label: "Interest accrued since the last charge",
            value: format!("{} ({} a day)", money(v.accrued_interest), money(v.per_diem)),
        });
    }
    t.details.push(Detail { label: "Payoff today", value: money(v.payoff_today()) });
    Ok(Html(t.render()?).into_response())
}

pub async fn breakdown(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(raw): Id,
) -> WebResult {
    let v = load(&state, &tenant, &c, raw).await?;
    if !v.kind.amortizes() {
        return Err(WebError::NotFound);
    }
    let mut t = AccountPage::new(portal_page(&tenant, &c, &v.account.number, "/accounts", &csrf), &v, "breakdown");
    t.schedule = schedule_lines(&servicing::schedule(&v.account));
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<String>,
}

const TX_PAGE: i64 = 25;

pub async fn transactions(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(raw): Id,
    Query(q): Query<PageQuery>,
) -> WebResult {
    let v = load(&state, &tenant, &c, raw).await?;
    let page = q.page.as_deref().and_then(|p| p.parse::<i64>().ok()).filter(|p| (1..=10_000).contains(p)).unwrap_or(1);
    let mut rows = portico_app::portal::account_transactions(&state.app, &v, TX_PAGE + 1, (page - 1) * TX_PAGE).await?;
    let mut t = AccountPage::new(portal_page(&tenant, &c, &v.account.number, "/accounts", &csrf), &v, "transactions");
    t.has_more = rows.len() as i64 > TX_PAGE;
    rows.truncate(TX_PAGE as usize);
    t.page = page;
    t.transactions = rows.iter().map(tx_row).collect();
    Ok(Html(t.render()?).into_response())
}

pub async fn collateral(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(raw): Id,
) -> WebResult {
    let v = load(&state, &tenant, &c, raw).await?;
    if !v.kind.amortizes() {
        return Err(WebError::NotFound);
    }
    let items = portico_app::portal::collateral(&state.app, &v).await?;
    let mut t = AccountPage::new(portal_page(&tenant, &c, &v.account.number, "/accounts", &csrf), &v, "collateral");
    t.collateral = items
        .into_iter()
        .map(|i| CollateralRow {
            identifier: if i.identifier.is_empty() {
                String::new()
            } else {
                format!("{} {}", i.identifier_label, i.identifier)
            },
            description: i.description,
            kind: i.kind,
            value: i.value_cents.map(money).unwrap_or_default(),
        })
        .collect();
    Ok(Html(t.render()?).into_response())
}

pub async fn statements(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(raw): Id,
) -> WebResult {
    let v = load(&state, &tenant, &c, raw).await?;
    if v.kind != AccountKind::LineOfCredit {
        return Err(WebError::NotFound);
    }
    let list = portico_app::portal::statements(&state.app, &v).await?;
    let mut t = AccountPage::new(portal_page(&tenant, &c, &v.account.number, "/accounts", &csrf), &v, "statements");
    t.statements = list
        .into_iter()
        .map(|s| StatementRow {
            id: s.id,
            period: format!("{} – {}", short_iso(&s.cycle_start), short_iso(&s.cycle_end)),
            closing: money(s.closing_cents),
            minimum: money(s.minimum_payment_cents),
            due: short_iso(&s.due_on),
        })
        .collect();
    Ok(Html(t.render()?).into_response())
}

/// The Documents tab (seed 004): the account's documents and "New".
pub async fn documents(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<crate::portal::chrome::MsgQuery>,
) -> WebResult {
    let notice = crate::page::Notice::from_code(q.m.as_deref());
    let html = documents_html(&state, &tenant, &c, &csrf, id, None, portico_app::FieldErrors::new(), notice).await?;
    Ok(Html(html).into_response())
}

/// The Documents tab's page (also re-rendered by a refused upload).
#[allow(clippy::too_many_arguments)]
pub async fn documents_html(
    state: &AppState,
    tenant: &TenantCtx,
    c: &portico_app::auth::Customer,
    csrf: &str,
    account_id: i64,
    type_sel: Option<i64>,
    errors: portico_app::FieldErrors,
    notice: Option<crate::page::Notice>,
) -> WebResult<String> {
    let v = load(state, tenant, c, account_id).await?;
    tenant.require(Section::Documents)?;
    let p = portal_page(tenant, c, &v.account.number, "/accounts", csrf).with_notice(notice);
    let mut t = AccountPage::new(p, &v, "documents");
    t.docs = Some(library::account_docs(state, c, v.account.id, type_sel, errors).await?);
    Ok(t.render()?)
}

/// "New" on the account's Documents tab: the upload is tied to the account.
pub async fn account_upload(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    seed: Option<axum::Extension<CsrfSeed>>,
    Id(account_id): Id,
    mut mp: Multipart,
) -> WebResult {
    tenant.require(Section::Documents)?;
    // 404 for an account that isn't the customer's (before reading the body).
    portico_app::accounts::view(&state.app, &c, account_id).await?;
    let form =
        library::customer_upload_form(&state, &c, &origin, &headers, seed.as_ref().map(|e| &e.0), &mut mp).await?;
    let choice = UploadChoice { type_id: form.field("type_id"), account_id: account_id.to_string(), esigned: false };
    let type_sel = library::opt_id(Some(&choice.type_id));
    match library::save_customer_upload(&state, &c, &origin, form, &choice).await? {
        Ok(_) => Ok(library::upload_done(&headers, &format!("/accounts/{account_id}/documents?m=document-uploaded"))),
        Err(errors) if library::wants_json(&headers) => Ok(library::upload_refused_json(&errors)),
        Err(errors) => {
            let html = documents_html(&state, &tenant, &c, &csrf, account_id, type_sel, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    }
}

pub struct AdvanceCard {
    pub id: i64,
    pub number: String,
    pub balance: String,
    pub funded: String,
    pub percent: String,
    pub percent_value: u32,
    pub status: &'static str,
    pub status_badge: &'static str,
}

#[derive(Template)]
#[template(path = "portal/advances.html")]
struct AdvancesPage {
    p: Page,
    count: usize,
    total: String,
    cards: Vec<AdvanceCard>,
}

pub async fn advances(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    tenant.require(Section::Advances)?;
    let views: Vec<AccountView> =
        accounts::views(&state.app, &c).await?.into_iter().filter(|v| v.kind == AccountKind::CashAdvance).collect();
    let cards = views
        .iter()
        .filter_map(|v| {
            let a = v.advance.as_ref()?;
            let (status, status_badge) = status_of(v);
            // The domain gives a percentage already (44.17 means 44.17 %).
            let pct = a.percent_paid.round();
            Some(AdvanceCard {
                id: v.account.id,
                number: v.account.number.clone(),
                balance: balance(v.balance),
                funded: money(a.funded),
                percent: format!("{pct} %"),
                percent_value: rust_decimal::prelude::ToPrimitive::to_u32(&pct).unwrap_or(0).min(100),
                status,
                status_badge,
            })
        })
        .collect();
    let t = AdvancesPage {
        p: portal_page(&tenant, &c, "Advances", "/advances", &csrf),
        count: views.len(),
        total: balance(views.iter().map(|v| v.balance).sum()),
        cards,
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "portal/advance.html")]
struct AdvancePage {
    p: Page,
    card: AccountCard,
    details: Vec<Detail>,
}

pub async fn advance(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(raw): Id,
) -> WebResult {
    let v = load(&state, &tenant, &c, raw).await?;
    let Some(a) = v.advance.as_ref() else { return Err(WebError::NotFound) };
    let details = vec![
        Detail { label: "Funded amount", value: money(a.funded) },
        Detail { label: "Factor rate", value: a.factor_rate.normalize().to_string() },
        Detail { label: "Total payback", value: money(a.total_payback) },
        Detail { label: "Remitted to date", value: money(a.remitted) },
        Detail { label: "Remaining balance", value: money(a.remaining) },
        Detail { label: "Debit amount", value: money(a.debit_amount) },
        Detail { label: "Debit frequency", value: servicing::frequency_label(a.frequency).into() },
        Detail { label: "Funded on", value: short_iso(&v.account.opened_on) },
        Detail {
            label: "Expected completion",
            value: a
                .expected_completion
                .map(short_date)
                .unwrap_or_else(|| if v.paid_in_full { "Completed".into() } else { "—".into() }),
        },
    ];
    let t = AdvancePage { p: portal_page(&tenant, &c, &v.account.number, "/advances", &csrf), card: card(&v), details };
    Ok(Html(t.render()?).into_response())
}
