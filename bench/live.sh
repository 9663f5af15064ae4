#!/usr/bin/env bash
# Live pages under load: one node on SQLite holds STREAMS Server-Sent Events
# streams on one live page while the newsroom publishes a post every second;
# examples/live_streams.rs (the client written for this) reports post-to-screen
# latency over every stream and post, and fails on any post missing or repeated.
# Meanwhile the server's memory is sampled every second and wrk measures the
# anonymous cached article page. With POSTGRES_URL, two nodes on one PostgreSQL
# database share the streams and the newsroom publishes through the first.
#
#   bash bench/live.sh                       (STREAMS=10000 POSTS=30 by default)
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/live.sh
#
# Needs wrk and curl (Debian: apt-get install wrk curl), psql for POSTGRES_URL.
# Both processes need a descriptor per stream: the script raises its soft limit
# to the hard one, which must exceed STREAMS plus a few hundred.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
STREAMS=${STREAMS:-10000}
POSTS=${POSTS:-30}
WRK_DURATION=${WRK_DURATION:-10s}
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk curl)"; exit 1; }
done
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -le $((STREAMS + 200)) ]; then
  echo "bench: $STREAMS streams need more than $(ulimit -n) open files (raise the hard limit)"; exit 1
fi

cargo build --release --quiet --bin dateline --example live_streams
bin="$target_dir"/release/dateline
client="$target_dir"/release/examples/live_streams
work=$(mktemp -d)
pids=()
pg_db=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$pg_db" ]; then psql -q "$POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
PASSWORD=bench-password-123
EMAIL=admin@localhost.localdomain

serve() { # PORT DATABASE_URL LOG
  DATELINE_ADMIN_PASSWORD=$PASSWORD DATELINE_LOG=warn "$bin" serve --bind "127.0.0.1:$1" --database "$2" >"$3" 2>&1 &
  pids+=($!)
  SERVED=$!
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$1/" -o /dev/null && return 0; sleep 0.5; done
  echo "bench: the server on port $1 did not start"; cat "$3"; exit 1
}

# The highest resident memory of process $1 until file $2 exists.
sample_memory() {
  local pid=$1 stop=$2 peak=0 kb
  while [ ! -e "$stop" ]; do
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "$kb" -gt "$peak" ] && peak=$kb
    sleep 1
  done
  echo "$peak"
}

# run NAME NODES...: the client against the nodes (the first publishes), with
# memory sampled on the first node and wrk on its cached article while posts flow.
run() {
  local name=$1; shift
  local nodes; nodes=$(IFS=,; echo "$*")
  local first=$1 server_pid=$SERVED
  local article
  article=$(curl -s -o /dev/null -w '%{redirect_url}' "$first/news/1" | sed "s#$first##")
  curl -fs "$first$article" -o /dev/null
  echo "== $name: $STREAMS streams, $POSTS posts, one a second =="
  rm -f "$work/stop"
  sample_memory "$server_pid" "$work/stop" >"$work/memory" &
  local sampler=$!
  "$client" --newsroom "$first" --email "$EMAIL" --password "$PASSWORD" --streams "$STREAMS" \
    --nodes "$nodes" --posts "$POSTS" --interval-ms 1000 >"$work/client.out" 2>&1 &
  local client_pid=$!
  # wrk starts once every stream is open, while the posts are being published.
  for _ in $(seq 1 300); do grep -q "^all .* streams open" "$work/client.out" && break; sleep 0.5; done
  if grep -q "^all .* streams open" "$work/client.out"; then
    sleep 2
    MUST_CONTAIN=$'<title>\t</html>' wrk -t2 -c32 -d"$WRK_DURATION" --latency -s bench/check.lua \
      "$first$article" >"$work/wrk.out" 2>&1 || true
  fi
  local status=0
  wait "$client_pid" || status=$?
  touch "$work/stop"; wait "$sampler" || true
  cat "$work/client.out"
  echo "server memory (node 1, resident, peak while streams were open): $(( $(cat "$work/memory") / 1024 )) MB"
  if [ -f "$work/wrk.out" ]; then
    echo "cached article during the run: $(awk '/Requests\/sec/ {print $2}' "$work/wrk.out") r/s, p99 $(awk '/ 99%/ {print $2}' "$work/wrk.out")"
    grep -E "^CHECKED|Non-2xx" "$work/wrk.out" || true
    rm -f "$work/wrk.out"
  fi
  return "$status"
}

serve 18095 "sqlite://$work/live.db" "$work/sqlite.log"
run "one node, SQLite" http://127.0.0.1:18095
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

if [ -n "${POSTGRES_URL:-}" ]; then
  pg_db=dateline_bench_live
  psql -q "$POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
  psql -q "$POSTGRES_URL" -c "CREATE DATABASE $pg_db" >/dev/null
  url=$(echo "$POSTGRES_URL" | sed "s#/[^/]*\$#/$pg_db#")
  serve 18096 "$url" "$work/pg1.log"
  first_pid=$SERVED
  serve 18097 "$url" "$work/pg2.log"
  SERVED=$first_pid
  run "two nodes, PostgreSQL (published through node 1)" http://127.0.0.1:18096 http://127.0.0.1:18097
fi
