-- wrk script for bench/scale.sh and bench/search.sh: each request picks a
-- random path from the file named by PATHS_FILE (one path a line), so an
-- article load is spread over the archive instead of one hot row, and a search
-- load over the whole query set. SEED, when set, fixes each thread's sequence.
-- With MUST_CONTAIN (strings separated by tabs) every response is checked:
-- status 200 and every string in the body. done() prints one line:
--   RESULT p50_ms p95_ms p99_ms requests_per_second non_2xx_3xx socket_errors wrong_answers
-- where wrong_answers counts the responses that failed the check (0 without MUST_CONTAIN).
local paths = {}
local file = os.getenv("PATHS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end

local threads = {}
function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  local seed = tonumber(os.getenv("SEED") or "") or os.time() * 1000
  math.randomseed(seed + (thread_number or 0))
  wrong = 0
  needles = {}
  for needle in string.gmatch(os.getenv("MUST_CONTAIN") or "", "[^\t]+") do
    needles[#needles + 1] = needle
  end
end

function response(status, headers, body)
  if #needles == 0 then return end
  local good = status == 200
  for i = 1, #needles do
    if not good then break end
    good = string.find(body, needles[i], 1, true) ~= nil
  end
  if not good then wrong = wrong + 1 end
end

function request()
  if #paths > 0 then
    return wrk.format("GET", paths[math.random(#paths)])
  end
  return wrk.format("GET", wrk.path)
end

function done(summary, latency, requests)
  local e = summary.errors
  local wrong_answers = 0
  for _, thread in ipairs(threads) do
    wrong_answers = wrong_answers + (thread:get("wrong") or 0)
  end
  io.write(string.format("RESULT %.3f %.3f %.3f %.1f %d %d %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), e.status,
    e.connect + e.read + e.write + e.timeout, wrong_answers))
end
