-- wrk: device check-ins, POST /agent/v1/checkin, each with the token of the next device of this thread.
-- The devices are the ones sql/checkin-seed.sql created: token "bench-token-<n>" for n in [FIRST, FIRST+COUNT).
-- Threads take interleaved numbers, so each device checks in once per pass; done() prints how many check-ins
-- carried commands, how many came back empty, and how many devices were visited a second time (wrapped).
local first = tonumber(os.getenv("FIRST"))
local count = tonumber(os.getenv("COUNT"))
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  nthreads = tonumber(os.getenv("THREADS"))
  next_n = id
  carried, empty, wrapped, other = 0, 0, 0, 0
end

function request()
  if next_n >= count then
    next_n = next_n % nthreads
    wrapped = wrapped + 1
  end
  local n = first + next_n
  next_n = next_n + nthreads
  return wrk.format("POST", "/agent/v1/checkin",
    { ["Authorization"] = "Bearer bench-token-" .. n, ["Content-Type"] = "application/json" }, "{}")
end

function response(status, headers, body)
  if status ~= 200 then
    other = other + 1
  elseif body:find("actionId", 1, true) then
    carried = carried + 1
  else
    empty = empty + 1
  end
end

function done(summary, latency, requests)
  local c, e, w, o = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("carried")
    e = e + thread:get("empty")
    w = w + thread:get("wrapped")
    o = o + thread:get("other")
  end
  io.write(string.format("check-ins: %d with commands, %d empty, %d not 200, passes wrapped %d\n", c, e, o, w))
  io.write(string.format("latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
