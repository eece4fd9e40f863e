-- wrk script of the public look-up benchmark (scripts/bench-lookup.sh): GET
-- /api/v1/public/filings?domain=KEY with keys read from the file named by BENCH_KEYS (one per
-- line; the script writes half filed, half not, shuffled). BENCH_DIST = "uniform" (every key
-- equally likely) or "zipf" (rank r drawn with probability ∝ 1 / r^BENCH_ZIPF_S, s = 1.1 by
-- default: a few domains asked very often, a long tail). Non-2xx answers are counted by wrk.
local keys = {}
local cdf = nil
local n = 0

local function load()
  local path = os.getenv("BENCH_KEYS")
  for line in io.lines(path) do
    n = n + 1
    keys[n] = line
  end
  if os.getenv("BENCH_DIST") == "zipf" then
    local s = tonumber(os.getenv("BENCH_ZIPF_S") or "1.1")
    cdf = {}
    local sum = 0
    for r = 1, n do
      sum = sum + 1 / (r ^ s)
      cdf[r] = sum
    end
    for r = 1, n do cdf[r] = cdf[r] / sum end
  end
end

function init(args)
  load()
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

local function pick()
  if cdf == nil then return keys[math.random(n)] end
  local u = math.random()
  local lo, hi = 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return keys[lo]
end

function request()
  return wrk.format("GET", "/api/v1/public/filings?domain=" .. pick())
end
