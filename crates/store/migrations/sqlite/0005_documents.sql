-- Documents, storage and onboarding requirements (issue 5).
-- Files live in object storage (local directory or S3-compatible) under
-- server-made keys; these tables hold what we know about them.

-- Per-company document settings (absent row = defaults).
CREATE TABLE document_settings (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id),
    -- Largest file a customer or staff member may upload, in bytes (capped
    -- by the server's own maximum).
    max_upload_bytes BIGINT NOT NULL DEFAULT 10485760,
    -- Show customers only documents marked e-signed (seed 001).
    esigned_only BIGINT NOT NULL DEFAULT 0,
    -- Ask for a statement delivery preference before the portal (seed 000).
    ask_statement_delivery BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE document_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    visible BIGINT NOT NULL DEFAULT 1,
    customer_upload BIGINT NOT NULL DEFAULT 0,
    customer_download BIGINT NOT NULL DEFAULT 1,
    required_at_onboarding BIGINT NOT NULL DEFAULT 0,
    agent_download BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    type_id BIGINT NOT NULL REFERENCES document_types(id),
    account_id BIGINT REFERENCES accounts(id),
    -- The sanitised file name, for display and Content-Disposition only.
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    -- Where the bytes are: "c{company}/{random}", never a user-supplied name.
    object_key TEXT NOT NULL UNIQUE,
    esigned BIGINT NOT NULL DEFAULT 0,
    -- Staff excluded this document from the portal (seed 001).
    excluded BIGINT NOT NULL DEFAULT 0,
    -- customer, staff or demo.
    uploaded_by TEXT NOT NULL,
    portal_user_id BIGINT,
    staff_user_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX documents_contact ON documents (company_id, contact_id, type_id, id);
CREATE INDEX documents_account ON documents (company_id, account_id);

-- Paper or paperless statements, per contact (seed 000).
CREATE TABLE statement_preferences (
    contact_id BIGINT PRIMARY KEY REFERENCES contacts(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    delivery TEXT NOT NULL,
    chosen_at BIGINT NOT NULL
);

-- The Documents section is on for existing companies.
UPDATE portal_settings SET sections = sections || ',documents' WHERE sections NOT LIKE '%documents%';
