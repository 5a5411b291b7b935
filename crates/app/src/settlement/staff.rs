//! The console's side of a settlement program: the contact's program, debts, program-account entries and scheduled drafts (seed 001). Servicer role; every change audited.

use crate::authz::Permission;
use portico_domain::codes::Action;
use std::str::FromStr;

use portico_domain::loan::Cents;
use portico_domain::settlement::{
    Debt, DebtStatus, DraftKind, DraftStatus, EntryKind, LedgerEntry, ProgramSummary, SettlementTerms, mask_account,
};
use portico_domain::validate;
use portico_store::people;
use portico_store::settlement::{self as st, DebtFields, DebtRow, DraftRow, EntryRow, Program};
use rust_decimal::Decimal;

use crate::accounts::today;
use crate::auth::Staff;
use crate::ledger::parse_amount;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

use super::{money_or_zero, summary_of, to_domain};

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
    let summary = summary_of(program.as_ref(), &domain)?;
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
