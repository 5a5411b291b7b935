-- API keys get scopes, an optional expiry and a rate limit (issue 13).
-- Keys made before keep every scope, so they go on working.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,write,payments,documents,webhooks';
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN rate_per_minute BIGINT NOT NULL DEFAULT 6000;

-- Incremental sync: contacts changed since a time, in a stable order.
CREATE INDEX contacts_company_updated ON contacts (company_id, updated_at, id);
