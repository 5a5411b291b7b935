//! Tasks in the console: assign a task to a contact (title, instructions,
//! due date, what completes it), confirm, reopen or delete it, and the
//! company-wide task list. Also the contact page's panels for tasks,
//! conversations, team and notes.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::tasks::{self, Completion, TaskInput, TaskView};
use portico_app::{AppError, FieldErrors};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page, short_iso, when};
use crate::staff::staff_page;
use crate::state::AppState;

pub struct TaskRow {
    pub id: i64,
    pub title: String,
    pub due: String,
    pub how: String,
    pub done: bool,
    pub completed: String,
    pub completed_by: &'static str,
}

fn row(v: &TaskView) -> TaskRow {
    let t = &v.task;
    TaskRow {
        id: t.id,
        title: t.title.clone(),
        due: t.due_on.as_deref().map(short_iso).unwrap_or_default(),
        how: match (v.completion, &v.document_type) {
            (Completion::Upload, Some(name)) => format!("Upload: {name}"),
            (Completion::Upload, None) => "Upload a document".into(),
            (Completion::Acknowledge, _) => "Customer acknowledges".into(),
            (Completion::Staff, _) => "Staff confirm".into(),
        },
        done: t.done(),
        completed: when(t.completed_at),
        completed_by: t.completed_by.map(|b| b.label()).unwrap_or_default(),
    }
}

// ---------------------------------------------------------------- contact page panels

pub struct ConvRow {
    pub id: i64,
    pub subject: String,
    pub last: String,
    pub unread: i64,
    pub closed: bool,
    pub assignee: String,
}

pub struct NoteRow {
    pub id: i64,
    pub note_type: String,
    pub portal: bool,
    pub paragraphs: Vec<String>,
    pub by: String,
    pub when: String,
}

pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub hidden: bool,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "staff/tasks_contact_panels.html")]
struct Panels {
    contact_id: i64,
    csrf: String,
    can_act: bool,
    tasks: Vec<TaskRow>,
    conversations: Vec<ConvRow>,
    team: Vec<TeamRow>,
    staff: Vec<(i64, String)>,
    notes: Vec<NoteRow>,
    note_types: Vec<&'static str>,
}

pub fn note_rows(notes: Vec<portico_app::console::Note>) -> Vec<NoteRow> {
    notes
        .into_iter()
        .map(|n| NoteRow {
            id: n.id,
            portal: n.note_type == portico_app::console::PORTAL_NOTE_TYPE,
            note_type: n.note_type,
            paragraphs: n.body.split("\n\n").map(str::to_string).filter(|p| !p.trim().is_empty()).collect(),
            by: n.staff_name.unwrap_or_default(),
            when: when(Some(n.created_at)),
        })
        .collect()
}

/// The HTML of the contact page's panels (the contact belongs to the
/// staff member's company: the caller loaded it).
pub async fn contact_panels(state: &AppState, s: &Staff, contact_id: i64, csrf: &str) -> WebResult<String> {
    let app = &state.app;
    let tasks = tasks::for_contact(app, s, contact_id).await?.iter().map(row).collect();
    let conversations = portico_app::messages::for_contact(app, s, contact_id)
        .await?
        .into_iter()
        .map(|v| ConvRow {
            id: v.id,
            subject: v.subject,
            last: when(Some(v.last_message_at)),
            unread: v.unread,
            closed: v.closed_at.is_some(),
            assignee: v.staff_name.unwrap_or_default(),
        })
        .collect();
    let team_members = portico_app::messages::team(app, s, contact_id).await?;
    let staff = portico_app::console::staff_members(app, s)
        .await?
        .into_iter()
        .filter(|u| u.active && !team_members.iter().any(|m| m.staff_user_id == u.id))
        .map(|u| (u.id, u.name))
        .collect();
    let team = team_members
        .into_iter()
        .map(|m| TeamRow { id: m.staff_user_id, name: m.name, hidden: m.hidden, active: m.active })
        .collect();
    let notes = note_rows(portico_app::notes::for_contact(app, s, contact_id).await?);
    let t = Panels {
        contact_id,
        csrf: csrf.to_string(),
        can_act: s.role.allows(Permission::ServiceCustomers),
        tasks,
        conversations,
        team,
        staff,
        notes,
        note_types: portico_app::notes::TYPES.to_vec(),
    };
    Ok(t.render()?)
}

// ---------------------------------------------------------------- assign

#[derive(Template)]
#[template(path = "staff/tasks_new.html")]
struct NewTaskPage {
    p: Page,
    contact_id: i64,
    contact_name: String,
    f: TaskForm,
    kinds: Vec<(&'static str, &'static str)>,
    types: Vec<(i64, String, bool)>,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct TaskForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub instructions: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub completion: String,
    #[serde(default)]
    pub document_type_id: String,
}

async fn new_page(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    contact_id: i64,
    f: TaskForm,
    errors: FieldErrors,
) -> WebResult<String> {
    let contact = portico_app::console::contact(&state.app, s, contact_id).await?;
    let types = portico_app::console::document_types(&state.app, s)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name, t.visible && t.customer_upload))
        .collect();
    let t = NewTaskPage {
        p: staff_page(tenant, s, "Assign a task", "contacts", csrf),
        contact_id,
        contact_name: format!("{} {}", contact.first_name, contact.last_name),
        f,
        kinds: Completion::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        types,
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
    let f = TaskForm { completion: "acknowledge".into(), ..Default::default() };
    Ok(Html(new_page(&state, &tenant, &s, &csrf, id, f, FieldErrors::new()).await?).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<TaskForm>,
) -> WebResult {
    let input = TaskInput {
        title: f.title.clone(),
        instructions: f.instructions.clone(),
        due_on: f.due_on.clone(),
        completion: f.completion.clone(),
        document_type_id: f.document_type_id.clone(),
    };
    match tasks::assign(&state.app, &s, id, &input, &origin).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/contacts/{id}?m=task-assigned#tasks-title")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = new_page(&state, &tenant, &s, &csrf, id, f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct BackForm {
    #[serde(default)]
    back: String,
}

/// After an action: back to the task list when it came from there, else
/// to the contact.
fn back(f: &BackForm, contact_id: i64, code: &str) -> axum::response::Response {
    if f.back == "list" {
        Redirect::to(&format!("/staff/tasks?m={code}")).into_response()
    } else {
        Redirect::to(&format!("/staff/contacts/{contact_id}?m={code}#tasks-title")).into_response()
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<BackForm>,
) -> WebResult {
    let t = tasks::confirm(&state.app, &s, id, &origin).await?;
    Ok(back(&f, t.contact_id, "task-confirmed"))
}

pub async fn reopen(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<BackForm>,
) -> WebResult {
    let t = tasks::reopen(&state.app, &s, id, &origin).await?;
    Ok(back(&f, t.contact_id, "task-reopened"))
}

pub async fn delete(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<BackForm>,
) -> WebResult {
    let t = tasks::delete(&state.app, &s, id, &origin).await?;
    Ok(back(&f, t.contact_id, "task-deleted"))
}

// ---------------------------------------------------------------- company list

pub struct ListRow {
    pub id: i64,
    pub contact_id: i64,
    pub contact: String,
    pub title: String,
    pub due: String,
    pub overdue: bool,
    pub done: bool,
    pub completed: String,
    pub waiting_for_staff: bool,
}

#[derive(Template)]
#[template(path = "staff/tasks.html")]
struct ListPage {
    p: Page,
    status: String,
    rows: Vec<ListRow>,
    can_act: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    m: Option<String>,
}

pub fn notice(code: Option<&str>) -> Option<Notice> {
    Some(match code? {
        "task-confirmed" => Notice::success("Task confirmed as complete."),
        "task-reopened" => Notice::success("Task reopened; the customer sees it as outstanding again."),
        "task-deleted" => Notice::success("Task deleted."),
        other => return Notice::from_code(Some(other)),
    })
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<ListQuery>,
) -> WebResult {
    let status = match q.status.as_deref() {
        Some("done") => "done",
        Some("all") => "all",
        _ => "open",
    };
    let open = match status {
        "done" => Some(false),
        "all" => None,
        _ => Some(true),
    };
    let today = portico_domain::validate::iso_date(portico_app::accounts::today());
    let rows = portico_app::console::tasks(&state.app, &s, open, 300)
        .await?
        .into_iter()
        .map(|t| ListRow {
            overdue: t.completed_at.is_none() && t.due_on.as_deref().is_some_and(|d| d < today.as_str()),
            id: t.id,
            contact_id: t.contact_id,
            contact: format!("{} {} ({})", t.first_name, t.last_name, t.customer_number),
            title: t.title,
            due: t.due_on.as_deref().map(short_iso).unwrap_or_default(),
            done: t.completed_at.is_some(),
            completed: when(t.completed_at),
            waiting_for_staff: t.completion == Completion::Staff,
        })
        .collect();
    let t = ListPage {
        p: staff_page(&tenant, &s, "Tasks", "tasks", &csrf).with_notice(notice(q.m.as_deref())),
        status: status.to_string(),
        rows,
        can_act: s.role.allows(Permission::ServiceCustomers),
    };
    Ok(Html(t.render()?).into_response())
}
