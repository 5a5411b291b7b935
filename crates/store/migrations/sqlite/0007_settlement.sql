-- Debt settlement programs and student-loan estimates (issue 6; seeds 000
-- and 001). Figures are never stored: the Debts summary, statements and plan
-- estimates are computed by portico_domain from the rows below
-- (docs/decisions.md §19).

-- Per-company settings (absent row = defaults).
CREATE TABLE settlement_settings (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    -- Debt statuses customers see, comma-separated keys (seed 000).
    statuses_shown TEXT NOT NULL DEFAULT 'unenrolled,enrolled,settled,unsettled',
    -- Document type ids the customer must have uploaded before Debts opens.
    debts_required_types TEXT NOT NULL DEFAULT '',
    -- Payment schedule: show debits only, hide credits and fees (seed 001).
    schedule_debits_only BIGINT NOT NULL DEFAULT 0,
    -- Student loans: upload the federal data file (1) or enter loans by hand (0).
    student_loan_file_upload BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL DEFAULT 0
);

-- A contact's settlement program: when it started and its fee plan.
CREATE TABLE settlement_programs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    enrolled_on TEXT NOT NULL,
    -- enrolled_debt or savings
    fee_basis TEXT NOT NULL DEFAULT 'enrolled_debt',
    -- fraction as decimal text, e.g. 0.25
    fee_rate TEXT NOT NULL DEFAULT '0',
    monthly_fee_cents BIGINT NOT NULL DEFAULT 0,
    -- The dedicated (special purpose) account: who holds it, last four digits.
    account_provider TEXT NOT NULL DEFAULT '',
    account_last4 TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (company_id, contact_id)
);

CREATE TABLE debts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    original_creditor TEXT NOT NULL,
    current_creditor TEXT,
    -- The creditor's account number, sealed (AES-GCM); only the mask is shown.
    account_enc TEXT,
    account_mask TEXT NOT NULL DEFAULT '',
    enrolled_balance_cents BIGINT NOT NULL,
    current_balance_cents BIGINT NOT NULL,
    status TEXT NOT NULL,
    settlement_amount_cents BIGINT,
    settlement_payments BIGINT,
    settlement_paid_cents BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX debts_contact ON debts (company_id, contact_id, id);

-- The program account's movements, signed as seen by the account.
CREATE TABLE program_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    posted_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    staff_user_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX program_entries_contact ON program_entries (company_id, contact_id, posted_on, id);

-- The program's payment schedule (drafts, credits, fees).
CREATE TABLE program_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    due_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    status TEXT NOT NULL,
    memo TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX program_drafts_contact ON program_drafts (company_id, contact_id, due_on, id);

-- Intake data (key/value per contact) and the fields the Profile shows.
CREATE TABLE intake_fields (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    field_key TEXT NOT NULL,
    label TEXT NOT NULL,
    -- text, date, money or yes_no
    field_type TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (company_id, field_key)
);

CREATE TABLE intake_values (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    field_key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (contact_id, field_key)
);

-- Student loans: the loans (from the data file or typed), the last figures
-- the borrower entered, estimates shared with the company, and the plan the
-- company recorded.
CREATE TABLE student_loans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    -- file or manual
    source TEXT NOT NULL,
    type_code TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    school TEXT NOT NULL DEFAULT '',
    balance_cents BIGINT NOT NULL,
    -- annual rate as a decimal fraction, e.g. 0.0453
    rate TEXT NOT NULL,
    first_disbursed TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX student_loans_contact ON student_loans (company_id, contact_id, id);

CREATE TABLE student_loan_profiles (
    contact_id BIGINT PRIMARY KEY REFERENCES contacts(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    agi_cents BIGINT,
    family_size BIGINT,
    dependents BIGINT,
    state TEXT,
    filing_status TEXT,
    file_name TEXT,
    file_request_date TEXT,
    file_uploaded_at BIGINT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE student_loan_estimates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    reference TEXT NOT NULL UNIQUE,
    as_of TEXT NOT NULL,
    agi_cents BIGINT NOT NULL,
    family_size BIGINT NOT NULL,
    dependents BIGINT NOT NULL,
    state TEXT NOT NULL,
    filing_status TEXT NOT NULL,
    loans BIGINT NOT NULL,
    total_balance_cents BIGINT NOT NULL,
    weighted_rate TEXT NOT NULL,
    poverty_year BIGINT NOT NULL,
    poverty_guideline_cents BIGINT NOT NULL,
    discretionary_income_cents BIGINT NOT NULL,
    -- shared or reviewed
    status TEXT NOT NULL,
    shared_at BIGINT NOT NULL,
    reviewed_by BIGINT,
    reviewed_at BIGINT
);
CREATE INDEX student_loan_estimates_contact ON student_loan_estimates (company_id, contact_id, id);

CREATE TABLE student_loan_estimate_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    estimate_id BIGINT NOT NULL REFERENCES student_loan_estimates(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    plan TEXT NOT NULL,
    eligible BIGINT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    first_payment_cents BIGINT,
    last_payment_cents BIGINT,
    payments BIGINT,
    total_paid_cents BIGINT,
    forgiven_cents BIGINT
);
CREATE INDEX student_loan_estimate_plans_estimate ON student_loan_estimate_plans (estimate_id, id);

CREATE TABLE student_loan_plans (
    contact_id BIGINT PRIMARY KEY REFERENCES contacts(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    plan TEXT NOT NULL,
    monthly_payment_cents BIGINT,
    starts_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    estimate_id BIGINT,
    recorded_by BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL
);

-- The new sections are on for existing companies (Creditors is Debts under
-- another name: a company chooses one of the two).
UPDATE portal_settings SET sections = sections || ',debts' WHERE sections NOT LIKE '%debts%' AND sections NOT LIKE '%creditors%';
UPDATE portal_settings SET sections = sections || ',program_account' WHERE sections NOT LIKE '%program_account%';
UPDATE portal_settings SET sections = sections || ',payment_schedule' WHERE sections NOT LIKE '%payment_schedule%';
UPDATE portal_settings SET sections = sections || ',profile' WHERE sections NOT LIKE '%profile%';
UPDATE portal_settings SET sections = sections || ',student_loans' WHERE sections NOT LIKE '%student_loans%';
