//! Student loans (seed 001, "Loans and Programs", student-loan file type):
//! the borrower uploads the federal aid data file ("MyStudentData.txt") or,
//! where the company switches file upload off, types the loans; enters AGI,
//! family size, dependents, state and filing status; sees repayment
//! estimates per federal plan (`portico_domain::student_loan::plans`, whose
//! sources are named there and on the page); shares them with the company
//! ("Share with my servicer": a row staff work from in the console, and an
//! e-mail to the company's address); and sees on Programs what was shared and
//! the plan the company recorded.
//!
//! Nothing is stored half-way: a refused file leaves the loans on file as
//! they were; refused figures are not saved. Agents may look, not act.

use crate::authz::Permission;
use portico_domain::codes::Action;
use std::str::FromStr;

use portico_domain::loan::Cents;
use portico_domain::student_loan::LoanKind;
use portico_domain::student_loan::data_file::{self, MAX_FILE_BYTES, MAX_LOANS};
use portico_domain::student_loan::plans::{
    self, EstimateInput, Estimates, FilingStatus, InputError, LoanInput, MAX_LOAN_BALANCE, MAX_RATE_PERCENT, Plan,
};
use portico_domain::validate;
use portico_store::people;
use portico_store::settlement as settlement_store;
use portico_store::student_loans::{self as st, EstimatePlanRow, EstimateRow, LoanRow, NewLoan, Profile, RecordedPlan};
use rust_decimal::Decimal;

use crate::accounts::today;
use crate::auth::{Customer, Staff};
use crate::crypto::random_token;
use crate::ledger::parse_amount;
use crate::mail::{self, Outgoing};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// Loan types a borrower can choose when typing loans (NSLDS codes).
pub const LOAN_TYPES: [(&str, &str); 12] = [
    ("D1", "Direct Subsidized"),
    ("D2", "Direct Unsubsidized"),
    ("D3", "Direct PLUS (graduate)"),
    ("D4", "Direct PLUS (parent)"),
    ("D5", "Direct Consolidation (unsubsidized)"),
    ("D6", "Direct Consolidation (subsidized)"),
    ("D7", "Direct PLUS Consolidation"),
    ("SF", "FFEL Stafford"),
    ("PL", "FFEL PLUS (parent)"),
    ("GB", "FFEL PLUS (graduate)"),
    ("CL", "FFEL Consolidation"),
    ("PU", "Perkins"),
];

pub const FILING_STATUSES: [(&str, &str); 4] = [
    ("single", "Single"),
    ("head_of_household", "Head of household"),
    ("married_joint", "Married filing jointly"),
    ("married_separate", "Married filing separately"),
];

/// US states, DC and territories the poverty guidelines cover.
pub const STATES: [(&str, &str); 56] = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("PR", "Puerto Rico"),
    ("GU", "Guam"),
    ("VI", "U.S. Virgin Islands"),
    ("AS", "American Samoa"),
    ("MP", "Northern Mariana Islands"),
];

/// The largest upload the page accepts: the parser's own limit.
pub const MAX_UPLOAD_BYTES: usize = MAX_FILE_BYTES;

pub fn loan_input(r: &LoanRow) -> LoanInput {
    LoanInput {
        kind: LoanKind::from_code(&r.type_code),
        balance: Cents(r.balance_cents),
        annual_rate: Decimal::from_str(&r.rate).ok(),
        first_disbursed: r.first_disbursed.as_deref().and_then(validate::date),
    }
}

fn input_of(loans: &[LoanRow], p: &Profile) -> Option<EstimateInput> {
    Some(EstimateInput {
        loans: loans.iter().map(loan_input).collect(),
        agi: Cents(p.agi_cents?),
        family_size: u8::try_from(p.family_size?).ok()?,
        dependents: u8::try_from(p.dependents?).ok()?,
        state: p.state.clone()?,
        filing_status: FilingStatus::from_key(p.filing_status.as_deref()?)?,
        as_of: today(),
    })
}

/// What the Student loans page shows.
#[derive(Debug, Clone)]
pub struct LoansView {
    pub file_upload: bool,
    pub loans: Vec<LoanRow>,
    pub profile: Option<Profile>,
    /// The estimates for the loans and the figures on file, when both are.
    pub estimates: Option<Estimates>,
}

pub async fn view(app: &App, c: &Customer) -> Result<LoansView, AppError> {
    let settings = settlement_store::settings(app.db.r(), c.company_id).await?;
    let loans = st::loans(app.db.r(), c.company_id, c.contact.id).await?;
    let profile = st::profile(app.db.r(), c.company_id, c.contact.id).await?;
    let estimates = profile.as_ref().and_then(|p| input_of(&loans, p)).and_then(|i| plans::estimate(&i).ok());
    Ok(LoansView { file_upload: settings.student_loan_file_upload, loans, profile, estimates })
}

async fn refuse_agent(app: &App, c: &Customer, origin: &Origin, what: &str) -> Result<(), AppError> {
    if c.is_agent() {
        audit::portal(app.db.w(), c, origin, Action::AccessRefused, &format!("agent tried to {what}")).await?;
        return Err(AppError::Forbidden("Agents can view student loans but not change them for the customer.".into()));
    }
    Ok(())
}

/// Check before reading an upload: the company takes files, and the user is
/// not an Agent.
pub async fn check_may_upload(app: &App, c: &Customer, origin: &Origin) -> Result<(), AppError> {
    let settings = settlement_store::settings(app.db.r(), c.company_id).await?;
    if !settings.student_loan_file_upload {
        return Err(AppError::NotFound);
    }
    refuse_agent(app, c, origin, "upload a student aid data file").await
}

/// The message for a refused file, naming the line.
pub fn file_error(e: &data_file::ParseError) -> String {
    if e.line == 0 {
        format!("This file was not accepted: {}", e.message)
    } else {
        format!("This file was not accepted. Line {}: {}", e.line, e.message)
    }
}

/// Replace the loans on file with those of an uploaded data file. Returns
/// the number of loans read.
pub async fn upload(app: &App, c: &Customer, raw_name: &str, bytes: &[u8], origin: &Origin) -> Result<usize, AppError> {
    check_may_upload(app, c, origin).await?;
    if bytes.is_empty() {
        return Err(FieldErrors::single("file", "Choose your MyStudentData.txt file to upload."));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(FieldErrors::single(
            "file",
            "This file is larger than 1 MB, which a student aid data file never is.",
        ));
    }
    let data = data_file::parse(bytes).map_err(|e| FieldErrors::single("file", file_error(&e)))?;
    let loans: Vec<NewLoan> = data
        .loans
        .iter()
        .map(|l| NewLoan {
            source: "file".into(),
            type_code: l.type_code.trim().to_ascii_uppercase(),
            description: l.type_description.clone().unwrap_or_else(|| l.kind.label().to_string()),
            school: l.school.clone().unwrap_or_default(),
            balance_cents: l.outstanding().0,
            rate: l.interest_rate.map(|r| r.normalize().to_string()).unwrap_or_default(),
            first_disbursed: l.first_disbursement().map(validate::iso_date),
        })
        .collect();
    let name = crate::documents::clean_name(raw_name).unwrap_or_else(|| "MyStudentData.txt".into());
    let mut tx = app.db.begin().await?;
    st::replace_loans(
        &mut tx,
        c.company_id,
        c.contact.id,
        &loans,
        &name,
        data.file_request_date.map(validate::iso_date).as_deref(),
        now(),
    )
    .await?;
    audit::portal(&mut *tx, c, origin, Action::StudentLoansUpload, &format!("{name}: {} loans", loans.len())).await?;
    tx.commit().await?;
    Ok(loans.len())
}

/// A loan typed by the borrower.
#[derive(Debug, Clone, Default)]
pub struct LoanForm {
    pub type_code: String,
    pub balance: String,
    pub rate: String,
    pub first_disbursed: String,
    pub school: String,
}

pub async fn add_loan(app: &App, c: &Customer, f: &LoanForm, origin: &Origin) -> Result<i64, AppError> {
    let settings = settlement_store::settings(app.db.r(), c.company_id).await?;
    if settings.student_loan_file_upload {
        return Err(AppError::NotFound);
    }
    refuse_agent(app, c, origin, "add a student loan").await?;
    let mut e = FieldErrors::new();
    let kind = LOAN_TYPES.iter().find(|(k, _)| *k == f.type_code);
    if kind.is_none() {
        e.add("type_code", "Choose the type of loan.");
    }
    let balance = parse_amount(&f.balance).unwrap_or_else(|m| {
        e.add("balance", m);
        0
    });
    if balance > MAX_LOAN_BALANCE.0 {
        e.add("balance", "A balance above $10,000,000 is not plausible.");
    }
    let rate = match Decimal::from_str(f.rate.trim().trim_end_matches('%').trim()) {
        Ok(r) if r >= Decimal::ZERO && r <= Decimal::from(MAX_RATE_PERCENT) && r.scale() <= 3 => {
            Some(r / Decimal::ONE_HUNDRED)
        }
        _ => {
            e.add("rate", "Enter the interest rate in percent, from 0 to 25, for example 4.53.");
            None
        }
    };
    let first = if f.first_disbursed.trim().is_empty() {
        None
    } else {
        match validate::date(&f.first_disbursed) {
            Some(d) if d > today() => {
                e.add("first_disbursed", "The first disbursement date can't be in the future.");
                None
            }
            Some(d) => Some(validate::iso_date(d)),
            None => {
                e.add("first_disbursed", "Enter the date as YYYY-MM-DD, or leave it empty.");
                None
            }
        }
    };
    let school = validate::line(&f.school, 200).unwrap_or_else(|m| {
        e.add("school", m);
        String::new()
    });
    let count = st::loans(app.db.r(), c.company_id, c.contact.id).await?.len();
    if count >= MAX_LOANS {
        e.add("type_code", "You can enter at most 200 loans.");
    }
    e.into_result()?;
    let (Some((code, label)), Some(rate)) = (kind, rate) else {
        return Err(FieldErrors::single("form", "Check the fields."));
    };
    let mut tx = app.db.begin().await?;
    let id = st::insert_loan(
        &mut *tx,
        c.company_id,
        c.contact.id,
        &NewLoan {
            source: "manual".into(),
            type_code: (*code).into(),
            description: (*label).into(),
            school,
            balance_cents: balance,
            rate: rate.normalize().to_string(),
            first_disbursed: first,
        },
        now(),
    )
    .await?;
    audit::portal(&mut *tx, c, origin, Action::StudentLoansAdd, &format!("loan #{id} {code}")).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_loan(app: &App, c: &Customer, id: i64, origin: &Origin) -> Result<(), AppError> {
    refuse_agent(app, c, origin, "remove a student loan").await?;
    let mut tx = app.db.begin().await?;
    if !st::delete_loan(&mut *tx, c.company_id, c.contact.id, id).await? {
        return Err(AppError::NotFound);
    }
    audit::portal(&mut *tx, c, origin, Action::StudentLoansRemove, &format!("loan #{id}")).await?;
    tx.commit().await?;
    Ok(())
}

/// The figures for the estimate, as typed.
#[derive(Debug, Clone, Default)]
pub struct IncomeForm {
    pub agi: String,
    pub family_size: String,
    pub dependents: String,
    pub state: String,
    pub filing_status: String,
}

impl IncomeForm {
    pub fn from_profile(p: Option<&Profile>) -> IncomeForm {
        let Some(p) = p else {
            return IncomeForm { family_size: "1".into(), dependents: "0".into(), ..Default::default() };
        };
        IncomeForm {
            agi: p.agi_cents.map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default(),
            family_size: p.family_size.map(|v| v.to_string()).unwrap_or_else(|| "1".into()),
            dependents: p.dependents.map(|v| v.to_string()).unwrap_or_else(|| "0".into()),
            state: p.state.clone().unwrap_or_default(),
            filing_status: p.filing_status.clone().unwrap_or_default(),
        }
    }
}

/// Signed money typed by a person ("-1,200" is read so that the estimator
/// can say why a negative income is refused).
fn signed_amount(raw: &str) -> Result<i64, &'static str> {
    let t = raw.trim();
    if let Some(rest) = t.strip_prefix('-') {
        return parse_amount(rest).map(|v| -v);
    }
    if t.trim_start_matches('$').replace(',', "").chars().all(|c| c == '0' || c == '.') && !t.is_empty() {
        return Ok(0);
    }
    parse_amount(t)
}

/// A small whole number typed by a person; out-of-range values become a
/// value the estimator refuses with its own message.
fn count(raw: &str) -> Option<u8> {
    let t = raw.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(t.parse::<u64>().ok().map(|v| u8::try_from(v.min(255)).unwrap_or(255)).unwrap_or(255))
}

/// Check the figures with the estimator and save them; nothing is saved
/// when any is refused.
pub async fn save_income(app: &App, c: &Customer, f: &IncomeForm, origin: &Origin) -> Result<Estimates, AppError> {
    refuse_agent(app, c, origin, "enter income figures").await?;
    let mut e = FieldErrors::new();
    let agi = if f.agi.trim().is_empty() {
        e.add("agi", "Enter your adjusted gross income (line 11 of Form 1040). Enter 0 if you had no income.");
        None
    } else {
        match signed_amount(&f.agi) {
            Ok(v) => Some(v),
            Err(m) if f.agi.len() > 20 || m.contains("too large") => {
                e.add("agi", "Adjusted gross income above $10,000,000 is outside what this estimate covers.");
                None
            }
            Err(m) => {
                e.add("agi", m);
                None
            }
        }
    };
    let family = count(&f.family_size);
    if family.is_none() {
        e.add("family_size", "Enter your family size as a whole number, for example 3.");
    }
    let dependents = count(&f.dependents);
    if dependents.is_none() {
        e.add("dependents", "Enter the number of dependents as a whole number (0 if none).");
    }
    let filing = FilingStatus::from_key(&f.filing_status);
    if filing.is_none() {
        e.add("filing_status", "Choose your tax filing status.");
    }
    let state = f.state.trim().to_ascii_uppercase();
    let loans = st::loans(app.db.r(), c.company_id, c.contact.id).await?;
    let input = EstimateInput {
        loans: loans.iter().map(loan_input).collect(),
        agi: Cents(agi.unwrap_or(0)),
        family_size: family.unwrap_or(1),
        dependents: dependents.unwrap_or(0),
        state: state.clone(),
        filing_status: filing.unwrap_or(FilingStatus::Single),
        as_of: today(),
    };
    let result = plans::estimate(&input);
    if let Err(errors) = &result {
        for InputError { field, message } in errors {
            let already = match *field {
                "agi" => agi.is_none(),
                "family_size" => family.is_none(),
                "dependents" => dependents.is_none(),
                _ => false,
            };
            if !already && e.get(field).is_none() {
                e.add(field, message.clone());
            }
        }
    }
    e.into_result()?;
    let estimates = result.map_err(|_| FieldErrors::single("form", "Check the fields."))?;
    let mut tx = app.db.begin().await?;
    st::save_inputs(
        &mut tx,
        c.company_id,
        c.contact.id,
        input.agi.0,
        i64::from(input.family_size),
        i64::from(input.dependents),
        &state,
        input.filing_status.key(),
        now(),
    )
    .await?;
    audit::portal(&mut *tx, c, origin, Action::StudentLoansEstimate, "income figures saved").await?;
    tx.commit().await?;
    Ok(estimates)
}

fn plan_rows(company_id: i64, e: &Estimates) -> Vec<EstimatePlanRow> {
    e.plans
        .iter()
        .map(|p| EstimatePlanRow {
            id: 0,
            estimate_id: 0,
            company_id,
            plan: p.plan.key().into(),
            eligible: p.eligible,
            reason: p.reason.clone().unwrap_or_default(),
            notes: p.notes.join("\n"),
            first_payment_cents: p.figures.as_ref().map(|f| f.first_payment.0),
            last_payment_cents: p.figures.as_ref().map(|f| f.last_payment.0),
            payments: p.figures.as_ref().map(|f| i64::from(f.payments)),
            total_paid_cents: p.figures.as_ref().map(|f| f.total_paid.0),
            forgiven_cents: p.figures.as_ref().map(|f| f.forgiven.0),
        })
        .collect()
}

pub fn plan_label(key: &str) -> &'static str {
    Plan::from_key(key).map(Plan::label).unwrap_or("Other")
}

/// "Share with my servicer": keep the estimate as computed now and tell the
/// company. Returns the estimate's id.
pub async fn share(app: &App, c: &Customer, origin: &Origin) -> Result<i64, AppError> {
    refuse_agent(app, c, origin, "share a student-loan estimate").await?;
    let loans = st::loans(app.db.r(), c.company_id, c.contact.id).await?;
    let profile = st::profile(app.db.r(), c.company_id, c.contact.id).await?;
    let input = profile.as_ref().and_then(|p| input_of(&loans, p)).ok_or_else(|| {
        FieldErrors::single("share", "Add your loans and your income figures first, then share the estimate.")
    })?;
    let estimates = plans::estimate(&input)
        .map_err(|_| FieldErrors::single("share", "Your figures need correcting before the estimate can be shared."))?;
    let reference = format!(
        "SL-{}-{}",
        input.as_of.format(time::macros::format_description!("[year][month][day]")).unwrap_or_default(),
        random_token()[..6].to_uppercase().replace(['-', '_'], "X")
    );
    let row = EstimateRow {
        id: 0,
        company_id: c.company_id,
        contact_id: c.contact.id,
        reference: reference.clone(),
        as_of: validate::iso_date(input.as_of),
        agi_cents: input.agi.0,
        family_size: i64::from(input.family_size),
        dependents: i64::from(input.dependents),
        state: input.state.clone(),
        filing_status: input.filing_status.key().into(),
        loans: i64::try_from(input.loans.iter().filter(|l| l.balance.0 > 0).count()).unwrap_or(0),
        total_balance_cents: estimates.total_balance.0,
        weighted_rate: estimates.weighted_rate_percent.to_string(),
        poverty_year: i64::from(estimates.poverty_year),
        poverty_guideline_cents: estimates.poverty_guideline.0,
        discretionary_income_cents: estimates.discretionary_income.0,
        status: "shared".into(),
        shared_at: now(),
        reviewed_by: None,
        reviewed_at: None,
    };
    let plans = plan_rows(c.company_id, &estimates);
    let sender = mail::CompanySender::load(app, c.company_id).await?;
    let lines: Vec<String> = estimates
        .plans
        .iter()
        .map(|p| match (&p.figures, p.eligible) {
            (Some(f), true) => format!(
                "- {}: {} a month first, {} last, {} payments, {} in total, {} forgiven",
                p.plan.label(),
                mail::cents_text(f.first_payment.0),
                mail::cents_text(f.last_payment.0),
                f.payments,
                mail::cents_text(f.total_paid.0),
                mail::cents_text(f.forgiven.0)
            ),
            _ => format!("- {}: not eligible ({})", p.plan.label(), p.reason.clone().unwrap_or_default()),
        })
        .collect();
    let mut tx = app.db.begin().await?;
    let id = st::insert_estimate(&mut tx, &row, &plans).await?;
    let link = crate::notify::console_link(app, c.company_id, &format!("/staff/student-loans/estimates/{id}")).await?;
    let text = format!(
        "{} {} (customer {}) shared a student-loan repayment estimate in the portal and asks you to review it.\n\n\
         Reference: {reference}\nLoans: {} totalling {}\nAGI: {}, family size {}, {} dependent(s), {}, {}\n\n{}\n\n\
         These are estimates from the figures the customer entered. Record the plan you agree on in the console:\n{link}",
        c.contact.first_name,
        c.contact.last_name,
        c.contact.customer_number,
        row.loans,
        mail::cents_text(row.total_balance_cents),
        mail::cents_text(row.agi_cents),
        row.family_size,
        row.dependents,
        row.state,
        FILING_STATUSES.iter().find(|(k, _)| *k == row.filing_status).map(|(_, l)| *l).unwrap_or(""),
        lines.join("\n")
    );
    mail::enqueue(
        &mut *tx,
        &Outgoing {
            company_id: c.company_id,
            kind: "student_loan_estimate",
            to: &sender.from_addr,
            from: sender.from(),
            subject: &format!(
                "Student-loan estimate {reference} from {} {}",
                c.contact.first_name, c.contact.last_name
            ),
            text: &text,
        },
    )
    .await?;
    audit::portal(&mut *tx, c, origin, Action::StudentLoansShare, &reference).await?;
    let data = serde_json::json!({ "reference": reference, "estimate_id": id, "contact_id": c.contact.id });
    crate::webhooks::emit(&mut tx, c.company_id, "estimate.shared", data).await?;
    tx.commit().await?;
    Ok(id)
}

/// The Programs page: estimates shared (newest first) and the plan the
/// company recorded.
pub async fn programs(app: &App, c: &Customer) -> Result<(Vec<EstimateRow>, Option<RecordedPlan>), AppError> {
    let shared = st::estimates_for_contact(app.db.r(), c.company_id, c.contact.id).await?;
    let plan = st::recorded_plan(app.db.r(), c.company_id, c.contact.id).await?;
    Ok((shared, plan))
}

/// One of the customer's shared estimates, or `NotFound`.
pub async fn shared(app: &App, c: &Customer, id: i64) -> Result<(EstimateRow, Vec<EstimatePlanRow>), AppError> {
    let e = st::estimate(app.db.r(), c.company_id, Some(c.contact.id), id).await?.ok_or(AppError::NotFound)?;
    let plans = st::estimate_plans(app.db.r(), c.company_id, e.id).await?;
    Ok((e, plans))
}

// ---------------------------------------------------------------- console

pub struct StaffLoans {
    pub contact: people::Contact,
    pub loans: Vec<LoanRow>,
    pub profile: Option<Profile>,
    pub estimates: Vec<EstimateRow>,
    pub plan: Option<RecordedPlan>,
}

pub async fn for_contact(app: &App, s: &Staff, contact_id: i64) -> Result<StaffLoans, AppError> {
    let contact = people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    Ok(StaffLoans {
        contact,
        loans: st::loans(app.db.r(), s.company_id, contact_id).await?,
        profile: st::profile(app.db.r(), s.company_id, contact_id).await?,
        estimates: st::estimates_for_contact(app.db.r(), s.company_id, contact_id).await?,
        plan: st::recorded_plan(app.db.r(), s.company_id, contact_id).await?,
    })
}

pub async fn estimate_for_staff(
    app: &App,
    s: &Staff,
    id: i64,
) -> Result<(EstimateRow, Vec<EstimatePlanRow>, people::Contact), AppError> {
    let e = st::estimate(app.db.r(), s.company_id, None, id).await?.ok_or(AppError::NotFound)?;
    let plans = st::estimate_plans(app.db.r(), s.company_id, e.id).await?;
    let contact = people::contact(app.db.r(), s.company_id, e.contact_id).await?.ok_or(AppError::NotFound)?;
    Ok((e, plans, contact))
}

pub async fn shared_list(app: &App, s: &Staff) -> Result<Vec<(EstimateRow, String)>, AppError> {
    Ok(st::estimates_for_company(app.db.r(), s.company_id, 200).await?)
}

pub async fn mark_reviewed(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ServiceCustomers)?;
    let e = st::estimate(app.db.r(), s.company_id, None, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    st::mark_reviewed(&mut *tx, s.company_id, id, s.user.id, now()).await?;
    audit::staff(&mut *tx, s, origin, Action::StudentLoansReviewed, Some(e.contact_id), &e.reference).await?;
    tx.commit().await?;
    Ok(())
}

/// The plan staff record, as typed.
#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    pub plan: String,
    pub monthly_payment: String,
    pub starts_on: String,
    pub note: String,
    pub estimate_id: String,
}

impl PlanForm {
    pub fn from_plan(p: Option<&RecordedPlan>) -> PlanForm {
        match p {
            Some(p) => PlanForm {
                plan: p.plan.clone(),
                monthly_payment: p
                    .monthly_payment_cents
                    .map(|c| format!("{}.{:02}", c / 100, c % 100))
                    .unwrap_or_default(),
                starts_on: p.starts_on.clone().unwrap_or_default(),
                note: p.note.clone(),
                estimate_id: p.estimate_id.map(|i| i.to_string()).unwrap_or_default(),
            },
            None => PlanForm::default(),
        }
    }
}

/// Record the plan the company agreed with the borrower; when it answers a
/// shared estimate, that estimate is marked reviewed.
pub async fn record_plan(app: &App, s: &Staff, contact_id: i64, f: &PlanForm, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ServiceCustomers)?;
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let mut e = FieldErrors::new();
    if Plan::from_key(&f.plan).is_none() {
        e.add("plan", "Choose the repayment plan.");
    }
    let monthly = if f.monthly_payment.trim().is_empty() {
        None
    } else {
        match parse_amount(&f.monthly_payment) {
            Ok(v) => Some(v),
            Err(m) => {
                e.add("monthly_payment", m);
                None
            }
        }
    };
    let starts = if f.starts_on.trim().is_empty() {
        None
    } else {
        match validate::date(&f.starts_on) {
            Some(d) => Some(validate::iso_date(d)),
            None => {
                e.add("starts_on", "Enter the date as YYYY-MM-DD, or leave it empty.");
                None
            }
        }
    };
    let note = validate::text(&f.note, 2000).unwrap_or_else(|m| {
        e.add("note", m);
        String::new()
    });
    let estimate_id = match f.estimate_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) => match st::estimate(app.db.r(), s.company_id, Some(contact_id), id).await? {
                Some(e) => Some(e.id),
                None => {
                    e.add("estimate_id", "Choose one of this customer's shared estimates.");
                    None
                }
            },
            Err(_) => {
                e.add("estimate_id", "Choose one of this customer's shared estimates.");
                None
            }
        },
    };
    e.into_result()?;
    let p = RecordedPlan {
        contact_id,
        company_id: s.company_id,
        plan: f.plan.clone(),
        monthly_payment_cents: monthly,
        starts_on: starts,
        note,
        estimate_id,
        recorded_by: s.user.id,
        recorded_at: now(),
    };
    let mut tx = app.db.begin().await?;
    st::save_recorded_plan(&mut *tx, &p).await?;
    if let Some(id) = estimate_id {
        st::mark_reviewed(&mut *tx, s.company_id, id, s.user.id, now()).await?;
    }
    audit::staff(&mut *tx, s, origin, Action::StudentLoansPlan, Some(contact_id), plan_label(&p.plan)).await?;
    tx.commit().await?;
    Ok(())
}
