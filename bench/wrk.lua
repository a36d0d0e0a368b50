-- wrk script of `make bench`: the signed-in visitor's cookie (BENCH_COOKIE), the proxy's
-- X-Forwarded-Proto (the portal runs as behind nginx), and one machine-readable summary line.
local cookie = os.getenv("BENCH_COOKIE")
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d errors=%d status_errors=%d p50=%d p95=%d p99=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
