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

# A signed-in reader, registered through the pages and verified by the link the
# outbox holds (no SMTP here), as a reader would; their article page is rendered
# privately on every request, the page cache on.
READER_NAME="Bench Reader"
base=http://127.0.0.1:18080
jar="$work/reader.jar"
form_token() { curl -fs -b "$jar" -c "$jar" "$base$1" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$(form_token /account/register)" \
  --data-urlencode "email=bench.reader@example.com" --data-urlencode "display_name=$READER_NAME" \
  --data-urlencode "password=$PASSWORD" "$base/account/register"
verify=$("$target_dir"/release/dateline outbox --database "sqlite://$work/cached.db" --limit 1 | grep -o '/account/verify?token=[A-Za-z0-9_-]*' | head -1)
[ -n "$verify" ] || { echo "bench: no verification link in the outbox"; exit 1; }
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$(form_token "$verify")" \
  --data-urlencode "token=${verify#*token=}" "$base/account/verify"
reader_cookie=$(awk '$6 == "dateline_reader" { print $7 }' "$jar")
[ -n "$reader_cookie" ] || { echo "bench: the reader could not sign in"; exit 1; }

# wrk prints latencies with units; convert to milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.3f", v }'; }
# Loads one URL; every response is checked by bench/check.lua (status 200 and
# each of the row's strings present), and a row with any wrong page fails.
load() {
  local url=$1 must=$2 header=${3:-}
  local out
  if [ -n "$header" ]; then
    out=$(MUST_CONTAIN="$must" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/check.lua -H "$header" "$url")
  else
    out=$(MUST_CONTAIN="$must" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/check.lua "$url")
  fi
  local rps p50 p99 checked bad
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1=="50%" { print $2 }' | to_ms)
  p99=$(echo "$out" | awk '$1=="99%" { print $2 }' | to_ms)
  read -r checked bad <<<"$(echo "$out" | awk '$1=="CHECKED" { print $2, $4 }')"
  if [ -z "$checked" ] || [ "$checked" -eq 0 ] || [ "$bad" -ne 0 ]; then
    echo "bench: $url answered ${bad:-?} of ${checked:-0} requests with something other than the full page" >&2
    exit 1
  fi
  echo "$rps $p50 $p99"
}
# The median of ROUNDS runs (by requests/second); Dateline and nginx take turns.
median() { sort -n | awk '{ a[NR]=$0 } END { print a[int((NR+1)/2)] }'; }
# row NAME DATELINE_URL NGINX_URL MUST_CONTAIN [HEADER for Dateline's requests]
row() {
  local name=$1 dateline=$2 static=$3 must=$4 header=${5:-} d=() n=()
  for _ in $(seq 1 "$ROUNDS"); do
    d+=("$(load "$dateline" "$must" "$header")")
    n+=("$(load "$static" "$must")")
  done
  read -r drps dp50 dp99 <<<"$(printf '%s\n' "${d[@]}" | median)"
  read -r nrps np50 np99 <<<"$(printf '%s\n' "${n[@]}" | median)"
  printf "%-22s %12s %9s %9s   %12s %9s %9s   %6.2fx\n" "$name" "$drps" "$dp50" "$dp99" "$nrps" "$np50" "$np99" "$(echo "$drps / $nrps" | bc -l)"
}

# What every response of a row must hold: the page's own title and its last tag.
marks() { echo "$(grep -o '<title>[^<]*</title>' "$1" | head -1)|$2"; }

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS; article $article"
printf "%-22s %12s %9s %9s   %12s %9s %9s   %7s\n" "" "Dateline r/s" "p50 ms" "p99 ms" "nginx r/s" "p50 ms" "p99 ms" "ratio"
article_marks=$(marks "$work/www/article.html" "</html>")
row "cached article" "http://127.0.0.1:18080$article" "http://127.0.0.1:18082/article.html" "$article_marks"
row "signed-in reader" "http://127.0.0.1:18080$article" "http://127.0.0.1:18082/article.html" "$article_marks|$READER_NAME" "Cookie: dateline_reader=$reader_cookie"
row "uncached article" "http://127.0.0.1:18081$article" "http://127.0.0.1:18082/article.html" "$article_marks"
row "uncached, no records" "http://127.0.0.1:18083$article" "http://127.0.0.1:18082/article.html" "$article_marks"
row "front page" "http://127.0.0.1:18080/" "http://127.0.0.1:18082/front.html" "$(marks "$work/www/front.html" "</html>")"
row "section feed" "http://127.0.0.1:18080/feeds/europe.rss" "http://127.0.0.1:18082/europe.rss" "$(marks "$work/www/europe.rss" "</rss>")"
"$target_dir"/release/examples/publish_to_live http://127.0.0.1:18080 admin@localhost.localdomain "$PASSWORD" 20
