//! The company's settlement settings: debt statuses shown, the Debts page's name, required documents (seed 001). Administrators only.

use crate::authz::Permission;
use portico_domain::codes::Action;

use portico_domain::section::{Section, SectionSet};
use portico_domain::settlement::DebtStatus;
use portico_store::companies;
use portico_store::documents::{self as docs};
use portico_store::settlement::{self as st};

use crate::auth::Staff;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

// ---------------------------------------------------------------- console: settings

#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    /// `debts`, `creditors` or `off`.
    pub debts_name: String,
    pub statuses: Vec<String>,
    pub required_types: Vec<String>,
    pub schedule_debits_only: bool,
    pub student_loan_file_upload: bool,
}

pub async fn settings(app: &App, company_id: i64) -> Result<st::SettlementSettings, AppError> {
    Ok(st::settings(app.db.r(), company_id).await?)
}

pub async fn save_settings(app: &App, s: &Staff, input: &SettingsInput, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let mut e = FieldErrors::new();
    let mut statuses = Vec::new();
    for k in &input.statuses {
        match DebtStatus::from_key(k) {
            Some(st) if !statuses.contains(&st) => statuses.push(st),
            Some(_) => {}
            None => e.add("statuses", "Unknown status."),
        }
    }
    let types = docs::types(app.db.r(), s.company_id).await?;
    let mut required = Vec::new();
    for raw in &input.required_types {
        match raw.parse::<i64>().ok().and_then(|id| types.iter().find(|t| t.id == id)) {
            Some(t) if !t.visible || !t.customer_upload => e.add(
                "required_types",
                format!(
                    "Customers can't upload into \"{}\". Allow customer uploads for it under Documents first.",
                    t.name
                ),
            ),
            Some(t) => required.push(t.id),
            None => e.add("required_types", "Unknown document type."),
        }
    }
    if !matches!(input.debts_name.as_str(), "debts" | "creditors" | "off") {
        e.add("debts_name", "Choose how the section is named, or switch it off.");
    }
    e.into_result()?;
    statuses.sort();
    required.sort_unstable();
    required.dedup();
    let portal = companies::settings(app.db.r(), s.company_id).await?;
    let mut sections: Vec<Section> = SectionSet::parse(&portal.sections)
        .iter()
        .filter(|x| !matches!(x, Section::Debts | Section::Creditors))
        .collect();
    match input.debts_name.as_str() {
        "debts" => sections.push(Section::Debts),
        "creditors" => sections.push(Section::Creditors),
        _ => {}
    }
    let t = now();
    let new = st::SettlementSettings {
        company_id: s.company_id,
        statuses_shown: statuses.iter().map(|x| x.key()).collect::<Vec<_>>().join(","),
        debts_required_types: required.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
        schedule_debits_only: input.schedule_debits_only,
        student_loan_file_upload: input.student_loan_file_upload,
        updated_at: t,
    };
    let mut tx = app.db.begin().await?;
    st::save_settings(&mut *tx, &new).await?;
    st::set_sections(&mut *tx, s.company_id, &SectionSet::from_sections(sections).to_stored(), t).await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::SettingsSettlement,
        None,
        &format!(
            "name {}, statuses {}, documents before debts [{}], debits only {}, data file upload {}",
            input.debts_name,
            new.statuses_shown,
            new.debts_required_types,
            new.schedule_debits_only,
            new.student_loan_file_upload
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
