-- Accounts and loan servicing (issue 3). Balances are never stored: they are
-- sums of the signed deltas of posted transactions (docs/decisions.md §14).

ALTER TABLE portal_settings ADD COLUMN transaction_kinds_shown TEXT NOT NULL DEFAULT 'disbursement,payment,draw,fee,interest,adjustment,reversal,remittance,credit';
ALTER TABLE portal_settings ADD COLUMN transaction_columns TEXT NOT NULL DEFAULT 'date,account,kind,description,amount,status';
ALTER TABLE portal_settings ADD COLUMN allocation_order TEXT NOT NULL DEFAULT 'fees,interest,principal';
ALTER TABLE portal_settings ADD COLUMN payoff_good_through_days BIGINT NOT NULL DEFAULT 10;

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    external_id TEXT,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    product TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    hidden BIGINT NOT NULL DEFAULT 0,
    opened_on TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    annual_rate TEXT NOT NULL DEFAULT '0',
    factor_rate TEXT,
    term_periods BIGINT,
    frequency TEXT NOT NULL DEFAULT 'monthly',
    first_due_on TEXT,
    payment_cents BIGINT,
    day_count TEXT NOT NULL DEFAULT '30/360',
    min_payment_percent TEXT,
    min_payment_floor_cents BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (company_id, number),
    UNIQUE (company_id, external_id)
);
CREATE INDEX accounts_contact ON accounts (company_id, contact_id);

CREATE TABLE collateral (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    description TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    identifier_label TEXT NOT NULL DEFAULT '',
    identifier TEXT NOT NULL DEFAULT '',
    value_cents BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX collateral_account ON collateral (account_id);

CREATE TABLE transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    posted_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    principal_cents BIGINT NOT NULL DEFAULT 0,
    interest_cents BIGINT NOT NULL DEFAULT 0,
    fees_cents BIGINT NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    reference TEXT,
    reverses_id BIGINT,
    staff_user_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX transactions_account ON transactions (account_id, posted_on, id);
CREATE INDEX transactions_ledger ON transactions (account_id, status, principal_cents, interest_cents, fees_cents);

CREATE TABLE statements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    cycle_start TEXT NOT NULL,
    cycle_end TEXT NOT NULL,
    opening_cents BIGINT NOT NULL,
    closing_cents BIGINT NOT NULL,
    draws_cents BIGINT NOT NULL,
    payments_cents BIGINT NOT NULL,
    interest_cents BIGINT NOT NULL,
    fees_cents BIGINT NOT NULL,
    minimum_payment_cents BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, cycle_start)
);

CREATE TABLE payoff_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    reference TEXT NOT NULL,
    as_of TEXT NOT NULL,
    good_through TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'requested',
    staff_user_id BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (company_id, reference)
);
CREATE INDEX payoff_requests_contact ON payoff_requests (company_id, contact_id, id);

CREATE TABLE payoff_request_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES payoff_requests(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    principal_cents BIGINT NOT NULL,
    interest_cents BIGINT NOT NULL,
    fees_cents BIGINT NOT NULL,
    per_diem_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL
);
CREATE INDEX payoff_request_items_request ON payoff_request_items (request_id);

-- New sections are on for existing companies.
UPDATE portal_settings SET sections = sections || ',accounts,advances,transactions';
