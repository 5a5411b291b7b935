//! The settlement program's dedicated account with monthly statements (PDF,
//! seed 000), the payment schedule (seed 001), and the Profile from intake
//! data with the file's stage and status (seed 001).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use portico_app::settlement;
use portico_domain::section::Section;
use portico_domain::settlement::{DraftKind, DraftStatus};

use crate::ctx::{CsrfToken, CustomerCtx, OriginCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Page, money, short_date};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

pub struct EntryRow {
    pub date: String,
    pub kind: &'static str,
    pub description: String,
    pub amount: String,
    pub money_in: bool,
    pub balance: String,
}

pub struct StatementRow {
    pub key: String,
    pub label: String,
    pub closing: String,
}

#[derive(Template)]
#[template(path = "portal/program.html")]
struct ProgramPage {
    p: Page,
    account_label: String,
    balance: String,
    deposits: String,
    fees: String,
    creditor_payments: String,
    recent: Vec<EntryRow>,
    statements: Vec<StatementRow>,
    delivery: String,
    is_agent: bool,
}

pub async fn account(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    tenant.require(Section::ProgramAccount)?;
    let v = settlement::program_account(&state.app, &c).await?;
    let account_label = match &v.program {
        Some(p) if !p.account_last4.is_empty() => {
            let provider = if p.account_provider.is_empty() { "Program account" } else { p.account_provider.as_str() };
            format!("{provider} ••••{}", p.account_last4)
        }
        _ => "Program account".into(),
    };
    let t = ProgramPage {
        p: portal_page(&tenant, &c, "Program account", "/program", &csrf),
        account_label,
        balance: money(v.balance.0),
        deposits: money(v.deposits_total.0),
        fees: money(-v.fees_total.0),
        creditor_payments: money(-v.creditor_payments_total.0),
        recent: v
            .recent
            .iter()
            .map(|(e, bal)| EntryRow {
                date: short_date(e.date),
                kind: e.kind.label(),
                description: e.description.clone(),
                amount: crate::page::signed_money(e.amount.0),
                money_in: e.amount.0 > 0,
                balance: money(bal.0),
            })
            .collect(),
        statements: v
            .statements
            .iter()
            .map(|(m, closing)| StatementRow { key: m.key(), label: m.to_string(), closing: money(closing.0) })
            .collect(),
        delivery: match v.delivery.as_deref() {
            Some("paper") => "Paper: statements are mailed to you.".into(),
            Some("paperless") => "Paperless: we e-mail you when a statement is ready.".into(),
            _ => String::new(),
        },
        is_agent: c.is_agent(),
    };
    Ok(Html(t.render()?).into_response())
}

/// `/program/statements/2026-03.pdf`: generated on request from the stored
/// entries; another customer's month is simply not in this customer's
/// account (404), and Agents are refused (audited).
pub async fn statement_pdf(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Path(file): Path<String>,
) -> WebResult<Response> {
    tenant.require(Section::ProgramAccount)?;
    let key = file.strip_suffix(".pdf").ok_or(WebError::NotFound)?;
    let bytes = settlement::statement_pdf(&state.app, &c, key, &origin).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"program-statement-{key}.pdf\"")),
        ],
        bytes,
    )
        .into_response())
}

pub struct DraftRow {
    pub date: String,
    pub kind: &'static str,
    pub memo: String,
    pub amount: String,
    pub status: &'static str,
    pub badge: &'static str,
    pub upcoming: bool,
}

#[derive(Template)]
#[template(path = "portal/program_schedule.html")]
struct SchedulePage {
    p: Page,
    rows: Vec<DraftRow>,
    debits_only: bool,
    next: Option<(String, String)>,
}

fn draft_status(s: DraftStatus) -> (&'static str, &'static str) {
    match s {
        DraftStatus::Scheduled => ("Scheduled", "badge-info"),
        DraftStatus::Pending => ("Pending", "badge-warning"),
        DraftStatus::Cleared => ("Cleared", "badge-success"),
        DraftStatus::Returned => ("Returned", "badge-danger"),
        DraftStatus::Skipped => ("Skipped", "badge-muted"),
        DraftStatus::Cancelled => ("Cancelled", "badge-muted"),
    }
}

pub async fn schedule(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    tenant.require(Section::PaymentSchedule)?;
    let (drafts, debits_only) = settlement::schedule(&state.app, &c).await?;
    let today = portico_app::accounts::today();
    // "Next draft" is the next debit from the customer's bank, never a fee
    // or a credit that happens to come first.
    let next =
        portico_domain::settlement::next_draft(&drafts, portico_domain::settlement::ScheduleFilter::DebitsOnly, today)
            .map(|d| (money(d.amount.0), short_date(d.date)));
    let rows = drafts
        .iter()
        .map(|d| {
            let (status, badge) = draft_status(d.status);
            DraftRow {
                date: short_date(d.date),
                kind: match d.kind {
                    DraftKind::Debit => "Debit",
                    DraftKind::Credit => "Credit",
                    DraftKind::Fee => "Fee",
                },
                memo: d.memo.clone(),
                // The program account's sign: + a draft into it, − a credit
                // back to you or a fee out of it.
                amount: crate::page::signed_money(match d.kind {
                    DraftKind::Debit => d.amount.0.abs(),
                    DraftKind::Credit | DraftKind::Fee => -d.amount.0.abs(),
                }),
                status,
                badge,
                upcoming: d.date >= today,
            }
        })
        .collect();
    let t =
        SchedulePage { p: portal_page(&tenant, &c, "Payment schedule", "/schedule", &csrf), rows, debits_only, next };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "portal/profile.html")]
struct ProfilePage {
    p: Page,
    name: String,
    customer_number: String,
    stage: String,
    status: String,
    show_stage_status: bool,
    fields: Vec<(String, String)>,
}

pub async fn profile(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    tenant.require(Section::Profile)?;
    let fields = settlement::profile(&state.app, &c)
        .await?
        .into_iter()
        .map(|(f, v)| {
            let shown = if v.is_empty() { String::new() } else { settlement::display_value(&f.field_type, &v) };
            (f.label, shown)
        })
        .collect();
    let t = ProfilePage {
        p: portal_page(&tenant, &c, "Profile", "/profile", &csrf),
        name: format!("{} {}", c.contact.first_name, c.contact.last_name),
        customer_number: c.contact.customer_number.clone(),
        stage: c.contact.stage.clone(),
        status: c.contact.status.clone(),
        show_stage_status: tenant.0.settings.show_stage_status
            && !(c.contact.stage.is_empty() && c.contact.status.is_empty()),
        fields,
    };
    Ok(Html(t.render()?).into_response())
}
