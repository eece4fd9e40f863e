# shellcheck shell=bash
# Shell functions shared by the benchmarks (scripts/bench.sh, scripts/bench-lookup.sh); sourced,
# not run. They read no settings and leave no state behind but what they print.

# A free TCP port on 127.0.0.1 (bound and released at once; the caller binds it soon after).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# The median of the arguments (numbers; the lower middle one for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# CPU seconds (user + system, all threads) of the given processes.
cpu_seconds() {
  local ticks=0 pid t
  for pid in "$@"; do
    # Fields after the ")" of the command name: utime and stime are the 12th and 13th.
    t=$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
    ticks=$((ticks + t))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

to_ms() {  # wrk latency ("812.00us", "1.20ms", "2.00s") → ms
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000}
    else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}
    printf "%.3f", v }'
}

# nginx's master and its workers.
nginx_pids() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true); }

# The response headers on stdin (CR stripped) as nginx `add_header NAME "VALUE" always;` lines,
# leaving out those nginx sets itself or that differ per response.
nginx_add_headers() {
  local line name value
  while IFS= read -r line; do
    name=${line%%:*} value=${line#*: }
    case ${name,,} in
      ""|http/*|content-type|content-length|connection|date|server|x-request-id|keep-alive) continue ;;
    esac
    printf '      add_header %s "%s" always;\n' "$name" "$value"
  done
}
