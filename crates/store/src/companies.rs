//! Companies (tenants), their portal settings, domains, FAQ and logo.

use sqlx::{Any, Executor, FromRow};

use crate::{Flag, StoreError, flag};

#[derive(Debug, Clone, FromRow)]
pub struct Company {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, FromRow, Default)]
pub struct PortalSettings {
    pub company_id: i64,
    pub from_address: String,
    pub from_name: String,
    pub welcome_subject: String,
    pub welcome_body: String,
    #[sqlx(try_from = "Flag")]
    pub send_welcome_on_enroll: bool,
    pub sections: String,
    pub announcement_short: String,
    pub announcement_page: String,
    pub help_phone: String,
    pub help_email: String,
    pub help_hours: String,
    pub help_address: String,
    #[sqlx(try_from = "Flag")]
    pub use_company_logo: bool,
    #[sqlx(try_from = "Flag")]
    pub show_stage_status: bool,
    #[sqlx(try_from = "Flag")]
    pub forgot_password_enabled: bool,
    #[sqlx(try_from = "Flag")]
    pub agent_may_edit_profile: bool,
    pub brand_color: String,
    pub updated_at: i64,
    /// Transaction kinds customers ever see (seed 001: e.g. debits only).
    pub transaction_kinds_shown: String,
    /// Default columns of the Transactions page, in order.
    pub transaction_columns: String,
    /// Payment allocation order, e.g. `fees,interest,principal`.
    pub allocation_order: String,
    pub payoff_good_through_days: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct Domain {
    pub id: i64,
    pub company_id: i64,
    pub host: String,
    #[sqlx(try_from = "Flag")]
    pub is_primary: bool,
}

#[derive(Debug, Clone, FromRow)]
pub struct FaqEntry {
    pub id: i64,
    pub company_id: i64,
    pub position: i64,
    pub question: String,
    pub answer: String,
}

/// What every request on a host needs: the domain, its company and that
/// company's portal settings, in one query.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub domain: Domain,
    pub company: Company,
    pub settings: PortalSettings,
    pub has_logo: bool,
    /// What the company can ask of customers at onboarding, read with the
    /// tenant so the session query skips checks that can't apply.
    pub onboarding: OnboardingAsks,
}

/// Onboarding requirements a company has configured (not per customer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnboardingAsks {
    /// Document settings ask for a statement delivery choice.
    pub statement_delivery: bool,
    /// At least one visible document type customers can upload is required
    /// at onboarding.
    pub required_documents: bool,
}

const SETTINGS_COLS: &str = "s.company_id, s.from_address, s.from_name, s.welcome_subject, s.welcome_body, \
    s.send_welcome_on_enroll, s.sections, s.announcement_short, s.announcement_page, s.help_phone, \
    s.help_email, s.help_hours, s.help_address, s.use_company_logo, s.show_stage_status, \
    s.forgot_password_enabled, s.agent_may_edit_profile, s.brand_color, s.updated_at, s.transaction_kinds_shown, \
    s.transaction_columns, s.allocation_order, s.payoff_good_through_days";

pub async fn tenant_by_host<'c>(
    ex: impl Executor<'c, Database = Any>,
    host: &str,
) -> Result<Option<Tenant>, StoreError> {
    let sql = format!(
        "SELECT d.id AS d_id, d.host, d.is_primary, c.id, c.slug, c.name, c.parent_id, \
         (SELECT COUNT(*) FROM company_logos l WHERE l.company_id = c.id) AS logo_count, \
         (SELECT COUNT(*) FROM document_settings ds WHERE ds.company_id = c.id AND ds.ask_statement_delivery = 1) \
           AS asks_statement, \
         (SELECT COUNT(*) FROM document_types dt WHERE dt.company_id = c.id AND {required}) AS required_types, \
         {SETTINGS_COLS} \
         FROM domains d JOIN companies c ON c.id = d.company_id \
         JOIN portal_settings s ON s.company_id = c.id WHERE d.host = $1",
        required = crate::documents::REQUIRED_AT_ONBOARDING,
    );
    let row = sqlx::query(&sql).bind(host).fetch_optional(ex).await?;
    let Some(row) = row else { return Ok(None) };
    use sqlx::Row;
    let company = Company::from_row(&row)?;
    let settings = PortalSettings::from_row(&row)?;
    let domain = Domain {
        id: row.try_get("d_id")?,
        company_id: company.id,
        host: row.try_get("host")?,
        is_primary: row.try_get::<i64, _>("is_primary")? != 0,
    };
    let has_logo = row.try_get::<i64, _>("logo_count")? > 0;
    let onboarding = OnboardingAsks {
        statement_delivery: row.try_get::<i64, _>("asks_statement")? > 0,
        required_documents: row.try_get::<i64, _>("required_types")? > 0,
    };
    Ok(Some(Tenant { domain, company, settings, has_logo, onboarding }))
}

pub async fn get<'c>(ex: impl Executor<'c, Database = Any>, id: i64) -> Result<Company, StoreError> {
    Ok(sqlx::query_as("SELECT id, slug, name, parent_id FROM companies WHERE id = $1").bind(id).fetch_one(ex).await?)
}

pub async fn list<'c>(ex: impl Executor<'c, Database = Any>) -> Result<Vec<Company>, StoreError> {
    Ok(sqlx::query_as("SELECT id, slug, name, parent_id FROM companies ORDER BY id").fetch_all(ex).await?)
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    slug: &str,
    name: &str,
    parent_id: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO companies (slug, name, parent_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(parent_id)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn settings<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<PortalSettings, StoreError> {
    let sql = format!("SELECT {SETTINGS_COLS} FROM portal_settings s WHERE s.company_id = $1");
    Ok(sqlx::query_as(&sql).bind(company_id).fetch_one(ex).await?)
}

/// Insert or replace a company's settings.
pub async fn save_settings<'c>(ex: impl Executor<'c, Database = Any>, s: &PortalSettings) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO portal_settings (company_id, from_address, from_name, welcome_subject, welcome_body, \
         send_welcome_on_enroll, sections, announcement_short, announcement_page, help_phone, help_email, \
         help_hours, help_address, use_company_logo, show_stage_status, forgot_password_enabled, \
         agent_may_edit_profile, brand_color, updated_at, transaction_kinds_shown, transaction_columns, \
         allocation_order, payoff_good_through_days) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) \
         ON CONFLICT (company_id) DO UPDATE SET from_address = excluded.from_address, \
         from_name = excluded.from_name, welcome_subject = excluded.welcome_subject, \
         welcome_body = excluded.welcome_body, send_welcome_on_enroll = excluded.send_welcome_on_enroll, \
         sections = excluded.sections, announcement_short = excluded.announcement_short, \
         announcement_page = excluded.announcement_page, help_phone = excluded.help_phone, \
         help_email = excluded.help_email, help_hours = excluded.help_hours, \
         help_address = excluded.help_address, use_company_logo = excluded.use_company_logo, \
         show_stage_status = excluded.show_stage_status, \
         forgot_password_enabled = excluded.forgot_password_enabled, \
         agent_may_edit_profile = excluded.agent_may_edit_profile, \
         brand_color = excluded.brand_color, updated_at = excluded.updated_at, \
         transaction_kinds_shown = excluded.transaction_kinds_shown, transaction_columns = excluded.transaction_columns, \
         allocation_order = excluded.allocation_order, payoff_good_through_days = excluded.payoff_good_through_days",
    )
    .bind(s.company_id)
    .bind(&s.from_address)
    .bind(&s.from_name)
    .bind(&s.welcome_subject)
    .bind(&s.welcome_body)
    .bind(flag(s.send_welcome_on_enroll))
    .bind(&s.sections)
    .bind(&s.announcement_short)
    .bind(&s.announcement_page)
    .bind(&s.help_phone)
    .bind(&s.help_email)
    .bind(&s.help_hours)
    .bind(&s.help_address)
    .bind(flag(s.use_company_logo))
    .bind(flag(s.show_stage_status))
    .bind(flag(s.forgot_password_enabled))
    .bind(flag(s.agent_may_edit_profile))
    .bind(&s.brand_color)
    .bind(s.updated_at)
    .bind(&s.transaction_kinds_shown)
    .bind(&s.transaction_columns)
    .bind(&s.allocation_order)
    .bind(s.payoff_good_through_days)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn domains<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<Vec<Domain>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, company_id, host, is_primary FROM domains WHERE company_id = $1 \
         ORDER BY is_primary DESC, host",
    )
    .bind(company_id)
    .fetch_all(ex)
    .await?)
}

pub async fn insert_domain<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    host: &str,
    is_primary: bool,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO domains (company_id, host, is_primary, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(company_id)
    .bind(host)
    .bind(flag(is_primary))
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn delete_domain<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    domain_id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM domains WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(domain_id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Make one domain the company's primary (the one used in e-mailed links).
pub async fn set_primary_domain(tx: &mut crate::Tx, company_id: i64, domain_id: i64) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM domains WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(domain_id)
        .fetch_optional(&mut **tx)
        .await?;
    if found.is_none() {
        return Ok(false);
    }
    sqlx::query("UPDATE domains SET is_primary = CASE WHEN id = $2 THEN 1 ELSE 0 END WHERE company_id = $1")
        .bind(company_id)
        .bind(domain_id)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

pub async fn faq<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<Vec<FaqEntry>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, company_id, position, question, answer FROM faq_entries WHERE company_id = $1 \
         ORDER BY position, id",
    )
    .bind(company_id)
    .fetch_all(ex)
    .await?)
}

pub async fn insert_faq<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    question: &str,
    answer: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO faq_entries (company_id, position, question, answer) VALUES ($1, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM faq_entries WHERE company_id = $1), $2, $3) RETURNING id",
    )
    .bind(company_id)
    .bind(question)
    .bind(answer)
    .fetch_one(ex)
    .await?)
}

pub async fn update_faq<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    question: &str,
    answer: &str,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE faq_entries SET question = $3, answer = $4 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(question)
        .bind(answer)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn delete_faq<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM faq_entries WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct Logo {
    pub content_type: String,
    pub data: Vec<u8>,
    pub updated_at: i64,
}

pub async fn logo<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<Option<Logo>, StoreError> {
    Ok(sqlx::query_as("SELECT content_type, data, updated_at FROM company_logos WHERE company_id = $1")
        .bind(company_id)
        .fetch_optional(ex)
        .await?)
}

pub async fn save_logo<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    content_type: &str,
    data: &[u8],
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO company_logos (company_id, content_type, data, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (company_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, \
         updated_at = excluded.updated_at",
    )
    .bind(company_id)
    .bind(content_type)
    .bind(data.to_vec())
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete_logo<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM company_logos WHERE company_id = $1").bind(company_id).execute(ex).await?;
    Ok(())
}
