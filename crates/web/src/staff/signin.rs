use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum_extra::extract::CookieJar;
use portico_app::{AppError, FieldErrors, auth};
use serde::Deserialize;

use crate::cookies::{removal_cookie, session_cookie};
use crate::ctx::{CsrfToken, OriginCtx, StaffCtx, TenantCtx, safe_next};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    p: Page,
    email: String,
    next: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    m: Option<String>,
}

pub async fn login_page(tenant: TenantCtx, CsrfToken(csrf): CsrfToken, Query(q): Query<LoginQuery>) -> WebResult {
    let t = LoginPage {
        p: Page::new(&tenant, "Staff sign in", &csrf).with_notice(Notice::from_code(q.m.as_deref())),
        email: String::new(),
        next: q.next.and_then(|n| safe_next(&n)).filter(|n| n.starts_with("/staff")).unwrap_or_default(),
        errors: FieldErrors::new(),
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
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
    let message = if f.email.trim().is_empty() || f.password.is_empty() {
        "Enter your e-mail and password.".to_string()
    } else {
        match auth::sign_in_staff(&state.app, tenant.id(), &f.email, &f.password, &origin).await {
            Ok(signed) => {
                if let Some(old) = jar.get(&state.cookies.staff) {
                    auth::sign_out(&state.app, &portico_app::crypto::token_hash(old.value())).await?;
                }
                let jar = jar.add(session_cookie(&state, &state.cookies.staff, signed.token));
                let to =
                    safe_next(&f.next).filter(|n| n.starts_with("/staff")).unwrap_or_else(|| "/staff/contacts".into());
                return Ok((jar, Redirect::to(&to)).into_response());
            }
            Err(AppError::BadCredentials) => "The e-mail or password is not correct.".into(),
            Err(AppError::Locked { minutes }) => {
                format!(
                    "Too many failed attempts. Sign-in is paused for {minutes} minute{}.",
                    if minutes == 1 { "" } else { "s" }
                )
            }
            Err(AppError::Inactive) => "Your staff account is inactive.".into(),
            Err(e) => return Err(e.into()),
        }
    };
    let mut errors = FieldErrors::new();
    errors.add("form", message);
    let t = LoginPage {
        p: Page::new(&tenant, "Staff sign in", &csrf),
        email: f.email,
        next: safe_next(&f.next).unwrap_or_default(),
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    OriginCtx(origin): OriginCtx,
    jar: CookieJar,
    StaffCtx(s): StaffCtx,
) -> WebResult {
    auth::sign_out_staff(&state.app, &s, &origin).await?;
    let jar = jar.add(removal_cookie(&state, &state.cookies.staff));
    Ok((jar, Redirect::to("/staff/login?m=signed-out")).into_response())
}
