//! What a customer sees of their settlement program: the Debts (or Creditors) page, the program account and its monthly statements, the payment schedule and the Profile (seeds 000, 001).

use portico_domain::codes::Action;

use portico_domain::loan::Cents;
use portico_domain::settlement::{
    Debt, EntryKind, LedgerEntry, ProgramSummary, ScheduleFilter, ScheduledDraft, Statement, StatementMonth,
    monthly_statement, statement_months,
};
use portico_domain::validate;
use portico_store::documents::{self as docs, DocumentType};
use portico_store::settlement::{self as st, IntakeField, Program};
use portico_store::{StoreError, companies};

use crate::auth::Customer;
use crate::{App, AppError, Origin, audit};

use super::{draft_of, entry_of, internal, months_of, statuses_shown, summary_of, to_domain};

// ---------------------------------------------------------------- Debts page

/// What the Debts page shows.
#[derive(Debug, Clone)]
pub struct DebtsView {
    /// Required document types the customer has not uploaded yet; when not
    /// empty the page asks for them instead of showing the debts.
    pub missing_documents: Vec<DocumentType>,
    pub program: Option<Program>,
    /// Computed over every debt of the program (hidden statuses included:
    /// they are the program's figures).
    pub summary: Option<ProgramSummary>,
    /// The debts of the statuses the company shows, with their stored ids.
    pub debts: Vec<(i64, Debt)>,
    pub months_in_program: u32,
}

pub async fn debts_view(app: &App, c: &Customer) -> Result<DebtsView, AppError> {
    let settings = st::settings(app.db.r(), c.company_id).await?;
    let missing = missing_documents(app, c, &settings).await?;
    if !missing.is_empty() {
        return Ok(DebtsView {
            missing_documents: missing,
            program: None,
            summary: None,
            debts: Vec::new(),
            months_in_program: 0,
        });
    }
    let program = st::program(app.db.r(), c.company_id, c.contact.id).await?;
    let rows = st::debts(app.db.r(), c.company_id, c.contact.id).await?;
    let all: Vec<(i64, Debt)> = rows.iter().filter_map(|r| to_domain(r).map(|d| (r.id, d))).collect();
    let debts: Vec<Debt> = all.iter().map(|(_, d)| d.clone()).collect();
    let summary = summary_of(program.as_ref(), &debts)?;
    let months = months_of(program.as_ref());
    let shown = statuses_shown(&settings);
    Ok(DebtsView {
        missing_documents: Vec::new(),
        program,
        summary,
        debts: all.into_iter().filter(|(_, d)| shown.contains(&d.status)).collect(),
        months_in_program: months,
    })
}

/// The document types the company requires before Debts that the customer
/// has no document of (types no longer visible or open to uploads are not
/// asked for: the customer could not upload them).
async fn missing_documents(
    app: &App,
    c: &Customer,
    settings: &st::SettlementSettings,
) -> Result<Vec<DocumentType>, AppError> {
    let ids = settings.required_type_ids();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let types = docs::types(app.db.r(), c.company_id).await?;
    let have = docs::for_contact(app.db.r(), c.company_id, c.contact.id).await?;
    Ok(types
        .into_iter()
        .filter(|t| ids.contains(&t.id) && t.visible && t.customer_upload)
        .filter(|t| !have.iter().any(|d| d.type_id == t.id))
        .collect())
}

// ---------------------------------------------------------------- program account

#[derive(Debug, Clone)]
pub struct ProgramAccountView {
    pub program: Option<Program>,
    /// Newest first, with the running balance after each.
    pub recent: Vec<(LedgerEntry, Cents)>,
    pub balance: Cents,
    pub deposits_total: Cents,
    pub fees_total: Cents,
    pub creditor_payments_total: Cents,
    /// Statement months, newest first, with each month's closing balance.
    pub statements: Vec<(StatementMonth, Cents)>,
    /// `paper` or `paperless`, when chosen.
    pub delivery: Option<String>,
}

pub async fn program_account(app: &App, c: &Customer) -> Result<ProgramAccountView, AppError> {
    let program = st::program(app.db.r(), c.company_id, c.contact.id).await?;
    let rows = st::entries(app.db.r(), c.company_id, c.contact.id).await?;
    let entries: Vec<LedgerEntry> = rows.iter().filter_map(entry_of).collect();
    let mut running = 0i64;
    let mut with_balance = Vec::with_capacity(entries.len());
    let (mut deposits, mut fees, mut creditors) = (0i64, 0i64, 0i64);
    for e in &entries {
        running = running.saturating_add(e.amount.0);
        match e.kind {
            EntryKind::Deposit => deposits = deposits.saturating_add(e.amount.0),
            EntryKind::Fee => fees = fees.saturating_add(e.amount.0),
            EntryKind::CreditorPayment => creditors = creditors.saturating_add(e.amount.0),
            _ => {}
        }
        with_balance.push((e.clone(), Cents(running)));
    }
    let months = closed_months(&entries);
    let mut statements = Vec::with_capacity(months.len());
    for m in months.into_iter().rev() {
        let s = monthly_statement(&entries, m).map_err(internal)?;
        statements.push((m, s.closing));
    }
    with_balance.reverse();
    with_balance.truncate(20);
    let delivery = docs::statement_delivery(app.db.r(), c.company_id, c.contact.id).await?;
    Ok(ProgramAccountView {
        program,
        recent: with_balance,
        balance: Cents(running),
        deposits_total: Cents(deposits),
        fees_total: Cents(fees),
        creditor_payments_total: Cents(creditors),
        statements,
        delivery,
    })
}

/// The months with a statement: from the account's first entry through the
/// last month that has ended (a statement is issued after its month, never
/// for the month in progress).
fn closed_months(entries: &[LedgerEntry]) -> Vec<StatementMonth> {
    let current = StatementMonth::of(time::OffsetDateTime::now_utc().date());
    statement_months(entries).into_iter().filter(|m| *m < current).collect()
}

/// The statement of one month (`YYYY-MM`) of the customer's program
/// account; `NotFound` for a month outside the account's statements.
pub async fn statement(app: &App, c: &Customer, month_key: &str) -> Result<(Statement, Option<Program>), AppError> {
    let month = StatementMonth::parse(month_key).ok_or(AppError::NotFound)?;
    let rows = st::entries(app.db.r(), c.company_id, c.contact.id).await?;
    let entries: Vec<LedgerEntry> = rows.iter().filter_map(entry_of).collect();
    if !closed_months(&entries).contains(&month) {
        return Err(AppError::NotFound);
    }
    let program = st::program(app.db.r(), c.company_id, c.contact.id).await?;
    Ok((monthly_statement(&entries, month).map_err(internal)?, program))
}

/// The statement as a PDF. Agents are refused (view-only, audited), like
/// every other statement download.
pub async fn statement_pdf(app: &App, c: &Customer, month_key: &str, origin: &Origin) -> Result<Vec<u8>, AppError> {
    let (s, program) = statement(app, c, month_key).await?;
    if c.is_agent() {
        audit::portal(app.db.w(), c, origin, Action::AccessRefused, "agent tried to download a program statement")
            .await?;
        return Err(AppError::Forbidden("Agents can view statements but not download them.".into()));
    }
    let company = companies::get(app.db.r(), c.company_id).await?;
    let settings = companies::settings(app.db.r(), c.company_id).await?;
    let mut address: Vec<String> = settings.help_address.lines().map(str::to_string).collect();
    if address.first().is_some_and(|l| l.trim() == company.name) {
        address.remove(0);
    }
    let account_label = match &program {
        Some(p) if !p.account_last4.is_empty() => {
            let provider = if p.account_provider.is_empty() { "Program account" } else { p.account_provider.as_str() };
            format!("{provider} ••••{}", p.account_last4)
        }
        _ => "Program account".to_string(),
    };
    let doc = portico_render::pdf::ProgramStatementDoc {
        company: portico_render::pdf::Party { name: company.name.clone(), address_lines: address },
        customer: portico_render::pdf::Party {
            name: format!("{} {}", c.contact.first_name, c.contact.last_name),
            address_lines: c.contact.address.lines().map(str::to_string).collect(),
        },
        account_label,
        customer_number: c.contact.customer_number.clone(),
        start: s.month.first_day().map_err(internal)?,
        end: s.month.last_day().map_err(internal)?,
        opening: s.opening.0,
        deposits: s.deposits.0,
        fees: s.fees.0,
        creditor_payments: s.creditor_payments.0,
        other: s.other.0,
        closing: s.closing.0,
        lines: s
            .lines
            .iter()
            .map(|l| portico_render::pdf::ProgramLine {
                date: l.date,
                kind: l.kind.label().to_string(),
                description: l.description.clone(),
                amount: l.amount.0,
                balance: l.balance.0,
            })
            .collect(),
        notes: vec![
            "This account holds the money you set aside for your settlement program. Deposits are drafted from \
             your bank account as scheduled; payments to creditors are made only under settlements you approved."
                .into(),
            format!(
                "Questions about this statement? Contact {}{}.",
                company.name,
                if settings.help_phone.is_empty() { String::new() } else { format!(" at {}", settings.help_phone) }
            ),
        ],
    };
    let bytes = portico_render::pdf::program_statement(&doc)
        .map_err(|e| AppError::Store(StoreError::Config(format!("program statement: {e}"))))?;
    audit::portal(app.db.w(), c, origin, Action::ProgramStatement, &s.month.key()).await?;
    Ok(bytes)
}

// ---------------------------------------------------------------- schedule

pub async fn schedule(app: &App, c: &Customer) -> Result<(Vec<ScheduledDraft>, bool), AppError> {
    let settings = st::settings(app.db.r(), c.company_id).await?;
    let rows = st::drafts(app.db.r(), c.company_id, c.contact.id).await?;
    let drafts: Vec<ScheduledDraft> = rows.iter().filter_map(draft_of).collect();
    let filter = if settings.schedule_debits_only { ScheduleFilter::DebitsOnly } else { ScheduleFilter::All };
    let shown = portico_domain::settlement::payment_schedule(&drafts, filter).into_iter().cloned().collect();
    Ok((shown, settings.schedule_debits_only))
}

// ---------------------------------------------------------------- profile

/// A field type of the Profile.
pub const FIELD_TYPES: [(&str, &str); 4] =
    [("text", "Text"), ("date", "Date"), ("money", "Money"), ("yes_no", "Yes or no")];

/// A stored value as the Profile shows it, by field type.
pub fn display_value(field_type: &str, raw: &str) -> String {
    match field_type {
        "date" => validate::date(raw)
            .and_then(|d| {
                d.format(time::macros::format_description!("[month repr:long] [day padding:none], [year]")).ok()
            })
            .unwrap_or_else(|| raw.to_string()),
        "money" => raw.parse::<i64>().map(portico_render::fmt_money).unwrap_or_else(|_| raw.to_string()),
        "yes_no" => match raw {
            "yes" => "Yes".into(),
            "no" => "No".into(),
            other => other.to_string(),
        },
        _ => raw.to_string(),
    }
}

/// The Profile: each defined field with its value ("" when not on file).
pub async fn profile(app: &App, c: &Customer) -> Result<Vec<(IntakeField, String)>, AppError> {
    profile_of(app, c.company_id, c.contact.id).await
}

pub(super) async fn profile_of(
    app: &App,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<(IntakeField, String)>, AppError> {
    let fields = st::intake_fields(app.db.r(), company_id).await?;
    let values = st::intake_values(app.db.r(), company_id, contact_id).await?;
    Ok(fields
        .into_iter()
        .map(|f| {
            let v = values.iter().find(|(k, _)| *k == f.field_key).map(|(_, v)| v.clone()).unwrap_or_default();
            (f, v)
        })
        .collect())
}
