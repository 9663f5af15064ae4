-- wrk script for bench/http.sh and bench/live.sh: checks every response, so a
-- row's throughput counts only full, correct pages. A response counts as
-- correct when its status is 200, its body contains every string in
-- MUST_CONTAIN (separated by tabs; the row passes the page's title and its
-- closing tag) and, when EXPECT_BYTES is set, its body is exactly that many
-- bytes (the size of the full page, fetched once before the load). done() prints
--   CHECKED <responses> BAD <wrong answers> SOCKET <socket errors> [the first wrong one's status and size]
-- where socket errors are wrk's own count (connect, read, write, timeout):
-- a request that never got an answer is not in CHECKED.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  checked = 0
  bad = 0
  first_bad = ""
  expect_bytes = tonumber(os.getenv("EXPECT_BYTES") or "")
  needles = {}
  for needle in string.gmatch(os.getenv("MUST_CONTAIN") or "", "[^\t]+") do
    needles[#needles + 1] = needle
  end
end

function response(status, headers, body)
  checked = checked + 1
  local good = status == 200 and (expect_bytes == nil or #body == expect_bytes)
  for i = 1, #needles do
    if not good then break end
    good = string.find(body, needles[i], 1, true) ~= nil
  end
  if not good then
    bad = bad + 1
    if first_bad == "" then
      first_bad = string.format("status %d, %d bytes", status, #body)
    end
  end
end

function done(summary, latency, requests)
  local all, wrong, example = 0, 0, ""
  for _, thread in ipairs(threads) do
    all = all + thread:get("checked")
    wrong = wrong + thread:get("bad")
    if example == "" then example = thread:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format("CHECKED %d BAD %d SOCKET %d %s\n", all, wrong,
    e.connect + e.read + e.write + e.timeout, example))
end
