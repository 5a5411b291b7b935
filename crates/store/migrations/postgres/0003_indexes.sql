-- Indexes for the hot portal pages (bench/README.md).
--
-- The dashboard, the accounts list and an account's tabs read every account
-- of the customer with its ledger sums in one query (accounts::for_contact,
-- for_contact_one): WHERE account_id = ? AND status = 'posted' AND
-- company_id = ?, summing principal/interest/fees, amounts by kind and the
-- last payment date. This index holds every column that query reads, so
-- both backends answer it from the index alone (SQLite: COVERING INDEX;
-- PostgreSQL: Index Only Scan once the visibility map is set) instead of one
-- table-row lookup per transaction. It replaces transactions_ledger, whose
-- leading columns it repeats.
DROP INDEX transactions_ledger;
CREATE INDEX transactions_ledger_cover ON transactions (account_id, status, company_id, kind, posted_on,
    amount_cents, principal_cents, interest_cents, fees_cents);
