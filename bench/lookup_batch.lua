-- wrk script of the public look-up benchmark's batch scenario (scripts/bench-lookup.sh): POST
-- /api/v1/public/filings/batch with BENCH_BATCH (1000) domains drawn uniformly from the key file
-- BENCH_KEYS (half filed, half not). 64 distinct bodies are made at start and sent in turn, so
-- that wrk spends its time sending, not building JSON.
local bodies = {}
local next_body = 1

function init(args)
  local keys, n = {}, 0
  for line in io.lines(os.getenv("BENCH_KEYS")) do
    n = n + 1
    keys[n] = line
  end
  local size = tonumber(os.getenv("BENCH_BATCH") or "1000")
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  for b = 1, 64 do
    local parts = {}
    for i = 1, size do parts[i] = '"' .. keys[math.random(n)] .. '"' end
    bodies[b] = '{"domains":[' .. table.concat(parts, ",") .. "]}"
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/api/v1/public/filings/batch", nil, body)
end
