//! Student loans and Programs (seed 001, student-loan file type): upload the
//! federal aid data file or type loans, enter income and family figures, see
//! the repayment estimates per plan (clearly labelled as estimates, with the
//! rules and poverty-guideline figures named), share them with the company,
//! and see the shared estimates and the plan the company recorded.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Customer;
use portico_app::portal::{EstimatePlanRow, EstimateRow};
use portico_app::student_loans::{
    self as sl, FILING_STATUSES, IncomeForm, LOAN_TYPES, LoanForm, MAX_UPLOAD_BYTES, STATES, plan_label,
};
use portico_app::{AppError, FieldErrors};
use portico_domain::section::Section;
use portico_domain::student_loan::LoanKind;
use portico_domain::student_loan::plans::{Estimates, Region};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, Id, OriginCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::layers::{CsrfSeed, multipart_csrf_ok};
use crate::page::{Form, Notice, Page, money, short_iso, when};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

pub struct LoanRow {
    pub id: i64,
    pub kind: String,
    pub school: String,
    pub balance: String,
    pub rate: String,
    pub first_disbursed: String,
    pub manual: bool,
}

/// One plan's estimate as shown (also for a shared estimate).
pub struct PlanRow {
    pub plan: String,
    pub eligible: bool,
    pub reason: String,
    pub first: String,
    pub last: String,
    pub payments: String,
    pub total: String,
    pub forgiven: String,
    pub notes: Vec<String>,
}

pub struct Basis {
    pub total_balance: String,
    pub rate: String,
    pub region: String,
    pub poverty_year: i32,
    pub guideline: String,
    pub guideline_150: String,
    pub discretionary: String,
}

#[derive(Template)]
#[template(path = "portal/student_loans.html")]
struct LoansPage {
    p: Page,
    file_upload: bool,
    file_note: String,
    loans: Vec<LoanRow>,
    total: String,
    upload_errors: FieldErrors,
    loan_errors: FieldErrors,
    loan: LoanForm,
    loan_types: Vec<(&'static str, &'static str)>,
    income_errors: FieldErrors,
    income: IncomeForm,
    states: Vec<(&'static str, &'static str)>,
    filing_statuses: Vec<(&'static str, &'static str)>,
    basis: Option<Basis>,
    plans: Vec<PlanRow>,
    share_error: String,
    is_agent: bool,
    max_upload: &'static str,
    guideline_table: Vec<(String, String)>,
    poverty_year: i32,
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

fn pct(rate: &str) -> String {
    rate.parse::<Decimal>()
        .map(|r| format!("{}%", (r * Decimal::ONE_HUNDRED).round_dp(3).normalize()))
        .unwrap_or_else(|_| "—".into())
}

fn months(n: i64) -> String {
    if n % 12 == 0 { format!("{n} ({} years)", n / 12) } else { format!("{n}") }
}

pub fn plan_rows(e: &Estimates) -> Vec<PlanRow> {
    e.plans
        .iter()
        .map(|p| {
            let f = p.figures.as_ref();
            PlanRow {
                plan: p.plan.label().to_string(),
                eligible: p.eligible,
                reason: p.reason.clone().unwrap_or_default(),
                first: f.map(|f| money(f.first_payment.0)).unwrap_or_default(),
                last: f.map(|f| money(f.last_payment.0)).unwrap_or_default(),
                payments: f.map(|f| months(i64::from(f.payments))).unwrap_or_default(),
                total: f.map(|f| money(f.total_paid.0)).unwrap_or_default(),
                forgiven: f.map(|f| money(f.forgiven.0)).unwrap_or_default(),
                notes: p.notes.clone(),
            }
        })
        .collect()
}

pub fn stored_plan_rows(rows: &[EstimatePlanRow]) -> Vec<PlanRow> {
    let m = |c: Option<i64>| c.map(money).unwrap_or_default();
    rows.iter()
        .map(|p| PlanRow {
            plan: plan_label(&p.plan).to_string(),
            eligible: p.eligible,
            reason: p.reason.clone(),
            first: m(p.first_payment_cents),
            last: m(p.last_payment_cents),
            payments: p.payments.map(months).unwrap_or_default(),
            total: m(p.total_paid_cents),
            forgiven: m(p.forgiven_cents),
            notes: p.notes.lines().map(str::to_string).filter(|l| !l.is_empty()).collect(),
        })
        .collect()
}

fn basis(e: &Estimates) -> Basis {
    Basis {
        total_balance: money(e.total_balance.0),
        rate: format!("{}%", e.weighted_rate_percent.normalize()),
        region: e.region.label().to_string(),
        poverty_year: e.poverty_year,
        guideline: money(e.poverty_guideline.0),
        guideline_150: money(e.poverty_guideline.0 * 3 / 2),
        discretionary: money(e.discretionary_income.0),
    }
}

/// The guideline figures the estimator uses, for the page's "rules" box.
fn guideline_table() -> Vec<(String, String)> {
    [Region::Contiguous, Region::Alaska, Region::Hawaii]
        .into_iter()
        .map(|r| {
            let (first, each) = r.guideline_figures();
            (
                r.label().to_string(),
                format!("{} for one person, plus {} for each additional person", money(first.0), money(each.0)),
            )
        })
        .collect()
}

struct Errors {
    upload: FieldErrors,
    loan: FieldErrors,
    income: FieldErrors,
    share: String,
}

impl Errors {
    fn none() -> Errors {
        Errors {
            upload: FieldErrors::new(),
            loan: FieldErrors::new(),
            income: FieldErrors::new(),
            share: String::new(),
        }
    }
}

async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    notice: Option<Notice>,
    errors: Errors,
    loan: Option<LoanForm>,
    income: Option<IncomeForm>,
) -> WebResult<String> {
    let v = sl::view(&state.app, c).await?;
    let total: i64 = v.loans.iter().map(|l| l.balance_cents).fold(0, i64::saturating_add);
    let file_note = match &v.profile {
        Some(p) if p.file_uploaded_at.is_some() => format!(
            "From {} uploaded {}{}.",
            p.file_name.as_deref().unwrap_or("your data file"),
            when(p.file_uploaded_at),
            p.file_request_date.as_deref().map(|d| format!(" (file dated {})", short_iso(d))).unwrap_or_default()
        ),
        _ => String::new(),
    };
    let t = LoansPage {
        p: portal_page(tenant, c, "Student loans", "/student-loans", csrf).with_notice(notice),
        file_upload: v.file_upload,
        file_note,
        loans: v
            .loans
            .iter()
            .map(|l| LoanRow {
                id: l.id,
                kind: if l.description.is_empty() {
                    LoanKind::from_code(&l.type_code).label().to_string()
                } else {
                    format!("{} ({})", l.description, l.type_code)
                },
                school: l.school.clone(),
                balance: money(l.balance_cents),
                rate: if l.rate.is_empty() { "not in the file".into() } else { pct(&l.rate) },
                first_disbursed: l.first_disbursed.as_deref().map(short_iso).unwrap_or_else(|| "—".into()),
                manual: l.source == "manual",
            })
            .collect(),
        total: money(total),
        upload_errors: errors.upload,
        loan_errors: errors.loan,
        loan: loan.unwrap_or_else(|| LoanForm { type_code: "D2".into(), ..LoanForm::default() }),
        loan_types: LOAN_TYPES.to_vec(),
        income_errors: errors.income,
        income: income.unwrap_or_else(|| IncomeForm::from_profile(v.profile.as_ref())),
        states: STATES.to_vec(),
        filing_statuses: FILING_STATUSES.to_vec(),
        basis: v.estimates.as_ref().map(basis),
        plans: v.estimates.as_ref().map(plan_rows).unwrap_or_default(),
        share_error: errors.share,
        is_agent: c.is_agent(),
        max_upload: "1 MB",
        guideline_table: guideline_table(),
        poverty_year: portico_domain::student_loan::plans::POVERTY_GUIDELINES_YEAR,
    };
    Ok(t.render()?)
}

fn refused(html: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    tenant.require(Section::StudentLoans)?;
    let html = render(&state, &tenant, &c, &csrf, notice(q.m.as_deref()), Errors::none(), None, None).await?;
    Ok(Html(html).into_response())
}

fn notice(code: Option<&str>) -> Option<Notice> {
    match code {
        Some("loans-uploaded") => Some(Notice::success("Your data file was read. Your loans are listed below.")),
        Some("loan-added") => Some(Notice::success("Loan added.")),
        Some("loan-removed") => Some(Notice::success("Loan removed.")),
        Some("estimated") => Some(Notice::success("Your estimates are below.")),
        other => Notice::from_code(other),
    }
}

/// The data file upload: the CSRF token is checked by hand (multipart), the
/// file is read in chunks and refused as soon as it passes the limit, so a
/// huge file is never held or stored; a file the parser refuses changes
/// nothing, and the message names the line.
pub async fn upload(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    seed: Option<axum::Extension<CsrfSeed>>,
    mut mp: Multipart,
) -> WebResult {
    tenant.require(Section::StudentLoans)?;
    sl::check_may_upload(&state.app, &c, &origin).await?;
    let too_big = "This file is larger than 1 MB, which a student aid data file never is. Nothing was saved.";
    let mut sent_csrf = String::new();
    let mut name = String::new();
    let mut data: Vec<u8> = Vec::new();
    let mut over = false;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                over = true;
                break;
            }
            Err(_) => return Err(WebError::BadRequest("The upload could not be read. Nothing was saved.".into())),
        };
        match field.name() {
            Some("csrf") => sent_csrf = field.text().await.unwrap_or_default().chars().take(200).collect(),
            Some("file") => {
                name = field.file_name().unwrap_or("MyStudentData.txt").to_string();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if data.len() + chunk.len() > MAX_UPLOAD_BYTES {
                                over = true;
                                data.clear();
                                break;
                            }
                            data.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            over = true;
                            data.clear();
                            break;
                        }
                        Err(_) => {
                            return Err(WebError::BadRequest("The upload was interrupted. Nothing was saved.".into()));
                        }
                    }
                }
                if over {
                    break;
                }
            }
            _ => {}
        }
    }
    if !over && !multipart_csrf_ok(&state, seed.as_ref().map(|e| &e.0), &sent_csrf) {
        return Err(WebError::Forbidden("This form has expired. Reload the page and try again.".into()));
    }
    let result = if over {
        Err(FieldErrors::single("file", too_big))
    } else {
        sl::upload(&state.app, &c, &name, &data, &origin).await
    };
    match result {
        Ok(_) => Ok(Redirect::to("/student-loans?m=loans-uploaded").into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Errors { upload: e, ..Errors::none() };
            let n = Some(Notice::error("The file was not accepted, and your loans on file did not change."));
            Ok(refused(render(&state, &tenant, &c, &csrf, n, errors, None, None).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct LoanFormData {
    #[serde(default)]
    type_code: String,
    #[serde(default)]
    balance: String,
    #[serde(default)]
    rate: String,
    #[serde(default)]
    first_disbursed: String,
    #[serde(default)]
    school: String,
}

pub async fn add_loan(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<LoanFormData>,
) -> WebResult {
    tenant.require(Section::StudentLoans)?;
    let form = LoanForm {
        type_code: f.type_code,
        balance: f.balance,
        rate: f.rate,
        first_disbursed: f.first_disbursed,
        school: f.school,
    };
    match sl::add_loan(&state.app, &c, &form, &origin).await {
        Ok(_) => Ok(Redirect::to("/student-loans?m=loan-added#loans-title").into_response()),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("The loan was not added. Correct the fields marked below."));
            let errors = Errors { loan: e, ..Errors::none() };
            Ok(refused(render(&state, &tenant, &c, &csrf, n, errors, Some(form), None).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_loan(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    tenant.require(Section::StudentLoans)?;
    sl::delete_loan(&state.app, &c, id, &origin).await?;
    Ok(Redirect::to("/student-loans?m=loan-removed").into_response())
}

#[derive(Deserialize, Default)]
pub struct IncomeData {
    #[serde(default)]
    agi: String,
    #[serde(default)]
    family_size: String,
    #[serde(default)]
    dependents: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    filing_status: String,
}

pub async fn estimate(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<IncomeData>,
) -> WebResult {
    tenant.require(Section::StudentLoans)?;
    let form = IncomeForm {
        agi: f.agi.chars().take(40).collect(),
        family_size: f.family_size.chars().take(10).collect(),
        dependents: f.dependents.chars().take(10).collect(),
        state: f.state.chars().take(4).collect(),
        filing_status: f.filing_status.chars().take(30).collect(),
    };
    match sl::save_income(&state.app, &c, &form, &origin).await {
        Ok(_) => Ok(Redirect::to("/student-loans?m=estimated#estimates-title").into_response()),
        Err(AppError::Invalid(mut e)) => {
            let mut errors = Errors::none();
            if let Some(m) = e.get("loans").map(str::to_string) {
                e.0.retain(|(k, _)| *k != "loans");
                errors.loan.add("type_code", m.clone());
                if e.is_empty() {
                    e.add("form", m);
                }
            }
            errors.income = e;
            let n = Some(Notice::error("No estimate yet: correct the figures marked below. Nothing was saved."));
            Ok(refused(render(&state, &tenant, &c, &csrf, n, errors, None, Some(form)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn share(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    tenant.require(Section::StudentLoans)?;
    match sl::share(&state.app, &c, &origin).await {
        Ok(id) => Ok(Redirect::to(&format!("/student-loans/estimates/{id}?m=shared")).into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Errors {
                share: e.get("share").unwrap_or("The estimate could not be shared.").into(),
                ..Errors::none()
            };
            Ok(refused(render(&state, &tenant, &c, &csrf, None, errors, None, None).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub struct SharedRow {
    pub id: i64,
    pub reference: String,
    pub when: String,
    pub balance: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "portal/programs.html")]
struct ProgramsPage {
    p: Page,
    shared: Vec<SharedRow>,
    plan: Option<RecordedView>,
}

pub struct RecordedView {
    pub plan: String,
    pub monthly: String,
    pub starts: String,
    pub note: String,
    pub recorded: String,
}

fn shared_row(e: &EstimateRow) -> SharedRow {
    SharedRow {
        id: e.id,
        reference: e.reference.clone(),
        when: when(Some(e.shared_at)),
        balance: money(e.total_balance_cents),
        status: if e.status == "reviewed" { "Reviewed" } else { "Sent, awaiting review" },
    }
}

pub async fn programs(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    tenant.require(Section::StudentLoans)?;
    let (shared, plan) = sl::programs(&state.app, &c).await?;
    let t = ProgramsPage {
        p: portal_page(&tenant, &c, "Programs", "/programs", &csrf),
        shared: shared.iter().map(shared_row).collect(),
        plan: plan.map(|p| RecordedView {
            plan: plan_label(&p.plan).to_string(),
            monthly: p.monthly_payment_cents.map(money).unwrap_or_default(),
            starts: p.starts_on.as_deref().map(short_iso).unwrap_or_default(),
            note: p.note,
            recorded: when(Some(p.recorded_at)),
        }),
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "portal/student_loans_estimate.html")]
struct SharedPage {
    p: Page,
    e: SharedRow,
    as_of: String,
    inputs: Vec<(&'static str, String)>,
    poverty: String,
    plans: Vec<PlanRow>,
}

pub fn estimate_inputs(e: &EstimateRow) -> (Vec<(&'static str, String)>, String) {
    let filing = FILING_STATUSES.iter().find(|(k, _)| *k == e.filing_status).map(|(_, l)| *l).unwrap_or("");
    let inputs = vec![
        ("Loans", format!("{} totalling {}", e.loans, money(e.total_balance_cents))),
        ("Average interest rate", format!("{}%", e.weighted_rate)),
        ("Adjusted gross income", money(e.agi_cents)),
        ("Family size", e.family_size.to_string()),
        ("Dependents", e.dependents.to_string()),
        ("State", e.state.clone()),
        ("Filing status", filing.to_string()),
        ("Discretionary income (IBR)", money(e.discretionary_income_cents)),
    ];
    let poverty = format!(
        "{} HHS poverty guideline for a family of {}: {}",
        e.poverty_year,
        e.family_size,
        money(e.poverty_guideline_cents)
    );
    (inputs, poverty)
}

pub async fn shared_estimate(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    tenant.require(Section::StudentLoans)?;
    let (e, plans) = sl::shared(&state.app, &c, id).await?;
    let (inputs, poverty) = estimate_inputs(&e);
    let n = match q.m.as_deref() {
        Some("shared") => Some(Notice::success(format!(
            "Your estimate {} was sent to {}. They will review it.",
            e.reference, tenant.0.company.name
        ))),
        _ => None,
    };
    let t = SharedPage {
        p: portal_page(&tenant, &c, &format!("Estimate {}", e.reference), "/programs", &csrf).with_notice(n),
        as_of: short_iso(&e.as_of),
        e: shared_row(&e),
        inputs,
        poverty,
        plans: stored_plan_rows(&plans),
    };
    Ok(Html(t.render()?).into_response())
}

#[cfg(test)]
mod tests {
    use portico_domain::loan::Cents;
    use portico_domain::student_loan::plans::{POVERTY_GUIDELINES_YEAR, poverty_guideline};

    use super::*;

    #[test]
    fn the_rules_box_names_the_estimators_figures() {
        let t = guideline_table();
        assert_eq!(t.len(), 3);
        assert!(t[0].1.starts_with("$15,650.00 for one person, plus $5,500.00"));
        assert_eq!(POVERTY_GUIDELINES_YEAR, 2025);
        assert_eq!(poverty_guideline(Region::Contiguous, 3), Cents(2_665_000));
    }
}
