//! The console's settlement program page of a contact: the program (fee
//! plan, dedicated account), the summary, the debts (add, edit, status,
//! settlement terms, sold to a new creditor), the program account's entries
//! and the payment schedule. Servicer role to change anything; every change
//! is audited by the use cases.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::settlement::{
    self as app, DRAFT_KINDS, DRAFT_STATUSES, DebtInput, DraftInput, ENTRY_CHOICES, EntryInput, ProgramInput,
    draft_kind_label, draft_status_label, to_domain,
};
use portico_app::{AppError, FieldErrors};
use portico_domain::settlement::{DebtStatus, EntryKind};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page, money, short_iso};
use crate::portal::debts::{DebtRow, debt_row};
use crate::staff::staff_page;
use crate::state::AppState;

const STATUS_CHOICES: [(&str, &str); 4] =
    [("unenrolled", "Unenrolled"), ("enrolled", "Enrolled"), ("settled", "Settled"), ("unsettled", "Unsettled")];
const FEE_BASES: [(&str, &str); 2] =
    [("enrolled_debt", "Enrolled debt of each settled debt"), ("savings", "Savings on each settled debt")];

pub struct StaffDebt {
    pub id: i64,
    pub row: DebtRow,
    pub valid: bool,
}

pub struct StaffEntry {
    pub id: i64,
    pub date: String,
    pub kind: &'static str,
    pub description: String,
    pub amount: String,
}

pub struct StaffDraft {
    pub id: i64,
    pub date: String,
    pub kind: &'static str,
    pub amount: String,
    pub status: String,
    pub status_label: &'static str,
    pub memo: String,
}

#[derive(Template)]
#[template(path = "staff/program.html")]
struct ProgramPage {
    p: Page,
    contact_id: i64,
    contact_name: String,
    can_act: bool,
    has_program: bool,
    summary: Vec<(&'static str, String)>,
    debts: Vec<StaffDebt>,
    entries: Vec<StaffEntry>,
    drafts: Vec<StaffDraft>,
    program: ProgramInput,
    program_errors: FieldErrors,
    fee_bases: Vec<(&'static str, &'static str)>,
    debt: DebtInput,
    debt_errors: FieldErrors,
    statuses: Vec<(&'static str, &'static str)>,
    entry: EntryInput,
    entry_errors: FieldErrors,
    entry_choices: Vec<(&'static str, &'static str)>,
    draft: DraftInput,
    draft_errors: FieldErrors,
    draft_kinds: Vec<(&'static str, &'static str)>,
    draft_statuses: Vec<(&'static str, &'static str)>,
}

/// Which form a re-render answers, with its input and errors.
enum Failed {
    None,
    Program(ProgramInput, FieldErrors),
    Debt(DebtInput, FieldErrors),
    Entry(EntryInput, FieldErrors),
    Draft(DraftInput, FieldErrors),
}

async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    contact_id: i64,
    notice: Option<Notice>,
    failed: Failed,
) -> WebResult<String> {
    let cp = app::contact_program(&state.app, s, contact_id).await?;
    let summary = match &cp.summary {
        Some(x) => vec![
            (
                "Debts enrolled",
                format!("{} ({} settled, {} unenrolled)", x.debts_enrolled, x.debts_settled, x.debts_unenrolled),
            ),
            ("Enrolled balance", money(x.enrolled_balance.0)),
            (
                "Progress",
                format!(
                    "{}% settled ({} of enrolled balance)",
                    x.progress_percent.normalize(),
                    money(x.settled_enrolled_balance.0)
                ),
            ),
            (
                "Settled for",
                format!("{} ({}% of settled balances)", money(x.settled_amount.0), x.settlement_percent.normalize()),
            ),
            (
                "Paid to creditors",
                format!("{} ({} still to pay)", money(x.paid_to_creditors.0), money(x.remaining_to_creditors.0)),
            ),
            (
                "Program fees",
                format!("{} performance + {} maintenance", money(x.performance_fees.0), money(x.maintenance_fees.0)),
            ),
            ("Savings", format!("{} (net of fees {})", money(x.savings.0), money(x.net_savings.0))),
        ],
        None => Vec::new(),
    };
    let mut t = ProgramPage {
        p: staff_page(
            tenant,
            s,
            &format!("Settlement program · {} {}", cp.contact.first_name, cp.contact.last_name),
            "contacts",
            csrf,
        )
        .with_notice(notice),
        contact_id,
        contact_name: format!("{} {}", cp.contact.first_name, cp.contact.last_name),
        can_act: s.role.allows(Permission::ServiceCustomers),
        has_program: cp.program.is_some(),
        summary,
        debts: cp
            .debts
            .iter()
            .map(|r| match to_domain(r) {
                Some(d) => StaffDebt { id: r.id, row: debt_row(&d), valid: true },
                None => StaffDebt {
                    id: r.id,
                    row: DebtRow {
                        current_creditor: r.current_creditor.clone().unwrap_or_else(|| r.original_creditor.clone()),
                        original_creditor: r.original_creditor.clone(),
                        sold: r.current_creditor.is_some(),
                        account: r.account_mask.clone(),
                        enrolled: money(r.enrolled_balance_cents),
                        current: money(r.current_balance_cents),
                        status: DebtStatus::from_key(&r.status).map(DebtStatus::label).unwrap_or("Unknown"),
                        status_badge: "badge-danger",
                        settlement: String::new(),
                        settlement_progress: String::new(),
                    },
                    valid: false,
                },
            })
            .collect(),
        entries: cp
            .entries
            .iter()
            .rev()
            .map(|e| StaffEntry {
                id: e.id,
                date: short_iso(&e.posted_on),
                kind: EntryKind::from_key(&e.kind).map(EntryKind::label).unwrap_or("Other"),
                description: e.description.clone(),
                amount: money(e.amount_cents),
            })
            .collect(),
        drafts: cp
            .drafts
            .iter()
            .map(|d| StaffDraft {
                id: d.id,
                date: short_iso(&d.due_on),
                kind: draft_kind_label(&d.kind),
                amount: money(d.amount_cents),
                status: d.status.clone(),
                status_label: draft_status_label(&d.status),
                memo: d.memo.clone(),
            })
            .collect(),
        program: ProgramInput::from_program(cp.program.as_ref()),
        program_errors: FieldErrors::new(),
        fee_bases: FEE_BASES.to_vec(),
        debt: DebtInput { status: "enrolled".into(), ..DebtInput::default() },
        debt_errors: FieldErrors::new(),
        statuses: STATUS_CHOICES.to_vec(),
        entry: EntryInput {
            kind: "deposit".into(),
            posted_on: portico_domain::validate::iso_date(portico_app::accounts::today()),
            ..EntryInput::default()
        },
        entry_errors: FieldErrors::new(),
        entry_choices: ENTRY_CHOICES.to_vec(),
        draft: DraftInput { kind: "debit".into(), status: "scheduled".into(), ..DraftInput::default() },
        draft_errors: FieldErrors::new(),
        draft_kinds: DRAFT_KINDS.to_vec(),
        draft_statuses: DRAFT_STATUSES.to_vec(),
    };
    match failed {
        Failed::None => {}
        Failed::Program(i, e) => (t.program, t.program_errors) = (i, e),
        Failed::Debt(i, e) => (t.debt, t.debt_errors) = (i, e),
        Failed::Entry(i, e) => (t.entry, t.entry_errors) = (i, e),
        Failed::Draft(i, e) => (t.draft, t.draft_errors) = (i, e),
    }
    Ok(t.render()?)
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

fn notice(code: Option<&str>) -> Option<Notice> {
    Some(match code? {
        "program-saved" => Notice::success("Program saved."),
        "debt-added" => Notice::success("Debt added. The customer sees it on their Debts page."),
        "debt-saved" => Notice::success("Debt saved."),
        "debt-deleted" => Notice::success("Debt deleted."),
        "entry-added" => Notice::success("Entry posted to the program account. Statements include it now."),
        "entry-deleted" => Notice::success("Entry deleted."),
        "draft-added" => Notice::success("Draft scheduled."),
        "draft-saved" => Notice::success("Draft status changed."),
        "draft-deleted" => Notice::success("Draft deleted."),
        other => return Notice::from_code(Some(other)),
    })
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let html = render(&state, &tenant, &s, &csrf, id, notice(q.m.as_deref()), Failed::None).await?;
    Ok(Html(html).into_response())
}

fn back(contact_id: i64, code: &str) -> Response {
    Redirect::to(&format!("/staff/contacts/{contact_id}/program?m={code}")).into_response()
}

fn refused(html: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
}

#[derive(Deserialize, Default)]
pub struct ProgramForm {
    #[serde(default)]
    enrolled_on: String,
    #[serde(default)]
    fee_basis: String,
    #[serde(default)]
    fee_percent: String,
    #[serde(default)]
    monthly_fee: String,
    #[serde(default)]
    account_provider: String,
    #[serde(default)]
    account_last4: String,
}

pub async fn save_program(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(contact_id): Id,
    Form(f): Form<ProgramForm>,
) -> WebResult {
    let input = ProgramInput {
        enrolled_on: f.enrolled_on,
        fee_basis: f.fee_basis,
        fee_percent: f.fee_percent,
        monthly_fee: f.monthly_fee,
        account_provider: f.account_provider,
        account_last4: f.account_last4,
    };
    match app::save_program(&state.app, &s, contact_id, &input, &origin).await {
        Ok(()) => Ok(back(contact_id, "program-saved")),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("The program was not saved. Correct the fields marked below."));
            Ok(refused(render(&state, &tenant, &s, &csrf, contact_id, n, Failed::Program(input, e)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct DebtForm {
    #[serde(default)]
    original_creditor: String,
    #[serde(default)]
    current_creditor: String,
    #[serde(default)]
    account_number: String,
    #[serde(default)]
    enrolled_balance: String,
    #[serde(default)]
    current_balance: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    settlement_amount: String,
    #[serde(default)]
    settlement_payments: String,
    #[serde(default)]
    settlement_paid: String,
}

impl From<DebtForm> for DebtInput {
    fn from(f: DebtForm) -> DebtInput {
        DebtInput {
            original_creditor: f.original_creditor,
            current_creditor: f.current_creditor,
            account_number: f.account_number,
            enrolled_balance: f.enrolled_balance,
            current_balance: f.current_balance,
            status: f.status,
            settlement_amount: f.settlement_amount,
            settlement_payments: f.settlement_payments,
            settlement_paid: f.settlement_paid,
        }
    }
}

pub async fn add_debt(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(contact_id): Id,
    Form(f): Form<DebtForm>,
) -> WebResult {
    let input = DebtInput::from(f);
    match app::add_debt(&state.app, &s, contact_id, &input, &origin).await {
        Ok(_) => Ok(back(contact_id, "debt-added")),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("The debt was not added. Correct the fields marked below."));
            let mut kept = input;
            kept.account_number.clear();
            Ok(refused(render(&state, &tenant, &s, &csrf, contact_id, n, Failed::Debt(kept, e)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "staff/debt.html")]
struct DebtPage {
    p: Page,
    id: i64,
    contact_id: i64,
    contact_name: String,
    account_mask: String,
    can_act: bool,
    debt: DebtInput,
    errors: FieldErrors,
    statuses: Vec<(&'static str, &'static str)>,
}

async fn render_debt(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    debt_id: i64,
    notice: Option<Notice>,
    input: Option<DebtInput>,
    errors: FieldErrors,
) -> WebResult<String> {
    let r = app::debt_for_staff(&state.app, s, debt_id).await?;
    let contact = portico_app::console::contact(&state.app, s, r.contact_id).await?;
    let t = DebtPage {
        p: staff_page(tenant, s, &format!("Debt · {}", r.original_creditor), "contacts", csrf).with_notice(notice),
        id: r.id,
        contact_id: r.contact_id,
        contact_name: format!("{} {}", contact.first_name, contact.last_name),
        account_mask: r.account_mask.clone(),
        can_act: s.role.allows(Permission::ServiceCustomers),
        debt: input.unwrap_or_else(|| DebtInput::from_row(&r)),
        errors,
        statuses: STATUS_CHOICES.to_vec(),
    };
    Ok(t.render()?)
}

pub async fn edit_page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    Ok(Html(render_debt(&state, &tenant, &s, &csrf, id, None, None, FieldErrors::new()).await?).into_response())
}

pub async fn update_debt(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(debt_id): Id,
    Form(f): Form<DebtForm>,
) -> WebResult {
    let input = DebtInput::from(f);
    match app::update_debt(&state.app, &s, debt_id, &input, &origin).await {
        Ok(contact_id) => Ok(back(contact_id, "debt-saved")),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("The debt was not saved. Correct the fields marked below."));
            let mut kept = input;
            kept.account_number.clear();
            Ok(refused(render_debt(&state, &tenant, &s, &csrf, debt_id, n, Some(kept), e).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_debt(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    let contact_id = app::delete_debt(&state.app, &s, id, &origin).await?;
    Ok(back(contact_id, "debt-deleted"))
}

#[derive(Deserialize, Default)]
pub struct EntryForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    posted_on: String,
    #[serde(default)]
    description: String,
}

pub async fn add_entry(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(contact_id): Id,
    Form(f): Form<EntryForm>,
) -> WebResult {
    let input = EntryInput { kind: f.kind, amount: f.amount, posted_on: f.posted_on, description: f.description };
    match app::add_entry(&state.app, &s, contact_id, &input, &origin).await {
        Ok(_) => Ok(back(contact_id, "entry-added")),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("Nothing was posted. Correct the fields marked below."));
            Ok(refused(render(&state, &tenant, &s, &csrf, contact_id, n, Failed::Entry(input, e)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_entry(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    let contact_id = app::delete_entry(&state.app, &s, id, &origin).await?;
    Ok(back(contact_id, "entry-deleted"))
}

#[derive(Deserialize, Default)]
pub struct DraftForm {
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    memo: String,
}

pub async fn add_draft(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(contact_id): Id,
    Form(f): Form<DraftForm>,
) -> WebResult {
    let input = DraftInput { due_on: f.due_on, kind: f.kind, amount: f.amount, status: f.status, memo: f.memo };
    match app::add_draft(&state.app, &s, contact_id, &input, &origin).await {
        Ok(_) => Ok(back(contact_id, "draft-added")),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("Nothing was scheduled. Correct the fields marked below."));
            Ok(refused(render(&state, &tenant, &s, &csrf, contact_id, n, Failed::Draft(input, e)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub async fn draft_status(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<StatusForm>,
) -> WebResult {
    let contact_id = app::set_draft_status(&state.app, &s, id, &f.status, &origin).await?;
    Ok(back(contact_id, "draft-saved"))
}

pub async fn delete_draft(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    let contact_id = app::delete_draft(&state.app, &s, id, &origin).await?;
    Ok(back(contact_id, "draft-deleted"))
}

#[derive(Template)]
#[template(path = "staff/settle_panel.html")]
struct Panel {
    contact_id: i64,
    debts: usize,
    progress: String,
    entries: usize,
    intake_values: usize,
    loans: usize,
    estimates_waiting: usize,
    plan: String,
}

/// The contact page's "Settlement program and student loans" panel.
pub async fn contact_panel(state: &AppState, s: &Staff, contact_id: i64) -> WebResult<String> {
    let cp = app::contact_program(&state.app, s, contact_id).await?;
    let (_, fields, extra) = app::intake_for_staff(&state.app, s, contact_id).await?;
    let loans = portico_app::student_loans::for_contact(&state.app, s, contact_id).await?;
    let t = Panel {
        contact_id,
        debts: cp.debts.len(),
        progress: cp
            .summary
            .as_ref()
            .map(|x| format!("{}% settled", x.progress_percent.normalize()))
            .unwrap_or_default(),
        entries: cp.entries.len(),
        intake_values: fields.iter().filter(|(_, v)| !v.is_empty()).count() + extra.len(),
        loans: loans.loans.len(),
        estimates_waiting: loans.estimates.iter().filter(|e| e.status == "shared").count(),
        plan: loans.plan.map(|p| portico_app::student_loans::plan_label(&p.plan).to_string()).unwrap_or_default(),
    };
    Ok(t.render()?)
}
