#!/usr/bin/env bash
# Does Dateline stay fast with a million stories? Generates a 1,000-story and a
# $STORIES-story archive with `dateline demo --stories N` (reporting stories/s
# and bytes per story), serves each with the page and record caches off so every
# page is really built, loads it with wrk and prints both sizes side by side
# with the ratio big/small, plus the server's memory after the load. Each size
# is served and loaded ROUNDS times (a fresh server each round) and every
# figure is the median over the rounds, so one lucky or unlucky run cannot
# carry a row.
#
#   bash bench/scale.sh                     STORIES=1000000 by default
#   STORIES=100000 bash bench/scale.sh      a smaller run
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/scale.sh
#                                           the same on PostgreSQL too (creates and
#                                           drops databases dateline_scale_*)
#   SQLITE=0 POSTGRES_URL=…                 PostgreSQL only
#   DURATION=10s CONNECTIONS=16 THREADS=2   wrk settings (defaults shown)
#   ROUNDS=3                                rounds per size (default shown)
#   SEARCH_CONNECTIONS=N                    the second search load (default: one per core)
#   QUERIES=1000 SEED=…                     the search queries: how many, and their draw
#   SQLITE_ARCHIVE=/path/to.db              measure this existing SQLite archive of
#                                           STORIES stories (made by `dateline demo
#                                           --stories N`) instead of generating one;
#                                           it is served, never changed or removed, and
#                                           its generation row says "reused"
#   POSTGRES_ARCHIVE=postgres://…/db        the same for PostgreSQL (with POSTGRES_URL,
#                                           which still makes the 1,000-story database)
#
# Needs wrk, curl and sqlite3 (Debian: apt-get install wrk curl sqlite3), psql
# for POSTGRES_URL. Article loads pick random canonical story URLs from the
# sitemaps (spread over the whole archive); search picks among QUERIES words and
# phrases drawn from each archive's own text by bench/queries.sh. Every answer
# is checked (status 200 and the page's closing tag; a search's list of
# results), and a row with any wrong answer or socket error is marked and makes
# the script exit non-zero after the tables.
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo puts the binaries under CARGO_TARGET_DIR when it is set.
target_dir=${CARGO_TARGET_DIR:-target}
STORIES=${STORIES:-1000000}
SQLITE=${SQLITE:-1}
SMALL=1000
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
# Search latency is also measured at one connection per core: at 16 a search's
# p95 is mostly time queued behind 15 others on this 2-core machine.
SEARCH_CONNECTIONS=${SEARCH_CONNECTIONS:-$(nproc)}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
QUERIES=${QUERIES:-1000}
SEED=${SEED:-$(( (RANDOM << 15) | RANDOM ))}
PORT=18090
for tool in wrk curl bc; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk curl)"; exit 1; }
done
if [ -n "${POSTGRES_URL:-}" ]; then
  command -v psql >/dev/null || { echo "bench: psql is missing (apt-get install postgresql-client)"; exit 1; }
fi

cargo build --release --quiet --bin dateline
bin="$target_dir"/release/dateline
work=$(mktemp -d)
server=""
pg_databases=()
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  for db in "${pg_databases[@]}"; do psql -q "$POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# generate URL N: creates the archive; sets GEN_RATE (stories/s) and GEN_BYTES (bytes per story).
generate() {
  local url=$1 n=$2 out
  # The demo prints "generated … N stories/s", then on PostgreSQL the band indexes it made.
  out=$($bin demo --stories "$n" --database "$url" 2>/dev/null | grep -E '^(generated|made) ')
  echo "$out" | sed 's/^/  /'
  out=$(echo "$out" | grep '^generated')
  GEN_RATE=$(echo "$out" | sed -n 's/.*: \([0-9]*\) stories\/s$/\1/p')
  local bytes
  if [[ $url == sqlite://* ]]; then
    local file=${url#sqlite://}
    bytes=0
    for f in "$file" "$file-wal"; do
      if [ -f "$f" ]; then bytes=$(( bytes + $(stat -c %s "$f") )); fi
    done
  else
    bytes=$(psql -At "$url" -c "SELECT pg_database_size(current_database())")
  fi
  GEN_BYTES=$(( bytes / (n + 24) ))
}

start_server() {
  DATELINE_ADMIN_PASSWORD=bench-password-123 DATELINE_LOG=warn \
    $bin serve --bind "127.0.0.1:$PORT" --database "$1" --cache false --record-cache false \
    >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$PORT/" -o /dev/null && return 0; sleep 0.5; done
  echo "bench: the server did not start"; cat "$work/server.log"; exit 1
}

stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# Canonical article paths from a few sitemap pages spread over the archive.
article_paths() {
  local pages
  pages=$(curl -fs "http://127.0.0.1:$PORT/sitemap.xml" | grep -o 'stories-[0-9]*\.xml' | sed 's/stories-\([0-9]*\)\.xml/\1/' | sort -n | tail -n 1)
  : >"$work/articles.txt"
  for page in $(printf '%s\n' 1 $((pages / 4)) $((pages / 2)) $((3 * pages / 4)) "$pages" | awk '$1 > 0' | sort -un); do
    curl -fs "http://127.0.0.1:$PORT/sitemaps/stories-$page.xml" | grep -o '<loc>[^<]*</loc>' \
      | sed -e 's#<loc>http://[^/]*##' -e 's#</loc>##' | awk 'NR % 25 == 1' >>"$work/articles.txt"
  done
  wc -l <"$work/articles.txt" | tr -d ' '
}

# measure NAME PATH PATHS_FILE CONNECTIONS MUST_CONTAIN: one wrk run; appends
# "p50 p95 p99 rps non-2xx/3xx socket-errors wrong-answers" to ROUNDS_OF[NAME].
declare -A RESULTS ROUNDS_OF
measure() {
  local name=$1 path=$2 file=$3 connections=${4:-$CONNECTIONS} must=$5 line
  local threads=$(( THREADS < connections ? THREADS : connections ))
  line=$(PATHS_FILE="$file" MUST_CONTAIN="$must" SEED="$SEED" wrk -t"$threads" -c"$connections" -d"$DURATION" -s bench/scale.lua \
    "http://127.0.0.1:$PORT$path" | grep '^RESULT' || true)
  line=${line#RESULT }
  ROUNDS_OF[$name]+="${line:-0 0 0 0 0 1 0}"$'\n'
}

# The rounds' lines in, one line out: the median of each latency and of r/s,
# and the sums of the error counts.
median_of_rounds() {
  awk 'NF { for (i = 1; i <= NF; i++) v[i, ++n[i]] = $i; cols = NF } END {
    for (i = 1; i <= cols; i++) {
      if (i <= 4) { for (j = 1; j <= n[i]; j++) c[j] = v[i, j]; asort(c); out = c[int((n[i] + 1) / 2)]; delete c }
      else { out = 0; for (j = 1; j <= n[i]; j++) out += v[i, j] }
      printf "%s%s", out, (i < cols ? " " : "\n")
    } }'
}

# run_size LABEL URL N [reuse]: generate (unless reuse), then ROUNDS times serve, measure every page and
# note memory; every figure is the median over the rounds.
run_size() {
  local label=$1 url=$2 n=$3 round
  echo "== $label: $n stories ($url)"
  if [ "${4:-}" = reuse ]; then
    echo "  an existing archive: not generated in this run"
    GEN_RATE=reused
    if [[ $url == sqlite://* ]]; then
      GEN_BYTES=$(( $(stat -c %s "${url#sqlite://}") / (n + 24) ))
    else
      GEN_BYTES=$(( $(psql -At "$url" -c "SELECT pg_database_size(current_database())") / (n + 24) ))
    fi
  else
    generate "$url" "$n"
  fi
  RESULTS[$label.rate]=$GEN_RATE
  RESULTS[$label.bytes]=$GEN_BYTES
  local search=1
  if ! bash bench/queries.sh "$url" "$QUERIES" "$SEED" >"$work/search.txt" 2>"$work/queries.log"; then
    cat "$work/queries.log"; echo "bench: could not draw search queries from $url"; exit 1
  fi
  sed 's/^/  /' "$work/queries.log"
  local pages=("article" "section front" "front page" "section feed" "search" "search c$SEARCH_CONNECTIONS")
  local rss=() peak=()
  for round in $(seq 1 "$ROUNDS"); do
    start_server "$url"
    if [ "$round" = 1 ]; then
      echo "  article URLs sampled from the sitemaps: $(article_paths)"
      if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/search?q=council")" = 404 ]; then search=""; fi
    fi
    measure "$label.article" / "$work/articles.txt" "$CONNECTIONS" "</html>"
    measure "$label.section front" /news/business "" "$CONNECTIONS" "</html>"
    measure "$label.front page" / "" "$CONNECTIONS" "</html>"
    measure "$label.section feed" /feeds/europe.rss "" "$CONNECTIONS" "</rss>"
    if [ -n "$search" ]; then
      measure "$label.search" / "$work/search.txt" "$CONNECTIONS" "$RESULTS_PAGE"
      measure "$label.search c$SEARCH_CONNECTIONS" / "$work/search.txt" "$SEARCH_CONNECTIONS" "$RESULTS_PAGE"
    fi
    rss+=("$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")")
    peak+=("$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")")
    stop_server
    echo "  round $round of $ROUNDS done (server RSS ${rss[-1]} MB, peak ${peak[-1]} MB)"
  done
  local page
  for page in "${pages[@]}"; do
    if [ -n "${ROUNDS_OF[$label.$page]:-}" ]; then
      RESULTS[$label.$page]=$(printf '%s' "${ROUNDS_OF[$label.$page]}" | median_of_rounds)
    else
      RESULTS[$label.$page]="n/a"
    fi
  done
  RESULTS[$label.rss]=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  RESULTS[$label.peak]=$(printf '%s\n' "${peak[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
}

# report SMALL BIG: the side-by-side table.
report() {
  local a=$1 b=$2
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, shared; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; caches off; median of $ROUNDS rounds; search seed $SEED"
  printf "%-15s | %-32s | %-32s | %-11s | %s\n" "" "$a p50/p95/p99 ms (r/s)" "$b p50/p95/p99 ms (r/s)" "p95 $b/$a" "target"
  for page in article "section front" "front page" "section feed" search "search c$SEARCH_CONNECTIONS"; do
    local small=${RESULTS[$a.$page]:-n/a} big=${RESULTS[$b.$page]:-n/a} target=""
    case $page in article | "front page" | "section feed") target="within 1.3x" ;; "search c"*) target="p95 < 50 ms" ;; esac
    if [ "$small" = n/a ] || [ "$big" = n/a ]; then
      if [[ $page == search* ]]; then echo "$page: not available"; continue; fi
      printf "%-15s | %-32s | %-32s |\n" "$page" "$small" "$big"; continue
    fi
    read -r s50 s95 s99 srps serr ssock swrong <<<"$small"
    read -r b50 b95 b99 brps berr bsock bwrong <<<"$big"
    local errors=""
    if [ "$serr$ssock$swrong" != 000 ] || [ "$berr$bsock$bwrong" != 000 ]; then
      errors=" FAILED (non-2xx/3xx, socket errors, wrong pages: $serr/$ssock/$swrong and $berr/$bsock/$bwrong)"
      failed_rows+=("$a/$b $page")
    fi
    printf "%-15s | %-32s | %-32s | %9.2fx | %s%s\n" "$page" "$s50/$s95/$s99 ($srps)" "$b50/$b95/$b99 ($brps)" \
      "$(echo "$b95 / $s95" | bc -l)" "$target" "$errors"
  done
  printf "%-15s | %-32s | %-32s | %9.2fx | %s\n" "server RSS MB" "${RESULTS[$a.rss]}" "${RESULTS[$b.rss]}" \
    "$(echo "${RESULTS[$b.rss]} / ${RESULTS[$a.rss]}" | bc -l)" "under 200 MB"
  printf "%-15s | %-32s | %-32s | %9.2fx |\n" "peak RSS MB" "${RESULTS[$a.peak]}" "${RESULTS[$b.peak]}" \
    "$(echo "${RESULTS[$b.peak]} / ${RESULTS[$a.peak]}" | bc -l)"
  local rate_a="${RESULTS[$a.rate]} stories/s" rate_b="${RESULTS[$b.rate]} stories/s"
  [ "${RESULTS[$b.rate]}" = reused ] && rate_b="reused (an existing archive)"
  printf "%-15s | %-32s | %-32s |\n" "generation" "$rate_a" "$rate_b"
  printf "%-15s | %-32s | %-32s |\n" "bytes/story" "${RESULTS[$a.bytes]}" "${RESULTS[$b.bytes]}"
}

failed_rows=()
# A full search results page: the list of results and the page's closing tag.
RESULTS_PAGE=$'<ol class="search-results"\t</html>'
echo "search queries: $QUERIES drawn from each archive's text, seed $SEED (SEED=$SEED repeats the draw)"

if [ "$SQLITE" = 1 ]; then
  run_size sqlite-1k "sqlite://$work/small.db" "$SMALL"
  rm -f "$work"/small.db*
  if [ -n "${SQLITE_ARCHIVE:-}" ]; then
    [ -f "$SQLITE_ARCHIVE" ] || { echo "bench: SQLITE_ARCHIVE $SQLITE_ARCHIVE is not a file"; exit 1; }
    run_size sqlite-big "sqlite://$SQLITE_ARCHIVE" "$STORIES" reuse
  else
    run_size sqlite-big "sqlite://$work/big.db" "$STORIES"
    rm -f "$work"/big.db*
  fi
  report sqlite-1k sqlite-big
fi

if [ -n "${POSTGRES_URL:-}" ]; then
  sizes="small big"
  [ -n "${POSTGRES_ARCHIVE:-}" ] && sizes=small
  for size in $sizes; do
    db=dateline_scale_$size
    pg_databases+=("$db")
    psql -q "$POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
  done
  base=${POSTGRES_URL%/*}
  run_size pg-1k "$base/dateline_scale_small" "$SMALL"
  if [ -n "${POSTGRES_ARCHIVE:-}" ]; then
    run_size pg-big "$POSTGRES_ARCHIVE" "$STORIES" reuse
  else
    run_size pg-big "$base/dateline_scale_big" "$STORIES"
  fi
  report pg-1k pg-big
fi

if [ ${#failed_rows[@]} -gt 0 ]; then
  echo "bench: FAILED rows (answers not 2xx/3xx, socket errors or wrong pages): ${failed_rows[*]}" >&2
  exit 1
fi
