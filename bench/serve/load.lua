-- load.lua - wrk script for `irk serve`: one request in four writes a log-book
-- entry, the others read the incident and its newest entries.  Counts the
-- writes the server acknowledged (201), per thread, for the check afterwards.
-- Reads poll the entries after the newest seq this thread has seen, minus 10.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  failed = 0
  n = 0
  head = 0
  token = os.getenv("IRK_TOKEN")
  inc = os.getenv("IRK_INC") or "1"
end

function request()
  n = n + 1
  local h = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  if n % 4 == 0 then
    local body = string.format('{"text":"load entry %d from %s","kind":"note"}', n, tostring(wrk.thread))
    return wrk.format("POST", "/api/v1/incidents/" .. inc .. "/entries", h, body)
  elseif n % 4 == 1 then
    return wrk.format("GET", "/api/v1/incidents/" .. inc, h)
  else
    -- poll for the newest entries, as the web UI does after a reconnect
    return wrk.format("GET", "/api/v1/incidents/" .. inc .. "/entries?after=" .. math.max(0, head - 10), h)
  end
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    local seq = tonumber(string.match(body, '"seq":(%d+)'))
    if seq and seq > head then head = seq end
  elseif status >= 400 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local c, f = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    f = f + t:get("failed")
  end
  io.write(string.format("acknowledged_writes %d\nerror_responses %d\n", c, f))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("latency_p%s_ms %.2f\n", p, latency:percentile(p) / 1000))
  end
end
