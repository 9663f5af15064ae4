#!/usr/bin/env bash
# Serves the same pages from Dateline (page cache on; page cache off; both page
# and record caches off) and as static files from nginx on this machine, loads
# each with wrk, and prints requests/second, p50/p99 latency and the ratio to
# nginx. Then times publish-to-live.
#
#   bash bench/http.sh   (DURATION=5s CONNECTIONS=32 THREADS=2 ROUNDS=3 by default)
#
# Each row alternates Dateline and nginx ROUNDS times and reports the median run
# of each (by requests/second), so a burst of other work on the machine moves
# both sides rather than one.
#
# Needs nginx and wrk (Debian: apt-get install nginx wrk). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo puts the binaries under CARGO_TARGET_DIR when it is set.
target_dir=${CARGO_TARGET_DIR:-target}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
for tool in nginx wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install nginx wrk curl)"; exit 1; }
done

cargo build --release --quiet --bin dateline --example publish_to_live
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

PASSWORD=bench-password-123
DATELINE_ADMIN_PASSWORD=$PASSWORD DATELINE_LOG=warn "$target_dir"/release/dateline serve --bind 127.0.0.1:18080 --database "sqlite://$work/cached.db" >"$work/cached.log" 2>&1 &
pids+=($!)
DATELINE_LOG=warn "$target_dir"/release/dateline serve --bind 127.0.0.1:18081 --database "sqlite://$work/uncached.db" --cache false >"$work/uncached.log" 2>&1 &
pids+=($!)
DATELINE_LOG=warn "$target_dir"/release/dateline serve --bind 127.0.0.1:18083 --database "sqlite://$work/bare.db" --cache false --record-cache false >"$work/bare.log" 2>&1 &
pids+=($!)
for port in 18080 18081 18083; do
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/" -o /dev/null && break; sleep 0.5; done
done

article=$(curl -s -o /dev/null -w '%{redirect_url}' http://127.0.0.1:18080/news/1 | sed 's#http://127.0.0.1:18080##')
mkdir -p "$work/www"
curl -fs "http://127.0.0.1:18080$article" -o "$work/www/article.html"
curl -fs "http://127.0.0.1:18080/" -o "$work/www/front.html"
curl -fs "http://127.0.0.1:18080/feeds/europe.rss" -o "$work/www/europe.rss"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  # As a production static server would: file handles kept open, not reopened per request.
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  keepalive_requests 100000;
  types { text/html html; application/rss+xml rss; }
  server { listen 127.0.0.1:18082; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf"
sleep 0.5

# wrk prints latencies with units; convert to milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.3f", v }'; }
load() {
  local out; out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1=="50%" { print $2 }' | to_ms)
  p99=$(echo "$out" | awk '$1=="99%" { print $2 }' | to_ms)
  echo "$rps $p50 $p99"
}
# The median of ROUNDS runs (by requests/second); Dateline and nginx take turns.
median() { sort -n | awk '{ a[NR]=$0 } END { print a[int((NR+1)/2)] }'; }
row() {
  local name=$1 dateline=$2 static=$3 d=() n=()
  for _ in $(seq 1 "$ROUNDS"); do
    d+=("$(load "$dateline")")
    n+=("$(load "$static")")
  done
  read -r drps dp50 dp99 <<<"$(printf '%s\n' "${d[@]}" | median)"
  read -r nrps np50 np99 <<<"$(printf '%s\n' "${n[@]}" | median)"
  printf "%-20s %12s %9s %9s   %12s %9s %9s   %6.2fx\n" "$name" "$drps" "$dp50" "$dp99" "$nrps" "$np50" "$np99" "$(echo "$drps / $nrps" | bc -l)"
}

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS; article $article"
printf "%-20s %12s %9s %9s   %12s %9s %9s   %7s\n" "" "Dateline r/s" "p50 ms" "p99 ms" "nginx r/s" "p50 ms" "p99 ms" "ratio"
row "cached article" "http://127.0.0.1:18080$article" "http://127.0.0.1:18082/article.html"
row "uncached article" "http://127.0.0.1:18081$article" "http://127.0.0.1:18082/article.html"
row "uncached, no records" "http://127.0.0.1:18083$article" "http://127.0.0.1:18082/article.html"
row "front page" "http://127.0.0.1:18080/" "http://127.0.0.1:18082/front.html"
row "section feed" "http://127.0.0.1:18080/feeds/europe.rss" "http://127.0.0.1:18082/europe.rss"
"$target_dir"/release/examples/publish_to_live http://127.0.0.1:18080 admin@localhost.localdomain "$PASSWORD" 20
