//! My Account → Notifications (seed 002): e-mail and/or SMS per topic, and
//! the mobile number that SMS goes to, verified with a 6-digit code.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Customer;
use portico_app::notify::{self, Channels, Topic};
use portico_app::{AppError, FieldErrors, sms};
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, OriginCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

pub struct TopicRow {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub email: bool,
    pub sms: bool,
}

#[derive(Template)]
#[template(path = "portal/notifications.html")]
struct NotificationsPage {
    p: Page,
    is_agent: bool,
    rows: Vec<TopicRow>,
    verified: String,
    pending: String,
    mobile: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

fn notice(code: Option<&str>) -> Option<Notice> {
    match code? {
        "notifications-saved" => Some(Notice::success("Your notification choices are saved.")),
        "code-sent" => Some(Notice::info("We sent a 6-digit code by text message. Enter it below within 10 minutes.")),
        "mobile-verified" => {
            Some(Notice::success("Your mobile number is verified. You can now choose text messages below."))
        }
        "mobile-removed" => Some(Notice::success("Your mobile number was removed; text messages are off.")),
        other => Notice::from_code(Some(other)),
    }
}

async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    notice_code: Option<&str>,
    override_rows: Option<Vec<TopicRow>>,
    mobile: String,
    errors: FieldErrors,
) -> WebResult<String> {
    let rows = match override_rows {
        Some(r) => r,
        None => notify::preferences(&state.app, c.company_id, c.contact.id)
            .await?
            .into_iter()
            .map(|(t, ch)| TopicRow { key: t.key(), label: t.label(), hint: t.hint(), email: ch.email, sms: ch.sms })
            .collect(),
    };
    let m = sms::mobile_state(&state.app, c).await?;
    let t = NotificationsPage {
        p: portal_page(tenant, c, "Notifications", "/account", csrf).with_notice(notice(notice_code)),
        is_agent: c.is_agent(),
        rows,
        verified: m.verified.unwrap_or_default(),
        pending: m.pending.unwrap_or_default(),
        mobile,
        errors,
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
    let html = render(&state, &tenant, &c, &csrf, q.m.as_deref(), None, String::new(), FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

/// Checkbox names are `email_<topic>` and `sms_<topic>`.
#[derive(Deserialize, Default)]
pub struct PrefsForm {
    #[serde(flatten)]
    fields: std::collections::HashMap<String, String>,
}

pub async fn save(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<PrefsForm>,
) -> WebResult {
    let on = |k: String| f.fields.get(&k).is_some_and(|v| v == "1");
    let choices: Vec<(Topic, Channels)> = Topic::ALL
        .into_iter()
        .map(|t| (t, Channels { email: on(format!("email_{}", t.key())), sms: on(format!("sms_{}", t.key())) }))
        .collect();
    match sms::save_preferences(&state.app, &c, &choices, &origin).await {
        Ok(()) => Ok(Redirect::to("/account/notifications?m=notifications-saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let rows = choices
                .iter()
                .map(|(t, ch)| TopicRow {
                    key: t.key(),
                    label: t.label(),
                    hint: t.hint(),
                    email: ch.email,
                    sms: ch.sms,
                })
                .collect();
            let html = render(&state, &tenant, &c, &csrf, None, Some(rows), String::new(), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct MobileForm {
    #[serde(default)]
    mobile: String,
}

pub async fn send_code(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<MobileForm>,
) -> WebResult {
    match sms::start_verification(&state.app, &c, &f.mobile, &origin).await {
        Ok(()) => Ok(Redirect::to("/account/notifications?m=code-sent").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render(&state, &tenant, &c, &csrf, None, None, f.mobile, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn verify(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<CodeForm>,
) -> WebResult {
    match sms::confirm(&state.app, &c, &f.code, &origin).await {
        Ok(()) => Ok(Redirect::to("/account/notifications?m=mobile-verified").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render(&state, &tenant, &c, &csrf, None, None, String::new(), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
) -> WebResult {
    sms::remove(&state.app, &c, &origin).await?;
    Ok(Redirect::to("/account/notifications?m=mobile-removed").into_response())
}
