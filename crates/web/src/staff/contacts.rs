//! Contacts and their "Customer Portal" section (seed 000).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::authz::Permission;
use portico_app::console::PortalUser;
use portico_app::console::{Contact, Domain};
use portico_app::enroll;
use portico_domain::codes::ActorKind;
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, Page, long_date, when};
use crate::staff::staff_page;
use crate::state::AppState;

const PAGE_SIZE: i64 = 25;

pub struct Row {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub customer_number: String,
    pub email: Option<String>,
    pub portal_active: Option<i64>,
    pub last_login: String,
}

#[derive(Template)]
#[template(path = "staff/contacts.html")]
struct ListPage {
    p: Page,
    q: String,
    q_enc: String,
    rows: Vec<Row>,
    page: i64,
    has_more: bool,
    can_create: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<String>,
    m: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<ListQuery>,
) -> WebResult {
    let page = q.page.as_deref().and_then(|p| p.parse::<i64>().ok()).filter(|p| (1..=100_000).contains(p)).unwrap_or(1);
    let query: String = q.q.trim().chars().take(100).collect();
    let mut found =
        portico_app::console::search_contacts(&state.app, &s, &query, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE).await?;
    let has_more = found.len() as i64 > PAGE_SIZE;
    found.truncate(PAGE_SIZE as usize);
    let rows = found
        .into_iter()
        .map(|r| Row {
            id: r.id,
            first_name: r.first_name,
            last_name: r.last_name,
            customer_number: r.customer_number,
            email: r.email,
            portal_active: r.portal_active,
            last_login: when(r.last_login_at),
        })
        .collect();
    let t = ListPage {
        p: staff_page(&tenant, &s, "Contacts", "contacts", &csrf).with_notice(Notice::from_code(q.m.as_deref())),
        q_enc: url::form_urlencoded::byte_serialize(query.as_bytes()).collect(),
        q: query,
        rows,
        page,
        has_more,
        can_create: s.role.allows(Permission::ServiceCustomers),
    };
    Ok(Html(t.render()?).into_response())
}

pub struct AuditRow {
    pub when: String,
    pub who: String,
    pub action: &'static str,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "staff/contact.html")]
struct ContactPage {
    p: Page,
    c: Contact,
    user: Option<PortalUser>,
    domains: Vec<Domain>,
    current_host: String,
    customer_since: String,
    identity_on_file: bool,
    welcome_sent: String,
    last_login: String,
    onboarded: String,
    verify_locked: bool,
    can_act: bool,
    send_welcome: bool,
    audit: Vec<AuditRow>,
    /// (card, hidden from portal)
    accounts: Vec<(crate::portal::accounts::AccountCard, bool)>,
    documents: crate::staff::documents::Panel,
    /// Tasks, conversations, team and notes (staff/tasks.rs).
    panels: String,
    /// Settlement program, intake and student loans (staff/debts.rs).
    settlement_panel: String,
}

pub fn who(kind: ActorKind, staff_name: Option<&str>, contact_name: Option<&str>) -> String {
    match kind {
        ActorKind::Agent => format!("{} (Agent)", staff_name.unwrap_or("staff")),
        ActorKind::Staff => staff_name.unwrap_or("staff").to_string(),
        ActorKind::Customer => contact_name.map(|n| format!("{n} (customer)")).unwrap_or_else(|| "Customer".into()),
        ActorKind::System => kind.label().to_string(),
    }
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let cp = enroll::contact_portal(&state.app, &s, id).await?;
    let audit = portico_app::console::contact_audit(&state.app, &s, id, 25)
        .await?
        .into_iter()
        .map(|a| AuditRow {
            when: when(Some(a.at)),
            who: who(a.actor_kind, a.staff_name.as_deref(), a.contact_name.as_deref()),
            action: a.action.label(),
            detail: a.detail,
        })
        .collect();
    let now = portico_app::now();
    let accounts = portico_app::console::contact_accounts(&state.app, &s, id)
        .await?
        .iter()
        .map(|v| (crate::portal::accounts::card(v), v.account.hidden))
        .collect();
    let t = ContactPage {
        p: staff_page(&tenant, &s, &format!("{} {}", cp.contact.first_name, cp.contact.last_name), "contacts", &csrf)
            .with_notice(Notice::from_code(q.m.as_deref())),
        customer_since: cp.contact.customer_since.as_deref().map(long_date).unwrap_or_default(),
        identity_on_file: cp.contact.dob_enc.is_some() && cp.contact.ssn4_mac.is_some(),
        welcome_sent: when(cp.user.as_ref().and_then(|u| u.welcome_sent_at)),
        last_login: when(cp.user.as_ref().and_then(|u| u.last_login_at)),
        onboarded: when(cp.user.as_ref().and_then(|u| u.onboarded_at)),
        verify_locked: cp.user.as_ref().and_then(|u| u.verify_locked_until).is_some_and(|t| t > now),
        can_act: s.role.allows(Permission::ManagePortalAccess),
        send_welcome: tenant.0.settings.send_welcome_on_enroll,
        current_host: tenant.0.domain.host.clone(),
        c: cp.contact,
        user: cp.user,
        domains: cp.domains,
        audit,
        accounts,
        panels: crate::staff::tasks::contact_panels(&state, &s, id, &csrf).await?,
        documents: crate::staff::documents::panel(&state, &s, id).await?,
        settlement_panel: crate::staff::debts::contact_panel(&state, &s, id).await?,
    };
    Ok(Html(t.render()?).into_response())
}

fn back(id: i64, code: &str) -> axum::response::Response {
    Redirect::to(&format!("/staff/contacts/{id}?m={code}")).into_response()
}

pub async fn create_user(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    enroll::enroll(&state.app, &s, id, &origin).await?;
    Ok(back(id, if tenant.0.settings.send_welcome_on_enroll { "enrolled-welcome" } else { "enrolled" }))
}

pub async fn reset_password(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    enroll::resend_welcome(&state.app, &s, id, &origin).await?;
    Ok(back(id, "welcome-sent"))
}

pub async fn activate(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    enroll::set_portal_active(&state.app, &s, id, true, &origin).await?;
    Ok(back(id, "activated"))
}

pub async fn deactivate(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    enroll::set_portal_active(&state.app, &s, id, false, &origin).await?;
    Ok(back(id, "deactivated"))
}

pub async fn end_sessions(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    enroll::end_customer_sessions(&state.app, &s, id, &origin).await?;
    Ok(back(id, "sessions-ended-staff"))
}

#[derive(Deserialize)]
pub struct LoginAsForm {
    #[serde(default)]
    domain_id: String,
}

#[derive(Template)]
#[template(path = "staff/agent_handoff.html")]
struct Handoff {
    p: Page,
    name: String,
    url: String,
    host: String,
}

/// Same host: redirect straight into the Agent session. Another host: the
/// page's CSP (`form-action 'self'`) forbids a cross-host redirect after a
/// form post, so show a link to follow instead.
pub async fn login_as(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Form(f): Form<LoginAsForm>,
) -> WebResult {
    let domain_id = f.domain_id.parse::<i64>().map_err(|_| WebError::BadRequest("Choose a domain.".into()))?;
    let link = enroll::login_as_consumer(&state.app, &s, id, domain_id, &origin).await?;
    if link.host == tenant.0.domain.host {
        return Ok(Redirect::to(&link.path).into_response());
    }
    let contact = portico_app::console::contact(&state.app, &s, id).await?;
    let t = Handoff {
        p: staff_page(&tenant, &s, "Login as consumer", "contacts", &csrf),
        name: format!("{} {}", contact.first_name, contact.last_name),
        url: link.url,
        host: link.host,
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub struct NewContactForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    customer_number: String,
    #[serde(default)]
    external_id: String,
    #[serde(default)]
    account_number: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    ssn_last4: String,
    #[serde(default)]
    customer_since: String,
}

#[derive(Template)]
#[template(path = "staff/contact_new.html")]
struct NewContactPage {
    p: Page,
    c: NewContactForm,
    errors: portico_app::FieldErrors,
}

pub async fn new_page(tenant: TenantCtx, StaffCtx(s): StaffCtx, CsrfToken(csrf): CsrfToken) -> WebResult {
    s.require(Permission::ServiceCustomers)?;
    let t = NewContactPage {
        p: staff_page(&tenant, &s, "New contact", "contacts", &csrf),
        c: NewContactForm::default(),
        errors: portico_app::FieldErrors::new(),
    };
    Ok(Html(t.render()?).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<NewContactForm>,
) -> WebResult {
    let input = portico_app::contacts::ContactInput {
        first_name: f.first_name.clone(),
        last_name: f.last_name.clone(),
        email: f.email.clone(),
        phone: f.phone.clone(),
        customer_number: f.customer_number.clone(),
        external_id: f.external_id.clone(),
        account_number: f.account_number.clone(),
        address: f.address.clone(),
        date_of_birth: f.date_of_birth.clone(),
        ssn_last4: f.ssn_last4.clone(),
        customer_since: f.customer_since.clone(),
        ..Default::default()
    };
    match portico_app::contacts::create(&state.app, &s, &input, &origin).await {
        Ok(id) => Ok(Redirect::to(&format!("/staff/contacts/{id}?m=contact-created")).into_response()),
        Err(portico_app::AppError::Invalid(errors)) => {
            // Keep what was typed, except the SSN digits.
            let c = NewContactForm { ssn_last4: String::new(), ..f };
            let t = NewContactPage { p: staff_page(&tenant, &s, "New contact", "contacts", &csrf), c, errors };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
