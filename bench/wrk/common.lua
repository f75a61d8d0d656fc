-- Shared by the wrk scripts: a SigV4-shaped Authorization header (the
-- credential scope names the service; in the default auth mode the
-- signature itself is not checked), error counting and a latency summary.
local M = {}

function M.headers(service)
  return {
    ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8",
    ["X-Amz-Date"] = "20260101T000000Z",
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/" .. service ..
        "/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" .. string.rep("0", 64),
  }
end

function M.done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f non2xx=%d connect_err=%d read_err=%d timeouts=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6), errors.status,
    errors.connect, errors.read, errors.timeout, latency:percentile(50), latency:percentile(99)))
end

return M
