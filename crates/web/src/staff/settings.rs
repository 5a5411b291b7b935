//! Customer Portal Settings (administrators).

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::console::{Domain, FaqEntry};
use portico_app::settings::{self, FaqInput, SettingsInput};
use portico_app::{AppError, FieldErrors};
use portico_domain::email_template::PLACEHOLDERS;
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::layers::{CsrfSeed, multipart_csrf_ok};
use crate::page::{Form, Notice, Page};
use crate::staff::staff_page;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff/settings.html")]
struct GeneralPage {
    p: Page,
    tab: &'static str,
    s: SettingsInput,
    errors: FieldErrors,
    sections: Vec<(&'static str, &'static str, bool)>,
    placeholders: String,
}

#[derive(Template)]
#[template(path = "staff/settings_logo.html")]
struct LogoPage {
    p: Page,
    tab: &'static str,
    has_logo: bool,
    updated_at: i64,
    logo_error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/settings_domains.html")]
struct DomainsPage {
    p: Page,
    tab: &'static str,
    domains: Vec<Domain>,
    new_host: String,
    domain_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "staff/settings_faq.html")]
struct FaqPage {
    p: Page,
    tab: &'static str,
    faq: Vec<FaqEntry>,
    new_question: String,
    new_answer: String,
    faq_errors: FieldErrors,
}

fn frame(tenant: &TenantCtx, s: &Staff, csrf: &str, notice: Option<Notice>) -> Result<Page, WebError> {
    s.require(Permission::ManageSettings)?;
    Ok(staff_page(tenant, s, "Portal settings", "settings", csrf).with_notice(notice))
}

async fn render_general(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    input: Option<SettingsInput>,
    errors: FieldErrors,
) -> WebResult<String> {
    let p = frame(tenant, s, csrf, notice)?;
    let input = match input {
        Some(i) => i,
        None => SettingsInput::from_settings(&portico_app::console::portal_settings(&state.app, s).await?),
    };
    let sections = Section::ALL
        .iter()
        .map(|sec| (sec.key(), sec.label(), input.sections.iter().any(|k| k == sec.key())))
        .collect();
    let t = GeneralPage {
        p,
        tab: "general",
        s: input,
        errors,
        sections,
        placeholders: format!(
            "Placeholders: {}. {{{{link}}}} is required.",
            PLACEHOLDERS.map(|p| format!("{{{{{p}}}}}")).join(", ")
        ),
    };
    Ok(t.render()?)
}

async fn render_logo(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    logo_error: Option<String>,
) -> WebResult<String> {
    let p = frame(tenant, s, csrf, notice)?;
    let logo = portico_app::console::logo(&state.app, s).await?;
    let t = LogoPage {
        p,
        tab: "logo",
        has_logo: logo.is_some(),
        updated_at: logo.map(|l| l.updated_at).unwrap_or(0),
        logo_error,
    };
    Ok(t.render()?)
}

async fn render_domains(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    new_host: String,
    domain_errors: FieldErrors,
) -> WebResult<String> {
    let p = frame(tenant, s, csrf, notice)?;
    let domains = portico_app::console::domains(&state.app, s).await?;
    Ok(DomainsPage { p, tab: "domains", domains, new_host, domain_errors }.render()?)
}

async fn render_faq(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    q: String,
    a: String,
    faq_errors: FieldErrors,
) -> WebResult<String> {
    let p = frame(tenant, s, csrf, notice)?;
    let faq = portico_app::console::faq(&state.app, s).await?;
    Ok(FaqPage { p, tab: "faq", faq, new_question: q, new_answer: a, faq_errors }.render()?)
}

fn refused(html: String) -> axum::response::Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

macro_rules! tab_page {
    ($name:ident, $render:expr) => {
        pub async fn $name(
            State(state): State<AppState>,
            tenant: TenantCtx,
            StaffCtx(s): StaffCtx,
            CsrfToken(csrf): CsrfToken,
            Query(q): Query<MsgQuery>,
        ) -> WebResult {
            let notice = Notice::from_code(q.m.as_deref());
            let html = $render(&state, &tenant, &s, &csrf, notice).await?;
            Ok(Html(html).into_response())
        }
    };
}

tab_page!(page, |st, t, s, c, n| render_general(st, t, s, c, n, None, FieldErrors::new()));
tab_page!(logo_page, |st, t, s, c, n| render_logo(st, t, s, c, n, None));
tab_page!(domains_page, |st, t, s, c, n| render_domains(st, t, s, c, n, String::new(), FieldErrors::new()));
tab_page!(faq_page, |st, t, s, c, n| render_faq(st, t, s, c, n, String::new(), String::new(), FieldErrors::new()));

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    from_address: String,
    #[serde(default)]
    from_name: String,
    #[serde(default)]
    welcome_subject: String,
    #[serde(default)]
    welcome_body: String,
    send_welcome_on_enroll: Option<String>,
    #[serde(default)]
    sections: Vec<String>,
    #[serde(default)]
    announcement_short: String,
    #[serde(default)]
    announcement_page: String,
    #[serde(default)]
    help_phone: String,
    #[serde(default)]
    help_email: String,
    #[serde(default)]
    help_hours: String,
    #[serde(default)]
    help_address: String,
    use_company_logo: Option<String>,
    show_stage_status: Option<String>,
    forgot_password_enabled: Option<String>,
    agent_may_edit_profile: Option<String>,
    #[serde(default)]
    brand_color: String,
}

pub async fn save(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<SettingsForm>,
) -> WebResult {
    let input = SettingsInput {
        from_address: f.from_address,
        from_name: f.from_name,
        welcome_subject: f.welcome_subject,
        welcome_body: f.welcome_body,
        send_welcome_on_enroll: f.send_welcome_on_enroll.is_some(),
        sections: f.sections,
        announcement_short: f.announcement_short,
        announcement_page: f.announcement_page,
        help_phone: f.help_phone,
        help_email: f.help_email,
        help_hours: f.help_hours,
        help_address: f.help_address,
        use_company_logo: f.use_company_logo.is_some(),
        show_stage_status: f.show_stage_status.is_some(),
        forgot_password_enabled: f.forgot_password_enabled.is_some(),
        agent_may_edit_profile: f.agent_may_edit_profile.is_some(),
        brand_color: f.brand_color,
    };
    match settings::save(&state.app, &s, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings?m=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render_general(&state, &tenant, &s, &csrf, None, Some(input), errors).await?;
            Ok(refused(html))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct FaqForm {
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
}

pub async fn add_faq(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<FaqForm>,
) -> WebResult {
    let input = FaqInput { question: f.question, answer: f.answer };
    match settings::add_faq(&state.app, &s, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/faq?m=faq-added").into_response()),
        Err(AppError::Invalid(errors)) => {
            let n = Some(Notice::error("The question was not added."));
            let html = render_faq(&state, &tenant, &s, &csrf, n, input.question, input.answer, errors).await?;
            Ok(refused(html))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update_faq(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<FaqForm>,
) -> WebResult {
    let input = FaqInput { question: f.question, answer: f.answer };
    settings::update_faq(&state.app, &s, id, &input, &origin).await?;
    Ok(Redirect::to("/staff/settings/faq?m=saved").into_response())
}

pub async fn delete_faq(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    settings::delete_faq(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to("/staff/settings/faq?m=faq-deleted").into_response())
}

#[derive(Deserialize)]
pub struct DomainForm {
    #[serde(default)]
    host: String,
}

pub async fn add_domain(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<DomainForm>,
) -> WebResult {
    match settings::add_domain(&state.app, &s, &f.host, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/domains?m=domain-added").into_response()),
        Err(AppError::Invalid(errors)) => {
            let n = Some(Notice::error("The domain was not added."));
            Ok(refused(render_domains(&state, &tenant, &s, &csrf, n, f.host, errors).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_domain(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    settings::delete_domain(&state.app, &s, id, &tenant.0.domain.host, &origin).await?;
    Ok(Redirect::to("/staff/settings/domains?m=domain-deleted").into_response())
}

pub async fn primary_domain(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    settings::make_primary_domain(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to("/staff/settings/domains?m=domain-primary").into_response())
}

const LOGO_TOO_BIG: &str = "The logo must be at most 512 KB.";

/// Logo upload: multipart, so the CSRF token is checked here from the
/// form's `csrf` field; the image type is decided by its bytes.
pub async fn upload_logo(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    seed: Option<axum::Extension<CsrfSeed>>,
    mut mp: Multipart,
) -> WebResult {
    s.require(Permission::ManageSettings)?;
    let too_big = || async {
        let html = render_logo(&state, &tenant, &s, &csrf, None, Some(LOGO_TOO_BIG.to_string())).await?;
        Ok::<_, WebError>(refused(html))
    };
    let mut sent_csrf = String::new();
    let mut data: Option<Vec<u8>> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_big().await,
            Err(_) => {
                return Err(WebError::BadRequest("The upload could not be read. Try again.".into()));
            }
        };
        match field.name() {
            Some("csrf") => sent_csrf = field.text().await.unwrap_or_default(),
            Some("logo") => match field.bytes().await {
                Ok(b) => data = Some(b.to_vec()),
                Err(_) => return too_big().await,
            },
            _ => {}
        }
    }
    if !multipart_csrf_ok(&state, seed.as_ref().map(|e| &e.0), &sent_csrf) {
        return Err(WebError::Forbidden("This form has expired. Reload the page and try again.".into()));
    }
    match settings::save_logo(&state.app, &s, &data.unwrap_or_default(), &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/logo?m=logo-saved").into_response()),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("The logo was not saved."));
            Ok(refused(render_logo(&state, &tenant, &s, &csrf, n, e.get("logo").map(str::to_string)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_logo(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
) -> WebResult {
    settings::delete_logo(&state.app, &s, &origin).await?;
    Ok(Redirect::to("/staff/settings/logo?m=logo-deleted").into_response())
}

#[derive(Template)]
#[template(path = "staff/settings_accounts.html")]
struct AccountsPage {
    p: Page,
    tab: &'static str,
    kinds: Vec<(&'static str, &'static str, bool)>,
    columns: Vec<(&'static str, &'static str, bool)>,
    orders: Vec<(&'static str, &'static str)>,
    allocation_order: String,
    days: String,
    errors: FieldErrors,
}

async fn render_accounts(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    input: Option<settings::AccountSettingsInput>,
    errors: FieldErrors,
) -> WebResult<String> {
    let p = frame(tenant, s, csrf, notice)?;
    let stored = portico_app::console::portal_settings(&state.app, s).await?;
    let input = input.unwrap_or_else(|| settings::AccountSettingsInput {
        kinds: stored.transaction_kinds_shown.split(',').map(str::to_string).collect(),
        columns: stored.transaction_columns.split(',').map(str::to_string).collect(),
        allocation_order: stored.allocation_order.clone(),
        payoff_good_through_days: stored.payoff_good_through_days.to_string(),
    });
    let t = AccountsPage {
        p,
        tab: "accounts",
        kinds: settings::TRANSACTION_KINDS
            .iter()
            .map(|k| (k.code(), k.label(), input.kinds.iter().any(|x| x == k.code())))
            .collect(),
        columns: crate::portal::transactions::COLUMNS
            .iter()
            .map(|(k, l)| (*k, *l, input.columns.iter().any(|x| x == k)))
            .collect(),
        orders: vec![
            ("fees,interest,principal", "Fees, then interest, then principal"),
            ("interest,fees,principal", "Interest, then fees, then principal"),
            ("interest,principal,fees", "Interest, then principal, then fees"),
        ],
        allocation_order: input.allocation_order,
        days: input.payoff_good_through_days,
        errors,
    };
    Ok(t.render()?)
}

tab_page!(accounts_page, |st, t, s, c, n| render_accounts(st, t, s, c, n, None, FieldErrors::new()));

#[derive(Deserialize)]
pub struct AccountSettingsForm {
    #[serde(default)]
    kind: Vec<String>,
    #[serde(default)]
    column: Vec<String>,
    #[serde(default)]
    allocation_order: String,
    #[serde(default)]
    payoff_good_through_days: String,
}

pub async fn save_accounts(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<AccountSettingsForm>,
) -> WebResult {
    let input = settings::AccountSettingsInput {
        kinds: f.kind,
        columns: f.column,
        allocation_order: f.allocation_order,
        payoff_good_through_days: f.payoff_good_through_days,
    };
    match settings::save_account_settings(&state.app, &s, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/accounts?m=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            Ok(refused(render_accounts(&state, &tenant, &s, &csrf, None, Some(input), errors).await?))
        }
        Err(e) => Err(e.into()),
    }
}
