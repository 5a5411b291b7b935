//! The console's inbox: customers' conversations with filters (open or
//! closed; assigned to me, unassigned or everyone's), a conversation with
//! reply, assign and close, and staff starting a conversation from a
//! contact. Lists refresh without a reload (htmx polling, 204 when unchanged).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::console::InboxFilter;
use portico_app::messages;
use portico_app::{AppError, FieldErrors};
use portico_domain::codes::{Author, ConversationKind};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, LiveStaff, OriginCtx, StaffCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, Page, when};
use crate::staff::staff_page;
use crate::state::AppState;

async fn fingerprint(state: &AppState, s: &Staff) -> WebResult<String> {
    let (a, b, c) = portico_app::console::inbox_activity(&state.app, s).await?;
    Ok(format!("{a}.{b}.{c}"))
}

#[derive(Deserialize, Default, Clone)]
pub struct InboxQuery {
    status: Option<String>,
    who: Option<String>,
    #[serde(default)]
    v: String,
    m: Option<String>,
}

struct Filters {
    status: &'static str,
    who: &'static str,
}

impl Filters {
    fn from(q: &InboxQuery) -> Filters {
        Filters {
            status: match q.status.as_deref() {
                Some("closed") => "closed",
                Some("all") => "all",
                _ => "open",
            },
            who: match q.who.as_deref() {
                Some("me") => "me",
                Some("unassigned") => "unassigned",
                _ => "all",
            },
        }
    }

    fn store(&self, s: &Staff) -> InboxFilter {
        InboxFilter {
            open: match self.status {
                "closed" => Some(false),
                "all" => None,
                _ => Some(true),
            },
            assigned_to: (self.who == "me").then_some(s.user.id),
            unassigned: self.who == "unassigned",
        }
    }

    fn query(&self) -> String {
        format!("status={}&who={}", self.status, self.who)
    }
}

pub struct Row {
    pub id: i64,
    pub contact: String,
    pub subject: String,
    pub assignee: String,
    pub last: String,
    pub unread: i64,
    pub closed: bool,
    pub request: bool,
}

#[derive(Template)]
#[template(path = "staff/inbox_table.html")]
struct InboxTable {
    rows: Vec<Row>,
    query: String,
    v: String,
    announce: String,
}

#[derive(Template)]
#[template(path = "staff/inbox.html")]
struct InboxPage {
    p: Page,
    status: &'static str,
    who: &'static str,
    table: String,
}

async fn table(state: &AppState, s: &Staff, f: &Filters, announce: bool) -> WebResult<InboxTable> {
    let rows: Vec<Row> = messages::inbox(&state.app, s, f.store(s))
        .await?
        .into_iter()
        .map(|v| Row {
            id: v.id,
            contact: format!("{} {}", v.first_name, v.last_name),
            subject: v.subject,
            assignee: v.staff_name.unwrap_or_default(),
            last: when(Some(v.last_message_at)),
            unread: v.unread,
            closed: v.closed_at.is_some(),
            request: v.kind == ConversationKind::Request,
        })
        .collect();
    let unread: i64 = rows.iter().map(|r| r.unread).sum();
    Ok(InboxTable {
        announce: if announce { format!("Inbox updated: {unread} unread.") } else { String::new() },
        rows,
        query: f.query(),
        v: fingerprint(state, s).await?,
    })
}

pub fn notice(code: Option<&str>) -> Option<Notice> {
    Some(match code? {
        "reply-sent" => Notice::success("Reply sent. The customer gets an e-mail with a link (not the text)."),
        "assigned" => Notice::success("Assignment saved."),
        "closed" => Notice::success("Conversation closed. A new message from the customer reopens it."),
        "reopened" => Notice::success("Conversation reopened."),
        "started" => Notice::success("Message sent. The customer gets an e-mail with a link (not the text)."),
        other => return Notice::from_code(Some(other)),
    })
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<InboxQuery>,
) -> WebResult {
    let f = Filters::from(&q);
    let t = InboxPage {
        p: staff_page(&tenant, &s, "Inbox", "inbox", &csrf).with_notice(notice(q.m.as_deref())),
        status: f.status,
        who: f.who,
        table: table(&state, &s, &f, false).await?.render()?,
    };
    Ok(Html(t.render()?).into_response())
}

pub async fn list_live(
    State(state): State<AppState>,
    LiveStaff(s): LiveStaff,
    Query(q): Query<InboxQuery>,
) -> WebResult<Response> {
    if fingerprint(&state, &s).await? == q.v {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Html(table(&state, &s, &Filters::from(&q), true).await?.render()?).into_response())
}

// ---------------------------------------------------------------- conversation

pub struct Item {
    pub id: i64,
    pub from_customer: bool,
    pub author: String,
    pub when: String,
    pub paragraphs: Vec<String>,
    pub attachments: Vec<(i64, String)>,
    pub read: String,
}

#[derive(Template)]
#[template(path = "staff/conversation_thread.html")]
struct ThreadPart {
    id: i64,
    items: Vec<Item>,
    v: String,
    announce: String,
}

#[derive(Template)]
#[template(path = "staff/conversation.html")]
struct ConversationPage {
    p: Page,
    id: i64,
    subject: String,
    contact_id: i64,
    contact: String,
    closed: bool,
    request: bool,
    assignee: Option<i64>,
    assignee_hidden: bool,
    staff: Vec<(i64, String)>,
    thread: String,
    can_act: bool,
    body: String,
    errors: FieldErrors,
}

fn items(t: &messages::Thread, contact: &str) -> Vec<Item> {
    t.messages
        .iter()
        .map(|m| Item {
            id: m.id,
            from_customer: m.author_kind == Author::Customer,
            author: if m.author_kind == Author::Customer {
                format!("{contact} (customer)")
            } else {
                m.staff_name.clone().unwrap_or_else(|| "Staff".into())
            },
            when: when(Some(m.created_at)),
            paragraphs: m.body.split("\n\n").map(str::to_string).filter(|p| !p.trim().is_empty()).collect(),
            attachments: t
                .attachments
                .iter()
                .filter(|a| a.message_id == m.id)
                .map(|a| (a.document_id, a.name.clone()))
                .collect(),
            read: if m.author_kind == Author::Staff {
                m.read_at
                    .map(|r| format!("Read by the customer {}", when(Some(r))))
                    .unwrap_or_else(|| "Not read yet".into())
            } else {
                String::new()
            },
        })
        .collect()
}

async fn conversation_page(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    id: i64,
    notice_code: Option<&str>,
    body: String,
    errors: FieldErrors,
) -> WebResult<String> {
    let t = messages::staff_view(&state.app, s, id).await?;
    let v = &t.conversation;
    let contact = format!("{} {}", v.first_name, v.last_name);
    let thread =
        ThreadPart { id, items: items(&t, &contact), v: fingerprint(state, s).await?, announce: String::new() }
            .render()?;
    let staff = portico_app::console::staff_members(&state.app, s)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id, u.name))
        .collect();
    let page = ConversationPage {
        p: staff_page(tenant, s, &v.subject, "inbox", csrf).with_notice(notice(notice_code)),
        id,
        subject: v.subject.clone(),
        contact_id: v.contact_id,
        contact,
        closed: v.closed_at.is_some(),
        request: v.kind == ConversationKind::Request,
        assignee: v.staff_user_id,
        assignee_hidden: v.staff_hidden,
        staff,
        thread,
        can_act: s.role.allows(Permission::ServiceCustomers),
        body,
        errors,
    };
    Ok(page.render()?)
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
    #[serde(default)]
    v: String,
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let html =
        conversation_page(&state, &tenant, &s, &csrf, id, q.m.as_deref(), String::new(), FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

pub async fn thread_live(
    State(state): State<AppState>,
    LiveStaff(s): LiveStaff,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult<Response> {
    portico_app::console::conversation(&state.app, &s, id).await?;
    if fingerprint(&state, &s).await? == q.v {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let t = messages::staff_view(&state.app, &s, id).await?;
    let contact = format!("{} {}", t.conversation.first_name, t.conversation.last_name);
    let part = ThreadPart {
        id,
        items: items(&t, &contact),
        v: fingerprint(&state, &s).await?,
        announce: "Conversation updated.".into(),
    };
    Ok(Html(part.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    body: String,
}

pub async fn reply(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<ReplyForm>,
) -> WebResult {
    match messages::staff_reply(&state.app, &s, id, &f.body, &origin).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/inbox/{id}?m=reply-sent")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = conversation_page(&state, &tenant, &s, &csrf, id, None, f.body, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    assignee: String,
}

pub async fn assign(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<AssignForm>,
) -> WebResult {
    let to = match f.assignee.as_str() {
        "" | "none" => None,
        "me" => Some(s.user.id),
        other => Some(other.parse::<i64>().map_err(|_| WebError::BadRequest("Choose a staff member.".into()))?),
    };
    messages::assign(&state.app, &s, id, to, &origin).await?;
    Ok(Redirect::to(&format!("/staff/inbox/{id}?m=assigned")).into_response())
}

pub async fn close(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    messages::set_closed(&state.app, &s, id, true, &origin).await?;
    Ok(Redirect::to(&format!("/staff/inbox/{id}?m=closed")).into_response())
}

pub async fn reopen(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    messages::set_closed(&state.app, &s, id, false, &origin).await?;
    Ok(Redirect::to(&format!("/staff/inbox/{id}?m=reopened")).into_response())
}

// ---------------------------------------------------------------- staff start a conversation

#[derive(Template)]
#[template(path = "staff/conversation_new.html")]
struct NewPage {
    p: Page,
    contact_id: i64,
    contact: String,
    subject: String,
    body: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

async fn new_page(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    contact_id: i64,
    f: NewForm,
    errors: FieldErrors,
) -> WebResult<String> {
    let c = portico_app::console::contact(&state.app, s, contact_id).await?;
    let t = NewPage {
        p: staff_page(tenant, s, "New message", "contacts", csrf),
        contact_id,
        contact: format!("{} {}", c.first_name, c.last_name),
        subject: f.subject,
        body: f.body,
        errors,
    };
    Ok(t.render()?)
}

pub async fn new_form(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    s.require(Permission::ServiceCustomers)?;
    Ok(Html(new_page(&state, &tenant, &s, &csrf, id, NewForm::default(), FieldErrors::new()).await?).into_response())
}

pub async fn start(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<NewForm>,
) -> WebResult {
    match messages::staff_start(&state.app, &s, id, &f.subject, &f.body, &origin).await {
        Ok(cid) => Ok(Redirect::to(&format!("/staff/inbox/{cid}?m=started")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = new_page(&state, &tenant, &s, &csrf, id, f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
