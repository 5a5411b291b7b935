//! Documents in the console: a contact's documents (download, exclude from
//! the portal, upload for the customer), the Documents panel of the contact
//! page, and the "Documents" tab of Portal settings (document types and the
//! company's document settings).

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::console::{Document, DocumentType};
use portico_app::documents::{self as docs, TypeInput, UploadChoice};
use portico_app::{AppError, FieldErrors};
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::WebResult;
use crate::layers::CsrfSeed;
use crate::page::{Form, Notice, Page, when};
use crate::portal::library::{
    Choice, document_response, read_upload, refused_errors, upload_done, upload_refused_json, wants_json,
};
use crate::staff::staff_page;
use crate::state::AppState;

pub struct StaffDocRow {
    pub id: i64,
    pub name: String,
    pub type_name: String,
    pub account: String,
    pub account_id: Option<i64>,
    pub added: String,
    pub size: String,
    pub by: String,
    pub esigned: bool,
    pub excluded: bool,
    /// Customers see it (visible type, not excluded, account not hidden,
    /// and e-signed when the company shows only e-signed documents).
    pub in_portal: bool,
}

fn staff_row(d: &Document, esigned_only: bool) -> StaffDocRow {
    StaffDocRow {
        id: d.id,
        name: d.name.clone(),
        type_name: d.type_name.clone(),
        account: d.account_number.clone().unwrap_or_default(),
        account_id: d.account_id,
        added: when(Some(d.created_at)),
        size: docs::human_size(d.size_bytes),
        by: match d.uploaded_by.as_str() {
            "customer" => "Customer".into(),
            "staff" => d.staff_name.clone().unwrap_or_else(|| "Staff".into()),
            _ => "Imported".into(),
        },
        esigned: d.esigned,
        excluded: d.excluded,
        in_portal: d.type_visible
            && !d.excluded
            && !d.account_hidden
            && (!esigned_only || d.esigned || d.uploaded_by == "customer"),
    }
}

/// The contact page's Documents panel: the latest documents.
pub struct Panel {
    pub rows: Vec<StaffDocRow>,
    pub total: usize,
}

/// Rows for the contact page (called by `contacts::show`).
pub async fn panel(state: &AppState, s: &Staff, contact_id: i64) -> WebResult<Panel> {
    let list = docs::for_staff(&state.app, s, contact_id).await?;
    let settings = docs::settings(&state.app, s.company_id).await?;
    let total = list.len();
    Ok(Panel { rows: list.iter().take(8).map(|d| staff_row(d, settings.esigned_only)).collect(), total })
}

pub struct StaffUpload {
    pub types: Vec<Choice>,
    pub accounts: Vec<Choice>,
    pub esigned: bool,
    pub errors: FieldErrors,
    pub limit: String,
    pub allowed: &'static str,
}

#[derive(Template)]
#[template(path = "staff/documents.html")]
struct ContactDocsPage {
    p: Page,
    contact_id: i64,
    name: String,
    rows: Vec<StaffDocRow>,
    upload: Option<StaffUpload>,
    esigned_only: bool,
    has_types: bool,
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn render_contact_docs(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    contact_id: i64,
    notice: Option<Notice>,
    sel: (Option<i64>, Option<i64>, bool),
    errors: FieldErrors,
) -> WebResult<String> {
    let list = docs::for_staff(&state.app, s, contact_id).await?;
    let contact = portico_app::console::contact(&state.app, s, contact_id).await?;
    let settings = docs::settings(&state.app, s.company_id).await?;
    let types = portico_app::console::document_types(&state.app, s).await?;
    let accounts = portico_app::console::contact_accounts(&state.app, s, contact_id).await?;
    let upload = if s.role.allows(Permission::ServiceCustomers) && !types.is_empty() {
        let limit = docs::upload_limit(&state.app, s.company_id).await?;
        Some(StaffUpload {
            types: types
                .iter()
                .map(|t| Choice {
                    value: t.id.to_string(),
                    label: if t.visible { t.name.clone() } else { format!("{} (staff only)", t.name) },
                    selected: Some(t.id) == sel.0,
                })
                .collect(),
            accounts: accounts
                .iter()
                .map(|a| Choice {
                    value: a.account.id.to_string(),
                    label: a.account.number.clone(),
                    selected: Some(a.account.id) == sel.1,
                })
                .collect(),
            esigned: sel.2,
            errors,
            limit: docs::human_size(limit),
            allowed: docs::ALLOWED_TEXT,
        })
    } else {
        None
    };
    let name = format!("{} {}", contact.first_name, contact.last_name);
    let t = ContactDocsPage {
        p: staff_page(tenant, s, &format!("Documents of {name}"), "contacts", csrf).with_notice(notice),
        contact_id,
        name,
        rows: list.iter().map(|d| staff_row(d, settings.esigned_only)).collect(),
        upload,
        esigned_only: settings.esigned_only,
        has_types: !types.is_empty(),
    };
    Ok(t.render()?)
}

pub async fn contact_documents(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let notice = Notice::from_code(q.m.as_deref());
    let html =
        render_contact_docs(&state, &tenant, &s, &csrf, id, notice, (None, None, false), FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

/// Staff upload for a customer (multipart, streamed).
#[allow(clippy::too_many_arguments)]
pub async fn upload(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    seed: Option<axum::Extension<CsrfSeed>>,
    Id(contact_id): Id,
    mut mp: Multipart,
) -> WebResult {
    // Role and contact checked before any byte is stored.
    docs::check_staff_may_upload(&state.app, &s, contact_id).await?;
    let limit = docs::upload_limit(&state.app, s.company_id).await?;
    let form = read_upload(&state, &headers, seed.as_ref().map(|e| &e.0), &mut mp, s.company_id, limit).await?;
    let choice = UploadChoice {
        type_id: form.field("type_id"),
        account_id: form.field("account_id"),
        esigned: !form.field("esigned").is_empty(),
    };
    let sel = (choice.type_id.parse().ok(), choice.account_id.parse().ok(), choice.esigned);
    let result = if form.refused.is_empty() {
        let n = form.staged.len();
        match docs::staff_upload(&state.app, &s, contact_id, &choice, form.staged, &origin).await {
            Ok(_) => Ok(n),
            Err(AppError::Invalid(e)) => Err(e),
            Err(e) => return Err(e.into()),
        }
    } else {
        Err(refused_errors(&form.refused))
    };
    match result {
        Ok(n) => {
            let code = if n == 1 { "document-uploaded" } else { "documents-uploaded" };
            Ok(upload_done(&headers, &format!("/staff/contacts/{contact_id}/documents?m={code}")))
        }
        Err(errors) if wants_json(&headers) => Ok(upload_refused_json(&errors)),
        Err(errors) => {
            let n = Some(Notice::error("Nothing was uploaded. See the message below."));
            let html = render_contact_docs(&state, &tenant, &s, &csrf, contact_id, n, sel, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    }
}

pub async fn download(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    let d = docs::staff_download(&state.app, &s, id, &origin).await?;
    document_response(&state, &d, false).await
}

async fn exclusion(state: &AppState, s: &Staff, origin: &portico_app::Origin, id: i64, excluded: bool) -> WebResult {
    let d = docs::set_excluded(&state.app, s, id, excluded, origin).await?;
    let code = if excluded { "document-excluded" } else { "document-included" };
    Ok(Redirect::to(&format!("/staff/contacts/{}/documents?m={code}", d.contact_id)).into_response())
}

pub async fn exclude(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(raw): Id,
) -> WebResult {
    exclusion(&state, &s, &origin, raw, true).await
}

pub async fn include(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(raw): Id,
) -> WebResult {
    exclusion(&state, &s, &origin, raw, false).await
}

// ------------------------------------------------------------- settings tab

/// A type's edit form: stored values, or what was typed when refused.
pub struct TypeRow {
    pub id: i64,
    pub f: TypeInput,
    pub count: i64,
    pub errors: FieldErrors,
}

fn input_of(t: &DocumentType) -> TypeInput {
    TypeInput {
        name: t.name.clone(),
        visible: t.visible,
        customer_upload: t.customer_upload,
        customer_download: t.customer_download,
        required_at_onboarding: t.required_at_onboarding,
        agent_download: t.agent_download,
    }
}

#[derive(Template)]
#[template(path = "staff/documents_settings.html")]
struct SettingsPage {
    p: Page,
    tab: &'static str,
    types: Vec<TypeRow>,
    max_upload_mb: String,
    max_hint: String,
    esigned_only: bool,
    ask_statement_delivery: bool,
    settings_errors: FieldErrors,
    new_type: TypeInput,
    type_errors: FieldErrors,
}

struct SettingsState {
    input: Option<docs::SettingsInput>,
    settings_errors: FieldErrors,
    new_type: TypeInput,
    type_errors: FieldErrors,
    edit: Option<(i64, TypeInput, FieldErrors)>,
}

impl Default for SettingsState {
    fn default() -> Self {
        SettingsState {
            input: None,
            settings_errors: FieldErrors::new(),
            new_type: TypeInput { visible: true, customer_download: true, ..TypeInput::default() },
            type_errors: FieldErrors::new(),
            edit: None,
        }
    }
}

async fn render_settings(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    st: SettingsState,
) -> WebResult<String> {
    s.require(Permission::ManageSettings)?;
    let p = staff_page(tenant, s, "Portal settings", "settings", csrf).with_notice(notice);
    let stored = docs::settings(&state.app, s.company_id).await?;
    let mut types = Vec::new();
    let mut edit = st.edit;
    for (t, count) in portico_app::console::document_types_with_counts(&state.app, s).await? {
        let row = match edit.take() {
            Some((id, f, errors)) if id == t.id => TypeRow { id, f, count, errors },
            other => {
                edit = other;
                TypeRow { id: t.id, f: input_of(&t), count, errors: FieldErrors::new() }
            }
        };
        types.push(row);
    }
    let input = st.input.unwrap_or_else(|| docs::SettingsInput {
        max_upload_mb: (stored.max_upload_bytes / (1024 * 1024)).to_string(),
        esigned_only: stored.esigned_only,
        ask_statement_delivery: stored.ask_statement_delivery,
    });
    let t = SettingsPage {
        p,
        tab: "documents",
        types,
        max_upload_mb: input.max_upload_mb,
        max_hint: format!(
            "From 1 to {} MB (the server's limit). Larger uploads are refused while they arrive.",
            state.app.config.max_upload_bytes / (1024 * 1024)
        ),
        esigned_only: input.esigned_only,
        ask_statement_delivery: input.ask_statement_delivery,
        settings_errors: st.settings_errors,
        new_type: st.new_type,
        type_errors: st.type_errors,
    };
    Ok(t.render()?)
}

fn refused(html: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
}

pub async fn settings_page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let n = Notice::from_code(q.m.as_deref());
    Ok(Html(render_settings(&state, &tenant, &s, &csrf, n, SettingsState::default()).await?).into_response())
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    max_upload_mb: String,
    esigned_only: Option<String>,
    ask_statement_delivery: Option<String>,
}

pub async fn save_settings(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<SettingsForm>,
) -> WebResult {
    let input = docs::SettingsInput {
        max_upload_mb: f.max_upload_mb,
        esigned_only: f.esigned_only.is_some(),
        ask_statement_delivery: f.ask_statement_delivery.is_some(),
    };
    match docs::save_settings(&state.app, &s, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/documents?m=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let st = SettingsState { input: Some(input), settings_errors: errors, ..SettingsState::default() };
            Ok(refused(render_settings(&state, &tenant, &s, &csrf, None, st).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TypeForm {
    #[serde(default)]
    name: String,
    visible: Option<String>,
    customer_upload: Option<String>,
    customer_download: Option<String>,
    required_at_onboarding: Option<String>,
    agent_download: Option<String>,
}

impl TypeForm {
    fn input(self) -> TypeInput {
        TypeInput {
            name: self.name,
            visible: self.visible.is_some(),
            customer_upload: self.customer_upload.is_some(),
            customer_download: self.customer_download.is_some(),
            required_at_onboarding: self.required_at_onboarding.is_some(),
            agent_download: self.agent_download.is_some(),
        }
    }
}

pub async fn add_type(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<TypeForm>,
) -> WebResult {
    let input = f.input();
    match docs::add_type(&state.app, &s, &input, &origin).await {
        Ok(_) => Ok(Redirect::to("/staff/settings/documents?m=type-added").into_response()),
        Err(AppError::Invalid(errors)) => {
            let n = Some(Notice::error("The document type was not added."));
            let st = SettingsState { new_type: input, type_errors: errors, ..SettingsState::default() };
            Ok(refused(render_settings(&state, &tenant, &s, &csrf, n, st).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update_type(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Form(f): Form<TypeForm>,
) -> WebResult {
    let input = f.input();
    match docs::update_type(&state.app, &s, id, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/documents?m=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let n = Some(Notice::error("The document type was not saved."));
            let st = SettingsState { edit: Some((id, input, errors)), ..SettingsState::default() };
            Ok(refused(render_settings(&state, &tenant, &s, &csrf, n, st).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_type(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    docs::delete_type(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to("/staff/settings/documents?m=type-deleted").into_response())
}
