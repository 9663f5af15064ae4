-- wrk script for bench/soak.sh: requests cycle through the paths in PATHS_FILE
-- (one a line; each thread starts at a different place). With PERIOD_MS set, each
-- connection waits so that it sends one request every PERIOD_MS milliseconds on
-- average (wrk's delay() takes whole milliseconds, so the wait is drawn between
-- the two whole numbers around the wanted one): connections x 1000 / PERIOD_MS
-- requests a second in all, whatever the server could do. done() prints one line:
--   RESULT requests_per_second requests non_2xx_3xx socket_errors p50_ms p99_ms
local paths = {}
local file = os.getenv("PATHS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end
local period = tonumber(os.getenv("PERIOD_MS") or "")

local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

local next_path = 1
function init(args)
  math.randomseed(os.time() * 1000 + (thread_number or 0))
  next_path = ((thread_number or 0) * 7) % math.max(#paths, 1) + 1
end

function request()
  if #paths == 0 then
    return wrk.format("GET", wrk.path)
  end
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end

-- The wait before each request; the time the response takes is subtracted by the
-- caller (soak.sh lowers PERIOD_MS by the measured latency).
function delay()
  if not period or period <= 0 then return 0 end
  local whole = math.floor(period)
  if math.random() < period - whole then whole = whole + 1 end
  return whole
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %d %d %d %.3f %.3f\n",
    summary.requests / (summary.duration / 1e6), summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
