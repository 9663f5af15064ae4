#!/usr/bin/env bash
# Autosave under load: WRITERS journalists (each their own reporter account, each
# on their own draft) autosaving the editor's whole form continuously for
# DURATION seconds against a release `dateline serve`, on SQLite and, with POSTGRES_URL,
# on PostgreSQL. examples/autosave_writers.rs (the client written for this)
# reports how many autosaves were answered and their p50, p99 and max latency;
# every answer must be 200 with the JSON the editor's script reads, and every
# writer's editor page must offer the typing back afterwards, or the run fails.
#
#   bash bench/autosave.sh                  (WRITERS=20 DURATION=30 PAUSE_MS=0 by default)
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/autosave.sh
#
# PAUSE_MS is how long each writer waits after an answer before the next
# autosave (0: at once; the editor's script waits seconds). Needs curl, and
# psql for POSTGRES_URL (a database dateline_bench_autosave is made and dropped).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
WRITERS=${WRITERS:-20}
DURATION=${DURATION:-30}
PAUSE_MS=${PAUSE_MS:-0}
command -v curl >/dev/null || { echo "bench: curl is missing (apt-get install curl)"; exit 1; }

cargo build --release --quiet --bin dateline --example autosave_writers
bin="$target_dir"/release/dateline
client="$target_dir"/release/examples/autosave_writers
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
EMAIL_FORMAT='writer{}@localhost.localdomain'

serve() { # PORT DATABASE_URL LOG
  DATELINE_ADMIN_PASSWORD=$PASSWORD DATELINE_LOG=warn "$bin" serve --bind "127.0.0.1:$1" --database "$2" >"$3" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$1/" -o /dev/null && return 0; sleep 0.5; done
  echo "bench: the server on port $1 did not start"; cat "$3"; exit 1
}

# The writers' accounts, made with the command line once the server has migrated the database.
writers() { # DATABASE_URL
  for n in $(seq 1 "$WRITERS"); do
    echo "$PASSWORD" | "$bin" user add "${EMAIL_FORMAT/\{\}/$n}" --role reporter --name "Writer $n" \
      --password-stdin --database "$1" >/dev/null
  done
}

run() { # NAME BASE
  echo "== $1: $WRITERS writers, $DURATION s, pause ${PAUSE_MS} ms =="
  "$client" --base "$2" --email-format "$EMAIL_FORMAT" --password "$PASSWORD" \
    --writers "$WRITERS" --seconds "$DURATION" --pause-ms "$PAUSE_MS"
}

serve 18098 "sqlite://$work/autosave.db" "$work/sqlite.log"
writers "sqlite://$work/autosave.db"
run "SQLite" http://127.0.0.1:18098
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

if [ -n "${POSTGRES_URL:-}" ]; then
  pg_db=dateline_bench_autosave
  psql -q "$POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  psql -q "$POSTGRES_URL" -c "CREATE DATABASE $pg_db" >/dev/null
  url=$(echo "$POSTGRES_URL" | sed "s#/[^/]*\$#/$pg_db#")
  serve 18099 "$url" "$work/pg.log"
  writers "$url"
  run "PostgreSQL" http://127.0.0.1:18099
fi
