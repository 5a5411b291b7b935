//! Staff management (administrators) and every staff member's own account:
//! pages over `portico_app::staff_users`, which authorizes and audits.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::{Role, Staff};
use portico_app::staff_users::{self, InviteInput, OwnSession, StaffMember};
use portico_app::{AppError, FieldErrors};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, Page, when};
use crate::staff::staff_page;
use crate::state::AppState;

fn notice(code: Option<&str>) -> Option<Notice> {
    Some(match code? {
        "invited" => Notice::success("Invitation sent. The link in it works for 7 days."),
        "role" => Notice::success("Role changed. It applies from their next page."),
        "deactivated" => Notice::success("Deactivated. Their sessions have ended."),
        "activated" => Notice::success("Activated. They can sign in again."),
        "reset" => Notice::success("A link to choose a new password was e-mailed. It works for one hour."),
        other => return Notice::from_code(Some(other)),
    })
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

pub struct MemberRow {
    pub m: StaffMember,
    pub last_login: String,
}

#[derive(Template)]
#[template(path = "staff/team.html")]
struct TeamPage {
    p: Page,
    rows: Vec<MemberRow>,
    roles: Vec<(&'static str, &'static str)>,
    form: InviteForm,
    errors: FieldErrors,
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}

async fn render_team(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    form: InviteForm,
    errors: FieldErrors,
) -> WebResult<String> {
    let rows = staff_users::list(&state.app, s)
        .await?
        .into_iter()
        .map(|m| MemberRow { last_login: m.last_login_at.map(|t| when(Some(t))).unwrap_or_else(|| "Never".into()), m })
        .collect();
    let t = TeamPage {
        p: staff_page(tenant, s, "Staff", "team", csrf).with_notice(notice),
        rows,
        roles: roles(),
        form,
        errors,
    };
    Ok(t.render()?)
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let form = InviteForm { role: "servicer".into(), ..InviteForm::default() };
    let html = render_team(&state, &tenant, &s, &csrf, notice(q.m.as_deref()), form, FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
}

pub async fn invite(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<InviteForm>,
) -> WebResult {
    let input = InviteInput { name: f.name.clone(), email: f.email.clone(), role: f.role.clone() };
    match staff_users::invite(&state.app, &s, &input, &origin).await {
        Ok(_) => Ok(Redirect::to("/staff/team?m=invited").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render_team(&state, &tenant, &s, &csrf, None, f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<RoleForm>,
) -> WebResult {
    staff_users::change_role(&state.app, &s, id, &f.role, &origin).await?;
    Ok(Redirect::to("/staff/team?m=role").into_response())
}

/// The buttons of a staff member's row, one handler: (what it does, the
/// notice after it).
async fn member_action(state: &AppState, s: &Staff, origin: &portico_app::Origin, id: i64, action: &str) -> WebResult {
    match action {
        "deactivated" => staff_users::set_active(&state.app, s, id, false, origin).await?,
        "activated" => staff_users::set_active(&state.app, s, id, true, origin).await?,
        _ => staff_users::send_reset(&state.app, s, id, origin).await?,
    }
    Ok(Redirect::to(&format!("/staff/team?m={action}")).into_response())
}

pub async fn deactivate(
    State(st): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(o): OriginCtx,
    Id(id): Id,
) -> WebResult {
    member_action(&st, &s, &o, id, "deactivated").await
}

pub async fn activate(
    State(st): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(o): OriginCtx,
    Id(id): Id,
) -> WebResult {
    member_action(&st, &s, &o, id, "activated").await
}

pub async fn send_reset(
    State(st): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(o): OriginCtx,
    Id(id): Id,
) -> WebResult {
    member_action(&st, &s, &o, id, "reset").await
}

// ---------------------------------------------------------------- own account

pub struct SessionRow {
    pub s: OwnSession,
    pub device: String,
    pub started: String,
    pub seen: String,
}

#[derive(Template)]
#[template(path = "staff/me.html")]
struct MePage {
    p: Page,
    name: String,
    email: String,
    role: &'static str,
    new_email: String,
    sessions: Vec<SessionRow>,
    errors: FieldErrors,
}

async fn render_me(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    new_email: String,
    errors: FieldErrors,
) -> WebResult<String> {
    let sessions = staff_users::own_sessions(&state.app, s)
        .await?
        .into_iter()
        .map(|x| SessionRow {
            device: crate::portal::account::device(&x.user_agent),
            started: when(Some(x.created_at)),
            seen: when(Some(x.last_seen_at)),
            s: x,
        })
        .collect();
    let t = MePage {
        p: staff_page(tenant, s, "My account", "me", csrf).with_notice(notice),
        name: s.user.name.clone(),
        email: s.user.email.clone(),
        role: s.role.label(),
        new_email,
        sessions,
        errors,
    };
    Ok(t.render()?)
}

pub async fn me(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let html = render_me(&state, &tenant, &s, &csrf, notice(q.m.as_deref()), String::new(), FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
    end_others: Option<String>,
}

pub async fn change_password(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<PasswordForm>,
) -> WebResult {
    let end_others = f.end_others.is_some();
    match staff_users::change_own_password(
        &state.app,
        &s,
        &f.current_password,
        &f.new_password,
        &f.confirm,
        end_others,
        &origin,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/staff/me?m=password-changed").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render_me(&state, &tenant, &s, &csrf, None, String::new(), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    email_password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<EmailForm>,
) -> WebResult {
    match staff_users::change_own_email(&state.app, &s, &f.email_password, &f.email, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/me?m=email-changed").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render_me(&state, &tenant, &s, &csrf, None, f.email, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn end_other_sessions(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
) -> WebResult {
    staff_users::end_own_other_sessions(&state.app, &s, &origin).await?;
    Ok(Redirect::to("/staff/me?m=sessions-ended").into_response())
}

// ---------------------------------------------------------------- set-password link

#[derive(Template)]
#[template(path = "staff/set_password.html")]
struct SetPasswordPage {
    p: Page,
    token: String,
    name: String,
    email: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn bad_link() -> WebError {
    WebError::BadRequest(
        "This link is invalid, expired or was already used. Ask an administrator of the console to send a new one."
            .into(),
    )
}

async fn set_password_view(
    state: &AppState,
    tenant: &TenantCtx,
    csrf: &str,
    token: &str,
    errors: FieldErrors,
) -> Result<SetPasswordPage, WebError> {
    let user = match staff_users::link_user(&state.app, tenant.id(), token).await {
        Ok(u) => u,
        Err(AppError::BadToken) => return Err(bad_link()),
        Err(e) => return Err(e.into()),
    };
    Ok(SetPasswordPage {
        p: Page::new(tenant, "Choose your password", csrf),
        token: token.to_string(),
        name: user.name,
        email: user.email,
        errors,
    })
}

pub async fn set_password_page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<TokenQuery>,
) -> WebResult {
    let t = set_password_view(&state, &tenant, &csrf, &q.token, FieldErrors::new()).await?;
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub struct SetPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn set_password(
    State(state): State<AppState>,
    tenant: TenantCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<SetPasswordForm>,
) -> Result<Response, WebError> {
    match staff_users::set_password_with_token(&state.app, tenant.id(), &f.token, &f.new_password, &f.confirm, &origin)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/login?m=password-set").into_response()),
        Err(AppError::Invalid(errors)) => {
            let t = set_password_view(&state, &tenant, &csrf, &f.token, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
        }
        Err(AppError::BadToken) => Err(bad_link()),
        Err(AppError::Inactive) => {
            Err(WebError::Forbidden("Your console access is not active. Ask an administrator.".into()))
        }
        Err(e) => Err(e.into()),
    }
}
