#!/usr/bin/env bash
# Installs what building, running and testing Beian needs on Debian 12, skipping what is there:
# Debian packages with apt-get, then the web UI's and the browser tests' npm packages.
# Usage: scripts/install-deps.sh [run|test]   (test also brings PostgreSQL, Chromium, nginx, wrk…)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

build_pkgs=(build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libcurl4-openssl-dev libidn2-dev libunistring-dev libpsl-dev publicsuffix
  libpwquality-dev cracklib-runtime
  libmagic-dev libspdlog-dev libfmt-dev libcli11-dev libgtest-dev libgmock-dev)
test_pkgs=(clang libclang-rt-14-dev libbenchmark-dev postgresql postgresql-contrib wrk nginx-light
  chromium python3 python3-aiosmtpd curl procps)

pkgs=("${build_pkgs[@]}")
[[ $mode == test || $mode == bench ]] && pkgs+=("${test_pkgs[@]}")
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages: installed from the lock files, so repeated runs are quick and reproducible.
npm_install() {
  local dir=$1
  [[ -f $dir/package.json ]] || return 0
  if [[ ! -d $dir/node_modules || $dir/package-lock.json -nt $dir/node_modules/.stamp ]]; then
    echo "Installing npm packages in $dir"
    (cd "$dir" && if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
    touch "$dir/node_modules/.stamp"
  fi
}
npm_install web
[[ $mode == test ]] && npm_install tests
exit 0
