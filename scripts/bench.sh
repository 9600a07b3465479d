#!/usr/bin/env bash
# The performance benchmark of issue 8 (results in BENCHMARKS.md). Builds the release server,
# generates the large data set into a fresh database (SQLite, or PostgreSQL with --pg), starts
# the server pinned to core 0 and drives it from core 1 on 127.0.0.1 with oha and with the
# deadline-day mix, then prints a summary. The data generator and the mix driver are the separate
# `portal-bench` binary (bench/), built here next to the release server.
#
#   scripts/bench.sh [--pg] [--small]
#
# --small generates a fifth of the data and runs shorter mixes (for trying the script out).
# Sizes and durations can be set with BENCH_USERS, BENCH_ATTEMPTS, BENCH_LEADS, BENCH_EVENTS,
# BENCH_SECONDS (each oha measurement), BENCH_MIX_SECONDS, BENCH_MIX_CLIENTS, BENCH_THINK_MS
# (the paced mix) and BENCH_CONCURRENCY (oha clients for the regulation page).
set -euo pipefail
cd "$(dirname "$0")/.."

pg=0 small=0
users=100000 attempts=1000000 leads=10000 events=2000
for arg in "$@"; do
  case "$arg" in
    --pg) pg=1 ;;
    --small) users=20000 attempts=200000 leads=2000 events=400 small=1 ;;
    *) echo "usage: scripts/bench.sh [--pg] [--small]" >&2; exit 2 ;;
  esac
done
users=${BENCH_USERS:-$users} attempts=${BENCH_ATTEMPTS:-$attempts}
leads=${BENCH_LEADS:-$leads} events=${BENCH_EVENTS:-$events}
secs=${BENCH_SECONDS:-10} mix_secs=${BENCH_MIX_SECONDS:-30}
# Fewer users: shorter mixes, so that the second one still finds users who have not started.
[ "$small" = 1 ] && mix_secs=${BENCH_MIX_SECONDS:-8}
mix_clients=${BENCH_MIX_CLIENTS:-200} conc=${BENCH_CONCURRENCY:-50} think=${BENCH_THINK_MS:-1000}

say() { printf 'bench: %s\n' "$*" >&2; }
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
command -v oha >/dev/null || { say "installing oha"; cargo install --locked oha; }
command -v taskset >/dev/null || { say "taskset (util-linux) is needed"; exit 1; }
[ "$(nproc)" -ge 2 ] || { say "needs two cores (server on 0, load on 1)"; exit 1; }
target=${CARGO_TARGET_DIR:-target}
say "building (cargo leptos build --release, cargo build --release -p portal-bench)"
cargo leptos build --release >&2
cargo build --release -p portal-bench >&2
server="$target/release/server" bench="$target/release/portal-bench"
# Part of the build: brotli and gzip copies of the /pkg assets, served under hashed names.
# (A server from before issue 18 has no such command: this script also measures those, for the
# "before" figures, and their assets are then compressed per response.)
LEPTOS_SITE_ROOT=target/site "$server" precompress >&2 2>/dev/null || say "no 'server precompress' in this build (before issue 18)"
# nginx (Debian's nginx-light) is the ceiling of the SSR comparison.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "installing nginx-light"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y nginx-light >&2
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d /tmp/portal-bench.XXXXXX)
pid="" pgdir="" nginx_pid="" ndir=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  [ -n "$ndir" ] && rm -rf "$ndir"
  if [ -n "$pgdir" ]; then scripts/pg.sh stop "$pgdir" 2>/dev/null || true; rm -rf "$pgdir"; fi
  rm -rf "$work"
}
trap cleanup EXIT
port=$(( 39000 + RANDOM % 1000 ))
if [ "$pg" = 1 ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { say "PostgreSQL is not installed (scripts/setup.sh --test installs it)"; exit 1; }
  # Its own folder: the cluster runs as the postgres user, who cannot enter $work.
  pgdir=$(mktemp -d /tmp/portal-bench-pg.XXXXXX)
  DATABASE_URL=$(scripts/pg.sh start "$pgdir" $(( port + 1000 ))) || { cat "$pgdir/log" >&2; exit 1; }
  backend=postgresql
else
  DATABASE_URL="sqlite://$work/portal.db"
  backend=sqlite
fi
# cargo leptos writes the site to the site-root of Cargo.toml (target/site), wherever
# CARGO_TARGET_DIR puts the binaries.
export DATABASE_URL LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site PORTAL_CONTENT_DIR=content
# The audit key of this run's database (the generator's demo seeding writes entries too).
export PORTAL_AUDIT_KEY_FILE="$work/audit.key"
base="http://127.0.0.1:$port"

say "generating $users users, $attempts attempts, $leads leads, $events events into $backend"
# A quarter of the users have not started any quiz yet: the two mixes sign in as them.
gen_out=$("$bench" generate --users "$users" --attempts "$attempts" --leads "$leads" --events "$events" --fresh-percent 25)
echo "$gen_out" >&2
db_size="-"
[ "$pg" = 0 ] && db_size="$(du -sh "$work" | cut -f1) (SQLite file and WAL)"

say "starting the server on core 0"
t0=$(date +%s%N)
PORTAL_BENCH=1 PORTAL_DEMO=1 taskset -c 0 "$server" >"$work/server.log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "$base/healthz"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.01
done
healthy_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

# oha on core 1: prints "rps p50_ms p99_ms errors" for a URL (extra arguments go to oha).
load() {
  local url=$1; shift
  taskset -c 1 oha --no-tui --output-format json -z "${secs}s" -c "$conc" "$@" "$url" >"$work/oha.json" 2>/dev/null
  python3 - "$work/oha.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]; p = d["latencyPercentiles"]
codes = d.get("statusCodeDistribution", {})
# Requests still in flight when the time is up are not errors.
errs = {k: v for k, v in d.get("errorDistribution", {}).items() if "deadline" not in k}
bad = sum(v for k, v in codes.items() if not k.startswith("2")) + sum(errs.values())
print(f'{s["requestsPerSec"]:.0f} {p["p50"]*1000:.1f} {p["p99"]*1000:.1f} {bad}')
EOF
}
sign_in() {
  curl -s -o /dev/null -D - --data-urlencode "login=$1" --data-urlencode "password=demo-pass-2021" \
    --data-urlencode "next=/" "$base/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(portal_session=[^;]*\).*/\1/p'
}

page=/regulations/dazu-2021-6
# The ceiling must serve the same bytes as the page (apart from the per-response nonce).
same=no
if cmp -s <(curl -s "$base$page" | sed -E 's/[0-9a-f]{32}/NONCE/g') \
          <(curl -s "$base/bench/ceiling/regulation" | sed -E 's/[0-9a-f]{32}/NONCE/g'); then same=yes; fi

# nginx on core 0 like the server, one worker, serving the bytes the portal answered (as is,
# and as brotli with the encoding header), no compression of its own.
ndir=$(mktemp -d /tmp/portal-bench-nginx.XXXXXX)
chmod 755 "$ndir"
curl -s -H "Accept-Encoding: identity" "$base$page" >"$ndir/page.html"
curl -s -H "Accept-Encoding: br" "$base$page" >"$ndir/page.html.br"
nport=$(( port + 2000 ))
cat >"$ndir/nginx.conf" <<NGINX
daemon off;
master_process off;
worker_processes 1;
pid $ndir/nginx.pid;
error_log $ndir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $ndir/body; proxy_temp_path $ndir/proxy; fastcgi_temp_path $ndir/fastcgi;
  uwsgi_temp_path $ndir/uwsgi; scgi_temp_path $ndir/scgi;
  gzip off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    root $ndir;
    location = /page { default_type "text/html; charset=utf-8"; try_files /page.html =404; }
    location = /page-br { default_type "text/html; charset=utf-8"; add_header Content-Encoding br; try_files /page.html.br =404; }
  }
}
NGINX
taskset -c 0 "$nginx_bin" -c "$ndir/nginx.conf" -p "$ndir" 2>"$ndir/start.log" &
nginx_pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$nport/page" && break; sleep 0.05; done
curl -fs -o /dev/null "http://127.0.0.1:$nport/page" || { cat "$ndir/start.log" "$ndir/error.log" >&2; say "nginx did not start"; exit 1; }
nginx_same=no
cmp -s "$ndir/page.html" <(curl -s "http://127.0.0.1:$nport/page") && nginx_same=yes

say "1. regulation page: SSR against nginx and the in-binary ceiling (${secs}s each, $conc clients, twice, alternating)"
declare -A rps
for enc in identity br; do
  for round in 1 2; do
    for which in ssr nginx ceiling; do
      url="$base$page"; [ "$which" = ceiling ] && url="$base/bench/ceiling/regulation"
      if [ "$which" = nginx ]; then
        url="http://127.0.0.1:$nport/page"; [ "$enc" = br ] && url="http://127.0.0.1:$nport/page-br"
      fi
      read -r r p50 p99 bad < <(load "$url" -H "Accept-Encoding: $enc")
      say "   $which ($enc) round $round: $r req/s, p50 $p50 ms, p99 $p99 ms, $bad errors"
      rps[$which-$enc]=$(( ${rps[$which-$enc]:-0} + r ))
    done
  done
done
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""

mem() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$pid/status"; }
mem_log="after the regulation runs: $(mem)"$'\n'

say "2. deadline-day mix ($mix_clients clients, ${mix_secs}s: without pauses, then ${think} ms mean think time)"
mix_out=$(taskset -c 1 "$bench" mix --url "$base" --clients "$mix_clients" --duration "$mix_secs" 2>&1) || mix_failed=1
echo "$mix_out" >&2
mix_paced=$(taskset -c 1 "$bench" mix --url "$base" --clients "$mix_clients" --duration "$mix_secs" --think-ms "$think" 2>&1) || mix_failed=1
echo "$mix_paced" >&2
mem_log+="after the mix: $(mem)"$'\n'

say "3. p99 at the large size (1 and 10 clients, ${secs}s each)"
handler=$(sign_in dz-court-officer)
office=$(sign_in dz-justice-officer)
trainer=$(sign_in dz-court-training)
learner=$(sign_in judge-zhang)
[ -n "$handler" ] && [ -n "$office" ] && [ -n "$trainer" ] && [ -n "$learner" ] || { say "demo sign-in failed"; exit 1; }
p99s=""
for spec in "inbox (dz-court-officer)|/leads|$handler" "inbox (joint office)|/leads|$office" \
            "completion report (dz-court)|/training-admin|$trainer" \
            "search 律师协会 线索|/search?q=%E5%BE%8B%E5%B8%88%E5%8D%8F%E4%BC%9A%20%E7%BA%BF%E7%B4%A2|" \
            "search feedback|/search?q=feedback|"; do
  IFS='|' read -r name path cookie <<<"$spec"
  args=(-H "Accept-Encoding: br")
  [ -n "$cookie" ] && args+=(-H "Cookie: $cookie")
  bytes=$(curl -s --compressed -H "Cookie: $cookie" "$base$path" | wc -c)
  for c in 1 10; do
    read -r r p50 p99 bad < <(conc=$c load "$base$path" "${args[@]}")
    p99s+=$(printf '%-30s %2s clients %6s req/s  p50 %6s ms  p99 %6s ms  errors %s  (%s bytes of HTML)' "$name" "$c" "$r" "$p50" "$p99" "$bad" "$bytes")$'\n'
  done
done
mem_log+="after the p99 runs: $(mem)"$'\n'

say "4. bytes shipped"
size() { curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: $2" ${3:+-H "Cookie: $3"} "$base$1"; }
# The assets every page loads, under the (hashed) names the page gives them.
asset() { curl -s "$base$page" | grep -o "/pkg/portal[^\"]*\.$1" | head -n 1; }
wasm=$(asset wasm) js=$(asset js) css=$(asset css)
quiz=$(curl -s "$base/api/v1/courses" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["quiz"]["id"])' 2>/dev/null || echo regulation-guide-quiz)
bytes=""
total_br=0 total_raw=0
for spec in "regulation HTML|$page|" "quiz page HTML|/quizzes/$quiz|$learner" \
            "portal.wasm|$wasm|" "portal.js|$js|" "portal.css|$css|"; do
  IFS='|' read -r name path cookie <<<"$spec"
  raw=$(size "$path" identity "$cookie"); gz=$(size "$path" gzip "$cookie"); br=$(size "$path" br "$cookie")
  bytes+=$(printf '%-16s %9s raw %9s gzip %9s br' "$name" "$raw" "$gz" "$br")$'\n'
  if [ "$name" != "quiz page HTML" ]; then total_br=$(( total_br + br )); total_raw=$(( total_raw + raw )); fi
done

rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo "+changes")
cat <<EOF

==================== portal benchmark ($backend) ====================
date        $(date -u '+%Y-%m-%d %H:%M UTC')
commit      $commit
machine     $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), $(rustc --version | cut -d' ' -f1-2)
load        $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at the end: other work on the machine disturbs the figures)
data        $gen_out
database    $db_size

1. regulation page, $conc clients, ${secs}s x 2 each, server on core 0, oha on core 1
   ceiling bytes identical to the page (nonce aside): $same; nginx serves the page's bytes: $nginx_same
   no compression: SSR $(( rps[ssr-identity] / 2 )) req/s, nginx $(( rps[nginx-identity] / 2 )) req/s, ratio $(ratio "${rps[ssr-identity]}" "${rps[nginx-identity]}")
                   in-binary ceiling $(( rps[ceiling-identity] / 2 )) req/s, ratio $(ratio "${rps[ssr-identity]}" "${rps[ceiling-identity]}")
   brotli:         SSR $(( rps[ssr-br] / 2 )) req/s, nginx (the same br bytes) $(( rps[nginx-br] / 2 )) req/s, ratio $(ratio "${rps[ssr-br]}" "${rps[nginx-br]}")
                   in-binary ceiling $(( rps[ceiling-br] / 2 )) req/s, ratio $(ratio "${rps[ssr-br]}" "${rps[ceiling-br]}")

2. $mix_out

   $mix_paced

3. p99 at the large size (1 and 10 clients, ${secs}s each, brotli)
$p99s
4. bytes shipped (as served: identity, gzip, br)
$bytes   regulation page in all: $total_raw bytes raw, $total_br bytes with brotli

5. server peak RSS (VmHWM): $(( rss / 1024 )) MiB; start to /healthz: ${healthy_ms} ms
$mem_log
=====================================================================
EOF
[ -z "${mix_failed:-}" ]
