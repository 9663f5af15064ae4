#!/usr/bin/env bash
# Search alone, against an archive that already exists (generating a million
# stories takes minutes; bench/scale.sh makes and drops its own). Serves
# DATABASE with the page and record caches off, warms up for 5 s, prints each
# query of bench/search-words.txt timed once with curl, then loads the mix with
# wrk at SEARCH_CONNECTIONS connections and prints p50 / p95 / p99 and r/s.
#
#   dateline demo --stories 1000000 --database postgres://postgres@127.0.0.1:5432/dl_big
#   DATABASE=postgres://postgres@127.0.0.1:5432/dl_big bash bench/search.sh
#   DURATION=10s SEARCH_CONNECTIONS=2      wrk settings (defaults shown)
#   BIN=path/to/dateline                    serve another build (to compare two commits)
#
# Needs wrk and curl (Debian: apt-get install wrk curl).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
: "${DATABASE:?set DATABASE to the database URL of an existing archive}"
DURATION=${DURATION:-10s}
SEARCH_CONNECTIONS=${SEARCH_CONNECTIONS:-$(nproc)}
PORT=18091
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk curl)"; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN="$target_dir/release/dateline"
fi
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

DATELINE_ADMIN_PASSWORD=bench-password-123 DATELINE_LOG=warn \
  "$BIN" serve --bind "127.0.0.1:$PORT" --database "$DATABASE" \
  --cache false --record-cache false >"$work/server.log" 2>&1 &
server=$!
started=""
for _ in $(seq 1 240); do
  if curl -fs "http://127.0.0.1:$PORT/" -o /dev/null; then started=1; break; fi
  sleep 0.5
done
if [ -z "$started" ]; then echo "bench: the server did not start"; cat "$work/server.log"; exit 1; fi

sed 's#^#/search?q=#' bench/search-words.txt >"$work/search.txt"
PATHS_FILE="$work/search.txt" wrk -t1 -c1 -d5s -s bench/scale.lua "http://127.0.0.1:$PORT/" >/dev/null
echo "one at a time (curl, seconds):"
while read -r query; do
  curl -s -o /dev/null -w "  $query %{time_total}\n" "http://127.0.0.1:$PORT/search?q=$query"
done <bench/search-words.txt
threads=$(( SEARCH_CONNECTIONS < 2 ? SEARCH_CONNECTIONS : 2 ))
line=$(PATHS_FILE="$work/search.txt" wrk -t"$threads" -c"$SEARCH_CONNECTIONS" -d"$DURATION" \
  -s bench/scale.lua "http://127.0.0.1:$PORT/" | grep '^RESULT' || true)
read -r p50 p95 p99 rps failed socket <<<"${line#RESULT }"
echo "search, $SEARCH_CONNECTIONS connections, $DURATION: p50 $p50 ms, p95 $p95 ms, p99 $p99 ms, $rps r/s; $failed answers not 2xx/3xx, $socket socket errors"
