//! Intake data per contact (key/value, edited by servicers) and the
//! company's settlement settings with the Profile's fields (label, type,
//! order; administrators).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use portico_app::auth::Staff;
use portico_app::authz::Permission;
use portico_app::settlement::{self as app, FIELD_TYPES, FieldInput, SettingsInput, edit_value};
use portico_app::{AppError, FieldErrors};
use portico_domain::section::Section;
use portico_domain::settlement::DebtStatus;
use serde::Deserialize;

use crate::ctx::{CsrfToken, Id, OriginCtx, StaffCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::page::{Form, Notice, Page};
use crate::staff::staff_page;
use crate::state::AppState;

pub struct ValueRow {
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub type_label: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "staff/intake.html")]
struct IntakePage {
    p: Page,
    contact_id: i64,
    contact_name: String,
    can_act: bool,
    fields: Vec<ValueRow>,
    extra: Vec<(String, String)>,
    errors: FieldErrors,
    new_key: String,
    new_value: String,
}

fn type_label(t: &str) -> &'static str {
    FIELD_TYPES.iter().find(|(k, _)| *k == t).map(|(_, l)| *l).unwrap_or("Text")
}

async fn render_intake(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    contact_id: i64,
    notice: Option<Notice>,
    typed: Option<&IntakeForm>,
    errors: FieldErrors,
) -> WebResult<String> {
    let (contact, fields, extra) = app::intake_for_staff(&state.app, s, contact_id).await?;
    let typed_value = |k: &str| typed.and_then(|f| f.pairs().into_iter().find(|(key, _)| key == k).map(|(_, v)| v));
    let t = IntakePage {
        p: staff_page(tenant, s, &format!("Intake · {} {}", contact.first_name, contact.last_name), "contacts", csrf)
            .with_notice(notice),
        contact_id,
        contact_name: format!("{} {}", contact.first_name, contact.last_name),
        can_act: s.role.allows(Permission::ServiceCustomers),
        fields: fields
            .into_iter()
            .map(|(f, v)| ValueRow {
                value: typed_value(&f.field_key).unwrap_or_else(|| edit_value(&f.field_type, &v)),
                key: f.field_key,
                label: f.label,
                type_label: type_label(&f.field_type),
                field_type: f.field_type,
            })
            .collect(),
        extra: extra
            .into_iter()
            .map(|(k, v)| {
                let shown = typed_value(&k).unwrap_or(v);
                (k, shown)
            })
            .collect(),
        errors,
        new_key: typed.map(|f| f.new_key.clone()).unwrap_or_default(),
        new_value: typed.map(|f| f.new_value.clone()).unwrap_or_default(),
    };
    Ok(t.render()?)
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    m: Option<String>,
}

fn refused(html: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
}

pub async fn intake_page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Id(id): Id,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let n = match q.m.as_deref() {
        Some("intake-saved") => Some(Notice::success("Intake data saved. The Profile shows it now.")),
        other => Notice::from_code(other),
    };
    Ok(Html(render_intake(&state, &tenant, &s, &csrf, id, n, None, FieldErrors::new()).await?).into_response())
}

/// The intake form: `key` and `value` repeat, one pair per row.
#[derive(Deserialize, Default)]
pub struct IntakeForm {
    #[serde(default)]
    key: Vec<String>,
    #[serde(default)]
    value: Vec<String>,
    #[serde(default)]
    new_key: String,
    #[serde(default)]
    new_value: String,
}

impl IntakeForm {
    fn pairs(&self) -> Vec<(String, String)> {
        self.key.iter().cloned().zip(self.value.iter().cloned()).collect()
    }
}

pub async fn save_intake(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Id(contact_id): Id,
    Form(f): Form<IntakeForm>,
) -> WebResult {
    if f.key.len() != f.value.len() {
        return Err(WebError::BadRequest("The form could not be read. Reload the page and try again.".into()));
    }
    match app::save_intake(&state.app, &s, contact_id, &f.pairs(), &f.new_key, &f.new_value, &origin).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/contacts/{contact_id}/intake?m=intake-saved")).into_response()),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("Nothing was saved. Correct the values marked below."));
            Ok(refused(render_intake(&state, &tenant, &s, &csrf, contact_id, n, Some(&f), e).await?))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- settings

pub struct FieldRow {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub position: i64,
}

#[derive(Template)]
#[template(path = "staff/settings_settlement.html")]
struct SettingsPage {
    p: Page,
    tab: &'static str,
    debts_name: String,
    statuses: Vec<(&'static str, &'static str, bool)>,
    types: Vec<(i64, String, bool, bool)>,
    schedule_debits_only: bool,
    student_loan_file_upload: bool,
    errors: FieldErrors,
    fields: Vec<FieldRow>,
    field_types: Vec<(&'static str, &'static str)>,
    field: FieldInput,
    field_errors: FieldErrors,
    sections_note: String,
}

async fn render_settings(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    typed: Option<SettingsInput>,
    errors: FieldErrors,
    field: Option<(FieldInput, FieldErrors)>,
) -> WebResult<String> {
    let stored = app::settings(&state.app, s.company_id).await?;
    let sections = tenant.sections();
    let input = typed.unwrap_or_else(|| SettingsInput {
        debts_name: if sections.contains(Section::Debts) {
            "debts".into()
        } else if sections.contains(Section::Creditors) {
            "creditors".into()
        } else {
            "off".into()
        },
        statuses: stored.statuses_shown.split(',').map(str::to_string).collect(),
        required_types: stored.required_type_ids().iter().map(i64::to_string).collect(),
        schedule_debits_only: stored.schedule_debits_only,
        student_loan_file_upload: stored.student_loan_file_upload,
    });
    let types = portico_app::console::document_types(&state.app, s).await?;
    let fields = portico_app::console::intake_fields(&state.app, s).await?;
    let off: Vec<&str> = [
        (Section::ProgramAccount, "Program account"),
        (Section::PaymentSchedule, "Payment schedule"),
        (Section::Profile, "Profile"),
        (Section::StudentLoans, "Student loans"),
    ]
    .into_iter()
    .filter(|(sec, _)| !sections.contains(*sec))
    .map(|(_, l)| l)
    .collect();
    let (field, field_errors) = field.unwrap_or_else(|| {
        (
            FieldInput {
                field_type: "text".into(),
                position: ((fields.len() + 1) * 10).to_string(),
                ..FieldInput::default()
            },
            FieldErrors::new(),
        )
    });
    let t = SettingsPage {
        p: staff_page(tenant, s, "Settlement and student loans settings", "settings", csrf).with_notice(notice),
        tab: "settlement",
        debts_name: input.debts_name.clone(),
        statuses: DebtStatus::ALL
            .iter()
            .map(|st| (st.key(), st.label(), input.statuses.iter().any(|k| k == st.key())))
            .collect(),
        types: types
            .iter()
            .map(|t| {
                (t.id, t.name.clone(), t.visible && t.customer_upload, input.required_types.contains(&t.id.to_string()))
            })
            .collect(),
        schedule_debits_only: input.schedule_debits_only,
        student_loan_file_upload: input.student_loan_file_upload,
        errors,
        fields: fields
            .into_iter()
            .map(|f| FieldRow {
                id: f.id,
                key: f.field_key,
                label: f.label,
                field_type: f.field_type,
                position: f.position,
            })
            .collect(),
        field_types: FIELD_TYPES.to_vec(),
        field,
        field_errors,
        sections_note: if off.is_empty() {
            String::new()
        } else {
            format!("Switched off under General → Sections: {}.", off.join(", "))
        },
    };
    Ok(t.render()?)
}

pub async fn settings_page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    s.require(Permission::ManageSettings)?;
    let n = match q.m.as_deref() {
        Some("field-added") => Some(Notice::success("Profile field added.")),
        Some("field-saved") => Some(Notice::success("Profile field saved.")),
        Some("field-deleted") => Some(Notice::success("Profile field removed.")),
        other => Notice::from_code(other),
    };
    Ok(Html(render_settings(&state, &tenant, &s, &csrf, n, None, FieldErrors::new(), None).await?).into_response())
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    debts_name: String,
    #[serde(default)]
    statuses: Vec<String>,
    #[serde(default)]
    required_types: Vec<String>,
    schedule_debits_only: Option<String>,
    student_loan_file_upload: Option<String>,
}

pub async fn save_settings(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<SettingsForm>,
) -> WebResult {
    let input = SettingsInput {
        debts_name: f.debts_name,
        statuses: f.statuses,
        required_types: f.required_types,
        schedule_debits_only: f.schedule_debits_only.is_some(),
        student_loan_file_upload: f.student_loan_file_upload.is_some(),
    };
    match app::save_settings(&state.app, &s, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/settlement?m=saved").into_response()),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("Nothing was saved. Correct the fields marked below."));
            Ok(refused(render_settings(&state, &tenant, &s, &csrf, n, Some(input), e, None).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct FieldForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    field_type: String,
    #[serde(default)]
    position: String,
}

impl From<FieldForm> for FieldInput {
    fn from(f: FieldForm) -> FieldInput {
        FieldInput { key: f.key, label: f.label, field_type: f.field_type, position: f.position }
    }
}

pub async fn add_field(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<FieldForm>,
) -> WebResult {
    let input = FieldInput::from(f);
    match app::add_field(&state.app, &s, &input, &origin).await {
        Ok(_) => Ok(Redirect::to("/staff/settings/settlement?m=field-added#fields-title").into_response()),
        Err(AppError::Invalid(e)) => {
            let n = Some(Notice::error("The field was not added. Correct the fields marked below."));
            Ok(refused(
                render_settings(&state, &tenant, &s, &csrf, n, None, FieldErrors::new(), Some((input, e))).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update_field(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
    Form(f): Form<FieldForm>,
) -> WebResult {
    let input = FieldInput::from(f);
    match app::update_field(&state.app, &s, id, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings/settlement?m=field-saved#fields-title").into_response()),
        Err(AppError::Invalid(e)) => Err(WebError::BadRequest(
            e.0.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ") + " Go back and correct it.",
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_field(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Id(id): Id,
) -> WebResult {
    app::delete_field(&state.app, &s, id, &origin).await?;
    Ok(Redirect::to("/staff/settings/settlement?m=field-deleted#fields-title").into_response())
}
