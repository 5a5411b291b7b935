//! Debt settlement programs (seeds 000 and 001): the Debts (or Creditors)
//! page, the program account with its monthly statements (PDF), the payment
//! schedule, the Profile from intake data; and the console's editing of all
//! of it, with the company's settings.
//!
//! Every figure comes from `portico_domain::settlement` over stored rows;
//! nothing computed is stored. Staff actions need the servicer role (the
//! settings: admin) and are audited; Agents may look but not download.

use crate::authz::Permission;
use portico_domain::codes::Action;
use std::str::FromStr;

use portico_domain::loan::Cents;
use portico_domain::section::{Section, SectionSet};
use portico_domain::settlement::{
    Debt, DebtStatus, DraftKind, DraftStatus, EntryKind, FeeBasis, FeePlan, LedgerEntry, ProgramSummary,
    ScheduleFilter, ScheduledDraft, SettlementError, SettlementTerms, Statement, StatementMonth, mask_account,
    monthly_statement, statement_months,
};
use portico_domain::validate;
use portico_store::documents::{self as docs, DocumentType};
use portico_store::settlement::{self as st, DebtFields, DebtRow, DraftRow, EntryRow, IntakeField, Program};
use portico_store::{StoreError, companies, people};
use rust_decimal::Decimal;
use time::Date;

use crate::accounts::today;
use crate::auth::{Customer, Staff};
use crate::ledger::parse_amount;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

// ---------------------------------------------------------------- conversions

/// The domain debt of a stored row (`None` when the row breaks a rule, which
/// the console prevents; such a row is skipped rather than failing a page).
pub fn to_domain(r: &DebtRow) -> Option<Debt> {
    let status = DebtStatus::from_key(&r.status)?;
    let settlement = match (r.settlement_amount_cents, r.settlement_payments) {
        (Some(amount), Some(payments)) => Some(SettlementTerms {
            amount: Cents(amount),
            payments: u32::try_from(payments).ok()?,
            paid: Cents(r.settlement_paid_cents.unwrap_or(0)),
        }),
        _ => None,
    };
    let d = Debt {
        original_creditor: r.original_creditor.clone(),
        current_creditor: r.current_creditor.clone(),
        account_number: r.account_mask.clone(),
        enrolled_balance: Cents(r.enrolled_balance_cents),
        current_balance: Cents(r.current_balance_cents),
        status,
        settlement,
    };
    d.validate().is_ok().then_some(d)
}

/// The domain entry of a stored row, or `None` for an unknown kind.
pub fn entry_of(r: &EntryRow) -> Option<LedgerEntry> {
    Some(LedgerEntry {
        date: validate::date(&r.posted_on)?,
        kind: EntryKind::from_key(&r.kind)?,
        amount: Cents(r.amount_cents),
        description: r.description.clone(),
    })
}

pub fn draft_of(r: &DraftRow) -> Option<ScheduledDraft> {
    Some(ScheduledDraft {
        date: validate::date(&r.due_on)?,
        kind: DraftKind::from_key(&r.kind)?,
        amount: Cents(r.amount_cents),
        status: DraftStatus::from_key(&r.status)?,
        memo: r.memo.clone(),
    })
}

pub fn fee_plan(p: &Program) -> FeePlan {
    FeePlan {
        basis: if p.fee_basis == "savings" { FeeBasis::PercentOfSavings } else { FeeBasis::PercentOfEnrolledDebt },
        rate: Decimal::from_str(&p.fee_rate).unwrap_or_default(),
        monthly_maintenance: Cents(p.monthly_fee_cents),
    }
}

/// Months of the program started by `today`: the enrollment month counts
/// as the first, and a month counts once its day-of-month is reached.
pub fn months_in_program(enrolled: Date, today: Date) -> u32 {
    if today < enrolled {
        return 0;
    }
    let months = (today.year() - enrolled.year()) * 12 + i32::from(u8::from(today.month()))
        - i32::from(u8::from(enrolled.month()));
    let started = if today.day() >= enrolled.day() { months + 1 } else { months };
    u32::try_from(started.max(0)).unwrap_or(0)
}

/// The statuses a company shows.
pub fn statuses_shown(s: &st::SettlementSettings) -> Vec<DebtStatus> {
    s.statuses_shown.split(',').filter_map(|k| DebtStatus::from_key(k.trim())).collect()
}

/// "Debts" or "Creditors", as the company names the section (seed 000 /
/// seed 001); `None` when neither is on.
pub fn debts_name(sections: &SectionSet) -> Option<&'static str> {
    match (sections.contains(Section::Debts), sections.contains(Section::Creditors)) {
        (true, _) => Some("Debts"),
        (false, true) => Some("Creditors"),
        _ => None,
    }
}

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
    let months = program
        .as_ref()
        .and_then(|p| validate::date(&p.enrolled_on))
        .map(|d| months_in_program(d, today()))
        .unwrap_or(0);
    let plan = program.as_ref().map(fee_plan).unwrap_or(FeePlan {
        basis: FeeBasis::PercentOfEnrolledDebt,
        rate: Decimal::ZERO,
        monthly_maintenance: Cents::ZERO,
    });
    let debts: Vec<Debt> = all.iter().map(|(_, d)| d.clone()).collect();
    let summary =
        if debts.is_empty() { None } else { Some(ProgramSummary::compute(&debts, &plan, months).map_err(internal)?) };
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

fn internal(e: SettlementError) -> AppError {
    AppError::Store(StoreError::Config(format!("settlement figures: {e}")))
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

async fn profile_of(app: &App, company_id: i64, contact_id: i64) -> Result<Vec<(IntakeField, String)>, AppError> {
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

// ---------------------------------------------------------------- console: reads

/// Everything the console shows of a contact's program.
pub struct ContactProgram {
    pub contact: people::Contact,
    pub program: Option<Program>,
    pub debts: Vec<DebtRow>,
    pub summary: Option<ProgramSummary>,
    pub entries: Vec<EntryRow>,
    pub drafts: Vec<DraftRow>,
}

pub async fn contact_program(app: &App, s: &Staff, contact_id: i64) -> Result<ContactProgram, AppError> {
    let contact = people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let program = st::program(app.db.r(), s.company_id, contact_id).await?;
    let debts = st::debts(app.db.r(), s.company_id, contact_id).await?;
    let domain: Vec<Debt> = debts.iter().filter_map(to_domain).collect();
    let months = program
        .as_ref()
        .and_then(|p| validate::date(&p.enrolled_on))
        .map(|d| months_in_program(d, today()))
        .unwrap_or(0);
    let plan = program.as_ref().map(fee_plan).unwrap_or(FeePlan {
        basis: FeeBasis::PercentOfEnrolledDebt,
        rate: Decimal::ZERO,
        monthly_maintenance: Cents::ZERO,
    });
    let summary =
        if domain.is_empty() { None } else { Some(ProgramSummary::compute(&domain, &plan, months).map_err(internal)?) };
    let entries = st::entries(app.db.r(), s.company_id, contact_id).await?;
    let drafts = st::drafts(app.db.r(), s.company_id, contact_id).await?;
    Ok(ContactProgram { contact, program, debts, summary, entries, drafts })
}

pub async fn debt_for_staff(app: &App, s: &Staff, id: i64) -> Result<DebtRow, AppError> {
    st::debt(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------- console: debts

/// A debt as typed in the console.
#[derive(Debug, Clone, Default)]
pub struct DebtInput {
    pub original_creditor: String,
    pub current_creditor: String,
    /// Blank on an edit keeps the number on file.
    pub account_number: String,
    pub enrolled_balance: String,
    pub current_balance: String,
    pub status: String,
    pub settlement_amount: String,
    pub settlement_payments: String,
    pub settlement_paid: String,
}

impl DebtInput {
    pub fn from_row(r: &DebtRow) -> DebtInput {
        let m = |c: Option<i64>| c.map(|v| format!("{}.{:02}", v / 100, v % 100)).unwrap_or_default();
        DebtInput {
            original_creditor: r.original_creditor.clone(),
            current_creditor: r.current_creditor.clone().unwrap_or_default(),
            account_number: String::new(),
            enrolled_balance: m(Some(r.enrolled_balance_cents)),
            current_balance: m(Some(r.current_balance_cents)),
            status: r.status.clone(),
            settlement_amount: m(r.settlement_amount_cents),
            settlement_payments: r.settlement_payments.map(|p| p.to_string()).unwrap_or_default(),
            settlement_paid: m(r.settlement_paid_cents),
        }
    }
}

/// Money typed by staff: zero allowed, at most two decimals.
fn money_or_zero(raw: &str) -> Result<i64, &'static str> {
    let t = raw.trim().trim_start_matches('$').replace(',', "");
    if t.starts_with('-') {
        return Err("The amount cannot be negative.");
    }
    if t.chars().all(|c| c == '0' || c == '.') && !t.is_empty() && t.matches('.').count() <= 1 {
        return Ok(0);
    }
    parse_amount(&t)
}

/// Check a debt form; on success the fields to store.
fn check_debt(app: &App, input: &DebtInput, existing: Option<&DebtRow>) -> Result<DebtFields, AppError> {
    let mut e = FieldErrors::new();
    let original = validate::line(&input.original_creditor, 200).unwrap_or_else(|m| {
        e.add("original_creditor", m);
        String::new()
    });
    if original.is_empty() && e.get("original_creditor").is_none() {
        e.add("original_creditor", "Enter the original creditor: the creditor the debt was first owed to.");
    }
    let current = validate::line(&input.current_creditor, 200).unwrap_or_else(|m| {
        e.add("current_creditor", m);
        String::new()
    });
    let account = validate::line(&input.account_number, 64).unwrap_or_else(|m| {
        e.add("account_number", m);
        String::new()
    });
    let mut amount = |field: &'static str, raw: &str, required: bool| -> Option<i64> {
        if raw.trim().is_empty() {
            if required {
                e.add(field, "Enter an amount, for example 4250.00 (0 is allowed).");
            }
            return None;
        }
        match money_or_zero(raw) {
            Ok(v) => Some(v),
            Err(m) => {
                e.add(field, m);
                None
            }
        }
    };
    let enrolled = amount("enrolled_balance", &input.enrolled_balance, true);
    let current_balance = amount("current_balance", &input.current_balance, true);
    let s_amount = amount("settlement_amount", &input.settlement_amount, false);
    let s_paid = amount("settlement_paid", &input.settlement_paid, false);
    let s_payments = if input.settlement_payments.trim().is_empty() {
        None
    } else {
        match input.settlement_payments.trim().parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.add("settlement_payments", "Enter the number of payments, 1 to 120.");
                None
            }
        }
    };
    let status = DebtStatus::from_key(input.status.trim());
    if status.is_none() {
        e.add("status", "Choose a status.");
    }
    let any_terms = s_amount.is_some() || s_payments.is_some() || s_paid.is_some();
    if any_terms && s_amount.is_none() && e.get("settlement_amount").is_none() {
        e.add("settlement_amount", "Enter the settlement amount, or clear the settlement fields.");
    }
    if any_terms && s_payments.is_none() && e.get("settlement_payments").is_none() {
        e.add("settlement_payments", "Enter the number of payments, or clear the settlement fields.");
    }
    e.into_result()?;
    let (Some(status), Some(enrolled), Some(current_balance)) = (status, enrolled, current_balance) else {
        return Err(FieldErrors::single("form", "Check the fields."));
    };
    let settlement = match (s_amount, s_payments) {
        (Some(a), Some(p)) => Some(SettlementTerms { amount: Cents(a), payments: p, paid: Cents(s_paid.unwrap_or(0)) }),
        _ => None,
    };
    let current_creditor = Some(current).filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case(&original));
    let debt = Debt {
        original_creditor: original.clone(),
        current_creditor: current_creditor.clone(),
        account_number: account.clone(),
        enrolled_balance: Cents(enrolled),
        current_balance: Cents(current_balance),
        status,
        settlement: settlement.clone(),
    };
    if let Err(err) = debt.validate() {
        let msg = err.to_string();
        let lower = msg.to_lowercase();
        let field = if lower.contains("original creditor") {
            "original_creditor"
        } else if lower.contains("current creditor") {
            "current_creditor"
        } else if lower.contains("account number") {
            "account_number"
        } else if lower.contains("enrolled balance") {
            "enrolled_balance"
        } else if lower.contains("current balance") {
            "current_balance"
        } else if lower.contains("settlement amount") {
            "settlement_amount"
        } else if lower.contains("payments") {
            "settlement_payments"
        } else if lower.contains("paid") {
            "settlement_paid"
        } else {
            "status"
        };
        return Err(FieldErrors::single(field, msg));
    }
    let (account_enc, account_mask) = if account.is_empty() {
        match existing {
            Some(r) => (r.account_enc.clone(), r.account_mask.clone()),
            None => (None, String::new()),
        }
    } else {
        (Some(app.keys.seal(&account)), mask_account(&account))
    };
    Ok(DebtFields {
        original_creditor: original,
        current_creditor,
        account_enc,
        account_mask,
        enrolled_balance_cents: enrolled,
        current_balance_cents: current_balance,
        status: status.key().to_string(),
        settlement_amount_cents: settlement.as_ref().map(|t| t.amount.0),
        settlement_payments: settlement.as_ref().map(|t| i64::from(t.payments)),
        settlement_paid_cents: settlement.as_ref().map(|t| t.paid.0),
    })
}

pub async fn add_debt(
    app: &App,
    s: &Staff,
    contact_id: i64,
    input: &DebtInput,
    origin: &Origin,
) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let f = check_debt(app, input, None)?;
    let mut tx = app.db.begin().await?;
    let id = st::insert_debt(&mut *tx, s.company_id, contact_id, &f, now()).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::DebtAdd,
        Some(contact_id),
        &format!("debt #{id} {} ({})", f.original_creditor, f.status),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Edit a debt (status, balances, settlement terms; a sale is a new current
/// creditor). Returns the contact id.
pub async fn update_debt(app: &App, s: &Staff, id: i64, input: &DebtInput, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    let old = debt_for_staff(app, s, id).await?;
    let f = check_debt(app, input, Some(&old))?;
    let mut changes = Vec::new();
    if old.status != f.status {
        changes.push(format!("status {} → {}", old.status, f.status));
    }
    if old.current_creditor != f.current_creditor {
        changes.push(format!(
            "current creditor {} → {}",
            old.current_creditor.as_deref().unwrap_or(&old.original_creditor),
            f.current_creditor.as_deref().unwrap_or(&f.original_creditor)
        ));
    }
    if old.settlement_amount_cents != f.settlement_amount_cents || old.settlement_paid_cents != f.settlement_paid_cents
    {
        changes.push("settlement terms".into());
    }
    if old.enrolled_balance_cents != f.enrolled_balance_cents || old.current_balance_cents != f.current_balance_cents {
        changes.push("balances".into());
    }
    let mut tx = app.db.begin().await?;
    st::update_debt(&mut *tx, s.company_id, id, &f, now()).await?;
    let detail = if changes.is_empty() { format!("debt #{id}") } else { format!("debt #{id}: {}", changes.join(", ")) };
    audit::staff(&mut *tx, s, origin, Action::DebtUpdate, Some(old.contact_id), &detail).await?;
    tx.commit().await?;
    Ok(old.contact_id)
}

pub async fn delete_debt(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    let old = debt_for_staff(app, s, id).await?;
    let mut tx = app.db.begin().await?;
    st::delete_debt(&mut *tx, s.company_id, id).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::DebtDelete,
        Some(old.contact_id),
        &format!("debt #{id} {}", old.original_creditor),
    )
    .await?;
    tx.commit().await?;
    Ok(old.contact_id)
}

// ---------------------------------------------------------------- console: program

#[derive(Debug, Clone, Default)]
pub struct ProgramInput {
    pub enrolled_on: String,
    pub fee_basis: String,
    /// Percent as typed, e.g. "25".
    pub fee_percent: String,
    pub monthly_fee: String,
    pub account_provider: String,
    pub account_last4: String,
}

impl ProgramInput {
    pub fn from_program(p: Option<&Program>) -> ProgramInput {
        match p {
            Some(p) => ProgramInput {
                enrolled_on: p.enrolled_on.clone(),
                fee_basis: p.fee_basis.clone(),
                fee_percent: Decimal::from_str(&p.fee_rate)
                    .map(|r| (r * Decimal::ONE_HUNDRED).normalize().to_string())
                    .unwrap_or_default(),
                monthly_fee: format!("{}.{:02}", p.monthly_fee_cents / 100, p.monthly_fee_cents % 100),
                account_provider: p.account_provider.clone(),
                account_last4: p.account_last4.clone(),
            },
            None => ProgramInput {
                enrolled_on: validate::iso_date(today()),
                fee_basis: "enrolled_debt".into(),
                fee_percent: "25".into(),
                monthly_fee: "0.00".into(),
                ..ProgramInput::default()
            },
        }
    }
}

pub async fn save_program(
    app: &App,
    s: &Staff,
    contact_id: i64,
    input: &ProgramInput,
    origin: &Origin,
) -> Result<(), AppError> {
    s.require(Permission::ServiceCustomers)?;
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let mut e = FieldErrors::new();
    let enrolled = validate::date(&input.enrolled_on);
    match enrolled {
        None => e.add("enrolled_on", "Enter the enrollment date as YYYY-MM-DD."),
        Some(d) if d > today() => e.add("enrolled_on", "The enrollment date can't be in the future."),
        Some(_) => {}
    }
    let basis = match input.fee_basis.as_str() {
        "enrolled_debt" | "savings" => input.fee_basis.clone(),
        _ => {
            e.add("fee_basis", "Choose what the fee is a percentage of.");
            String::new()
        }
    };
    let rate = match Decimal::from_str(input.fee_percent.trim().trim_end_matches('%').trim()) {
        Ok(p) if p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED && p.scale() <= 2 => p / Decimal::ONE_HUNDRED,
        _ => {
            e.add("fee_percent", "Enter a percentage from 0 to 100, for example 25 or 22.5.");
            Decimal::ZERO
        }
    };
    let monthly = money_or_zero(&input.monthly_fee).unwrap_or_else(|m| {
        e.add("monthly_fee", m);
        0
    });
    let provider = validate::line(&input.account_provider, 100).unwrap_or_else(|m| {
        e.add("account_provider", m);
        String::new()
    });
    let last4 = input.account_last4.trim().to_string();
    if !last4.is_empty() && (last4.len() != 4 || !last4.chars().all(|c| c.is_ascii_digit())) {
        e.add("account_last4", "Enter the last four digits of the account, or leave it empty.");
    }
    e.into_result()?;
    let t = now();
    let p = Program {
        id: 0,
        company_id: s.company_id,
        contact_id,
        enrolled_on: enrolled.map(validate::iso_date).unwrap_or_default(),
        fee_basis: basis,
        fee_rate: rate.normalize().to_string(),
        monthly_fee_cents: monthly,
        account_provider: provider,
        account_last4: last4,
        created_at: t,
        updated_at: t,
    };
    let mut tx = app.db.begin().await?;
    st::save_program(&mut *tx, &p).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::ProgramSave,
        Some(contact_id),
        &format!("enrolled {}, fee {}% of {}", p.enrolled_on, input.fee_percent.trim(), p.fee_basis),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The kinds of entry staff post, with the sign each gives the amount.
pub const ENTRY_CHOICES: [(&str, &str); 7] = [
    ("deposit", "Deposit from the customer (money in)"),
    ("fee", "Program fee (money out)"),
    ("creditor_payment", "Payment to a creditor (money out)"),
    ("refund", "Refund to the customer (money out)"),
    ("refund_in", "Refund into the account (money in)"),
    ("adjustment_in", "Adjustment (money in)"),
    ("adjustment_out", "Adjustment (money out)"),
];

#[derive(Debug, Clone, Default)]
pub struct EntryInput {
    pub kind: String,
    pub amount: String,
    pub posted_on: String,
    pub description: String,
}

pub async fn add_entry(
    app: &App,
    s: &Staff,
    contact_id: i64,
    input: &EntryInput,
    origin: &Origin,
) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let mut e = FieldErrors::new();
    let (kind, sign) = match input.kind.as_str() {
        "deposit" => (Some(EntryKind::Deposit), 1),
        "fee" => (Some(EntryKind::Fee), -1),
        "creditor_payment" => (Some(EntryKind::CreditorPayment), -1),
        "refund" => (Some(EntryKind::Refund), -1),
        "refund_in" => (Some(EntryKind::Refund), 1),
        "adjustment_in" => (Some(EntryKind::Adjustment), 1),
        "adjustment_out" => (Some(EntryKind::Adjustment), -1),
        _ => (None, 1),
    };
    if kind.is_none() {
        e.add("kind", "Choose what the entry is.");
    }
    let amount = parse_amount(&input.amount).unwrap_or_else(|m| {
        e.add("amount", m);
        0
    });
    let date = validate::date(&input.posted_on);
    match date {
        None => e.add("posted_on", "Enter the date as YYYY-MM-DD."),
        Some(d) if d > today() => {
            e.add("posted_on", "An entry can't be posted in the future; schedule a draft instead.")
        }
        Some(_) => {}
    }
    let description = validate::line(&input.description, 200).unwrap_or_else(|m| {
        e.add("description", m);
        String::new()
    });
    e.into_result()?;
    let (Some(kind), Some(date)) = (kind, date) else { return Err(FieldErrors::single("form", "Check the fields.")) };
    let entry = LedgerEntry {
        date,
        kind,
        amount: Cents(amount * sign),
        description: if description.is_empty() { kind.label().to_string() } else { description },
    };
    entry.validate().map_err(|m| FieldErrors::single("amount", m.to_string()))?;
    let mut tx = app.db.begin().await?;
    let id = st::insert_entry(
        &mut *tx,
        s.company_id,
        contact_id,
        &validate::iso_date(entry.date),
        kind.key(),
        entry.amount.0,
        &entry.description,
        Some(s.user.id),
        now(),
    )
    .await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::ProgramEntryAdd,
        Some(contact_id),
        &format!("entry #{id} {} {}", kind.key(), portico_render::fmt_money(entry.amount.0)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_entry(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    let old = st::entry(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    st::delete_entry(&mut *tx, s.company_id, id).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::ProgramEntryDelete,
        Some(old.contact_id),
        &format!("entry #{id} {} {} on {}", old.kind, portico_render::fmt_money(old.amount_cents), old.posted_on),
    )
    .await?;
    tx.commit().await?;
    Ok(old.contact_id)
}

pub const DRAFT_KINDS: [(&str, &str); 3] =
    [("debit", "Debit (draft from the customer)"), ("credit", "Credit (to the customer)"), ("fee", "Fee")];
pub const DRAFT_STATUSES: [(&str, &str); 6] = [
    ("scheduled", "Scheduled"),
    ("pending", "Pending"),
    ("cleared", "Cleared"),
    ("returned", "Returned"),
    ("skipped", "Skipped"),
    ("cancelled", "Cancelled"),
];

pub fn draft_status_label(key: &str) -> &'static str {
    DRAFT_STATUSES.iter().find(|(k, _)| *k == key).map(|(_, l)| *l).unwrap_or("Unknown")
}

pub fn draft_kind_label(key: &str) -> &'static str {
    match key {
        "debit" => "Debit",
        "credit" => "Credit",
        "fee" => "Fee",
        _ => "Other",
    }
}

#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    pub due_on: String,
    pub kind: String,
    pub amount: String,
    pub status: String,
    pub memo: String,
}

pub async fn add_draft(
    app: &App,
    s: &Staff,
    contact_id: i64,
    input: &DraftInput,
    origin: &Origin,
) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let mut e = FieldErrors::new();
    let date = validate::date(&input.due_on);
    if date.is_none() {
        e.add("due_on", "Enter the date as YYYY-MM-DD.");
    }
    let kind = DraftKind::from_key(&input.kind);
    if kind.is_none() {
        e.add("kind", "Choose debit, credit or fee.");
    }
    let status = DraftStatus::from_key(&input.status);
    if status.is_none() {
        e.add("status", "Choose a status.");
    }
    let amount = parse_amount(&input.amount).unwrap_or_else(|m| {
        e.add("amount", m);
        0
    });
    let memo = validate::line(&input.memo, 200).unwrap_or_else(|m| {
        e.add("memo", m);
        String::new()
    });
    e.into_result()?;
    let (Some(date), Some(kind), Some(status)) = (date, kind, status) else {
        return Err(FieldErrors::single("form", "Check the fields."));
    };
    let mut tx = app.db.begin().await?;
    let id = st::insert_draft(
        &mut *tx,
        s.company_id,
        contact_id,
        &validate::iso_date(date),
        kind.key(),
        amount,
        status.key(),
        &memo,
        now(),
    )
    .await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::ProgramDraftAdd,
        Some(contact_id),
        &format!("draft #{id} {} {} on {}", kind.key(), portico_render::fmt_money(amount), validate::iso_date(date)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_draft_status(app: &App, s: &Staff, id: i64, status: &str, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    let old = st::draft(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let new = DraftStatus::from_key(status).ok_or_else(|| FieldErrors::single("status", "Choose a status."))?;
    let mut tx = app.db.begin().await?;
    st::set_draft_status(&mut *tx, s.company_id, id, new.key(), now()).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::ProgramDraftStatus,
        Some(old.contact_id),
        &format!("draft #{id} {} → {}", old.status, new.key()),
    )
    .await?;
    tx.commit().await?;
    Ok(old.contact_id)
}

pub async fn delete_draft(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    let old = st::draft(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    st::delete_draft(&mut *tx, s.company_id, id).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::ProgramDraftDelete,
        Some(old.contact_id),
        &format!("draft #{id} {} on {}", old.kind, old.due_on),
    )
    .await?;
    tx.commit().await?;
    Ok(old.contact_id)
}

// ---------------------------------------------------------------- console: intake

/// A contact's intake data for the console: defined fields with values,
/// then values under keys no field uses.
pub async fn intake_for_staff(
    app: &App,
    s: &Staff,
    contact_id: i64,
) -> Result<(people::Contact, Vec<(IntakeField, String)>, Vec<(String, String)>), AppError> {
    let contact = people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let fields = profile_of(app, s.company_id, contact_id).await?;
    let values = st::intake_values(app.db.r(), s.company_id, contact_id).await?;
    let extra = values.into_iter().filter(|(k, _)| !fields.iter().any(|(f, _)| f.field_key == *k)).collect();
    Ok((contact, fields, extra))
}

/// Check one value against its field type; returns the stored form
/// (dates ISO, money in cents, yes/no as `yes`/`no`).
pub fn check_value(field_type: &str, raw: &str) -> Result<String, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    match field_type {
        "date" => validate::date(v).map(validate::iso_date).ok_or_else(|| "Enter a date as YYYY-MM-DD.".to_string()),
        "money" => money_or_zero(v).map(|c| c.to_string()).map_err(str::to_string),
        "yes_no" => match v.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Ok("yes".into()),
            "no" | "n" | "false" | "0" => Ok("no".into()),
            _ => Err("Choose yes or no.".into()),
        },
        _ => validate::line(v, 500).map_err(str::to_string),
    }
}

/// The value as the console's form shows it (money back to dollars).
pub fn edit_value(field_type: &str, stored: &str) -> String {
    match field_type {
        "money" => stored.parse::<i64>().map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default(),
        _ => stored.to_string(),
    }
}

/// Save a contact's intake values: `values` are (key, raw) for defined
/// fields; `new_key`/`new_value` adds one more free key. All or nothing.
pub async fn save_intake(
    app: &App,
    s: &Staff,
    contact_id: i64,
    values: &[(String, String)],
    new_key: &str,
    new_value: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    s.require(Permission::ServiceCustomers)?;
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let fields = st::intake_fields(app.db.r(), s.company_id).await?;
    let mut e = FieldErrors::new();
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, raw) in values.iter().take(500) {
        let ty = fields.iter().find(|f| f.field_key == *key).map(|f| f.field_type.as_str()).unwrap_or("text");
        match check_value(ty, raw) {
            Ok(v) => out.push((key.clone(), v)),
            Err(m) => {
                let label = fields.iter().find(|f| f.field_key == *key).map(|f| f.label.clone()).unwrap_or(key.clone());
                e.add("values", format!("{label}: {m}"));
            }
        }
    }
    let nk = new_key.trim();
    if !nk.is_empty() || !new_value.trim().is_empty() {
        match check_key(nk) {
            Ok(k) => match validate::line(new_value, 500) {
                Ok(v) if !v.is_empty() => out.push((k, v)),
                Ok(_) => e.add("new_value", "Enter the value."),
                Err(m) => e.add("new_value", m),
            },
            Err(m) => e.add("new_key", m),
        }
    }
    e.into_result()?;
    let mut tx = app.db.begin().await?;
    let t = now();
    for (k, v) in &out {
        st::set_intake_value(&mut *tx, s.company_id, contact_id, k, v, t).await?;
    }
    audit::staff(&mut *tx, s, origin, Action::IntakeSave, Some(contact_id), &format!("{} intake values", out.len()))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A field key: lower-case letters, digits and underscores, 1–50.
pub fn check_key(raw: &str) -> Result<String, &'static str> {
    let k = raw.trim().to_ascii_lowercase();
    if k.is_empty() {
        return Err("Enter a key, for example employer or monthly_income.");
    }
    if k.len() > 50 || !k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err("Use lower-case letters, digits and underscores only (50 at most).");
    }
    Ok(k)
}

#[derive(Debug, Clone, Default)]
pub struct FieldInput {
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub position: String,
}

fn check_field(input: &FieldInput, with_key: bool) -> Result<(String, String, String, i64), AppError> {
    let mut e = FieldErrors::new();
    let key = if with_key {
        check_key(&input.key).unwrap_or_else(|m| {
            e.add("key", m);
            String::new()
        })
    } else {
        String::new()
    };
    let label = match validate::line(&input.label, 100) {
        Ok(l) if l.is_empty() => {
            e.add("label", "Enter the label customers see, for example Employer.");
            l
        }
        Ok(l) => l,
        Err(m) => {
            e.add("label", m);
            String::new()
        }
    };
    if !FIELD_TYPES.iter().any(|(k, _)| *k == input.field_type) {
        e.add("field_type", "Choose a type.");
    }
    let position = if input.position.trim().is_empty() {
        0
    } else {
        match input.position.trim().parse::<i64>() {
            Ok(p) if (0..=1000).contains(&p) => p,
            _ => {
                e.add("position", "Enter a number from 0 to 1000.");
                0
            }
        }
    };
    e.into_result()?;
    Ok((key, label, input.field_type.clone(), position))
}

pub async fn add_field(app: &App, s: &Staff, input: &FieldInput, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ManageSettings)?;
    let (key, label, ty, position) = check_field(input, true)?;
    let mut tx = app.db.begin().await?;
    let id = match st::insert_intake_field(&mut *tx, s.company_id, &key, &label, &ty, position, now()).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            return Err(FieldErrors::single("key", "A profile field with this key exists."));
        }
        Err(e) => return Err(e.into()),
    };
    audit::staff(&mut *tx, s, origin, Action::ProfileFieldAdd, None, &format!("{key} \"{label}\" ({ty})")).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_field(app: &App, s: &Staff, id: i64, input: &FieldInput, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let (_, label, ty, position) = check_field(input, false)?;
    let mut tx = app.db.begin().await?;
    if !st::update_intake_field(&mut *tx, s.company_id, id, &label, &ty, position).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, s, origin, Action::ProfileFieldUpdate, None, &format!("field #{id} \"{label}\" ({ty})"))
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_field(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    if !st::delete_intake_field(&mut *tx, s.company_id, id).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, s, origin, Action::ProfileFieldDelete, None, &format!("field #{id}")).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- console: settings

#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    /// `debts`, `creditors` or `off`.
    pub debts_name: String,
    pub statuses: Vec<String>,
    pub required_types: Vec<String>,
    pub schedule_debits_only: bool,
    pub student_loan_file_upload: bool,
}

pub async fn settings(app: &App, company_id: i64) -> Result<st::SettlementSettings, AppError> {
    Ok(st::settings(app.db.r(), company_id).await?)
}

pub async fn save_settings(app: &App, s: &Staff, input: &SettingsInput, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let mut e = FieldErrors::new();
    let mut statuses = Vec::new();
    for k in &input.statuses {
        match DebtStatus::from_key(k) {
            Some(st) if !statuses.contains(&st) => statuses.push(st),
            Some(_) => {}
            None => e.add("statuses", "Unknown status."),
        }
    }
    let types = docs::types(app.db.r(), s.company_id).await?;
    let mut required = Vec::new();
    for raw in &input.required_types {
        match raw.parse::<i64>().ok().and_then(|id| types.iter().find(|t| t.id == id)) {
            Some(t) if !t.visible || !t.customer_upload => e.add(
                "required_types",
                format!(
                    "Customers can't upload into \"{}\". Allow customer uploads for it under Documents first.",
                    t.name
                ),
            ),
            Some(t) => required.push(t.id),
            None => e.add("required_types", "Unknown document type."),
        }
    }
    if !matches!(input.debts_name.as_str(), "debts" | "creditors" | "off") {
        e.add("debts_name", "Choose how the section is named, or switch it off.");
    }
    e.into_result()?;
    statuses.sort();
    required.sort_unstable();
    required.dedup();
    let portal = companies::settings(app.db.r(), s.company_id).await?;
    let mut sections: Vec<Section> = SectionSet::parse(&portal.sections)
        .iter()
        .filter(|x| !matches!(x, Section::Debts | Section::Creditors))
        .collect();
    match input.debts_name.as_str() {
        "debts" => sections.push(Section::Debts),
        "creditors" => sections.push(Section::Creditors),
        _ => {}
    }
    let t = now();
    let new = st::SettlementSettings {
        company_id: s.company_id,
        statuses_shown: statuses.iter().map(|x| x.key()).collect::<Vec<_>>().join(","),
        debts_required_types: required.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
        schedule_debits_only: input.schedule_debits_only,
        student_loan_file_upload: input.student_loan_file_upload,
        updated_at: t,
    };
    let mut tx = app.db.begin().await?;
    st::save_settings(&mut *tx, &new).await?;
    st::set_sections(&mut *tx, s.company_id, &SectionSet::from_sections(sections).to_stored(), t).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::SettingsSettlement,
        None,
        &format!(
            "name {}, statuses {}, documents before debts [{}], debits only {}, data file upload {}",
            input.debts_name,
            new.statuses_shown,
            new.debts_required_types,
            new.schedule_debits_only,
            new.student_loan_file_upload
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_count_the_enrollment_month() {
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2025 - 03 - 15)), 1);
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2025 - 04 - 14)), 1);
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2025 - 04 - 15)), 2);
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2026 - 03 - 15)), 13);
        assert_eq!(months_in_program(date!(2025 - 03 - 15), date!(2025 - 01 - 01)), 0);
    }

    #[test]
    fn values_are_checked_by_type() {
        assert_eq!(check_value("money", "$1,250.50"), Ok("125050".into()));
        assert_eq!(check_value("money", "0"), Ok("0".into()));
        assert!(check_value("money", "-3").is_err());
        assert_eq!(check_value("date", "2024-02-29"), Ok("2024-02-29".into()));
        assert!(check_value("date", "2023-02-29").is_err());
        assert_eq!(check_value("yes_no", "Y"), Ok("yes".into()));
        assert!(check_value("yes_no", "maybe").is_err());
        assert_eq!(display_value("money", "125050"), "$1,250.50");
        assert_eq!(display_value("yes_no", "no"), "No");
        assert_eq!(edit_value("money", "125050"), "1250.50");
    }

    #[test]
    fn keys() {
        assert_eq!(check_key(" Monthly_Income "), Ok("monthly_income".into()));
        assert!(check_key("a b").is_err());
        assert!(check_key("").is_err());
    }
}
