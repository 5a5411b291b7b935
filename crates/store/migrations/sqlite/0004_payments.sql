-- Payments (issue 4): payment methods, payments and their per-account items,
-- AutoPay, NACHA batches, and the built-in test gateway's own records.
-- Money is in cents; dates are YYYY-MM-DD; timestamps are Unix seconds.

-- Per-company payment settings (separate from portal_settings so that the
-- payment rules live together). A company without a row has the defaults.
CREATE TABLE payment_settings (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    -- Which gateway takes cards ('test', or a real processor later) and bank
    -- accounts ('ach' = NACHA files for the company's bank, or 'test').
    card_gateway TEXT NOT NULL DEFAULT 'test',
    bank_gateway TEXT NOT NULL DEFAULT 'ach',
    accept_cards BIGINT NOT NULL DEFAULT 1,
    accept_bank BIGINT NOT NULL DEFAULT 1,
    -- Terms the customer accepts for Pay Multiple and AutoPay.
    terms TEXT NOT NULL DEFAULT '',
    -- Agents may take a payment for the customer (recorded with the agent).
    agent_payments BIGINT NOT NULL DEFAULT 0,
    max_days_ahead BIGINT NOT NULL DEFAULT 60,
    -- NACHA originator details.
    ach_company_name TEXT NOT NULL DEFAULT '',
    ach_company_id TEXT NOT NULL DEFAULT '',
    ach_odfi_routing TEXT NOT NULL DEFAULT '',
    ach_destination_routing TEXT NOT NULL DEFAULT '',
    ach_destination_name TEXT NOT NULL DEFAULT '',
    ach_entry_description TEXT NOT NULL DEFAULT 'PAYMENT',
    updated_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE payment_methods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    -- 'card' or 'bank'.
    kind TEXT NOT NULL,
    gateway TEXT NOT NULL,
    -- The gateway's token for the card or bank account (never a card number).
    token TEXT NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    holder_name TEXT NOT NULL DEFAULT '',
    brand TEXT NOT NULL DEFAULT '',
    last4 TEXT NOT NULL,
    exp_month BIGINT,
    exp_year BIGINT,
    bank_name TEXT NOT NULL DEFAULT '',
    routing_number TEXT NOT NULL DEFAULT '',
    -- 'checking' or 'savings'.
    account_type TEXT NOT NULL DEFAULT '',
    -- The bank account number, AES-256-GCM sealed; never stored in clear.
    account_sealed TEXT,
    is_default BIGINT NOT NULL DEFAULT 0,
    deleted_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX payment_methods_contact ON payment_methods (company_id, contact_id);

CREATE TABLE autopays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    method_id BIGINT NOT NULL REFERENCES payment_methods(id),
    -- 'fixed' or 'due' (the amount due on each date).
    amount_mode TEXT NOT NULL,
    amount_cents BIGINT,
    -- 'monthly', 'semi_monthly', 'bi_weekly' or 'weekly'.
    frequency TEXT NOT NULL,
    start_on TEXT NOT NULL,
    next_on TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    agent_user_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX autopays_account ON autopays (company_id, account_id);
CREATE INDEX autopays_due ON autopays (active, next_on);

CREATE TABLE nacha_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    file_name TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    entries BIGINT NOT NULL,
    total_debit_cents BIGINT NOT NULL,
    total_credit_cents BIGINT NOT NULL,
    content TEXT NOT NULL,
    staff_user_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX nacha_batches_company ON nacha_batches (company_id, id);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    -- The confirmation number shown to the customer.
    reference TEXT NOT NULL,
    -- Every submission carries one; the same key never makes two payments.
    idempotency_key TEXT NOT NULL,
    -- A digest of what was asked (accounts, amounts, method, date): the same
    -- key with a different request is refused.
    request_digest TEXT NOT NULL,
    method_id BIGINT NOT NULL REFERENCES payment_methods(id),
    gateway TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    -- 'one_time', 'scheduled' or 'automatic'.
    kind TEXT NOT NULL,
    -- 'scheduled', 'processing', 'pending', 'completed', 'failed',
    -- 'returned', 'cancelled', 'reversed' or 'refunded'.
    status TEXT NOT NULL,
    scheduled_on TEXT NOT NULL,
    autopay_id BIGINT,
    gateway_ref TEXT,
    failure_code TEXT,
    failure_message TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    claimed_until BIGINT,
    nacha_batch_id BIGINT,
    trace_number TEXT,
    return_code TEXT,
    agent_user_id BIGINT,
    staff_user_id BIGINT,
    submitted_at BIGINT,
    completed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (company_id, idempotency_key),
    UNIQUE (company_id, reference)
);
CREATE INDEX payments_contact ON payments (company_id, contact_id, id);
CREATE INDEX payments_due ON payments (status, scheduled_on);

CREATE TABLE payment_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id BIGINT NOT NULL REFERENCES payments(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    amount_cents BIGINT NOT NULL,
    -- The ledger entry this item posted (once applied).
    transaction_id BIGINT,
    principal_cents BIGINT NOT NULL DEFAULT 0,
    interest_cents BIGINT NOT NULL DEFAULT 0,
    fees_cents BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX payment_items_payment ON payment_items (payment_id);
CREATE INDEX payment_items_account ON payment_items (company_id, account_id);

-- The built-in test gateway keeps its own records, as a real processor
-- would on its side: tokens (no card numbers) and charges by idempotency key.
CREATE TABLE test_gateway_tokens (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    brand TEXT NOT NULL DEFAULT '',
    last4 TEXT NOT NULL,
    exp_month BIGINT,
    exp_year BIGINT,
    -- 'approve', 'decline', 'insufficient_funds', 'return_later', 'error'.
    outcome TEXT NOT NULL,
    return_code TEXT,
    created_at BIGINT NOT NULL
);
CREATE TABLE test_gateway_charges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    -- 'approved', 'declined', 'refunded', 'returned'.
    status TEXT NOT NULL,
    code TEXT,
    message TEXT,
    return_code TEXT,
    refunded_cents BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE TABLE test_gateway_sessions (
    id TEXT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    return_url TEXT NOT NULL,
    token TEXT,
    holder_name TEXT,
    expires_at BIGINT NOT NULL
);

-- Keys of the company's systems (CRM, loan system) for /api/v1. Only a
-- SHA-256 of the secret is kept; the prefix finds the row.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    staff_user_id BIGINT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_keys_company ON api_keys (company_id);

UPDATE portal_settings SET sections = sections || ',payments';
