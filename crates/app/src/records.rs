//! The console's records: sent mail, text messages and the audit log. Each
//! read checks its permission here; what is handed out never holds a usable
//! secret (set-password links and verification codes stay masked).

use portico_store::audit as audit_store;
use portico_store::outbox;
use portico_store::sms;

use crate::auth::Staff;
use crate::authz::Permission;
use crate::enroll;
use crate::mail::{SECRET_PLACEHOLDER, console_text};
use crate::{App, AppError, Origin};

/// Kinds of e-mail that carry a set-password link and can be sent again.
const LINK_KINDS: [&str; 2] = [crate::auth::purpose::WELCOME, crate::auth::purpose::RESET];

/// An e-mail in the company's outbox, as staff may see it.
#[derive(Debug, Clone)]
pub struct MailItem {
    pub id: i64,
    pub kind: String,
    pub to_addr: String,
    pub from_addr: String,
    pub from_name: String,
    pub subject: String,
    /// `pending`, `sent`, `failed` or `captured`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// The text with any single-use link replaced by what it was and until
    /// when it works.
    pub text: String,
    /// It held a single-use link (shown masked).
    pub had_link: bool,
    /// It can be sent again with a new link ("Resend").
    pub resendable: bool,
}

fn mail_item(e: outbox::Email, when: fn(i64) -> String) -> MailItem {
    let had_link = e.body_text.contains(SECRET_PLACEHOLDER);
    let resendable = LINK_KINDS.contains(&e.kind.as_str()) && e.portal_user_id.is_some();
    let text = console_text(&e, when);
    MailItem {
        id: e.id,
        kind: e.kind,
        to_addr: e.to_addr,
        from_addr: e.from_addr,
        from_name: e.from_name,
        subject: e.subject,
        status: e.status,
        attempts: e.attempts,
        last_error: e.last_error,
        created_at: e.created_at,
        sent_at: e.sent_at,
        text,
        had_link,
        resendable,
    }
}

/// The latest e-mails of the company (Sent mail).
pub async fn sent_mail(app: &App, s: &Staff, limit: i64, when: fn(i64) -> String) -> Result<Vec<MailItem>, AppError> {
    s.require(Permission::ViewOutbox)?;
    let list = outbox::list_for_company(app.db.r(), s.company_id, limit).await?;
    Ok(list.into_iter().map(|e| mail_item(e, when)).collect())
}

/// One e-mail of the company; another company's id is `NotFound`.
pub async fn mail(app: &App, s: &Staff, id: i64, when: fn(i64) -> String) -> Result<MailItem, AppError> {
    s.require(Permission::ViewOutbox)?;
    let e = outbox::get_for_company(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    Ok(mail_item(e, when))
}

/// "Resend": a welcome or reset e-mail goes out again with a new link (the
/// old one stops working). Returns the new e-mail's id.
pub async fn resend_mail(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ManagePortalAccess)?;
    let e = outbox::get_for_company(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let (Some(user_id), true) = (e.portal_user_id, LINK_KINDS.contains(&e.kind.as_str())) else {
        return Err(AppError::Conflict("Only welcome and password reset e-mails can be sent again.".into()));
    };
    enroll::resend_link(app, s, user_id, &e.kind, origin).await
}

/// A text message in the company's SMS outbox, as staff may see it.
#[derive(Debug, Clone)]
pub struct SmsItem {
    pub id: i64,
    pub kind: String,
    pub to_number: String,
    /// Verification codes masked.
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub provider_id: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

fn sms_item(m: sms::Sms) -> SmsItem {
    // Codes are kept sealed (the body holds a placeholder); bodies stored
    // before that had the digits, which are masked as well.
    let body = if m.kind == "verify" {
        m.body.replace(SECRET_PLACEHOLDER, "••••••").chars().map(|c| if c.is_ascii_digit() { '•' } else { c }).collect()
    } else {
        m.body
    };
    SmsItem {
        id: m.id,
        kind: m.kind,
        to_number: m.to_number,
        body,
        status: m.status,
        attempts: m.attempts,
        last_error: m.last_error,
        provider_id: m.provider_id,
        created_at: m.created_at,
        sent_at: m.sent_at,
    }
}

pub async fn text_messages(app: &App, s: &Staff, limit: i64) -> Result<Vec<SmsItem>, AppError> {
    s.require(Permission::ViewOutbox)?;
    Ok(sms::list_for_company(app.db.r(), s.company_id, limit).await?.into_iter().map(sms_item).collect())
}

pub async fn text_message(app: &App, s: &Staff, id: i64) -> Result<SmsItem, AppError> {
    s.require(Permission::ViewOutbox)?;
    Ok(sms_item(sms::get_for_company(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?))
}

/// An audit entry as the console lists it.
pub use audit_store::Row as AuditEntry;

/// The company's audit log, newest first, `limit` entries before `before`.
pub async fn audit_log(app: &App, s: &Staff, before: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    s.require(Permission::ViewAudit)?;
    Ok(audit_store::list(app.db.r(), s.company_id, None, before, limit).await?)
}
