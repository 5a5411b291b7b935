-- Credit balances (issue 19). Money received beyond what an account owes is
-- held as a credit for the customer in its own column, never as negative
-- principal: owed = principal + interest + fees - credit. A payment uses the
-- credit first; a staff refund takes it back out (docs/decisions.md §24).
ALTER TABLE transactions ADD COLUMN credit_cents BIGINT NOT NULL DEFAULT 0;
-- The ledger query reads the new column too: keep it answered from the index.
DROP INDEX transactions_ledger_cover;
CREATE INDEX transactions_ledger_cover ON transactions (account_id, status, company_id, kind, posted_on,
    amount_cents, principal_cents, interest_cents, fees_cents, credit_cents);
-- How each quoted account counts interest (30/360, actual/365, average
-- daily balance), so the payoff letter can state it with the per-diem.
ALTER TABLE payoff_request_items ADD COLUMN basis TEXT NOT NULL DEFAULT '';
