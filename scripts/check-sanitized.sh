#!/usr/bin/env bash
# The checked build (build-checked/, clang): the core and CLI tests again under AddressSanitizer +
# UndefinedBehaviorSanitizer, any finding fatal, then every libFuzzer target of tests/fuzz for
# its time budget (QCI_FUZZ_SECONDS, 45 s each). Run by hand; not yet part of test.sh.
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
if [ $# -gt 0 ]; then
  exec ctest --test-dir build-checked --output-on-failure --timeout 900 "$@"
fi
# Each test program runs whole, in one process: an instrumented process that loads LibTorch takes
# seconds to start, which once per test (as ctest runs them) would cost most of an hour.
cd build-checked
status=0
bin/core_tests --gtest_brief=1 > core_tests.log 2>&1 & core=$!
bin/cli_tests --gtest_brief=1 > cli_tests.log 2>&1 & cli=$!
wait $core || { status=1; echo "core_tests failed under the sanitizers:"; tail -n 80 core_tests.log; }
wait $cli || { status=1; echo "cli_tests failed under the sanitizers:"; tail -n 80 cli_tests.log; }
grep -h "tests ran\|PASSED\|FAILED" core_tests.log cli_tests.log || true
ctest --output-on-failure --timeout 900 -L fuzz || status=1
exit $status
