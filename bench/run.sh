#!/usr/bin/env bash
# Portico load benchmark (bench/README.md).
#
#   bash bench/run.sh [sqlite|postgres] [customers] [tx-per-customer]
#
# Builds release binaries, seeds a fresh database (SQLite under bench/out/,
# or a fresh PostgreSQL database), starts `portico serve` with quiet logs,
# checks that the signed-in pages really answer 200 with the expected page,
# then runs wrk against GET /, GET /accounts, GET /accounts/{id}/summary and
# GET /healthz, sampling the server's RssAnon during the dashboard run, and
# last against the yardstick page (`portico-bench reference`).
# Writes bench/out/results-<backend>-<customers>c-<tx>t.md.
#
# Environment: PORT (18080), DURATION (25s), WARMUP (5s), CONNECTIONS (32),
# THREADS (2), SESSIONS (1000), PG_URL (postgres://postgres@127.0.0.1:5432),
# PG_SOCKET (a directory: serve over PostgreSQL's Unix socket),
# KEEP_DB=1 to keep the database afterwards, SKIP_SEED=1 to reuse the last
# seeded database of the same size (its sessions must not have gone idle).
set -euo pipefail

backend=${1:-sqlite}
customers=${2:-100000}
txpc=${3:-50}
cd "$(dirname "$0")/.."
root=$PWD
out=bench/out
mkdir -p "$out"
port=${PORT:-18080}
duration=${DURATION:-25s}
warmup=${WARMUP:-5s}
conns=${CONNECTIONS:-32}
threads=${THREADS:-2}
sessions=${SESSIONS:-1000}
pg_url=${PG_URL:-postgres://postgres@127.0.0.1:5432}
label="$backend-${customers}c-${txpc}t"
results="$out/results-$label.md"
host="bench.localhost:$port"
base="http://127.0.0.1:$port"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

echo "== build"
cargo build --release -p portico -p portico-bench

case "$backend" in
  sqlite)
    db="$out/bench-$label.db"
    url="sqlite://$root/$db?mode=rwc"
    ;;
  postgres)
    dbname="portico_bench_${customers}_${txpc}"
    url="$pg_url/$dbname"
    # PG_SOCKET=/var/run/postgresql: the servers connect over the Unix
    # socket instead of TCP (seeding and psql still use PG_URL).
    [[ -n ${PG_SOCKET:-} ]] && serve_url="postgres://postgres@localhost/$dbname?host=$PG_SOCKET"
    ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac

if [[ "${SKIP_SEED:-0}" != 1 ]]; then
  echo "== seed $label"
  if [[ $backend == sqlite ]]; then
    rm -f "$db" "$db-wal" "$db-shm"
  else
    psql -q "$pg_url/postgres" -c "DROP DATABASE IF EXISTS $dbname" -c "CREATE DATABASE $dbname"
  fi
  seed_start=$(date +%s)
  seed() {
    target/release/portico-bench seed --database-url "$url" --customers "$customers" \
      --tx-per-customer "$txpc" --sessions "$sessions" --out-dir "$out" | tee "$out/seed-$label.log"
  }
  # SQLite: about one seed in 40 still fails with "database is locked" just
  # after migrating (a pool connection still closing); start again once.
  if ! seed; then
    [[ $backend == sqlite ]] || exit 1
    rm -f "$db" "$db-wal" "$db-shm"
    seed
  fi
  echo "seed_seconds=$(( $(date +%s) - seed_start ))" >> "$out/seed-$label.log"
fi
if [[ $backend == sqlite ]]; then
  db_size=$(du -h "$db" | cut -f1)
else
  db_size=$(psql -tA "$pg_url/postgres" -c "SELECT pg_size_pretty(pg_database_size('$dbname'))")
fi

# Write the seed out before measuring: a fresh 17 GB database leaves gigabytes
# of dirty pages that the kernel would otherwise flush during the first run.
if [[ $backend == postgres ]]; then psql -q "$pg_url/$dbname" -c CHECKPOINT; fi
sync

echo "== serve"
serve_url=${serve_url:-$url}
RUST_LOG=warn PORTICO_DATABASE_URL="$serve_url" \
  PORTICO_SECRET_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
  PORTICO_ADDR="127.0.0.1:$port" target/release/portico serve > "$out/server-$label.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "${KEEP_DB:-0}" != 1 ]]; then
    if [[ $backend == sqlite ]]; then rm -f "$db" "$db-wal" "$db-shm"
    else psql -q "$pg_url/postgres" -c "DROP DATABASE IF EXISTS $dbname" || true; fi
  fi
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$out/server-$label.log"; exit 1; }
  sleep 0.5
done

echo "== check pages"
cookie=$(head -1 "$out/cookies.txt")
# The first session whose user has an installment loan or lease.
line_no=$(grep -n -m1 -E '^[0-9]+:(installment|lease)' "$out/accounts.txt" | cut -d: -f1)
summary_cookie=$(sed -n "${line_no}p" "$out/cookies.txt")
summary_id=$(sed -n "${line_no}p" "$out/accounts.txt" | cut -d: -f1)
check() { # path cookie marker
  local code
  code=$(curl -s -o "$out/check.tmp" -w '%{http_code}' -H "Host: $host" -b "portico=$2" "$base$1")
  if [[ $code != 200 ]] || ! grep -q "$3" "$out/check.tmp"; then
    echo "FAIL: GET $1 answered $code without \"$3\"" >&2
    head -c 400 "$out/check.tmp" >&2
    exit 1
  fi
  echo "ok: GET $1 → 200, $(wc -c < "$out/check.tmp") bytes, has \"$3\""
}
check / "$cookie" "Customer ID BL-"
check /accounts "$cookie" "Total balance"
check "/accounts/$summary_id/summary" "$summary_cookie" "Principal paid"
check /healthz "$cookie" ""

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss_kb() { awk '/^RssAnon/ {print $2}' "/proc/$pid/status"; }
clk=$(getconf CLK_TCK)
rss_idle=$(rss_kb)
# 0 when the server turned transparent huge pages off for itself (main.rs).
thp=$(awk '/^THP_enabled/ {print $2}' "/proc/$pid/status")

declare -A R
run() { # name mode
  local name=$1 mode=$2
  echo "== wrk $name"
  wrk -t"$threads" -c"$conns" -d"$warmup" -s bench/portal.lua "$base" -- "$mode" "$host" \
    "$out/cookies.txt" "$out/accounts.txt" > /dev/null
  local sampler=""
  if [[ $mode == dashboard ]]; then
    ( while kill -0 "$pid" 2>/dev/null; do rss_kb; sleep 0.2; done ) > "$out/rss-$label.tmp" &
    sampler=$!
  fi
  local c0 c1
  c0=$(cpu_ticks)
  wrk -t"$threads" -c"$conns" -d"$duration" --latency -s bench/portal.lua "$base" -- "$mode" "$host" \
    "$out/cookies.txt" "$out/accounts.txt" | tee "$out/wrk-$label-$mode.log"
  c1=$(cpu_ticks)
  [[ -n $sampler ]] && kill "$sampler" 2>/dev/null && wait "$sampler" 2>/dev/null || true
  local b
  b=$(grep '^BENCH' "$out/wrk-$label-$mode.log")
  local kv req
  for kv in $b; do [[ $kv == *=* ]] && R[$name.${kv%%=*}]=${kv#*=}; done
  req=${R[$name.requests]}
  R[$name.cpu_us]=$(awk -v t=$((c1 - c0)) -v c="$clk" -v n="$req" 'BEGIN { printf "%.0f", t / c * 1e6 / n }')
  if [[ ${R[$name.non2xx]} != 0 || ${R[$name.socket_errors]} != 0 ]]; then
    echo "INVALID RUN: $name had ${R[$name.non2xx]} non-2xx responses and ${R[$name.socket_errors]} socket errors" >&2
    R[$name.valid]=no
  else
    R[$name.valid]=yes
  fi
}
run "GET /" dashboard
run "GET /accounts" accounts
run "GET /accounts/{id}/summary" summary
run "GET /healthz" healthz
rss_max=$(sort -n "$out/rss-$label.tmp" | tail -1)
rss_end=$(rss_kb)
huge_kb=$(awk '/^AnonHugePages/ {print $2}' "/proc/$pid/smaps_rollup")

# The yardstick: the same load on a bare axum + sqlx page with 3 indexed
# queries and an askama render (`portico-bench reference`), same database,
# same pool, on this machine today, Portico stopped meanwhile.
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
target/release/portico-bench reference --database-url "$serve_url" --addr "127.0.0.1:$port" \
  > "$out/reference-$label.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$out/reference-$label.log"; exit 1; }
  sleep 0.5
done
check / "$cookie" "<li>"
run "reference page" dashboard

seed_line=$(grep -E '^(loaded|rows|total)' "$out/seed-$label.log" | tr '\n' ';' || true)
seed_secs=$(grep -oE 'seed_seconds=[0-9]+' "$out/seed-$label.log" | cut -d= -f2 || echo "?")
{
  echo "# Portico benchmark: $backend, $customers customers × $txpc transactions"
  echo
  echo "- date: $(date -u +%Y-%m-%d) · machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "- wrk: $threads threads, $conns connections, ${duration} per endpoint after ${warmup} warm-up, random session per request ($sessions sessions)"
  echo "- database: $backend, $db_size; seeded in ${seed_secs} s; server connects with ${serve_url%%\?*}${PG_SOCKET:+ over the Unix socket $PG_SOCKET}; commit $(git rev-parse --short HEAD)"
  echo "- seed: $seed_line"
  echo "- server RssAnon: idle $((rss_idle / 1024)) MB, max during GET / $((rss_max / 1024)) MB, after all runs $((rss_end / 1024)) MB (of it in huge pages: $((huge_kb / 1024)) MB; THP_enabled ${thp:-?})"
  echo
  echo "| endpoint | req/s | p50 ms | p90 ms | p99 ms | max ms | server CPU µs/req | non-2xx | socket errors | valid |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for n in "GET /" "GET /accounts" "GET /accounts/{id}/summary" "GET /healthz" "reference page"; do
    printf '| `%s` | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "${R[$n.rps]}" "${R[$n.p50_ms]}" \
      "${R[$n.p90_ms]}" "${R[$n.p99_ms]}" "${R[$n.max_ms]}" "${R[$n.cpu_us]}" "${R[$n.non2xx]}" \
      "${R[$n.socket_errors]}" "${R[$n.valid]}"
  done
} > "$results"
rm -f "$out/check.tmp" "$out/rss-$label.tmp"
echo "== results ($results)"
cat "$results"
