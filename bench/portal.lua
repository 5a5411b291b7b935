-- wrk script for Portico's portal pages (bench/README.md).
--
--   wrk -t2 -c32 -d25s --latency -s bench/portal.lua http://127.0.0.1:PORT \
--       -- MODE HOST[:PORT] COOKIES_FILE ACCOUNTS_FILE
--
-- MODE: dashboard (GET /), accounts (GET /accounts), summary
-- (GET /accounts/{id}/summary of that user's installment loan or lease) or
-- healthz (GET /healthz). Every request picks a random signed-in customer
-- (a random line of COOKIES_FILE), so different users, accounts and ledgers
-- are read. Requests carry the session cookie and a CSRF seed cookie, as a
-- browser that has been on the site does.
--
-- Any response that is not 2xx (a 303 to /login included, which wrk itself
-- does not count) is counted; done() prints one machine-readable line:
--   BENCH requests=… rps=… non2xx=… socket_errors=… p50_ms=… p90_ms=… p99_ms=… max_ms=…

local threads = {}

function setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

local mode, host
local cookies, amortizing = {}, {}
local csrf = "benchbenchbenchbenchbenchbenchbenchbench0000"
errors = 0

function init(args)
  mode = args[1] or "dashboard"
  host = args[2] or "bench.localhost"
  local cookie_file = args[3] or "bench/out/cookies.txt"
  local accounts_file = args[4] or "bench/out/accounts.txt"
  for line in io.lines(cookie_file) do
    if #line > 0 then table.insert(cookies, line) end
  end
  local i = 0
  for line in io.lines(accounts_file) do
    i = i + 1
    -- Each line: "id:kind id:kind …", amortizing accounts first.
    local id, kind = line:match("^(%d+):(%S+)")
    if id and (kind == "installment" or kind == "lease") and cookies[i] then
      table.insert(amortizing, { cookies[i], id })
    end
  end
  if #cookies == 0 then error("no cookies in " .. cookie_file) end
  if mode == "summary" and #amortizing == 0 then error("no installment accounts in " .. accounts_file) end
  math.randomseed(os.time() * 100 + (thread_no or 0))
end

local paths = { dashboard = "/", accounts = "/accounts", healthz = "/healthz" }

function request()
  local cookie, path
  if mode == "summary" then
    local e = amortizing[math.random(#amortizing)]
    cookie, path = e[1], "/accounts/" .. e[2] .. "/summary"
  else
    cookie, path = cookies[math.random(#cookies)], paths[mode]
  end
  return wrk.format("GET", path, {
    ["Host"] = host,
    ["Cookie"] = "portico=" .. cookie .. "; portico-csrf=" .. csrf,
  })
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local non2xx = 0
  for _, t in ipairs(threads) do
    non2xx = non2xx + (t:get("errors") or 0)
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "BENCH requests=%d rps=%.1f non2xx=%d socket_errors=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    summary.requests, summary.requests / (summary.duration / 1e6), non2xx, socket,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
