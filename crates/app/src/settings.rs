//! Portal configuration per company (seed 001's "Customer Portal Settings",
//! seed 000's settings): sender, welcome e-mail, sections, announcements,
//! FAQ, help contact, logo, domains. Administrators only.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_domain::codes::TxKind;
use portico_domain::section::{Section, SectionSet};
use portico_domain::{email_template, validate};
use portico_store::companies::{self, PortalSettings};

use crate::auth::Staff;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// The settings form as typed.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub from_address: String,
    pub from_name: String,
    pub welcome_subject: String,
    pub welcome_body: String,
    pub send_welcome_on_enroll: bool,
    pub sections: Vec<String>,
    pub announcement_short: String,
    pub announcement_page: String,
    pub help_phone: String,
    pub help_email: String,
    pub help_hours: String,
    pub help_address: String,
    pub use_company_logo: bool,
    pub show_stage_status: bool,
    pub forgot_password_enabled: bool,
    pub agent_may_edit_profile: bool,
    pub brand_color: String,
}

impl SettingsInput {
    pub fn from_settings(s: &PortalSettings) -> SettingsInput {
        SettingsInput {
            from_address: s.from_address.clone(),
            from_name: s.from_name.clone(),
            welcome_subject: s.welcome_subject.clone(),
            welcome_body: s.welcome_body.clone(),
            send_welcome_on_enroll: s.send_welcome_on_enroll,
            sections: SectionSet::parse(&s.sections).iter().map(|x| x.key().to_string()).collect(),
            announcement_short: s.announcement_short.clone(),
            announcement_page: s.announcement_page.clone(),
            help_phone: s.help_phone.clone(),
            help_email: s.help_email.clone(),
            help_hours: s.help_hours.clone(),
            help_address: s.help_address.clone(),
            use_company_logo: s.use_company_logo,
            show_stage_status: s.show_stage_status,
            forgot_password_enabled: s.forgot_password_enabled,
            agent_may_edit_profile: s.agent_may_edit_profile,
            brand_color: s.brand_color.clone(),
        }
    }
}

fn line(errors: &mut FieldErrors, field: &'static str, v: &str, max: usize) -> String {
    validate::line(v, max).unwrap_or_else(|m| {
        errors.add(field, m);
        String::new()
    })
}

fn text(errors: &mut FieldErrors, field: &'static str, v: &str, max: usize) -> String {
    validate::text(v, max).unwrap_or_else(|m| {
        errors.add(field, m);
        String::new()
    })
}

pub async fn save(app: &App, staff: &Staff, input: &SettingsInput, origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let mut e = FieldErrors::new();
    let from_address = if input.from_address.trim().is_empty() {
        String::new()
    } else {
        validate::email(&input.from_address).unwrap_or_else(|| {
            e.add("from_address", "Enter an e-mail address like portal@yourcompany.com, or leave it empty.");
            String::new()
        })
    };
    let from_name = line(&mut e, "from_name", &input.from_name, 100);
    let welcome_subject = line(&mut e, "welcome_subject", &input.welcome_subject, 200);
    if welcome_subject.is_empty() && e.get("welcome_subject").is_none() {
        e.add("welcome_subject", "The welcome e-mail needs a subject.");
    }
    if let Err(t) = email_template::validate(&welcome_subject) {
        e.add("welcome_subject", t.to_string());
    }
    let welcome_body = text(&mut e, "welcome_body", &input.welcome_body, 5000);
    if let Err(t) = email_template::validate(&welcome_body) {
        e.add("welcome_body", t.to_string());
    } else if !welcome_body.contains("{{link}}") && e.get("welcome_body").is_none() {
        e.add("welcome_body", "The welcome e-mail must contain {{link}}, or customers can't set a password.");
    }
    let mut sections = Vec::new();
    for k in &input.sections {
        match Section::from_key(k) {
            Some(s) => sections.push(s),
            None => e.add("sections", format!("Unknown section \"{}\".", crate::audit::clean(k))),
        }
    }
    let announcement_short = text(&mut e, "announcement_short", &input.announcement_short, 280);
    let announcement_page = text(&mut e, "announcement_page", &input.announcement_page, 10_000);
    let help_phone = line(&mut e, "help_phone", &input.help_phone, 40);
    let help_email = if input.help_email.trim().is_empty() {
        String::new()
    } else {
        validate::email(&input.help_email).unwrap_or_else(|| {
            e.add("help_email", "Enter an e-mail address, or leave it empty.");
            String::new()
        })
    };
    let help_hours = line(&mut e, "help_hours", &input.help_hours, 120);
    let help_address = text(&mut e, "help_address", &input.help_address, 300);
    let brand_color = validate::hex_color(&input.brand_color).unwrap_or_else(|| {
        e.add("brand_color", "Use a colour like #1d4ed8.");
        String::new()
    });
    e.into_result()?;
    // Fields edited elsewhere keep their stored values.
    let current = companies::settings(app.db.r(), staff.company_id).await?;
    let s = PortalSettings {
        company_id: staff.company_id,
        from_address,
        from_name,
        welcome_subject,
        welcome_body,
        send_welcome_on_enroll: input.send_welcome_on_enroll,
        sections: SectionSet::from_sections(sections).to_stored(),
        announcement_short,
        announcement_page,
        help_phone,
        help_email,
        help_hours,
        help_address,
        use_company_logo: input.use_company_logo,
        show_stage_status: input.show_stage_status,
        forgot_password_enabled: input.forgot_password_enabled,
        agent_may_edit_profile: input.agent_may_edit_profile,
        brand_color,
        updated_at: now(),
        transaction_kinds_shown: current.transaction_kinds_shown,
        transaction_columns: current.transaction_columns,
        allocation_order: current.allocation_order,
        payoff_good_through_days: current.payoff_good_through_days,
    };
    let mut tx = app.db.begin().await?;
    companies::save_settings(&mut *tx, &s).await?;
    audit::staff(&mut *tx, staff, origin, Action::SettingsUpdate, None, "").await?;
    tx.commit().await?;
    Ok(())
}

pub struct FaqInput {
    pub question: String,
    pub answer: String,
}

fn check_faq(input: &FaqInput) -> Result<(String, String), AppError> {
    let mut e = FieldErrors::new();
    let q = line(&mut e, "question", &input.question, 300);
    let a = text(&mut e, "answer", &input.answer, 5000);
    if q.is_empty() && e.get("question").is_none() {
        e.add("question", "Write the question.");
    }
    if a.is_empty() && e.get("answer").is_none() {
        e.add("answer", "Write the answer.");
    }
    e.into_result()?;
    Ok((q, a))
}

pub async fn add_faq(app: &App, staff: &Staff, input: &FaqInput, origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let (q, a) = check_faq(input)?;
    let mut tx = app.db.begin().await?;
    companies::insert_faq(&mut *tx, staff.company_id, &q, &a).await?;
    audit::staff(&mut *tx, staff, origin, Action::FaqAdd, None, &q).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn update_faq(app: &App, staff: &Staff, id: i64, input: &FaqInput, origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let (q, a) = check_faq(input)?;
    let mut tx = app.db.begin().await?;
    if !companies::update_faq(&mut *tx, staff.company_id, id, &q, &a).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, staff, origin, Action::FaqUpdate, None, &q).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_faq(app: &App, staff: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    if !companies::delete_faq(&mut *tx, staff.company_id, id).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, staff, origin, Action::FaqDelete, None, &format!("entry {id}")).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_domain(app: &App, staff: &Staff, host_input: &str, origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let Some(host) = validate::host(host_input) else {
        return Err(FieldErrors::single("host", "Enter a host name like portal.example.com (no https://, no path)."));
    };
    let mut tx = app.db.begin().await?;
    let first = companies::domains(&mut *tx, staff.company_id).await?.is_empty();
    match companies::insert_domain(&mut *tx, staff.company_id, &host, first, now()).await {
        Ok(_) => {}
        Err(portico_store::StoreError::Conflict(_)) => {
            return Err(FieldErrors::single("host", "This host name is already in use."));
        }
        Err(e) => return Err(e.into()),
    }
    audit::staff(&mut *tx, staff, origin, Action::DomainAdd, None, &host).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_domain(
    app: &App,
    staff: &Staff,
    domain_id: i64,
    current_host: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let domains = companies::domains(app.db.r(), staff.company_id).await?;
    let d = domains.iter().find(|d| d.id == domain_id).ok_or(AppError::NotFound)?;
    if d.is_primary {
        return Err(AppError::Conflict("Make another domain primary before removing this one.".into()));
    }
    if d.host == current_host {
        return Err(AppError::Conflict("You can't remove the domain you are using right now.".into()));
    }
    let mut tx = app.db.begin().await?;
    companies::delete_domain(&mut *tx, staff.company_id, domain_id).await?;
    audit::staff(&mut *tx, staff, origin, Action::DomainDelete, None, &d.host).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn make_primary_domain(app: &App, staff: &Staff, domain_id: i64, origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    if !companies::set_primary_domain(&mut tx, staff.company_id, domain_id).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, staff, origin, Action::DomainPrimary, None, &format!("domain {domain_id}")).await?;
    tx.commit().await?;
    Ok(())
}

pub const LOGO_MAX_BYTES: usize = 512 * 1024;

/// The image type of a logo, by its first bytes (never by name). SVG is
/// refused: it can carry scripts.
pub fn sniff_image(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if data.len() > 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

pub async fn save_logo(app: &App, staff: &Staff, data: &[u8], origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    if data.is_empty() {
        return Err(FieldErrors::single("logo", "Choose an image file."));
    }
    if data.len() > LOGO_MAX_BYTES {
        return Err(FieldErrors::single("logo", "The logo must be at most 512 KB."));
    }
    let Some(ct) = sniff_image(data) else {
        return Err(FieldErrors::single("logo", "Use a PNG, JPEG, GIF or WebP image."));
    };
    let mut tx = app.db.begin().await?;
    companies::save_logo(&mut *tx, staff.company_id, ct, data, now()).await?;
    audit::staff(&mut *tx, staff, origin, Action::LogoUpdate, None, ct).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_logo(app: &App, staff: &Staff, origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    companies::delete_logo(&mut *tx, staff.company_id).await?;
    audit::staff(&mut *tx, staff, origin, Action::LogoDelete, None, "").await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sniff_image;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"GIF89a..."), Some("image/gif"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"<svg xmlns=..."), None);
        assert_eq!(sniff_image(b"MZ\x90\0"), None);
    }
}

/// Transaction kinds a company can show or hide (seed 001).
pub const TRANSACTION_KINDS: [TxKind; 9] = [
    TxKind::Disbursement,
    TxKind::Payment,
    TxKind::Draw,
    TxKind::Fee,
    TxKind::Interest,
    TxKind::Adjustment,
    TxKind::Reversal,
    TxKind::Remittance,
    TxKind::Credit,
];
/// Columns of the Transactions page.
pub const TRANSACTION_COLUMNS: [&str; 9] =
    ["date", "account", "kind", "description", "amount", "principal", "interest", "fees", "status"];
/// Allocation orders offered to companies.
pub const ALLOCATION_ORDERS: [&str; 3] =
    ["fees,interest,principal", "interest,fees,principal", "interest,principal,fees"];

#[derive(Debug, Clone, Default)]
pub struct AccountSettingsInput {
    pub kinds: Vec<String>,
    pub columns: Vec<String>,
    pub allocation_order: String,
    pub payoff_good_through_days: String,
}

pub async fn save_account_settings(
    app: &App,
    staff: &Staff,
    input: &AccountSettingsInput,
    origin: &Origin,
) -> Result<(), AppError> {
    staff.require(Permission::ManageSettings)?;
    let mut e = FieldErrors::new();
    let kinds: Vec<&str> =
        TRANSACTION_KINDS.iter().map(|k| k.code()).filter(|k| input.kinds.iter().any(|x| x == k)).collect();
    if input.kinds.iter().any(|k| !TRANSACTION_KINDS.iter().any(|t| t.code() == k)) {
        e.add("kinds", "Unknown transaction type.");
    }
    if kinds.is_empty() {
        e.add("kinds", "Show at least one type of transaction.");
    }
    let columns: Vec<&str> =
        TRANSACTION_COLUMNS.iter().copied().filter(|c| input.columns.iter().any(|x| x == c)).collect();
    if input.columns.iter().any(|c| !TRANSACTION_COLUMNS.contains(&c.as_str())) {
        e.add("columns", "Unknown column.");
    }
    if columns.is_empty() {
        e.add("columns", "Choose at least one column.");
    }
    if !ALLOCATION_ORDERS.contains(&input.allocation_order.as_str()) {
        e.add("allocation_order", "Choose one of the orders.");
    }
    let days = match input.payoff_good_through_days.trim().parse::<i64>() {
        Ok(d) if (1..=60).contains(&d) => d,
        _ => {
            e.add("payoff_good_through_days", "Use a number of days from 1 to 60.");
            0
        }
    };
    e.into_result()?;
    let mut s = companies::settings(app.db.r(), staff.company_id).await?;
    s.transaction_kinds_shown = kinds.join(",");
    s.transaction_columns = columns.join(",");
    s.allocation_order = input.allocation_order.clone();
    s.payoff_good_through_days = days;
    s.updated_at = now();
    let mut tx = app.db.begin().await?;
    companies::save_settings(&mut *tx, &s).await?;
    audit::staff(&mut *tx, staff, origin, Action::SettingsUpdate, None, "accounts").await?;
    tx.commit().await?;
    Ok(())
}
