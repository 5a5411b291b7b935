-- Single-use secrets (set-password links, verification codes) are never
-- kept readable in the outbox (docs/security.md 6.4.1): the stored body
-- carries a placeholder, the secret itself is sealed with the server's key
-- (AES-256-GCM) until the message is handed over, then erased.
ALTER TABLE outbox_emails ADD COLUMN secret_sealed TEXT;
ALTER TABLE outbox_emails ADD COLUMN secret_expires_at BIGINT;
-- The portal user or staff member a link was for (console "Resend").
ALTER TABLE outbox_emails ADD COLUMN portal_user_id BIGINT;
ALTER TABLE outbox_emails ADD COLUMN staff_user_id BIGINT;
ALTER TABLE outbox_sms ADD COLUMN secret_sealed TEXT;
-- Copies written before this change held the link itself: drop the body of
-- the ones already handed over (pending ones are still to be delivered).
UPDATE outbox_emails
SET body_text = 'This e-mail held a single-use link. Its stored copy was removed.',
    body_html = '<p>This e-mail held a single-use link. Its stored copy was removed.</p>'
WHERE kind IN ('welcome', 'reset') AND status <> 'pending';
UPDATE outbox_sms SET body = 'Verification code (removed from the stored copy).'
WHERE kind = 'verify' AND status <> 'pending';
