#!/usr/bin/env bash
# Installs what is missing, builds, and starts QualiCLIP Inspector on the given images or folders.
# Relative paths are taken from where you call it.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
source "$root/scripts/install-deps.sh"
qci_install_deps
"$root/scripts/build.sh" --target qualiclip qualiclip-inspector
exec "$root/build/bin/qualiclip-inspector" "$@"
