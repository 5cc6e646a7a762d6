-- Cycles through pre-built requests read from a file: one per line,
-- "METHOD\tPATH\tHEADERS\tBODY", HEADERS being "Name: value" pairs separated by "|".
-- Each wrk thread takes every n-th line, so no two threads send the same request.
-- WRK_DELAY_MS: a pause before each request of a connection, for a load of a given rate rather
-- than as much as the service takes.
local threads = {}
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if pause > 0 then
  function delay() return pause end
end
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local total = tonumber(args[2])
  requests = {}
  local n = 0
  for line in io.lines(args[1]) do
    if n % total == id then
      local method, path, extra, body = line:match("^(%S+)\t(%S+)\t([^\t]*)\t(.*)$")
      local headers = { ["Authorization"] = args[3] }
      for name, value in extra:gmatch("([%w%-]+): ([^|]+)") do headers[name] = value end
      if body == "" then
        body = nil
      elseif body:sub(1, 1) == "{" or body:sub(1, 1) == "[" then
        headers["Content-Type"] = "application/json"
      else
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      table.insert(requests, wrk.format(method, path, headers, body))
    end
    n = n + 1
  end
  index = 0
end

function request()
  index = index + 1
  if index > #requests then
    if os.getenv("WRK_CYCLE") == "1" then index = 1 else index = #requests end
  end
  return requests[index]
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
