#!/usr/bin/env bash
# `make bench`: builds Release, starts beian (`serve --no-demo`, 2 threads) and a reference nginx
# (1 worker, same reply bytes), and runs wrk against both, interleaved, for several rounds per
# scenario. Prints throughput, p99 latency, server CPU per request and the median per-round
# throughput ratio (beian / nginx), and writes them to docs/bench.md.
#
# Scenarios are shell functions named scenario_<name> (see scenario_healthz); add one and list it
# in SCENARIOS. Settings (environment):
#   BENCH_ROUNDS (3), BENCH_DURATION (5s), BENCH_CONNECTIONS (32), BENCH_WRK_THREADS (1),
#   BENCH_SCENARIOS ("healthz healthz_under_login journey"), BENCH_BEIAN_BIN (a prebuilt binary:
#   skips the build; journey_bench and precheck_bench are taken from its folder), BENCH_OUT
#   (docs/bench.md), BENCH_LOGIN_CONNECTIONS (8) and BENCH_HEALTHZ_CONNECTIONS (4) for
#   healthz_under_login; for journey (the provider journey, bench/journey_bench.cc):
#   BENCH_JOURNEY_CLIENTS (32), BENCH_JOURNEY_APPLICANTS (64), BENCH_JOURNEY_REVIEWERS (4),
#   BENCH_JOURNEY_DURATION (10, seconds), BENCH_JOURNEY_THREADS (the server's --threads: 2),
#   BENCH_JOURNEY_UNTIL (auto: the whole journey once the review API answers; submit),
#   BENCH_JOURNEY_MAX_RATE (500: journeys/s the applicants' inventory is made for).
# Absolute figures drift ±20–30 % on shared machines; compare the ratios taken in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/bench-common.sh
source scripts/bench-common.sh

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-5s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
SCENARIOS=(${BENCH_SCENARIOS:-healthz healthz_under_login journey})
LOGIN_CONNECTIONS=${BENCH_LOGIN_CONNECTIONS:-8}
HEALTHZ_CONNECTIONS=${BENCH_HEALTHZ_CONNECTIONS:-4}
OUT=${BENCH_OUT:-$ROOT/docs/bench.md}
BEIAN_THREADS=2

scripts/install-deps.sh test

if [[ -n ${BENCH_BEIAN_BIN:-} ]]; then
  BEIAN_BIN=$BENCH_BEIAN_BIN
else
  echo "Building Release (build-bench)…"
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DBEIAN_BENCH=ON >/dev/null
  cmake --build build-bench --target beian precheck_bench journey_bench -j "$(nproc)"
  BEIAN_BIN=$ROOT/build-bench/beian
fi
PRECHECK_BENCH=${BENCH_PRECHECK_BIN:-$(dirname "$BEIAN_BIN")/precheck_bench}
JOURNEY_BENCH=${BENCH_JOURNEY_BIN:-$(dirname "$BEIAN_BIN")/journey_bench}
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)

TMP=$(mktemp -d /tmp/beian-bench.XXXXXX)
BEIAN_PID=""
NGINX_PID=""
cleanup() {
  [[ -n $BEIAN_PID ]] && kill "$BEIAN_PID" 2>/dev/null && wait "$BEIAN_PID" 2>/dev/null
  [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [[ -n ${JOURNEY_PID:-} ]] && kill "$JOURNEY_PID" 2>/dev/null && wait "$JOURNEY_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

wait_http() {  # url pid logfile
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "server for $1 did not come up; its log:" >&2
  tail -n 30 "$3" >&2 || true
  return 1
}

# Runs wrk on url; prints "rps p99_ms requests cpu_seconds" (cpu of the given pids during it).
run_wrk() {  # url pids...
  local url=$1
  shift
  local before after out
  before=$(cpu_seconds "$@")
  out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
  after=$(cpu_seconds "$@")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "wrk saw error responses from $url:" >&2
    echo "$out" >&2
    return 1
  fi
  local rps p99 requests
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  requests=$(awk '/ requests in / {print $1}' <<<"$out")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  echo "$rps $p99 $requests $(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.3f", b - a }')"
}

start_beian() {
  AGENT_PORT=$(free_port)
  AUTH_PORT=$(free_port)
  mkdir -p "$TMP/data"
  # --migrate: the data directory is new, and serve refuses a stale schema.
  "$BEIAN_BIN" serve --no-demo --migrate --data-dir "$TMP/data" --agent-listen "127.0.0.1:$AGENT_PORT" \
    --authority-listen "127.0.0.1:$AUTH_PORT" --threads "$BEIAN_THREADS" \
    >"$TMP/beian.out" 2>"$TMP/beian.log" &
  BEIAN_PID=$!
  wait_http "http://127.0.0.1:$AGENT_PORT/healthz" "$BEIAN_PID" "$TMP/beian.log"
}

# nginx answers /healthz with exactly beian's body, content type and headers (a fresh
# X-Request-Id per response from nginx's $request_id; Date and Server come from nginx itself).
start_nginx() {
  NGINX_PORT=$(free_port)
  local headers body ctype extra="" user_line=""
  headers=$(curl -fsS -D - -o "$TMP/healthz.body" "http://127.0.0.1:$AGENT_PORT/healthz" | tr -d '\r')
  body=$(cat "$TMP/healthz.body")
  ctype=$(awk -F': ' 'tolower($1) == "content-type" {print $2}' <<<"$headers")
  extra=$(nginx_add_headers <<<"$headers")
  [[ $(id -u) -eq 0 ]] && user_line="user root;"
  mkdir -p "$TMP/nginx"
  B_USER_LINE=$user_line B_TMP=$TMP B_PORT=$NGINX_PORT B_CTYPE=$ctype B_EXTRA=$extra \
    B_BODY_FILE=$TMP/healthz.body python3 - "$ROOT/bench/nginx.conf" "$TMP/nginx.conf" <<'PY'
import os, sys
e = os.environ
text = open(sys.argv[1]).read()
body = open(e["B_BODY_FILE"]).read()
if "'" in body or "\\" in body:
    sys.exit("the reference body cannot be quoted for nginx: " + body)
for k, v in {"@USER_LINE@": e["B_USER_LINE"], "@TMP@": e["B_TMP"], "@PORT@": e["B_PORT"],
             "@CONTENT_TYPE@": e["B_CTYPE"], "@EXTRA_HEADERS@": e["B_EXTRA"],
             "@BODY@": body}.items():
    text = text.replace(k, v)
open(sys.argv[2], "w").write(text)
PY
  "$NGINX_BIN" -p "$TMP/nginx" -c "$TMP/nginx.conf" 2>"$TMP/nginx-stderr.log" &
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$NGINX_PORT/healthz" "$NGINX_PID" "$TMP/nginx-stderr.log"
  local got
  got=$(curl -fsS "http://127.0.0.1:$NGINX_PORT/healthz")
  if [[ $got != "$body" ]]; then
    echo "nginx reply differs from beian's: '$got' vs '$body'" >&2
    return 1
  fi
}

REPORT=$TMP/report.md
SUMMARY=$TMP/summary.md
: >"$REPORT"
: >"$SUMMARY"

# Compares beian and nginx on one URL pair, interleaved (the order alternates per round).
compare() {  # name description beian_url nginx_url
  local name=$1 desc=$2 burl=$3 nurl=$4
  echo
  echo "== $name: $desc =="
  # Warm-up (connections, caches, CPU frequency).
  wrk -t1 -c"$CONNECTIONS" -d1s "$burl" >/dev/null
  wrk -t1 -c"$CONNECTIONS" -d1s "$nurl" >/dev/null
  local ratios=() ncpus=() bcpus=() rows="" r n b
  for r in $(seq 1 "$ROUNDS"); do
    if ((r % 2)); then
      n=$(run_wrk "$nurl" $(nginx_pids))
      b=$(run_wrk "$burl" "$BEIAN_PID")
    else
      b=$(run_wrk "$burl" "$BEIAN_PID")
      n=$(run_wrk "$nurl" $(nginx_pids))
    fi
    read -r nrps np99 nreq ncpu <<<"$n"
    read -r brps bp99 breq bcpu <<<"$b"
    local ratio ncpu_us bcpu_us
    ratio=$(awk -v a="$brps" -v b="$nrps" 'BEGIN { printf "%.3f", a / b }')
    ncpu_us=$(awk -v c="$ncpu" -v q="$nreq" 'BEGIN { printf "%.1f", c * 1e6 / q }')
    bcpu_us=$(awk -v c="$bcpu" -v q="$breq" 'BEGIN { printf "%.1f", c * 1e6 / q }')
    ratios+=("$ratio")
    ncpus+=("$ncpu_us")
    bcpus+=("$bcpu_us")
    printf 'round %d: nginx %9.0f req/s p99 %7.3f ms %5s µs CPU/req | beian %9.0f req/s p99 %7.3f ms %5s µs CPU/req | ratio %s\n' \
      "$r" "$nrps" "$np99" "$ncpu_us" "$brps" "$bp99" "$bcpu_us" "$ratio"
    rows+="| $r | $(printf '%.0f' "$nrps") | $np99 | $ncpu_us | $(printf '%.0f' "$brps") | $bp99 | $bcpu_us | $ratio |"$'\n'
  done
  local median ncpu_med bcpu_med
  median=$(median "${ratios[@]}")
  ncpu_med=$(median "${ncpus[@]}")
  bcpu_med=$(median "${bcpus[@]}")
  echo "median ratio beian/nginx: $median"
  {
    echo "## $name — $desc"
    echo
    echo "| round | nginx req/s | nginx p99 ms | nginx CPU µs/req | beian req/s | beian p99 ms | beian CPU µs/req | ratio |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '%s' "$rows"
    echo
    echo "Median per-round throughput ratio (beian / nginx): **$median**"
    echo
  } >>"$REPORT"
  echo "| $name | $median | $ncpu_med | $bcpu_med |" >>"$SUMMARY"
}

# --- scenarios -------------------------------------------------------------------------------
scenario_healthz() {
  compare healthz "GET /healthz, a fixed JSON reply (keep-alive)" \
    "http://127.0.0.1:$AGENT_PORT/healthz" "http://127.0.0.1:$NGINX_PORT/healthz"
}

# /healthz while logins run at full speed (issue 6 item 4): one wrk signs in to one account with
# the right password over LOGIN_CONNECTIONS connections (an Argon2id verification per request),
# a second wrk measures GET /healthz over HEALTHZ_CONNECTIONS. The target is /healthz p99 under
# 50 ms: password hashing must not hold up the I/O threads.
scenario_healthz_under_login() {
  local name=healthz_under_login email="bench-$RANDOM@example.com" password="bench-passphrase-7"
  echo
  echo "== $name: GET /healthz while $LOGIN_CONNECTIONS connections sign in =="
  curl -fsS -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"phone\":\"13800138000\",\"password\":\"$password\",\"display_name\":\"bench\"}" \
    "http://127.0.0.1:$AGENT_PORT/api/v1/auth/register"
  local rows="" p99s=() r login_secs
  login_secs=$(( ${DURATION%s} + 2 ))
  for r in $(seq 1 "$ROUNDS"); do
    BENCH_EMAIL=$email BENCH_PASSWORD=$password wrk -t1 -c"$LOGIN_CONNECTIONS" -d"${login_secs}s" \
      -s "$ROOT/bench/login.lua" "http://127.0.0.1:$AGENT_PORT/api/v1/auth/login" >"$TMP/login.out" &
    local login_pid=$!
    sleep 1
    local h
    # --timeout: a /healthz held up for seconds is a latency to report, not a socket error.
    h=$(wrk -t1 -c"$HEALTHZ_CONNECTIONS" -d"$DURATION" --timeout 60s --latency \
      "http://127.0.0.1:$AGENT_PORT/healthz")
    wait "$login_pid"
    local hrps hp99 lrps lbad
    hrps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$h")
    hp99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000}
            else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}
            printf "%.1f", v}' <<<"$h")
    lrps=$(awk '/^Requests\/sec:/ {printf "%.1f", $2}' "$TMP/login.out")
    lbad=$(awk '/Non-2xx/ {print $NF}' "$TMP/login.out")
    # No /healthz answered within the run: its p99 is at least the run's length.
    if [[ -z $hp99 || $hrps == 0 ]]; then
      hp99=">$(( ${DURATION%s} * 1000 ))"
      p99s+=("$(( ${DURATION%s} * 1000 ))")
    else
      p99s+=("$hp99")
    fi
    printf 'round %d: /healthz %7s req/s p99 %8s ms | logins %6s/s, non-2xx %s\n' \
      "$r" "$hrps" "$hp99" "$lrps" "${lbad:-0}"
    rows+="| $r | $hrps | $hp99 | $lrps | ${lbad:-0} |"$'\n'
  done
  local med
  med=$(median "${p99s[@]}")
  [[ $med == "$(( ${DURATION%s} * 1000 ))" ]] && med=">$med"
  echo "median /healthz p99 under login load: $med ms (target < 50 ms)"
  {
    echo "## $name — GET /healthz while logins run at full speed"
    echo
    echo "wrk \`-c$LOGIN_CONNECTIONS\` POSTing the right password to /api/v1/auth/login (bench/login.lua), and"
    echo "wrk \`-c$HEALTHZ_CONNECTIONS -d$DURATION --timeout 60s --latency\` on /healthz at the same time. Non-2xx logins are"
    echo "503 \`busy\` answers when the password-hashing queue is full."
    echo
    echo "| round | /healthz req/s | /healthz p99 ms | logins/s | non-2xx logins |"
    echo "| --- | --- | --- | --- | --- |"
    printf '%s' "$rows"
    echo
    echo "Median /healthz p99 under login load: **$med ms** (target: under 50 ms)"
    echo
  } >>"$REPORT"
}
# The provider journey (issue 7 "Performance"): journey_bench runs BENCH_JOURNEY_CLIENTS clients
# through create, precheck, documents, submit, claim, approve, backdrop, ship, verified photo,
# claim, accept against a beian of its own (fresh SQLite data dir, --threads
# BENCH_JOURNEY_THREADS), with BENCH_JOURNEY_APPLICANTS applicants and BENCH_JOURNEY_REVIEWERS
# reviewers made by `beian admin create-user` first; each client signs in once. Reports complete
# journeys per second, p50/p99 per step and the server's CPU per journey, per round.
JOURNEY_CLIENTS=${BENCH_JOURNEY_CLIENTS:-32}
JOURNEY_APPLICANTS=${BENCH_JOURNEY_APPLICANTS:-64}
JOURNEY_REVIEWERS=${BENCH_JOURNEY_REVIEWERS:-4}
JOURNEY_DURATION=${BENCH_JOURNEY_DURATION:-10}
JOURNEY_THREADS=${BENCH_JOURNEY_THREADS:-2}
JOURNEY_UNTIL=${BENCH_JOURNEY_UNTIL:-auto}
# Inventory is made for this many journeys per second (more: journeys stop, "inventory_exhausted").
JOURNEY_MAX_RATE=${BENCH_JOURNEY_MAX_RATE:-500}
scenario_journey() {
  local name=journey password="zh-lantern-river-7" r
  if [[ ! -x $JOURNEY_BENCH ]]; then
    echo "(no journey_bench binary at $JOURNEY_BENCH)" >&2
    return 1
  fi
  echo
  echo "== $name: the provider journey, $JOURNEY_CLIENTS clients =="
  local rows="" rates=() cpus=() capacities=() steps_md=""
  for r in $(seq 1 "$ROUNDS"); do
    local dir=$TMP/journey-$r port auth_port pid
    mkdir -p "$dir"
    port=$(free_port)
    auth_port=$(free_port)
    "$BEIAN_BIN" serve --no-demo --migrate --data-dir "$dir" --agent-listen "127.0.0.1:$port" \
      --authority-listen "127.0.0.1:$auth_port" --threads "$JOURNEY_THREADS" \
      >"$dir/beian.out" 2>"$dir/beian.log" &
    JOURNEY_PID=$!
    pid=$JOURNEY_PID
    wait_http "http://127.0.0.1:$port/healthz" "$pid" "$dir/beian.log"
    local applicants=() reviewers=() i
    for i in $(seq 1 "$JOURNEY_APPLICANTS"); do applicants+=("applicant$i@bench.test"); done
    for i in $(seq 1 "$JOURNEY_REVIEWERS"); do reviewers+=("reviewer$i@bench.test"); done
    {
      for e in "${applicants[@]}"; do echo "$e applicant"; done
      for e in "${reviewers[@]}"; do echo "$e reviewer"; done
      echo "admin@bench.test admin"
    } | xargs -P 2 -L 1 sh -c 'echo "$0" | "$1" admin create-user --data-dir "$2" --email "$3" --role "$4" --password-stdin >/dev/null' \
      "$password" "$BEIAN_BIN" "$dir"
    local out=$dir/journey.json
    "$JOURNEY_BENCH" --port "$port" --clients "$JOURNEY_CLIENTS" \
      --applicants "$(IFS=,; echo "${applicants[*]}")" --reviewers "$(IFS=,; echo "${reviewers[*]}")" \
      --admin admin@bench.test --password "$password" --duration "$JOURNEY_DURATION" --warmup 2 \
      --max-rate "$JOURNEY_MAX_RATE" \
      --server-pid "$pid" --until "$JOURNEY_UNTIL" >"$out" 2>"$dir/journey.err" || {
      cat "$dir/journey.err" >&2
      return 1
    }
    kill "$pid" && wait "$pid" 2>/dev/null || true
    JOURNEY_PID=""
    local line
    line=$(python3 - "$out" "$r" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"{d['journeys_per_s']:.1f} {d.get('server_cpu_ms_per_journey', 0):.2f} {d['errors']} {d['scope']} {d['journeys']}")
PY
)
    local rate cpu errors scope count
    read -r rate cpu errors scope count <<<"$line"
    rates+=("$rate")
    cpus+=("$cpu")
    local capacity load
    capacity=$(awk -v c="$cpu" -v n="$(nproc)" 'BEGIN { if (c > 0) printf "%.0f", n * 1000 / c; else print "-" }')
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf 'round %d: %s journeys/s (%s journeys, %s), server CPU %s ms/journey (%s journeys/s if beian had the %s cores), %s failed journeys, load %s\n' \
      "$r" "$rate" "$count" "$scope" "$cpu" "$capacity" "$(nproc)" "$errors" "$load"
    capacities+=("$capacity")
    rows+="| $r | $scope | $count | $rate | $cpu | $capacity | $errors | $load |"$'\n'
    steps_md=$(python3 - "$out" "$r" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"Round {sys.argv[2]}: p50 / p99 / max per step, ms ({d['clients']} clients; a step's count is its requests in the measured window):")
print()
print("| step | requests | p50 ms | p99 ms | max ms |")
print("| --- | --- | --- | --- | --- |")
for name, s in d["steps"].items():
    print(f"| {name} | {s['count']} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | {s['max_ms']:.2f} |")
if d["inventory_exhausted"]:
    print()
    print("The applicants' inventory ran out during this round: raise BENCH_JOURNEY_MAX_RATE.")
if d["error_examples"]:
    print()
    print("Failures (first few): " + "; ".join("`" + e[:200] + "`" for e in d["error_examples"]))
PY
)
    JOURNEY_LAST_SCOPE=$scope
  done
  local med_rate med_cpu med_capacity
  med_rate=$(median "${rates[@]}")
  med_cpu=$(median "${cpus[@]}")
  med_capacity=$(median "${capacities[@]}")
  echo "median: $med_rate journeys/s, $med_cpu ms server CPU per journey, $med_capacity journeys/s CPU-bound capacity on $(nproc) cores (target ≥ 300 journeys/s)"
  {
    echo "## $name — the provider journey over HTTP (SQLite)"
    echo
    echo "bench/journey_bench.cc: $JOURNEY_CLIENTS clients (one keep-alive connection each), $JOURNEY_APPLICANTS"
    echo "applicants and $JOURNEY_REVIEWERS reviewers signed in once, each applicant with its own instance and"
    echo "domains; a fresh \`beian serve --no-demo --threads $JOURNEY_THREADS\` on SQLite per round; ${JOURNEY_DURATION} s measured after 2 s"
    echo "of warm-up. A journey: create, precheck, upload the documents the precheck asks for (a small"
    echo "PNG or PDF each, distinct per journey), submit, claim, approve, backdrop, ship, verified-photo"
    echo "upload, photo, claim, accept (scope \`create_to_submit\` while the review API was missing)."
    echo "Server CPU is beian's user+system time over the measured window divided by the journeys;"
    echo "\"capacity\" is what that CPU cost allows if beian had all $(nproc) cores to itself ($(nproc) × 1000 / ms) —"
    echo "the figure to compare across runs, since the driver and other work share the cores (load"
    echo "average at the end of each round in the last column)."
    echo
    echo "| round | scope | journeys | journeys/s | server CPU ms/journey | CPU-bound capacity journeys/s | failed journeys | load |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '%s' "$rows"
    echo
    echo "Median: **$med_rate journeys/s** measured, **$med_cpu ms** server CPU per journey, **$med_capacity journeys/s** CPU-bound capacity (target: ≥ 300 journeys/s)."
    echo
    echo "$steps_md"
    echo
    # The profile and what bounds the journey (hand-written, bench/journey-notes.md).
    [[ -f $ROOT/bench/journey-notes.md ]] && cat "$ROOT/bench/journey-notes.md" && echo
  } >>"$REPORT"
  echo "| journey ($JOURNEY_LAST_SCOPE) | $med_rate journeys/s (capacity $med_capacity) | — | $med_cpu ms/journey |" >>"$SUMMARY"
}
# ---------------------------------------------------------------------------------------------

start_beian
start_nginx
echo "beian pid $BEIAN_PID on :$AGENT_PORT ($BEIAN_THREADS threads); nginx pid $NGINX_PID on :$NGINX_PORT (1 worker)"
for s in "${SCENARIOS[@]}"; do
  "scenario_$s"
done

# --- in-process: the filing-rules Precheck (Google Benchmark) ----------------------------------
PRECHECK_MD=$TMP/precheck.md
if [[ -x $PRECHECK_BENCH ]]; then
  echo "Precheck benchmark…"
  "$PRECHECK_BENCH" --benchmark_repetitions=5 --benchmark_format=json >"$TMP/precheck.json" 2>/dev/null
  python3 - "$TMP/precheck.json" >"$PRECHECK_MD" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
target_us = 50.0
print("## Precheck — the filing rules on a typical two-website application (in process)")
print()
print("Google Benchmark, 5 repetitions; median CPU time per call. Target: under 50 µs.")
print()
print("| benchmark | median CPU µs | ratio to the 50 µs target |")
print("| --- | --- | --- |")
for b in runs:
    if b.get("aggregate_name") != "median":
        continue
    unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b.get("time_unit", "ns")]
    cpu = b["cpu_time"] * unit
    print(f"| {b['run_name']} | {cpu:.1f} | {cpu / target_us:.2f} |")
print()
PY
  cat "$PRECHECK_MD"
else
  echo "(no precheck_bench binary at $PRECHECK_BENCH)" >"$PRECHECK_MD"
fi

# The public look-up's section (scripts/bench-lookup.sh, run after this script) is kept.
LOOKUP_SECTION=$TMP/lookup-section.md
: >"$LOOKUP_SECTION"
[[ -f $OUT ]] && sed -n '/<!-- lookup-bench:begin -->/,/<!-- lookup-bench:end -->/p' "$OUT" >"$LOOKUP_SECTION"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), shared by"
  echo "the servers and wrk. wrk: \`-t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency\` on loopback, $ROUNDS rounds,"
  echo "nginx and beian interleaved (order alternating). beian: Release, \`serve --no-demo --migrate --threads $BEIAN_THREADS\`,"
  echo "access log on (JSON lines to a file); nginx: 1 worker, access log on, the same body, content type"
  echo "and headers as beian's reply. CPU µs/req is the server's user+system CPU time (from"
  echo "/proc/PID/stat) divided by the requests served — it does not depend on how the cores were shared."
  echo "beian runs $BEIAN_THREADS threads against nginx's single worker: when other work competes for the"
  echo "cores, more threads win a larger share of them, so CPU µs/req is the fairer per-request comparison."
  echo "Absolute numbers drift ±20–30 % between runs on this kind of machine; compare ratios."
  echo
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| scenario | median throughput ratio beian/nginx | nginx CPU µs/req (median) | beian CPU µs/req (median) |"
  echo "| --- | --- | --- | --- |"
  cat "$SUMMARY"
  echo
  cat "$REPORT"
  echo
  cat "$PRECHECK_MD"
  if [[ -s $LOOKUP_SECTION ]]; then
    echo
    cat "$LOOKUP_SECTION"
  fi
} >"$OUT"
echo
echo "Wrote $OUT"
