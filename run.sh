#!/usr/bin/env bash
# Installs what is missing, builds, and starts QualiCLIP Inspector on the given images or folders.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/install-deps.sh
qci_install_deps
scripts/build.sh qualiclip qualiclip-inspector
cd - >/dev/null
exec "$(dirname "$0")/build/bin/qualiclip-inspector" "$@"
