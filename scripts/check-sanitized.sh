#!/usr/bin/env bash
# The checked build (build-checked/, clang): the core and CLI tests again under AddressSanitizer +
# UndefinedBehaviorSanitizer, any finding fatal, then every libFuzzer target of tests/fuzz for
# its time budget (QCI_FUZZ_SECONDS each). ./test.sh runs it after the plain tests.
# With arguments it only builds and runs ctest with them (e.g. -L fuzz, or -R Checkpoint).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build-checked/CMakeCache.txt ]; then
  # -O1 keeps the tests fast enough and stack traces honest; line tables give file:line.
  CC=clang CXX=clang++ cmake -S . -B build-checked -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" \
    -DQCI_FUZZ=ON -DQCI_BUILD_GUI=OFF -DQCI_BUILD_BENCH=OFF
fi
cmake --build build-checked
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
jobs=$(nproc)
if [ $# -gt 0 ]; then
  exec ctest --test-dir build-checked --output-on-failure --timeout 900 -j"$jobs" "$@"
fi
cd build-checked
mkdir -p sanitized-logs
rm -f sanitized-logs/*.log

# Each test program runs in `jobs` GoogleTest shards side by side, one process per shard: an
# instrumented process that loads LibTorch takes seconds to start, which once per test (as ctest
# runs them) would cost most of an hour.
start_shards() {  # program [gtest arguments...]; appends "log pid" pairs to `running`
  local program=$1
  shift
  for ((shard = 0; shard < jobs; shard++)); do
    local log=sanitized-logs/$program.$shard.log
    GTEST_TOTAL_SHARDS=$jobs GTEST_SHARD_INDEX=$shard bin/$program --gtest_brief=1 "$@" >"$log" 2>&1 &
    running+=("$log $!")
  done
}
running=()
# BootstrapCoverage is left out here: it refits Eigen's Levenberg-Marquardt 24,000 times (200
# simulations x 121 fits), 35 s in the plain build and unfinished after 7 min at -O1 under ASan.
# The same fitting and resampling code runs under the sanitizers in AgreementStatistics.*.
start_shards core_tests --gtest_filter=-BootstrapCoverage.*
start_shards cli_tests
status=0
for entry in "${running[@]}"; do
  read -r log pid <<<"$entry"
  if wait "$pid"; then
    echo "$log: $(grep -h "PASSED" "$log" || echo passed)"
  else
    status=1
    echo "$log: FAILED under the sanitizers:"
    tail -n 80 "$log"
  fi
done
ctest --output-on-failure --timeout 900 -j"$jobs" -L fuzz || status=1
exit $status
