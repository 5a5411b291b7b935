//! Pay one account or several (Pay Multiple): the form, the review, the confirmation and the receipt (seed 004).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Customer;
use portico_app::payments::method_label;
use portico_app::payments::methods::{self};
use portico_app::payments::pay::{self, ItemInput, PayError, PayErrors, PayRequest, Plan};
use portico_app::servicing::AccountView;
use portico_app::{FieldErrors, accounts};
use portico_domain::codes::AccountKind;
use portico_domain::codes::PaymentStatus;
use portico_domain::section::Section;

use crate::ctx::{CsrfToken, CustomerCtx, Id, OriginCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, Page, money, short_date, short_iso, when};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

use super::{MethodRow, MsgQuery, may_pay, method_row, pay_settings, require};

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
