//! Customer Portal Settings (administrators).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use portico_app::auth::Staff;
use portico_app::settings::{self, FaqInput, SettingsInput};
use portico_app::{AppError, FieldErrors};
use portico_domain::email_template::PLACEHOLDERS;
use portico_domain::section::Section;
use portico_store::companies::{self, Domain, FaqEntry};
use serde::Deserialize;

use crate::ctx::{CsrfToken, OriginCtx, StaffCtx, TenantCtx};
use crate::error::{WebError, WebResult};
use crate::layers::{CsrfSeed, multipart_csrf_ok};
use crate::page::{Form, Notice, Page};
use crate::staff::staff_page;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff/settings.html")]
struct SettingsPage {
    p: Page,
    s: SettingsInput,
    errors: FieldErrors,
    sections: Vec<(&'static str, &'static str, bool)>,
    placeholders: String,
    has_logo: bool,
    updated_at: i64,
    logo_error: Option<String>,
    domains: Vec<Domain>,
    new_host: String,
    domain_errors: FieldErrors,
    faq: Vec<FaqEntry>,
    new_question: String,
    new_answer: String,
    faq_errors: FieldErrors,
}

/// What to put back into the forms after a refused submission.
#[derive(Default)]
struct Redisplay {
    input: Option<SettingsInput>,
    errors: FieldErrors,
    logo_error: Option<String>,
    new_host: String,
    domain_errors: FieldErrors,
    new_question: String,
    new_answer: String,
    faq_errors: FieldErrors,
}

async fn render(
    state: &AppState,
    tenant: &TenantCtx,
    s: &Staff,
    csrf: &str,
    notice: Option<Notice>,
    r: Redisplay,
) -> WebResult<String> {
    s.require_admin()?;
    let db = state.app.db.r();
    let stored = companies::settings(db, s.company_id)
        .await
        .map_err(AppError::from)?;
    let input = r
        .input
        .unwrap_or_else(|| SettingsInput::from_settings(&stored));
    let sections = Section::ALL
        .iter()
        .map(|sec| {
            (
                sec.key(),
                sec.label(),
                input.sections.iter().any(|k| k == sec.key()),
            )
        })
        .collect();
    let has_logo = companies::logo(db, s.company_id)
        .await
        .map_err(AppError::from)?
        .is_some();
    let t = SettingsPage {
        p: staff_page(tenant, s, "Portal settings", "settings", csrf).with_notice(notice),
        s: input,
        errors: r.errors,
        sections,
        placeholders: format!(
            "Placeholders: {}. {{{{link}}}} is required.",
            PLACEHOLDERS.map(|p| format!("{{{{{p}}}}}")).join(", ")
        ),
        has_logo,
        updated_at: stored.updated_at,
        logo_error: r.logo_error,
        domains: companies::domains(db, s.company_id)
            .await
            .map_err(AppError::from)?,
        new_host: r.new_host,
        domain_errors: r.domain_errors,
        faq: companies::faq(db, s.company_id)
            .await
            .map_err(AppError::from)?,
        new_question: r.new_question,
        new_answer: r.new_answer,
        faq_errors: r.faq_errors,
    };
    Ok(t.render()?)
}

fn refused(html: String) -> axum::response::Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
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
    let html = render(
        &state,
        &tenant,
        &s,
        &csrf,
        Notice::from_code(q.m.as_deref()),
        Redisplay::default(),
    )
    .await?;
    Ok(Html(html).into_response())
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    from_address: String,
    #[serde(default)]
    from_name: String,
    #[serde(default)]
    welcome_subject: String,
    #[serde(default)]
    welcome_body: String,
    send_welcome_on_enroll: Option<String>,
    #[serde(default)]
    sections: Vec<String>,
    #[serde(default)]
    announcement_short: String,
    #[serde(default)]
    announcement_page: String,
    #[serde(default)]
    help_phone: String,
    #[serde(default)]
    help_email: String,
    #[serde(default)]
    help_hours: String,
    #[serde(default)]
    help_address: String,
    use_company_logo: Option<String>,
    show_stage_status: Option<String>,
    forgot_password_enabled: Option<String>,
    agent_may_edit_profile: Option<String>,
    #[serde(default)]
    brand_color: String,
}

pub async fn save(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<SettingsForm>,
) -> WebResult {
    let input = SettingsInput {
        from_address: f.from_address,
        from_name: f.from_name,
        welcome_subject: f.welcome_subject,
        welcome_body: f.welcome_body,
        send_welcome_on_enroll: f.send_welcome_on_enroll.is_some(),
        sections: f.sections,
        announcement_short: f.announcement_short,
        announcement_page: f.announcement_page,
        help_phone: f.help_phone,
        help_email: f.help_email,
        help_hours: f.help_hours,
        help_address: f.help_address,
        use_company_logo: f.use_company_logo.is_some(),
        show_stage_status: f.show_stage_status.is_some(),
        forgot_password_enabled: f.forgot_password_enabled.is_some(),
        agent_may_edit_profile: f.agent_may_edit_profile.is_some(),
        brand_color: f.brand_color,
    };
    match settings::save(&state.app, &s, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings?m=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let r = Redisplay {
                input: Some(input),
                errors,
                ..Default::default()
            };
            Ok(refused(render(&state, &tenant, &s, &csrf, None, r).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct FaqForm {
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
}

pub async fn add_faq(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<FaqForm>,
) -> WebResult {
    let input = FaqInput {
        question: f.question,
        answer: f.answer,
    };
    match settings::add_faq(&state.app, &s, &input, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings?m=faq-added#faq-title").into_response()),
        Err(AppError::Invalid(errors)) => {
            let r = Redisplay {
                new_question: input.question,
                new_answer: input.answer,
                faq_errors: errors,
                ..Default::default()
            };
            Ok(refused(
                render(
                    &state,
                    &tenant,
                    &s,
                    &csrf,
                    Some(Notice::error("The question was not added.")),
                    r,
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn id(raw: &str) -> Result<i64, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

pub async fn update_faq(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Path(raw): Path<String>,
    Form(f): Form<FaqForm>,
) -> WebResult {
    let input = FaqInput {
        question: f.question,
        answer: f.answer,
    };
    settings::update_faq(&state.app, &s, id(&raw)?, &input, &origin).await?;
    Ok(Redirect::to("/staff/settings?m=saved#faq-title").into_response())
}

pub async fn delete_faq(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Path(raw): Path<String>,
) -> WebResult {
    settings::delete_faq(&state.app, &s, id(&raw)?, &origin).await?;
    Ok(Redirect::to("/staff/settings?m=faq-deleted#faq-title").into_response())
}

#[derive(Deserialize)]
pub struct DomainForm {
    #[serde(default)]
    host: String,
}

pub async fn add_domain(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<DomainForm>,
) -> WebResult {
    match settings::add_domain(&state.app, &s, &f.host, &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings?m=domain-added#domains-title").into_response()),
        Err(AppError::Invalid(errors)) => {
            let r = Redisplay {
                new_host: f.host,
                domain_errors: errors,
                ..Default::default()
            };
            Ok(refused(
                render(
                    &state,
                    &tenant,
                    &s,
                    &csrf,
                    Some(Notice::error("The domain was not added.")),
                    r,
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_domain(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Path(raw): Path<String>,
) -> WebResult {
    settings::delete_domain(&state.app, &s, id(&raw)?, &tenant.0.domain.host, &origin).await?;
    Ok(Redirect::to("/staff/settings?m=domain-deleted#domains-title").into_response())
}

pub async fn primary_domain(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    Path(raw): Path<String>,
) -> WebResult {
    settings::make_primary_domain(&state.app, &s, id(&raw)?, &origin).await?;
    Ok(Redirect::to("/staff/settings?m=domain-primary#domains-title").into_response())
}

/// Logo upload: multipart, so the CSRF token is checked here from the
/// form's `csrf` field; the image type is decided by its bytes.
pub async fn upload_logo(
    State(state): State<AppState>,
    tenant: TenantCtx,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
    CsrfToken(csrf): CsrfToken,
    seed: Option<axum::Extension<CsrfSeed>>,
    mut mp: Multipart,
) -> WebResult {
    s.require_admin()?;
    let mut sent_csrf = String::new();
    let mut data: Option<Vec<u8>> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let r = Redisplay {
                    logo_error: Some("The logo must be at most 512 KB.".into()),
                    ..Default::default()
                };
                return Ok(refused(render(&state, &tenant, &s, &csrf, None, r).await?));
            }
            Err(_) => {
                return Err(WebError::BadRequest(
                    "The upload could not be read. Try again.".into(),
                ));
            }
        };
        match field.name() {
            Some("csrf") => sent_csrf = field.text().await.unwrap_or_default(),
            Some("logo") => match field.bytes().await {
                Ok(b) => data = Some(b.to_vec()),
                Err(_) => {
                    let r = Redisplay {
                        logo_error: Some("The logo must be at most 512 KB.".into()),
                        ..Default::default()
                    };
                    return Ok(refused(render(&state, &tenant, &s, &csrf, None, r).await?));
                }
            },
            _ => {}
        }
    }
    if !multipart_csrf_ok(&state, seed.as_ref().map(|e| &e.0), &sent_csrf) {
        return Err(WebError::Forbidden(
            "This form has expired. Reload the page and try again.".into(),
        ));
    }
    match settings::save_logo(&state.app, &s, &data.unwrap_or_default(), &origin).await {
        Ok(()) => Ok(Redirect::to("/staff/settings?m=logo-saved#logo-title").into_response()),
        Err(AppError::Invalid(e)) => {
            let r = Redisplay {
                logo_error: e.get("logo").map(str::to_string),
                ..Default::default()
            };
            Ok(refused(
                render(
                    &state,
                    &tenant,
                    &s,
                    &csrf,
                    Some(Notice::error("The logo was not saved.")),
                    r,
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_logo(
    State(state): State<AppState>,
    StaffCtx(s): StaffCtx,
    OriginCtx(origin): OriginCtx,
) -> WebResult {
    settings::delete_logo(&state.app, &s, &origin).await?;
    Ok(Redirect::to("/staff/settings?m=logo-deleted#logo-title").into_response())
}
