-- Webhooks (issue 13): a company's endpoints, the events it emits (written
-- in the same transaction as the change), and one delivery per event and
-- endpoint, retried with backoff by the job runner.
CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Comma-separated event types, or '*' for all.
    event_types TEXT NOT NULL,
    -- whsec_… sealed with the server key; the previous one stays valid
    -- until previous_valid_until after a rotation.
    secret_sealed TEXT NOT NULL,
    previous_secret_sealed TEXT,
    previous_valid_until BIGINT,
    active BIGINT NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    failing_since BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_company ON webhook_endpoints (company_id);

CREATE TABLE webhook_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    -- The webhook-id header: msg_…, the receiver's idempotency key.
    message_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_events_company ON webhook_events (company_id, id);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    event_id BIGINT NOT NULL REFERENCES webhook_events(id),
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints(id),
    -- pending, delivered, failed (gave up), stopped (410 or endpoint disabled)
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    last_status BIGINT,
    last_error TEXT,
    last_duration_ms BIGINT,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (company_id, endpoint_id, id);
