#!/usr/bin/env bash
# Serves the same pages from Dateline (page cache on; page cache off; both page
# and record caches off: a real cache miss) and as static files from nginx on
# this machine, loads each with wrk, and prints requests/second, p50/p99 latency
# and the ratios to nginx (throughput, and p99 against nginx's p99). The cached
# article is loaded at CONNECTIONS and again at WIDE_CONNECTIONS. Then times
# publish-to-live from the moment the publish request is sent, on the
# publishing node and, with POSTGRES_URL (or a postgres:// DATABASE_URL), on a
# second node sharing the PostgreSQL database.
#
#   bash bench/http.sh   (DURATION=5s CONNECTIONS=32 WIDE_CONNECTIONS=256 THREADS=2 ROUNDS=3 by default)
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/http.sh
#                        publish-to-live on two nodes too, and the cache miss on PostgreSQL
#                        (creates and drops dateline_bench_http)
#   ONLY='cache miss' bash bench/http.sh
#                        only the rows whose name matches (a bash regex), no publish-to-live
#
# Each row alternates Dateline and nginx ROUNDS times and reports, for each side,
# the median of each column over the rounds, so a burst of other work on the
# machine moves both sides rather than one.
#
# Every response is checked (bench/check.lua): status 200, the page's title and
# closing tag, and exactly the bytes of the full page. A row with any other
# answer, or any socket error, is marked FAILED and the script exits non-zero
# after the table.
#
# Needs nginx and wrk (Debian: apt-get install nginx wrk). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo puts the binaries under CARGO_TARGET_DIR when it is set.
target_dir=${CARGO_TARGET_DIR:-target}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
WIDE_CONNECTIONS=${WIDE_CONNECTIONS:-256}
THREADS=${THREADS:-2}
for tool in nginx wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install nginx wrk curl)"; exit 1; }
done

cargo build --release --quiet --bin dateline --example publish_to_live
work=$(mktemp -d)
pids=()
pg_db=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  if [ -n "$pg_db" ]; then psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
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
# nginx's workers run as an unprivileged user: they must be able to read the
# files (mktemp makes the folder private, and nginx would answer 403).
chmod 755 "$work" "$work/www"
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
# load URL MUST_CONTAIN BYTES CONNECTIONS [HEADER]: one wrk run, every response
# checked by bench/check.lua. Prints "r/s p50 p99"; a run with any wrong answer
# or socket error also appends why to $work/failures.
load() {
  local url=$1 must=$2 bytes=$3 connections=$4 header=${5:-}
  local out args=(-t"$THREADS" -c"$connections" -d"$DURATION" --latency -s bench/check.lua)
  if [ -n "$header" ]; then args+=(-H "$header"); fi
  out=$(MUST_CONTAIN="$must" EXPECT_BYTES="$bytes" wrk "${args[@]}" "$url")
  local rps p50 p99 checked bad socket example
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1=="50%" { print $2 }' | to_ms)
  p99=$(echo "$out" | awk '$1=="99%" { print $2 }' | to_ms)
  read -r checked bad socket example <<<"$(echo "$out" | awk '$1=="CHECKED" { $1=""; $3=""; $5=""; print }')"
  if [ -z "$checked" ] || [ "$checked" -eq 0 ] || [ "${bad:-1}" -ne 0 ] || [ "${socket:-1}" -ne 0 ]; then
    echo "$url at -c$connections: ${bad:-?} of ${checked:-0} answers not the full $bytes-byte page (first: ${example:-none}), ${socket:-?} socket errors" >>"$work/failures"
  fi
  echo "${rps:-0} ${p50:-0} ${p99:-0}"
}
# The median of each column over the rounds' lines.
medians() {
  awk '{ for (i = 1; i <= NF; i++) v[i, NR] = $i; n = NF } END {
    for (i = 1; i <= n; i++) {
      for (j = 1; j <= NR; j++) c[j] = v[i, j]
      asort(c); printf "%s%s", c[int((NR + 1) / 2)], (i < n ? " " : "\n"); delete c
    } }'
}
failed_rows=()
# row NAME DATELINE_URL NGINX_URL MUST_CONTAIN BYTES [CONNECTIONS [HEADER [MORE [DATELINE_BYTES]]]]:
# HEADER goes with Dateline's requests, whose answers must also contain MORE
# (tab-separated) and be DATELINE_BYTES long (default BYTES, nginx's file).
row() {
  local name=$1 dateline=$2 static=$3 must=$4 bytes=$5 connections=${6:-$CONNECTIONS} header=${7:-} more=${8:-}
  local dateline_bytes=${9:-$5} d=() n=()
  if [ -n "${ONLY:-}" ] && ! [[ $name =~ $ONLY ]]; then return; fi
  local dateline_must=$must
  [ -n "$more" ] && dateline_must="$must"$'\t'"$more"
  rm -f "$work/failures"
  for _ in $(seq 1 "$ROUNDS"); do
    d+=("$(load "$dateline" "$dateline_must" "$dateline_bytes" "$connections" "$header")")
    n+=("$(load "$static" "$must" "$bytes" "$connections")")
  done
  read -r drps dp50 dp99 <<<"$(printf '%s\n' "${d[@]}" | medians)"
  read -r nrps np50 np99 <<<"$(printf '%s\n' "${n[@]}" | medians)"
  local verdict=""
  if [ -s "$work/failures" ]; then
    verdict="  FAILED"
    failed_rows+=("$name: $(head -n 1 "$work/failures")")
  fi
  printf "%-24s %5s %12s %8s %8s   %12s %8s %8s   %6.2fx %6.2fx%s\n" "$name" "$connections" "$drps" "$dp50" "$dp99" \
    "$nrps" "$np50" "$np99" "$(echo "$drps / $nrps" | bc -l)" "$(echo "$dp99 / $np99" | bc -l)" "$verdict"
}

# What every response of a row must hold: the page's own title and its last tag.
# Tab-separated (titles hold "|").
marks() { printf '%s\t%s' "$(grep -o '<title>[^<]*</title>' "$1" | head -1)" "$2"; }
size() { stat -c %s "$1"; }

# The signed-in reader's page, once, for its size (it names the reader).
curl -fs -H "Cookie: dateline_reader=$reader_cookie" "http://127.0.0.1:18080$article" -o "$work/reader.html"
grep -q "Signed in as $READER_NAME" "$work/reader.html" || { echo "bench: the reader's page does not name them"; exit 1; }
# The other servers' article, for its size: the same page but for the port in
# its absolute links (a note says so if anything else differs).
for port in 18081 18083; do
  curl -fs "http://127.0.0.1:$port$article" -o "$work/article-$port.html"
  sed "s#127.0.0.1:$port#127.0.0.1:18080#g" "$work/article-$port.html" | cmp -s - "$work/www/article.html" \
    || echo "bench: note: the article on port $port differs from the cached server's ($(size "$work/article-$port.html") against $(size "$work/www/article.html") bytes)"
done

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -d$DURATION, median of $ROUNDS; article $article ($(size "$work/www/article.html") bytes)"
printf "%-24s %5s %12s %8s %8s   %12s %8s %8s   %7s %7s\n" "" "conns" "Dateline r/s" "p50 ms" "p99 ms" "nginx r/s" "p50 ms" "p99 ms" "r/s" "p99"
article_marks=$(marks "$work/www/article.html" "</html>")
article_bytes=$(size "$work/www/article.html")
row "cached article" "http://127.0.0.1:18080$article" "http://127.0.0.1:18082/article.html" "$article_marks" "$article_bytes"
row "cached article" "http://127.0.0.1:18080$article" "http://127.0.0.1:18082/article.html" "$article_marks" "$article_bytes" "$WIDE_CONNECTIONS"
row "signed-in reader" "http://127.0.0.1:18080$article" "http://127.0.0.1:18082/article.html" "$article_marks" "$article_bytes" \
  "$CONNECTIONS" "Cookie: dateline_reader=$reader_cookie" "Signed in as $READER_NAME" "$(size "$work/reader.html")"
row "uncached article" "http://127.0.0.1:18081$article" "http://127.0.0.1:18082/article.html" "$article_marks" "$article_bytes" \
  "" "" "" "$(size "$work/article-18081.html")"
row "cache miss (no caches)" "http://127.0.0.1:18083$article" "http://127.0.0.1:18082/article.html" "$article_marks" "$article_bytes" \
  "" "" "" "$(size "$work/article-18083.html")"
row "front page" "http://127.0.0.1:18080/" "http://127.0.0.1:18082/front.html" "$(marks "$work/www/front.html" "</html>")" "$(size "$work/www/front.html")"
row "section feed" "http://127.0.0.1:18080/feeds/europe.rss" "http://127.0.0.1:18082/europe.rss" "$(marks "$work/www/europe.rss" "</rss>")" "$(size "$work/www/europe.rss")"

# The same miss on PostgreSQL: a node with no caches on the database the
# publish-to-live nodes below share (the demo, loaded by the first of them).
EMAIL=admin@localhost.localdomain
pg_url=${POSTGRES_URL:-}
if [ -z "$pg_url" ] && [[ ${DATABASE_URL:-} == postgres* ]]; then pg_url=$DATABASE_URL; fi
if [ -n "$pg_url" ]; then
  command -v psql >/dev/null || { echo "bench: psql is missing (apt-get install postgresql-client)"; exit 1; }
  pg_db=dateline_bench_http
  PGOPTIONS=--client-min-messages=warning psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" -c "CREATE DATABASE $pg_db" >/dev/null
  pg_node_url=${pg_url%/*}/$pg_db
  DATELINE_ADMIN_PASSWORD=$PASSWORD DATELINE_LOG=warn "$target_dir"/release/dateline serve --bind 127.0.0.1:18084 --database "$pg_node_url" >"$work/pg1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do curl -fs http://127.0.0.1:18084/ -o /dev/null && break; sleep 0.5; done
  DATELINE_LOG=warn "$target_dir"/release/dateline serve --bind 127.0.0.1:18086 --database "$pg_node_url" --cache false --record-cache false >"$work/pg-bare.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do curl -fs http://127.0.0.1:18086/ -o /dev/null && break; sleep 0.5; done
  pg_article=$(curl -s -o /dev/null -w '%{redirect_url}' http://127.0.0.1:18086/news/1 | sed 's#http://127.0.0.1:18086##')
  curl -fs "http://127.0.0.1:18086$pg_article" -o "$work/article-18086.html"
  [ "$pg_article" = "$article" ] || echo "bench: note: PostgreSQL's demo article is $pg_article"
  row "cache miss, PostgreSQL" "http://127.0.0.1:18086$pg_article" "http://127.0.0.1:18082/article.html" "$article_marks" "$article_bytes" \
    "" "" "" "$(size "$work/article-18086.html")"
fi
echo "(r/s: Dateline's requests/second over nginx's; p99: Dateline's p99 over nginx's, lower is better)"
report_failures() {
  if [ ${#failed_rows[@]} -gt 0 ]; then
    echo
    echo "bench: FAILED rows (answers that were not the full page, or socket errors):" >&2
    printf '  %s\n' "${failed_rows[@]}" >&2
    exit 1
  fi
}
if [ -n "${ONLY:-}" ]; then report_failures; exit 0; fi

# Publish-to-live: on the cached SQLite server, and on two nodes sharing one
# PostgreSQL database when one is given (publishing through the first).
echo
echo "SQLite, one node:"
"$target_dir"/release/examples/publish_to_live http://127.0.0.1:18080 "$EMAIL" "$PASSWORD" 20
if [ -n "$pg_url" ]; then
  # The second node starts once the first has migrated and loaded the demo.
  DATELINE_LOG=warn "$target_dir"/release/dateline serve --bind 127.0.0.1:18085 --database "$pg_node_url" >"$work/pg2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do curl -fs http://127.0.0.1:18085/ -o /dev/null && break; sleep 0.5; done
  echo "PostgreSQL, two nodes on one database, published through the first:"
  "$target_dir"/release/examples/publish_to_live http://127.0.0.1:18084 "$EMAIL" "$PASSWORD" 20 http://127.0.0.1:18085
else
  echo "Second node: skipped (publish-to-live on another node needs PostgreSQL: set POSTGRES_URL, or DATABASE_URL to a postgres:// URL)"
fi

report_failures
