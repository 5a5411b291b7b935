//! Payments in the portal (seed 004): pay one account, Pay Multiple,
//! the Payments Manager, payment methods, AutoPay, receipts.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Customer;
use portico_app::payments::autopay::{self, AutoPayInput};
use portico_app::payments::method_label;
use portico_app::payments::methods::{self, BankInput};
use portico_app::payments::pay::{self, ItemInput, PayError, PayErrors, PayRequest, Plan};
use portico_app::portal::{Method, PaymentFilter as Filter, PaymentSettings};
use portico_app::servicing::AccountView;
use portico_app::{AppError, FieldErrors, accounts};
use portico_domain::codes::AccountKind;
use portico_domain::codes::{MethodKind, PaymentKind, PaymentStatus};
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, Id, OriginCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, Page, money, short_date, short_iso, when};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

fn require(tenant: &TenantCtx) -> Result<(), WebError> {
    tenant.require(Section::Payments)
}

async fn pay_settings(state: &AppState, c: &Customer) -> WebResult<PaymentSettings> {
    portico_app::portal::payment_settings(&state.app, c.company_id).await.map_err(WebError::from)
}

/// Whether this session may pay (customers always; Agents where allowed).
fn may_pay(c: &Customer, s: &PaymentSettings) -> bool {
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

fn method_row(m: &Method) -> MethodRow {
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

// ------------------------------------------------------------ pay forms

/// One account row of a payment form.
pub struct PayRow {
    pub id: i64,
    pub number: String,
    pub product: String,
    pub balance: String,
    /// Payments already arranged on the account (shown as a warning).
    pub scheduled: Vec<String>,
    pub next: Option<String>,
    pub next_date: String,
    pub past_due: Option<String>,
    pub payoff: Option<String>,
    pub paid_in_full: bool,
    pub checked: bool,
    pub choice: String,
    pub amount: String,
    pub error: Option<String>,
}

/// `1234.56` from cents, for an input's value.
fn plain_amount(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn pay_row(v: &AccountView, input: Option<&ItemInput>, errors: &PayErrors, prefill: bool) -> PayRow {
    let o = pay::options(v, accounts::today());
    let default_choice = if o.past_due.is_some() {
        "past_due"
    } else if o.next.is_some() {
        "next"
    } else {
        "custom"
    };
    PayRow {
        id: v.account.id,
        number: v.account.number.clone(),
        product: v.account.product.clone(),
        balance: crate::page::balance(v.balance),
        scheduled: crate::portal::accounts::scheduled_lines(v),
        next: o.next.map(money),
        next_date: v.next_due.map(short_date).unwrap_or_default(),
        past_due: o.past_due.map(money),
        payoff: o.payoff.map(money),
        paid_in_full: v.paid_in_full || o.payoff.is_none(),
        checked: input.is_some(),
        choice: input.map(|i| i.choice.clone()).filter(|c| !c.is_empty()).unwrap_or_else(|| default_choice.into()),
        // Pay Multiple pre-fills what is due; the customer can change it.
        amount: match input {
            Some(i) => i.amount.clone(),
            None if prefill => o.past_due.or(o.next).map(plain_amount).unwrap_or_default(),
            None => String::new(),
        },
        error: errors.row(v.account.id).map(str::to_string),
    }
}

#[derive(Template)]
#[template(path = "portal/pay.html")]
struct PayPage {
    p: Page,
    /// `one` (one account) or `multiple`.
    mode: &'static str,
    rows: Vec<PayRow>,
    methods: Vec<MethodRow>,
    method_id: String,
    date: String,
    today: String,
    max_date: String,
    max_date_label: String,
    key: String,
    terms: String,
    terms_accepted: bool,
    errors: FieldErrors,
    can_pay: bool,
}

#[derive(Template)]
#[template(path = "portal/pay_review.html")]
struct ReviewPage {
    p: Page,
    lines: Vec<(String, String, String)>,
    total: String,
    count: usize,
    method: String,
    when: String,
    scheduled: bool,
    warnings: Vec<String>,
    /// The request, carried as hidden fields to the confirm step.
    hidden: Vec<(String, String)>,
    back: String,
}

/// The form's fields: `account` (repeated), `method`, `date`, `key`,
/// `terms`, `mode`, and per account `choice_<id>` and `amount_<id>`. Read
/// as pairs, since the per-account names are not known in advance.
#[derive(Default)]
pub struct PayForm {
    account: Vec<String>,
    method: String,
    date: String,
    key: String,
    terms: Option<String>,
    mode: String,
    rest: std::collections::HashMap<String, String>,
}

impl PayForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> PayForm {
        let mut f = PayForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "account" => f.account.push(v),
                "method" => f.method = v,
                "date" => f.date = v,
                "key" => f.key = v,
                "terms" => f.terms = Some(v),
                "mode" => f.mode = v,
                _ if k.starts_with("choice_") || k.starts_with("amount_") => {
                    f.rest.insert(k, v);
                }
                _ => {}
            }
        }
        f
    }
}

impl PayForm {
    fn request(&self) -> Result<PayRequest, WebError> {
        let mut items = Vec::new();
        for a in &self.account {
            let id = a.parse::<i64>().map_err(|_| WebError::NotFound)?;
            items.push(ItemInput {
                account_id: id,
                choice: self.rest.get(&format!("choice_{id}")).cloned().unwrap_or_default(),
                amount: self.rest.get(&format!("amount_{id}")).cloned().unwrap_or_default(),
            });
        }
        Ok(PayRequest {
            items,
            method_id: self.method.clone(),
            date: self.date.clone(),
            idempotency_key: self.key.clone(),
            terms_accepted: self.terms.is_some(),
            multiple: self.mode == "multiple",
        })
    }
}

async fn form_page(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    mode: &'static str,
    only: Option<i64>,
    req: Option<&PayRequest>,
    errors: &PayErrors,
) -> WebResult<String> {
    let settings = pay_settings(state, c).await?;
    let views: Vec<AccountView> = match only {
        Some(id) => vec![accounts::view(&state.app, c, id).await?],
        None => accounts::views(&state.app, c).await?,
    };
    let sections = tenant.sections();
    let rows = views
        .iter()
        .filter(|v| {
            only.is_some()
                || if v.kind == AccountKind::CashAdvance {
                    sections.contains(Section::Advances)
                } else {
                    sections.contains(Section::Accounts)
                }
        })
        .map(|v| {
            let input = req.and_then(|r| r.items.iter().find(|i| i.account_id == v.account.id));
            let mut row = pay_row(v, input, errors, mode == "multiple");
            if only.is_some() {
                row.checked = true;
            }
            row
        })
        .collect();
    let methods: Vec<MethodRow> = methods::list(&state.app, c).await?.iter().map(method_row).collect();
    let default_method = methods.iter().find(|m| m.is_default).map(|m| m.id.to_string()).unwrap_or_default();
    let today = accounts::today();
    let max = today + time::Duration::days(settings.max_days_ahead);
    let title = if mode == "multiple" { "Pay multiple accounts" } else { "Make a payment" };
    let t = PayPage {
        p: portal_page(tenant, c, title, "/payments", csrf),
        mode,
        rows,
        method_id: req.map(|r| r.method_id.clone()).unwrap_or(default_method),
        date: req.map(|r| r.date.clone()).unwrap_or_default(),
        today: portico_domain::validate::iso_date(today),
        max_date: portico_domain::validate::iso_date(max),
        max_date_label: short_date(max),
        key: req.map(|r| r.idempotency_key.clone()).filter(|k| !k.is_empty()).unwrap_or_else(pay::new_key),
        terms: settings.terms.clone(),
        terms_accepted: req.is_some_and(|r| r.terms_accepted),
        errors: errors.fields.clone(),
        can_pay: may_pay(c, &settings),
        methods,
    };
    Ok(t.render()?)
}

pub async fn pay_account(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    require(&tenant)?;
    let html = form_page(&state, &tenant, &c, &csrf, "one", Some(id), None, &PayErrors::default()).await?;
    Ok(Html(html).into_response())
}

pub async fn pay_multiple(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    require(&tenant)?;
    let html = form_page(&state, &tenant, &c, &csrf, "multiple", None, None, &PayErrors::default()).await?;
    Ok(Html(html).into_response())
}

async fn invalid(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    f: &PayForm,
    req: &PayRequest,
    errors: PayErrors,
) -> WebResult {
    let (mode, only) =
        if f.mode == "multiple" { ("multiple", None) } else { ("one", req.items.first().map(|i| i.account_id)) };
    let html = form_page(state, tenant, c, csrf, mode, only, Some(req), &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

fn hidden_fields(f: &PayForm, req: &PayRequest) -> Vec<(String, String)> {
    let mut h = vec![
        ("mode".to_string(), f.mode.clone()),
        ("method".to_string(), req.method_id.clone()),
        ("date".to_string(), req.date.clone()),
        ("key".to_string(), req.idempotency_key.clone()),
    ];
    if req.terms_accepted {
        h.push(("terms".into(), "1".into()));
    }
    for i in &req.items {
        h.push(("account".into(), i.account_id.to_string()));
        h.push((format!("choice_{}", i.account_id), i.choice.clone()));
        h.push((format!("amount_{}", i.account_id), i.amount.clone()));
    }
    h
}

/// Step 2: check everything and show what will happen.
pub async fn review(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    require(&tenant)?;
    let f = PayForm::from_pairs(pairs);
    let req = f.request()?;
    match pay::validate(&state.app, &c, &req).await {
        Ok(plan) => Ok(Html(review_page(&tenant, &c, &csrf, &f, &req, &plan)?).into_response()),
        Err(PayError::Invalid(errors)) => invalid(&state, &tenant, &c, &csrf, &f, &req, errors).await,
        Err(PayError::App(e)) => Err(e.into()),
    }
}

fn review_page(
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    f: &PayForm,
    req: &PayRequest,
    plan: &Plan,
) -> WebResult<String> {
    let back = if f.mode == "multiple" {
        "/payments/multiple".to_string()
    } else {
        format!("/accounts/{}/pay", req.items.first().map(|i| i.account_id).unwrap_or(0))
    };
    let t = ReviewPage {
        p: portal_page(tenant, c, "Review your payment", "/payments", csrf),
        lines: plan
            .lines
            .iter()
            .map(|l| (l.view.account.number.clone(), l.view.account.product.clone(), money(l.amount)))
            .collect(),
        total: money(plan.total),
        count: plan.lines.len(),
        method: method_label(plan.method.kind, &plan.method.brand, &plan.method.last4),
        when: if plan.scheduled { short_date(plan.date) } else { "Today".into() },
        scheduled: plan.scheduled,
        warnings: plan.warnings.clone(),
        hidden: hidden_fields(f, req),
        back,
    };
    Ok(t.render()?)
}

/// Step 3: pay. The key makes a double click or a resubmission answer
/// with the first payment's receipt.
pub async fn confirm(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    require(&tenant)?;
    let f = PayForm::from_pairs(pairs);
    let req = f.request()?;
    match pay::submit(&state.app, &c, &req, &origin).await {
        Ok(reference) => Ok(Redirect::to(&format!("/payments/{reference}")).into_response()),
        Err(PayError::Invalid(errors)) => invalid(&state, &tenant, &c, &csrf, &f, &req, errors).await,
        Err(PayError::App(e)) => Err(e.into()),
    }
}

// -------------------------------------------------------------- receipt

#[derive(Template)]
#[template(path = "portal/payment.html")]
struct ReceiptPage {
    p: Page,
    reference: String,
    status: &'static str,
    status_key: PaymentStatus,
    kind: &'static str,
    amount: String,
    method: String,
    scheduled_on: String,
    submitted: String,
    failure: String,
    lines: Vec<(String, String, String)>,
    can_cancel: bool,
}

pub async fn receipt(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Path(reference): Path<String>,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    require(&tenant)?;
    let (p, items) = pay::find(&state.app, &c, &reference).await?;
    let m = portico_app::portal::method_used(&state.app, &c, p.method_id).await?;
    let settings = pay_settings(&state, &c).await?;
    let title = match p.status {
        PaymentStatus::Completed | PaymentStatus::Pending => "Payment receipt",
        PaymentStatus::Scheduled => "Payment scheduled",
        PaymentStatus::Processing => "Payment processing",
        _ => "Payment",
    };
    let t = ReceiptPage {
        p: portal_page(&tenant, &c, title, "/payments", &csrf).with_notice(Notice::from_code(q.m.as_deref())),
        status: p.status.label(),
        status_key: p.status,
        kind: p.kind.label(),
        amount: money(p.amount_cents),
        method: m.map(|m| method_label(m.kind, &m.brand, &m.last4)).unwrap_or_default(),
        scheduled_on: short_iso(&p.scheduled_on),
        submitted: when(p.submitted_at.or(Some(p.created_at))),
        failure: p.failure_message.clone().unwrap_or_default(),
        lines: items
            .iter()
            .map(|i| {
                let split = if i.transaction_id.is_some() {
                    format!(
                        "Principal {} · Interest {} · Fees {}",
                        money(i.principal_cents),
                        money(i.interest_cents),
                        money(i.fees_cents)
                    )
                } else {
                    String::new()
                };
                (i.account_number.clone(), money(i.amount_cents), split)
            })
            .collect(),
        can_cancel: p.status == PaymentStatus::Scheduled && may_pay(&c, &settings),
        reference: p.reference,
    };
    Ok(Html(t.render()?).into_response())
}

pub async fn cancel(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Path(reference): Path<String>,
) -> WebResult {
    require(&tenant)?;
    pay::cancel(&state.app, &c, &reference, &origin).await?;
    Ok(Redirect::to(&format!("/payments/{reference}?m=payment-cancelled")).into_response())
}

// ------------------------------------------------------ Payments Manager

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

#[derive(Deserialize, Default)]
pub struct MsgQuery {
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

/// The badge class of a payment status (portal and console).
pub(crate) fn badge(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Completed => "badge-success",
        PaymentStatus::Failed | PaymentStatus::Returned => "badge-danger",
        PaymentStatus::Cancelled | PaymentStatus::Reversed | PaymentStatus::Refunded => "badge-muted",
        PaymentStatus::Scheduled | PaymentStatus::Processing | PaymentStatus::Pending => "badge-info",
    }
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

// ------------------------------------------------------ payment methods

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

// --------------------------------------------------------------- AutoPay

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
