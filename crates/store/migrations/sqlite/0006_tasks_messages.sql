-- Tasks, messages, servicer notes, notifications and SMS (issue 5).
-- Document ids and document type ids refer to the documents tables of
-- migration 0005; they are plain BIGINT columns (no foreign key) so this
-- migration does not depend on their shape. Every use checks company and
-- contact in the application.

-- "Send a request" (seed 001): also keep the request as a conversation?
ALTER TABLE portal_settings ADD COLUMN requests_as_conversations BIGINT NOT NULL DEFAULT 0;

-- Staff permission groups (seed 002). Members of a group hidden from
-- customers never appear to them (team lists, message recipients, names on
-- replies).
CREATE TABLE staff_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    hidden_from_customers BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE staff_group_members (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    group_id BIGINT NOT NULL REFERENCES staff_groups(id),
    staff_user_id BIGINT NOT NULL REFERENCES staff_users(id),
    PRIMARY KEY (group_id, staff_user_id)
);
CREATE INDEX staff_group_members_staff ON staff_group_members (staff_user_id);

-- The team a company connects to a customer (seed 002).
CREATE TABLE contact_team (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    staff_user_id BIGINT NOT NULL REFERENCES staff_users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (contact_id, staff_user_id)
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    title TEXT NOT NULL,
    instructions TEXT NOT NULL DEFAULT '',
    due_on TEXT,
    -- acknowledge | upload | staff
    completion TEXT NOT NULL,
    document_type_id BIGINT,
    -- staff member who assigned it (notified on completion)
    assigned_by BIGINT REFERENCES staff_users(id),
    completed_at BIGINT,
    -- customer | agent | staff | upload
    completed_by TEXT,
    completed_staff_id BIGINT REFERENCES staff_users(id),
    document_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_contact ON tasks (company_id, contact_id, completed_at);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    subject TEXT NOT NULL,
    -- message | request
    kind TEXT NOT NULL DEFAULT 'message',
    -- the team member it is addressed to / assigned to; NULL = the company
    staff_user_id BIGINT REFERENCES staff_users(id),
    closed_at BIGINT,
    last_message_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX conversations_contact ON conversations (company_id, contact_id, last_message_at);
CREATE INDEX conversations_company ON conversations (company_id, last_message_at);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    conversation_id BIGINT NOT NULL REFERENCES conversations(id),
    -- customer | staff
    author_kind TEXT NOT NULL,
    staff_user_id BIGINT REFERENCES staff_users(id),
    body TEXT NOT NULL,
    -- when the other side first opened it
    read_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);
CREATE INDEX messages_unread ON messages (company_id, author_kind, read_at);

CREATE TABLE message_attachments (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    message_id BIGINT NOT NULL REFERENCES messages(id),
    document_id BIGINT NOT NULL,
    PRIMARY KEY (message_id, document_id)
);

-- Servicer notes (seed 001). Only the type "Customer Portal" is shown in
-- the portal.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    note_type TEXT NOT NULL,
    body TEXT NOT NULL,
    staff_user_id BIGINT REFERENCES staff_users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX notes_contact ON notes (company_id, contact_id, note_type, id);

-- Notification choices per topic; no row = e-mail on, SMS off.
CREATE TABLE notification_prefs (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    topic TEXT NOT NULL,
    email BIGINT NOT NULL DEFAULT 1,
    sms BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, topic)
);

-- The customer's mobile number for SMS: the verified one, and a pending
-- one with its code (SHA-256 HMAC, never the code itself).
CREATE TABLE contact_mobiles (
    contact_id BIGINT PRIMARY KEY REFERENCES contacts(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    verified_number TEXT,
    verified_at BIGINT,
    pending_number TEXT,
    code_hash TEXT,
    code_expires_at BIGINT,
    code_attempts BIGINT NOT NULL DEFAULT 0,
    code_sent_at BIGINT,
    codes_sent_window_start BIGINT,
    codes_sent BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE outbox_sms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT REFERENCES companies(id),
    contact_id BIGINT,
    kind TEXT NOT NULL,
    to_number TEXT NOT NULL,
    body TEXT NOT NULL,
    -- pending | sent | recorded (no provider) | failed
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    last_error TEXT,
    provider_id TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_sms_due ON outbox_sms (status, next_attempt_at);
CREATE INDEX outbox_sms_company ON outbox_sms (company_id, id);

-- The Tasks and Messages sections are on for existing companies.
UPDATE portal_settings SET sections = sections || ',tasks' WHERE sections NOT LIKE '%tasks%';
UPDATE portal_settings SET sections = sections || ',messages' WHERE sections NOT LIKE '%messages%';
