#!/usr/bin/env python3
"""Query plans of the statements the signed-in portal pages really send.

    python3 bench/explain.py --pg postgres://postgres@127.0.0.1:5432/portico_bench_100000_50 \
        [--sqlite bench/out/bench-sqlite-100000c-50t.db] [--out bench/out/explain.txt]

Needs a database seeded by `bench/run.sh postgres` with KEEP_DB=1 (its
cookies in bench/out/cookies.txt, sessions not idle for 30 minutes) and
`target/release/portico`. Instead of copying SQL out of the source (which
goes stale), it asks PostgreSQL to log every statement of this database,
starts Portico, opens the dashboard, the accounts list and an account
summary as one customer, reads the statements and their parameters back
from the server log, and runs each once more under
`EXPLAIN (ANALYZE, BUFFERS)` with the logged values. With --sqlite, the same
statement texts (the app has one SQL code path) get SQLite's
`EXPLAIN QUERY PLAN` on a seeded SQLite database.
"""

import argparse
import glob
import os
import re
import subprocess
import sys
import time
import urllib.request

PORT = 18097
HOST = f"bench.localhost:{PORT}"
KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"


def psql(url, sql):
    return subprocess.run(["psql", "-X", "-q", "-tA", url, "-c", sql], check=True, capture_output=True,
                          text=True).stdout


def get(path, cookie):
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Host": HOST,
                                                                          "Cookie": f"portico={cookie}"})
    with urllib.request.urlopen(req) as r:
        return r.status


def server_log():
    logs = sorted(glob.glob("/var/log/postgresql/*.log"), key=os.path.getmtime)
    if not logs:
        sys.exit("no PostgreSQL log under /var/log/postgresql")
    return logs[-1]


def statements(log_text, dbname):
    """(sql, {n: value}) of each `execute` line of this database, in order."""
    out = []
    lines = log_text.splitlines()
    for i, line in enumerate(lines):
        m = re.search(r"@" + re.escape(dbname) + r" LOG:  duration: [0-9.]+ ms  execute [^:]+: (.*)$", line)
        if not m:
            continue
        params = {}
        if i + 1 < len(lines) and "DETAIL:  parameters:" in lines[i + 1]:
            for n, v in re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", lines[i + 1]):
                params[int(n)] = v
        out.append((m.group(1), params))
    return out


def bind(sql, params):
    for n in sorted(params, reverse=True):
        sql = sql.replace(f"${n}", params[n])
    return sql


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--sqlite")
    ap.add_argument("--bin", default="target/release/portico")
    ap.add_argument("--cookies", default="bench/out/cookies.txt")
    ap.add_argument("--accounts", default="bench/out/accounts.txt")
    ap.add_argument("--out", default="bench/out/explain.txt")
    a = ap.parse_args()
    dbname = a.pg.rsplit("/", 1)[1].split("?")[0]
    cookies = open(a.cookies).read().split()
    accounts = open(a.accounts).read().splitlines()
    # A customer with an installment loan or lease, preferably also a line of credit.
    pick = next((i for i, l in enumerate(accounts) if "line_of_credit" in l and re.match(r"\d+:(installment|lease)", l)),
                next(i for i, l in enumerate(accounts) if re.match(r"\d+:(installment|lease)", l)))
    cookie, account = cookies[pick], accounts[pick].split(":")[0]

    log = server_log()
    psql(a.pg, f"ALTER DATABASE {dbname} SET log_min_duration_statement = 0")
    env = dict(os.environ, RUST_LOG="warn", PORTICO_DATABASE_URL=a.pg, PORTICO_SECRET_KEY=KEY,
               PORTICO_ADDR=f"127.0.0.1:{PORT}",
               # keep the job runners' polls out of the statement log
               PORTICO_MAIL_POLL_SECONDS="3600", PORTICO_PAYMENT_POLL_SECONDS="3600")
    server = subprocess.Popen([a.bin, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz")
                break
            except OSError:
                time.sleep(0.25)
        time.sleep(0.5)
        start = os.path.getsize(log)  # after start-up (migrations, job runners' first look)
        pages = ["/", "/accounts", f"/accounts/{account}/summary"]
        for p in pages:
            if get(p, cookie) != 200:
                sys.exit(f"GET {p} did not answer 200")
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait()
        psql(a.pg, f"ALTER DATABASE {dbname} RESET log_min_duration_statement")
    with open(log, errors="replace") as f:
        f.seek(start)
        found = statements(f.read(), dbname)

    seen, report = set(), [f"# Statements of {', '.join(pages)} (one customer), as logged by PostgreSQL\n"]
    for sql, params in found:
        if sql in seen or sql.startswith(("UPDATE", "INSERT", "DELETE")):
            continue
        seen.add(sql)
        bound = bind(sql, params)
        report.append("\n## " + sql + "\n\nparameters: " + ", ".join(f"${n} = {v}" for n, v in sorted(params.items())))
        plan = psql(a.pg, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + bound)
        report.append("\n### PostgreSQL\n\n" + plan.rstrip())
        if a.sqlite:
            q = subprocess.run(["sqlite3", "-readonly", a.sqlite, "EXPLAIN QUERY PLAN " + bound],
                               capture_output=True, text=True)
            report.append("\n### SQLite\n\n" + (q.stdout or q.stderr).rstrip())
    text = "\n".join(report) + "\n"
    with open(a.out, "w") as f:
        f.write(text)
    print(text)
    print(f"{len(seen)} statements; written to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
