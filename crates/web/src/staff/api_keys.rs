//! Settings → API keys (administrators): create (the key is shown once),
//! list, revoke.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::{AppError, FieldErrors, api_keys};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Form, Notice, Page, when};
use crate::staff::staff_page;
use crate::state::AppState;

pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "staff/settings_api.html")]
struct KeysPage {
    p: Page,
    tab: &'static str,
    rows: Vec<KeyRow>,
    new_key: Option<String>,
    key_name: String,
    errors: FieldErrors,
}

async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    s: &portico_app::auth::Staff,
    csrf: &str,
    notice: Option<Notice>,
    new_key: Option<String>,
    name: String,
    errors: FieldErrors,
) -> WebResult<String> {
    let rows = api_keys::list(&state.app, s)
        .await?
        .into_iter()
        .map(|k| KeyRow {
            id: k.id,
            name: k.name,
            prefix: format!("pk_{}_…", k.prefix),
            created: when(Some(k.created_at)),
            last_used: if k.last_used_at.is_some() { when(k.last_used_at) } else { "Never".into() },
            revoked: k.revoked_at.is_some(),
        })
        .collect();
    let t = KeysPage {
        p: staff_page(tenant, s, "API keys", "settings", csrf).with_notice(notice),
        tab: "api",
        rows,
        new_key,
        key_name: name,
        errors,
    };
    Ok(t.render()?)
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let notice = match q.m.as_deref() {
        Some("revoked") => Some(Notice::success("The key is revoked; requests with it are refused from now on.")),
        _ => None,
    };
    Ok(Html(render(&state, &tenant, &s, &csrf, notice, None, String::new(), FieldErrors::new()).await?).into_response())
}

#[derive(Deserialize, Default)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<CreateForm>,
) -> WebResult {
    match api_keys::create(&state.app, &s, &f.name, &origin).await {
        // Shown in this response only (pages are no-store).
        Ok(key) => {
            Ok(Html(render(&state, &tenant, &s, &csrf, None, Some(key), String::new(), FieldErrors::new()).await?)
                .into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let html = render(&state, &tenant, &s, &csrf, None, None, f.name, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    api_keys::revoke(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to("/staff/settings/api?m=revoked").into_response())
}
