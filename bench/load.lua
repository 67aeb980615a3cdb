-- wrk script of bench/serve.py. Each request asks for the next path of the file $BENCH_PATHS (one a line, in
-- turn), so that a page can be a different story every time. With $BENCH_BODY set, requests are POSTs of that
-- body, "{n}" in it replaced by a number unique in the run, with $BENCH_TOKEN as the API token. Each thread
-- counts answers by class and by X-Cache; done() prints the run as one JSON line for bench/serve.py to read.

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  paths[#paths + 1] = line
end
local body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
local threads = {}
local counters = { "ok", "redirects", "failures", "hits", "misses" }

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  sent, ok, redirects, failures, hits, misses = 0, 0, 0, 0, 0, 0
end

function request()
  sent = sent + 1
  local path = paths[(sent - 1) % #paths + 1]
  if body == nil then
    return wrk.format("GET", path)
  end
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Token " .. token }
  return wrk.format("POST", path, headers, (body:gsub("{n}", id .. "-" .. sent)))
end

function response(status, headers, _)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status >= 300 and status < 400 then
    redirects = redirects + 1
  else
    failures = failures + 1
  end
  if headers["X-Cache"] == "hit" then
    hits = hits + 1
  elseif headers["X-Cache"] == "miss" then
    misses = misses + 1
  end
end

function done(summary, latency, _)
  local total = {}
  for _, name in ipairs(counters) do
    total[name] = 0
    for _, thread in ipairs(threads) do
      total[name] = total[name] + thread:get(name)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, "errors": %d, '
      .. '"ok": %d, "redirects": %d, "failures": %d, "hits": %d, "misses": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout,
    total.ok, total.redirects, total.failures, total.hits, total.misses
  ))
end
