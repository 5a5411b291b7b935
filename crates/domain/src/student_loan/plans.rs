//! Repayment estimates per federal student-loan plan in effect in 2026.
//!
//! **Estimates only.** They assume the income, family size and interest
//! rates entered stay the same for the whole repayment period and that every
//! payment is made on time.
//!
//! # Sources
//!
//! * **Standard, Graduated, Extended** — Higher Education Act (HEA)
//!   §455(d)(1)(A)–(C) (20 U.S.C. 1087e(d)), 34 CFR 685.208; studentaid.gov
//!   "Standard / Graduated / Extended Repayment Plan".
//! * **Income-Based Repayment (IBR)** — HEA §493C (20 U.S.C. 1098e), 34 CFR
//!   685.221: 15 % of discretionary income and forgiveness after 25 years for
//!   borrowers who had a loan before July 1, 2014; 10 % and 20 years for
//!   "new borrowers" on or after that date; the payment never exceeds the
//!   10-year Standard payment; a calculated payment under $5 is $0 and one
//!   from $5 to under $10 is $10 (34 CFR 685.221(b)). Discretionary income
//!   = AGI − 150 % of the HHS poverty guideline for the family size and
//!   state.
//! * **The One Big Beautiful Bill Act, Public Law 119-21 (July 4, 2025),
//!   title VIII** — (a) removed the *partial financial hardship* condition
//!   for entering IBR (the Department applied the change on December 22,
//!   2025), so hardship is reported here as information, not as a condition;
//!   (b) created the **Repayment Assistance Plan** (RAP, HEA §455(q)),
//!   available from **July 1, 2026**; (c) created the **tiered Standard
//!   plan** for loans made on or after July 1, 2026 (10 years under $25,000,
//!   15 under $50,000, 20 under $100,000, 25 at $100,000 or more) and limited
//!   such loans to that plan and RAP.
//! * **RAP** (HEA §455(q) as added by P.L. 119-21 §82001): the base payment
//!   is a percentage of the **whole** AGI by bracket, divided by 12 —
//!   AGI ≤ $10,000: $120 a year ($10 a month); more than $10,000 up to
//!   $20,000: 1 %; more than $20,000 up to $30,000: 2 %; … more than $90,000
//!   up to $100,000: 9 %; more than $100,000: 10 % — minus **$50 a month for
//!   each dependent**, never less than **$10**. Each month interest the
//!   payment does not cover is **waived**; when the payment reduces principal
//!   by less than $50, the Secretary reduces principal by the lesser of $50
//!   and the payment, minus the principal the payment covered (**principal
//!   match**). The balance left after **360** qualifying payments is
//!   forgiven. Direct Loans only; Parent PLUS loans (and consolidation loans
//!   that repaid one) are excluded. Bracket edges: the statute's "more than
//!   … not more than …" wording is followed (exactly $20,000 is 1 %); some
//!   summaries print the brackets as "$10,000–$19,999", which differs only at
//!   the exact edges.
//! * **Poverty guidelines** — HHS poverty guidelines for **2025** (Federal
//!   Register, January 2025): 48 contiguous states and DC $15,650 for one
//!   person + $5,500 for each additional person; Alaska $19,550 + $6,880;
//!   Hawaii $17,990 + $6,330. The 2026 guidelines (Federal Register
//!   2026-00755, January 15, 2026; $15,960 for one person in the 48 states)
//!   could not be verified in full for every family size and for Alaska and
//!   Hawaii, so the 2025 figures are used and labelled as such
//!   ([`POVERTY_GUIDELINES_YEAR`]).
//!
//! # Model (simplifications, stated on the page as well)
//!
//! * All loans a plan covers are **pooled**: one balance (principal +
//!   outstanding interest) at the balance-weighted average rate, unrounded.
//! * Interest accrues **monthly** (annual rate ÷ 12 on the principal,
//!   rounded to cents half up) rather than daily; unpaid interest is never
//!   capitalized and earns no interest; payments go to interest first.
//! * Fixed plans put every rounding difference into the last payment.
//! * **Graduated** (documented model; the regulation only requires payments
//!   at least equal to the interest and none more than 3 times another):
//!   five steps of 24 months; step *k* (0–4) pays `P × (1 + k/4)`, so the
//!   last step is twice the first; `P` amortizes the balance in 120 months:
//!   `P = B ÷ Σₘ wₘ·vᵐ` with `wₘ` the step factor of month *m* and
//!   `v = 1 ÷ (1 + r)`. When `P` is below the first month's interest it is
//!   raised to that interest and the last payment absorbs the rest.
//! * **Filing status**: `agi` is the AGI on the borrower's latest federal
//!   return — when married filing jointly that is the couple's joint AGI
//!   (IBR and RAP both count the spouse's income then); when filing
//!   separately it is the borrower's alone. Family size counts the spouse in
//!   both cases. The estimate assumes the spouse has no federal student loans
//!   of their own (with joint filing and two borrowers, IBR would split the
//!   payment by each one's share of the combined debt).
//! * IBR "new borrower" (10 %, 20 years) is assumed when every loan was first
//!   disbursed on or after July 1, 2014; when a date is unknown the older
//!   terms (15 %, 25 years) are used and the estimate says so.
//! * Standard is 10 years even for consolidation loans (whose standard term
//!   can be up to 30 years under 34 CFR 685.208(j)).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

use super::LoanKind;
use super::data_file::FederalLoan;
use crate::loan::{Cents, level_payment, round_cents};

/// Year of the HHS poverty guidelines used (see the module docs).
pub const POVERTY_GUIDELINES_YEAR: i32 = 2025;
/// Loans first disbursed on or after this date fall under P.L. 119-21's new
/// rules (tiered Standard or RAP only); RAP opens on this date.
pub const NEW_LOAN_RULES_FROM: Date = date!(2026 - 07 - 01);
/// IBR "new borrower" date (HEA §493C(e)).
pub const IBR_NEW_BORROWER_FROM: Date = date!(2014 - 07 - 01);
/// Largest AGI accepted: $10,000,000.00.
pub const MAX_AGI: Cents = Cents(1_000_000_000);
/// Largest balance accepted on one loan: $10,000,000.00.
pub const MAX_LOAN_BALANCE: Cents = Cents(1_000_000_000);
/// Highest interest rate accepted: 25 % (federal rates have never reached
/// it).
pub const MAX_RATE_PERCENT: u32 = 25;
/// Extended plan threshold: more than $30,000 outstanding.
pub const EXTENDED_THRESHOLD: Cents = Cents(3_000_000);

/// Which poverty-guideline table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    /// The 48 contiguous states, DC, and (as the Department does) the
    /// territories.
    Contiguous,
    /// Alaska.
    Alaska,
    /// Hawaii.
    Hawaii,
}

impl Region {
    /// The region of a two-letter USPS state, DC or territory code
    /// (case-insensitive); `None` for anything else.
    pub fn for_state(code: &str) -> Option<Region> {
        const CODES: [&str; 56] = [
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
            "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
            "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI",
            "AS", "MP",
        ];
        let code = code.trim().to_ascii_uppercase();
        match code.as_str() {
            "AK" => Some(Region::Alaska),
            "HI" => Some(Region::Hawaii),
            c if CODES.contains(&c) => Some(Region::Contiguous),
            _ => None,
        }
    }

    /// `(first person, each additional person)` of the
    /// [`POVERTY_GUIDELINES_YEAR`] guidelines.
    pub const fn guideline_figures(self) -> (Cents, Cents) {
        match self {
            Region::Contiguous => (Cents(1_565_000), Cents(550_000)),
            Region::Alaska => (Cents(1_955_000), Cents(688_000)),
            Region::Hawaii => (Cents(1_799_000), Cents(633_000)),
        }
    }

    /// Human label.
    pub const fn label(self) -> &'static str {
        match self {
            Region::Contiguous => "48 contiguous states and DC",
            Region::Alaska => "Alaska",
            Region::Hawaii => "Hawaii",
        }
    }
}

/// The annual poverty guideline for a family of `family_size` (≥ 1).
pub fn poverty_guideline(region: Region, family_size: u8) -> Cents {
    let (first, each) = region.guideline_figures();
    Cents(first.0 + each.0 * i64::from(family_size.max(1) - 1))
}

/// Federal income tax filing status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilingStatus {
    /// Single.
    Single,
    /// Head of household.
    HeadOfHousehold,
    /// Married filing jointly: `agi` is the joint AGI.
    MarriedFilingJointly,
    /// Married filing separately: `agi` is the borrower's own.
    MarriedFilingSeparately,
}

impl FilingStatus {
    /// True for the two married statuses.
    pub const fn is_married(self) -> bool {
        matches!(self, FilingStatus::MarriedFilingJointly | FilingStatus::MarriedFilingSeparately)
    }

    /// Stable key.
    pub const fn key(self) -> &'static str {
        match self {
            FilingStatus::Single => "single",
            FilingStatus::HeadOfHousehold => "head_of_household",
            FilingStatus::MarriedFilingJointly => "married_joint",
            FilingStatus::MarriedFilingSeparately => "married_separate",
        }
    }

    /// The status for a key.
    pub fn from_key(key: &str) -> Option<FilingStatus> {
        [
            FilingStatus::Single,
            FilingStatus::HeadOfHousehold,
            FilingStatus::MarriedFilingJointly,
            FilingStatus::MarriedFilingSeparately,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

/// One loan as the estimator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanInput {
    /// Kind (from the NSLDS code, or chosen when entered by hand).
    pub kind: LoanKind,
    /// Outstanding principal + interest, ≥ 0. Zero-balance loans are ignored.
    pub balance: Cents,
    /// Annual rate as a fraction (`0.0453`); required when the balance is
    /// above zero.
    pub annual_rate: Option<Decimal>,
    /// First disbursement date, when known.
    pub first_disbursed: Option<Date>,
}

impl From<&FederalLoan> for LoanInput {
    fn from(loan: &FederalLoan) -> Self {
        LoanInput {
            kind: loan.kind.clone(),
            balance: loan.outstanding(),
            annual_rate: loan.interest_rate,
            first_disbursed: loan.first_disbursement(),
        }
    }
}

/// Everything an estimate needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimateInput {
    /// The loans.
    pub loans: Vec<LoanInput>,
    /// AGI from the latest federal return (joint when married filing
    /// jointly), 0 ..= [`MAX_AGI`].
    pub agi: Cents,
    /// Family size (borrower, spouse, dependents), 1 ..= 20.
    pub family_size: u8,
    /// Dependents claimed (for RAP's $50 reduction), ≤ family size − 1
    /// (− 1 more when married).
    pub dependents: u8,
    /// Two-letter state code.
    pub state: String,
    /// Filing status.
    pub filing_status: FilingStatus,
    /// The date the estimate is made for (RAP availability, labels).
    pub as_of: Date,
}

/// A field the user must fix, with a message to show beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// `loans`, `agi`, `family_size`, `dependents` or `state`.
    pub field: &'static str,
    /// What to fix.
    pub message: String,
}

/// The plans estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Plan {
    /// 10-year fixed.
    Standard,
    /// 10 years, payments rising every 2 years.
    Graduated,
    /// 25-year fixed.
    Extended,
    /// Income-Based Repayment.
    IncomeBased,
    /// Repayment Assistance Plan (from July 1, 2026).
    RepaymentAssistance,
    /// Tiered Standard (loans made on or after July 1, 2026).
    TieredStandard,
}

impl Plan {
    /// Every plan, in display order.
    pub const ALL: [Plan; 6] = [
        Plan::Standard,
        Plan::Graduated,
        Plan::Extended,
        Plan::IncomeBased,
        Plan::RepaymentAssistance,
        Plan::TieredStandard,
    ];

    /// Human name.
    pub const fn label(self) -> &'static str {
        match self {
            Plan::Standard => "Standard (10 years)",
            Plan::Graduated => "Graduated (10 years)",
            Plan::Extended => "Extended (25 years)",
            Plan::IncomeBased => "Income-Based Repayment (IBR)",
            Plan::RepaymentAssistance => "Repayment Assistance Plan (RAP)",
            Plan::TieredStandard => "Tiered Standard",
        }
    }

    /// Stable key.
    pub const fn key(self) -> &'static str {
        match self {
            Plan::Standard => "standard",
            Plan::Graduated => "graduated",
            Plan::Extended => "extended",
            Plan::IncomeBased => "ibr",
            Plan::RepaymentAssistance => "rap",
            Plan::TieredStandard => "tiered_standard",
        }
    }

    /// The plan for a key.
    pub fn from_key(key: &str) -> Option<Plan> {
        Plan::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// The projected figures of one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFigures {
    /// The balance the plan covers.
    pub balance: Cents,
    /// First monthly payment.
    pub first_payment: Cents,
    /// Last monthly payment (differs for Graduated and when rounding lands
    /// in the last payment).
    pub last_payment: Cents,
    /// Number of monthly payments (months in repayment, $0 payments
    /// included).
    pub payments: u32,
    /// Σ payments.
    pub total_paid: Cents,
    /// The part of the payments that paid interest.
    pub total_interest: Cents,
    /// Balance (principal + unpaid interest) forgiven at the end.
    pub forgiven: Cents,
    /// RAP: interest waived because the payment did not cover it.
    pub interest_waived: Cents,
    /// RAP: principal reduced by the Secretary's match.
    pub principal_matched: Cents,
}

/// The estimate of one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEstimate {
    /// Which plan.
    pub plan: Plan,
    /// Whether the borrower qualifies.
    pub eligible: bool,
    /// Why not, when not eligible.
    pub reason: Option<String>,
    /// Anything the borrower should know (loans left out, assumptions).
    pub notes: Vec<String>,
    /// The projection, when eligible.
    pub figures: Option<PlanFigures>,
}

/// All estimates for one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimates {
    /// Σ balances (loans with a balance).
    pub total_balance: Cents,
    /// Balance-weighted average rate as a **percent**, 3 places.
    pub weighted_rate_percent: Decimal,
    /// The poverty-guideline region.
    pub region: Region,
    /// Year of the guidelines.
    pub poverty_year: i32,
    /// The guideline for the family size.
    pub poverty_guideline: Cents,
    /// AGI − 150 % of the guideline, ≥ 0 (IBR).
    pub discretionary_income: Cents,
    /// One estimate per [`Plan::ALL`], in that order.
    pub plans: Vec<PlanEstimate>,
}

fn input_error(field: &'static str, message: impl Into<String>) -> InputError {
    InputError { field, message: message.into() }
}

/// Checks an input; every problem is reported, each against its field.
pub fn validate(input: &EstimateInput) -> Result<Region, Vec<InputError>> {
    let mut errors = Vec::new();
    if input.agi.0 < 0 {
        errors.push(input_error(
            "agi",
            "Adjusted gross income cannot be negative. If your tax return shows a loss, enter 0.",
        ));
    } else if input.agi > MAX_AGI {
        errors
            .push(input_error("agi", "Adjusted gross income above $10,000,000 is outside what this estimate covers."));
    }
    if !(1..=20).contains(&input.family_size) {
        errors.push(input_error("family_size", "Family size must be between 1 and 20."));
    } else if input.filing_status.is_married() && input.family_size < 2 {
        errors.push(input_error(
            "family_size",
            "A married borrower's family size includes the spouse, so it is at least 2.",
        ));
    }
    let spouse = u8::from(input.filing_status.is_married());
    let max_dependents = input.family_size.saturating_sub(1 + spouse);
    if input.dependents > max_dependents && (1..=20).contains(&input.family_size) {
        errors.push(input_error(
            "dependents",
            format!("With a family size of {} you can have at most {max_dependents} dependents.", input.family_size),
        ));
    }
    let region = Region::for_state(&input.state);
    if region.is_none() {
        errors.push(input_error("state", "Choose the state you live in (two-letter code such as NY)."));
    }
    let with_balance = input.loans.iter().filter(|l| l.balance.0 > 0).count();
    if input.loans.len() > super::data_file::MAX_LOANS {
        errors.push(input_error("loans", "Too many loans (200 at most)."));
    } else if with_balance == 0 {
        errors.push(input_error("loans", "Add at least one loan with a balance."));
    }
    let mut total = 0i64;
    for (i, loan) in input.loans.iter().enumerate() {
        let n = i + 1;
        if loan.balance.0 < 0 {
            errors.push(input_error("loans", format!("Loan {n}: the balance cannot be negative.")));
        } else if loan.balance > MAX_LOAN_BALANCE {
            errors.push(input_error("loans", format!("Loan {n}: a balance above $10,000,000 is not plausible.")));
        }
        total = total.saturating_add(loan.balance.0.max(0));
        if loan.balance.0 > 0 {
            match loan.annual_rate {
                None => errors.push(input_error("loans", format!("Loan {n}: enter its interest rate."))),
                Some(rate)
                    if rate.is_sign_negative() || rate > Decimal::from(MAX_RATE_PERCENT) / Decimal::ONE_HUNDRED =>
                {
                    errors
                        .push(input_error("loans", format!("Loan {n}: the interest rate must be between 0% and 25%.")));
                }
                Some(_) => {}
            }
        }
    }
    if total > MAX_LOAN_BALANCE.0 * 10 {
        errors.push(input_error("loans", "The loans add up to more than $100,000,000, which is not plausible."));
    }
    match (errors.is_empty(), region) {
        (true, Some(region)) => Ok(region),
        _ => Err(errors),
    }
}

/// A pool of loans: Σ balance and the balance-weighted rate.
#[derive(Debug, Clone, Copy)]
struct Pool {
    balance: i64,
    rate: Decimal,
}

fn pool<'a>(loans: impl Iterator<Item = &'a LoanInput>) -> Pool {
    let mut balance = 0i64;
    let mut weighted = Decimal::ZERO;
    for loan in loans.filter(|l| l.balance.0 > 0) {
        balance += loan.balance.0;
        weighted += Decimal::from(loan.balance.0) * loan.annual_rate.unwrap_or_default();
    }
    let rate = if balance == 0 { Decimal::ZERO } else { weighted / Decimal::from(balance) };
    Pool { balance, rate }
}

fn to_cents(amount: Decimal) -> i64 {
    (round_cents(amount) * Decimal::ONE_HUNDRED).to_i64().unwrap_or(i64::MAX)
}

fn money(cents: i64) -> String {
    let c = Cents(cents).to_decimal();
    let whole = c.trunc().to_i64().unwrap_or(0);
    let mut digits = whole.abs().to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    format!("${digits}{grouped}.{:02}", (cents.abs() % 100))
}

/// How the monthly payment of a simulation is chosen.
enum Payment {
    /// Level payment for `months`; the last one clears the balance.
    Fixed { amount: i64, months: u32 },
    /// Graduated: `base × (1 + step/4)` for step = month / 24; the last one
    /// clears the balance.
    Graduated { base: i64, months: u32 },
    /// The same amount every month until paid off or `months` pass, then the
    /// rest is forgiven.
    Constant { amount: i64, months: u32, rap: bool },
}

fn simulate(balance: i64, annual_rate: Decimal, payment: &Payment) -> PlanFigures {
    let monthly_rate = annual_rate / Decimal::from(12);
    let (months, rap) = match payment {
        Payment::Fixed { months, .. } | Payment::Graduated { months, .. } => (*months, false),
        Payment::Constant { months, rap, .. } => (*months, *rap),
    };
    let mut principal = balance;
    let mut unpaid = 0i64;
    let mut f = PlanFigures {
        balance: Cents(balance),
        first_payment: Cents::ZERO,
        last_payment: Cents::ZERO,
        payments: 0,
        total_paid: Cents::ZERO,
        total_interest: Cents::ZERO,
        forgiven: Cents::ZERO,
        interest_waived: Cents::ZERO,
        principal_matched: Cents::ZERO,
    };
    for m in 0..months {
        if principal == 0 && unpaid == 0 {
            break;
        }
        let interest = to_cents(Decimal::from(principal) / Decimal::ONE_HUNDRED * monthly_rate);
        let interest_owed = unpaid + interest;
        let due = principal + interest_owed;
        let scheduled = match payment {
            Payment::Fixed { amount, .. } => *amount,
            Payment::Graduated { base, .. } => {
                let step = i64::from(m / 24);
                to_cents(Decimal::from(*base) / Decimal::ONE_HUNDRED * (Decimal::from(4 + step) / Decimal::from(4)))
            }
            Payment::Constant { amount, .. } => *amount,
        };
        let last_fixed = !matches!(payment, Payment::Constant { .. }) && m + 1 == months;
        let pay = if last_fixed { due } else { scheduled.min(due) };
        let to_interest = pay.min(interest_owed);
        let to_principal = pay - to_interest;
        principal -= to_principal;
        if rap {
            f.interest_waived.0 += interest_owed - to_interest;
            unpaid = 0;
            // Principal match: min($50, payment) − principal paid, if positive.
            let matched = (pay.min(5_000) - to_principal).max(0).min(principal);
            principal -= matched;
            f.principal_matched.0 += matched;
        } else {
            unpaid = interest_owed - to_interest;
        }
        if m == 0 {
            f.first_payment = Cents(pay);
        }
        f.last_payment = Cents(pay);
        f.payments += 1;
        f.total_paid.0 += pay;
        f.total_interest.0 += to_interest;
    }
    f.forgiven = Cents(principal + unpaid);
    f
}

/// The 10-year (or `months`) level payment of a pool.
fn level(pool: Pool, months: u32) -> i64 {
    level_payment(Cents(pool.balance), pool.rate, 12, months).map(|c| c.0).unwrap_or(i64::MAX)
}

/// First-step payment of the graduated model (see the module docs).
fn graduated_base(pool: Pool) -> i64 {
    let r = pool.rate / Decimal::from(12);
    let v = Decimal::ONE / (Decimal::ONE + r);
    let mut factor = Decimal::ZERO;
    let mut vm = Decimal::ONE;
    for m in 0..120u32 {
        vm *= v;
        factor += Decimal::from(4 + m / 24) / Decimal::from(4) * vm;
    }
    let base = to_cents(Decimal::from(pool.balance) / Decimal::ONE_HUNDRED / factor);
    let first_interest = to_cents(Decimal::from(pool.balance) / Decimal::ONE_HUNDRED * r);
    base.max(first_interest)
}

/// IBR monthly payment before the cap, with the $5 / $10 rule.
fn ibr_formula(agi: Cents, guideline: Cents, percent: u32) -> (i64, i64) {
    let discretionary = (agi.0 - guideline.0 * 3 / 2).max(0);
    let monthly = to_cents(
        Decimal::from(discretionary) / Decimal::ONE_HUNDRED * Decimal::from(percent)
            / Decimal::ONE_HUNDRED
            / Decimal::from(12),
    );
    let monthly = match monthly {
        m if m < 500 => 0,
        m if m < 1_000 => 1_000,
        m => m,
    };
    (discretionary, monthly)
}

/// The RAP applicable percentage for an AGI (see the module docs): 0 means
/// the flat $10 a month of an AGI of $10,000 or less.
pub fn rap_percent(agi: Cents) -> u32 {
    if agi.0 <= 1_000_000 {
        return 0;
    }
    // ceil(AGI / $10,000) − 1, at most 10.
    let brackets = (agi.0 + 999_999) / 1_000_000 - 1;
    brackets.clamp(1, 10) as u32
}

/// The RAP monthly payment: base − $50 × dependents, at least $10.
pub fn rap_payment(agi: Cents, dependents: u8) -> Cents {
    let base = match rap_percent(agi) {
        0 => 1_000,
        pct => to_cents(
            Decimal::from(agi.0) / Decimal::ONE_HUNDRED * Decimal::from(pct) / Decimal::ONE_HUNDRED / Decimal::from(12),
        ),
    };
    Cents((base - 5_000 * i64::from(dependents)).max(1_000))
}

/// The tiered Standard term in months for a total balance.
pub fn tiered_standard_months(balance: Cents) -> u32 {
    match balance.0 {
        b if b < 2_500_000 => 120,
        b if b < 5_000_000 => 180,
        b if b < 10_000_000 => 240,
        _ => 300,
    }
}

/// Estimates every plan of [`Plan::ALL`] for `input`, after [`validate`].
pub fn estimate(input: &EstimateInput) -> Result<Estimates, Vec<InputError>> {
    let region = validate(input)?;
    let loans: Vec<&LoanInput> = input.loans.iter().filter(|l| l.balance.0 > 0).collect();
    let all = pool(loans.iter().copied());
    let guideline = poverty_guideline(region, input.family_size);
    let has_new_loan = loans.iter().any(|l| l.first_disbursed.is_some_and(|d| d >= NEW_LOAN_RULES_FROM));
    let new_rules_reason = "You have a loan made on or after July 1, 2026. Under Public Law 119-21 such loans can be \
                            repaid only under the Tiered Standard plan or the Repayment Assistance Plan."
        .to_owned();

    let fixed = |plan: Plan, months: u32| -> PlanEstimate {
        let figures = simulate(all.balance, all.rate, &Payment::Fixed { amount: level(all, months), months });
        PlanEstimate { plan, eligible: true, reason: None, notes: Vec::new(), figures: Some(figures) }
    };
    let ineligible = |plan: Plan, reason: String| PlanEstimate {
        plan,
        eligible: false,
        reason: Some(reason),
        notes: Vec::new(),
        figures: None,
    };

    // Standard
    let standard =
        if has_new_loan { ineligible(Plan::Standard, new_rules_reason.clone()) } else { fixed(Plan::Standard, 120) };

    // Graduated
    let graduated = if has_new_loan {
        ineligible(Plan::Graduated, new_rules_reason.clone())
    } else {
        let figures = simulate(all.balance, all.rate, &Payment::Graduated { base: graduated_base(all), months: 120 });
        PlanEstimate {
            plan: Plan::Graduated,
            eligible: true,
            reason: None,
            notes: vec!["Payments rise every 2 years in five equal steps; the last step is twice the first.".into()],
            figures: Some(figures),
        }
    };

    // Extended
    let direct = pool(loans.iter().copied().filter(|l| l.kind.is_direct()));
    let ffel = pool(loans.iter().copied().filter(|l| l.kind.is_ffel()));
    let extended = if has_new_loan {
        ineligible(Plan::Extended, new_rules_reason.clone())
    } else if direct.balance > EXTENDED_THRESHOLD.0 || ffel.balance > EXTENDED_THRESHOLD.0 {
        fixed(Plan::Extended, 300)
    } else {
        ineligible(
            Plan::Extended,
            format!(
                "The Extended plan needs more than $30,000 outstanding in Direct Loans (or in FFEL loans); you have {} in Direct Loans.",
                money(direct.balance)
            ),
        )
    };

    // IBR
    let (discretionary, ibr) = {
        let covered: Vec<&LoanInput> = loans
            .iter()
            .copied()
            .filter(|l| (l.kind.is_direct() || l.kind.is_ffel()) && !l.kind.is_parent_plus())
            .collect();
        let left_out = loans.len() - covered.len();
        let new_borrower = !covered.is_empty()
            && covered.iter().all(|l| l.first_disbursed.is_some_and(|d| d >= IBR_NEW_BORROWER_FROM));
        let dates_unknown = covered.iter().any(|l| l.first_disbursed.is_none());
        let (percent, months) = if new_borrower { (10, 240) } else { (15, 300) };
        let (discretionary, formula) = ibr_formula(input.agi, guideline, percent);
        let estimate = if has_new_loan {
            ineligible(Plan::IncomeBased, new_rules_reason.clone())
        } else if covered.is_empty() {
            ineligible(
                Plan::IncomeBased,
                "None of your loans qualifies for IBR (Parent PLUS and Perkins loans do not, unless consolidated)."
                    .into(),
            )
        } else {
            let p = pool(covered.iter().copied());
            let cap = level(p, 120);
            let payment = formula.min(cap);
            let mut notes = vec![format!(
                "{percent}% of discretionary income ({} a year: AGI minus 150% of the {POVERTY_GUIDELINES_YEAR} poverty guideline of {}), capped at the 10-year Standard payment of {}; forgiveness after {} years.",
                money(discretionary),
                money(guideline.0),
                money(cap),
                months / 12
            )];
            if formula < cap {
                notes.push(
                    "You have a partial financial hardship (the IBR payment is below the Standard payment).".into(),
                );
            } else {
                notes.push(
                    "No partial financial hardship: since Public Law 119-21 you may still enter IBR, but the payment is the Standard-plan cap."
                        .into(),
                );
            }
            if dates_unknown {
                notes.push(
                    "A first disbursement date is missing, so the pre-July 2014 terms (15%, 25 years) are assumed."
                        .into(),
                );
            }
            if left_out > 0 {
                notes.push(format!(
                    "{left_out} loan(s) not eligible for IBR (Parent PLUS, Perkins or other) are not included."
                ));
            }
            let figures = simulate(p.balance, p.rate, &Payment::Constant { amount: payment, months, rap: false });
            PlanEstimate { plan: Plan::IncomeBased, eligible: true, reason: None, notes, figures: Some(figures) }
        };
        (discretionary, estimate)
    };

    // RAP
    let rap = {
        let covered: Vec<&LoanInput> =
            loans.iter().copied().filter(|l| l.kind.is_direct() && !l.kind.is_parent_plus()).collect();
        let left_out = loans.len() - covered.len();
        if covered.is_empty() {
            ineligible(
                Plan::RepaymentAssistance,
                "RAP covers Direct Loans other than Parent PLUS loans; FFEL and Perkins loans qualify only after consolidation into a Direct Consolidation Loan.".into(),
            )
        } else {
            let p = pool(covered.iter().copied());
            let payment = rap_payment(input.agi, input.dependents);
            let pct = rap_percent(input.agi);
            let mut notes = vec![if pct == 0 {
                format!(
                    "AGI of $10,000 or less: $10 a month. Unpaid interest is waived; up to $50 a month of principal is matched; forgiveness after 30 years. Payment: {}.",
                    money(payment.0)
                )
            } else {
                format!(
                    "{pct}% of AGI ÷ 12, minus $50 for each of {} dependent(s), at least $10: {}. Unpaid interest is waived; up to $50 a month of principal is matched; forgiveness after 30 years.",
                    input.dependents,
                    money(payment.0)
                )
            }];
            if input.as_of < NEW_LOAN_RULES_FROM {
                notes.push("RAP opens on July 1, 2026.".into());
            }
            if left_out > 0 {
                notes.push(format!(
                    "{left_out} loan(s) not eligible for RAP (Parent PLUS, FFEL, Perkins or other) are not included."
                ));
            }
            if covered.iter().any(|l| {
                matches!(
                    l.kind,
                    LoanKind::DirectConsolidationSubsidized
                        | LoanKind::DirectConsolidationUnsubsidized
                        | LoanKind::DirectConsolidationPlus
                )
            }) {
                notes.push("A consolidation loan that repaid a Parent PLUS loan does not qualify for RAP.".into());
            }
            let figures = simulate(p.balance, p.rate, &Payment::Constant { amount: payment.0, months: 360, rap: true });
            PlanEstimate {
                plan: Plan::RepaymentAssistance,
                eligible: true,
                reason: None,
                notes,
                figures: Some(figures),
            }
        }
    };

    // Tiered Standard
    let tiered = if has_new_loan {
        let months = tiered_standard_months(Cents(all.balance));
        let mut e = fixed(Plan::TieredStandard, months);
        e.notes.push(format!("{} years for a balance of {}.", months / 12, money(all.balance)));
        e
    } else {
        ineligible(
            Plan::TieredStandard,
            "The Tiered Standard plan applies to loans made on or after July 1, 2026; your loans use the 10-year Standard plan.".into(),
        )
    };

    Ok(Estimates {
        total_balance: Cents(all.balance),
        weighted_rate_percent: (all.rate * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero),
        region,
        poverty_year: POVERTY_GUIDELINES_YEAR,
        poverty_guideline: guideline,
        discretionary_income: Cents(discretionary),
        plans: vec![standard, graduated, extended, ibr, rap, tiered],
    })
}

#[cfg(test)]
mod tests {
    //! Payments are worked by hand in the comments. Totals over whole
    //! schedules (hundreds of rounded months) come from an independent
    //! Python `decimal` simulation of the same model (round half up each
    //! month, interest first, last fixed payment clears the balance), noted
    //! beside each figure.

    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn loan(kind: LoanKind, dollars: i64, rate: &str, first: Date) -> LoanInput {
        LoanInput { kind, balance: Cents(dollars * 100), annual_rate: Some(d(rate)), first_disbursed: Some(first) }
    }

    fn input(loans: Vec<LoanInput>, agi_dollars: i64) -> EstimateInput {
        EstimateInput {
            loans,
            agi: Cents(agi_dollars * 100),
            family_size: 1,
            dependents: 0,
            state: "NY".into(),
            filing_status: FilingStatus::Single,
            as_of: date!(2026 - 05 - 15),
        }
    }

    fn plan(e: &Estimates, plan: Plan) -> &PlanEstimate {
        e.plans.iter().find(|p| p.plan == plan).unwrap()
    }

    fn figures(e: &Estimates, p: Plan) -> &PlanFigures {
        plan(e, p).figures.as_ref().unwrap()
    }

    /// One $30,000.00 Direct Unsubsidized loan at 6.00 %, first disbursed
    /// 2015 (an IBR "new borrower"), single, family of 1, New York.
    fn thirty_thousand(agi_dollars: i64) -> EstimateInput {
        input(vec![loan(LoanKind::DirectUnsubsidized, 30_000, "0.06", date!(2015 - 09 - 01))], agi_dollars)
    }

    #[test]
    fn poverty_guidelines_2025() {
        // 48 states: 15,650 + 5,500 × (n − 1)
        assert_eq!(poverty_guideline(Region::Contiguous, 1), Cents(1_565_000));
        assert_eq!(poverty_guideline(Region::Contiguous, 4), Cents(3_215_000)); // 15,650 + 16,500
        assert_eq!(poverty_guideline(Region::Alaska, 3), Cents(3_331_000)); // 19,550 + 13,760
        assert_eq!(poverty_guideline(Region::Hawaii, 2), Cents(2_432_000)); // 17,990 + 6,330
        assert_eq!(Region::for_state("ak"), Some(Region::Alaska));
        assert_eq!(Region::for_state(" HI "), Some(Region::Hawaii));
        assert_eq!(Region::for_state("DC"), Some(Region::Contiguous));
        assert_eq!(Region::for_state("PR"), Some(Region::Contiguous));
        assert_eq!(Region::for_state("ZZ"), None);
        assert_eq!(Region::for_state(""), None);
    }

    #[test]
    fn standard_ten_year() {
        let e = estimate(&thirty_thousand(50_000)).unwrap();
        let s = figures(&e, Plan::Standard);
        // r = 0.06 / 12 = 0.005; P = 30,000 × 0.005 / (1 − 1.005^−120)
        //   = 150 / (1 − 0.5496327) = 150 / 0.4503673 = 333.0615… → 333.06
        assert_eq!(s.first_payment, Cents(33_306));
        assert_eq!(s.payments, 120);
        // Python: last 333.29, total 39,967.43, interest 9,967.43.
        assert_eq!(s.last_payment, Cents(33_329));
        assert_eq!(s.total_paid, Cents(3_996_743));
        assert_eq!(s.total_interest, Cents(996_743));
        assert_eq!(s.total_paid.0 - s.total_interest.0, 3_000_000);
        assert_eq!(s.forgiven, Cents::ZERO);
        assert_eq!(e.weighted_rate_percent, d("6.000"));
    }

    #[test]
    fn standard_at_zero_rate_puts_rounding_in_last_payment() {
        let e =
            estimate(&input(vec![loan(LoanKind::DirectSubsidized, 10_000, "0", date!(2016 - 01 - 01))], 0)).unwrap();
        let s = figures(&e, Plan::Standard);
        // 10,000 / 120 = 83.333… → 83.33; 119 × 83.33 = 9,916.27; last = 83.73
        assert_eq!((s.first_payment, s.last_payment), (Cents(8_333), Cents(8_373)));
        assert_eq!(s.total_paid, Cents(1_000_000));
        assert_eq!(s.total_interest, Cents::ZERO);
    }

    #[test]
    fn graduated_steps() {
        // At 0 %: Σ step factors = 24 × (1 + 1.25 + 1.5 + 1.75 + 2) = 180,
        // so P = 18,000 / 180 = 100.00; steps 100, 125, 150, 175, 200;
        // 24 × 750 = 18,000 exactly.
        let e =
            estimate(&input(vec![loan(LoanKind::DirectSubsidized, 18_000, "0", date!(2016 - 01 - 01))], 0)).unwrap();
        let g = figures(&e, Plan::Graduated);
        assert_eq!((g.first_payment, g.last_payment, g.payments), (Cents(10_000), Cents(20_000), 120));
        assert_eq!(g.total_paid, Cents(1_800_000));

        // 30,000 at 6 %: Σ wₘ·vᵐ = 129.7524…; P = 30,000 / 129.7524 = 231.21
        // (above the first month's interest of 150.00). Python: last 462.13,
        // total 41,617.63.
        let e = estimate(&thirty_thousand(50_000)).unwrap();
        let g = figures(&e, Plan::Graduated);
        assert_eq!(g.first_payment, Cents(23_121));
        assert_eq!(g.last_payment, Cents(46_213));
        assert_eq!(g.total_paid, Cents(4_161_763));
        assert!(g.last_payment.0 <= 3 * g.first_payment.0, "no payment more than 3× another");
    }

    #[test]
    fn graduated_first_payment_never_below_interest() {
        // At 25 % on 10,000: the first month's interest is 208.33; the
        // amortizing step payment would be below it, so it is raised.
        let pool = Pool { balance: 1_000_000, rate: d("0.25") };
        assert!(graduated_base(pool) >= 20_833);
    }

    #[test]
    fn extended_needs_more_than_30000() {
        // Exactly $30,000.00 is not "more than $30,000".
        let e = estimate(&thirty_thousand(50_000)).unwrap();
        let x = plan(&e, Plan::Extended);
        assert!(!x.eligible);
        assert!(x.reason.as_deref().unwrap().contains("$30,000.00"), "{:?}", x.reason);

        // 40,000 at 5 % over 300 months: r = 0.0041667,
        // P = 40,000 × r / (1 − (1 + r)^−300) = 166.667 / 0.712733 = 233.84.
        // Python: last 231.46, total 70,149.62.
        let e =
            estimate(&input(vec![loan(LoanKind::DirectUnsubsidized, 40_000, "0.05", date!(2016 - 01 - 01))], 50_000))
                .unwrap();
        let x = figures(&e, Plan::Extended);
        assert_eq!((x.first_payment, x.last_payment, x.payments), (Cents(23_384), Cents(23_146), 300));
        assert_eq!(x.total_paid, Cents(7_014_962));
    }

    #[test]
    fn ibr_new_borrower() {
        let e = estimate(&thirty_thousand(50_000)).unwrap();
        // 150 % × 15,650 = 23,475; 50,000 − 23,475 = 26,525 discretionary
        assert_eq!(e.poverty_guideline, Cents(1_565_000));
        assert_eq!(e.discretionary_income, Cents(2_652_500));
        let ibr = plan(&e, Plan::IncomeBased);
        assert!(ibr.eligible);
        assert!(ibr.notes[1].contains("partial financial hardship"));
        let f = ibr.figures.as_ref().unwrap();
        // 10 % × 26,525 / 12 = 221.0416… → 221.04 (below the 333.06 cap)
        assert_eq!(f.first_payment, Cents(22_104));
        // Paid off before the 20-year forgiveness. Python: 228 payments, last
        // 129.90, total 50,305.98.
        assert_eq!((f.payments, f.last_payment, f.total_paid), (228, Cents(12_990), Cents(5_030_598)));
        assert_eq!(f.forgiven, Cents::ZERO);
    }

    #[test]
    fn ibr_old_borrower_alaska_family_of_three() {
        let mut i = input(vec![loan(LoanKind::FfelStafford, 30_000, "0.068", date!(2008 - 09 - 01))], 60_000);
        i.family_size = 3;
        i.dependents = 2;
        i.state = "AK".into();
        let e = estimate(&i).unwrap();
        // Alaska, 3 people: 19,550 + 2 × 6,880 = 33,310; × 1.5 = 49,965
        // discretionary 60,000 − 49,965 = 10,035; 15 % / 12 = 125.4375 → 125.44
        assert_eq!(e.discretionary_income, Cents(1_003_500));
        let f = figures(&e, Plan::IncomeBased);
        assert_eq!(f.first_payment, Cents(12_544));
        // Interest is 30,000 × 0.068 / 12 = 170.00 a month > 125.44: the
        // balance is never paid down; after 300 payments the principal and
        // 300 × (170.00 − 125.44) = 13,368.00 unpaid interest are forgiven.
        assert_eq!(f.payments, 300);
        assert_eq!(f.total_paid, Cents(300 * 12_544));
        assert_eq!(f.forgiven, Cents(3_000_000 + 1_336_800));
        // FFEL loans are not covered by RAP.
        assert!(!plan(&e, Plan::RepaymentAssistance).eligible);
    }

    #[test]
    fn ibr_small_payments_and_cap() {
        // 24,000 − 23,475 = 525; 10 % / 12 = 4.375 → under $5 → $0.
        let e = estimate(&thirty_thousand(24_000)).unwrap();
        let f = figures(&e, Plan::IncomeBased);
        assert_eq!(f.first_payment, Cents::ZERO);
        // 240 months of $0: the principal and 240 × 150.00 interest are forgiven.
        assert_eq!((f.payments, f.total_paid), (240, Cents::ZERO));
        assert_eq!(f.forgiven, Cents(3_000_000 + 240 * 15_000));
        // 24,200 − 23,475 = 725; 72.50 / 12 = 6.04 → between $5 and $10 → $10.
        let e = estimate(&thirty_thousand(24_200)).unwrap();
        assert_eq!(figures(&e, Plan::IncomeBased).first_payment, Cents(1_000));
        // 150,000: 10 % × 126,525 / 12 = 1,054.38 → capped at 333.06, no hardship.
        let e = estimate(&thirty_thousand(150_000)).unwrap();
        let ibr = plan(&e, Plan::IncomeBased);
        assert_eq!(ibr.figures.as_ref().unwrap().first_payment, Cents(33_306));
        assert!(ibr.eligible, "no hardship is no longer a bar (P.L. 119-21)");
        assert!(ibr.notes[1].starts_with("No partial financial hardship"));
    }

    #[test]
    fn ibr_excludes_parent_plus_and_uses_old_terms_when_dates_unknown() {
        let mut unknown = loan(LoanKind::DirectUnsubsidized, 10_000, "0.05", date!(2016 - 01 - 01));
        unknown.first_disbursed = None;
        let parent = loan(LoanKind::DirectPlusParent, 20_000, "0.07", date!(2016 - 01 - 01));
        let e = estimate(&input(vec![unknown, parent], 40_000)).unwrap();
        let ibr = plan(&e, Plan::IncomeBased);
        let f = ibr.figures.as_ref().unwrap();
        assert_eq!(f.balance, Cents(1_000_000), "Parent PLUS left out");
        // 15 % × (40,000 − 23,475) / 12 = 15 % × 16,525 / 12 = 206.5625 → 206.56,
        // but capped at the 10-year payment on 10,000 at 5 %: 106.07.
        assert_eq!(f.first_payment, Cents(10_607));
        assert!(ibr.notes.iter().any(|n| n.contains("15%, 25 years")));
        assert!(ibr.notes.iter().any(|n| n.contains("not eligible for IBR")));
        let only_parent =
            estimate(&input(vec![loan(LoanKind::DirectPlusParent, 20_000, "0.07", date!(2016 - 01 - 01))], 40_000))
                .unwrap();
        assert!(!plan(&only_parent, Plan::IncomeBased).eligible);
        assert!(!plan(&only_parent, Plan::RepaymentAssistance).eligible);
    }

    #[test]
    fn rap_payment_brackets() {
        let rap = |dollars: i64, cents: i64, deps: u8| rap_payment(Cents(dollars * 100 + cents), deps);
        assert_eq!(rap(0, 0, 0), Cents(1_000)); // $120 a year flat
        assert_eq!(rap(10_000, 0, 0), Cents(1_000));
        // 10,000.01 × 1 % / 12 = 8.33 → at least $10
        assert_eq!(rap(10_000, 1, 0), Cents(1_000));
        assert_eq!(rap(15_000, 0, 0), Cents(1_250)); // 150 / 12 = 12.50
        assert_eq!(rap(20_000, 0, 0), Cents(1_667)); // still 1 %: 200 / 12 = 16.666… → 16.67
        assert_eq!(rap(20_000, 1, 0), Cents(3_333)); // 2 %: 400.0002 / 12 = 33.33
        assert_eq!(rap(60_000, 0, 2), Cents(15_000)); // 5 %: 3,000 / 12 = 250 − 2 × 50 = 150
        assert_eq!(rap(100_000, 0, 0), Cents(75_000)); // 9 %: 9,000 / 12 = 750
        assert_eq!(rap(100_000, 1, 0), Cents(83_333)); // 10 %: 10,000.001 / 12 = 833.33
        assert_eq!(rap(120_000, 0, 0), Cents(100_000)); // 10 %: 12,000 / 12 = 1,000
        assert_eq!(rap(36_000, 0, 3), Cents(1_000)); // 3 %: 90 − 150 < 10 → 10
        assert_eq!(rap_percent(Cents(5_000_000)), 4);
        assert_eq!(rap_percent(Cents(5_000_001)), 5);
        assert_eq!(rap_percent(Cents(1_000_000_000)), 10);
    }

    #[test]
    fn rap_waives_interest_and_matches_principal() {
        // 10,000 at 6 %, AGI 12,000 → 1 % → 120 / 12 = $10 a month.
        // Month m interest = (10,000 − 10m) × 0.005 = 50 − 0.05m > 10, so the
        // whole payment is interest: principal paid 0, match = min(50, 10) − 0
        // = 10, waived = 40 − 0.05m.
        // 360 months: paid 3,600; matched 3,600; forgiven 10,000 − 3,600 =
        // 6,400; waived Σ(40 − 0.05m) = 14,400 − 0.05 × 64,620 = 11,169.00.
        let e =
            estimate(&input(vec![loan(LoanKind::DirectUnsubsidized, 10_000, "0.06", date!(2016 - 01 - 01))], 12_000))
                .unwrap();
        let f = figures(&e, Plan::RepaymentAssistance);
        assert_eq!((f.first_payment, f.payments), (Cents(1_000), 360));
        assert_eq!(f.total_paid, Cents(360_000));
        assert_eq!(f.total_interest, Cents(360_000));
        assert_eq!(f.principal_matched, Cents(360_000));
        assert_eq!(f.forgiven, Cents(640_000));
        assert_eq!(f.interest_waived, Cents(1_116_900));
        assert!(plan(&e, Plan::RepaymentAssistance).notes.iter().any(|n| n == "RAP opens on July 1, 2026."));

        // 30,000 at 6 %, AGI 50,000 → 4 % → 2,000 / 12 = 166.67. Month 1:
        // interest 150.00, principal 16.67, match min(50, 166.67) − 16.67 =
        // 33.33. Python: 360 payments, paid 60,001.20, interest 34,599.09,
        // matched 2,238.47, forgiven 2,359.42.
        let e = estimate(&thirty_thousand(50_000)).unwrap();
        let f = figures(&e, Plan::RepaymentAssistance);
        assert_eq!(f.first_payment, Cents(16_667));
        assert_eq!(f.total_paid, Cents(6_000_120));
        assert_eq!(f.total_interest, Cents(3_459_909));
        assert_eq!(f.principal_matched, Cents(223_847));
        assert_eq!(f.forgiven, Cents(235_942));
        assert_eq!(f.interest_waived, Cents::ZERO);
    }

    #[test]
    fn loans_made_after_july_2026_use_the_new_plans_only() {
        let mut i = input(vec![loan(LoanKind::DirectUnsubsidized, 40_000, "0.05", date!(2026 - 08 - 15))], 50_000);
        i.as_of = date!(2026 - 09 - 01);
        let e = estimate(&i).unwrap();
        for p in [Plan::Standard, Plan::Graduated, Plan::Extended, Plan::IncomeBased] {
            let est = plan(&e, p);
            assert!(!est.eligible, "{p:?}");
            assert!(est.reason.as_deref().unwrap().contains("July 1, 2026"));
        }
        let rap = plan(&e, Plan::RepaymentAssistance);
        assert!(rap.eligible);
        assert!(!rap.notes.iter().any(|n| n.contains("opens")));
        // 40,000 is in the $25,000–$49,999 tier: 15 years. 180 months at 5 %:
        // 40,000 × 0.0041667 / (1 − 1.0041667^−180) = 166.667 / 0.526889 = 316.32.
        // Python: total 56,936.97.
        let t = figures(&e, Plan::TieredStandard);
        assert_eq!((t.first_payment, t.payments, t.total_paid), (Cents(31_632), 180, Cents(5_693_697)));
        assert_eq!(tiered_standard_months(Cents(2_499_999)), 120);
        assert_eq!(tiered_standard_months(Cents(2_500_000)), 180);
        assert_eq!(tiered_standard_months(Cents(9_999_999)), 240);
        assert_eq!(tiered_standard_months(Cents(10_000_000)), 300);
        // Without such a loan the tiered plan does not apply.
        assert!(!plan(&estimate(&thirty_thousand(50_000)).unwrap(), Plan::TieredStandard).eligible);
    }

    #[test]
    fn validation_messages() {
        let fields = |i: &EstimateInput| -> Vec<&'static str> {
            validate(i).err().unwrap_or_default().into_iter().map(|e| e.field).collect()
        };
        let mut i = thirty_thousand(-1);
        assert_eq!(fields(&i), ["agi"]);
        i.agi = Cents(1_000_000_001);
        assert_eq!(fields(&i), ["agi"]);
        i.agi = Cents(1_000_000_000);
        assert!(validate(&i).is_ok());
        i.family_size = 0;
        assert_eq!(fields(&i), ["family_size"]);
        i.family_size = 21;
        assert_eq!(fields(&i), ["family_size"]);
        i.family_size = 1;
        i.filing_status = FilingStatus::MarriedFilingJointly;
        assert_eq!(fields(&i), ["family_size"]);
        i.family_size = 3;
        i.dependents = 2;
        assert_eq!(fields(&i), ["dependents"], "3 = borrower + spouse + 1 dependent");
        i.dependents = 1;
        i.state = "Narnia".into();
        assert_eq!(fields(&i), ["state"]);
        i.state = "tx".into();
        assert!(validate(&i).is_ok());
        i.loans[0].annual_rate = None;
        assert_eq!(fields(&i), ["loans"]);
        i.loans[0].annual_rate = Some(d("0.30"));
        assert_eq!(fields(&i), ["loans"]);
        i.loans[0].annual_rate = Some(d("-0.01"));
        assert_eq!(fields(&i), ["loans"]);
        i.loans.clear();
        assert_eq!(fields(&i), ["loans"]);
        // A paid-off loan without a rate is fine but is not enough alone.
        i.loans.push(LoanInput {
            kind: LoanKind::DirectSubsidized,
            balance: Cents::ZERO,
            annual_rate: None,
            first_disbursed: None,
        });
        assert_eq!(fields(&i), ["loans"]);
        // Several problems are all reported.
        let mut bad = thirty_thousand(-5);
        bad.family_size = 0;
        bad.state = String::new();
        assert_eq!(fields(&bad), ["agi", "family_size", "state"]);
        assert!(estimate(&bad).is_err());
    }

    #[test]
    fn keys_round_trip() {
        for p in Plan::ALL {
            assert_eq!(Plan::from_key(p.key()), Some(p));
        }
        for s in [
            FilingStatus::Single,
            FilingStatus::HeadOfHousehold,
            FilingStatus::MarriedFilingJointly,
            FilingStatus::MarriedFilingSeparately,
        ] {
            assert_eq!(FilingStatus::from_key(s.key()), Some(s));
        }
        assert_eq!(money(123_456_789), "$1,234,567.89");
        assert_eq!(money(5), "$0.05");
    }
}
