//! Messages (seeds 000, 001, 002): conversations between a customer and the
//! company. Customers write to the company or to a member of the team the
//! company connected to them (never to staff in a group hidden from
//! customers); staff answer from the console's inbox. New messages notify
//! the other side by e-mail with a link, never the message itself.
//! "Send a request" (seed 001) e-mails the request to the company's from
//! address and, when the company chooses, keeps it as a conversation.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_domain::codes::{Author, ConversationKind};
use portico_domain::validate;
use portico_store::documents;
use portico_store::messages::{self as st, Attachment, Conversation, Group, InboxFilter, Member, Message};
use portico_store::people;

use crate::auth::{Customer, Staff};
use crate::mail::{self, CompanySender, Outgoing};
use crate::notify::{self, Topic};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// At most this many documents attached to one message.
pub const MAX_ATTACHMENTS: usize = 10;

/// What a customer types in "Send a message".
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// A team member's id, or empty for the company in general.
    pub to: String,
    pub subject: String,
    pub body: String,
    /// Ids of the customer's own documents.
    pub attachments: Vec<String>,
}

/// A conversation with its messages and their attachments.
#[derive(Debug, Clone)]
pub struct Thread {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
    pub attachments: Vec<Attachment>,
}

fn check_subject(e: &mut FieldErrors, raw: &str) -> String {
    match validate::line(raw, 200) {
        Ok(s) if s.is_empty() => {
            e.add("subject", "Enter a subject.");
            s
        }
        Ok(s) => s,
        Err(m) => {
            e.add("subject", m);
            String::new()
        }
    }
}

fn check_body(e: &mut FieldErrors, raw: &str) -> String {
    match validate::text(raw, 10_000) {
        Ok(s) if s.is_empty() => {
            e.add("body", "Write your message.");
            s
        }
        Ok(s) => s,
        Err(m) => {
            e.add("body", m);
            String::new()
        }
    }
}

// ---------------------------------------------------------------- customer

/// Who the customer may write to: the visible members of their team.
pub async fn recipients(app: &App, c: &Customer) -> Result<Vec<Member>, AppError> {
    Ok(st::visible_team(app.db.r(), c.company_id, c.contact.id).await?)
}

pub async fn list(app: &App, c: &Customer) -> Result<Vec<Conversation>, AppError> {
    Ok(st::for_contact(app.db.r(), c.company_id, c.contact.id, 200).await?)
}

/// Unread messages from the company (header envelope).
pub async fn unread(app: &App, c: &Customer) -> Result<i64, AppError> {
    Ok(st::unread_for_contact(app.db.r(), c.company_id, c.contact.id).await?)
}

/// The customer's documents that may be attached (those the portal shows them).
pub async fn attachable(app: &App, c: &Customer) -> Result<Vec<documents::Document>, AppError> {
    let settings = documents::settings(app.db.r(), c.company_id).await?;
    Ok(documents::for_portal(
        app.db.r(),
        c.company_id,
        c.contact.id,
        settings.esigned_only,
        &documents::PortalFilter::default(),
        200,
    )
    .await?)
}

/// Check attachment ids: each must be a document the portal shows this customer.
async fn check_attachments(app: &App, c: &Customer, e: &mut FieldErrors, raw: &[String]) -> Result<Vec<i64>, AppError> {
    let mut ids: Vec<i64> = Vec::new();
    if raw.is_empty() {
        return Ok(ids);
    }
    if raw.len() > MAX_ATTACHMENTS {
        e.add("attachments", format!("Attach at most {MAX_ATTACHMENTS} documents to one message."));
        return Ok(ids);
    }
    let settings = documents::settings(app.db.r(), c.company_id).await?;
    for r in raw {
        let own = match r.trim().parse::<i64>() {
            Ok(id) => documents::portal_one(app.db.r(), c.company_id, c.contact.id, settings.esigned_only, id).await?,
            Err(_) => None,
        };
        match own {
            Some(d) if !ids.contains(&d.id) => ids.push(d.id),
            Some(_) => {}
            None => {
                e.add("attachments", "You can only attach your own documents from your document library.");
                return Ok(Vec::new());
            }
        }
    }
    Ok(ids)
}

fn refuse_agent(c: &Customer) -> Result<(), AppError> {
    if c.is_agent() {
        Err(AppError::Forbidden("Agents can read messages but not send them for the customer.".into()))
    } else {
        Ok(())
    }
}

async fn audit_agent_refusal(app: &App, c: &Customer, origin: &Origin, what: &str) -> Result<(), AppError> {
    audit::portal(app.db.w(), c, origin, Action::AccessRefused, what).await
}

/// Where staff are told about a customer's message: the assigned team
/// member (when active), else the company's from address.
async fn staff_recipient(
    tx: &mut portico_store::Tx,
    sender: &CompanySender,
    company_id: i64,
    staff_id: Option<i64>,
) -> Result<String, AppError> {
    if let Some(id) = staff_id
        && let Some(s) = people::staff_user(&mut **tx, company_id, id).await?
        && s.active
    {
        return Ok(s.email);
    }
    Ok(sender.from_addr.clone())
}

async fn notify_staff(
    app: &App,
    tx: &mut portico_store::Tx,
    c: &Customer,
    conversation_id: i64,
    staff_id: Option<i64>,
) -> Result<(), AppError> {
    let sender = CompanySender::load(app, c.company_id).await?;
    let to = staff_recipient(tx, &sender, c.company_id, staff_id).await?;
    let link = notify::console_link(app, c.company_id, &format!("/staff/inbox/{conversation_id}")).await?;
    let name = format!("{} {}", c.contact.first_name, c.contact.last_name);
    let text = format!(
        "{name} (customer {}) sent a message in the customer portal.\n\nRead and answer it in the staff console:\n{link}",
        c.contact.customer_number
    );
    mail::enqueue(
        &mut **tx,
        &Outgoing {
            company_id: c.company_id,
            kind: "message_staff",
            to: &to,
            from: sender.from(),
            subject: &format!("New message from {name}"),
            text: &text,
        },
    )
    .await?;
    Ok(())
}

/// Start a conversation. Returns its id.
pub async fn send(app: &App, c: &Customer, d: &Draft, origin: &Origin) -> Result<i64, AppError> {
    if let Err(e) = refuse_agent(c) {
        audit_agent_refusal(app, c, origin, "agent tried to send a message").await?;
        return Err(e);
    }
    let mut e = FieldErrors::new();
    let to = if d.to.trim().is_empty() || d.to == "company" {
        None
    } else {
        let team = recipients(app, c).await?;
        match d.to.trim().parse::<i64>().ok().and_then(|id| team.iter().find(|m| m.staff_user_id == id)) {
            Some(m) => Some(m.staff_user_id),
            None => {
                e.add("to", "Choose someone from your team, or the company.");
                None
            }
        }
    };
    let subject = check_subject(&mut e, &d.subject);
    let body = check_body(&mut e, &d.body);
    let attachments = check_attachments(app, c, &mut e, &d.attachments).await?;
    e.into_result()?;
    let t = now();
    let mut tx = app.db.begin().await?;
    let id = st::insert_conversation(&mut *tx, c.company_id, c.contact.id, &subject, ConversationKind::Message, to, t)
        .await?;
    let mid = st::insert_message(&mut *tx, c.company_id, id, Author::Customer, None, &body, t).await?;
    for doc in &attachments {
        st::attach(&mut *tx, c.company_id, mid, *doc).await?;
    }
    audit::portal(
        &mut *tx,
        c,
        origin,
        Action::MessageSend,
        &format!("conversation #{id}, {} attachment(s)", attachments.len()),
    )
    .await?;
    notify_staff(app, &mut tx, c, id, to).await?;
    let data = serde_json::json!({ "conversation_id": id, "message_id": mid, "contact_id": c.contact.id, "new_conversation": true });
    crate::webhooks::emit(&mut tx, c.company_id, "message.created", data).await?;
    tx.commit().await?;
    Ok(id)
}

/// Open a conversation of this customer; the company's messages become read
/// (not when an Agent looks).
pub async fn view(app: &App, c: &Customer, id: i64) -> Result<Thread, AppError> {
    let conversation =
        st::for_contact_one(app.db.r(), c.company_id, c.contact.id, id).await?.ok_or(AppError::NotFound)?;
    if !c.is_agent() && conversation.unread > 0 {
        st::mark_read(app.db.w(), c.company_id, id, Author::Staff, now()).await?;
    }
    let messages = st::messages(app.db.r(), c.company_id, id).await?;
    let attachments = st::attachments(app.db.r(), c.company_id, id).await?;
    Ok(Thread { conversation, messages, attachments })
}

/// The customer answers in a conversation (reopening it when closed).
pub async fn reply(
    app: &App,
    c: &Customer,
    id: i64,
    body: &str,
    attachments: &[String],
    origin: &Origin,
) -> Result<(), AppError> {
    let conversation =
        st::for_contact_one(app.db.r(), c.company_id, c.contact.id, id).await?.ok_or(AppError::NotFound)?;
    if let Err(e) = refuse_agent(c) {
        audit_agent_refusal(app, c, origin, &format!("agent tried to reply in conversation #{id}")).await?;
        return Err(e);
    }
    let mut e = FieldErrors::new();
    let body = check_body(&mut e, body);
    let docs = check_attachments(app, c, &mut e, attachments).await?;
    e.into_result()?;
    let t = now();
    let mut tx = app.db.begin().await?;
    let mid = st::insert_message(&mut *tx, c.company_id, id, Author::Customer, None, &body, t).await?;
    for doc in &docs {
        st::attach(&mut *tx, c.company_id, mid, *doc).await?;
    }
    st::touch(&mut *tx, c.company_id, id, t).await?;
    audit::portal(&mut *tx, c, origin, Action::MessageReply, &format!("conversation #{id}")).await?;
    notify_staff(app, &mut tx, c, id, conversation.staff_user_id).await?;
    let data = serde_json::json!({ "conversation_id": id, "message_id": mid, "contact_id": c.contact.id, "new_conversation": false });
    crate::webhooks::emit(&mut tx, c.company_id, "message.created", data).await?;
    tx.commit().await?;
    Ok(())
}

/// "Send a request" (seed 001): e-mailed to the company's from address;
/// kept as a conversation too when the company chose so. Returns the
/// conversation id when kept.
pub async fn send_request(
    app: &App,
    c: &Customer,
    subject: &str,
    body: &str,
    origin: &Origin,
) -> Result<Option<i64>, AppError> {
    if let Err(e) = refuse_agent(c) {
        audit_agent_refusal(app, c, origin, "agent tried to send a request").await?;
        return Err(e);
    }
    let mut e = FieldErrors::new();
    let subject = check_subject(&mut e, subject);
    let body = check_body(&mut e, body);
    e.into_result()?;
    let keep = st::requests_as_conversations(app.db.r(), c.company_id).await?;
    let sender = CompanySender::load(app, c.company_id).await?;
    let name = format!("{} {}", c.contact.first_name, c.contact.last_name);
    let t = now();
    let mut tx = app.db.begin().await?;
    let kept = if keep {
        let id =
            st::insert_conversation(&mut *tx, c.company_id, c.contact.id, &subject, ConversationKind::Request, None, t)
                .await?;
        st::insert_message(&mut *tx, c.company_id, id, Author::Customer, None, &body, t).await?;
        Some(id)
    } else {
        None
    };
    let reply_to = if c.user.email.is_empty() { String::new() } else { format!("\nE-mail: {}", c.user.email) };
    let mut text = format!(
        "{name} (customer {}) sent this request from the customer portal.{reply_to}\n\nSubject: {subject}\n\n{body}",
        c.contact.customer_number
    );
    if let Some(id) = kept {
        let link = notify::console_link(app, c.company_id, &format!("/staff/inbox/{id}")).await?;
        text.push_str(&format!("\n\nIt is also in the staff console's inbox:\n{link}"));
    }
    mail::enqueue(
        &mut *tx,
        &Outgoing {
            company_id: c.company_id,
            kind: "customer_request",
            to: &sender.from_addr,
            from: sender.from(),
            subject: &format!("Request from {name}: {subject}"),
            text: &text,
        },
    )
    .await?;
    audit::portal(&mut *tx, c, origin, Action::RequestSend, &format!("\"{subject}\"")).await?;
    tx.commit().await?;
    Ok(kept)
}

// ---------------------------------------------------------------- staff

pub async fn inbox(app: &App, s: &Staff, f: InboxFilter) -> Result<Vec<Conversation>, AppError> {
    Ok(st::inbox(app.db.r(), s.company_id, f, 200).await?)
}

pub async fn for_contact(app: &App, s: &Staff, contact_id: i64) -> Result<Vec<Conversation>, AppError> {
    Ok(st::for_contact_staff(app.db.r(), s.company_id, contact_id, 50).await?)
}

/// Open a conversation in the console; the customer's messages become read.
pub async fn staff_view(app: &App, s: &Staff, id: i64) -> Result<Thread, AppError> {
    let conversation = st::company_one(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    if conversation.unread > 0 {
        st::mark_read(app.db.w(), s.company_id, id, Author::Customer, now()).await?;
    }
    let messages = st::messages(app.db.r(), s.company_id, id).await?;
    let attachments = st::attachments(app.db.r(), s.company_id, id).await?;
    Ok(Thread { conversation, messages, attachments })
}

async fn notify_customer(
    app: &App,
    tx: &mut portico_store::Tx,
    company_id: i64,
    contact_id: i64,
    conversation_id: i64,
) -> Result<(), AppError> {
    let contact = people::contact(&mut **tx, company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let sender = CompanySender::load(app, company_id).await?;
    let link = notify::portal_link(app, company_id, &format!("/messages/{conversation_id}")).await?;
    let text = format!(
        "Hello {},\n\nYou have a new message from {} in your customer portal. For your privacy, the message \
         itself is only in the portal.\n\nSign in to read it:\n{link}",
        contact.first_name, sender.company.name
    );
    notify::notify(
        tx,
        app,
        company_id,
        contact_id,
        Topic::Messages,
        &format!("New message from {}", sender.company.name),
        &text,
    )
    .await
}

/// Staff answer a conversation. An unassigned conversation is assigned to
/// the staff member who answers.
pub async fn staff_reply(app: &App, s: &Staff, id: i64, body: &str, origin: &Origin) -> Result<(), AppError> {
    let conversation = st::company_one(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let mut e = FieldErrors::new();
    let body = check_body(&mut e, body);
    e.into_result()?;
    let t = now();
    let mut tx = app.db.begin().await?;
    st::insert_message(&mut *tx, s.company_id, id, Author::Staff, Some(s.user.id), &body, t).await?;
    st::touch(&mut *tx, s.company_id, id, t).await?;
    if conversation.staff_user_id.is_none() {
        st::set_assignee(&mut *tx, s.company_id, id, Some(s.user.id)).await?;
    }
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::MessageReply,
        Some(conversation.contact_id),
        &format!("conversation #{id}"),
    )
    .await?;
    notify_customer(app, &mut tx, s.company_id, conversation.contact_id, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Staff start a conversation with a customer. Returns its id.
pub async fn staff_start(
    app: &App,
    s: &Staff,
    contact_id: i64,
    subject: &str,
    body: &str,
    origin: &Origin,
) -> Result<i64, AppError> {
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let mut e = FieldErrors::new();
    let subject = check_subject(&mut e, subject);
    let body = check_body(&mut e, body);
    e.into_result()?;
    let t = now();
    let mut tx = app.db.begin().await?;
    let id = st::insert_conversation(
        &mut *tx,
        s.company_id,
        contact_id,
        &subject,
        ConversationKind::Message,
        Some(s.user.id),
        t,
    )
    .await?;
    st::insert_message(&mut *tx, s.company_id, id, Author::Staff, Some(s.user.id), &body, t).await?;
    audit::staff(&mut *tx, s, origin, Action::MessageStart, Some(contact_id), &format!("conversation #{id}")).await?;
    notify_customer(app, &mut tx, s.company_id, contact_id, id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Assign a conversation to an active staff member of the company, or to
/// nobody (`None`).
pub async fn assign(app: &App, s: &Staff, id: i64, to: Option<i64>, origin: &Origin) -> Result<(), AppError> {
    let conversation = st::company_one(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let name = match to {
        Some(staff_id) => match people::staff_user(app.db.r(), s.company_id, staff_id).await? {
            Some(u) if u.active => u.name,
            _ => return Err(FieldErrors::single("assignee", "Choose an active staff member.")),
        },
        None => "nobody".into(),
    };
    let mut tx = app.db.begin().await?;
    st::set_assignee(&mut *tx, s.company_id, id, to).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::MessageAssign,
        Some(conversation.contact_id),
        &format!("conversation #{id} to {name}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_closed(app: &App, s: &Staff, id: i64, closed: bool, origin: &Origin) -> Result<(), AppError> {
    let conversation = st::company_one(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let mut tx = app.db.begin().await?;
    st::set_closed(&mut *tx, s.company_id, id, closed.then(now)).await?;
    let action = if closed { Action::MessageClose } else { Action::MessageReopen };
    audit::staff(&mut *tx, s, origin, action, Some(conversation.contact_id), &format!("conversation #{id}")).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- team and groups

pub async fn team(app: &App, s: &Staff, contact_id: i64) -> Result<Vec<Member>, AppError> {
    Ok(st::team(app.db.r(), s.company_id, contact_id).await?)
}

pub async fn add_to_team(
    app: &App,
    s: &Staff,
    contact_id: i64,
    staff_id: i64,
    origin: &Origin,
) -> Result<(), AppError> {
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let member = match people::staff_user(app.db.r(), s.company_id, staff_id).await? {
        Some(u) if u.active => u,
        _ => return Err(FieldErrors::single("staff_user_id", "Choose an active staff member.")),
    };
    let mut tx = app.db.begin().await?;
    st::add_to_team(&mut *tx, s.company_id, contact_id, member.id, now()).await?;
    audit::staff(&mut *tx, s, origin, Action::TeamAdd, Some(contact_id), &member.name).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_from_team(
    app: &App,
    s: &Staff,
    contact_id: i64,
    staff_id: i64,
    origin: &Origin,
) -> Result<(), AppError> {
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let mut tx = app.db.begin().await?;
    if !st::remove_from_team(&mut *tx, s.company_id, contact_id, staff_id).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, s, origin, Action::TeamRemove, Some(contact_id), &format!("staff #{staff_id}")).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn groups(app: &App, s: &Staff) -> Result<(Vec<Group>, Vec<(i64, i64)>), AppError> {
    Ok((st::groups(app.db.r(), s.company_id).await?, st::memberships(app.db.r(), s.company_id).await?))
}

pub async fn create_group(app: &App, s: &Staff, name: &str, hidden: bool, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ManageSettings)?;
    let name = match validate::line(name, 80) {
        Ok(n) if n.is_empty() => return Err(FieldErrors::single("name", "Enter a name for the group.")),
        Ok(n) => n,
        Err(m) => return Err(FieldErrors::single("name", m)),
    };
    if st::group_name_taken(app.db.r(), s.company_id, &name).await? {
        return Err(FieldErrors::single("name", "A group with this name exists already."));
    }
    let mut tx = app.db.begin().await?;
    let id = st::insert_group(&mut *tx, s.company_id, &name, hidden, now()).await?;
    let what = if hidden { " (hidden from customers)" } else { "" };
    audit::staff(&mut *tx, s, origin, Action::GroupCreate, None, &format!("{name}{what}")).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_group_hidden(app: &App, s: &Staff, id: i64, hidden: bool, origin: &Origin) -> Result<(), AppError> {
    let g = st::group(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    st::set_group_hidden(&mut *tx, s.company_id, id, hidden).await?;
    let what = if hidden { "hidden from customers" } else { "visible to customers" };
    audit::staff(&mut *tx, s, origin, Action::GroupUpdate, None, &format!("{}: {what}", g.name)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_group(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    let g = st::group(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    st::delete_group(&mut tx, s.company_id, id).await?;
    audit::staff(&mut *tx, s, origin, Action::GroupDelete, None, &g.name).await?;
    tx.commit().await?;
    Ok(())
}

/// Put a staff member in a group (`add`) or take them out.
pub async fn set_member(
    app: &App,
    s: &Staff,
    group_id: i64,
    staff_id: i64,
    add: bool,
    origin: &Origin,
) -> Result<(), AppError> {
    let g = st::group(app.db.r(), s.company_id, group_id).await?.ok_or(AppError::NotFound)?;
    let member = people::staff_user(app.db.r(), s.company_id, staff_id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    if add {
        st::add_member(&mut *tx, s.company_id, g.id, member.id).await?;
    } else {
        st::remove_member(&mut *tx, s.company_id, g.id, member.id).await?;
    }
    let action = if add { Action::GroupAddMember } else { Action::GroupRemoveMember };
    audit::staff(&mut *tx, s, origin, action, None, &format!("{}: {}", g.name, member.name)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn requests_as_conversations(app: &App, company_id: i64) -> Result<bool, AppError> {
    Ok(st::requests_as_conversations(app.db.r(), company_id).await?)
}

pub async fn set_requests_as_conversations(app: &App, s: &Staff, on: bool, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    st::set_requests_as_conversations(&mut *tx, s.company_id, on).await?;
    let what = if on { "kept as conversations" } else { "e-mailed only" };
    audit::staff(&mut *tx, s, origin, Action::SettingsRequests, None, &format!("requests {what}")).await?;
    tx.commit().await?;
    Ok(())
}
