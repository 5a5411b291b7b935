#!/usr/bin/env bash
# Query plans of the hot portal queries on a seeded benchmark database.
#
#   bash bench/explain.sh sqlite bench/out/bench-sqlite-100000c-50t.db
#   bash bench/explain.sh postgres postgres://postgres@127.0.0.1:5432/portico_bench_100000_50
#
# The SQL is copied from crates/store/src (accounts.rs for_contact,
# for_contact_one and latest_statements_for_contact, companies.rs
# tenant_by_host, auth.rs session, people.rs portal_user and contact) with
# the placeholders of one real customer: a contact with an installment loan
# and a line of credit. PostgreSQL runs them as prepared statements with
# EXPLAIN (ANALYZE, BUFFERS), generic plans forced, as sqlx's cached
# statements end up using.
set -euo pipefail
backend=$1
target=$2

q() { # the SQL of a query with $1.. placeholders
  case $1 in
    tenant_by_host) echo "SELECT d.id AS d_id, d.host, d.is_primary, c.id, c.slug, c.name, c.parent_id, \
(SELECT COUNT(*) FROM company_logos l WHERE l.company_id = c.id) AS logo_count, s.company_id, s.from_address, \
s.from_name, s.welcome_subject, s.welcome_body, s.send_welcome_on_enroll, s.sections, s.announcement_short, \
s.announcement_page, s.help_phone, s.help_email, s.help_hours, s.help_address, s.use_company_logo, \
s.show_stage_status, s.forgot_password_enabled, s.agent_may_edit_profile, s.brand_color, s.updated_at, \
s.transaction_kinds_shown, s.transaction_columns, s.allocation_order, s.payoff_good_through_days \
FROM domains d JOIN companies c ON c.id = d.company_id JOIN portal_settings s ON s.company_id = c.id WHERE d.host = \$1" ;;
    session) echo "SELECT token_hash, company_id, kind, portal_user_id, staff_user_id, created_at, last_seen_at, \
expires_at, ip, user_agent FROM sessions WHERE token_hash = \$1 AND company_id = \$2" ;;
    portal_user) echo "SELECT * FROM portal_users WHERE company_id = \$1 AND id = \$2" ;;
    contact) echo "SELECT * FROM contacts c WHERE c.company_id = \$1 AND c.id = \$2" ;;
    for_contact) echo "SELECT a.*, l.principal, l.interest, l.fees, l.disbursed, l.interest_assessed, l.fees_assessed, \
l.received, l.last_payment_on FROM accounts a LEFT JOIN (SELECT t.account_id, \
CAST(SUM(t.principal_cents) AS BIGINT) AS principal, CAST(SUM(t.interest_cents) AS BIGINT) AS interest, \
CAST(SUM(t.fees_cents) AS BIGINT) AS fees, \
CAST(SUM(CASE WHEN t.kind IN ('disbursement', 'draw') THEN t.principal_cents ELSE 0 END) AS BIGINT) AS disbursed, \
CAST(SUM(CASE WHEN t.kind = 'interest' THEN t.interest_cents ELSE 0 END) AS BIGINT) AS interest_assessed, \
CAST(SUM(CASE WHEN t.kind = 'fee' THEN t.fees_cents ELSE 0 END) AS BIGINT) AS fees_assessed, \
CAST(SUM(CASE WHEN t.kind IN ('payment', 'remittance') THEN t.amount_cents ELSE 0 END) AS BIGINT) AS received, \
MAX(CASE WHEN t.kind IN ('payment', 'remittance') THEN t.posted_on END) AS last_payment_on \
FROM transactions t WHERE t.status = 'posted' AND t.company_id = \$1 AND t.account_id IN \
(SELECT id FROM accounts WHERE company_id = \$1 AND contact_id = \$2) GROUP BY t.account_id) l \
ON l.account_id = a.id WHERE a.company_id = \$1 AND a.contact_id = \$2 AND (a.hidden = 0 OR \$3 = 1) \
ORDER BY a.opened_on DESC, a.id DESC" ;;
    for_contact_one) echo "SELECT a.*, l.principal, l.received FROM accounts a LEFT JOIN (SELECT t.account_id, \
CAST(SUM(t.principal_cents) AS BIGINT) AS principal, CAST(SUM(t.interest_cents) AS BIGINT) AS interest, \
CAST(SUM(t.fees_cents) AS BIGINT) AS fees, \
CAST(SUM(CASE WHEN t.kind IN ('disbursement', 'draw') THEN t.principal_cents ELSE 0 END) AS BIGINT) AS disbursed, \
CAST(SUM(CASE WHEN t.kind IN ('payment', 'remittance') THEN t.amount_cents ELSE 0 END) AS BIGINT) AS received, \
MAX(CASE WHEN t.kind IN ('payment', 'remittance') THEN t.posted_on END) AS last_payment_on \
FROM transactions t WHERE t.status = 'posted' AND t.company_id = \$1 AND t.account_id = \$3 GROUP BY t.account_id) l \
ON l.account_id = a.id WHERE a.company_id = \$1 AND a.contact_id = \$2 AND a.id = \$3 AND (a.hidden = 0 OR \$4 = 1)" ;;
    latest_statements) echo "SELECT s.id, s.account_id, s.cycle_start, s.cycle_end, s.opening_cents, s.closing_cents, \
s.draws_cents, s.payments_cents, s.interest_cents, s.fees_cents, s.minimum_payment_cents, s.due_on \
FROM statements s JOIN (SELECT account_id, MAX(cycle_start) AS latest FROM statements \
WHERE company_id = \$1 AND account_id IN (SELECT id FROM accounts WHERE company_id = \$1 AND contact_id = \$2) \
GROUP BY account_id) x ON x.account_id = s.account_id AND x.latest = s.cycle_start WHERE s.company_id = \$1" ;;
  esac
}

queries=(tenant_by_host session portal_user contact for_contact for_contact_one latest_statements)

if [[ $backend == sqlite ]]; then
  s() { sqlite3 -readonly "$target" "$@"; }
  company=$(s "SELECT company_id FROM domains WHERE host = 'bench.localhost'")
  contact=$(s "SELECT a.contact_id FROM accounts a WHERE a.company_id = $company AND a.kind = 'line_of_credit' \
    AND EXISTS (SELECT 1 FROM accounts b WHERE b.contact_id = a.contact_id AND b.kind = 'installment') LIMIT 1")
  account=$(s "SELECT id FROM accounts WHERE contact_id = $contact AND kind = 'installment' LIMIT 1")
  user=$(s "SELECT id FROM portal_users WHERE contact_id = $contact")
  hash=$(s "SELECT token_hash FROM sessions LIMIT 1")
  echo "company $company, contact $contact, installment account $account"
  for name in "${queries[@]}"; do
    sql=$(q "$name")
    case $name in
      tenant_by_host) args=("'bench.localhost'") ;;
      session) args=("'$hash'" "$company") ;;
      portal_user) args=("$company" "$user") ;;
      contact) args=("$company" "$contact") ;;
      for_contact) args=("$company" "$contact" 0) ;;
      for_contact_one) args=("$company" "$contact" "$account" 0) ;;
      latest_statements) args=("$company" "$contact") ;;
    esac
    for i in $(seq ${#args[@]} -1 1); do sql=${sql//\$$i/${args[$((i - 1))]}}; done
    echo; echo "## $name"
    s "EXPLAIN QUERY PLAN $sql"
    # Wall time of 1000 runs, to compare queries with each other.
    start=$(date +%s%N)
    for _ in $(seq 1 200); do echo "$sql;"; done | s > /dev/null
    echo "(200 runs in sqlite3: $(( ($(date +%s%N) - start) / 200000 )) µs each, process start included)"
  done
else
  p() { psql -X -q -tA "$target" "$@"; }
  company=$(p -c "SELECT company_id FROM domains WHERE host = 'bench.localhost'")
  contact=$(p -c "SELECT a.contact_id FROM accounts a WHERE a.company_id = $company AND a.kind = 'line_of_credit' \
    AND EXISTS (SELECT 1 FROM accounts b WHERE b.contact_id = a.contact_id AND b.kind = 'installment') LIMIT 1")
  account=$(p -c "SELECT id FROM accounts WHERE contact_id = $contact AND kind = 'installment' LIMIT 1")
  user=$(p -c "SELECT id FROM portal_users WHERE contact_id = $contact")
  hash=$(p -c "SELECT token_hash FROM sessions LIMIT 1")
  echo "company $company, contact $contact, installment account $account"
  for name in "${queries[@]}"; do
    case $name in
      tenant_by_host) types="text"; args="'bench.localhost'" ;;
      session) types="text, bigint"; args="'$hash', $company" ;;
      portal_user|contact) types="bigint, bigint"; args="$company, $([[ $name == contact ]] && echo "$contact" || echo "$user")" ;;
      for_contact) types="bigint, bigint, bigint"; args="$company, $contact, 0" ;;
      for_contact_one) types="bigint, bigint, bigint, bigint"; args="$company, $contact, $account, 0" ;;
      latest_statements) types="bigint, bigint"; args="$company, $contact" ;;
    esac
    echo; echo "## $name"
    psql -X -q "$target" <<SQL
SET plan_cache_mode = force_generic_plan;
PREPARE q($types) AS $(q "$name");
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE q($args);
SQL
  done
fi
