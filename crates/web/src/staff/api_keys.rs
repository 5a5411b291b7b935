//! Settings → API keys (administrators): create (the key is shown once),
//! list, revoke.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::api_keys::{self, KeyInput};
use portico_app::{AppError, FieldErrors};
use portico_domain::codes::ApiScope;
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
    pub scopes: String,
    pub limit: String,
    pub expires: String,
    pub revoked: bool,
    pub expired: bool,
}

#[derive(Template)]
#[template(path = "staff/settings_api.html")]
struct KeysPage {
    p: Page,
    tab: &'static str,
    rows: Vec<KeyRow>,
    new_key: Option<String>,
    input: KeyInput,
    /// (code, label, ticked)
    scopes: Vec<(&'static str, &'static str, bool)>,
    errors: FieldErrors,
}

async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    s: &portico_app::auth::Staff,
    csrf: &str,
    notice: Option<Notice>,
    new_key: Option<String>,
    input: KeyInput,
    errors: FieldErrors,
) -> WebResult<String> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let rows = api_keys::list(&state.app, s)
        .await?
        .into_iter()
        .map(|k| KeyRow {
            id: k.id,
            name: k.name,
            prefix: format!("pk_{}_…", k.prefix),
            created: when(Some(k.created_at)),
            last_used: if k.last_used_at.is_some() { when(k.last_used_at) } else { "Never".into() },
            scopes: api_keys::parse_scopes(&k.scopes).iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
            limit: format!("{}/min", k.rate_per_minute),
            expires: if k.expires_at.is_some() { when(k.expires_at) } else { "Never".into() },
            revoked: k.revoked_at.is_some(),
            expired: k.expires_at.is_some_and(|t| t <= now),
        })
        .collect();
    let t = KeysPage {
        p: staff_page(tenant, s, "API keys", "settings", csrf).with_notice(notice),
        tab: "api",
        rows,
        new_key,
        scopes: ApiScope::ALL
            .iter()
            .map(|c| (c.code(), c.label(), input.scopes.iter().any(|x| x == c.code())))
            .collect(),
        input,
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
    // A new key reads by default; the rest are ticked as needed.
    let input = KeyInput { scopes: vec![ApiScope::Read.code().into()], ..KeyInput::default() };
    Ok(Html(render(&state, &tenant, &s, &csrf, notice, None, input, FieldErrors::new()).await?).into_response())
}

#[derive(Deserialize, Default)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    expires_in_days: String,
    #[serde(default)]
    rate_per_minute: String,
}

pub async fn create(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<CreateForm>,
) -> WebResult {
    let input = KeyInput {
        name: f.name,
        scopes: f.scopes,
        expires_in_days: f.expires_in_days,
        rate_per_minute: f.rate_per_minute,
    };
    match api_keys::create(&state.app, &s, &input, &origin).await {
        // Shown in this response only (pages are no-store).
        Ok(key) => {
            let fresh = KeyInput { scopes: vec![ApiScope::Read.code().into()], ..KeyInput::default() };
            Ok(Html(render(&state, &tenant, &s, &csrf, None, Some(key), fresh, FieldErrors::new()).await?)
                .into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let html = render(&state, &tenant, &s, &csrf, None, None, input, errors).await?;
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
