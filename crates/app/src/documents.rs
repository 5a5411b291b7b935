//! Documents (seeds 000–004): document types and settings per company, the
//! customer's document library, uploads by customers and staff, downloads
//! and previews, and the onboarding requirement of documents.
//!
//! Uploads stream: the web layer feeds each file's chunks to a
//! [`FileSink`], which decides the type from the first bytes (never from
//! the name), enforces the company's size limit as bytes arrive and writes
//! to object storage in bounded parts. The database row is written only
//! after every object of the request is complete; on any refusal the
//! objects already written are deleted, so nothing is stored half-way.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_store::documents::{self as store, Document, DocumentSettings, DocumentType, PortalFilter, TypeFields};
use portico_store::{accounts as account_store, companies, people};
use sha2::{Digest, Sha256};

use crate::auth::{Customer, Staff};
use crate::notify::{self, Topic};
use crate::storage::{ObjectWriter, Storage};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// Files one upload request may carry.
pub const MAX_FILES: usize = 10;
/// How many first bytes decide a file's type.
pub const SNIFF_LEN: usize = 4096;
/// Longest stored file name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Documents the library lists at most.
pub const LIBRARY_LIMIT: i64 = 500;

// ---------------------------------------------------------------- names

/// Characters that reorder or hide text (bidirectional overrides, zero-width
/// marks): a name like `invoice{U+202E}fdp.exe` reads as `invoiceexe.pdf`.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A safe display name from what the browser sent: the last path segment,
/// without control or invisible characters, without characters Windows
/// forbids in names, no leading dots, spaces collapsed, at most
/// [`MAX_NAME_CHARS`] characters (the extension kept). `None` when nothing
/// is left.
pub fn clean_name(raw: &str) -> Option<String> {
    // Browsers send line breaks and quotes in file names as %0A, %0D, %22
    // (HTML's multipart/form-data encoding): undo that first.
    let raw = raw.replace("%0A", "\n").replace("%0a", "\n").replace("%0D", "\r").replace("%0d", "\r");
    let raw = raw.replace("%22", "\"");
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::new();
    for c in last.chars() {
        if c.is_control() || invisible(c) {
            continue;
        }
        let c = if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c };
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    let trimmed = out.trim().trim_start_matches('.').trim().trim_end_matches('.').trim().to_string();
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '_' || c == ' ') {
        return None;
    }
    if trimmed.chars().count() <= MAX_NAME_CHARS {
        return Some(trimmed);
    }
    let (stem, ext) = split_ext(&trimmed);
    let keep = MAX_NAME_CHARS.saturating_sub(ext.chars().count() + 1).max(1);
    let stem: String = stem.chars().take(keep).collect();
    Some(if ext.is_empty() { stem } else { format!("{}.{ext}", stem.trim_end()) })
}

/// `("report", "pdf")` from `report.pdf`; an extension is 1–5 letters or digits.
fn split_ext(name: &str) -> (&str, &str) {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty() && (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem, ext)
        }
        _ => (name, ""),
    }
}

// ---------------------------------------------------------------- types

/// What a file is, decided by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileKind {
    pub content_type: &'static str,
    /// The extensions a name of this kind may end with; the first is used
    /// when the name has another.
    pub extensions: &'static [&'static str],
    /// Shown inline in the browser (PDF and raster images only).
    pub previewable: bool,
}

const PDF: FileKind = FileKind { content_type: "application/pdf", extensions: &["pdf"], previewable: true };
const PNG: FileKind = FileKind { content_type: "image/png", extensions: &["png"], previewable: true };
const JPEG: FileKind = FileKind { content_type: "image/jpeg", extensions: &["jpg", "jpeg"], previewable: true };
const GIF: FileKind = FileKind { content_type: "image/gif", extensions: &["gif"], previewable: true };
const WEBP: FileKind = FileKind { content_type: "image/webp", extensions: &["webp"], previewable: true };
const TIFF: FileKind = FileKind { content_type: "image/tiff", extensions: &["tif", "tiff"], previewable: false };
const TEXT: FileKind = FileKind { content_type: "text/plain", extensions: &["txt"], previewable: false };
const CSV: FileKind = FileKind { content_type: "text/csv", extensions: &["csv"], previewable: false };
const DOCX: FileKind = FileKind {
    content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: &["docx"],
    previewable: false,
};
const XLSX: FileKind = FileKind {
    content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: &["xlsx"],
    previewable: false,
};

/// What customers are told they may upload.
pub const ALLOWED_TEXT: &str =
    "PDF, JPEG, PNG, GIF, WebP or TIFF images, plain text or CSV, Word (.docx) or Excel (.xlsx)";

/// Whether a stored content type may be shown inline.
pub fn previewable(content_type: &str) -> bool {
    [PDF, PNG, JPEG, GIF, WEBP].iter().any(|k| k.content_type == content_type)
}

/// The file's kind from its first bytes (at most [`SNIFF_LEN`]), or the
/// reason it is refused. The name only chooses between text and CSV, and
/// between Word and Excel, once the bytes say "text" or "Office document".
pub fn sniff(head: &[u8], name: &str) -> Result<FileKind, String> {
    let refused = || format!("This kind of file can't be uploaded. Use {ALLOWED_TEXT}.");
    if head.starts_with(b"%PDF-") {
        return Ok(PDF);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(PNG);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(JPEG);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Ok(GIF);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Ok(WEBP);
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Ok(TIFF);
    }
    if head.starts_with(b"MZ")
        || head.starts_with(b"\x7fELF")
        || head.starts_with(&[0xCF, 0xFA, 0xED, 0xFE])
        || head.starts_with(&[0xCE, 0xFA, 0xED, 0xFE])
        || head.starts_with(&[0xCA, 0xFE, 0xBA, 0xBE])
        || head.starts_with(b"#!")
    {
        return Err("Programs and scripts can't be uploaded, whatever their name.".into());
    }
    if head.starts_with(b"PK\x03\x04") {
        return office(head, name).ok_or_else(|| {
            "Only Word (.docx) and Excel (.xlsx) documents are accepted among compressed files; other archives can't be uploaded.".into()
        });
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if is_text(text) {
        let first = text.iter().copied().find(|b| !b.is_ascii_whitespace());
        if first == Some(b'<') {
            return Err("Web pages, SVG and XML files can't be uploaded. Save the page as PDF instead.".into());
        }
        let (_, ext) = split_ext(name);
        return Ok(if ext.eq_ignore_ascii_case("csv") { CSV } else { TEXT });
    }
    Err(refused())
}

/// UTF-8 text without control characters other than tab, line breaks and
/// form feed. The last character may be cut by the sniff window.
fn is_text(b: &[u8]) -> bool {
    if b.is_empty() {
        return false;
    }
    let s = match std::str::from_utf8(b) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() && b.len() >= SNIFF_LEN - 4 => {
            std::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    s.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

/// An Office Open XML package: a zip whose first entry is one of the
/// package's own parts. Only the first local header is read; the archive is
/// never expanded (ASVS 5.2.3).
fn office(head: &[u8], name: &str) -> Option<FileKind> {
    let n = u16::from_le_bytes([*head.get(26)?, *head.get(27)?]) as usize;
    let first = std::str::from_utf8(head.get(30..30 + n)?).ok()?;
    let ooxml = first == "[Content_Types].xml"
        || first.starts_with("_rels/")
        || first.starts_with("docProps/")
        || first.starts_with("word/")
        || first.starts_with("xl/");
    if !ooxml {
        return None;
    }
    let (_, ext) = split_ext(name);
    if ext.eq_ignore_ascii_case("docx") || first.starts_with("word/") {
        Some(DOCX)
    } else if ext.eq_ignore_ascii_case("xlsx") || first.starts_with("xl/") {
        Some(XLSX)
    } else {
        None
    }
}

/// The name with an extension that matches its kind (`scan.pdf` holding a
/// JPEG becomes `scan.jpg`).
pub fn name_for_kind(name: &str, kind: FileKind) -> String {
    let (stem, ext) = split_ext(name);
    if kind.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)) {
        return name.to_string();
    }
    let stem = if ext.is_empty() || ext.chars().all(|c| c.is_ascii_digit()) { name } else { stem };
    format!("{stem}.{}", kind.extensions[0])
}

/// `2.4 MB`, `830 KB`, `12 bytes`.
pub fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        let mb = bytes as f64 / (1024.0 * 1024.0);
        if mb >= 10.0 { format!("{mb:.0} MB") } else { format!("{mb:.1} MB") }
    } else if bytes >= 1024 {
        format!("{} KB", (bytes + 512) / 1024)
    } else if bytes == 1 {
        "1 byte".into()
    } else {
        format!("{bytes} bytes")
    }
}

// ---------------------------------------------------------------- streaming

/// The limit that applies to uploads for a company: its own setting,
/// capped by the server's.
pub async fn upload_limit(app: &App, company_id: i64) -> Result<i64, AppError> {
    let s = store::settings(app.db.r(), company_id).await?;
    Ok(s.max_upload_bytes.min(app.config.max_upload_bytes).max(1))
}

/// An object written completely, waiting for its database row.
#[derive(Debug, Clone)]
pub struct Staged {
    pub key: String,
    pub name: String,
    pub content_type: &'static str,
    pub size: i64,
    pub sha256: String,
}

/// One file arriving in chunks. Nothing reaches storage until the first
/// bytes have been checked.
pub struct FileSink {
    storage: Storage,
    key: String,
    name: String,
    limit: i64,
    head: Vec<u8>,
    kind: Option<FileKind>,
    writer: Option<ObjectWriter>,
    size: i64,
    hash: Sha256,
}

/// Why a file was refused: a message for the person, naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl FileSink {
    /// `raw_name` is what the browser sent; it is cleaned here.
    pub fn new(app: &App, company_id: i64, raw_name: &str, limit: i64) -> Result<FileSink, Refused> {
        let Some(name) = clean_name(raw_name) else {
            return Err(Refused(
                "A file has no usable name once unsafe characters are removed. Rename it (for example statement.pdf) and try again."
                    .into(),
            ));
        };
        Ok(FileSink {
            storage: app.storage.clone(),
            key: Storage::new_key(company_id),
            name,
            limit,
            head: Vec::new(),
            kind: None,
            writer: None,
            size: 0,
            hash: Sha256::new(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn too_big(&self) -> Refused {
        Refused(format!("\u{201c}{}\u{201d} is larger than the limit of {}.", self.name, human_size(self.limit)))
    }

    /// Feed the next chunk. On `Err` the sink has cleaned up after itself.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), Refused> {
        if chunk.is_empty() {
            return Ok(());
        }
        self.size += chunk.len() as i64;
        if self.size > self.limit {
            self.discard().await;
            return Err(self.too_big());
        }
        self.hash.update(chunk);
        if self.kind.is_none() {
            self.head.extend_from_slice(chunk);
            if self.head.len() < SNIFF_LEN {
                return Ok(());
            }
            return self.start().await;
        }
        self.send(chunk).await
    }

    /// Decide the type from the buffered head and start writing.
    async fn start(&mut self) -> Result<(), Refused> {
        let kind = match sniff(&self.head[..self.head.len().min(SNIFF_LEN)], &self.name) {
            Ok(k) => k,
            Err(m) => {
                self.discard().await;
                return Err(Refused(format!("\u{201c}{}\u{201d}: {m}", self.name)));
            }
        };
        self.kind = Some(kind);
        match self.storage.writer(&self.key).await {
            Ok(w) => self.writer = Some(w),
            Err(e) => {
                tracing::error!(error = %e, "starting an upload failed");
                return Err(Refused("The file could not be stored right now. Please try again.".into()));
            }
        }
        let head = std::mem::take(&mut self.head);
        self.send(&head).await
    }

    async fn send(&mut self, data: &[u8]) -> Result<(), Refused> {
        let Some(w) = self.writer.as_mut() else { return Ok(()) };
        if let Err(e) = w.write(data).await {
            tracing::error!(error = %e, "writing an upload failed");
            self.discard().await;
            return Err(Refused("The file could not be stored right now. Please try again.".into()));
        }
        Ok(())
    }

    /// Abort the write (nothing stays in storage).
    pub async fn discard(&mut self) {
        if let Some(w) = self.writer.take() {
            w.abort().await;
        }
        let _ = self.storage.delete(&self.key).await;
        self.head.clear();
    }

    /// The whole file arrived: complete the object.
    pub async fn finish(mut self) -> Result<Staged, Refused> {
        if self.size == 0 {
            return Err(Refused(format!("\u{201c}{}\u{201d} is empty.", self.name)));
        }
        if self.kind.is_none() {
            self.start().await?;
        }
        let Some(w) = self.writer.take() else {
            return Err(Refused("The file could not be stored right now. Please try again.".into()));
        };
        if let Err(e) = w.finish().await {
            tracing::error!(error = %e, "completing an upload failed");
            let _ = self.storage.delete(&self.key).await;
            return Err(Refused("The file could not be stored right now. Please try again.".into()));
        }
        let kind = self.kind.unwrap_or(TEXT);
        Ok(Staged {
            name: name_for_kind(&self.name, kind),
            key: self.key,
            content_type: kind.content_type,
            size: self.size,
            sha256: hex::encode(self.hash.finalize()),
        })
    }
}

/// Delete completed objects whose request was refused.
pub async fn discard(app: &App, staged: &[Staged]) {
    for s in staged {
        if let Err(e) = app.storage.delete(&s.key).await {
            tracing::warn!(error = %e, key = %s.key, "removing a refused upload failed");
        }
    }
}

// ---------------------------------------------------------------- uploads

/// What an upload form chose, as typed.
#[derive(Debug, Clone, Default)]
pub struct UploadChoice {
    pub type_id: String,
    pub account_id: String,
    /// Staff only: the document was e-signed.
    pub esigned: bool,
}

fn parse_opt_id(raw: &str) -> Result<Option<i64>, ()> {
    let t = raw.trim();
    if t.is_empty() { Ok(None) } else { t.parse::<i64>().map(Some).map_err(|_| ()) }
}

/// Agents view documents but don't upload in the portal (staff use the
/// console's Documents panel). Checked before any byte is read.
pub async fn check_customer_may_upload(app: &App, c: &Customer, origin: &Origin) -> Result<(), AppError> {
    if c.is_agent() {
        audit::portal(app.db.w(), c, origin, Action::AccessRefused, "agent tried to upload a document").await?;
        return Err(AppError::Forbidden(
            "Agents can view documents but not upload them in the portal. Use the Documents panel of the contact in the console."
                .into(),
        ));
    }
    Ok(())
}

/// A type the customer may upload into.
async fn customer_type(app: &App, c: &Customer, raw: &str) -> Result<DocumentType, AppError> {
    let id = parse_opt_id(raw).ok().flatten();
    let t = match id {
        Some(id) => store::doc_type(app.db.r(), c.company_id, id).await?,
        None => None,
    };
    match t {
        Some(t) if t.visible && t.customer_upload => Ok(t),
        _ => Err(FieldErrors::single("type_id", "Choose the kind of document you are sending.")),
    }
}

/// Save a customer's uploaded files (already in storage). On any error the
/// objects are deleted.
pub async fn customer_upload(
    app: &App,
    c: &Customer,
    choice: &UploadChoice,
    staged: Vec<Staged>,
    origin: &Origin,
) -> Result<Vec<i64>, AppError> {
    let r = customer_upload_inner(app, c, choice, &staged, origin).await;
    if r.is_err() {
        discard(app, &staged).await;
    }
    r
}

async fn customer_upload_inner(
    app: &App,
    c: &Customer,
    choice: &UploadChoice,
    staged: &[Staged],
    origin: &Origin,
) -> Result<Vec<i64>, AppError> {
    check_customer_may_upload(app, c, origin).await?;
    let mut e = FieldErrors::new();
    let t = match customer_type(app, c, &choice.type_id).await {
        Ok(t) => Some(t),
        Err(AppError::Invalid(f)) => {
            e.0.extend(f.0);
            None
        }
        Err(other) => return Err(other),
    };
    let account_id = match parse_opt_id(&choice.account_id) {
        Ok(None) => None,
        Ok(Some(id)) => {
            match account_store::for_contact_one(app.db.r(), c.company_id, c.contact.id, id, false).await? {
                Some(a) => Some(a.account.id),
                _ => {
                    e.add("account_id", "Choose one of your accounts, or none.");
                    None
                }
            }
        }
        Err(()) => {
            e.add("account_id", "Choose one of your accounts, or none.");
            None
        }
    };
    if staged.is_empty() {
        e.add("files", "Choose a file to upload.");
    }
    if staged.len() > MAX_FILES {
        e.add("files", format!("Send at most {MAX_FILES} files at once."));
    }
    e.into_result()?;
    let Some(t) = t else { return Err(AppError::NotFound) };
    let mut tx = app.db.begin().await?;
    let mut ids = Vec::new();
    for s in staged {
        let id = store::insert(
            &mut *tx,
            c.company_id,
            &store::NewDocument {
                contact_id: c.contact.id,
                type_id: t.id,
                account_id,
                name: &s.name,
                content_type: s.content_type,
                size_bytes: s.size,
                sha256: &s.sha256,
                object_key: &s.key,
                esigned: false,
                uploaded_by: "customer",
                portal_user_id: Some(c.user.id),
                staff_user_id: None,
            },
            now(),
        )
        .await?;
        crate::tasks::on_document_uploaded(&mut tx, c.company_id, c.contact.id, t.id, id).await?;
        audit::portal(&mut *tx, c, origin, Action::DocumentUpload, &format!("#{id} \"{}\" ({})", s.name, t.name))
            .await?;
        let data = serde_json::json!({ "document_id": id, "contact_id": c.contact.id, "document_type": t.name });
        crate::webhooks::emit(&mut tx, c.company_id, "document.uploaded", data).await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Staff upload documents for a customer (optionally tied to an account,
/// optionally marked e-signed). The customer is told by their chosen
/// channels when the type is visible in the portal (a link, never the file).
pub async fn staff_upload(
    app: &App,
    s: &Staff,
    contact_id: i64,
    choice: &UploadChoice,
    staged: Vec<Staged>,
    origin: &Origin,
) -> Result<Vec<i64>, AppError> {
    let r = staff_upload_inner(app, s, contact_id, choice, &staged, origin).await;
    if r.is_err() {
        discard(app, &staged).await;
    }
    r
}

/// Staff who may upload for a contact of this company (checked before any
/// byte is read, and again when saving).
pub async fn check_staff_may_upload(app: &App, s: &Staff, contact_id: i64) -> Result<people::Contact, AppError> {
    s.require(Permission::ServiceCustomers)?;
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)
}

async fn staff_upload_inner(
    app: &App,
    s: &Staff,
    contact_id: i64,
    choice: &UploadChoice,
    staged: &[Staged],
    origin: &Origin,
) -> Result<Vec<i64>, AppError> {
    let contact = check_staff_may_upload(app, s, contact_id).await?;
    let mut e = FieldErrors::new();
    let t = match parse_opt_id(&choice.type_id).ok().flatten() {
        Some(id) => store::doc_type(app.db.r(), s.company_id, id).await?,
        None => None,
    };
    if t.is_none() {
        e.add("type_id", "Choose a document type.");
    }
    let account_id = match parse_opt_id(&choice.account_id) {
        Ok(None) => None,
        Ok(Some(id)) => match account_store::for_company_one(app.db.r(), s.company_id, id).await? {
            Some(a) if a.account.contact_id == contact_id => Some(a.account.id),
            _ => {
                e.add("account_id", "Choose one of this customer's accounts, or none.");
                None
            }
        },
        Err(()) => {
            e.add("account_id", "Choose one of this customer's accounts, or none.");
            None
        }
    };
    if staged.is_empty() {
        e.add("files", "Choose a file to upload.");
    }
    if staged.len() > MAX_FILES {
        e.add("files", format!("Send at most {MAX_FILES} files at once."));
    }
    e.into_result()?;
    let Some(t) = t else { return Err(AppError::NotFound) };
    let host = companies::domains(app.db.r(), s.company_id)
        .await?
        .into_iter()
        .find(|d| d.is_primary)
        .map(|d| d.host)
        .unwrap_or_default();
    let company = companies::get(app.db.r(), s.company_id).await?;
    let mut tx = app.db.begin().await?;
    let mut ids = Vec::new();
    for f in staged {
        let id = store::insert(
            &mut *tx,
            s.company_id,
            &store::NewDocument {
                contact_id,
                type_id: t.id,
                account_id,
                name: &f.name,
                content_type: f.content_type,
                size_bytes: f.size,
                sha256: &f.sha256,
                object_key: &f.key,
                esigned: choice.esigned,
                uploaded_by: "staff",
                portal_user_id: None,
                staff_user_id: Some(s.user.id),
            },
            now(),
        )
        .await?;
        crate::tasks::on_document_uploaded(&mut tx, s.company_id, contact_id, t.id, id).await?;
        audit::staff(
            &mut *tx,
            s,
            origin,
            Action::DocumentUpload,
            Some(contact_id),
            &format!("#{id} \"{}\" ({}){}", f.name, t.name, if choice.esigned { ", e-signed" } else { "" }),
        )
        .await?;
        ids.push(id);
    }
    if t.visible && !host.is_empty() {
        let link = app.url(&host, "/documents");
        let what = if staged.len() == 1 { "a new document" } else { "new documents" };
        let text = format!(
            "Hello {},\n\n{} shared {what} with you in your customer portal ({}).\n\nSign in to see it:\n{link}\n\n\
             For your security, documents are never attached to e-mails.",
            contact.first_name, company.name, t.name
        );
        let subject = format!("New document from {}", company.name);
        notify::notify(&mut tx, app, s.company_id, contact_id, Topic::Documents, &subject, &text).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

// ---------------------------------------------------------------- portal

/// The library's document types: every visible type, and whether the
/// customer may upload into it.
pub async fn visible_types(app: &App, company_id: i64) -> Result<Vec<DocumentType>, AppError> {
    Ok(store::types(app.db.r(), company_id).await?.into_iter().filter(|t| t.visible).collect())
}

pub async fn settings(app: &App, company_id: i64) -> Result<DocumentSettings, AppError> {
    Ok(store::settings(app.db.r(), company_id).await?)
}

/// The customer's documents the portal shows, filtered.
pub async fn library(app: &App, c: &Customer, filter: &PortalFilter) -> Result<Vec<Document>, AppError> {
    let s = store::settings(app.db.r(), c.company_id).await?;
    Ok(store::for_portal(app.db.r(), c.company_id, c.contact.id, s.esigned_only, filter, LIBRARY_LIMIT).await?)
}

/// One document the portal shows this customer; 404 otherwise.
pub async fn portal_document(app: &App, c: &Customer, id: i64) -> Result<Document, AppError> {
    let s = store::settings(app.db.r(), c.company_id).await?;
    store::portal_one(app.db.r(), c.company_id, c.contact.id, s.esigned_only, id).await?.ok_or(AppError::NotFound)
}

/// Whether the viewer may download documents of this document's type.
pub fn may_download(c: &Customer, d: &Document) -> bool {
    d.type_customer_download && (!c.is_agent() || d.type_agent_download)
}

/// Check a portal download (or preview); refusals are audited. Agents'
/// downloads are audited too.
pub async fn authorize_portal_download(app: &App, c: &Customer, d: &Document, origin: &Origin) -> Result<(), AppError> {
    if !d.type_customer_download {
        audit::portal(
            app.db.w(),
            c,
            origin,
            Action::AccessRefused,
            &format!("download of document #{} (type closed)", d.id),
        )
        .await?;
        return Err(AppError::Forbidden(format!(
            "Documents of the type \u{201c}{}\u{201d} can be viewed in the list but not downloaded. Contact us for a copy.",
            d.type_name
        )));
    }
    if c.is_agent() {
        if !d.type_agent_download {
            audit::portal(
                app.db.w(),
                c,
                origin,
                Action::AccessRefused,
                &format!("agent tried to download document #{}", d.id),
            )
            .await?;
            return Err(AppError::Forbidden("Agents can view this customer's documents but not download them.".into()));
        }
        audit::portal(app.db.w(), c, origin, Action::DocumentDownload, &format!("#{} \"{}\"", d.id, d.name)).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- staff

/// A contact's documents for the console (404 for another company's contact).
pub async fn for_staff(app: &App, s: &Staff, contact_id: i64) -> Result<Vec<Document>, AppError> {
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    Ok(store::for_contact(app.db.r(), s.company_id, contact_id).await?)
}

/// A document of the staff member's company, for download (audited).
pub async fn staff_download(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<Document, AppError> {
    let d = store::company_one(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    audit::staff(
        app.db.w(),
        s,
        origin,
        Action::DocumentDownload,
        Some(d.contact_id),
        &format!("#{} \"{}\"", d.id, d.name),
    )
    .await?;
    Ok(d)
}

/// Exclude a document from the portal, or show it again.
pub async fn set_excluded(
    app: &App,
    s: &Staff,
    id: i64,
    excluded: bool,
    origin: &Origin,
) -> Result<Document, AppError> {
    s.require(Permission::ServiceCustomers)?;
    let d = store::company_one(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    store::set_excluded(&mut *tx, s.company_id, id, excluded).await?;
    let action = if excluded { Action::DocumentExclude } else { Action::DocumentInclude };
    audit::staff(&mut *tx, s, origin, action, Some(d.contact_id), &format!("#{} \"{}\"", d.id, d.name)).await?;
    tx.commit().await?;
    Ok(d)
}

// ---------------------------------------------------------------- settings

/// The type form as typed.
#[derive(Debug, Clone, Default)]
pub struct TypeInput {
    pub name: String,
    pub visible: bool,
    pub customer_upload: bool,
    pub customer_download: bool,
    pub required_at_onboarding: bool,
    pub agent_download: bool,
}

fn check_type(input: &TypeInput) -> Result<TypeFields, AppError> {
    let mut e = FieldErrors::new();
    let name = portico_domain::validate::line(&input.name, 80).unwrap_or_else(|m| {
        e.add("name", m);
        String::new()
    });
    if name.is_empty() && e.get("name").is_none() {
        e.add("name", "Give the type a name, for example \u{201c}Proof of income\u{201d}.");
    }
    if input.required_at_onboarding && !(input.visible && input.customer_upload) {
        e.add(
            "required_at_onboarding",
            "A type required at onboarding must be visible to customers and open to their uploads.",
        );
    }
    if input.customer_upload && !input.visible {
        e.add("customer_upload", "Customers can only upload into a type they can see.");
    }
    e.into_result()?;
    Ok(TypeFields {
        name,
        visible: input.visible,
        customer_upload: input.customer_upload,
        customer_download: input.customer_download,
        required_at_onboarding: input.required_at_onboarding,
        agent_download: input.agent_download,
    })
}

fn conflict_to_field(e: portico_store::StoreError) -> AppError {
    match e {
        portico_store::StoreError::Conflict(_) => FieldErrors::single("name", "A document type with this name exists."),
        other => other.into(),
    }
}

pub async fn add_type(app: &App, s: &Staff, input: &TypeInput, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ManageSettings)?;
    let f = check_type(input)?;
    let mut tx = app.db.begin().await?;
    let id = store::insert_type(&mut *tx, s.company_id, &f, now()).await.map_err(conflict_to_field)?;
    audit::staff(&mut *tx, s, origin, Action::DocumentTypeAdd, None, &f.name).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_type(app: &App, s: &Staff, id: i64, input: &TypeInput, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let f = check_type(input)?;
    let mut tx = app.db.begin().await?;
    if !store::update_type(&mut *tx, s.company_id, id, &f).await.map_err(conflict_to_field)? {
        return Err(AppError::NotFound);
    }
    let detail = format!(
        "{}: visible {}, upload {}, download {}, required {}, agents download {}",
        f.name, f.visible, f.customer_upload, f.customer_download, f.required_at_onboarding, f.agent_download
    );
    audit::staff(&mut *tx, s, origin, Action::DocumentTypeUpdate, None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_type(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let t = store::doc_type(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    let n = store::count_in_type(app.db.r(), s.company_id, id).await?;
    if n > 0 {
        return Err(AppError::Conflict(format!(
            "\u{201c}{}\u{201d} holds {n} document{}; it can't be removed. Hide it from customers instead.",
            t.name,
            if n == 1 { "" } else { "s" }
        )));
    }
    let mut tx = app.db.begin().await?;
    if !store::delete_type(&mut *tx, s.company_id, id).await? {
        return Err(AppError::Conflict("The type holds documents now; it can't be removed.".into()));
    }
    audit::staff(&mut *tx, s, origin, Action::DocumentTypeDelete, None, &t.name).await?;
    tx.commit().await?;
    Ok(())
}

/// The company settings form as typed.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    /// Megabytes, as typed.
    pub max_upload_mb: String,
    pub esigned_only: bool,
    pub ask_statement_delivery: bool,
}

pub async fn save_settings(app: &App, s: &Staff, input: &SettingsInput, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let cap_mb = app.config.max_upload_bytes / (1024 * 1024);
    let mb = match input.max_upload_mb.trim().parse::<i64>() {
        Ok(n) if (1..=cap_mb.max(1)).contains(&n) => n,
        _ => {
            return Err(FieldErrors::single(
                "max_upload_mb",
                format!("Use a whole number of megabytes from 1 to {cap_mb}."),
            ));
        }
    };
    let settings = DocumentSettings {
        company_id: s.company_id,
        max_upload_bytes: mb * 1024 * 1024,
        esigned_only: input.esigned_only,
        ask_statement_delivery: input.ask_statement_delivery,
        updated_at: now(),
    };
    let mut tx = app.db.begin().await?;
    store::save_settings(&mut *tx, &settings).await?;
    let detail = format!(
        "max upload {mb} MB, e-signed only {}, ask statement delivery {}",
        input.esigned_only, input.ask_statement_delivery
    );
    audit::staff(&mut *tx, s, origin, Action::SettingsUpdate, None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("C:\\Users\\jane\\Desktop\\pay stub.pdf").as_deref(), Some("pay stub.pdf"));
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean_name("bad\u{7}\nname\r.pdf").as_deref(), Some("badname.pdf"));
        assert_eq!(clean_name("invoice\u{202e}fdp.exe").as_deref(), Some("invoicefdp.exe"));
        assert_eq!(clean_name("  ..hidden  ").as_deref(), Some("hidden"));
        assert_eq!(clean_name("a<b>:c\"d|e?f*.txt").as_deref(), Some("a_b__c_d_e_f_.txt"));
        assert_eq!(clean_name("dir/"), None);
        assert_eq!(clean_name("\u{1}\u{2}"), None);
        assert_eq!(clean_name("two%0D%0Alines%22.pdf").as_deref(), Some("twolines_.pdf"));
        assert_eq!(clean_name("../\u{202e}%0A"), None);
        assert_eq!(clean_name("..."), None);
        let long = format!("{}.pdf", "x".repeat(300));
        let c = clean_name(&long).unwrap();
        assert_eq!(c.chars().count(), MAX_NAME_CHARS);
        assert!(c.ends_with(".pdf"));
    }

    #[test]
    fn types_come_from_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n", "x.txt"), Ok(PDF));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "x.pdf"), Ok(PNG));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "x"), Ok(JPEG));
        assert_eq!(sniff(b"II*\0abc", "scan.tif"), Ok(TIFF));
        assert_eq!(sniff(b"a,b\n1,2\n", "data.csv"), Ok(CSV));
        assert_eq!(sniff(b"Hello there\n", "note"), Ok(TEXT));
        assert_eq!(sniff("Grüße\n".as_bytes(), "n.txt"), Ok(TEXT));
        assert!(sniff(b"MZ\x90\0\x03", "invoice.pdf").unwrap_err().contains("Programs"));
        assert!(sniff(b"\x7fELF\x02", "a.pdf").unwrap_err().contains("Programs"));
        assert!(sniff(b"#!/bin/sh\nrm -rf /", "a.txt").unwrap_err().contains("Programs"));
        assert!(sniff(b"  <!doctype html><script>", "a.pdf").unwrap_err().contains("Web pages"));
        assert!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'>", "a.png").unwrap_err().contains("SVG"));
        assert!(sniff(b"\0\0\0\x01binary", "a.txt").is_err());
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend_from_slice(&[0; 22]);
        docx.extend_from_slice(&(19u16).to_le_bytes());
        docx.extend_from_slice(&[0, 0]);
        docx.extend_from_slice(b"[Content_Types].xml");
        assert_eq!(sniff(&docx, "contract.docx"), Ok(DOCX));
        assert_eq!(sniff(&docx, "budget.xlsx"), Ok(XLSX));
        assert!(sniff(&docx, "archive.zip").is_err());
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&[0; 22]);
        zip.extend_from_slice(&(7u16).to_le_bytes());
        zip.extend_from_slice(&[0, 0]);
        zip.extend_from_slice(b"run.exe");
        assert!(sniff(&zip, "x.docx").is_err());
    }

    #[test]
    fn extensions_follow_the_content() {
        assert_eq!(name_for_kind("scan.pdf", JPEG), "scan.jpg");
        assert_eq!(name_for_kind("scan.JPEG", JPEG), "scan.JPEG");
        assert_eq!(name_for_kind("notes", TEXT), "notes.txt");
        assert_eq!(name_for_kind("v1.2", PDF), "v1.2.pdf");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(10 * 1024 * 1024), "10 MB");
        assert_eq!(human_size(2_500_000), "2.4 MB");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(12), "12 bytes");
    }
}
