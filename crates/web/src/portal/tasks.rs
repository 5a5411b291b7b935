//! Tasks in the portal (seeds 000, 001): the list with completion status,
//! acknowledging a task, the dashboard's "Outstanding tasks" card and the
//! company's "Customer Portal" notes. Lists refresh themselves: the page
//! polls a small fragment every 20 s, answered with 204 when nothing changed.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Customer;
use portico_app::tasks::{self, TaskView};
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::LiveCustomer;
use crate::ctx::{CsrfToken, CustomerCtx, Id, OriginCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Notice, Page, short_iso, when};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

/// One row of the tasks table.
pub struct TaskRow {
    pub id: i64,
    pub title: String,
    pub instructions: Vec<String>,
    pub due: String,
    pub overdue: bool,
    pub done: bool,
    pub completed: String,
    /// `acknowledge`, `upload` or `staff`.
    pub action: &'static str,
    pub upload_href: String,
    pub document_type: String,
}

fn row(v: &TaskView) -> TaskRow {
    let t = &v.task;
    let today = portico_domain::validate::iso_date(portico_app::accounts::today());
    TaskRow {
        id: t.id,
        title: t.title.clone(),
        instructions: t.instructions.split("\n\n").map(str::to_string).filter(|s| !s.trim().is_empty()).collect(),
        due: t.due_on.as_deref().map(short_iso).unwrap_or_default(),
        overdue: !t.done() && t.due_on.as_deref().is_some_and(|d| d < today.as_str()),
        done: t.done(),
        completed: when(t.completed_at),
        action: v.completion.code(),
        upload_href: match t.document_type_id {
            Some(id) => format!("/documents?type={id}"),
            None => "/documents".into(),
        },
        document_type: v.document_type.clone().unwrap_or_default(),
    }
}

/// The live-refreshing table (also the fragment the page polls).
#[derive(Template)]
#[template(path = "portal/tasks_table.html")]
pub struct TasksTable {
    pub rows: Vec<TaskRow>,
    pub v: String,
    pub csrf: String,
    pub is_agent: bool,
    pub documents_on: bool,
    /// Said to screen readers after a live update (empty on page load).
    pub announce: String,
}

#[derive(Template)]
#[template(path = "portal/tasks.html")]
struct TasksPage {
    p: Page,
    table: String,
    open: usize,
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

fn notice(code: Option<&str>) -> Option<Notice> {
    match code? {
        "task-done" => Some(Notice::success("Thank you. The task is marked complete, and we've let our team know.")),
        other => Notice::from_code(Some(other)),
    }
}

async fn table(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    announce: bool,
) -> WebResult<TasksTable> {
    let views = tasks::for_customer(&state.app, c).await?;
    let rows: Vec<TaskRow> = views.iter().map(row).collect();
    let open = rows.iter().filter(|r| !r.done).count();
    Ok(TasksTable {
        announce: if announce { open_text(open) } else { String::new() },
        rows,
        v: portico_app::tasks::fingerprint(&state.app, c).await?,
        csrf: csrf.to_string(),
        is_agent: c.is_agent(),
        documents_on: tenant.sections().contains(Section::Documents),
    })
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    tenant.require(Section::Tasks)?;
    let table = table(&state, &tenant, &c, &csrf, false).await?;
    let open = table.rows.iter().filter(|r| !r.done).count();
    let t = TasksPage {
        p: portal_page(&tenant, &c, "Tasks", "/tasks", &csrf).with_notice(notice(q.m.as_deref())),
        table: table.render()?,
        open,
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub struct LiveQuery {
    #[serde(default)]
    v: String,
}

/// The tasks table when it changed since `v`, else 204.
pub async fn live(
    State(state): State<AppState>,
    tenant: TenantCtx,
    LiveCustomer(c): LiveCustomer,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<LiveQuery>,
) -> WebResult<Response> {
    tenant.require(Section::Tasks)?;
    if portico_app::tasks::fingerprint(&state.app, &c).await? == q.v {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Html(table(&state, &tenant, &c, &csrf, true).await?.render()?).into_response())
}

pub async fn complete(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    tenant.require(Section::Tasks)?;
    tasks::complete(&state.app, &c, id, &origin).await?;
    Ok(Redirect::to("/tasks?m=task-done").into_response())
}

/// A "Customer Portal" note on the dashboard.
pub struct NoteItem {
    pub when: String,
    pub paragraphs: Vec<String>,
}

/// The dashboard's outstanding tasks card (also the polled fragment).
#[derive(Template)]
#[template(path = "portal/tasks_dashboard_card.html")]
struct DashboardCard {
    tasks: Vec<TaskRow>,
    v: String,
    announce: String,
}

/// The dashboard's outstanding tasks (when the section is on) and the
/// company's "Customer Portal" notes.
#[derive(Template)]
#[template(path = "portal/tasks_dashboard.html")]
struct DashboardExtras {
    company: String,
    card: Option<String>,
    notes: Vec<NoteItem>,
}

fn dashboard_card(open: &[TaskView], v: String, announce: bool) -> WebResult<String> {
    let tasks: Vec<TaskRow> = open.iter().map(row).collect();
    let announce = if announce { open_text(tasks.len()) } else { String::new() };
    Ok(DashboardCard { tasks, v, announce }.render()?)
}

fn open_text(n: usize) -> String {
    match n {
        0 => "Tasks updated: you have no outstanding tasks.".into(),
        1 => "Tasks updated: you have 1 outstanding task.".into(),
        n => format!("Tasks updated: you have {n} outstanding tasks."),
    }
}

/// The HTML the dashboard shows below its figures: outstanding tasks and
/// notes (one statement, `tasks::dashboard`).
pub async fn dashboard_extras(conn: &mut portico_app::Conn, tenant: &TenantCtx, c: &Customer) -> WebResult<String> {
    let tasks_on = tenant.sections().contains(Section::Tasks);
    let x = tasks::dashboard_on(conn, c, tasks_on, 5).await?;
    let card = if tasks_on { Some(dashboard_card(&x.tasks, x.fingerprint, false)?) } else { None };
    let notes = x
        .notes
        .into_iter()
        .map(|n| NoteItem {
            when: when(Some(n.created_at)),
            paragraphs: n.body.split("\n\n").map(str::to_string).filter(|s| !s.trim().is_empty()).collect(),
        })
        .collect();
    Ok(DashboardExtras { company: tenant.0.company.name.clone(), card, notes }.render()?)
}

/// The dashboard's tasks card when it changed since `v`, else 204.
pub async fn dashboard_live(
    State(state): State<AppState>,
    tenant: TenantCtx,
    LiveCustomer(c): LiveCustomer,
    Query(q): Query<LiveQuery>,
) -> WebResult<Response> {
    tenant.require(Section::Tasks)?;
    if portico_app::tasks::fingerprint(&state.app, &c).await? == q.v {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let x = tasks::dashboard(&state.app, &c, true, 0).await?;
    Ok(Html(dashboard_card(&x.tasks, x.fingerprint, true)?).into_response())
}
