//! Payments in the console: list and search, one payment with cancel /
//! reverse / refund, ACH (NACHA export, return import), payment settings.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::authz::Permission;
use portico_app::console::{PaymentFilter as Filter, PaymentSettings};
use portico_app::payments::console::{self, ImportReport, SettingsInput};
use portico_app::payments::method_label;
use portico_app::{AppError, FieldErrors};
use portico_domain::codes::PaymentStatus;
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx, parse_id};
use crate::error::{WebError, WebResult};
use crate::layers::CsrfSeed;
use crate::page::{Form, Notice, Page, money, short_iso, when};
use crate::portal::payments::badge;
use crate::staff::staff_page;
use crate::state::AppState;

pub struct Row {
    pub id: i64,
    pub reference: String,
    pub date: String,
    pub contact_id: i64,
    pub contact: String,
    pub method: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub badge: &'static str,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "staff/payments.html")]
struct ListPage {
    p: Page,
    rows: Vec<Row>,
    q: ListQuery,
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    m: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<ListQuery>,
) -> WebResult {
    let filter = Filter {
        status: PaymentStatus::from_code(&q.status),
        search: Some(q.q.trim().to_string()).filter(|v| !v.is_empty()),
        limit: 300,
        ..Filter::default()
    };
    let rows = console::list(&state.app, &s, &filter)
        .await?
        .into_iter()
        .map(|l| Row {
            id: l.payment.id,
            reference: l.payment.reference.clone(),
            date: short_iso(&l.payment.scheduled_on),
            contact_id: l.payment.contact_id,
            contact: l.contact_name.clone(),
            method: method_label(l.method_kind, &l.method_brand, &l.method_last4),
            kind: l.payment.kind.label(),
            status: l.payment.status.label(),
            badge: badge(l.payment.status),
            amount: money(l.payment.amount_cents),
        })
        .collect();
    let t = ListPage {
        p: staff_page(&tenant, &s, "Payments", "payments", &csrf).with_notice(Notice::from_code(q.m.as_deref())),
        rows,
        statuses: PaymentStatus::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        q,
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "staff/payment.html")]
struct DetailPage {
    p: Page,
    id: i64,
    reference: String,
    contact_id: i64,
    status_key: PaymentStatus,
    status: &'static str,
    kind: &'static str,
    amount: String,
    method: String,
    gateway: String,
    gateway_ref: String,
    scheduled_on: String,
    created: String,
    submitted: String,
    completed: String,
    failure: String,
    trace: String,
    agent: bool,
    items: Vec<(i64, String, String, String)>,
    can_act: bool,
    errors: FieldErrors,
}

async fn detail_page(
    state: &AppState,
    tenant: &TenantCtx,
    s: &portico_app::auth::Staff,
    csrf: &str,
    id: i64,
    notice: Option<Notice>,
    errors: FieldErrors,
) -> WebResult<String> {
    let (p, items) = console::get(&state.app, s, id).await?;
    let m = portico_app::console::payment_method(&state.app, s, p.method_id).await?;
    let t = DetailPage {
        p: staff_page(tenant, s, &format!("Payment {}", p.reference), "payments", csrf).with_notice(notice),
        id: p.id,
        contact_id: p.contact_id,
        status_key: p.status,
        status: p.status.label(),
        kind: p.kind.label(),
        amount: money(p.amount_cents),
        method: m.map(|m| method_label(m.kind, &m.brand, &m.last4)).unwrap_or_default(),
        gateway: p.gateway.clone(),
        gateway_ref: p.gateway_ref.clone().unwrap_or_default(),
        scheduled_on: short_iso(&p.scheduled_on),
        created: when(Some(p.created_at)),
        submitted: when(p.submitted_at),
        completed: when(p.completed_at),
        failure: p.failure_message.clone().unwrap_or_default(),
        trace: p.trace_number.clone().unwrap_or_default(),
        agent: p.agent_user_id.is_some(),
        items: items
            .iter()
            .map(|i| {
                (
                    i.account_id,
                    i.account_number.clone(),
                    money(i.amount_cents),
                    if i.transaction_id.is_some() {
                        format!(
                            "principal {} · interest {} · fees {}",
                            money(i.principal_cents),
                            money(i.interest_cents),
                            money(i.fees_cents)
                        )
                    } else {
                        "not posted".into()
                    },
                )
            })
            .collect(),
        can_act: s.role.allows(Permission::ServicePayments),
        errors,
        reference: p.reference,
    };
    Ok(t.render()?)
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let html =
        detail_page(&state, &tenant, &s, &csrf, id, Notice::from_code(q.m.as_deref()), FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

async fn act_result(
    state: &AppState,
    tenant: &TenantCtx,
    s: &portico_app::auth::Staff,
    csrf: &str,
    id: i64,
    r: Result<(), AppError>,
    code: &str,
) -> WebResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/staff/payments/{id}?m={code}")).into_response()),
        Err(AppError::Conflict(m)) => {
            let html = detail_page(state, tenant, s, csrf, id, Some(Notice::error(m)), FieldErrors::new()).await?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let html = detail_page(state, tenant, s, csrf, id, None, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    let r = console::cancel(&state.app, &s, id, &origin).await;
    act_result(&state, &tenant, &s, &csrf, id, r, "payment-cancelled-staff").await
}

#[derive(Deserialize, Default)]
pub struct ReverseForm {
    #[serde(default)]
    reason: String,
}

pub async fn reverse(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Form(f): Form<ReverseForm>,
) -> WebResult {
    let r = console::reverse(&state.app, &s, id, &f.reason, &origin).await;
    act_result(&state, &tenant, &s, &csrf, id, r, "payment-reversed").await
}

pub async fn refund(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    let r = console::refund(&state.app, &s, id, &origin).await;
    act_result(&state, &tenant, &s, &csrf, id, r, "payment-refunded").await
}

// --------------------------------------------------------------------- ACH

#[derive(Template)]
#[template(path = "staff/ach.html")]
struct AchPage {
    p: Page,
    pending: Vec<(i64, String, String, String)>,
    pending_total: String,
    batches: Vec<(i64, String, String, i64, String, String)>,
    report: Option<ImportReport>,
    errors: FieldErrors,
    configured: bool,
}

async fn ach_page(
    state: &AppState,
    tenant: &TenantCtx,
    s: &portico_app::auth::Staff,
    csrf: &str,
    notice: Option<Notice>,
    report: Option<ImportReport>,
    errors: FieldErrors,
) -> WebResult<String> {
    let pending = console::unbatched(&state.app, s).await?;
    let settings = console::settings(&state.app, s).await?;
    let t = AchPage {
        p: staff_page(tenant, s, "ACH files", "payments", csrf).with_notice(notice),
        pending_total: money(pending.iter().map(|p| p.amount_cents).sum()),
        pending: pending
            .iter()
            .map(|p| (p.id, p.reference.clone(), short_iso(&p.scheduled_on), money(p.amount_cents)))
            .collect(),
        batches: console::batches(&state.app, s)
            .await?
            .into_iter()
            .map(|b| {
                (
                    b.id,
                    b.file_name,
                    short_iso(&b.effective_on),
                    b.entries,
                    money(b.total_debit_cents),
                    when(Some(b.created_at)),
                )
            })
            .collect(),
        report,
        errors,
        configured: !settings.ach_company_id.is_empty() && !settings.ach_odfi_routing.is_empty(),
    };
    Ok(t.render()?)
}

pub async fn ach(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let notice = match q.m.as_deref() {
        Some("exported") => Some(Notice::success("NACHA file created. Download it below and send it to your bank.")),
        other => Notice::from_code(other),
    };
    Ok(Html(ach_page(&state, &tenant, &s, &csrf, notice, None, FieldErrors::new()).await?).into_response())
}

pub async fn export(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    match console::export(&state.app, &s, &origin).await {
        Ok(_) => Ok(Redirect::to("/staff/payments/ach?m=exported").into_response()),
        Err(AppError::Conflict(m)) => {
            let html = ach_page(&state, &tenant, &s, &csrf, Some(Notice::error(m)), None, FieldErrors::new()).await?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Path(raw): Path<String>,
) -> WebResult {
    let id = parse_id(raw.strip_suffix(".ach").unwrap_or(&raw))?;
    let b = console::batch(&state.app, &s, id, &origin).await?;
    let disposition = format!("attachment; filename=\"{}\"", b.file_name.replace(['"', '\\'], ""));
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=us-ascii".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        b.content,
    )
        .into_response())
}

/// The largest returns file accepted.
pub const RETURNS_MAX_BYTES: usize = 2 * 1024 * 1024;

pub async fn import_returns(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    seed: Option<axum::Extension<CsrfSeed>>,
    mut mp: Multipart,
) -> WebResult {
    let mut sent_csrf = String::new();
    let mut text: Option<String> = None;
    let mut too_big = false;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                too_big = true;
                break;
            }
            Err(_) => return Err(WebError::BadRequest("The upload could not be read. Try again.".into())),
        };
        match field.name() {
            Some("csrf") => sent_csrf = field.text().await.unwrap_or_default(),
            Some("file") => match field.bytes().await {
                Ok(b) if b.len() > RETURNS_MAX_BYTES => too_big = true,
                Ok(b) => text = Some(String::from_utf8_lossy(&b).into_owned()),
                Err(_) => too_big = true,
            },
            _ => {}
        }
    }
    let seed_ok = seed.is_some_and(|axum::Extension(CsrfSeed(seed))| state.app.keys.csrf_ok(&seed, &sent_csrf));
    if !seed_ok {
        return Err(WebError::Forbidden("The form expired. Reload the page and try again.".into()));
    }
    let fail = |m: &str| FieldErrors::single("file", m.to_string());
    let result = match (too_big, text) {
        (true, _) => Err(fail("The file is larger than 2 MB.")),
        (false, None) => Err(fail("Choose the returns file your bank sent.")),
        (false, Some(t)) if t.trim().is_empty() => Err(fail("The file is empty.")),
        (false, Some(t)) => console::import_returns(&state.app, &s, &t, &origin).await,
    };
    match result {
        Ok(report) => {
            let html = ach_page(
                &state,
                &tenant,
                &s,
                &csrf,
                Some(Notice::success("Returns imported.")),
                Some(report),
                FieldErrors::new(),
            )
            .await?;
            Ok(Html(html).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let html = ach_page(&state, &tenant, &s, &csrf, None, None, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// --------------------------------------------------------------- settings

#[derive(Template)]
#[template(path = "staff/settings_payments.html")]
struct SettingsPage {
    p: Page,
    tab: &'static str,
    s: PaymentSettings,
    max_days: String,
    errors: FieldErrors,
}

pub async fn settings_page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    s.require(Permission::ManageSettings)?;
    let ps = console::settings(&state.app, &s).await?;
    let t = SettingsPage {
        p: staff_page(&tenant, &s, "Payment settings", "settings", &csrf)
            .with_notice(Notice::from_code(q.m.as_deref())),
        tab: "payments",
        max_days: ps.max_days_ahead.to_string(),
        s: ps,
        errors: FieldErrors::new(),
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    accept_cards: Option<String>,
    accept_bank: Option<String>,
    #[serde(default)]
    bank_gateway: String,
    #[serde(default)]
    terms: String,
    agent_payments: Option<String>,
    #[serde(default)]
    max_days_ahead: String,
    #[serde(default)]
    ach_company_name: String,
    #[serde(default)]
    ach_company_id: String,
    #[serde(default)]
    ach_odfi_routing: String,
    #[serde(default)]
    ach_destination_routing: String,
    #[serde(default)]
    ach_destination_name: String,
    #[serde(default)]
    ach_entry_description: String,
}

pub async fn settings_save(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<SettingsForm>,
) -> WebResult {
    let input = SettingsInput {
        accept_cards: f.accept_cards.is_some(),
        accept_bank: f.accept_bank.is_some(),
        bank_gateway: f.bank_gateway.clone(),
        terms: f.terms.clone(),
        agent_payments: f.agent_payments.is_some(),
        max_days_ahead: f.max_days_ahead.clone(),
        ach_company_name: f.ach_company_name.clone(),
        ach_company_id: f.ach_company_id.clone(),
        ach_odfi_routing: f.ach_odfi_routing.clone(),
        ach_destination_routing: f.ach_destination_routing.clone(),
        ach_destination_name: f.ach_destination_name.clone(),
        ach_entry_description: f.ach_entry_description.clone(),
    };
    match console::save_settings(&state.app, &s, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/payments?m=payment-settings-saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut ps = console::settings(&state.app, &s).await?;
            ps.accept_cards = input.accept_cards;
            ps.accept_bank = input.accept_bank;
            ps.bank_gateway = input.bank_gateway;
            ps.terms = input.terms;
            ps.agent_payments = input.agent_payments;
            ps.ach_company_name = input.ach_company_name;
            ps.ach_company_id = input.ach_company_id;
            ps.ach_odfi_routing = input.ach_odfi_routing;
            ps.ach_destination_routing = input.ach_destination_routing;
            ps.ach_destination_name = input.ach_destination_name;
            ps.ach_entry_description = input.ach_entry_description;
            let t = SettingsPage {
                p: staff_page(&tenant, &s, "Payment settings", "settings", &csrf),
                tab: "payments",
                s: ps,
                max_days: input.max_days_ahead,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
