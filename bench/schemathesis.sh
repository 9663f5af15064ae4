#!/usr/bin/env bash
# Schemathesis against the Content API of the real binary: builds
# target/debug/dateline, serves a fresh SQLite database (the demo newsroom) on a
# free port, and lets Schemathesis generate requests from /api/openapi.json.
# Every response must be no 5xx, have a status, content type, headers and body
# the document describes; invalid parameters must be refused, other methods
# answered 405 (every Schemathesis check but positive_data_acceptance, which
# expects any string the schema allows to be accepted: an unknown section or a
# malformed date is a 400 the document cannot list). Prints PASS or FAIL and
# stops the server.
#
#   bash bench/schemathesis.sh            # up to 100 examples per operation
#   MAX_EXAMPLES=30 bash bench/schemathesis.sh
#   SEED=1 bash bench/schemathesis.sh     # the same requests every run (CI)
#   BIN=target/debug/dateline bash bench/schemathesis.sh   # no cargo build
#
# Needs Schemathesis (pip install schemathesis). Without it the script says
# SKIPPED and exits 0, except under CI=true, where it is a failure. The report
# (JUnit XML) is left in target/schemathesis/.
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo puts the binaries under CARGO_TARGET_DIR when it is set.
target_dir=${CARGO_TARGET_DIR:-target}
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
SEED=${SEED:-}

if ! command -v schemathesis >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "schemathesis: FAIL: schemathesis is not installed (pip install schemathesis)"
    exit 1
  fi
  echo "schemathesis: SKIPPED: schemathesis is not installed (pip install schemathesis)"
  exit 0
fi

# BIN: an already built binary (CI passes the one `cargo test` built; `cargo build`
# would build it again with other features, for minutes).
if [ -n "${BIN:-}" ]; then
  bin=$BIN
else
  cargo build --quiet --bin dateline
  bin="$target_dir"/debug/dateline
fi
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export DATELINE_DATABASE="sqlite://$work/dateline.db"
export DATELINE_LOG=${DATELINE_LOG:-warn}

# A key whose limit Schemathesis never reaches, so every answer is a real one
# rather than 429 (the anonymous limit is 120 a minute).
key=$("$bin" api-key add schemathesis --per-minute 1000000 | tail -n 1)

"$bin" serve --bind 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 240); do
  url=$(sed -n 's|^Dateline is serving \(http://[^/]*\)/.*|\1|p' "$work/serve.log")
  [ -n "$url" ] && curl -fs "$url/readyz" -o /dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; echo "schemathesis: FAIL: the server did not start"; exit 1; }
  sleep 0.5
done
curl -fs "$url/readyz" -o /dev/null || { cat "$work/serve.log"; echo "schemathesis: FAIL: $url/readyz never answered"; exit 1; }
echo "schemathesis: server at $url"

mkdir -p target/schemathesis
status=0
start=$(date +%s)
schemathesis run "$url/api/openapi.json" \
  --checks "${CHECKS:-all}" --exclude-checks positive_data_acceptance \
  --header "X-Api-Key: $key" \
  --max-examples "$MAX_EXAMPLES" \
  ${SEED:+--seed "$SEED"} \
  --workers 2 \
  --request-timeout 10 \
  --report junit --report-junit-path target/schemathesis/junit.xml \
  || status=$?
echo "schemathesis: ran for $(($(date +%s) - start)) s"

if grep -q "panicked" "$work/serve.log"; then
  grep -n "panicked" "$work/serve.log" | head
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "---- server log (errors) ----"
  grep -Ei "error|panic" "$work/serve.log" | tail -n 20 || true
  echo "schemathesis: FAIL"
  exit 1
fi
echo "schemathesis: PASS"
