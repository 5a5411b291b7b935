//! Student loans in the console: a contact's loans and figures, the
//! estimates customers shared (the queue staff work from), and the plan
//! the company records, which the customer's Programs page shows.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::student_loans::{self as app, FILING_STATUSES, PlanForm, plan_label};
use portico_app::{AppError, FieldErrors};
use portico_domain::student_loan::plans::Plan;
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page, money, short_iso, when};
use crate::portal::student_loans::{PlanRow, estimate_inputs, stored_plan_rows};
use crate::staff::staff_page;
use crate::state::AppState;

pub struct EstimateLine {
    pub id: i64,
    pub reference: String,
    pub customer: String,
    pub contact_id: i64,
    pub when: String,
    pub balance: String,
    pub waiting: bool,
}

#[derive(Template)]
#[template(path = "staff/student_loans.html")]
struct ContactPage {
    p: Page,
    contact_id: i64,
    contact_name: String,
    can_act: bool,
    loans: Vec<(String, String, String, String)>,
    figures: Vec<(&'static str, String)>,
    estimates: Vec<EstimateLine>,
    plan: PlanForm,
    plan_recorded: String,
    errors: FieldErrors,
    plans: Vec<(&'static str, &'static str)>,
    estimate_choices: Vec<(String, String)>,
}

fn plan_choices() -> Vec<(&'static str, &'static str)> {
    Plan::ALL.iter().map(|p| (p.key(), p.label())).collect()
}

async fn render_contact(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    contact_id: i64,
    notice: Option<Notice>,
    typed: Option<PlanForm>,
    errors: FieldErrors,
) -> WebResult<String> {
    let v = app::for_contact(&state.app, s, contact_id).await?;
    let figures = match &v.profile {
        Some(p) if p.agi_cents.is_some() => vec![
            ("Adjusted gross income", p.agi_cents.map(money).unwrap_or_default()),
            ("Family size", p.family_size.map(|x| x.to_string()).unwrap_or_default()),
            ("Dependents", p.dependents.map(|x| x.to_string()).unwrap_or_default()),
            ("State", p.state.clone().unwrap_or_default()),
            (
                "Filing status",
                FILING_STATUSES
                    .iter()
                    .find(|(k, _)| Some(*k) == p.filing_status.as_deref())
                    .map(|(_, l)| l.to_string())
                    .unwrap_or_default(),
            ),
        ],
        _ => Vec::new(),
    };
    let t = ContactPage {
        p: staff_page(
            tenant,
            s,
            &format!("Student loans · {} {}", v.contact.first_name, v.contact.last_name),
            "contacts",
            csrf,
        )
        .with_notice(notice),
        contact_id,
        contact_name: format!("{} {}", v.contact.first_name, v.contact.last_name),
        can_act: s.role.allows(Permission::ServiceCustomers),
        loans: v
            .loans
            .iter()
            .map(|l| {
                (
                    format!("{} ({})", l.description, l.type_code),
                    money(l.balance_cents),
                    l.rate
                        .parse::<rust_decimal::Decimal>()
                        .map(|r| format!("{}%", (r * rust_decimal::Decimal::ONE_HUNDRED).normalize()))
                        .unwrap_or_else(|_| "—".into()),
                    if l.source == "file" { "Data file".to_string() } else { "Typed by the customer".to_string() },
                )
            })
            .collect(),
        figures,
        estimate_choices: v
            .estimates
            .iter()
            .map(|e| (e.id.to_string(), format!("{} ({})", e.reference, when(Some(e.shared_at)))))
            .collect(),
        estimates: v
            .estimates
            .iter()
            .map(|e| EstimateLine {
                id: e.id,
                reference: e.reference.clone(),
                customer: String::new(),
                contact_id,
                when: when(Some(e.shared_at)),
                balance: money(e.total_balance_cents),
                waiting: e.status == "shared",
            })
            .collect(),
        plan_recorded: v
            .plan
            .as_ref()
            .map(|p| format!("{} on {}", plan_label(&p.plan), when(Some(p.recorded_at))))
            .unwrap_or_default(),
        plan: typed.unwrap_or_else(|| PlanForm::from_plan(v.plan.as_ref())),
        errors,
        plans: plan_choices(),
    };
    Ok(t.render()?)
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

fn notice(code: Option<&str>) -> Option<Notice> {
    match code {
        Some("plan-recorded") => Some(Notice::success("Plan recorded. The customer sees it on their Programs page.")),
        Some("reviewed") => Some(Notice::success("Marked as reviewed.")),
        other => Notice::from_code(other),
    }
}

pub async fn contact_page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let html = render_contact(&state, &tenant, &s, &csrf, id, notice(q.m.as_deref()), None, FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

#[derive(Deserialize, Default)]
pub struct PlanFormData {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    monthly_payment: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    estimate_id: String,
}

pub async fn record_plan(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(contact_id): Id,
    Form(f): Form<PlanFormData>,
) -> WebResult {
    let form = PlanForm {
        plan: f.plan,
        monthly_payment: f.monthly_payment,
        starts_on: f.starts_on,
        note: f.note,
        estimate_id: f.estimate_id,
    };
    match app::record_plan(&state.app, &s, contact_id, &form, &origin).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/contacts/{contact_id}/student-loans?m=plan-recorded")).into_response())
        }
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("The plan was not recorded. Correct the fields marked below."));
            let html = render_contact(&state, &tenant, &s, &csrf, contact_id, n, Some(form), e).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "staff/student_loan_estimates.html")]
struct QueuePage {
    p: Page,
    rows: Vec<EstimateLine>,
}

pub async fn queue(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    let rows = app::shared_list(&state.app, &s)
        .await?
        .into_iter()
        .map(|(e, customer)| EstimateLine {
            id: e.id,
            reference: e.reference,
            customer,
            contact_id: e.contact_id,
            when: when(Some(e.shared_at)),
            balance: money(e.total_balance_cents),
            waiting: e.status == "shared",
        })
        .collect();
    let t = QueuePage { p: staff_page(&tenant, &s, "Shared estimates", "student-loans", &csrf), rows };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "staff/student_loan_estimate.html")]
struct EstimatePage {
    p: Page,
    id: i64,
    reference: String,
    contact_id: i64,
    contact_name: String,
    shared: String,
    as_of: String,
    waiting: bool,
    can_act: bool,
    inputs: Vec<(&'static str, String)>,
    poverty: String,
    plans: Vec<PlanRow>,
}

pub async fn estimate(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let (e, plans, contact) = app::estimate_for_staff(&state.app, &s, id).await?;
    let (inputs, poverty) = estimate_inputs(&e);
    let t = EstimatePage {
        p: staff_page(&tenant, &s, &format!("Estimate {}", e.reference), "student-loans", &csrf)
            .with_notice(notice(q.m.as_deref())),
        id: e.id,
        reference: e.reference.clone(),
        contact_id: e.contact_id,
        contact_name: format!("{} {}", contact.first_name, contact.last_name),
        shared: when(Some(e.shared_at)),
        as_of: short_iso(&e.as_of),
        waiting: e.status == "shared",
        can_act: s.role.allows(Permission::ServiceCustomers),
        inputs,
        poverty,
        plans: stored_plan_rows(&plans),
    };
    Ok(Html(t.render()?).into_response())
}

pub async fn reviewed(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(estimate_id): Id,
) -> WebResult<Response> {
    app::mark_reviewed(&state.app, &s, estimate_id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/student-loans/estimates/{estimate_id}?m=reviewed")).into_response())
}
