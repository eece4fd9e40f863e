#!/usr/bin/env bash
# `make test`: installs what is missing, builds, and runs every suite —
#   1. unit tests (ctest, Release) with the storage contract suite on SQLite and PostgreSQL,
#   2. web unit tests (Vitest),
#   3. format (clang-format) and OpenAPI lint (Spectral); contract tests (the binary's own
#      tables against the console and docs/openapi.yaml); integration tests against the real
#      binary, once on SQLite and once on PostgreSQL,
#   4. browser tests in headless Chromium (playwright-core),
#   5. unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
#   6. every libFuzzer target, briefly.
# The ASan and fuzzer builds run in the background (nice 19) while suites 1–4 run.
# A throwaway PostgreSQL 15 is started on 127.0.0.1 for the run and removed afterwards.
# Exits non-zero if anything failed; the last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=$(nproc)
FUZZ_SECONDS=${BEIAN_FUZZ_SECONDS:-10}
B=${BEIAN_BUILD_DIR:-build}  # build directories: $B, $B-asan, $B-fuzz
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Cache hits across clones in other folders (CI builds a fresh clone).
export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=true

scripts/install-deps.sh test || { echo "dependency installation failed"; exit 1; }

start=$(date +%s)
TMP=$(mktemp -d /tmp/beian-test.XXXXXX)
chmod 755 "$TMP"
PG_DIR=$TMP/pg
BG_PID=
cleanup() {
  [[ -n $BG_PID ]] && kill -- -"$BG_PID" 2>/dev/null  # the background builds' process group
  scripts/pg-temp.sh stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

declare -a SUITES=()
TOTAL_PASS=0
TOTAL_FAIL=0
record() {  # name passed failed
  SUITES+=("$(printf '%-34s %5d passed, %3d failed' "$1" "$2" "$3")")
  TOTAL_PASS=$((TOTAL_PASS + $2))
  TOTAL_FAIL=$((TOTAL_FAIL + $3))
}
section() { echo; echo "=== $* ==="; }

# ctest summary line: "100% tests passed, 0 tests failed out of 57"
ctest_counts() {  # logfile -> "passed failed"
  local line total failed
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -1)
  if [[ -z $line ]]; then echo "0 1"; return; fi
  failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
  echo "$((total - failed)) $failed"
}
# node --test summary: "# pass N" / "# fail N"
# Passed and failed counts of a node --test log. A test cancelled because its suite's hook
# failed (or its file crashed) did not pass: it counts as failed.
node_counts() {
  local p f c
  p=$(grep -E '^# pass [0-9]+' "$1" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
  c=$(grep -E '^# cancelled [0-9]+' "$1" | tail -1 | awk '{print $3}')
  [[ -z $p ]] && { echo "0 1"; return; }
  echo "$p $((${f:-0} + ${c:-0}))"
}

section "PostgreSQL (throwaway, 127.0.0.1)"
PG_PORT=$(free_port)
if scripts/pg-temp.sh start "$PG_DIR" "$PG_PORT"; then
  export BEIAN_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
else
  echo "could not start PostgreSQL"; record "postgresql server" 0 1
fi

section "Build (Release)"
if cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
   cmake --build "$B" -j "$JOBS" >"$TMP/build.log" 2>&1; then
  BUILD_OK=1; tail -1 "$TMP/build.log"
else
  BUILD_OK=0; grep -E 'error|FAILED' "$TMP/build.log" | head -40; record "build (Release)" 0 1
fi

# The sanitizer and fuzzer builds run in the background, at the lowest CPU priority, while the
# Release suites run: those wait on sockets, timers and sleeps much of the time, and the builds
# take only the idle CPU, so the tests are not slowed. Each section below waits for its build.
FUZZ_TARGETS=$(for f in tests/fuzz/*_fuzz.cc; do [[ -f $f ]] && basename "$f" .cc; done)
set -m  # the background job gets a process group of its own, so cleanup can stop all of it
(
  nice -n 19 cmake -S . -B "$B-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBEIAN_SANITIZE=ON >/dev/null &&
    nice -n 19 cmake --build "$B-asan" -j "$JOBS" >"$TMP/asan-build.log" 2>&1
  echo $? >"$TMP/asan-build.rc"
  if [[ -n $FUZZ_TARGETS ]]; then
    nice -n 19 cmake -S . -B "$B-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
      -DCMAKE_CXX_COMPILER=clang++ -DBEIAN_FUZZ=ON -DBEIAN_TESTS=OFF >/dev/null &&
      nice -n 19 cmake --build "$B-fuzz" -j "$JOBS" --target $FUZZ_TARGETS >"$TMP/fuzz-build.log" 2>&1
    echo $? >"$TMP/fuzz-build.rc"
  fi
) &
BG_PID=$!
set +m
wait_build() {  # name -> exit status of that background build
  # Nothing of ours runs while we wait: the build gets normal priority from here on (as root;
  # elsewhere renice may refuse, and the build simply stays at nice 19).
  [[ -f $TMP/$1-build.rc ]] || renice -n 0 -g "$BG_PID" >/dev/null 2>&1 || true
  while [[ ! -f $TMP/$1-build.rc ]]; do sleep 2; done
  return "$(cat "$TMP/$1-build.rc")"
}

if ((BUILD_OK)); then
  section "Unit tests (Release; storage contract on SQLite and PostgreSQL)"
  ctest --test-dir "$B" -L unit -j "$JOBS" --output-on-failure >"$TMP/unit.log" 2>&1
  grep -E "tests passed" "$TMP/unit.log"; grep -E '\*\*\*Failed|Not Run|Timeout' "$TMP/unit.log" | head -30
  read -r p f < <(ctest_counts "$TMP/unit.log"); record "unit (ctest)" "$p" "$f"
fi

section "Web UI (build + Vitest)"
if [[ -f web/package.json ]]; then
  if (cd web && npm run build >"$TMP/web-build.log" 2>&1); then :; else
    tail -30 "$TMP/web-build.log"; record "web build" 0 1
  fi
  # BEIAN_BIN: the error catalogue test (src/i18n/codes.test.ts) asks the binary for its codes.
  (cd web && BEIAN_BIN=$ROOT/$B/beian NO_COLOR=1 FORCE_COLOR=0 npx vitest run --reporter=dot \
     >"$TMP/vitest.log" 2>&1)
  tail -6 "$TMP/vitest.log"
  sed -i 's/\x1b\[[0-9;]*m//g' "$TMP/vitest.log"
  vp=$(grep -E '^\s*Tests\s+' "$TMP/vitest.log" | grep -oE '[0-9]+ passed' | awk '{print $1}')
  vf=$(grep -E '^\s*Tests\s+' "$TMP/vitest.log" | grep -oE '[0-9]+ failed' | awk '{print $1}')
  [[ -z $vp && -z $vf ]] && vf=1
  record "web unit (vitest)" "${vp:-0}" "${vf:-0}"
fi

section "Format (clang-format --dry-run --Werror, every C++ file)"
cxx_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then git ls-files '*.cc' '*.h' '*.cpp'
  else find src tests bench -name '*.cc' -o -name '*.h' -o -name '*.cpp'; fi
}
mapfile -t CXX_FILES < <(cxx_files)
clang-format --dry-run --Werror "${CXX_FILES[@]}" >"$TMP/format.log" 2>&1
mapfile -t UNFORMATTED < <(grep -oE '^[^:]+\.(cc|h|cpp):[0-9]+:[0-9]+: error' "$TMP/format.log" | cut -d: -f1 | sort -u)
if ((${#UNFORMATTED[@]} > 0)); then
  echo "not formatted (run: make format):"; printf '  %s\n' "${UNFORMATTED[@]}"
elif [[ -s $TMP/format.log ]]; then
  head -20 "$TMP/format.log"; UNFORMATTED=(clang-format)
fi
echo "${#CXX_FILES[@]} files, ${#UNFORMATTED[@]} not formatted"
record "format (clang-format)" $((${#CXX_FILES[@]} - ${#UNFORMATTED[@]})) ${#UNFORMATTED[@]}

section "OpenAPI lint (Spectral, docs/openapi.yaml)"
if tests/node_modules/.bin/spectral lint docs/openapi.yaml --ruleset tests/contract/spectral.yaml \
     --fail-severity=warn >"$TMP/spectral.log" 2>&1; then
  tail -1 "$TMP/spectral.log"; record "openapi lint (spectral)" 1 0
else
  tail -40 "$TMP/spectral.log"; record "openapi lint (spectral)" 0 1
fi

if ((BUILD_OK)) && ls tests/contract/*.test.mjs >/dev/null 2>&1; then
  section "Contract tests (beian codes and routes against the console and docs/openapi.yaml)"
  BEIAN_BIN=$ROOT/$B/beian node --test --test-concurrency=1 tests/contract/ >"$TMP/contract.log" 2>&1
  grep -E '^not ok|^# (pass|fail)' "$TMP/contract.log"
  read -r p f < <(node_counts "$TMP/contract.log"); record "contract (node)" "$p" "$f"
  ((f > 0)) && grep -B2 -A25 '^not ok' "$TMP/contract.log" | head -80
fi

if ((BUILD_OK)) && [[ -d tests/integration ]] && ls tests/integration/*.test.mjs >/dev/null 2>&1; then
  for backend in sqlite postgres; do
    section "Integration tests ($backend)"
    BEIAN_IT_BACKEND=$backend BEIAN_BIN=$ROOT/$B/beian BEIAN_WEB_DIR=$ROOT/web/dist \
      node --test --test-concurrency=1 tests/integration/ >"$TMP/it-$backend.log" 2>&1
    grep -E '^not ok|^# (pass|fail)' "$TMP/it-$backend.log"
    read -r p f < <(node_counts "$TMP/it-$backend.log"); record "integration ($backend)" "$p" "$f"
    ((f > 0)) && grep -B2 -A25 '^not ok' "$TMP/it-$backend.log" | head -80
  done
fi

if ((BUILD_OK)) && [[ -d tests/e2e ]] && ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
  section "Browser tests (headless Chromium)"
  BEIAN_BIN=$ROOT/$B/beian BEIAN_WEB_DIR=$ROOT/web/dist \
    node --test --test-concurrency=1 tests/e2e/ >"$TMP/e2e.log" 2>&1
  grep -E '^not ok|^# (pass|fail)' "$TMP/e2e.log"
  read -r p f < <(node_counts "$TMP/e2e.log"); record "browser (chromium)" "$p" "$f"
  ((f > 0)) && grep -B2 -A25 '^not ok' "$TMP/e2e.log" | head -80
fi

section "Unit tests under AddressSanitizer + UBSan"
if wait_build asan; then
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$B-asan" -L unit -j "$JOBS" --output-on-failure >"$TMP/asan.log" 2>&1
  grep -E "tests passed" "$TMP/asan.log"; grep -E '\*\*\*Failed|Not Run|Timeout' "$TMP/asan.log" | head -30
  read -r p f < <(ctest_counts "$TMP/asan.log"); record "unit (ASan+UBSan)" "$p" "$f"
else
  tail -30 "$TMP/asan-build.log"; record "build (ASan+UBSan)" 0 1
fi

if ls tests/fuzz/*_fuzz.cc >/dev/null 2>&1; then
  section "Fuzzers (${FUZZ_SECONDS}s each)"
  if wait_build fuzz; then
    fp=0; ff=0
    for src in tests/fuzz/*_fuzz.cc; do
      name=$(basename "$src" .cc)
      corpus=$TMP/corpus-$name; mkdir -p "$corpus"
      seeds=tests/fuzz/corpus/${name%_fuzz}
      [[ -d $seeds ]] && cp -r "$seeds/." "$corpus/"
      if ./"$B-fuzz"/"$name" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 "$corpus" \
           >"$TMP/$name.log" 2>&1; then
        fp=$((fp + 1)); echo "ok   $name"
      else
        ff=$((ff + 1)); echo "FAIL $name"; tail -30 "$TMP/$name.log"
      fi
    done
    record "fuzzers" "$fp" "$ff"
  else
    tail -30 "$TMP/fuzz-build.log"; record "build (fuzzers)" 0 1
  fi
fi

wait "$BG_PID" 2>/dev/null; BG_PID=

section "Summary ($(( $(date +%s) - start ))s)"
printf '%s\n' "${SUITES[@]}"
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
((TOTAL_FAIL == 0 && TOTAL_PASS > 0))
