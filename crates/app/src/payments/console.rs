//! The staff side of payments: the payments list and search, cancel,
//! reverse, refund, the payment settings, NACHA export and the import of
//! the bank's returns. Every action is audited.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_domain::codes::{PaymentKind, PaymentStatus};
use portico_domain::payment::aba;
use portico_domain::payment::nacha::{self, AccountType, AchBatch, AchEntry, AchFile, Direction, LineEnding, SecCode};
use portico_domain::payment::returns::parse_returns;
use portico_domain::payment::schedule;
use portico_domain::validate;
use portico_store::payments::{self as store, Batch, Filter, Listed, Payment, PaymentSettings};

use super::pay;
use crate::accounts::today;
use crate::auth::Staff;
use crate::mail::cents_text;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

pub async fn list(app: &App, s: &Staff, f: &Filter) -> Result<Vec<Listed>, AppError> {
    Ok(store::list(app.db.r(), s.company_id, f).await?)
}

pub async fn get(app: &App, s: &Staff, id: i64) -> Result<(Payment, Vec<store::Item>), AppError> {
    let p = store::by_id(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let items = store::items(app.db.r(), s.company_id, &[p.id]).await?;
    Ok((p, items))
}

pub async fn cancel(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ServicePayments)?;
    let p = store::by_id(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    if !store::transition(&mut *tx, s.company_id, id, &[PaymentStatus::Scheduled], PaymentStatus::Cancelled, now())
        .await?
    {
        return Err(AppError::Conflict("Only a scheduled payment can be cancelled.".into()));
    }
    audit::staff(&mut *tx, s, origin, Action::PaymentCancel, Some(p.contact_id), &p.reference).await?;
    tx.commit().await?;
    Ok(())
}

/// Reverse a payment that was posted (a mistake, a bounced cheque reported
/// by phone): its ledger entries are reversed; no money moves.
pub async fn reverse(app: &App, s: &Staff, id: i64, reason: &str, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ServicePayments)?;
    let p = store::by_id(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let reason = validate::line(reason, 200).map_err(|m| FieldErrors::single("reason", m))?;
    if reason.is_empty() {
        return Err(FieldErrors::single("reason", "Say why the payment is reversed."));
    }
    let mut tx = app.db.begin().await?;
    if !store::transition(
        &mut *tx,
        s.company_id,
        id,
        &[PaymentStatus::Completed, PaymentStatus::Pending],
        PaymentStatus::Reversed,
        now(),
    )
    .await?
    {
        return Err(AppError::Conflict("Only a completed or pending payment can be reversed.".into()));
    }
    pay::unapply(&mut tx, &p, "Reversed", Some(s.user.id)).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::PaymentReverse,
        Some(p.contact_id),
        &format!("{}: {reason}", p.reference),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Refund a completed card payment in full through its gateway, then
/// reverse its ledger entries.
pub async fn refund(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ServicePayments)?;
    let p = store::by_id(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    if p.status != PaymentStatus::Completed {
        return Err(AppError::Conflict("Only a completed payment can be refunded.".into()));
    }
    let gw = app.gateways.get(&p.gateway)?;
    let gateway_ref = p.gateway_ref.clone().unwrap_or_default();
    gw.refund(&gateway_ref, p.amount_cents, &format!("refund:{}", p.idempotency_key))
        .await
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    let mut tx = app.db.begin().await?;
    if store::transition(&mut *tx, s.company_id, id, &[PaymentStatus::Completed], PaymentStatus::Refunded, now())
        .await?
    {
        pay::unapply(&mut tx, &p, "Refunded", Some(s.user.id)).await?;
        let detail = format!("{}: {}", p.reference, cents_text(p.amount_cents));
        audit::staff(&mut *tx, s, origin, Action::PaymentRefund, Some(p.contact_id), &detail).await?;
        let data =
            serde_json::json!({ "reference": p.reference, "contact_id": p.contact_id, "amount_cents": p.amount_cents });
        crate::webhooks::emit(&mut tx, s.company_id, "payment.refunded", data).await?;
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- settings

#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub accept_cards: bool,
    pub accept_bank: bool,
    pub bank_gateway: String,
    pub terms: String,
    pub agent_payments: bool,
    pub max_days_ahead: String,
    pub ach_company_name: String,
    pub ach_company_id: String,
    pub ach_odfi_routing: String,
    pub ach_destination_routing: String,
    pub ach_destination_name: String,
    pub ach_entry_description: String,
}

pub async fn settings(app: &App, s: &Staff) -> Result<PaymentSettings, AppError> {
    Ok(store::settings(app.db.r(), s.company_id).await?)
}

fn plain(raw: &str, max: usize, field: &'static str, e: &mut FieldErrors) -> String {
    let v = raw.trim();
    if v.chars().count() > max || v.chars().any(char::is_control) {
        e.add(field, format!("Use at most {max} characters."));
    }
    v.to_string()
}

pub async fn save_settings(app: &App, s: &Staff, input: &SettingsInput, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let mut e = FieldErrors::new();
    let mut out = store::settings(app.db.r(), s.company_id).await?;
    out.accept_cards = input.accept_cards;
    out.accept_bank = input.accept_bank;
    if !input.accept_cards && !input.accept_bank {
        e.add("accept_cards", "Accept cards, bank accounts, or both.");
    }
    out.bank_gateway = match input.bank_gateway.as_str() {
        "ach" | "test" => input.bank_gateway.clone(),
        _ => {
            e.add("bank_gateway", "Choose how bank payments are collected.");
            out.bank_gateway
        }
    };
    let terms = input.terms.trim();
    if terms.chars().count() > 4000 {
        e.add("terms", "Keep the terms under 4,000 characters.");
    }
    out.terms = terms.replace("\r\n", "\n");
    out.agent_payments = input.agent_payments;
    match input.max_days_ahead.trim().parse::<i64>() {
        Ok(n) if (1..=365).contains(&n) => out.max_days_ahead = n,
        _ => e.add("max_days_ahead", "Enter a number of days from 1 to 365."),
    }
    out.ach_company_name = plain(&input.ach_company_name, 16, "ach_company_name", &mut e);
    out.ach_company_id = plain(&input.ach_company_id, 10, "ach_company_id", &mut e);
    if !out.ach_company_id.is_empty() && !out.ach_company_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        e.add("ach_company_id", "Use 1 to 10 letters or digits (often 1 followed by the EIN).");
    }
    for (raw, field) in
        [(&input.ach_odfi_routing, "ach_odfi_routing"), (&input.ach_destination_routing, "ach_destination_routing")]
    {
        let v = raw.trim();
        if !v.is_empty()
            && let Err(m) = aba::validate_routing(v)
        {
            e.add(field, m.to_string());
        }
    }
    out.ach_odfi_routing = input.ach_odfi_routing.trim().to_string();
    out.ach_destination_routing = input.ach_destination_routing.trim().to_string();
    out.ach_destination_name = plain(&input.ach_destination_name, 23, "ach_destination_name", &mut e);
    out.ach_entry_description = plain(&input.ach_entry_description, 10, "ach_entry_description", &mut e);
    if out.ach_entry_description.is_empty() {
        out.ach_entry_description = "PAYMENT".into();
    }
    e.into_result()?;
    let mut tx = app.db.begin().await?;
    store::save_settings(&mut *tx, &out, now()).await?;
    audit::staff(&mut *tx, s, origin, Action::SettingsPayments, None, "payment settings saved").await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ NACHA

pub async fn batches(app: &App, s: &Staff) -> Result<Vec<Batch>, AppError> {
    Ok(store::batches(app.db.r(), s.company_id).await?)
}

pub async fn batch(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<Batch, AppError> {
    s.require(Permission::AchFiles)?;
    let b = store::batch(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    audit::staff(app.db.w(), s, origin, Action::NachaDownload, None, &b.file_name).await?;
    Ok(b)
}

pub async fn unbatched(app: &App, s: &Staff) -> Result<Vec<Payment>, AppError> {
    Ok(store::ach_unbatched(app.db.r(), s.company_id).await?)
}

/// Export every pending ACH payment not yet in a file as one NACHA file
/// (a PPD debit batch settling on the next business day). The payments
/// keep their `pending` status and get their trace numbers.
pub async fn export(app: &App, s: &Staff, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::AchFiles)?;
    let settings = store::settings(app.db.r(), s.company_id).await?;
    if settings.ach_company_name.is_empty()
        || settings.ach_company_id.is_empty()
        || settings.ach_odfi_routing.is_empty()
        || settings.ach_destination_routing.is_empty()
    {
        return Err(AppError::Conflict(
            "Fill in the ACH originator details (company name and id, your bank's routing numbers) under Portal settings → Payments first."
                .into(),
        ));
    }
    let payments = store::ach_unbatched(app.db.r(), s.company_id).await?;
    if payments.is_empty() {
        return Err(AppError::Conflict("There are no pending ACH payments to export.".into()));
    }
    let mut entries = Vec::new();
    for p in &payments {
        let m = store::method_any(app.db.r(), s.company_id, p.method_id).await?.ok_or(AppError::NotFound)?;
        let account = app
            .keys
            .open(m.account_sealed.as_deref().unwrap_or_default())
            .map_err(|_| AppError::Conflict(format!("The bank account of payment {} can't be read.", p.reference)))?;
        entries.push(AchEntry {
            direction: Direction::Debit,
            account_type: if m.account_type == "savings" { AccountType::Savings } else { AccountType::Checking },
            routing: m.routing_number.clone(),
            account_number: account,
            amount_cents: p.amount_cents,
            individual_id: p.reference.clone(),
            individual_name: m.holder_name.clone(),
            recurring: p.kind == PaymentKind::Automatic,
        });
    }
    let now_dt = time::OffsetDateTime::now_utc();
    let created = time::PrimitiveDateTime::new(now_dt.date(), now_dt.time());
    let tomorrow = today().next_day().unwrap_or(today());
    let effective = schedule::next_business_day_on_or_after(tomorrow).unwrap_or(tomorrow);
    let midnight = now_dt.replace_time(time::Time::MIDNIGHT).unix_timestamp();
    let today_count = store::batches_since(app.db.r(), s.company_id, midnight).await?;
    let modifier = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        .get(usize::try_from(today_count).unwrap_or(0))
        .copied()
        .map(char::from)
        .ok_or_else(|| AppError::Conflict("36 files were already exported today.".into()))?;
    let odfi = aba::validate_routing(&settings.ach_odfi_routing).map_err(|e| AppError::Conflict(e.to_string()))?;
    let company = portico_store::companies::get(app.db.r(), s.company_id).await?;
    let file = AchFile {
        immediate_destination: settings.ach_destination_routing.clone(),
        immediate_destination_name: settings.ach_destination_name.clone(),
        immediate_origin: odfi.as_str().to_string(),
        immediate_origin_name: company.name.clone(),
        created,
        file_id_modifier: modifier,
        reference_code: String::new(),
        first_trace_sequence: u32::try_from(store::traces_used(app.db.r(), s.company_id).await? + 1).unwrap_or(1),
        line_ending: LineEnding::CrLf,
        batches: vec![AchBatch {
            // Debits the customer authorised online (the portal, AutoPay):
            // NACHA's WEB class.
            sec: SecCode::Web,
            company_name: settings.ach_company_name.clone(),
            company_discretionary_data: String::new(),
            company_id: settings.ach_company_id.clone(),
            entry_description: settings.ach_entry_description.clone(),
            company_descriptive_date: String::new(),
            effective_entry_date: effective,
            originating_dfi: odfi.dfi_id().to_string(),
            entries,
        }],
    };
    let out =
        nacha::write_file(&file).map_err(|e| AppError::Conflict(format!("The NACHA file can't be written: {e}")))?;
    let file_name = format!("{}-{}{}.ach", validate::iso_date(today()), company.slug, modifier.to_ascii_lowercase());
    let traces: Vec<(i64, String)> =
        out.traces.iter().map(|t| (payments[t.entry].id, t.trace_number.clone())).collect();
    let mut tx = app.db.begin().await?;
    let id = store::insert_batch(
        &mut tx,
        &Batch {
            id: 0,
            company_id: s.company_id,
            file_name: file_name.clone(),
            effective_on: validate::iso_date(effective),
            entries: i64::try_from(payments.len()).unwrap_or(0),
            total_debit_cents: out.totals.total_debit_cents,
            total_credit_cents: out.totals.total_credit_cents,
            content: out.text,
            staff_user_id: Some(s.user.id),
            created_at: now(),
        },
        &traces,
    )
    .await?;
    let detail = format!("{file_name}: {} entries, {}", payments.len(), cents_text(out.totals.total_debit_cents));
    audit::staff(&mut *tx, s, origin, Action::NachaExport, None, &detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// What importing a returns file did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub returned: Vec<(String, String)>,
    pub already: Vec<String>,
    pub unknown: Vec<String>,
}

/// Import the bank's returns (a NACHA return file or a CSV of trace
/// number and return code): each matching payment is returned, its ledger
/// entries reversed, and the customer told. Nothing is applied when the
/// file can't be read.
pub async fn import_returns(app: &App, s: &Staff, text: &str, origin: &Origin) -> Result<ImportReport, AppError> {
    s.require(Permission::AchFiles)?;
    let returns = parse_returns(text).map_err(|e| FieldErrors::single("file", e.to_string()))?;
    if returns.is_empty() {
        return Err(FieldErrors::single("file", "The file has no returns in it."));
    }
    let mut report = ImportReport::default();
    for r in returns {
        let Some(p) = store::by_trace(app.db.r(), s.company_id, &r.original_trace).await? else {
            report.unknown.push(r.original_trace.clone());
            continue;
        };
        let code = r.code.as_code();
        let message = format!("{} ({code})", r.code.title());
        if pay::apply_return(app, &p, &code, &message, Some(s.user.id)).await? {
            report.returned.push((p.reference.clone(), code));
        } else {
            report.already.push(p.reference.clone());
        }
    }
    let detail = format!(
        "{} returned, {} already returned, {} unknown",
        report.returned.len(),
        report.already.len(),
        report.unknown.len()
    );
    audit::staff(app.db.w(), s, origin, Action::NachaReturns, None, &detail).await?;
    Ok(report)
}
