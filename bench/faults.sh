#!/usr/bin/env bash
# Fault injection against the real binary (tests/it/faults/), with a PASS/FAIL summary:
#   - kill -9 of `dateline serve` during a storm of newsroom creates, saves and
#     publishes, then a restart on the same database, on SQLite and PostgreSQL
#     (every acknowledged write present as sent, every story consistent, SQLite's
#     integrity_check ok);
#   - a full disk (a small tmpfs) and a read-only database (a read-only bind mount);
#   - PostgreSQL itself stopped and started under reads and writes (the
#     machine's cluster, with pg_ctlcluster: run as root, with nothing else using
#     PostgreSQL).
#
#   bash bench/faults.sh            3 kills x 5 s storms of 8 writers, outage >= 5 s
#   QUICK=1 bash bench/faults.sh    what CI runs after `cargo test`: the restart alone, outage >= 3 s
# (the outage lasts until what the test asserts has been seen, at most 20 s)
#
# The short kill and disk tests also run in `cargo test` (one kill after a 1.5 s
# storm of 6 writers); this runs them longer. QUICK leaves them out: CI has just
# run them in `cargo test`, and a storm of the same size again would add
# nothing but time. The restart is the one fault `cargo test` cannot run (it
# stops the cluster every other test uses), so it is ignored there and run here.
# Needs DATABASE_URL=postgres://… (default postgres://postgres@127.0.0.1:5432/test).
set -uo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if [ "${QUICK:-0}" = 1 ]; then
  export FAULTS_WORKERS=${FAULTS_WORKERS:-6} FAULTS_OUTAGE_MS=${FAULTS_OUTAGE_MS:-3000}
else
  export FAULTS_ROUNDS=${FAULTS_ROUNDS:-3} FAULTS_STORM_MS=${FAULTS_STORM_MS:-5000} FAULTS_WORKERS=${FAULTS_WORKERS:-8}
  export FAULTS_OUTAGE_MS=${FAULTS_OUTAGE_MS:-5000}
fi
cluster=$(ls /etc/postgresql 2>/dev/null | head -n1)
postgres_up() {
  pg_isready -q -h 127.0.0.1 -p 5432 && return 0
  echo "faults: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  return 1
}
# Whatever happens, PostgreSQL is left running.
trap 'postgres_up >/dev/null 2>&1 || echo "faults: PostgreSQL is NOT running"' EXIT
postgres_up || { echo "faults: FAIL (PostgreSQL is not running)"; exit 1; }

cargo test --quiet --test it --no-run 2>&1 | grep -v '^$' || true
log=$(mktemp)
status=0
run() { # name, cargo test arguments…
  local name=$1; shift
  echo "faults: running $name"
  if ! cargo test --quiet --test it "$@" >"$log" 2>&1; then
    status=1
    echo "faults: $name FAILED:"
    # The panic's message is on the lines after "panicked at".
    grep -E -A4 "panicked|problem|assert|FAIL|^\s+(left|right)" "$log" | head -n 60
  fi
  grep -o 'faults: .*' "$log" || true
  grep 'SKIPPED' "$log" || true
}

if [ "${QUICK:-0}" = 1 ]; then
  echo "faults: kill -9 storms and disk faults left out (QUICK: \`cargo test\` runs them)"
else
  run "kill -9 storms and disk faults" faults:: -- --test-threads=1
fi

# Stopping PostgreSQL breaks any other test run using it. Locally, wait for them to
# end. CI runs its steps one at a time, so it does not wait: a CI run once waited
# 2 x 10 minutes here for a process that matched but was not a test run. The
# processes that match are printed either way.
other_test_runs() { pgrep -af '/deps/it-[0-9a-f]+( |$)|(^| )cargo test( |$)' | grep -v "^$$ " || true; }
others=$(other_test_runs)
if [ -n "$others" ]; then
  echo "faults: other test runs:"; echo "$others" | cut -c1-200 | sed 's/^/faults:   /'
fi
if [ "${CI:-}" = true ]; then
  others=""
else
  for _ in $(seq 1 120); do
    others=$(other_test_runs)
    [ -z "$others" ] && break
    [ "${waited:-}" ] || { echo "faults: waiting for them to finish before stopping PostgreSQL"; waited=1; }
    sleep 5
  done
fi
if [ -n "${others:-}" ]; then
  echo "faults: other test runs still use PostgreSQL; not stopping it"; status=1
else
  run "PostgreSQL restart under load" faults::pg_restart -- --ignored --exact faults::pg_restart::postgres_restart_under_load
fi
postgres_up || status=1
rm -f "$log"
if [ "$status" = 0 ]; then echo "faults: PASS"; else echo "faults: FAIL"; fi
exit "$status"
