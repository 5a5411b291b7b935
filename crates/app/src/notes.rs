//! Servicer notes (seed 001): staff write notes on a contact with a type;
//! only notes of the type "Customer Portal" appear in the portal.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_domain::validate;
use portico_store::notes::{self as st, Note, PORTAL_TYPE};

use crate::auth::Staff;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// The note types staff choose from. "Customer Portal" is the one customers see.
pub const TYPES: [&str; 5] = ["General", "Call", "Collections", "Internal", PORTAL_TYPE];

pub async fn for_contact(app: &App, s: &Staff, contact_id: i64) -> Result<Vec<Note>, AppError> {
    Ok(st::for_contact(app.db.r(), s.company_id, contact_id).await?)
}

/// Add a note; returns its id.
pub async fn add(
    app: &App,
    s: &Staff,
    contact_id: i64,
    note_type: &str,
    body: &str,
    origin: &Origin,
) -> Result<i64, AppError> {
    s.require(Permission::ServiceCustomers)?;
    portico_store::people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let mut e = FieldErrors::new();
    let Some(ty) = TYPES.iter().find(|t| **t == note_type) else {
        e.add("note_type", "Choose a note type.");
        return Err(AppError::Invalid(e));
    };
    let body = match validate::text(body, 4000) {
        Ok(b) if b.is_empty() => {
            e.add("body", "Write the note.");
            b
        }
        Ok(b) => b,
        Err(m) => {
            e.add("body", m);
            String::new()
        }
    };
    e.into_result()?;
    let mut tx = app.db.begin().await?;
    let id = st::insert(&mut *tx, s.company_id, contact_id, ty, &body, Some(s.user.id), now()).await?;
    audit::staff(&mut *tx, s, origin, Action::NoteAdd, Some(contact_id), &format!("note #{id} ({ty})")).await?;
    tx.commit().await?;
    Ok(id)
}

/// Delete a note of this company; returns its contact id.
pub async fn delete(app: &App, s: &Staff, note_id: i64, origin: &Origin) -> Result<i64, AppError> {
    let note = st::get(app.db.r(), s.company_id, note_id).await?.ok_or(AppError::NotFound)?;
    s.require(Permission::ServiceCustomers)?;
    let mut tx = app.db.begin().await?;
    if st::delete(&mut *tx, s.company_id, note.id).await? {
        audit::staff(
            &mut *tx,
            s,
            origin,
            Action::NoteDelete,
            Some(note.contact_id),
            &format!("note #{} ({})", note.id, note.note_type),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(note.contact_id)
}
