#!/usr/bin/env bash
# Runs each cargo-fuzz target in fuzz/ for a bounded time and prints PASS or FAIL
# for each: a panic, a crash, an input that takes over 10 s (a hang) or 2 GB of
# memory is a FAIL, and libFuzzer saves the input under fuzz/artifacts/<target>/.
#
#   bash bench/fuzz.sh               # every target, 60 s each
#   bash bench/fuzz.sh 20            # every target, 20 s each (what CI runs)
#   bash bench/fuzz.sh 300 markup    # one target for five minutes
#
# Targets: markup (story body markup), import (legacy text/HTML pages),
# search_query (the search box's language), config (the TOML config file).
#
# Needs cargo-fuzz (cargo install cargo-fuzz --locked). cargo-fuzz wants a nightly
# compiler; on stable, RUSTC_BOOTSTRAP=1 unlocks the flags it needs. Without
# cargo-fuzz the script says SKIPPED and exits 0, except under CI=true, where a
# missing fuzzer is a failure. No sanitizer: Dateline has no unsafe code, so it
# looks for panics (with overflow checks and debug assertions on), hangs and
# runaway memory.
#
# Each target's corpus grows in fuzz/corpus/<target> (not committed), seeded from
# fuzz/seeds/<target>, the demo stories' bodies and the import fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-${FUZZ_SECONDS:-60}}
shift || true
ALL_TARGETS=(markup import search_query config)
TARGETS=("${@:-${ALL_TARGETS[@]}}")

if ! cargo fuzz --version >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "fuzz: FAIL: cargo-fuzz is not installed (cargo install cargo-fuzz --locked)"
    exit 1
  fi
  echo "fuzz: SKIPPED: cargo-fuzz is not installed (cargo install cargo-fuzz --locked)"
  exit 0
fi
export RUSTC_BOOTSTRAP=1
FLAGS=(--sanitizer none --debug-assertions)

# Seeds that live elsewhere in the repository: every body of every demo story,
# and the import fixtures (the first byte of an import input is the "file name
# says HTML" hint: 0 for .txt, 1 for .html).
seed() {
  mkdir -p fuzz/corpus/markup fuzz/corpus/import fuzz/corpus/search_query fuzz/corpus/config
  for story in demo/stories/*.toml; do
    awk -v out="fuzz/corpus/markup/demo-$(basename "$story" .toml)" \
      '/^body = """$/ { n++; inside = 1; next } /^"""$/ { inside = 0; next }
       inside { print > (out "-" n ".md") }' "$story"
  done
  for page in tests/fixtures/import/*; do
    case "$page" in *.html | *.htm) hint=1 ;; *) hint=0 ;; esac
    { printf '%s' "$hint"; cat "$page"; } >"fuzz/corpus/import/fixture-$(basename "$page")"
  done
  while read -r word; do
    printf '%s' "$word" >"fuzz/corpus/search_query/word-$word"
  done <bench/search-words.txt
}
seed

echo "fuzz: building the fuzz targets (fuzz/target; the first build takes minutes)"
start=$(date +%s)
if ! build_log=$(cd fuzz && cargo fuzz build "${FLAGS[@]}" 2>&1); then
  printf '%s\n' "$build_log" | tail -n 30
  echo "fuzz: FAIL: the fuzz targets do not build"
  exit 1
fi
echo "fuzz: built in $(($(date +%s) - start)) s; running each target for ${SECONDS_PER_TARGET} s"

failed=0
summary=()
for target in "${TARGETS[@]}"; do
  log=$(mktemp)
  status=0
  (cd fuzz && cargo fuzz run "${FLAGS[@]}" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1) >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    line="PASS  $target: ${runs:-?} runs in ${SECONDS_PER_TARGET} s (${rate:-?}/s), corpus $corpus inputs"
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    line="FAIL  $target: exit $status after ${runs:-?} runs; input saved as fuzz/${artifact:-artifacts/$target/}"
    echo "---- $target: last lines of the fuzzer's output ----"
    grep -v '^#[0-9]' "$log" | tail -n 30
  fi
  summary+=("$line")
  rm -f "$log"
done

echo "---- fuzz summary (${SECONDS_PER_TARGET} s per target) ----"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAIL (reproduce: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run ${FLAGS[*]} TARGET INPUT)"
  exit 1
fi
echo "fuzz: PASS"
