//! Request payoff (seed 000).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::{AppError, FieldErrors, payoff};
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, OriginCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Page, money, short_date, short_iso};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

pub struct Choice {
    pub id: i64,
    pub number: String,
    pub product: String,
    pub balance: String,
    pub paid_in_full: bool,
    pub checked: bool,
}

pub struct Line {
    pub id: i64,
    pub number: String,
    pub principal: String,
    pub interest: String,
    pub fees: String,
    pub per_diem: String,
    pub total: String,
    /// What pays the account off today (review step).
    pub today: String,
    /// How the account counts interest, with its per-diem rule.
    pub basis: String,
}

#[derive(Template)]
#[template(path = "portal/payoff.html")]
struct PayoffPage {
    p: Page,
    step: &'static str,
    choices: Vec<Choice>,
    errors: FieldErrors,
    lines: Vec<Line>,
    total: String,
    /// The same accounts paid off today (review step).
    total_today: String,
    good_through: String,
    reference: String,
    is_agent: bool,
}

impl PayoffPage {
    fn new(p: Page, step: &'static str, is_agent: bool) -> PayoffPage {
        PayoffPage {
            p,
            step,
            choices: Vec::new(),
            errors: FieldErrors::new(),
            lines: Vec::new(),
            total: String::new(),
            total_today: String::new(),
            good_through: String::new(),
            reference: String::new(),
            is_agent,
        }
    }
}

fn require(tenant: &TenantCtx) -> Result<(), WebError> {
    let s = tenant.sections();
    if s.contains(Section::Accounts) || s.contains(Section::Advances) { Ok(()) } else { Err(WebError::NotFound) }
}

async fn choose_page(
    state: &AppState,
    tenant: &TenantCtx,
    c: &portico_app::auth::Customer,
    csrf: &str,
    checked: &[i64],
    errors: FieldErrors,
) -> WebResult<String> {
    let views = portico_app::accounts::views(&state.app, c).await?;
    let mut t = PayoffPage::new(portal_page(tenant, c, "Request payoff", "/", csrf), "choose", c.is_agent());
    t.choices = views
        .iter()
        .map(|v| Choice {
            id: v.account.id,
            number: v.account.number.clone(),
            product: v.account.product.clone(),
            balance: money(v.balance),
            paid_in_full: v.paid_in_full || v.balance <= 0,
            checked: checked.contains(&v.account.id),
        })
        .collect();
    t.errors = errors;
    Ok(t.render()?)
}

pub async fn choose(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    require(&tenant)?;
    Ok(Html(choose_page(&state, &tenant, &c, &csrf, &[], FieldErrors::new()).await?).into_response())
}

#[derive(Deserialize)]
pub struct Accounts {
    #[serde(default)]
    account: Vec<String>,
}

fn ids(f: &Accounts) -> Result<Vec<i64>, WebError> {
    f.account.iter().map(|s| s.parse::<i64>().map_err(|_| WebError::NotFound)).collect()
}

pub async fn review(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<Accounts>,
) -> WebResult {
    require(&tenant)?;
    let ids = ids(&f)?;
    match payoff::quote(&state.app, &c, &ids).await {
        Ok(quotes) => {
            let mut t = PayoffPage::new(portal_page(&tenant, &c, "Payoff quote", "/", &csrf), "review", c.is_agent());
            t.good_through = quotes.iter().map(|(_, q)| q.good_through).min().map(short_date).unwrap_or_default();
            t.total = money(quotes.iter().map(|(_, q)| q.total.0).sum());
            t.total_today = money(quotes.iter().map(|(v, _)| v.payoff_today()).sum());
            t.lines = quotes
                .iter()
                .map(|(v, q)| Line {
                    id: v.account.id,
                    number: v.account.number.clone(),
                    principal: money(q.principal.0),
                    interest: money(q.interest.0),
                    fees: money(q.fees.0),
                    per_diem: money(q.per_diem.0),
                    total: money(q.total.0),
                    today: money(v.payoff_today()),
                    basis: v.basis_text().into(),
                })
                .collect();
            Ok(Html(t.render()?).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let html = choose_page(&state, &tenant, &c, &csrf, &ids, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<Accounts>,
) -> WebResult {
    require(&tenant)?;
    let ids = ids(&f)?;
    match payoff::request(&state.app, &c, &ids, &origin).await {
        Ok(reference) => Ok(Redirect::to(&format!("/payoff/{reference}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = choose_page(&state, &tenant, &c, &csrf, &ids, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn done(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Path(reference): Path<String>,
) -> WebResult {
    require(&tenant)?;
    let (r, items) = payoff::find(&state.app, &c, &reference).await?;
    let mut t = PayoffPage::new(portal_page(&tenant, &c, "Payoff requested", "/", &csrf), "done", c.is_agent());
    t.reference = r.reference;
    t.good_through = short_iso(&r.good_through);
    t.total = money(r.total_cents);
    t.lines = items
        .into_iter()
        .map(|i| Line {
            id: i.account_id,
            number: i.account_number,
            principal: money(i.principal_cents),
            interest: money(i.interest_cents),
            fees: money(i.fees_cents),
            per_diem: money(i.per_diem_cents),
            total: money(i.total_cents),
            today: String::new(),
            basis: i.basis,
        })
        .collect();
    Ok(Html(t.render()?).into_response())
}
