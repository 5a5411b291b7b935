//! The portal's Document library (seeds 000–004): the customer's documents
//! grouped by type, filtered by type and account, searched by name;
//! previews (PDF and images only) and downloads; uploads by drag-and-drop
//! or file picker (`static/upload.js` adds the progress bar, the plain
//! multipart form works without it); the account page's Documents tab; and
//! the onboarding steps for statement delivery and required documents.
//!
//! Also the streaming multipart reader shared with the console's upload.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Customer;
use portico_app::documents::{self as docs, FileSink, Staged, UploadChoice};
use portico_app::portal::{Document, DocumentType, PortalFilter};
use portico_app::{AppError, FieldErrors, account, onboarding};
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, Id, OriginCtx, PendingCustomer, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::layers::{CsrfSeed, multipart_csrf_ok};
use crate::page::{Form, Notice, Page, when};
use crate::portal::chrome::portal_page;
use crate::state::AppState;

// ------------------------------------------------------------- responses

/// `attachment; filename="ascii"; filename*=UTF-8''utf8` (RFC 6266): the
/// stored name is already clean; the ASCII fallback replaces the rest.
pub(crate) fn disposition(kind: &str, name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let enc: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{enc}")
}

/// CSP of a document response: nothing runs, nothing loads. Images shown
/// inline are sandboxed too; inline PDFs are not, because Chromium refuses
/// to start its PDF viewer in a sandboxed document (docs/decisions.md).
fn document_csp(inline: bool, content_type: &str) -> &'static str {
    match (inline, content_type == "application/pdf") {
        (true, true) => {
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'self'"
        }
        (true, false) => {
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
        }
        (false, _) => "sandbox; default-src 'none'; frame-ancestors 'none'",
    }
}

/// Stream a document from storage. `inline` only for previewable types
/// (PDF, PNG, JPEG, GIF, WebP); everything else is an attachment.
pub(crate) async fn document_response(state: &AppState, d: &Document, inline: bool) -> WebResult {
    let inline = inline && docs::previewable(&d.content_type);
    let (size, stream) = state.app.storage.get(&d.object_key).await?;
    let mut resp = Response::new(Body::from_stream(stream));
    let h = resp.headers_mut();
    let v = |s: &str| HeaderValue::from_str(s).map_err(|_| WebError::Internal("bad header value".into()));
    h.insert(header::CONTENT_TYPE, v(&d.content_type)?);
    h.insert(header::CONTENT_LENGTH, v(&size.to_string())?);
    h.insert(header::CONTENT_DISPOSITION, v(&disposition(if inline { "inline" } else { "attachment" }, &d.name))?);
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("content-security-policy", HeaderValue::from_static(document_csp(inline, &d.content_type)));
    h.insert("x-frame-options", HeaderValue::from_static(if inline { "SAMEORIGIN" } else { "DENY" }));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}

// ------------------------------------------------------------- uploads

/// A multipart upload as read: small text fields and the staged files, or
/// why files were refused (then nothing is kept).
pub(crate) struct UploadForm {
    pub fields: HashMap<String, String>,
    pub staged: Vec<Staged>,
    pub refused: Vec<String>,
}

impl UploadForm {
    pub fn field(&self, k: &str) -> String {
        self.fields.get(k).cloned().unwrap_or_default()
    }
}

const TEXT_FIELDS: [&str; 4] = ["type_id", "account_id", "esigned", "next"];
const MAX_PARTS: usize = 40;

async fn small_text(field: &mut axum::extract::multipart::Field<'_>, max: usize) -> Result<String, WebError> {
    let mut buf = Vec::new();
    while let Some(chunk) =
        field.chunk().await.map_err(|_| WebError::BadRequest("The upload could not be read. Try again.".into()))?
    {
        if buf.len() + chunk.len() > max {
            return Err(WebError::BadRequest("A form field is too long.".into()));
        }
        buf.extend_from_slice(&chunk);
    }
    String::from_utf8(buf).map_err(|_| WebError::BadRequest("A form field is not text.".into()))
}

fn csrf_refused() -> WebError {
    WebError::Forbidden("This form has expired. Reload the page and try again. Nothing was saved.".into())
}

/// Read a multipart upload, streaming each file to storage. The CSRF token
/// (the `x-csrf-token` header or a `csrf` field before the files) is
/// checked before any byte is stored. When a file is refused, or the
/// request fails, every object already written is removed.
pub(crate) async fn read_upload(
    state: &AppState,
    headers: &HeaderMap,
    seed: Option<&CsrfSeed>,
    mp: &mut Multipart,
    company_id: i64,
    limit: i64,
) -> Result<UploadForm, WebError> {
    let mut form = UploadForm { fields: HashMap::new(), staged: Vec::new(), refused: Vec::new() };
    let mut csrf_ok =
        headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).is_some_and(|t| multipart_csrf_ok(state, seed, t));
    let mut parts = 0;
    let mut files = 0;
    let r: Result<(), WebError> = async {
        loop {
            let mut field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => return Err(WebError::BadRequest("The upload was interrupted. Nothing was saved.".into())),
            };
            parts += 1;
            if parts > MAX_PARTS {
                return Err(WebError::BadRequest("The form has too many parts.".into()));
            }
            let name = field.name().unwrap_or_default().to_string();
            if let Some(raw_name) = field.file_name().map(str::to_string) {
                if !csrf_ok {
                    return Err(csrf_refused());
                }
                if raw_name.is_empty() {
                    // An empty file input: the browser sends a nameless, empty part.
                    continue;
                }
                files += 1;
                if files > docs::MAX_FILES {
                    form.refused.push(format!("Send at most {} files at once.", docs::MAX_FILES));
                    continue;
                }
                let mut sink = match FileSink::new(&state.app, company_id, &raw_name, limit) {
                    Ok(s) => s,
                    Err(r) => {
                        form.refused.push(r.0);
                        continue;
                    }
                };
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if let Err(r) = sink.write(&chunk).await {
                                form.refused.push(r.0);
                                break;
                            }
                        }
                        Ok(None) => {
                            match sink.finish().await {
                                Ok(s) => form.staged.push(s),
                                Err(r) => form.refused.push(r.0),
                            }
                            break;
                        }
                        Err(_) => {
                            sink.discard().await;
                            return Err(WebError::BadRequest("The upload was interrupted. Nothing was saved.".into()));
                        }
                    }
                }
            } else if name == "csrf" {
                let t = small_text(&mut field, 512).await?;
                csrf_ok = csrf_ok || multipart_csrf_ok(state, seed, &t);
            } else if TEXT_FIELDS.contains(&name.as_str()) {
                let t = small_text(&mut field, 512).await?;
                form.fields.insert(name, t);
            }
        }
        if !csrf_ok {
            return Err(csrf_refused());
        }
        Ok(())
    }
    .await;
    if let Err(e) = r {
        docs::discard(&state.app, &form.staged).await;
        return Err(e);
    }
    if !form.refused.is_empty() {
        docs::discard(&state.app, &form.staged).await;
        form.staged.clear();
    }
    Ok(form)
}

/// Requests from `static/upload.js` ask for JSON answers.
pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    headers.get("x-requested-with").and_then(|v| v.to_str().ok()) == Some("XMLHttpRequest")
}

/// Success: a redirect for forms, `{"redirect": …}` for scripts.
pub(crate) fn upload_done(headers: &HeaderMap, to: &str) -> Response {
    if wants_json(headers) {
        axum::Json(serde_json::json!({ "redirect": to })).into_response()
    } else {
        Redirect::to(to).into_response()
    }
}

/// Refusal for scripts: the messages by field, 422.
pub(crate) fn upload_refused_json(errors: &FieldErrors) -> Response {
    let list: Vec<serde_json::Value> =
        errors.0.iter().map(|(f, m)| serde_json::json!({ "field": f, "message": m })).collect();
    (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(serde_json::json!({ "errors": list }))).into_response()
}

/// The files' refusals as field errors.
pub(crate) fn refused_errors(refused: &[String]) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add("files", format!("{} Nothing was uploaded.", refused.join(" ")));
    e
}

// ------------------------------------------------------------- library

pub struct DocRow {
    pub id: i64,
    pub name: String,
    pub type_name: String,
    pub account: String,
    pub added: String,
    pub size: String,
    pub by: &'static str,
    pub esigned: bool,
    pub previewable: bool,
    pub may_download: bool,
}

pub fn row(c: &Customer, d: &Document) -> DocRow {
    DocRow {
        id: d.id,
        name: d.name.clone(),
        type_name: d.type_name.clone(),
        account: d.account_number.clone().unwrap_or_default(),
        added: when(Some(d.created_at)).split(',').next().unwrap_or_default().to_string(),
        size: docs::human_size(d.size_bytes),
        by: if d.uploaded_by == "customer" { "You" } else { "Us" },
        esigned: d.esigned,
        previewable: docs::previewable(&d.content_type),
        may_download: docs::may_download(c, d),
    }
}

pub struct Group {
    pub type_id: i64,
    pub name: String,
    pub rows: Vec<DocRow>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The upload form's state (kept on a refused upload).
pub struct UploadBox {
    pub action: String,
    pub types: Vec<Choice>,
    pub accounts: Vec<Choice>,
    pub errors: FieldErrors,
    pub limit: String,
    pub allowed: &'static str,
    /// The account is fixed by the page (the account's Documents tab).
    pub fixed_account: bool,
}

#[derive(Template)]
#[template(path = "portal/library.html")]
struct LibraryPage {
    p: Page,
    groups: Vec<Group>,
    count: usize,
    type_filter: Vec<Choice>,
    account_filter: Vec<Choice>,
    q: String,
    filtered: bool,
    upload: Option<UploadBox>,
    is_agent: bool,
}

#[derive(Deserialize, Default)]
pub struct LibraryQuery {
    #[serde(rename = "type")]
    type_id: Option<String>,
    account: Option<String>,
    q: Option<String>,
    m: Option<String>,
}

pub(crate) fn opt_id(s: Option<&str>) -> Option<i64> {
    s.map(str::trim).filter(|s| !s.is_empty()).and_then(|s| s.parse().ok())
}

async fn account_choices(state: &AppState, c: &Customer, selected: Option<i64>) -> WebResult<Vec<Choice>> {
    let accounts = portico_app::portal::visible_accounts(&state.app, c).await?;
    Ok(accounts
        .into_iter()
        .map(|a| Choice {
            value: a.account.id.to_string(),
            label: if a.account.product.is_empty() {
                a.account.number.clone()
            } else {
                format!("{} ({})", a.account.number, a.account.product)
            },
            selected: Some(a.account.id) == selected,
        })
        .collect())
}

/// The upload box for a customer: the types they may upload into.
async fn upload_box(
    state: &AppState,
    c: &Customer,
    types: &[DocumentType],
    action: String,
    type_sel: Option<i64>,
    account_sel: Option<i64>,
    fixed_account: bool,
    errors: FieldErrors,
) -> WebResult<Option<UploadBox>> {
    let open: Vec<&DocumentType> = types.iter().filter(|t| t.customer_upload).collect();
    if open.is_empty() || c.is_agent() {
        return Ok(None);
    }
    let limit = docs::upload_limit(&state.app, c.company_id).await?;
    Ok(Some(UploadBox {
        action,
        types: open
            .iter()
            .map(|t| Choice { value: t.id.to_string(), label: t.name.clone(), selected: Some(t.id) == type_sel })
            .collect(),
        accounts: if fixed_account { Vec::new() } else { account_choices(state, c, account_sel).await? },
        errors,
        limit: docs::human_size(limit),
        allowed: docs::ALLOWED_TEXT,
        fixed_account,
    }))
}

async fn render_library(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    q: &LibraryQuery,
    notice: Option<Notice>,
    upload_sel: (Option<i64>, Option<i64>),
    errors: FieldErrors,
) -> WebResult<String> {
    let types = docs::visible_types(&state.app, c.company_id).await?;
    let type_id = opt_id(q.type_id.as_deref()).filter(|id| types.iter().any(|t| t.id == *id));
    let accounts = account_choices(state, c, opt_id(q.account.as_deref())).await?;
    let account_id = opt_id(q.account.as_deref()).filter(|id| accounts.iter().any(|a| a.value == id.to_string()));
    let name: String = q.q.as_deref().unwrap_or_default().trim().chars().filter(|c| !c.is_control()).take(80).collect();
    let filter = PortalFilter { type_id, account_id, name: Some(name.clone()).filter(|n| !n.is_empty()) };
    let list = docs::library(&state.app, c, &filter).await?;
    let count = list.len();
    let mut groups: Vec<Group> = types
        .iter()
        .filter(|t| type_id.is_none_or(|id| id == t.id))
        .map(|t| Group { type_id: t.id, name: t.name.clone(), rows: Vec::new() })
        .collect();
    for d in &list {
        if let Some(g) = groups.iter_mut().find(|g| g.type_id == d.type_id) {
            g.rows.push(row(c, d));
        }
    }
    groups.retain(|g| !g.rows.is_empty());
    let upload = upload_box(state, c, &types, "/documents".into(), upload_sel.0, upload_sel.1, false, errors).await?;
    let t = LibraryPage {
        p: portal_page(tenant, c, "Documents", "/documents", csrf).with_notice(notice),
        groups,
        count,
        type_filter: types
            .iter()
            .map(|t| Choice { value: t.id.to_string(), label: t.name.clone(), selected: Some(t.id) == type_id })
            .collect(),
        account_filter: accounts
            .into_iter()
            .map(|mut a| {
                a.selected = Some(a.value.as_str()) == account_id.map(|i| i.to_string()).as_deref();
                a
            })
            .collect(),
        filtered: type_id.is_some() || account_id.is_some() || !name.is_empty(),
        q: name,
        upload,
        is_agent: c.is_agent(),
    };
    Ok(t.render()?)
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<LibraryQuery>,
) -> WebResult {
    tenant.require(Section::Documents)?;
    let notice = Notice::from_code(q.m.as_deref());
    let html = render_library(&state, &tenant, &c, &csrf, &q, notice, (None, None), FieldErrors::new()).await?;
    Ok(Html(html).into_response())
}

/// Read an upload for a customer: refuse Agents before any byte, then
/// stream the files.
pub(crate) async fn customer_upload_form(
    state: &AppState,
    c: &Customer,
    origin: &portico_app::Origin,
    headers: &HeaderMap,
    seed: Option<&CsrfSeed>,
    mp: &mut Multipart,
) -> WebResult<UploadForm> {
    docs::check_customer_may_upload(&state.app, c, origin).await?;
    let limit = docs::upload_limit(&state.app, c.company_id).await?;
    read_upload(state, headers, seed, mp, c.company_id, limit).await
}

/// Save what was read; the errors to show otherwise.
pub(crate) async fn save_customer_upload(
    state: &AppState,
    c: &Customer,
    origin: &portico_app::Origin,
    form: UploadForm,
    choice: &UploadChoice,
) -> WebResult<Result<usize, FieldErrors>> {
    if !form.refused.is_empty() {
        return Ok(Err(refused_errors(&form.refused)));
    }
    let n = form.staged.len();
    match docs::customer_upload(&state.app, c, choice, form.staged, origin).await {
        Ok(_) => Ok(Ok(n)),
        Err(AppError::Invalid(e)) => Ok(Err(e)),
        Err(e) => Err(e.into()),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    seed: Option<axum::Extension<CsrfSeed>>,
    mut mp: Multipart,
) -> WebResult {
    tenant.require(Section::Documents)?;
    let form = customer_upload_form(&state, &c, &origin, &headers, seed.as_ref().map(|e| &e.0), &mut mp).await?;
    let choice = UploadChoice { type_id: form.field("type_id"), account_id: form.field("account_id"), esigned: false };
    let sel = (opt_id(Some(&choice.type_id)), opt_id(Some(&choice.account_id)));
    match save_customer_upload(&state, &c, &origin, form, &choice).await? {
        Ok(n) => Ok(upload_done(
            &headers,
            if n == 1 { "/documents?m=document-uploaded" } else { "/documents?m=documents-uploaded" },
        )),
        Err(errors) if wants_json(&headers) => Ok(upload_refused_json(&errors)),
        Err(errors) => {
            let notice = Some(Notice::error("Nothing was uploaded. See the message below."));
            let html =
                render_library(&state, &tenant, &c, &csrf, &LibraryQuery::default(), notice, sel, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "portal/library_doc.html")]
struct DocPage {
    p: Page,
    d: DocRow,
    image: bool,
    pdf: bool,
    is_agent: bool,
    type_download: bool,
}

/// A document's page: details, the preview (PDF or image) and Download.
pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
) -> WebResult {
    tenant.require(Section::Documents)?;
    let d = docs::portal_document(&state.app, &c, id).await?;
    let r = row(&c, &d);
    let t = DocPage {
        p: portal_page(&tenant, &c, &d.name, "/documents", &csrf),
        image: r.previewable && d.content_type.starts_with("image/"),
        pdf: r.previewable && d.content_type == "application/pdf",
        is_agent: c.is_agent(),
        type_download: d.type_customer_download,
        d: r,
    };
    Ok(Html(t.render()?).into_response())
}

async fn serve(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    origin: &portico_app::Origin,
    id: i64,
    inline: bool,
) -> WebResult {
    tenant.require(Section::Documents)?;
    let d = docs::portal_document(&state.app, c, id).await?;
    docs::authorize_portal_download(&state.app, c, &d, origin).await?;
    document_response(state, &d, inline).await
}

pub async fn download(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Id(raw): Id,
) -> WebResult {
    serve(&state, &tenant, &c, &origin, raw, false).await
}

/// Inline for PDF and images; everything else downloads.
pub async fn view(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Id(raw): Id,
) -> WebResult {
    serve(&state, &tenant, &c, &origin, raw, true).await
}

// ------------------------------------------------------------- account tab

/// The account page's Documents tab: that account's documents and a "New"
/// upload tied to it.
pub struct AccountDocs {
    pub rows: Vec<DocRow>,
    pub upload: Option<UploadBox>,
    pub open: bool,
}

pub async fn account_docs(
    state: &AppState,
    c: &Customer,
    account_id: i64,
    type_sel: Option<i64>,
    errors: FieldErrors,
) -> WebResult<AccountDocs> {
    let types = docs::visible_types(&state.app, c.company_id).await?;
    let filter = PortalFilter { account_id: Some(account_id), ..PortalFilter::default() };
    let list = docs::library(&state.app, c, &filter).await?;
    let open = !errors.is_empty();
    let action = format!("/accounts/{account_id}/documents");
    Ok(AccountDocs {
        rows: list.iter().map(|d| row(c, d)).collect(),
        upload: upload_box(state, c, &types, action, type_sel, Some(account_id), true, errors).await?,
        open,
    })
}

// ------------------------------------------------------------- onboarding

#[derive(Template)]
#[template(path = "portal/onboarding_statements.html")]
struct StatementsStep {
    p: Page,
    choices: Vec<(&'static str, &'static str)>,
    selected: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "portal/onboarding_documents.html")]
struct DocumentsStep {
    p: Page,
    missing: Vec<String>,
    u: UploadBox,
}

fn docs_on(tenant: &TenantCtx) -> bool {
    tenant.sections().contains(Section::Documents)
}

/// The onboarding page for the steps after identity verification.
pub async fn onboarding_step_page(
    state: &AppState,
    tenant: &TenantCtx,
    c: &Customer,
    csrf: &str,
    step: onboarding::Step,
    notice: Option<Notice>,
    type_sel: Option<i64>,
    errors: FieldErrors,
) -> WebResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    match step {
        onboarding::Step::StatementDelivery => {
            let t = StatementsStep {
                p: Page::new(tenant, "How would you like your statements?", csrf).with_notice(notice),
                choices: account::STATEMENT_DELIVERY.to_vec(),
                selected: String::new(),
                errors,
            };
            Ok((status, Html(t.render()?)).into_response())
        }
        onboarding::Step::RequiredDocuments => {
            let missing = portico_app::portal::missing_documents(&state.app, c).await?;
            let sel = type_sel.or_else(|| missing.first().map(|t| t.id));
            let limit = docs::upload_limit(&state.app, c.company_id).await?;
            let upload = UploadBox {
                action: "/onboarding/documents".into(),
                types: missing
                    .iter()
                    .map(|t| Choice { value: t.id.to_string(), label: t.name.clone(), selected: Some(t.id) == sel })
                    .collect(),
                accounts: Vec::new(),
                errors,
                limit: docs::human_size(limit),
                allowed: docs::ALLOWED_TEXT,
                fixed_account: true,
            };
            let t = DocumentsStep {
                p: Page::new(tenant, "Documents we need", csrf).with_notice(notice),
                missing: missing.into_iter().map(|t| t.name).collect(),
                u: upload,
            };
            Ok((status, Html(t.render()?)).into_response())
        }
        onboarding::Step::VerifyIdentity | onboarding::Step::Done => Ok(Redirect::to("/onboarding").into_response()),
    }
}

#[derive(Deserialize)]
pub struct DeliveryForm {
    #[serde(default)]
    delivery: String,
}

/// Onboarding: paper or paperless statements.
pub async fn onboarding_statements(
    State(state): State<AppState>,
    tenant: TenantCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    PendingCustomer(c): PendingCustomer,
    Form(f): Form<DeliveryForm>,
) -> WebResult {
    let step = onboarding::portal_step(&state.app, &c, docs_on(&tenant)).await?;
    if step != onboarding::Step::StatementDelivery {
        return Ok(Redirect::to("/onboarding").into_response());
    }
    match account::set_statement_delivery(&state.app, &c, &f.delivery, &origin).await {
        Ok(()) => Ok(Redirect::to(&after_step(&state, &tenant, &c).await?).into_response()),
        Err(AppError::Invalid(errors)) => {
            onboarding_step_page(&state, &tenant, &c, &csrf, step, None, None, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Where to go after an onboarding step: the next one, or the dashboard.
async fn after_step(state: &AppState, tenant: &TenantCtx, c: &Customer) -> WebResult<String> {
    Ok(match onboarding::portal_step_now(&state.app, c, docs_on(tenant)).await? {
        onboarding::Step::Done => "/?m=onboarding-done".into(),
        _ => "/onboarding".into(),
    })
}

/// Onboarding: upload a required document.
pub async fn onboarding_documents(
    State(state): State<AppState>,
    tenant: TenantCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    PendingCustomer(c): PendingCustomer,
    headers: HeaderMap,
    seed: Option<axum::Extension<CsrfSeed>>,
    mut mp: Multipart,
) -> WebResult {
    let step = onboarding::portal_step(&state.app, &c, docs_on(&tenant)).await?;
    if step != onboarding::Step::RequiredDocuments {
        return Ok(upload_done(&headers, "/onboarding"));
    }
    let form = customer_upload_form(&state, &c, &origin, &headers, seed.as_ref().map(|e| &e.0), &mut mp).await?;
    let choice = UploadChoice { type_id: form.field("type_id"), account_id: String::new(), esigned: false };
    let type_sel = opt_id(Some(&choice.type_id));
    match save_customer_upload(&state, &c, &origin, form, &choice).await? {
        Ok(_) => {
            let to = after_step(&state, &tenant, &c).await?;
            let to = if to == "/onboarding" { "/onboarding?m=document-uploaded".to_string() } else { to };
            Ok(upload_done(&headers, &to))
        }
        Err(errors) if wants_json(&headers) => Ok(upload_refused_json(&errors)),
        Err(errors) => {
            let n = Some(Notice::error("Nothing was uploaded. See the message below."));
            onboarding_step_page(&state, &tenant, &c, &csrf, step, n, type_sel, errors).await
        }
    }
}
