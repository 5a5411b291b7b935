//! Messages in the portal (seeds 000, 001, 002): the list ("View all
//! messages"), a conversation with its replies, "Send a message", "Send a
//! request", and the header envelope's unread count, which the layout
//! loads and refreshes through htmx.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Customer;
use portico_app::messages::{self, Draft, Thread};
use portico_app::{AppError, FieldErrors};
use portico_domain::codes::{Author, ConversationKind};
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, Id, LiveCustomer, OriginCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page, when};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

/// Changes whenever a message or task of the customer is added, read,
/// completed or removed.
async fn fingerprint(state: &AppState, c: &Customer) -> WebResult<String> {
    Ok(portico_app::tasks::fingerprint(&state.app, c).await?)
}

#[derive(Deserialize, Default)]
pub struct LiveQuery {
    #[serde(default)]
    v: String,
    n: Option<i64>,
}

fn paragraphs(body: &str) -> Vec<String> {
    body.split("\n\n").map(|p| p.trim_matches('\n').to_string()).filter(|p| !p.trim().is_empty()).collect()
}

// ---------------------------------------------------------------- badge

#[derive(Template)]
#[template(path = "portal/messages_badge.html")]
struct Badge {
    n: i64,
}

/// The envelope's unread count; 204 when it is still `n`.
pub async fn badge(
    State(state): State<AppState>,
    tenant: TenantCtx,
    LiveCustomer(c): LiveCustomer,
    Query(q): Query<LiveQuery>,
) -> WebResult<Response> {
    tenant.require(Section::Messages)?;
    let n = messages::unread(&state.app, &c).await?;
    if q.n == Some(n) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Html(Badge { n }.render()?).into_response())
}

// ---------------------------------------------------------------- list

pub struct ConvRow {
    pub id: i64,
    pub subject: String,
    pub with: String,
    pub last: String,
    pub unread: i64,
    pub closed: bool,
    pub request: bool,
}

#[derive(Template)]
#[template(path = "portal/messages_table.html")]
struct MessagesTable {
    rows: Vec<ConvRow>,
    v: String,
    announce: String,
}

#[derive(Template)]
#[template(path = "portal/messages.html")]
struct MessagesPage {
    p: Page,
    table: String,
    can_send: bool,
}

fn with_whom(company: &str, staff_name: Option<&str>, hidden: bool) -> String {
    match staff_name {
        Some(n) if !hidden => n.to_string(),
        _ => company.to_string(),
    }
}

async fn table(state: &AppState, tenant: &TenantCtx, c: &Customer, announce: bool) -> WebResult<MessagesTable> {
    let company = &tenant.0.company.name;
    let rows: Vec<ConvRow> = messages::list(&state.app, c)
        .await?
        .into_iter()
        .map(|v| ConvRow {
            with: with_whom(company, v.staff_name.as_deref(), v.staff_hidden),
            id: v.id,
            subject: v.subject,
            last: when(Some(v.last_message_at)),
            unread: v.unread,
            closed: v.closed_at.is_some(),
            request: v.kind == ConversationKind::Request,
        })
        .collect();
    let unread: i64 = rows.iter().map(|r| r.unread).sum();
    let announce = if announce {
        match unread {
            0 => "Messages updated.".to_string(),
            1 => "Messages updated: 1 unread message.".to_string(),
            n => format!("Messages updated: {n} unread messages."),
        }
    } else {
        String::new()
    };
    Ok(MessagesTable { rows, v: fingerprint(state, c).await?, announce })
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

fn notice(code: Option<&str>) -> Option<Notice> {
    match code? {
        "message-sent" => Some(Notice::success("Your message is sent. We'll e-mail you when there's an answer.")),
        "reply-sent" => Some(Notice::success("Your reply is sent.")),
        "request-sent" => Some(Notice::success("Your request is on its way to our team.")),
        other => Notice::from_code(Some(other)),
    }
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    tenant.require(Section::Messages)?;
    let t = MessagesPage {
        p: portal_page(&tenant, &c, "Messages", "/messages", &csrf).with_notice(notice(q.m.as_deref())),
        table: table(&state, &tenant, &c, false).await?.render()?,
        can_send: !c.is_agent(),
    };
    Ok(Html(t.render()?).into_response())
}

pub async fn list_live(
    State(state): State<AppState>,
    tenant: TenantCtx,
    LiveCustomer(c): LiveCustomer,
    Query(q): Query<LiveQuery>,
) -> WebResult<Response> {
    tenant.require(Section::Messages)?;
    if fingerprint(&state, &c).await? == q.v {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Html(table(&state, &tenant, &c, true).await?.render()?).into_response())
}

// ---------------------------------------------------------------- new message

pub struct DocChoice {
    pub id: i64,
    pub name: String,
    pub type_name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "portal/message_new.html")]
struct NewPage {
    p: Page,
    is_agent: bool,
    recipients: Vec<(i64, String)>,
    to: String,
    subject: String,
    body: String,
    docs: Vec<DocChoice>,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct DraftForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    attachments: Vec<String>,
}

async fn doc_choices(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    checked: &[String],
) -> WebResult<Vec<DocChoice>> {
    if !tenant.sections().contains(Section::Documents) {
        return Ok(Vec::new());
    }
    Ok(messages::attachable(&state.app, c)
        .await?
        .into_iter()
        .map(|d| DocChoice {
            checked: checked.iter().any(|x| x.trim() == d.id.to_string()),
            id: d.id,
            name: d.name,
            type_name: d.type_name,
        })
        .collect())
}

async fn new_page(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    f: DraftForm,
    errors: FieldErrors,
) -> WebResult<String> {
    let recipients =
        messages::recipients(&state.app, c).await?.into_iter().map(|m| (m.staff_user_id, m.name)).collect();
    let t = NewPage {
        p: portal_page(tenant, c, "Send a message", "/messages", csrf),
        is_agent: c.is_agent(),
        recipients,
        docs: doc_choices(state, tenant, c, &f.attachments).await?,
        to: f.to,
        subject: f.subject,
        body: f.body,
        errors,
    };
    Ok(t.render()?)
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    to: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<NewQuery>,
) -> WebResult {
    tenant.require(Section::Messages)?;
    let f = DraftForm { to: q.to.unwrap_or_default(), ..Default::default() };
    Ok(Html(new_page(&state, &tenant, &c, &csrf, f, FieldErrors::new()).await?).into_response())
}

pub async fn send(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<DraftForm>,
) -> WebResult {
    tenant.require(Section::Messages)?;
    let d = Draft {
        to: f.to.clone(),
        subject: f.subject.clone(),
        body: f.body.clone(),
        attachments: f.attachments.clone(),
    };
    match messages::send(&state.app, &c, &d, &origin).await {
        Ok(id) => Ok(Redirect::to(&format!("/messages/{id}?m=message-sent")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = new_page(&state, &tenant, &c, &csrf, f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- conversation

pub struct MessageItem {
    pub id: i64,
    pub mine: bool,
    pub author: String,
    pub when: String,
    pub paragraphs: Vec<String>,
    pub attachments: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "portal/message_thread.html")]
struct ThreadPart {
    items: Vec<MessageItem>,
    id: i64,
    v: String,
    announce: String,
}

#[derive(Template)]
#[template(path = "portal/message.html")]
struct ConversationPage {
    p: Page,
    id: i64,
    subject: String,
    with: String,
    closed: bool,
    thread: String,
    is_agent: bool,
    body: String,
    docs: Vec<DocChoice>,
    errors: FieldErrors,
}

fn items(t: &Thread, company: &str, first_name: &str) -> Vec<MessageItem> {
    t.messages
        .iter()
        .map(|m| MessageItem {
            id: m.id,
            mine: m.author_kind == Author::Customer,
            author: if m.author_kind == Author::Customer {
                format!("You ({first_name})")
            } else {
                match (&m.staff_name, m.staff_hidden) {
                    (Some(n), false) => format!("{n}, {company}"),
                    _ => company.to_string(),
                }
            },
            when: when(Some(m.created_at)),
            paragraphs: paragraphs(&m.body),
            attachments: t
                .attachments
                .iter()
                .filter(|a| a.message_id == m.id)
                .map(|a| (a.document_id, a.name.clone()))
                .collect(),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn conversation_page(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    id: i64,
    notice_code: Option<&str>,
    body: String,
    checked: &[String],
    errors: FieldErrors,
) -> WebResult<String> {
    let t = messages::view(&state.app, c, id).await?;
    let company = tenant.0.company.name.clone();
    let thread = ThreadPart {
        items: items(&t, &company, &c.contact.first_name),
        id,
        v: fingerprint(state, c).await?,
        announce: String::new(),
    }
    .render()?;
    let v = &t.conversation;
    let page = ConversationPage {
        p: portal_page(tenant, c, &v.subject, "/messages", csrf).with_notice(notice(notice_code)),
        id,
        subject: v.subject.clone(),
        with: with_whom(&company, v.staff_name.as_deref(), v.staff_hidden),
        closed: v.closed_at.is_some(),
        thread,
        is_agent: c.is_agent(),
        body,
        docs: doc_choices(state, tenant, c, checked).await?,
        errors,
    };
    Ok(page.render()?)
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    tenant.require(Section::Messages)?;
    let html =
        conversation_page(&state, &tenant, &c, &csrf, id, q.m.as_deref(), String::new(), &[], FieldErrors::new())
            .await?;
    Ok(Html(html).into_response())
}

/// New messages of a conversation appear without a reload; they are
/// marked read as the customer sees them (not for an Agent).
pub async fn thread_live(
    State(state): State<AppState>,
    tenant: TenantCtx,
    LiveCustomer(c): LiveCustomer,
    Id(id): Id,
    Query(q): Query<LiveQuery>,
) -> WebResult<Response> {
    tenant.require(Section::Messages)?;
    // 404 for someone else's conversation, changed or not.
    portico_app::portal::own_conversation(&state.app, &c, id).await?;
    if fingerprint(&state, &c).await? == q.v {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let t = messages::view(&state.app, &c, id).await?;
    let part = ThreadPart {
        items: items(&t, &tenant.0.company.name, &c.contact.first_name),
        id,
        v: fingerprint(&state, &c).await?,
        announce: "New messages in this conversation.".into(),
    };
    Ok(Html(part.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    attachments: Vec<String>,
}

pub async fn reply(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<ReplyForm>,
) -> WebResult {
    tenant.require(Section::Messages)?;
    match messages::reply(&state.app, &c, id, &f.body, &f.attachments, &origin).await {
        Ok(()) => Ok(Redirect::to(&format!("/messages/{id}?m=reply-sent")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = conversation_page(&state, &tenant, &c, &csrf, id, None, f.body, &f.attachments, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- send a request

#[derive(Template)]
#[template(path = "portal/messages_request.html")]
struct RequestPage {
    p: Page,
    is_agent: bool,
    kept: bool,
    subject: String,
    body: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

async fn request_page(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    f: RequestForm,
    errors: FieldErrors,
) -> WebResult<String> {
    let t = RequestPage {
        p: portal_page(tenant, c, "Send a request", "/messages", csrf),
        is_agent: c.is_agent(),
        kept: messages::requests_as_conversations(&state.app, c.company_id).await?,
        subject: f.subject,
        body: f.body,
        errors,
    };
    Ok(t.render()?)
}

pub async fn request_form(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
) -> WebResult {
    tenant.require(Section::Messages)?;
    Ok(Html(request_page(&state, &tenant, &c, &csrf, RequestForm::default(), FieldErrors::new()).await?)
        .into_response())
}

pub async fn request(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<RequestForm>,
) -> WebResult {
    tenant.require(Section::Messages)?;
    match messages::send_request(&state.app, &c, &f.subject, &f.body, &origin).await {
        Ok(Some(id)) => Ok(Redirect::to(&format!("/messages/{id}?m=request-sent")).into_response()),
        Ok(None) => Ok(Redirect::to("/messages?m=request-sent").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = request_page(&state, &tenant, &c, &csrf, f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
