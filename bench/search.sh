#!/usr/bin/env bash
# Search alone, against an archive that already exists (generating a million
# stories takes minutes; bench/scale.sh makes and drops its own). Draws QUERIES
# distinct queries from the archive's own text (bench/queries.sh: words and
# two-word phrases of randomly chosen published stories; a different draw each
# run unless SEED is given), serves DATABASE with the page and record caches
# off (CACHE=true: on), warms up for 5 s, sends every query once with curl (each answer must be
# a full 200 results page), then loads the mix with wrk at SEARCH_CONNECTIONS
# connections, every answer checked, and prints p50 / p95 / p99 and r/s. Exits
# non-zero if any answer was wrong.
#
#   dateline demo --stories 1000000 --database postgres://postgres@127.0.0.1:5432/dl_big
#   DATABASE=postgres://postgres@127.0.0.1:5432/dl_big bash bench/search.sh
#   DURATION=10s SEARCH_CONNECTIONS=2      wrk settings (defaults shown; connections: one per core)
#   QUERIES=1000 SEED=…                     the query set's size, and its draw (printed each run)
#   BIN=path/to/dateline                    serve another build (to compare two commits)
#   CACHE=true                              serve with the page cache on, as `dateline serve`
#                                           does by default: repeated queries are answered from
#                                           it (it drops every search page when anything public
#                                           changes). The warm-up then uses another draw, so the
#                                           measured queries start uncached; the load comes first
#                                           and the share it found in the cache is printed.
#
# Needs wrk and curl (Debian: apt-get install wrk curl), and sqlite3 or psql to
# read the archive's text.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
: "${DATABASE:?set DATABASE to the database URL of an existing archive}"
DURATION=${DURATION:-10s}
SEARCH_CONNECTIONS=${SEARCH_CONNECTIONS:-$(nproc)}
QUERIES=${QUERIES:-1000}
SEED=${SEED:-$(( (RANDOM << 15) | RANDOM ))}
PORT=18091
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk curl)"; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin dateline
  BIN="$target_dir/release/dateline"
fi
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "seed $SEED (SEED=$SEED repeats this draw)"
bash bench/queries.sh "$DATABASE" "$QUERIES" "$SEED" >"$work/search.txt"
CACHE=${CACHE:-false}
if [ "$CACHE" = true ]; then
  # Warmed up with other queries: the measured ones are not in the cache yet.
  bash bench/queries.sh "$DATABASE" "$QUERIES" "$((SEED + 1))" >"$work/warm-up.txt"
  caches=()
else
  cp "$work/search.txt" "$work/warm-up.txt"
  caches=(--cache false --record-cache false)
fi
echo "page cache: $CACHE"

DATELINE_ADMIN_PASSWORD=bench-password-123 DATELINE_LOG=warn \
  "$BIN" serve --bind "127.0.0.1:$PORT" --database "$DATABASE" \
  "${caches[@]}" >"$work/server.log" 2>&1 &
server=$!
started=""
for _ in $(seq 1 240); do
  if curl -fs "http://127.0.0.1:$PORT/" -o /dev/null; then started=1; break; fi
  sleep 0.5
done
if [ -z "$started" ]; then echo "bench: the server did not start"; cat "$work/server.log"; exit 1; fi

# A full results page: the list of results and the page's closing tag.
RESULTS_PAGE=$'<ol class="search-results"\t</html>'
PATHS_FILE="$work/warm-up.txt" SEED=$SEED wrk -t1 -c1 -d5s -s bench/scale.lua "http://127.0.0.1:$PORT/" >/dev/null

# The page cache's counters (dateline_page_cache_{hits,misses}_total).
cache_counts() {
  curl -fs "http://127.0.0.1:$PORT/metrics" | awk '/^dateline_page_cache_hits_total/ { h = $2 } /^dateline_page_cache_misses_total/ { m = $2 } END { print h + 0, m + 0 }'
}
# The load under wrk, every answer checked.
load() {
  threads=$(( SEARCH_CONNECTIONS < 2 ? SEARCH_CONNECTIONS : 2 ))
  read -r hits_before misses_before <<<"$(cache_counts)"
  line=$(PATHS_FILE="$work/search.txt" SEED=$SEED MUST_CONTAIN="$RESULTS_PAGE" wrk -t"$threads" -c"$SEARCH_CONNECTIONS" -d"$DURATION" \
    -s bench/scale.lua "http://127.0.0.1:$PORT/" | grep '^RESULT' || true)
  read -r hits_after misses_after <<<"$(cache_counts)"
  read -r p50 p95 p99 rps failed socket bad <<<"${line#RESULT }"
  echo "search, $SEARCH_CONNECTIONS connections, $DURATION: p50 $p50 ms, p95 $p95 ms, p99 $p99 ms, $rps r/s; $failed answers not 2xx/3xx, $socket socket errors, $bad not a full 200 results page"
  if [ "$CACHE" = true ]; then
    hits=$((hits_after - hits_before)) misses=$((misses_after - misses_before))
    echo "  page cache during the load: $hits answers from the cache, $misses rendered ($(( 100 * hits / (hits + misses > 0 ? hits + misses : 1) )) % from the cache)"
  fi
}
# With the cache, the load first, while the measured queries are not yet in it.
if [ "$CACHE" = true ]; then load; fi

# Every query once, one at a time; the answer is kept to be checked.
wrong=0
: >"$work/times"
while read -r path; do
  status=$(curl -s -o "$work/page.html" -w '%{http_code} %{time_total}' "http://127.0.0.1:$PORT$path")
  echo "${status#* }" >>"$work/times"
  if [ "${status%% *}" != 200 ] || ! grep -q '<ol class="search-results"' "$work/page.html" || ! grep -q '</html>' "$work/page.html"; then
    wrong=$((wrong + 1))
    if [ "$wrong" -le 5 ]; then
      echo "  not a full results page: $path (status ${status%% *}, $(stat -c %s "$work/page.html") bytes)"
    fi
  fi
done <"$work/search.txt"
after=""
if [ "$CACHE" = true ]; then after=" (after the load: answers it cached)"; fi
sort -n "$work/times" | awk -v wrong="$wrong" -v after="$after" '{ t[NR] = $1 * 1000 } END {
  p50 = int(NR * 0.5) + 1; p95 = int(NR * 0.95) + 1; if (p95 > NR) p95 = NR
  printf "one at a time (curl)%s, %d queries: p50 %.1f ms, p95 %.1f ms, max %.1f ms; %d not a full 200 results page\n",
    after, NR, t[p50], t[p95], t[NR], wrong }'

if [ "$CACHE" != true ]; then load; fi
if [ -z "$line" ] || [ "$wrong" -ne 0 ] || [ "${failed:-1}" -ne 0 ] || [ "${socket:-1}" -ne 0 ] || [ "${bad:-1}" -ne 0 ]; then
  echo "bench: FAILED: some answers were not full results pages (above)" >&2
  exit 1
fi
