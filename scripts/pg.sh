#!/usr/bin/env bash
# Starts (start DIR PORT) or stops (stop DIR) a throwaway PostgreSQL cluster for tests;
# kill DIR stops it at once as a crash would (immediate mode), resume DIR PORT starts it again.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
case "$1" in
  start)
    dir=$2 port=$3
    mkdir -p "$dir"
    run() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; su postgres -c "cd / && $*"; else sh -c "$*"; fi; }
    run "$bin/initdb -D $dir/data -A trust -U postgres >/dev/null"
    run "$bin/pg_ctl -D $dir/data -l $dir/log -w start -o '-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off'" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  resume)
    dir=$2 port=$3
    run() { if [ "$(id -u)" = 0 ]; then su postgres -c "cd / && $*"; else sh -c "$*"; fi; }
    run "$bin/pg_ctl -D $dir/data -l $dir/log -w start -o '-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off'" >/dev/null
    ;;
  kill)
    dir=$2
    if [ "$(id -u)" = 0 ]; then su postgres -c "cd / && $bin/pg_ctl -D $dir/data -m immediate stop" >/dev/null; else "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null; fi
    ;;
  stop)
    dir=$2
    if [ "$(id -u)" = 0 ]; then su postgres -c "cd / && $bin/pg_ctl -D $dir/data -m fast stop" >/dev/null; else "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null; fi
    ;;
esac
