//! PDFs: line-of-credit statements and payoff letters, rendered on request
//! from stored figures (portico-render draws them).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use portico_app::accounts;
use portico_app::auth::Customer;
use portico_domain::codes::AccountKind;
use portico_domain::codes::TxStatus;
use portico_domain::validate;
use portico_render::pdf::{Party, PayoffLetterDoc, PayoffLine, StatementDoc, StatementLine};

use crate::ctx::{CustomerCtx, OriginCtx, TenantCtx, parse_id};
use crate::error::{WebError, WebResult};
use crate::page::money;
use crate::state::AppState;

/// Agents view the portal but don't download customers' documents
/// (design.md: view only by default); the refusal is audited.
pub async fn refuse_agent_download(
    state: &AppState,
    c: &Customer,
    origin: &portico_app::Origin,
    what: &str,
) -> Result<(), WebError> {
    if c.is_agent() {
        portico_app::authz::record_customer_refusal(&state.app, c, origin, &format!("agent tried to download {what}"))
            .await?;
        return Err(WebError::Forbidden("Agents can view this account but not download its documents.".into()));
    }
    Ok(())
}

fn pdf(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// The company as a letterhead: name and help address.
async fn company_party(state: &AppState, company_id: i64) -> Result<Party, WebError> {
    let sender = portico_app::mail::CompanySender::load(&state.app, company_id).await?;
    let (company, s) = (sender.company, sender.settings);
    let mut lines: Vec<String> = s.help_address.lines().map(str::to_string).filter(|l| l != &company.name).collect();
    if !s.help_phone.is_empty() {
        lines.push(s.help_phone.clone());
    }
    Ok(Party { name: company.name, address_lines: lines })
}

fn customer_party(c: &Customer) -> Party {
    Party {
        name: format!("{} {}", c.contact.first_name, c.contact.last_name),
        address_lines: c.contact.address.lines().map(str::to_string).collect(),
    }
}

/// "••4821": the last four characters of an account number.
fn masked(number: &str) -> String {
    let tail: String = number.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("••{tail}")
}

pub async fn statement(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Path((raw_account, raw_file)): Path<(String, String)>,
) -> WebResult {
    let account_id = parse_id(&raw_account)?;
    let id = parse_id(raw_file.strip_suffix(".pdf").ok_or(WebError::NotFound)?)?;
    tenant.require(portico_domain::section::Section::Accounts)?;
    let v = accounts::view(&state.app, &c, account_id).await?;
    refuse_agent_download(&state, &c, &origin, "a statement").await?;
    if v.kind != AccountKind::LineOfCredit {
        return Err(WebError::NotFound);
    }
    let (st, txs) = portico_app::portal::statement(&state.app, &v, id).await?;
    let date = |s: &str| validate::date(s).ok_or_else(|| WebError::Internal(format!("bad stored date {s}")));
    let doc = StatementDoc {
        company: company_party(&state, c.company_id).await?,
        customer: customer_party(&c),
        account_label: format!("{} {}", v.account.product, masked(&v.account.number)),
        cycle_start: date(&st.cycle_start)?,
        cycle_end: date(&st.cycle_end)?,
        opening_balance: st.opening_cents,
        closing_balance: st.closing_cents,
        credit_limit: Some(v.account.amount_cents),
        available_credit: Some((v.account.amount_cents - st.closing_cents).max(0)),
        totals: vec![
            ("Draws".into(), st.draws_cents),
            ("Payments".into(), -st.payments_cents),
            ("Interest charged".into(), st.interest_cents),
            ("Fees".into(), st.fees_cents),
        ],
        lines: txs
            .iter()
            .filter(|t| t.status == TxStatus::Posted)
            .filter_map(|t| {
                // The same signed amount as the Transactions page and CSV.
                Some(StatementLine {
                    date: validate::date(&t.posted_on)?,
                    description: t.description.clone(),
                    amount: t.effect_cents,
                })
            })
            .collect(),
        minimum_payment: Some(st.minimum_payment_cents),
        payment_due: validate::date(&st.due_on),
        apr: Some(format!("{} %", (v.annual_rate * rust_decimal::Decimal::from(100)).round_dp(2).normalize())),
        notes: vec![format!(
            "Interest is charged on the average daily balance. Minimum payment: 3 % of the balance plus interest and fees, at least {}.",
            money(2500)
        )],
    };
    let bytes = portico_render::pdf::statement(&doc).map_err(|e| WebError::Internal(format!("pdf: {e}")))?;
    Ok(pdf(bytes, &format!("statement-{}-{}.pdf", v.account.number, st.cycle_end)))
}

pub async fn payoff_letter(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Path(reference): Path<String>,
) -> WebResult {
    let s = tenant.sections();
    if !s.contains(portico_domain::section::Section::Accounts)
        && !s.contains(portico_domain::section::Section::Advances)
    {
        return Err(WebError::NotFound);
    }
    let (r, items) = portico_app::payoff::find(&state.app, &c, &reference).await?;
    refuse_agent_download(&state, &c, &origin, "a payoff letter").await?;
    let settings = &tenant.0.settings;
    let date = |s: &str| validate::date(s).ok_or_else(|| WebError::Internal(format!("bad stored date {s}")));
    let doc = PayoffLetterDoc {
        company: company_party(&state, c.company_id).await?,
        customer: customer_party(&c),
        date: date(&r.as_of)?,
        reference: r.reference.clone(),
        good_through: date(&r.good_through)?,
        accounts: items
            .iter()
            .map(|i| PayoffLine {
                account_label: i.account_number.clone(),
                principal: i.principal_cents,
                interest: i.interest_cents,
                fees: i.fees_cents,
                per_diem: i.per_diem_cents,
                total: i.total_cents,
                basis: i.basis.clone(),
            })
            .collect(),
        total: r.total_cents,
        instructions: vec![
            format!("Pay the total above by the good-through date. Quote reference {} with your payment.", r.reference),
            "Once the payoff is received and clears, we will close the accounts and send you a paid-in-full letter."
                .into(),
        ],
        contact: format!(
            "Questions? Contact {}{}{}.",
            tenant.0.company.name,
            if settings.help_phone.is_empty() { String::new() } else { format!(" at {}", settings.help_phone) },
            if settings.help_email.is_empty() { String::new() } else { format!(" or {}", settings.help_email) }
        ),
    };
    let bytes = portico_render::pdf::payoff_letter(&doc).map_err(|e| WebError::Internal(format!("pdf: {e}")))?;
    Ok(pdf(bytes, &format!("payoff-{}.pdf", r.reference)))
}
