//! The SMS outbox in the console, like "Sent mail": what was sent, is
//! queued, or (with the default transport, no provider) only recorded.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use portico_app::records;

use crate::ctx::{CsrfToken, Id, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Page, when};
use crate::staff::staff_page;
use crate::state::AppState;

pub struct Row {
    pub id: i64,
    pub created: String,
    pub to: String,
    pub kind: String,
    pub body: String,
    pub status: &'static str,
    pub badge: &'static str,
}

fn status(s: &str) -> (&'static str, &'static str) {
    match s {
        "sent" => ("Sent", "badge-success"),
        "recorded" => ("Recorded (no SMS provider)", "badge-info"),
        "failed" => ("Failed", "badge-danger"),
        _ => ("Queued", "badge-warning"),
    }
}

fn kind_label(kind: &str) -> String {
    match kind {
        "verify" => "Number verification".into(),
        k => match k.strip_prefix("notify_") {
            Some(topic) => format!("Notification: {topic}"),
            None => k.to_string(),
        },
    }
}

#[derive(Template)]
#[template(path = "staff/sms_list.html")]
struct ListPage {
    p: Page,
    rows: Vec<Row>,
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    // Verification codes come masked: staff don't need them, and seeing
    // them would let staff verify a number for the customer.
    let rows = records::text_messages(&state.app, &s, 200)
        .await?
        .into_iter()
        .map(|m| {
            let (status, badge) = status(&m.status);
            Row {
                id: m.id,
                created: when(Some(m.created_at)),
                to: m.to_number,
                body: m.body,
                kind: kind_label(&m.kind),
                status,
                badge,
            }
        })
        .collect();
    let t = ListPage { p: staff_page(&tenant, &s, "Text messages", "sms", &csrf), rows };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "staff/sms_view.html")]
struct ViewPage {
    p: Page,
    r: Row,
    attempts: i64,
    sent: String,
    error: String,
    provider_id: String,
}

pub async fn view(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    let m = records::text_message(&state.app, &s, id).await?;
    let (st, badge) = status(&m.status);
    let t = ViewPage {
        p: staff_page(&tenant, &s, "Text message", "sms", &csrf),
        attempts: m.attempts,
        sent: when(m.sent_at),
        error: m.last_error.clone().unwrap_or_default(),
        provider_id: m.provider_id.clone().unwrap_or_default(),
        r: Row {
            id: m.id,
            created: when(Some(m.created_at)),
            to: m.to_number,
            body: m.body,
            kind: kind_label(&m.kind),
            status: st,
            badge,
        },
    };
    Ok(Html(t.render()?).into_response())
}
