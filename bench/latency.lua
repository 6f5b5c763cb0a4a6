-- wrk script: print one machine-readable line with latency percentiles (microseconds).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT p50_us=%d p95_us=%d p99_us=%d requests=%d errors=%d duration_us=%d non2xx=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.requests,
    e.connect + e.read + e.write + e.timeout, summary.duration, e.status))
end
