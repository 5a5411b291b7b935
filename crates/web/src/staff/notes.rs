//! Servicer notes on a contact (seed 001): add (from the contact page or
//! this page), list, delete. "Customer Portal" notes show in the portal.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::{AppError, FieldErrors, notes};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page};
use crate::staff::staff_page;
use crate::staff::tasks::{NoteRow, note_rows};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff/notes.html")]
struct NotesPage {
    p: Page,
    contact_id: i64,
    contact: String,
    can_act: bool,
    note_types: Vec<&'static str>,
    note_type: String,
    body: String,
    notes: Vec<NoteRow>,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    note_type: String,
    #[serde(default)]
    body: String,
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    contact_id: i64,
    f: NoteForm,
    errors: FieldErrors,
    notice: Option<Notice>,
) -> WebResult<String> {
    let c = portico_app::console::contact(&state.app, s, contact_id).await?;
    let t = NotesPage {
        p: staff_page(tenant, s, "Servicer notes", "contacts", csrf).with_notice(notice),
        contact_id,
        contact: format!("{} {}", c.first_name, c.last_name),
        can_act: s.role.allows(Permission::ServiceCustomers),
        note_types: notes::TYPES.to_vec(),
        note_type: if f.note_type.is_empty() { "General".into() } else { f.note_type },
        body: f.body,
        notes: note_rows(notes::for_contact(&state.app, s, contact_id).await?),
        errors,
    };
    Ok(t.render()?)
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let notice = match q.m.as_deref() {
        Some("note-deleted") => Some(Notice::success("Note deleted.")),
        other => Notice::from_code(other),
    };
    Ok(Html(render(&state, &tenant, &s, &csrf, id, NoteForm::default(), FieldErrors::new(), notice).await?)
        .into_response())
}

pub async fn add(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<NoteForm>,
) -> WebResult {
    match notes::add(&state.app, &s, id, &f.note_type, &f.body, &origin).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/contacts/{id}?m=note-added#notes-title")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render(&state, &tenant, &s, &csrf, id, f, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    let contact_id = notes::delete(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/contacts/{contact_id}/notes?m=note-deleted")).into_response())
}
