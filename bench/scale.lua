-- wrk script for bench/scale.sh: each request picks a random path from the file
-- named by PATHS_FILE (one path a line), so an article load is spread over the
-- archive instead of one hot row. done() prints one line:
--   RESULT p50_ms p95_ms p99_ms requests_per_second non_2xx_3xx socket_errors
local paths = {}
local file = os.getenv("PATHS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end

local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_number or 0))
end

function request()
  if #paths > 0 then
    return wrk.format("GET", paths[math.random(#paths)])
  end
  return wrk.format("GET", wrk.path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.3f %.3f %.3f %.1f %d %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), e.status,
    e.connect + e.read + e.write + e.timeout))
end
