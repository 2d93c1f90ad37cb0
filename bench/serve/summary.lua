-- wrk script for bench/serve: prints one JSON line with the run's figures after the run.
-- Optional: PATHS="path1|path2" (environment) makes wrk alternate between these request
-- targets (the RSS run: candles and symbols), otherwise the URL given to wrk is used.
-- Non-2xx: wrk counts status >= 400 in summary.errors.status (no Lua response() callback,
-- which would copy every body into Lua and slow the client down).
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "", "[^|]+") do table.insert(paths, p) end
local n = 0

if #paths > 0 then
  request = function()
    n = n + 1
    return wrk.format(nil, paths[(n % #paths) + 1])
  end
end

done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"status_errors":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
