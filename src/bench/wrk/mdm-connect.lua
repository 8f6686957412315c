-- wrk: Apple MDM Idle connects, PUT /mdm/apple/connect, each as the next device of this thread, with no Content-Type
-- (as Apple's client sends them) and the Mdm-Signature AppleSeed made for that device's Idle body. IDLE names
-- AppleSeed's idle.tsv; FIRST and COUNT pick devices (1-based lines) [FIRST, FIRST+COUNT). Threads take interleaved
-- devices, so each connects once per pass; done() prints how many answers carried a command.
local prefix = '<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>Status</key>'
  .. '<string>Idle</string><key>UDID</key><string>'
local suffix = '</string></dict></plist>'
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  nthreads = tonumber(os.getenv("THREADS"))
  local first = tonumber(os.getenv("FIRST"))
  local count = tonumber(os.getenv("COUNT"))
  devices = {}
  local n = 0
  for line in io.lines(os.getenv("IDLE")) do
    n = n + 1
    if n >= first and n < first + count then
      local udid, signature = line:match("([^\t]+)\t([^\t]+)")
      devices[#devices + 1] = { udid = udid, signature = signature }
    end
  end
  next_n = id
  carried, empty, wrapped, other = 0, 0, 0, 0
end

function request()
  if next_n >= #devices then
    next_n = next_n % nthreads
    wrapped = wrapped + 1
  end
  local d = devices[next_n + 1]
  next_n = next_n + nthreads
  return wrk.format("PUT", "/mdm/apple/connect", { ["Mdm-Signature"] = d.signature }, prefix .. d.udid .. suffix)
end

function response(status, headers, body)
  if status ~= 200 then
    other = other + 1
  elseif body:find("CommandUUID", 1, true) then
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
  io.write(string.format("connects: %d with commands, %d empty, %d not 200, passes wrapped %d\n", c, e, o, w))
  io.write(string.format("latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
