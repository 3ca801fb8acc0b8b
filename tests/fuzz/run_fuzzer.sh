#!/usr/bin/env bash
# Runs one libFuzzer program for a fixed time: run_fuzzer.sh PROGRAM SEEDS REGRESSIONS SECONDS.
# It starts from the seeds and the saved regression inputs (in a scratch corpus, so the source
# tree is never written). A crash, leak, timeout (10 s on one input) or more than 2 GiB fails;
# the input that did it is kept and named so it can become a regression input.
set -euo pipefail
program=$1 seeds=$2 regressions=$3 seconds=$4
name=$(basename "$program")
work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
trap 'rm -rf "$work/corpus"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
cp -r "$seeds"/. "$work/corpus/" 2>/dev/null || true
find "$regressions" -type f ! -name README.md -exec cp {} "$work/corpus/" \;
if ! "$program" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -seed=1 \
     -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" 2>"$work/log"; then
  tail -n 60 "$work/log"
  echo "FUZZ FINDING in $name: the input is kept in $work/artifacts/:"
  ls -l "$work/artifacts/"
  echo "Add it under $(basename "$(dirname "$regressions")")/regressions/$(basename "$regressions")/ once fixed."
  exit 1
fi
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ +DONE" "$work/log" || tail -n 3 "$work/log"
rm -rf "$work"
