-- Portico schema v1. Conventions (docs/decisions.md): ids are 64-bit
-- integers, flags are integers 0/1, instants are unix seconds (UTC),
-- calendar dates are ISO text, money is integer minor units.

CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id BIGINT REFERENCES companies(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE portal_settings (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    from_address TEXT NOT NULL DEFAULT '',
    from_name TEXT NOT NULL DEFAULT '',
    welcome_subject TEXT NOT NULL,
    welcome_body TEXT NOT NULL,
    send_welcome_on_enroll BIGINT NOT NULL DEFAULT 1,
    sections TEXT NOT NULL,
    announcement_short TEXT NOT NULL DEFAULT '',
    announcement_page TEXT NOT NULL DEFAULT '',
    help_phone TEXT NOT NULL DEFAULT '',
    help_email TEXT NOT NULL DEFAULT '',
    help_hours TEXT NOT NULL DEFAULT '',
    help_address TEXT NOT NULL DEFAULT '',
    use_company_logo BIGINT NOT NULL DEFAULT 0,
    show_stage_status BIGINT NOT NULL DEFAULT 0,
    forgot_password_enabled BIGINT NOT NULL DEFAULT 1,
    agent_may_edit_profile BIGINT NOT NULL DEFAULT 0,
    brand_color TEXT NOT NULL DEFAULT '#1d4ed8',
    updated_at BIGINT NOT NULL
);

CREATE TABLE company_logos (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE faq_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    position BIGINT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL
);
CREATE INDEX faq_entries_company ON faq_entries (company_id, position);

CREATE TABLE domains (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    host TEXT NOT NULL UNIQUE,
    is_primary BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX domains_company ON domains (company_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    external_id TEXT,
    customer_number TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    dob_enc TEXT,
    ssn4_mac TEXT,
    account_number TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    customer_since TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (company_id, external_id),
    UNIQUE (company_id, customer_number)
);
CREATE INDEX contacts_company_name ON contacts (company_id, last_name, first_name);
CREATE INDEX contacts_company_email ON contacts (company_id, email);

CREATE TABLE portal_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL UNIQUE REFERENCES contacts(id),
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    onboarded_at BIGINT,
    verify_failures BIGINT NOT NULL DEFAULT 0,
    verify_locked_until BIGINT,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    welcome_sent_at BIGINT,
    last_login_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (company_id, username),
    UNIQUE (company_id, email)
);

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    last_login_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (company_id, email)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL,
    portal_user_id BIGINT REFERENCES portal_users(id),
    staff_user_id BIGINT REFERENCES staff_users(id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_portal_user ON sessions (portal_user_id);
CREATE INDEX sessions_staff_user ON sessions (staff_user_id);

CREATE TABLE auth_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    portal_user_id BIGINT REFERENCES portal_users(id),
    staff_user_id BIGINT REFERENCES staff_users(id),
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX auth_tokens_portal_user ON auth_tokens (portal_user_id);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT
);

CREATE TABLE outbox_emails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT REFERENCES companies(id),
    kind TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    from_addr TEXT NOT NULL,
    from_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_emails_due ON outbox_emails (status, next_attempt_at);
CREATE INDEX outbox_emails_company ON outbox_emails (company_id, id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    at BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,
    staff_user_id BIGINT,
    portal_user_id BIGINT,
    contact_id BIGINT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_company ON audit_log (company_id, id);
CREATE INDEX audit_log_contact ON audit_log (company_id, contact_id, id);
