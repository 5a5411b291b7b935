//! "Request payoff" (seed 000): the customer picks accounts, sees a quote
//! good through a date with per-diem interest, confirms; staff get the
//! request in the console and by e-mail; the customer downloads a letter.
//! Quotes are always recomputed here, never taken from the form.

use portico_domain::codes::Action;
use portico_domain::loan::PayoffQuote;
use portico_domain::validate::iso_date;
use portico_store::accounts::{self as store, PayoffItem, PayoffRequest};
use portico_store::companies;

use crate::accounts::{today, view};
use crate::auth::Customer;
use crate::crypto::random_token;
use crate::mail::{self, Outgoing};
use crate::servicing::{self, AccountView};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// The quote for each chosen account.
pub async fn quote(app: &App, c: &Customer, account_ids: &[i64]) -> Result<Vec<(AccountView, PayoffQuote)>, AppError> {
    if account_ids.is_empty() {
        return Err(FieldErrors::single("accounts", "Choose at least one account to pay off."));
    }
    if account_ids.len() > 50 {
        return Err(FieldErrors::single("accounts", "Choose at most 50 accounts."));
    }
    let settings = companies::settings(app.db.r(), c.company_id).await?;
    let days = u32::try_from(settings.payoff_good_through_days.clamp(1, 60)).unwrap_or(10);
    let mut out = Vec::new();
    let mut errors = FieldErrors::new();
    for &id in account_ids {
        let v = view(app, c, id).await?;
        match servicing::payoff_quote(&v, today(), days) {
            Some(q) => out.push((v, q)),
            None => errors.add("accounts", format!("{} is already paid in full.", v.account.number)),
        }
    }
    errors.into_result()?;
    Ok(out)
}

/// Record a payoff request, notify the company, return its reference.
pub async fn request(app: &App, c: &Customer, account_ids: &[i64], origin: &Origin) -> Result<String, AppError> {
    if c.is_agent() {
        audit::portal(app.db.w(), c, origin, Action::AccessRefused, "agent tried to request a payoff").await?;
        return Err(AppError::Forbidden(
            "Agents can view payoff quotes but not request a payoff for the customer.".into(),
        ));
    }
    let quotes = quote(app, c, account_ids).await?;
    let as_of = today();
    let good_through = quotes.iter().map(|(_, q)| q.good_through).min().unwrap_or(as_of);
    let total: i64 = quotes.iter().map(|(_, q)| q.total.0).sum();
    let reference = format!(
        "PO-{}-{}",
        as_of.format(time::macros::format_description!("[year][month][day]")).unwrap_or_default(),
        &random_token()[..6].to_uppercase().replace(['-', '_'], "X")
    );
    let items: Vec<PayoffItem> = quotes
        .iter()
        .map(|(v, q)| PayoffItem {
            account_id: v.account.id,
            account_number: v.account.number.clone(),
            principal_cents: q.principal.0,
            interest_cents: q.interest.0,
            fees_cents: q.fees.0,
            per_diem_cents: q.per_diem.0,
            total_cents: q.total.0,
            basis: v.basis_text().into(),
        })
        .collect();
    let sender = mail::CompanySender::load(app, c.company_id).await?;
    let lines: Vec<String> =
        items.iter().map(|i| format!("- {}: {}", i.account_number, cents(i.total_cents))).collect();
    let text = format!(
        "{} {} (customer {}) requested a payoff in the portal.\n\nReference: {reference}\nGood through: {}\n\n{}\n\nTotal: {}\n\nOpen the staff console to follow up.",
        c.contact.first_name,
        c.contact.last_name,
        c.contact.customer_number,
        iso_date(good_through),
        lines.join("\n"),
        cents(total)
    );
    let mut tx = app.db.begin().await?;
    store::insert_payoff_request(
        &mut tx,
        c.company_id,
        &PayoffRequest {
            id: 0,
            contact_id: c.contact.id,
            reference: reference.clone(),
            as_of: iso_date(as_of),
            good_through: iso_date(good_through),
            total_cents: total,
            status: "requested".into(),
            created_at: now(),
        },
        &items,
    )
    .await?;
    mail::enqueue(
        &mut *tx,
        &Outgoing {
            company_id: c.company_id,
            kind: "payoff_request",
            to: &sender.from_addr,
            from: sender.from(),
            subject: &format!("Payoff request {reference} from {} {}", c.contact.first_name, c.contact.last_name),
            text: &text,
        },
    )
    .await?;
    audit::portal(&mut *tx, c, origin, Action::PayoffRequest, &reference).await?;
    let data = serde_json::json!({ "reference": reference, "contact_id": c.contact.id });
    crate::webhooks::emit(&mut tx, c.company_id, "payoff.requested", data).await?;
    tx.commit().await?;
    Ok(reference)
}

pub async fn find(app: &App, c: &Customer, reference: &str) -> Result<(PayoffRequest, Vec<PayoffItem>), AppError> {
    let r =
        store::payoff_request(app.db.r(), c.company_id, c.contact.id, reference).await?.ok_or(AppError::NotFound)?;
    let items = store::payoff_items(app.db.r(), r.id).await?;
    Ok((r, items))
}

fn cents(c: i64) -> String {
    mail::cents_text(c)
}
