#!/usr/bin/env bash
# Browser end-to-end tests for Portico.
#
#   bash e2e/run.sh [path-to-portico-binary]
#
# Starts `portico demo` on a free port with a fresh data directory, runs
# the tests in e2e/tests/ with Node's test runner against it (headless
# /usr/bin/chromium through playwright-core, axe-core for accessibility),
# stops the server, and exits with the test runner's status.
# Screenshots, the server log and the accessibility log go to e2e/out/.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E_DIR/.." && pwd)"
BIN="${1:-$ROOT/target/debug/portico}"
OUT="$E2E_DIR/out"

if [[ ! -x "$BIN" ]]; then
  if [[ $# -eq 0 ]]; then
    echo "run.sh: $BIN is missing; building it (cargo build -p portico)" >&2
    (cd "$ROOT" && cargo build -p portico)
  else
    echo "run.sh: no portico binary at $BIN" >&2
    exit 2
  fi
fi
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

export PORTICO_E2E_CHROMIUM="${PORTICO_E2E_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$PORTICO_E2E_CHROMIUM" ]]; then
  echo "run.sh: no Chromium at $PORTICO_E2E_CHROMIUM (Debian: apt-get install chromium)" >&2
  exit 2
fi

cd "$E2E_DIR"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/axe-core ]]; then
  npm ci --no-audit --no-fund
fi

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT/a11y.jsonl"

# PORTICO_E2E_DATABASE_URL=postgres://…/postgres runs the journeys on
# PostgreSQL: a fresh database is created beside that one and dropped after.
PG_ADMIN_URL="${PORTICO_E2E_DATABASE_URL:-}"
PG_DB=""
DB_ARGS=()
if [[ -n "$PG_ADMIN_URL" ]]; then
  PG_DB="portico_e2e_$$"
  psql "$PG_ADMIN_URL" -qAtc "CREATE DATABASE $PG_DB" >/dev/null
  DB_ARGS=(--database-url "${PG_ADMIN_URL%/*}/$PG_DB")
fi

PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
DATA="$(mktemp -d "${TMPDIR:-/tmp}/portico-e2e.XXXXXX")"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
  if [[ -n "$PG_DB" ]]; then
    psql "$PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A hermetic demo: no configuration file from the environment, and none of
# this script's PORTICO_E2E_* variables (portico refuses unknown PORTICO_*).
unset_args=(-u PORTICO_CONFIG)
while IFS= read -r name; do unset_args+=(-u "$name"); done < <(compgen -e | grep '^PORTICO_E2E_' || true)
env "${unset_args[@]}" "$BIN" demo --addr "127.0.0.1:$PORT" --data-dir "$DATA" "${DB_ARGS[@]}" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!

echo "run.sh: portico demo on port $PORT (pid $SERVER_PID, data in $DATA)"
ready=""
for _ in $(seq 1 300); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "run.sh: the server exited early:" >&2
    cat "$OUT/server.log" >&2
    exit 1
  fi
  if curl -fsS -o /dev/null -H "Host: acme.localhost:$PORT" "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
if [[ -z "$ready" ]]; then
  echo "run.sh: the server did not answer /healthz within 60 s:" >&2
  tail -n 50 "$OUT/server.log" >&2
  exit 1
fi

export PORTICO_E2E_PORT="$PORT"
export PORTICO_E2E_MAIL_DIR="$DATA/mail"
status=0
node --test --test-concurrency=1 tests/ || status=$?

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "run.sh: the portico server stopped during the run (something signalled it?); see $OUT/server.log" >&2
  [[ $status -ne 0 ]] || status=1
fi

node "$E2E_DIR/a11y-summary.js" "$OUT/a11y.jsonl" || true
if [[ $status -ne 0 ]]; then
  echo "run.sh: tests failed (status $status); screenshots and server.log in $OUT" >&2
fi
exit "$status"
