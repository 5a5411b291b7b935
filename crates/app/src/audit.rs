//! Audit helpers: every staff and agent action, every sign-in success and
//! failure, every refused access (ASVS 16.2.1, 16.3.1–16.3.3).

pub use portico_domain::codes::{Action, ActorKind};
use portico_store::audit::{self, Entry};
use sqlx::{Any, Executor};

use crate::actor::{Customer, Staff};
use crate::{AppError, Origin};

/// Neutralise characters that could forge log lines or break the console's
/// display (ASVS 16.4.1): control characters become spaces, length bounded.
pub fn clean(detail: &str) -> String {
    detail.chars().map(|c| if c.is_control() { ' ' } else { c }).take(500).collect()
}

/// An Agent opened a portal page (every one is in the log).
pub async fn agent_view(app: &crate::App, c: &Customer, origin: &Origin, path: &str) -> Result<(), AppError> {
    portal(app.db.w(), c, origin, Action::AgentView, path).await
}

pub async fn staff<'c>(
    ex: impl Executor<'c, Database = Any>,
    s: &Staff,
    origin: &Origin,
    action: Action,
    contact_id: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    let detail = clean(detail);
    audit::record(
        ex,
        &Entry {
            company_id: s.company_id,
            actor_kind: ActorKind::Staff,
            staff_user_id: Some(s.user.id),
            portal_user_id: None,
            contact_id,
            action,
            detail: &detail,
            ip: &origin.ip,
        },
        crate::now(),
    )
    .await?;
    Ok(())
}

/// An action in the portal: by the customer, or by an Agent on their behalf.
pub async fn portal<'c>(
    ex: impl Executor<'c, Database = Any>,
    c: &Customer,
    origin: &Origin,
    action: Action,
    detail: &str,
) -> Result<(), AppError> {
    let detail = clean(detail);
    audit::record(
        ex,
        &Entry {
            company_id: c.company_id,
            actor_kind: if c.agent.is_some() { ActorKind::Agent } else { ActorKind::Customer },
            staff_user_id: c.agent.as_ref().map(|a| a.id),
            portal_user_id: Some(c.user.id),
            contact_id: Some(c.contact.id),
            action,
            detail: &detail,
            ip: &origin.ip,
        },
        crate::now(),
    )
    .await?;
    Ok(())
}

/// An event without a signed-in actor (failed sign-in, reset request).
pub async fn anonymous<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    origin: &Origin,
    action: Action,
    portal_user_id: Option<i64>,
    contact_id: Option<i64>,
    staff_user_id: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    let detail = clean(detail);
    audit::record(
        ex,
        &Entry {
            company_id,
            actor_kind: if staff_user_id.is_some() { ActorKind::Staff } else { ActorKind::Customer },
            staff_user_id,
            portal_user_id,
            contact_id,
            action,
            detail: &detail,
            ip: &origin.ip,
        },
        crate::now(),
    )
    .await?;
    Ok(())
}

/// An action of Portico itself (payment jobs, returns from a gateway).
pub async fn system<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    action: Action,
    contact_id: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    let detail = clean(detail);
    audit::record(
        ex,
        &Entry {
            company_id,
            actor_kind: ActorKind::System,
            staff_user_id: None,
            portal_user_id: None,
            contact_id,
            action,
            detail: &detail,
            ip: "",
        },
        crate::now(),
    )
    .await?;
    Ok(())
}
