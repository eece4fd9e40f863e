#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for tests.
#   scripts/pg-temp.sh start DIR PORT   initialise DIR, start the server on 127.0.0.1:PORT (unix
#                                       socket in DIR), print its URL
#   scripts/pg-temp.sh stop DIR         stop it and remove DIR
# Trust authentication, listening on loopback only, fsync off (the data is disposable). Run as
# root, the server runs as the `postgres` user (PostgreSQL refuses root). PG_BIN overrides the
# binaries folder (default /usr/lib/postgresql/15/bin).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

usage() {
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
}

# Runs a command as the server's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local dir=$1 port=$2
  [[ $port =~ ^[0-9]+$ ]] || usage
  [ -x "$PG_BIN/initdb" ] || { echo "pg-temp: $PG_BIN/initdb not found (apt-get install postgresql-15)" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/data/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "pg-temp: a server already runs in $dir (stop it first)" >&2
    exit 1
  fi
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "pg-temp: no 'postgres' user (apt-get install postgresql-15)" >&2; exit 1; }
    chown postgres: "$dir"
    chmod 700 "$dir"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --no-locale -E UTF8 \
      --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if ! as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
    echo "pg-temp: server did not start; its log:" >&2
    tail -20 "$dir/server.log" >&2 || true
    exit 1
  fi
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) [ $# = 3 ] || usage; start "$2" "$3" ;;
  stop) [ $# = 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
