-- wrk script for bench/http.sh: checks every response, so a row's throughput
-- counts only full, correct pages. A response counts as correct when its status
-- is 200 and its body contains every string in MUST_CONTAIN (separated by
-- "|"; the row passes the page's headline and its closing tag). done() prints
--   CHECKED <responses> BAD <responses that were not the full page>
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  checked = 0
  bad = 0
  needles = {}
  for needle in string.gmatch(os.getenv("MUST_CONTAIN") or "", "[^|]+") do
    needles[#needles + 1] = needle
  end
end

function response(status, headers, body)
  checked = checked + 1
  local good = status == 200
  for i = 1, #needles do
    if not good then break end
    good = string.find(body, needles[i], 1, true) ~= nil
  end
  if not good then bad = bad + 1 end
end

function done(summary, latency, requests)
  local all, wrong = 0, 0
  for _, thread in ipairs(threads) do
    all = all + thread:get("checked")
    wrong = wrong + thread:get("bad")
  end
  io.write(string.format("CHECKED %d BAD %d\n", all, wrong))
end
