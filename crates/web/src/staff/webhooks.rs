//! Settings → Webhooks (administrators): endpoints with the events they
//! get, the signing secret (shown when made, rotated or asked for), the
//! delivery log, "send test event" and "replay".

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Staff;
use portico_app::webhooks::{self, EVENT_TYPES, EndpointInput};
use portico_app::{AppError, FieldErrors};
use portico_domain::codes::DeliveryStatus;
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page, when};
use crate::staff::staff_page;
use crate::state::AppState;

pub struct EndpointRow {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub events: String,
    pub active: bool,
    pub disabled_reason: String,
}

fn events_label(types: &str) -> String {
    if types == "*" { "All events".into() } else { types.replace(',', ", ") }
}

#[derive(Template)]
#[template(path = "staff/settings_webhooks.html")]
struct ListPage {
    p: Page,
    tab: &'static str,
    rows: Vec<EndpointRow>,
    input: EndpointInput,
    /// (type, what it means, ticked)
    events: Vec<(&'static str, &'static str, bool)>,
    all_events: bool,
    errors: FieldErrors,
}

async fn render_list(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    input: EndpointInput,
    errors: FieldErrors,
) -> WebResult<String> {
    let rows = webhooks::endpoints(&state.app, s)
        .await?
        .into_iter()
        .filter(|e| e.disabled_reason.as_deref() != Some("deleted"))
        .map(|e| EndpointRow {
            id: e.id,
            url: e.url,
            description: e.description,
            events: events_label(&e.event_types),
            active: e.active,
            disabled_reason: e.disabled_reason.unwrap_or_default(),
        })
        .collect();
    let t = ListPage {
        p: staff_page(tenant, s, "Webhooks", "settings", csrf).with_notice(notice),
        tab: "webhooks",
        rows,
        events: EVENT_TYPES.iter().map(|(t, l)| (*t, *l, input.event_types.iter().any(|x| x == t))).collect(),
        all_events: input.event_types.iter().any(|x| x == "*"),
        input,
        errors,
    };
    Ok(t.render()?)
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let notice = match q.m.as_deref() {
        Some("deleted") => Some(Notice::success("The endpoint is deleted; nothing more is sent to it.")),
        _ => None,
    };
    let input = EndpointInput { event_types: vec!["*".into()], ..EndpointInput::default() };
    Ok(Html(render_list(&state, &tenant, &s, &csrf, notice, input, FieldErrors::new()).await?).into_response())
}

#[derive(Deserialize, Default)]
pub struct EndpointForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    event_types: Vec<String>,
}

pub async fn create(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<EndpointForm>,
) -> WebResult {
    let input = EndpointInput { url: f.url, description: f.description, event_types: f.event_types };
    match webhooks::create(&state.app, &s, &input, &origin).await {
        Ok((id, secret)) => {
            let html = render_detail(
                &state,
                &tenant,
                &s,
                &csrf,
                id,
                Some(secret),
                Some(Notice::success("The endpoint is added. Configure your receiver with this signing secret.")),
            )
            .await?;
            Ok(Html(html).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let html = render_list(
                &state,
                &tenant,
                &s,
                &csrf,
                Some(Notice::error("The endpoint was not added.")),
                input,
                errors,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct LogLine {
    pub id: i64,
    pub message_id: String,
    pub event_type: String,
    pub status: &'static str,
    pub badge: &'static str,
    pub attempts: i64,
    pub last: String,
    pub duration: String,
    pub when: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "staff/webhook.html")]
struct DetailPage {
    p: Page,
    tab: &'static str,
    id: i64,
    url: String,
    description: String,
    events: String,
    active: bool,
    disabled_reason: String,
    secret: Option<String>,
    rotating_until: String,
    log: Vec<LogLine>,
}

async fn render_detail(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    id: i64,
    secret: Option<String>,
    notice: Option<Notice>,
) -> WebResult<String> {
    let v = webhooks::endpoint(&state.app, s, id).await?;
    let e = v.endpoint;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let log = v
        .log
        .into_iter()
        .map(|d| {
            let (status, badge) = match d.status {
                DeliveryStatus::Delivered => (d.status.label(), "badge-success"),
                DeliveryStatus::Pending if d.attempts == 0 => ("Queued", "badge-info"),
                DeliveryStatus::Pending => ("Retrying", "badge-warning"),
                DeliveryStatus::Failed => (d.status.label(), "badge-danger"),
                DeliveryStatus::Stopped => (d.status.label(), "badge-muted"),
            };
            LogLine {
                id: d.id,
                message_id: d.message_id,
                event_type: d.event_type,
                status,
                badge,
                attempts: d.attempts,
                last: match (d.last_status, d.last_error) {
                    (Some(code), _) => format!("HTTP {code}"),
                    (None, Some(err)) => err,
                    (None, None) => String::new(),
                },
                duration: d.last_duration_ms.map(|ms| format!("{ms} ms")).unwrap_or_default(),
                when: when(Some(d.delivered_at.unwrap_or(d.created_at))),
                next: if d.status == DeliveryStatus::Pending && d.attempts > 0 {
                    when(Some(d.next_attempt_at))
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let t = DetailPage {
        p: staff_page(tenant, s, "Webhook endpoint", "settings", csrf).with_notice(notice),
        tab: "webhooks",
        id: e.id,
        url: e.url,
        description: e.description,
        events: events_label(&e.event_types),
        active: e.active,
        disabled_reason: e.disabled_reason.unwrap_or_default(),
        secret,
        rotating_until: e.previous_valid_until.filter(|u| *u > now).map(|u| when(Some(u))).unwrap_or_default(),
        log,
    };
    Ok(t.render()?)
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let notice = match q.m.as_deref() {
        Some("test") => Some(Notice::success("A test event is queued; it shows in the log below once sent.")),
        Some("replayed") => Some(Notice::success("The event is queued to be sent again, with the same webhook-id.")),
        Some("on") => Some(Notice::success("The endpoint is on; new events are sent to it.")),
        Some("off") => Some(Notice::success("The endpoint is off; nothing is sent until it is on again.")),
        _ => None,
    };
    Ok(Html(render_detail(&state, &tenant, &s, &csrf, id, None, notice).await?).into_response())
}

pub async fn reveal(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    let secret = webhooks::reveal_secret(&state.app, &s, id, &origin).await?;
    Ok(Html(render_detail(&state, &tenant, &s, &csrf, id, Some(secret), None).await?).into_response())
}

pub async fn rotate(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    let secret = webhooks::rotate(&state.app, &s, id, &origin).await?;
    let n = Notice::success(
        "A new secret signs from now on; the old one also signs for 24 hours, so switch the receiver within a day.",
    );
    Ok(Html(render_detail(&state, &tenant, &s, &csrf, id, Some(secret), Some(n)).await?).into_response())
}

pub async fn send_test(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    webhooks::send_test(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/settings/webhooks/{id}?m=test")).into_response())
}

pub async fn enable(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    webhooks::set_active(&state.app, &s, id, true, &origin).await?;
    Ok(Redirect::to(&format!("/staff/settings/webhooks/{id}?m=on")).into_response())
}

pub async fn disable(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    webhooks::set_active(&state.app, &s, id, false, &origin).await?;
    Ok(Redirect::to(&format!("/staff/settings/webhooks/{id}?m=off")).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    webhooks::delete(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to("/staff/settings/webhooks?m=deleted").into_response())
}

pub async fn replay(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    let endpoint = webhooks::replay(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/settings/webhooks/{endpoint}?m=replayed")).into_response())
}
