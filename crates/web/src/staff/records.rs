//! Sent mail and the audit log.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::records::{self, MailItem};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Page, when};
use crate::staff::contacts::who;
use crate::staff::staff_page;
use crate::state::AppState;

pub struct MailRow {
    pub id: i64,
    pub created: String,
    pub to: String,
    pub subject: String,
    pub status: &'static str,
    pub badge: &'static str,
}

fn status(s: &str) -> (&'static str, &'static str) {
    match s {
        "sent" => ("Sent", "badge-success"),
        "captured" => ("Not delivered (no SMTP)", "badge-info"),
        "failed" => ("Failed", "badge-danger"),
        _ => ("Queued", "badge-warning"),
    }
}

fn at(t: i64) -> String {
    when(Some(t))
}

#[derive(Template)]
#[template(path = "staff/mail_list.html")]
struct MailList {
    p: Page,
    smtp: bool,
    rows: Vec<MailRow>,
}

pub async fn mail_list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    let rows = records::sent_mail(&state.app, &s, 200, at)
        .await?
        .into_iter()
        .map(|e| {
            let (status, badge) = status(&e.status);
            MailRow { id: e.id, created: at(e.created_at), to: e.to_addr, subject: e.subject, status, badge }
        })
        .collect();
    let t = MailList {
        p: staff_page(&tenant, &s, "Sent mail", "mail", &csrf),
        smtp: state.app.config.smtp_configured,
        rows,
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "staff/mail_view.html")]
struct MailView {
    p: Page,
    e: MailItem,
    created: String,
    status: &'static str,
    /// The text split into plain parts and links (`true`), so links are clickable.
    parts: Vec<(String, bool)>,
    can_resend: bool,
    resent: bool,
}

fn split_links(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let start = [rest.find("http://"), rest.find("https://")].into_iter().flatten().min();
        let Some(p) = start else {
            out.push((rest.to_string(), false));
            break;
        };
        out.push((rest[..p].to_string(), false));
        let end = rest[p..].find(char::is_whitespace).map_or(rest.len(), |e| p + e);
        out.push((rest[p..end].to_string(), true));
        rest = &rest[end..];
    }
    out.retain(|(s, _)| !s.is_empty());
    out
}

#[derive(Deserialize, Default)]
pub struct MailQuery {
    resent: Option<String>,
}

pub async fn mail_view(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MailQuery>,
) -> WebResult {
    let e = records::mail(&state.app, &s, id, at).await?;
    let t = MailView {
        p: staff_page(&tenant, &s, &e.subject, "mail", &csrf),
        created: at(e.created_at),
        status: status(&e.status).0,
        parts: split_links(&e.text),
        can_resend: e.resendable && s.role.allows(portico_app::authz::Permission::ManagePortalAccess),
        resent: q.resent.is_some(),
        e,
    };
    Ok(Html(t.render()?).into_response())
}

/// "Resend": a new e-mail with a new link; the page of the new one opens.
pub async fn mail_resend(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    let new_id = records::resend_mail(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/mail/{new_id}?resent=1")).into_response())
}

pub struct AuditRow {
    pub when: String,
    pub who: String,
    pub contact_id: Option<i64>,
    pub contact: String,
    pub action: &'static str,
    pub detail: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    p: Page,
    rows: Vec<AuditRow>,
    before: Option<i64>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<String>,
}

pub async fn audit(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<AuditQuery>,
) -> WebResult {
    let before = q.before.as_deref().and_then(|b| b.parse::<i64>().ok());
    let list = records::audit_log(&state.app, &s, before, 100).await?;
    let next = (list.len() == 100).then(|| list.last().map(|r| r.id)).flatten();
    let rows = list
        .into_iter()
        .map(|a| AuditRow {
            when: when(Some(a.at)),
            who: who(a.actor_kind, a.staff_name.as_deref(), a.contact_name.as_deref()),
            contact_id: a.contact_id,
            contact: a.contact_name.unwrap_or_default(),
            action: a.action.label(),
            detail: a.detail,
            ip: a.ip,
        })
        .collect();
    let t = AuditPage { p: staff_page(&tenant, &s, "Audit log", "audit", &csrf), rows, before: next };
    Ok(Html(t.render()?).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_are_split_out() {
        let parts = super::split_links("Go here:\nhttp://a/b?t=1 now");
        assert_eq!(
            parts,
            vec![("Go here:\n".to_string(), false), ("http://a/b?t=1".to_string(), true), (" now".to_string(), false)]
        );
    }
}
