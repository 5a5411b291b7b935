//! Debts (seed 000) or Creditors (seed 001): the settlement program's
//! summary with its progress bar, and each debt with its current creditor
//! in bold above the original one. Figures come from
//! `portico_domain::settlement::ProgramSummary`.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use portico_app::settlement::{self, debts_name};
use portico_domain::section::Section;
use portico_domain::settlement::{Debt, DebtStatus};
use rust_decimal::Decimal;

use crate::ctx::{CsrfToken, CustomerCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Page, money, short_iso};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub note: String,
}

pub struct DebtRow {
    pub current_creditor: String,
    pub original_creditor: String,
    pub sold: bool,
    pub account: String,
    pub enrolled: String,
    pub current: String,
    pub status: &'static str,
    pub status_badge: &'static str,
    /// "$1,912.50 (45% of the enrolled balance) in 4 payments"
    pub settlement: String,
    /// "$478.13 paid, $1,434.37 to go"
    pub settlement_progress: String,
}

#[derive(Template)]
#[template(path = "portal/debts.html")]
struct DebtsPage {
    p: Page,
    name: &'static str,
    missing: Vec<(i64, String)>,
    documents_on: bool,
    has_summary: bool,
    progress: u8,
    progress_text: String,
    figures: Vec<Figure>,
    enrolled_on: String,
    debts: Vec<DebtRow>,
    hidden_statuses: bool,
}

pub fn status_badge(s: DebtStatus) -> &'static str {
    match s {
        DebtStatus::Unenrolled => "badge-muted",
        DebtStatus::Enrolled => "badge-info",
        DebtStatus::Settled => "badge-success",
        DebtStatus::Unsettled => "badge-warning",
    }
}

fn pct(d: Decimal) -> String {
    format!("{}%", d.round_dp(2).normalize())
}

pub fn debt_row(d: &Debt) -> DebtRow {
    let (settlement, progress) = match &d.settlement {
        Some(t) if d.status == DebtStatus::Unsettled => (
            format!("A settlement of {} fell through; it is being negotiated again", money(t.amount.0)),
            format!("{} was paid under it", money(t.paid.0)),
        ),
        Some(t) => (
            format!(
                "{} ({} of the enrolled balance) in {} payment{}",
                money(t.amount.0),
                pct(t.percent_of(d.enrolled_balance)),
                t.payments,
                if t.payments == 1 { "" } else { "s" }
            ),
            format!("{} paid, {} to go", money(t.paid.0), money(t.remaining().0)),
        ),
        None => (String::new(), String::new()),
    };
    DebtRow {
        current_creditor: d.current_creditor().to_string(),
        original_creditor: d.original_creditor.trim().to_string(),
        sold: d.was_sold(),
        account: d.masked_account(),
        enrolled: money(d.enrolled_balance.0),
        // A settled debt is no longer owed at its balance: what is left is
        // what the settlement still has to pay the creditor.
        current: match (&d.settlement, d.status) {
            (Some(t), DebtStatus::Settled) if t.remaining().0 > 0 => {
                format!("Settled, {} left to pay the creditor", money(t.remaining().0))
            }
            (Some(_), DebtStatus::Settled) => "Settled and paid".into(),
            _ => money(d.current_balance.0),
        },
        status: d.status.label(),
        status_badge: status_badge(d.status),
        settlement,
        settlement_progress: progress,
    }
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    let name = debts_name(&tenant.sections()).ok_or(WebError::NotFound)?;
    let v = settlement::debts_view(&state.app, &c).await?;
    let shown = settlement::statuses_shown(&settlement::settings(&state.app, c.company_id).await?);
    let (has_summary, progress, progress_text, figures) = match &v.summary {
        Some(s) => {
            let fees = s.performance_fees.0.saturating_add(s.maintenance_fees.0);
            let mut figures = vec![
                Figure {
                    label: "Debts enrolled",
                    value: s.debts_enrolled.to_string(),
                    note: format!("{} settled", s.debts_settled),
                },
                Figure { label: "Enrolled balance", value: money(s.enrolled_balance.0), note: String::new() },
                Figure {
                    label: "Settled so far",
                    value: money(s.settled_enrolled_balance.0),
                    note: format!("of enrolled balance, settled for {}", money(s.settled_amount.0)),
                },
                Figure {
                    label: "Paid to creditors",
                    value: money(s.paid_to_creditors.0),
                    note: format!("{} still to pay under settlements", money(s.remaining_to_creditors.0)),
                },
                Figure {
                    label: "Program fees, whole program",
                    value: money(fees),
                    note: format!(
                        "{} settlement fees + {} account fees",
                        money(s.performance_fees.0),
                        money(s.maintenance_fees.0)
                    ),
                },
                Figure {
                    label: "Saved on settled debts",
                    value: money(s.savings.0),
                    note: if s.debts_settled > 0 {
                        format!("settled at {} of their balance on average", pct(s.settlement_percent))
                    } else {
                        "once debts settle".into()
                    },
                },
            ];
            if s.debts_unenrolled > 0 && shown.contains(&DebtStatus::Unenrolled) {
                figures.push(Figure {
                    label: "Not enrolled",
                    value: s.debts_unenrolled.to_string(),
                    note: "debts on file outside the program".into(),
                });
            }
            let text = format!(
                "{} of your enrolled debt is settled ({} of {})",
                pct(s.progress_percent),
                money(s.settled_enrolled_balance.0),
                money(s.enrolled_balance.0)
            );
            (true, s.progress_bar(), text, figures)
        }
        None => (false, 0, String::new(), Vec::new()),
    };
    let t = DebtsPage {
        p: portal_page(&tenant, &c, name, "/debts", &csrf),
        name,
        missing: v.missing_documents.iter().map(|t| (t.id, t.name.clone())).collect(),
        documents_on: tenant.sections().contains(Section::Documents),
        has_summary,
        progress,
        progress_text,
        figures,
        enrolled_on: v.program.as_ref().map(|p| short_iso(&p.enrolled_on)).unwrap_or_default(),
        debts: v.debts.iter().map(|(_, d)| debt_row(d)).collect(),
        hidden_statuses: shown.len() < DebtStatus::ALL.len(),
    };
    Ok(Html(t.render()?).into_response())
}
