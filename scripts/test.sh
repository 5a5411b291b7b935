#!/usr/bin/env bash
# Runs every test: unit and integration tests on SQLite and on PostgreSQL,
# then the browser journeys (Playwright + axe-core in Debian's Chromium).
# Installs what it needs (Chromium, PostgreSQL, npm packages) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_updated=""
need_pkg() { # need_pkg COMMAND PACKAGE...
  command -v "$1" >/dev/null 2>&1 && return 0
  shift
  if [ -z "$apt_updated" ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# ---- PostgreSQL: use the one on 127.0.0.1:5432, else install and start one.
pg_url="${PORTICO_TEST_PG_URL:-}"
if [ -z "$pg_url" ]; then
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 \
     && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    pg_url="postgres://postgres@127.0.0.1:5432/postgres"
  else
    log "starting a throwaway PostgreSQL on port 55432"
    need_pkg pg_ctlcluster postgresql
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    pgdata=$(mktemp -d /tmp/portico-pg.XXXXXX)
    chown postgres "$pgdata" 2>/dev/null || true
    run_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
    run_pg "$bindir/initdb -D $pgdata -A trust -U postgres >/dev/null"
    run_pg "$bindir/pg_ctl -D $pgdata -o '-p 55432 -k /tmp -c listen_addresses=127.0.0.1' -l $pgdata/log -w start >/dev/null"
    trap 'run_pg "$bindir/pg_ctl -D $pgdata -m fast stop" >/dev/null 2>&1 || true' EXIT
    pg_url="postgres://postgres@127.0.0.1:55432/postgres"
  fi
fi

# ---- moto (PyPI): an S3-compatible server on loopback. The document suite
# runs against it too, and must here (PORTICO_TEST_S3=1).
PORTICO_TEST_MOTO_SERVER="$(bash scripts/moto.sh)"
export PORTICO_TEST_MOTO_SERVER PORTICO_TEST_S3=1

# ---- standardwebhooks (PyPI): the webhook tests' receiver checks signatures
# with it, and must here (PORTICO_TEST_WEBHOOKS=1).
PORTICO_TEST_WEBHOOK_PYTHON="$(bash scripts/webhooks-venv.sh)"
export PORTICO_TEST_WEBHOOK_PYTHON PORTICO_TEST_WEBHOOKS=1

log "unit and integration tests on SQLite"
cargo test --workspace --locked

log "NACHA files against an independent validator (achkit)"
bash crates/domain/tests/nacha_validator/run.sh

log "integration tests on PostgreSQL ($pg_url)"
PORTICO_TEST_DATABASE_URL="$pg_url" cargo test --workspace --locked

log "browser journeys"
need_pkg chromium chromium
need_pkg node nodejs npm
cargo build -p portico --locked
bash e2e/run.sh "$PWD/target/debug/portico"
log "browser journeys on PostgreSQL"
need_pkg psql postgresql-client
PORTICO_E2E_DATABASE_URL="$pg_url" bash e2e/run.sh "$PWD/target/debug/portico"

log "API fuzzing with schemathesis (PyPI), SQLite and PostgreSQL"
bash scripts/schemathesis.sh "$PWD/target/debug/portico"
bash scripts/schemathesis.sh "$PWD/target/debug/portico" "$pg_url"
