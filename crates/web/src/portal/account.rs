//! My Account: profile, e-mail, password, sessions, staff access.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::account::{self, Profile};
use portico_app::auth::Customer;
use portico_app::{AppError, FieldErrors, Origin};
use portico_domain::codes::MethodKind;
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, OriginCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, long_date, when};
use crate::portal::chrome::{MsgQuery, portal_page};
use crate::state::AppState;

pub struct SessionRow {
    pub device: String,
    pub ip: String,
    pub last_seen: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "portal/account.html")]
struct AccountPage {
    p: crate::page::Page,
    profile: Profile,
    dob: String,
    customer_since: String,
    is_agent: bool,
    can_edit_email: bool,
    email_value: String,
    email_errors: FieldErrors,
    password_errors: FieldErrors,
    sessions: Vec<SessionRow>,
    agent_visits: Vec<(String, String)>,
    /// Statement delivery (seed 000), where the company offers the choice.
    delivery: Option<Delivery>,
    /// Banking information (seed 000): bank accounts on file, masked.
    banks: Vec<(String, String, String)>,
    payments: bool,
}

pub struct Delivery {
    pub current: String,
    pub choices: Vec<(&'static str, &'static str)>,
    pub errors: FieldErrors,
    pub can_edit: bool,
}

/// A short, readable description of a browser from its User-Agent.
pub(crate) fn device(ua: &str) -> String {
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/"]
        .iter()
        .find(|b| ua.contains(*b))
        .map(|b| match *b {
            "Edg/" => "Edge",
            "Firefox/" => "Firefox",
            "Chrome/" => "Chrome",
            _ => "Safari",
        })
        .unwrap_or("Browser");
    let os =
        [("iPhone", "iPhone"), ("Android", "Android"), ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux")]
            .iter()
            .find(|(k, _)| ua.contains(k))
            .map(|(_, v)| *v);
    match os {
        Some(os) => format!("{browser} on {os}"),
        None => browser.to_string(),
    }
}

async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    notice: Option<Notice>,
    email_value: String,
    email_errors: FieldErrors,
    password_errors: FieldErrors,
) -> WebResult<String> {
    render_with(state, tenant, c, csrf, notice, email_value, email_errors, password_errors, FieldErrors::new()).await
}

#[allow(clippy::too_many_arguments)]
async fn render_with(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    notice: Option<Notice>,
    email_value: String,
    email_errors: FieldErrors,
    password_errors: FieldErrors,
    delivery_errors: FieldErrors,
) -> WebResult<String> {
    let current = account::statement_delivery(&state.app, c).await?;
    let offered = portico_app::documents::settings(&state.app, c.company_id).await?.ask_statement_delivery;
    let delivery = (offered || current.is_some()).then(|| Delivery {
        current: current.unwrap_or_default(),
        choices: account::STATEMENT_DELIVERY.to_vec(),
        errors: delivery_errors,
        can_edit: !c.is_agent() || tenant.0.settings.agent_may_edit_profile,
    });
    let profile = account::profile(&state.app, c);
    let sessions = account::sessions(&state.app, c)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            device: device(&s.user_agent),
            ip: s.ip.clone(),
            last_seen: when(Some(s.last_seen_at)),
            current: s.token_hash == c.session_hash,
        })
        .collect();
    let visits = account::agent_visits(&state.app, c).await?.into_iter().map(|(t, n)| (when(Some(t)), n)).collect();
    let payments = tenant.sections().contains(portico_domain::section::Section::Payments);
    let banks = if payments {
        portico_app::payments::methods::list(&state.app, c)
            .await?
            .into_iter()
            .filter(|m| m.kind == MethodKind::Bank)
            .map(|m| {
                let bank = if m.bank_name.is_empty() { "Bank account".to_string() } else { m.bank_name.clone() };
                (
                    format!("{bank} · {}", if m.account_type == "savings" { "Savings" } else { "Checking" }),
                    format!(
                        "Routing {} · account {}",
                        m.routing_number,
                        portico_domain::payment::aba::mask_account(&m.last4)
                    ),
                    m.holder_name,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let t = AccountPage {
        banks,
        payments,
        p: portal_page(tenant, c, "My account", "/account", csrf).with_notice(notice),
        dob: profile
            .date_of_birth
            .map(|d| long_date(&portico_domain::validate::iso_date(d)))
            .unwrap_or_else(|| "Not on file".into()),
        customer_since: profile.customer_since.as_deref().map(long_date).unwrap_or_else(|| "Not on file".into()),
        profile,
        is_agent: c.is_agent(),
        can_edit_email: !c.is_agent() || tenant.0.settings.agent_may_edit_profile,
        email_value,
        email_errors,
        password_errors,
        sessions,
        agent_visits: visits,
        delivery,
    };
    Ok(t.render()?)
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let html = render(
        &state,
        &tenant,
        &c,
        &csrf,
        Notice::from_code(q.m.as_deref()),
        String::new(),
        FieldErrors::new(),
        FieldErrors::new(),
    )
    .await?;
    Ok(Html(html).into_response())
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    email_password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<EmailForm>,
) -> WebResult {
    match account::change_email(&state.app, &c, &f.email_password, &f.email, &origin).await {
        Ok(()) => Ok(Redirect::to("/account?m=email-changed").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render(
                &state,
                &tenant,
                &c,
                &csrf,
                Some(Notice::error("The e-mail address was not changed. See the message below.")),
                f.email,
                errors,
                FieldErrors::new(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    end_others: Option<String>,
}

pub async fn change_password(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<PasswordForm>,
) -> WebResult {
    let end_others = f.end_others.is_some();
    match account::change_password(
        &state.app,
        &c,
        &f.current_password,
        &f.new_password,
        &f.confirm,
        end_others,
        &origin,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?m=password-changed").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render(
                &state,
                &tenant,
                &c,
                &csrf,
                Some(Notice::error("Your password was not changed. See the message below.")),
                String::new(),
                FieldErrors::new(),
                errors,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DeliveryForm {
    #[serde(default)]
    delivery: String,
}

/// Paper or paperless statements (seed 000: "My Account").
pub async fn change_statement_delivery(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<DeliveryForm>,
) -> WebResult {
    match account::set_statement_delivery(&state.app, &c, &f.delivery, &origin).await {
        Ok(()) => Ok(Redirect::to("/account?m=statement-delivery-saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let n = Some(Notice::error("Your statement delivery was not changed. See the message below."));
            let (e1, e2) = (FieldErrors::new(), FieldErrors::new());
            let html = render_with(&state, &tenant, &c, &csrf, n, String::new(), e1, e2, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn end_other_sessions(
    State(state): State<AppState>,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
) -> WebResult {
    let _: &Origin = &origin;
    match account::end_other_sessions(&state.app, &c, &origin).await {
        Ok(_) => Ok(Redirect::to("/account?m=sessions-ended").into_response()),
        Err(e) => Err(WebError::from(e)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn device_names() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(super::device(chrome), "Chrome on Windows");
        assert_eq!(super::device("curl/8"), "Browser");
    }
}
