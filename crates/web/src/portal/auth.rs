//! Portal sign-in, sign-out, forgotten and new passwords, onboarding, and
//! the Agent hand-over from the console.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use portico_app::{AppError, FieldErrors, auth, enroll, onboarding};
use serde::Deserialize;

use crate::cookies::{removal_cookie, session_cookie};
use crate::ctx::{CsrfToken, OriginCtx, PendingCustomer, TenantCtx, safe_next};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, Page};
use crate::portal::chrome::MsgQuery;
use crate::state::AppState;

fn unprocessable(html: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
}

#[derive(Template)]
#[template(path = "portal/login.html")]
struct LoginPage {
    p: Page,
    login: String,
    next: String,
    errors: FieldErrors,
    forgot_enabled: bool,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    m: Option<String>,
}

pub async fn login_page(tenant: TenantCtx, CsrfToken(csrf): CsrfToken, Query(q): Query<LoginQuery>) -> WebResult {
    let t = LoginPage {
        p: Page::new(&tenant, "Sign in", &csrf).with_notice(Notice::from_code(q.m.as_deref())),
        login: String::new(),
        next: q.next.and_then(|n| safe_next(&n)).unwrap_or_default(),
        errors: FieldErrors::new(),
        forgot_enabled: tenant.0.settings.forgot_password_enabled,
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(state): State<AppState>,
    tenant: TenantCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> WebResult {
    let message = if f.login.trim().is_empty() || f.password.is_empty() {
        Some("Enter your user name or e-mail and your password.".to_string())
    } else {
        match auth::sign_in_customer(&state.app, tenant.id(), &f.login, &f.password, &origin).await {
            Ok(signed) => {
                // A new session on sign-in (ASVS 7.2.4); any previous one on this browser ends.
                if let Some(old) = jar.get(&state.cookies.portal) {
                    auth::sign_out(&state.app, &portico_app::crypto::token_hash(old.value())).await?;
                }
                let jar = jar.add(session_cookie(&state, &state.cookies.portal, signed.token));
                let to = safe_next(&f.next).unwrap_or_else(|| "/".into());
                return Ok((jar, Redirect::to(&to)).into_response());
            }
            Err(AppError::BadCredentials) => Some("The user name or password is not correct.".into()),
            Err(AppError::Locked { minutes }) => Some(format!(
                "Too many failed attempts. For your security, sign-in is paused for {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            )),
            Err(AppError::Inactive) => {
                Some(format!("Your portal access is not active. Please contact {}.", tenant.0.company.name))
            }
            Err(e) => return Err(e.into()),
        }
    };
    let mut errors = FieldErrors::new();
    if let Some(m) = message {
        errors.add("form", m);
    }
    let t = LoginPage {
        p: Page::new(&tenant, "Sign in", &csrf),
        login: f.login,
        next: safe_next(&f.next).unwrap_or_default(),
        errors,
        forgot_enabled: tenant.0.settings.forgot_password_enabled,
    };
    Ok(unprocessable(t.render()?))
}

pub async fn logout(
    State(state): State<AppState>,
    OriginCtx(origin): OriginCtx,
    jar: CookieJar,
    PendingCustomer(c): PendingCustomer,
) -> WebResult {
    auth::sign_out_customer(&state.app, &c, &origin).await?;
    let jar = jar.add(removal_cookie(&state, &state.cookies.portal));
    let mut resp = (jar, Redirect::to("/login?m=signed-out")).into_response();
    resp.headers_mut().insert("clear-site-data", HeaderValue::from_static("\"cache\", \"storage\""));
    Ok(resp)
}

#[derive(Template)]
#[template(path = "portal/forgot.html")]
struct ForgotPage {
    p: Page,
    login: String,
    errors: FieldErrors,
}

pub async fn forgot_page(tenant: TenantCtx, CsrfToken(csrf): CsrfToken) -> WebResult {
    if !tenant.0.settings.forgot_password_enabled {
        return Err(WebError::NotFound);
    }
    let t = ForgotPage {
        p: Page::new(&tenant, "Reset your password", &csrf),
        login: String::new(),
        errors: FieldErrors::new(),
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    login: String,
}

pub async fn forgot(
    State(state): State<AppState>,
    tenant: TenantCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<ForgotForm>,
) -> WebResult {
    if !tenant.0.settings.forgot_password_enabled {
        return Err(WebError::NotFound);
    }
    let problem = if f.login.trim().is_empty() {
        Some("Enter your user name or e-mail address.".to_string())
    } else {
        match enroll::forgot_password(&state.app, tenant.id(), &f.login, &origin).await {
            Ok(()) => return Ok(Redirect::to("/login?m=reset-sent").into_response()),
            Err(AppError::Locked { minutes }) => Some(format!("Too many requests. Try again in {minutes} minutes.")),
            Err(e) => return Err(e.into()),
        }
    };
    let mut errors = FieldErrors::new();
    if let Some(m) = problem {
        errors.add("login", m);
    }
    let t = ForgotPage { p: Page::new(&tenant, "Reset your password", &csrf), login: f.login, errors };
    Ok(unprocessable(t.render()?))
}

#[derive(Template)]
#[template(path = "portal/set_password.html")]
struct SetPasswordPage {
    p: Page,
    token: String,
    first_name: String,
    username: String,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn bad_link(tenant: &TenantCtx) -> WebError {
    WebError::BadRequest(format!(
        "This link is invalid, expired or was already used. {}",
        if tenant.0.settings.forgot_password_enabled {
            "Ask for a new one with \"Forgot your password?\" on the sign-in page."
        } else {
            "Contact us for a new one."
        }
    ))
}

async fn set_password_view(
    state: &AppState,
    tenant: &TenantCtx,
    csrf: &str,
    token: &str,
    errors: FieldErrors,
) -> WebResult<SetPasswordPage> {
    let user = match enroll::link_user(&state.app, tenant.id(), token).await {
        Ok(u) => u,
        Err(AppError::BadToken) => return Err(bad_link(tenant)),
        Err(e) => return Err(e.into()),
    };
    let contact = enroll::link_contact(&state.app, tenant.id(), &user).await?;
    Ok(SetPasswordPage {
        p: Page::new(tenant, "Choose your password", csrf),
        token: token.to_string(),
        first_name: contact.first_name,
        username: user.username,
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

#[derive(Deserialize)]
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
) -> WebResult {
    match enroll::set_password_with_token(&state.app, tenant.id(), &f.token, &f.new_password, &f.confirm, &origin).await
    {
        Ok(_) => Ok(Redirect::to("/login?m=password-set").into_response()),
        Err(AppError::Invalid(errors)) => {
            let t = set_password_view(&state, &tenant, &csrf, &f.token, errors).await?;
            Ok(unprocessable(t.render()?))
        }
        Err(AppError::BadToken) => Err(bad_link(&tenant)),
        Err(AppError::Inactive) => Err(WebError::Forbidden(format!(
            "Your portal access is not active. Please contact {}.",
            tenant.0.company.name
        ))),
        Err(e) => Err(e.into()),
    }
}

pub async fn agent_enter(
    State(state): State<AppState>,
    tenant: TenantCtx,
    OriginCtx(origin): OriginCtx,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> WebResult {
    match auth::enter_agent_session(&state.app, tenant.id(), &q.token, &origin).await {
        Ok(token) => {
            if let Some(old) = jar.get(&state.cookies.portal) {
                auth::sign_out(&state.app, &portico_app::crypto::token_hash(old.value())).await?;
            }
            let jar = jar.add(session_cookie(&state, &state.cookies.portal, token));
            Ok((jar, Redirect::to("/")).into_response())
        }
        Err(AppError::BadToken) => Err(WebError::BadRequest(
            "This agent link is invalid, expired (links last two minutes) or was already used. Start again from the contact in the console.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn agent_exit(
    State(state): State<AppState>,
    OriginCtx(origin): OriginCtx,
    jar: CookieJar,
    PendingCustomer(c): PendingCustomer,
) -> WebResult {
    let contact_id = c.contact.id;
    let was_agent = c.is_agent();
    auth::sign_out_customer(&state.app, &c, &origin).await?;
    let jar = jar.add(removal_cookie(&state, &state.cookies.portal));
    let to =
        if was_agent { format!("/staff/contacts/{contact_id}?m=agent-ended") } else { "/login?m=signed-out".into() };
    Ok((jar, Redirect::to(&to)).into_response())
}

#[derive(Template)]
#[template(path = "portal/verify.html")]
struct VerifyPage {
    p: Page,
    dob: String,
    ssn4: String,
    errors: FieldErrors,
    locked_minutes: Option<i64>,
    help_phone: String,
}

pub async fn onboarding_page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    PendingCustomer(c): PendingCustomer,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let docs_on = tenant.sections().contains(portico_domain::section::Section::Documents);
    match onboarding::portal_step(&state.app, &c, docs_on).await? {
        onboarding::Step::Done => return Ok(Redirect::to("/").into_response()),
        onboarding::Step::VerifyIdentity => {}
        step => {
            let n = Notice::from_code(q.m.as_deref());
            let e = FieldErrors::new();
            return crate::portal::library::onboarding_step_page(&state, &tenant, &c, &csrf, step, n, None, e).await;
        }
    }
    if !onboarding::has_identity_data(&c) {
        onboarding::complete_without_verification(&state.app, &c, &origin).await?;
        return Ok(Redirect::to("/").into_response());
    }
    let t = VerifyPage {
        p: Page::new(&tenant, "Confirm it's you", &csrf).with_notice(Notice::from_code(q.m.as_deref())),
        dob: String::new(),
        ssn4: String::new(),
        errors: FieldErrors::new(),
        locked_minutes: onboarding::verify_locked_minutes(&c),
        help_phone: tenant.0.settings.help_phone.clone(),
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    dob: String,
    #[serde(default)]
    ssn4: String,
}

pub async fn onboarding(
    State(state): State<AppState>,
    tenant: TenantCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    PendingCustomer(c): PendingCustomer,
    Form(f): Form<VerifyForm>,
) -> WebResult {
    if onboarding::next_step(&c) == onboarding::Step::Done {
        return Ok(Redirect::to("/").into_response());
    }
    let (errors, locked) = match onboarding::verify_identity(&state.app, &c, &f.dob, &f.ssn4, &origin).await {
        Ok(()) => return Ok(Redirect::to("/?m=verified").into_response()),
        Err(AppError::Invalid(e)) => (e, None),
        Err(AppError::Locked { minutes }) => (FieldErrors::new(), Some(minutes)),
        Err(e) => return Err(e.into()),
    };
    let t = VerifyPage {
        p: Page::new(&tenant, "Confirm it's you", &csrf),
        dob: f.dob,
        ssn4: String::new(),
        errors,
        locked_minutes: locked,
        help_phone: tenant.0.settings.help_phone.clone(),
    };
    Ok(unprocessable(t.render()?))
}
