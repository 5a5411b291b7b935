//! Tasks (seeds 000, 001, 002): staff assign them to a customer; the
//! customer completes them in the portal (acknowledge), by uploading a
//! document of the requested type, or staff confirm them. Completion
//! notifies staff by e-mail and is audited.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_domain::codes::CompletedBy;
use portico_store::audit::{self as audit_store, Entry};
use portico_store::companies;
use portico_store::tasks::{self as st, Task};

use portico_domain::validate;
use portico_store::documents;

use crate::auth::{Customer, Staff};
use crate::mail::{self, CompanySender, Outgoing};
use crate::notify::{self, Topic};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

pub use portico_domain::codes::Completion;

/// The company's sender, read inside a transaction (for callers that have
/// no `App`).
pub(crate) async fn sender_in_tx(tx: &mut portico_store::Tx, company_id: i64) -> Result<CompanySender, AppError> {
    let company = companies::get(&mut **tx, company_id).await?;
    let settings = companies::settings(&mut **tx, company_id).await?;
    let host = companies::domains(&mut **tx, company_id).await?.into_iter().next().map(|d| d.host);
    let (from_addr, from_name) = mail::sender(&settings, &company, host.as_deref().unwrap_or_default());
    Ok(CompanySender { company, settings, from_addr, from_name, host })
}

/// E-mail staff that a task was completed: the staff member who assigned it
/// (when still active), else the company's from address. `link` is a full
/// URL to the contact in the console when known.
pub(crate) async fn notify_staff_completed(
    tx: &mut portico_store::Tx,
    task: &Task,
    how: &str,
    link: Option<&str>,
) -> Result<(), AppError> {
    let sender = sender_in_tx(tx, task.company_id).await?;
    let contact =
        portico_store::people::contact(&mut **tx, task.company_id, task.contact_id).await?.ok_or(AppError::NotFound)?;
    let mut to = sender.from_addr.clone();
    if let Some(staff_id) = task.assigned_by
        && let Some(s) = portico_store::people::staff_user(&mut **tx, task.company_id, staff_id).await?
        && s.active
    {
        to = s.email;
    }
    let name = format!("{} {}", contact.first_name, contact.last_name);
    let where_ = match link {
        Some(l) => format!("Open the contact in the staff console:\n{l}"),
        None => format!("Open {name} (customer {}) in the staff console to see it.", contact.customer_number),
    };
    let text = format!(
        "{name} (customer {}) completed the task \"{}\" {how}.\n\n{where_}",
        contact.customer_number, task.title
    );
    mail::enqueue(
        &mut **tx,
        &Outgoing {
            company_id: task.company_id,
            kind: "task_completed",
            to: &to,
            from: sender.from(),
            subject: &format!("Task completed by {name}: {}", task.title.replace(['\r', '\n'], " ")),
            text: &text,
        },
    )
    .await?;
    Ok(())
}

/// A document of `document_type_id` was uploaded for a customer: complete
/// that customer's open "upload a document of this type" tasks, in the
/// uploader's transaction, notify staff and audit each completion.
///
/// Called by the documents use case inside its upload transaction (for
/// uploads by the customer and by staff alike).
pub async fn on_document_uploaded(
    tx: &mut portico_store::Tx,
    company_id: i64,
    contact_id: i64,
    document_type_id: i64,
    document_id: i64,
) -> Result<(), AppError> {
    let open = st::open_upload_tasks(&mut **tx, company_id, contact_id, document_type_id).await?;
    for task in open {
        if st::complete(&mut **tx, company_id, task.id, CompletedBy::Upload, None, Some(document_id), now()).await? {
            audit_store::record(
                &mut **tx,
                &Entry {
                    company_id,
                    actor_kind: portico_domain::codes::ActorKind::System,
                    staff_user_id: None,
                    portal_user_id: None,
                    contact_id: Some(contact_id),
                    action: Action::TaskComplete,
                    detail: &crate::audit::clean(&format!(
                        "task #{} \"{}\" completed by the upload of document #{document_id}",
                        task.id, task.title
                    )),
                    ip: "",
                },
                now(),
            )
            .await?;
            notify_staff_completed(tx, &task, "by uploading a document", None).await?;
            let data = serde_json::json!({ "task_id": task.id, "contact_id": contact_id, "completed_by": "upload" });
            crate::webhooks::emit(tx, company_id, "task.completed", data).await?;
        }
    }
    Ok(())
}

/// A task with the name of its document type (upload tasks).
#[derive(Debug, Clone)]
pub struct TaskView {
    pub task: Task,
    pub completion: Completion,
    pub document_type: Option<String>,
}

impl TaskView {
    fn new(task: Task, document_type: Option<String>) -> TaskView {
        TaskView { completion: task.completion, document_type, task }
    }
}

async fn views(app: &App, company_id: i64, tasks: Vec<Task>) -> Result<Vec<TaskView>, AppError> {
    let types = if tasks.iter().any(|t| t.document_type_id.is_some()) {
        documents::types(app.db.r(), company_id).await?
    } else {
        Vec::new()
    };
    Ok(tasks
        .into_iter()
        .map(|task| {
            let name = task.document_type_id.and_then(|id| types.iter().find(|t| t.id == id)).map(|t| t.name.clone());
            TaskView::new(task, name)
        })
        .collect())
}

/// The customer's tasks, open ones first.
pub async fn for_customer(app: &App, c: &Customer) -> Result<Vec<TaskView>, AppError> {
    let tasks = st::for_contact(app.db.r(), c.company_id, c.contact.id).await?;
    views(app, c.company_id, tasks).await
}

/// The live-update fingerprint of a contact's activity
/// (`store::messages::CONTACT_ACTIVITY`).
fn activity_key((a, b, t, u): (i64, i64, i64, i64)) -> String {
    format!("{a}.{b}.{t}.{u}")
}

/// The customer's live-update fingerprint, read now (the polling fragments).
pub async fn fingerprint(app: &App, c: &Customer) -> Result<String, AppError> {
    Ok(activity_key(portico_store::messages::contact_activity(app.db.r(), c.company_id, c.contact.id).await?))
}

/// What the dashboard shows below its figures: the open tasks (when the
/// Tasks section is on), their live fingerprint, and the latest
/// `notes_limit` "Customer Portal" notes. One statement.
pub struct DashboardExtras {
    pub tasks: Vec<TaskView>,
    pub fingerprint: String,
    pub notes: Vec<st::DashboardNote>,
}

pub async fn dashboard(app: &App, c: &Customer, tasks_on: bool, notes_limit: i64) -> Result<DashboardExtras, AppError> {
    dashboard_on(&mut *app.read_conn().await?, c, tasks_on, notes_limit).await
}

/// [`dashboard`] on a connection the caller holds.
pub async fn dashboard_on(
    conn: &mut crate::Conn,
    c: &Customer,
    tasks_on: bool,
    notes_limit: i64,
) -> Result<DashboardExtras, AppError> {
    let rows = st::dashboard(conn, c.company_id, c.contact.id, tasks_on, notes_limit).await?;
    Ok(DashboardExtras {
        tasks: rows.tasks.into_iter().map(|(task, document_type)| TaskView::new(task, document_type)).collect(),
        fingerprint: activity_key(rows.activity),
        notes: rows.notes,
    })
}

/// A contact's tasks, for staff.
pub async fn for_contact(app: &App, s: &Staff, contact_id: i64) -> Result<Vec<TaskView>, AppError> {
    let tasks = st::for_contact(app.db.r(), s.company_id, contact_id).await?;
    views(app, s.company_id, tasks).await
}

/// The customer acknowledges a task. Someone else's task is `NotFound`; an
/// Agent is refused (and the refusal audited); a task completed another way
/// is refused with a message; completing twice is harmless.
pub async fn complete(app: &App, c: &Customer, task_id: i64, origin: &Origin) -> Result<(), AppError> {
    let task = st::get_for_contact(app.db.r(), c.company_id, c.contact.id, task_id).await?.ok_or(AppError::NotFound)?;
    if c.is_agent() {
        audit::portal(
            app.db.w(),
            c,
            origin,
            Action::AccessRefused,
            &format!("agent tried to complete task #{task_id}"),
        )
        .await?;
        return Err(AppError::Forbidden("Agents can view tasks but not complete them for the customer.".into()));
    }
    if task.done() {
        return Ok(());
    }
    match task.completion {
        Completion::Acknowledge => {}
        Completion::Upload => {
            return Err(AppError::Conflict(
                "This task is completed by uploading the requested document in Documents.".into(),
            ));
        }
        Completion::Staff => {
            return Err(AppError::Conflict("This task is confirmed by our staff once they have checked it.".into()));
        }
    }
    let link = notify::console_link(app, c.company_id, &format!("/staff/contacts/{}", c.contact.id)).await?;
    let mut tx = app.db.begin().await?;
    if st::complete(&mut *tx, c.company_id, task.id, CompletedBy::Customer, None, None, now()).await? {
        audit::portal(&mut *tx, c, origin, Action::TaskComplete, &format!("task #{} \"{}\"", task.id, task.title))
            .await?;
        notify_staff_completed(&mut tx, &task, "in the portal", Some(&link)).await?;
        let data = serde_json::json!({ "task_id": task.id, "contact_id": c.contact.id, "completed_by": "customer" });
        crate::webhooks::emit(&mut tx, c.company_id, "task.completed", data).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What staff type to assign a task.
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub title: String,
    pub instructions: String,
    pub due_on: String,
    pub completion: String,
    pub document_type_id: String,
}

/// Task fields after checking.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Checked {
    title: String,
    instructions: String,
    due_on: Option<String>,
    completion: Completion,
    type_id: Option<i64>,
}

fn check(app_types: &[documents::DocumentType], f: &TaskInput) -> Result<Checked, AppError> {
    let mut e = FieldErrors::new();
    let title = match validate::line(&f.title, 200) {
        Ok(t) if t.is_empty() => {
            e.add("title", "Enter a title, for example \"Upload proof of income\".");
            t
        }
        Ok(t) => t,
        Err(m) => {
            e.add("title", m);
            String::new()
        }
    };
    let instructions = validate::text(&f.instructions, 4000).unwrap_or_else(|m| {
        e.add("instructions", m);
        String::new()
    });
    let due_on = if f.due_on.trim().is_empty() {
        None
    } else {
        match validate::date(&f.due_on) {
            Some(d) if d < crate::accounts::today() => {
                e.add("due_on", "The due date can't be in the past.");
                None
            }
            Some(d) => Some(validate::iso_date(d)),
            None => {
                e.add("due_on", "Enter the date as YYYY-MM-DD, for example 2030-01-31.");
                None
            }
        }
    };
    let completion = Completion::from_code(&f.completion);
    if completion.is_none() {
        e.add("completion", "Choose how the task is completed.");
    }
    let mut type_id = None;
    if completion == Some(Completion::Upload) {
        match f.document_type_id.trim().parse::<i64>().ok().and_then(|id| app_types.iter().find(|t| t.id == id)) {
            None => e.add("document_type_id", "Choose the type of document the customer should upload."),
            Some(t) if !t.visible || !t.customer_upload => e.add(
                "document_type_id",
                format!(
                    "Customers can't upload into \"{}\". Allow customer uploads for it under Document types first.",
                    t.name
                ),
            ),
            Some(t) => type_id = Some(t.id),
        }
    }
    e.into_result()?;
    Ok(Checked { title, instructions, due_on, completion: completion.unwrap_or(Completion::Staff), type_id })
}

/// Staff assign a task to a contact; the customer is notified (Tasks topic).
pub async fn assign(app: &App, s: &Staff, contact_id: i64, f: &TaskInput, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    let contact =
        portico_store::people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let types = documents::types(app.db.r(), s.company_id).await?;
    let Checked { title, instructions, due_on, completion, type_id } = check(&types, f)?;
    let link = notify::portal_link(app, s.company_id, "/tasks").await?;
    let company = CompanySender::load(app, s.company_id).await?;
    let due_text = due_on.as_deref().map(|d| format!(" It is due on {d}.")).unwrap_or_default();
    let text = format!(
        "Hello {},\n\n{} has given you a new task in your customer portal: \"{title}\".{due_text}\n\n\
         Sign in to see the details and complete it:\n{link}",
        contact.first_name, company.company.name
    );
    let mut tx = app.db.begin().await?;
    let id = st::insert(
        &mut *tx,
        s.company_id,
        &st::NewTask {
            contact_id,
            title: &title,
            instructions: &instructions,
            due_on: due_on.as_deref(),
            completion,
            document_type_id: type_id,
            assigned_by: Some(s.user.id),
        },
        now(),
    )
    .await?;
    audit::staff(&mut *tx, s, origin, Action::TaskAssign, Some(contact_id), &format!("task #{id} \"{title}\"")).await?;
    notify::notify(&mut tx, app, s.company_id, contact_id, Topic::Tasks, "You have a new task", &text).await?;
    tx.commit().await?;
    Ok(id)
}

/// Staff confirm (complete) a task of any kind.
pub async fn confirm(app: &App, s: &Staff, task_id: i64, origin: &Origin) -> Result<Task, AppError> {
    let task = st::get(app.db.r(), s.company_id, task_id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let mut tx = app.db.begin().await?;
    if st::complete(&mut *tx, s.company_id, task.id, CompletedBy::Staff, Some(s.user.id), None, now()).await? {
        audit::staff(
            &mut *tx,
            s,
            origin,
            Action::TaskConfirm,
            Some(task.contact_id),
            &format!("task #{} \"{}\"", task.id, task.title),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(task)
}

pub async fn reopen(app: &App, s: &Staff, task_id: i64, origin: &Origin) -> Result<Task, AppError> {
    let task = st::get(app.db.r(), s.company_id, task_id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let mut tx = app.db.begin().await?;
    if st::reopen(&mut *tx, s.company_id, task.id, now()).await? {
        audit::staff(
            &mut *tx,
            s,
            origin,
            Action::TaskReopen,
            Some(task.contact_id),
            &format!("task #{} \"{}\"", task.id, task.title),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(task)
}

pub async fn delete(app: &App, s: &Staff, task_id: i64, origin: &Origin) -> Result<Task, AppError> {
    let task = st::get(app.db.r(), s.company_id, task_id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let mut tx = app.db.begin().await?;
    if st::delete(&mut *tx, s.company_id, task.id).await? {
        audit::staff(
            &mut *tx,
            s,
            origin,
            Action::TaskDelete,
            Some(task.contact_id),
            &format!("task #{} \"{}\"", task.id, task.title),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(task)
}

/// A task of this company, for staff (404 for another company's id).
pub async fn get(app: &App, s: &Staff, task_id: i64) -> Result<Task, AppError> {
    st::get(app.db.r(), s.company_id, task_id).await?.ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(id: i64, upload: bool) -> documents::DocumentType {
        documents::DocumentType {
            id,
            company_id: 1,
            name: format!("T{id}"),
            position: 0,
            visible: true,
            customer_upload: upload,
            customer_download: true,
            required_at_onboarding: false,
            agent_download: false,
            created_at: 0,
        }
    }

    #[test]
    fn task_input_is_checked() {
        let types = [ty(1, true), ty(2, false)];
        let ok = TaskInput { title: " Sign ".into(), completion: "acknowledge".into(), ..Default::default() };
        let c = check(&types, &ok).unwrap();
        assert_eq!(
            (c.title.as_str(), c.due_on, c.completion, c.type_id),
            ("Sign", None, Completion::Acknowledge, None)
        );

        let bad =
            TaskInput { title: "".into(), due_on: "2001-01-01".into(), completion: "x".into(), ..Default::default() };
        let Err(AppError::Invalid(e)) = check(&types, &bad) else { panic!() };
        assert!(e.get("title").is_some() && e.get("due_on").is_some() && e.get("completion").is_some());

        let upload = |id: &str| TaskInput {
            title: "Upload".into(),
            completion: "upload".into(),
            document_type_id: id.into(),
            ..Default::default()
        };
        assert_eq!(check(&types, &upload("1")).unwrap().type_id, Some(1));
        assert!(check(&types, &upload("2")).is_err(), "type without customer uploads");
        assert!(check(&types, &upload("99")).is_err(), "unknown type");
    }
}
