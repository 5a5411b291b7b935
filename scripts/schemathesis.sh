#!/usr/bin/env bash
# schemathesis (PyPI) against the API of a running demo: generated requests
# for every documented operation with the demo's API key; fails on any 5xx,
# an undocumented status, a response that doesn't match its schema, a wrong
# content type or header.
#
#   bash scripts/schemathesis.sh path/to/portico [DATABASE_URL]
#
# With DATABASE_URL (postgres://…/postgres), a fresh database is created
# beside it and dropped after. `positive_data_acceptance` is left out: the
# API refuses schema-valid requests that break a business rule (a method of
# another customer, a date too far ahead) with 422 by design.
set -euo pipefail
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
PG_ADMIN_URL="${2:-}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${PORTICO_SCHEMATHESIS_VENV:-$HOME/.cache/portico-schemathesis}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "==> installing schemathesis from PyPI into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis >&2
fi
DATA="$(mktemp -d "${TMPDIR:-/tmp}/portico-st.XXXXXX")"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
DB_ARGS=()
PG_DB=""
if [ -n "$PG_ADMIN_URL" ]; then
  PG_DB="portico_st_$$"
  psql "$PG_ADMIN_URL" -qAtc "CREATE DATABASE $PG_DB" >/dev/null
  DB_ARGS=(--database-url "${PG_ADMIN_URL%/*}/$PG_DB")
fi
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA"
  [ -n "$PG_DB" ] && psql "$PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM PIPE
env -u PORTICO_CONFIG "$BIN" demo --addr "127.0.0.1:$PORT" --data-dir "$DATA" "${DB_ARGS[@]}" >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
  [ -s "$DATA/api-key.txt" ] && curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  sleep 0.2
done
KEY="$(cat "$DATA/api-key.txt")"
cd "$DATA"
"$venv/bin/schemathesis" run "$ROOT/crates/web/static/openapi.json" \
  --url "http://127.0.0.1:$PORT/api/v1" \
  -H "Authorization: Bearer $KEY" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-50}" \
  --seed 1
