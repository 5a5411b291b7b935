//! Staff permission groups (seed 002: a group whose members are hidden from
//! customers), the team a company connects to a customer, and whether
//! "Send a request" is also kept as a conversation (seed 001).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::{AppError, FieldErrors, messages};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, Ids, OriginCtx, StaffCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, Page};
use crate::staff::staff_page;
use crate::state::AppState;

// ---------------------------------------------------------------- team (contact page)

#[derive(Deserialize, Default)]
pub struct TeamForm {
    #[serde(default)]
    staff_user_id: String,
}

pub async fn add_team(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<TeamForm>,
) -> WebResult {
    let staff_id = f.staff_user_id.parse::<i64>().map_err(|_| WebError::BadRequest("Choose a staff member.".into()))?;
    messages::add_to_team(&state.app, &s, id, staff_id, &origin).await.map_err(|e| match e {
        AppError::Invalid(f) => WebError::BadRequest(f.0.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ")),
        e => e.into(),
    })?;
    Ok(Redirect::to(&format!("/staff/contacts/{id}?m=team-added#team-title")).into_response())
}

pub async fn remove_team(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Ids(id, staff_id): Ids,
) -> WebResult {
    messages::remove_from_team(&state.app, &s, id, staff_id, &origin).await?;
    Ok(Redirect::to(&format!("/staff/contacts/{id}?m=team-removed#team-title")).into_response())
}

// ---------------------------------------------------------------- groups

pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub hidden: bool,
    /// (staff id, name, member)
    pub staff: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "staff/inbox_groups.html")]
struct GroupsPage {
    p: Page,
    groups: Vec<GroupRow>,
    requests_kept: bool,
    group_name: String,
    hidden: bool,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

fn notice(code: Option<&str>) -> Option<Notice> {
    Some(match code? {
        "group-created" => Notice::success("Group created. Add staff members to it below."),
        "group-updated" => Notice::success("Group updated."),
        "group-deleted" => Notice::success("Group deleted."),
        "requests-saved" => Notice::success("Saved."),
        other => return Notice::from_code(Some(other)),
    })
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    name: String,
    hidden: bool,
    errors: FieldErrors,
) -> WebResult<String> {
    s.require(Permission::ManageSettings)?;
    let (groups, members) = messages::groups(&state.app, s).await?;
    let staff = portico_app::console::staff_members(&state.app, s).await?;
    let groups = groups
        .into_iter()
        .map(|g| GroupRow {
            staff: staff.iter().map(|u| (u.id, u.name.clone(), members.contains(&(g.id, u.id)))).collect(),
            id: g.id,
            name: g.name,
            hidden: g.hidden_from_customers,
        })
        .collect();
    let t = GroupsPage {
        p: staff_page(tenant, s, "Staff groups and messaging", "groups", csrf).with_notice(notice),
        groups,
        requests_kept: messages::requests_as_conversations(&state.app, s.company_id).await?,
        group_name: name,
        hidden,
        errors,
    };
    Ok(t.render()?)
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let html =
        render(&state, &tenant, &s, &csrf, notice(q.m.as_deref()), String::new(), true, FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

#[derive(Deserialize, Default)]
pub struct GroupForm {
    #[serde(default)]
    name: String,
    hidden: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<GroupForm>,
) -> WebResult {
    let hidden = f.hidden.as_deref() == Some("1");
    match messages::create_group(&state.app, &s, &f.name, hidden, &origin).await {
        Ok(_) => Ok(Redirect::to("/staff/groups?m=group-created").into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = render(&state, &tenant, &s, &csrf, None, f.name, hidden, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct GroupUpdate {
    hidden: Option<String>,
    /// Staff ids that should be members (checkboxes).
    #[serde(default)]
    member: Vec<String>,
}

/// Save a group's "hidden" flag and its members in one form.
pub async fn update(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<GroupUpdate>,
) -> WebResult {
    let (groups, members) = messages::groups(&state.app, &s).await?;
    let g = groups.into_iter().find(|g| g.id == id).ok_or(WebError::NotFound)?;
    let hidden = f.hidden.as_deref() == Some("1");
    if hidden != g.hidden_from_customers {
        messages::set_group_hidden(&state.app, &s, id, hidden, &origin).await?;
    }
    let wanted: Vec<i64> = f.member.iter().filter_map(|m| m.parse().ok()).collect();
    let staff = portico_app::console::staff_members(&state.app, &s).await?;
    for u in staff {
        let is = members.contains(&(id, u.id));
        let want = wanted.contains(&u.id);
        if is != want {
            messages::set_member(&state.app, &s, id, u.id, want, &origin).await?;
        }
    }
    Ok(Redirect::to("/staff/groups?m=group-updated").into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    messages::delete_group(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to("/staff/groups?m=group-deleted").into_response())
}

#[derive(Deserialize, Default)]
pub struct RequestsForm {
    keep: Option<String>,
}

pub async fn save_requests(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Form(f): Form<RequestsForm>,
) -> WebResult {
    messages::set_requests_as_conversations(&state.app, &s, f.keep.as_deref() == Some("1"), &origin).await?;
    Ok(Redirect::to("/staff/groups?m=requests-saved").into_response())
}
