#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (GoogleTest + QtTest through CTest), then
# the checked build: the core and CLI tests under the sanitizers and each fuzz target for its budget.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/install-deps.sh
qci_install_deps
scripts/build.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure --timeout 900 -j"$(nproc)"
# The same core and CLI tests under AddressSanitizer + UndefinedBehaviorSanitizer, then the fuzzers.
scripts/check-sanitized.sh
