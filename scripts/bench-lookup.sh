#!/usr/bin/env bash
# `make bench`, the public look-up at national scale (issue 11): for each registry size N it
# generates N filings at the authority (`beian admin generate-registry --filings N --seed S
# --domains-out FILE`), lets a fresh agent catch up through the change feed and build its
# look-up snapshot, restarts it (restart-to-serving), then runs wrk against beian and a reference
# nginx (one worker, one canned reply of the average size of beian's answers, the same headers),
# interleaved, for uniformly drawn domains (half filed, half not) and Zipf-drawn ones (s = 1.1),
# 64 keep-alive connections; then the batch form (1,000 domains per request). It prints one table
# and writes it, the issue's targets (met or not) and an SVG chart (gnuplot) into docs/bench.md,
# between the markers <!-- lookup-bench:begin --> and <!-- lookup-bench:end -->.
#
# Settings (environment): BENCH_SCALE (1m: N = 10 k and 1 M; 10m: also 10 M; 10k: only 10 k),
# BENCH_SIZES (an explicit list of N, overrides the scale), BENCH_ROUNDS (3), BENCH_DURATION (5s),
# BENCH_LOOKUP_CONNECTIONS (64), BENCH_BATCH_CONNECTIONS (4), BENCH_KEYS_PER_HALF (250000),
# BENCH_SEED (11), BENCH_BEIAN_BIN (a prebuilt binary: skips the build), BENCH_BEIAN_THREADS (1, for
# single look-ups), BENCH_BATCH_THREADS (2, for the batch form), BENCH_OUT (docs/bench.md),
# BENCH_SVG (docs/bench-lookup.svg), BENCH_KEEP (1: keep the data directories),
# BENCH_DATA (a directory that keeps each N's prepared registry and agent: a later run with the same
# BENCH_DATA skips generation and catch-up and reports the times measured when they were prepared),
# BENCH_PREPARE_ONLY (1: generate and catch up, then stop; with BENCH_DATA),
# BENCH_NGINX_LOG_BUFFER (empty: nginx writes each access line at once, its default; a size such
# as 4k: `access_log … combined buffer=4k flush=1s`, the nearest nginx has to beian, which
# writes the lines of one turn of its loop together).
# Absolute figures drift ±20–30 % on shared machines; compare the ratios taken in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/bench-common.sh
source scripts/bench-common.sh

SCALE=${BENCH_SCALE:-1m}
case $SCALE in
  10k) SIZES=(10000) ;;
  1m) SIZES=(10000 1000000) ;;
  10m) SIZES=(10000 1000000 10000000) ;;
  *) echo "BENCH_SCALE is 10k, 1m or 10m" >&2; exit 2 ;;
esac
[[ -n ${BENCH_SIZES:-} ]] && read -r -a SIZES <<<"$BENCH_SIZES"
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-5s}
CONNECTIONS=${BENCH_LOOKUP_CONNECTIONS:-64}
BATCH_CONNECTIONS=${BENCH_BATCH_CONNECTIONS:-4}
KEYS_PER_HALF=${BENCH_KEYS_PER_HALF:-250000}
SEED=${BENCH_SEED:-11}
NGINX_LOG_BUFFER=${BENCH_NGINX_LOG_BUFFER:-}
OUT=${BENCH_OUT:-$ROOT/docs/bench.md}
SVG=${BENCH_SVG:-$ROOT/docs/bench-lookup.svg}
# Single look-ups: beian with one thread against nginx's one worker (one core each, wrk on the
# other); the batch form: beian with two threads (a batch request costs wrk almost nothing).
BEIAN_THREADS=${BENCH_BEIAN_THREADS:-1}
BATCH_THREADS=${BENCH_BATCH_THREADS:-2}

scripts/install-deps.sh test
if ! command -v gnuplot >/dev/null 2>&1; then
  echo "Installing gnuplot-nox (the chart)…"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends gnuplot-nox
fi

if [[ -n ${BENCH_BEIAN_BIN:-} ]]; then
  BEIAN_BIN=$BENCH_BEIAN_BIN
else
  echo "Building Release (build-bench)…"
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DBEIAN_BENCH=ON >/dev/null
  cmake --build build-bench --target beian -j "$(nproc)"
  BEIAN_BIN=$ROOT/build-bench/beian
fi
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)

TMP=$(mktemp -d /tmp/beian-lookup-bench.XXXXXX)
BEIAN_PID=""
NGINX_PID=""
cleanup() {
  [[ -n $BEIAN_PID ]] && kill "$BEIAN_PID" 2>/dev/null && wait "$BEIAN_PID" 2>/dev/null
  [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$TMP"
}
trap cleanup EXIT

now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

# wrk on url with a Lua script; prints "rps p50_ms p99_ms requests cpu_seconds" (cpu of pids).
run_wrk() {  # url script connections pids...
  local url=$1 script=$2 conns=$3
  shift 3
  local before after out
  before=$(cpu_seconds "$@")
  out=$(wrk -t1 -c"$conns" -d"$DURATION" --latency -s "$script" "$url")
  after=$(cpu_seconds "$@")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "wrk saw error responses from $url:" >&2
    echo "$out" >&2
    return 1
  fi
  local rps p50 p99 requests
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  requests=$(awk '/ requests in / {print $1}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  echo "$rps $p50 $p99 $requests $(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.3f", b - a }')"
}

metric() {  # name → value of the agent's gauge (or empty)
  curl -fsS "http://127.0.0.1:$AGENT_PORT/metrics" 2>/dev/null |
    awk -v n="$1" '!found && ($1 ~ "^"n"[{ ]" || $1 == n) {print $2; found = 1}'
  # (awk reads to the end: an early exit made curl fail with 23 under pipefail when /metrics
  # was still being written)
}

start_beian() {  # data dir
  "$BEIAN_BIN" serve --no-demo --data-dir "$1" --agent-listen "127.0.0.1:$AGENT_PORT" \
    --authority-listen "127.0.0.1:$AUTH_PORT" --threads "${THREADS:-$BEIAN_THREADS}" \
    >>"$1/beian.out" 2>>"$1/beian.log" &
  BEIAN_PID=$!
}

stop_beian() {
  kill "$BEIAN_PID" 2>/dev/null && wait "$BEIAN_PID" 2>/dev/null || true
  BEIAN_PID=""
}

# Waits until /readyz answers 200 (the look-up served from the snapshot); prints the ms waited.
wait_ready() {  # timeout_s logfile
  local start limit
  start=$(now_s)
  limit=$1
  while :; do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AGENT_PORT/readyz") == 200 ]] && break
    if ! kill -0 "$BEIAN_PID" 2>/dev/null; then
      echo "beian exited; its log:" >&2
      tail -n 30 "$2" >&2
      return 1
    fi
    if (($(awk -v s="$start" -v n="$(now_s)" -v l="$limit" 'BEGIN { print (n - s > l) }'))); then
      echo "beian not ready after ${limit}s; its log:" >&2
      tail -n 30 "$2" >&2
      return 1
    fi
    sleep 0.02
  done
  awk -v s="$start" -v n="$(now_s)" 'BEGIN { printf "%.0f", (n - s) * 1000 }'
}

# Waits until beian has settled after a start (the background check of the snapshot's chunks
# done: under 3 % of a core over a second), so that no round measures it; prints the seconds.
wait_idle() {
  local start before after
  start=$(now_s)
  for _ in $(seq 1 300); do
    before=$(cpu_seconds "$BEIAN_PID")
    sleep 1
    after=$(cpu_seconds "$BEIAN_PID")
    awk -v a="$before" -v b="$after" 'BEGIN { exit !(b - a < 0.03) }' && break
  done
  elapsed "$start"
}

# nginx answering every look-up with one canned reply of beian's average answer size.
start_nginx() {  # dir keys
  local dir=$1 keys=$2
  NGINX_PORT=$(free_port)
  local sample=$dir/sample
  mkdir -p "$sample"
  local i=0 key
  while IFS= read -r key && ((i < 200)); do
    curl -fsS -D "$sample/h$i" -o "$sample/b$i" "http://127.0.0.1:$AGENT_PORT/api/v1/public/filings?domain=$key"
    i=$((i + 1))
  done <"$keys"
  local extra user_line=""
  extra=$(tr -d '\r' <"$sample/h0" | nginx_add_headers)
  [[ $(id -u) -eq 0 ]] && user_line="user root;"
  mkdir -p "$dir/nginx"
  B_USER_LINE=$user_line B_TMP=$dir/nginx B_PORT=$NGINX_PORT B_EXTRA=$extra B_SAMPLE=$sample \
    B_LOG_OPTIONS=${NGINX_LOG_BUFFER:+ combined buffer=$NGINX_LOG_BUFFER flush=1s} \
    python3 - "$ROOT/bench/nginx-lookup.conf" "$dir/nginx.conf" "$dir/canned.json" <<'PY'
import glob, json, os, sys
e = os.environ
bodies = [open(p, "rb").read() for p in sorted(glob.glob(e["B_SAMPLE"] + "/b*"))]
target = round(sum(len(b) for b in bodies) / len(bodies))
filed = next(json.loads(b) for b in bodies if json.loads(b)["filed"])
# A filed answer whose website name is cut or padded to the average size (in bytes).
filed["website_name"] = ""
base = len(json.dumps(filed, ensure_ascii=False, separators=(",", ":")).encode())
filed["website_name"] = "x" * max(0, target - base)
body = json.dumps(filed, ensure_ascii=False, separators=(",", ":")).replace("'", "’").replace("$", "S")
open(sys.argv[3], "w").write(body)
text = open(sys.argv[1]).read()
for k, v in {"@USER_LINE@": e["B_USER_LINE"], "@TMP@": e["B_TMP"], "@PORT@": e["B_PORT"],
             "@CONTENT_TYPE@": "application/json", "@EXTRA_HEADERS@": e["B_EXTRA"],
             "@LOG_OPTIONS@": e["B_LOG_OPTIONS"], "@BODY@": body}.items():
    text = text.replace(k, v)
open(sys.argv[2], "w").write(text)
PY
  "$NGINX_BIN" -p "$dir/nginx" -c "$dir/nginx.conf" 2>"$dir/nginx-stderr.log" &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/api/v1/public/filings?domain=a.cn" && break
    sleep 0.05
  done
  NGINX_BYTES=$(wc -c <"$dir/canned.json")
}

RESULTS=$TMP/results.tsv  # one line per (N, distribution)
SIZES_TSV=$TMP/sizes.tsv  # one line per N
DETAILS=$TMP/details.md
: >"$RESULTS"
: >"$SIZES_TSV"
: >"$DETAILS"

for N in "${SIZES[@]}"; do
  DIR=${BENCH_DATA:+$BENCH_DATA/n$N}
  DIR=${DIR:-$TMP/n$N}
  mkdir -p "$DIR"
  AGENT_PORT=$(free_port)
  AUTH_PORT=$(free_port)
  echo
  echo "=== N = $N filings ==="
  if [[ -f $DIR/prepared ]]; then
    # Prepared by an earlier run with this BENCH_DATA: its measured times, and the agent's copy.
    read -r GEN_S CATCHUP_S LAST_SEQ <"$DIR/prepared"
    DOMAINS=$(wc -l <"$DIR/domains.txt")
    echo "reusing $DIR: generated in ${GEN_S}s, caught up in ${CATCHUP_S}s (to seq $LAST_SEQ)"
  else
    rm -rf "$DIR" && mkdir -p "$DIR"
    "$BEIAN_BIN" migrate --data-dir "$DIR" >/dev/null
    t=$(now_s)
    "$BEIAN_BIN" admin generate-registry --data-dir "$DIR" --filings "$N" --seed "$SEED" \
      --domains-out "$DIR/domains.txt" >"$DIR/generate.out" 2>"$DIR/generate.log"
    GEN_S=$(elapsed "$t")
    cat "$DIR/generate.out"
    LAST_SEQ=$(grep -o 'change feed up to seq [0-9]*' "$DIR/generate.out" | awk '{print $NF}')
    DOMAINS=$(wc -l <"$DIR/domains.txt")
    # The keys: a uniform sample of the filed domains and as many that are not filed (the same
    # names under another first label), shuffled.
    shuf -n "$KEYS_PER_HALF" --random-source=<(yes "$SEED") "$DIR/domains.txt" >"$DIR/filed.txt"
    sed 's/^/nf-/' "$DIR/filed.txt" >"$DIR/notfiled.txt"
    cat "$DIR/filed.txt" "$DIR/notfiled.txt" | shuf --random-source=<(yes "$SEED") >"$DIR/keys.txt"

    # Catch-up: a fresh agent follows the feed to its end and serves from its snapshot.
    t=$(now_s)
    start_beian "$DIR"
    # Not /readyz first: it stays 503 (registry_syncing) until the copy has caught up, which at
    # 10 M takes far longer than a start.
    until awk -v a="$(metric beian_registry_sync_cursor)" -v b="$LAST_SEQ" 'BEGIN { exit !(a + 0 >= b + 0) }'; do
      kill -0 "$BEIAN_PID" || { tail -n 30 "$DIR/beian.log" >&2; exit 1; }
      sleep 0.5
    done
    wait_ready 3600 "$DIR/beian.log" >/dev/null
    CATCHUP_S=$(elapsed "$t")
    echo "agent caught up with $LAST_SEQ changes and serves from its snapshot in ${CATCHUP_S}s"
    stop_beian
    echo "$GEN_S $CATCHUP_S $LAST_SEQ" >"$DIR/prepared"
    if [[ ${BENCH_PREPARE_ONLY:-0} == 1 ]]; then
      echo "prepared $DIR"
      continue
    fi
  fi

  # Restart to serving: SIGTERM, start, until /readyz is 200 (snapshot mapped and checked).
  stop_beian
  t=$(now_s)
  start_beian "$DIR"
  RESTART_MS=$(wait_ready 600 "$DIR/beian.log")
  probe=$(head -1 "$DIR/filed.txt")
  curl -fsS "http://127.0.0.1:$AGENT_PORT/api/v1/public/filings?domain=$probe" | grep -q '"filed":true' ||
    { echo "$probe is not filed after the restart" >&2; exit 1; }
  echo "restart to serving: ${RESTART_MS} ms (then settled in $(wait_idle) s)"
  SNAP_BYTES=$(stat -c %s "$DIR/public-snapshot/snapshot.bin")
  SNAP_ENTRIES=$(metric beian_public_snapshot_entries)
  BUILD_MS=$(grep '"public_snapshot_built"' "$DIR/beian.log" | tail -1 | grep -o '"ms":[0-9]*' | cut -d: -f2)

  start_nginx "$DIR" "$DIR/keys.txt"
  echo "beian pid $BEIAN_PID on :$AGENT_PORT ($BEIAN_THREADS threads); nginx pid $NGINX_PID on :$NGINX_PORT (1 worker, $NGINX_BYTES-byte reply)"
  BURL="http://127.0.0.1:$AGENT_PORT"
  NURL="http://127.0.0.1:$NGINX_PORT"
  for DIST in uniform zipf; do
    export BENCH_KEYS=$DIR/keys.txt BENCH_DIST=$DIST
    wrk -t1 -c"$CONNECTIONS" -d1s -s "$ROOT/bench/lookup.lua" "$BURL" >/dev/null
    wrk -t1 -c"$CONNECTIONS" -d1s -s "$ROOT/bench/lookup.lua" "$NURL" >/dev/null
    ratios=() n_rps=() b_rps=() n_p50=() b_p50=() n_p99=() b_p99=() n_cpu=() b_cpu=()
    for r in $(seq 1 "$ROUNDS"); do
      if ((r % 2)); then
        n=$(run_wrk "$NURL" "$ROOT/bench/lookup.lua" "$CONNECTIONS" $(nginx_pids))
        b=$(run_wrk "$BURL" "$ROOT/bench/lookup.lua" "$CONNECTIONS" "$BEIAN_PID")
      else
        b=$(run_wrk "$BURL" "$ROOT/bench/lookup.lua" "$CONNECTIONS" "$BEIAN_PID")
        n=$(run_wrk "$NURL" "$ROOT/bench/lookup.lua" "$CONNECTIONS" $(nginx_pids))
      fi
      read -r nrps np50 np99 nreq ncpu <<<"$n"
      read -r brps bp50 bp99 breq bcpu <<<"$b"
      ratio=$(awk -v a="$brps" -v b="$nrps" 'BEGIN { printf "%.3f", a / b }')
      ratios+=("$ratio"); n_rps+=("$nrps"); b_rps+=("$brps")
      n_p50+=("$np50"); b_p50+=("$bp50"); n_p99+=("$np99"); b_p99+=("$bp99")
      n_cpu+=("$(awk -v c="$ncpu" -v q="$nreq" 'BEGIN { printf "%.1f", c * 1e6 / q }')")
      b_cpu+=("$(awk -v c="$bcpu" -v q="$breq" 'BEGIN { printf "%.1f", c * 1e6 / q }')")
      printf '%s round %d: nginx %8.0f req/s p50 %6.3f p99 %7.3f ms %5s µs CPU | beian %8.0f req/s p50 %6.3f p99 %7.3f ms %5s µs CPU | ratio %s\n' \
        "$DIST" "$r" "$nrps" "$np50" "$np99" "${n_cpu[-1]}" "$brps" "$bp50" "$bp99" "${b_cpu[-1]}" "$ratio"
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$DIST" "$(median "${ratios[@]}")" \
      "$(median "${n_rps[@]}")" "$(median "${b_rps[@]}")" "$(median "${n_p50[@]}")" \
      "$(median "${b_p50[@]}")" "$(median "${n_p99[@]}")" "$(median "${b_p99[@]}")" \
      "$(median "${n_cpu[@]}")" "$(median "${b_cpu[@]}")" "$(IFS=,; echo "${ratios[*]}")" >>"$RESULTS"
  done

  # The batch form: 1,000 domains a request.
  if [[ $BATCH_THREADS != "$BEIAN_THREADS" ]]; then
    stop_beian
    THREADS=$BATCH_THREADS start_beian "$DIR"
    wait_ready 600 "$DIR/beian.log" >/dev/null
    wait_idle >/dev/null
    wrk -t1 -c"$BATCH_CONNECTIONS" -d1s -s "$ROOT/bench/lookup_batch.lua" "$BURL" >/dev/null
  fi
  batch=()
  for r in $(seq 1 "$ROUNDS"); do
    out=$(run_wrk "$BURL" "$ROOT/bench/lookup_batch.lua" "$BATCH_CONNECTIONS" "$BEIAN_PID")
    read -r rps p50 p99 req cpu <<<"$out"
    batch+=("$(awk -v r="$rps" 'BEGIN { printf "%.0f", r * 1000 }')")
    echo "batch round $r: $rps req/s × 1000 domains, p50 $p50 ms, p99 $p99 ms, $(awk -v c="$cpu" -v q="$req" 'BEGIN { printf "%.2f", c * 1e6 / q / 1000 }') µs CPU per domain"
  done
  BATCH=$(median "${batch[@]}")
  RSS_KB=$(awk '/^RssAnon:/ {print $2}' "/proc/$BEIAN_PID/status")
  RSSFILE_KB=$(awk '/^RssFile:/ {print $2}' "/proc/$BEIAN_PID/status")
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$DOMAINS" "$GEN_S" "$CATCHUP_S" \
    "$RESTART_MS" "$BATCH" "$RSS_KB" "$RSSFILE_KB" "$SNAP_ENTRIES" "$SNAP_BYTES" "${BUILD_MS:-}" "$LOAD" >>"$SIZES_TSV"
  echo "N=$N: batch $BATCH domains/s, RssAnon $((RSS_KB / 1024)) MiB (RssFile $((RSSFILE_KB / 1024)) MiB), restart $RESTART_MS ms, generator ${GEN_S}s, catch-up ${CATCHUP_S}s"
  kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=""
  stop_beian
  [[ ${BENCH_KEEP:-0} == 1 || -n ${BENCH_DATA:-} ]] || rm -rf "$DIR"
done
[[ ${BENCH_PREPARE_ONLY:-0} == 1 ]] && exit 0

# --- the report -------------------------------------------------------------------------------
SECTION=$TMP/section.md
python3 - "$RESULTS" "$SIZES_TSV" "$SECTION" "$(basename "$SVG")" "$ROUNDS" "$DURATION" "$CONNECTIONS" \
  "$BATCH_CONNECTIONS" "$KEYS_PER_HALF" "$SCALE" "$(nproc)" "$BEIAN_THREADS" "$BATCH_THREADS" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$NGINX_LOG_BUFFER" <<'PY'
import sys, datetime
res_path, sizes_path, out_path, svg, rounds, duration, conns, bconns, keys, scale, cores, threads, batch_threads, commit, nginx_buffer = sys.argv[1:]
res = [l.rstrip("\n").split("\t") for l in open(res_path) if l.strip()]
sizes = [l.rstrip("\n").split("\t") for l in open(sizes_path) if l.strip()]
def human(n):
    n = int(n)
    return f"{n // 1_000_000} M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000} k" if n >= 1000 and n % 1000 == 0 else str(n))
R = {(r[0], r[1]): r for r in res}
S = {s[0]: s for s in sizes}
Ns = [s[0] for s in sizes]
o = []
o.append("<!-- lookup-bench:begin -->")
o.append("## public look-up — is this domain filed? at 10 k … 10 M filings (issue 11)")
o.append("")
o.append(f"Written by `scripts/bench-lookup.sh` (`make bench`, BENCH_SCALE={scale}) on "
         f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, commit {commit}, {cores} cores shared by wrk, "
         "beian, nginx and whatever else runs on the machine (load average in the last table). For each N: "
         "`beian admin generate-registry --filings N` at the authority (SQLite), a fresh agent catches up "
         "through the change feed and builds its snapshot, is restarted (restart to serving), then "
         f"wrk `-t1 -c{conns} -d{duration} --latency` with bench/lookup.lua on GET "
         f"/api/v1/public/filings?domain=… against beian (`serve --threads {threads}`, access log on: "
         "the lines of one turn of its loop written together) and nginx (1 worker, access log on: "
         + (f"`buffer={nginx_buffer} flush=1s`" if nginx_buffer else "each line written at once, nginx's default")
         + ", ONE canned reply of the average size of beian's answers, the same "
         f"headers), interleaved, {rounds} rounds, medians shown. Keys: {keys} filed domains drawn "
         "uniformly from the registry and as many not filed, shuffled; *uniform* draws every key "
         "equally, *zipf* draws rank r with probability ∝ 1/r^1.1. CPU µs/req is the server's "
         "user+system time (/proc/PID/stat) per request: it does not depend on how the cores were shared.")
o.append("")
o.append("| N filings | domains | keys | nginx req/s | beian req/s | ratio (rounds) | nginx p50 / p99 ms | beian p50 / p99 ms | nginx CPU µs/req | beian CPU µs/req |")
o.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for n in Ns:
    for d in ("uniform", "zipf"):
        r = R.get((n, d))
        if not r: continue
        o.append(f"| {human(n)} | {int(S[n][1]):,} | {d} | {float(r[3]):,.0f} | {float(r[4]):,.0f} | **{r[2]}** ({r[11]}) | "
                 f"{r[5]} / {r[7]} | {r[6]} / {r[8]} | {r[9]} | {r[10]} |")
o.append("")
o.append(f"The batch form: wrk `-t1 -c{bconns}` with bench/lookup_batch.lua (1,000 keys a POST) against beian "
         f"`serve --threads {batch_threads}`.")
o.append("")
o.append("| N filings | generator (SQLite) | agent catch-up + snapshot | restart to serving | batch, 1,000 a request | RssAnon | RssFile (the mapping) | snapshot | last build | load average |")
o.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for n in Ns:
    s = S[n]
    o.append(f"| {human(n)} | {float(s[2]):.1f} s | {float(s[3]):.1f} s | {s[4]} ms | {int(s[5]):,} domains/s | "
             f"{int(s[6]) / 1024:.0f} MiB | {int(s[7]) / 1024:.0f} MiB | {int(float(s[8] or 0)):,} entries, "
             f"{int(s[9]) / 1048576:.0f} MiB | {s[10] or '—'} ms | {s[11]} |")
o.append("")
o.append(f"![throughput and p99 against N]({svg})")
o.append("")
# The targets, judged at the largest N measured.
big = Ns[-1]
small = Ns[0]
o.append(f"### Targets (judged at N = {human(big)}" + ("" if int(big) >= 10_000_000 else
         "; 10 M was not run — `make bench BENCH_SCALE=10m`") + ")")
o.append("")
o.append("| measure | target | figure | met |")
o.append("| --- | --- | --- | --- |")
def row(name, target, figure, ok):
    o.append(f"| {name} | {target} | {figure} | {'yes' if ok else '**no**'} |")
u, z = R.get((big, "uniform")), R.get((big, "zipf"))
if u: row("uniform, 64 connections, vs nginx", "≥ 0.80", u[2], float(u[2]) >= 0.80)
if z: row("Zipf s = 1.1, vs nginx", "≥ 0.90", z[2], float(z[2]) >= 0.90)
u0 = R.get((small, "uniform"))
if u and u0 and big != small:
    flat = float(u[2]) / float(u0[2])
    absolute = float(u[4]) / float(u0[4])
    row(f"flat cost: throughput at {human(big)} ÷ at {human(small)}", "≥ 0.90",
        f"{flat:.2f} (ratios to nginx; absolute req/s {absolute:.2f})", flat >= 0.90)
if u: row("p99 at 64 connections (uniform)", "≤ 3 ms", f"{u[8]} ms (nginx {u[7]} ms)", float(u[8]) <= 3)
s = S[big]
row("RssAnon", "≤ 300 MB", f"{int(s[6]) / 1024:.0f} MiB", int(s[6]) / 1024 <= 300 * 1000**2 / 1024**2)
row("batch, 1,000 domains a request", "≥ 1,000,000 domains/s", f"{int(s[5]):,}", int(s[5]) >= 1_000_000)
row("restart to serving", "≤ 2 s", f"{s[4]} ms", int(s[4]) <= 2000)
row("generator on SQLite", "report; aim < 10 min at 10 M", f"{float(s[2]) / 60:.1f} min for {human(big)}", True)
o.append("")
o.append("<!-- lookup-bench:end -->")
open(out_path, "w").write("\n".join(o) + "\n")
PY

# The chart: throughput (beian and nginx, uniform and zipf) and beian's p99 against N.
awk -F'\t' '$2 == "uniform" {print $1, $4, $5, $9, $8}' "$RESULTS" >"$TMP/uniform.dat"
awk -F'\t' '$2 == "zipf" {print $1, $4, $5, $9, $8}' "$RESULTS" >"$TMP/zipf.dat"
gnuplot <<GP
set terminal svg size 800,420 dynamic font "sans,12"
set output "$SVG"
set title "Public look-up: throughput and p99 against registry size (64 connections)"
set logscale x
set xlabel "filings (N)"
set ylabel "requests/s"
set y2label "p99 ms"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set key outside bottom center horizontal
set grid
plot "$TMP/uniform.dat" using 1:3 with linespoints lw 2 title "beian uniform", \
     "$TMP/uniform.dat" using 1:2 with linespoints dt 2 title "nginx uniform", \
     "$TMP/zipf.dat" using 1:3 with linespoints lw 2 title "beian zipf", \
     "$TMP/zipf.dat" using 1:2 with linespoints dt 2 title "nginx zipf", \
     "$TMP/uniform.dat" using 1:4 axes x1y2 with linespoints lw 2 title "beian p99 uniform", \
     "$TMP/uniform.dat" using 1:5 axes x1y2 with linespoints dt 3 title "nginx p99 uniform"
GP

# Into docs/bench.md: replace the marked section, or append it.
if [[ -f $OUT ]] && grep -q '<!-- lookup-bench:begin -->' "$OUT"; then
  python3 - "$OUT" "$SECTION" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
section = open(sys.argv[2]).read().rstrip("\n")
text = re.sub(r"<!-- lookup-bench:begin -->.*?<!-- lookup-bench:end -->", lambda m: section, text, flags=re.S)
open(sys.argv[1], "w").write(text)
PY
else
  { [[ -f $OUT ]] && echo; cat "$SECTION"; } >>"$OUT"
fi
echo
cat "$SECTION"
echo "Wrote $OUT and $SVG"
