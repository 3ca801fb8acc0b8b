#!/usr/bin/env bash
# Installs the Debian 12 packages the project needs, only those that are missing.
# Sourced by run.sh and test.sh; safe to run on its own.
set -euo pipefail

QCI_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-pthread   # LibTorch 1.13 CPU; OpenBLAS instead of the reference BLAS (10x)
  qt6-base-dev libqcustomplot-dev     # Qt 6 Widgets, Network; QCustomPlot (CMake: QCustomPlotQt6)
  libopencv-dev                       # image decoding
  libraw-dev                          # camera RAW files (CR2/CR3, NEF, ARW, RAF, ORF, RW2, PEF, DNG ...): previews and demosaic
  libheif-dev                         # HEIF/HEIC and AVIF; Debian 12's libheif1 carries its libde265, x265, aom and dav1d codecs
  libtiff-dev                         # a TIFF's size as its decoder reads it (core/images/TiffHeader); the tests' DNG writer
  nlohmann-json3-dev                  # JSON with ordered keys for CLI output
  libeigen3-dev                       # Levenberg–Marquardt for the VQEG logistic fit (Eigen's unsupported NonLinearOptimization module)
  libgtest-dev                        # core tests
  libsqlite3-dev                      # the catalog of scores and decisions (embedded, WAL, transactions)
  libexiv2-dev                        # XMP sidecars, the library darktable and digiKam use
  libssl-dev                          # SHA-256 of model files through OpenSSL (the SHA extensions: 4x Qt's)
  zlib1g-dev                          # CLIP's tokenizer reads the gzipped BPE vocabulary (bpe_simple_vocab_16e6.txt.gz)
  libicu-dev                          # CLIP's tokenizer: Unicode letter/number classes and lower-casing as Python's
  xvfb xauth                          # screenshots of the window under a virtual display
  qt6-svg-dev                         # the application icon (SVG) rendered for the window and About
  python3-docutils                    # rst2man: the manual pages from docs/man/*.rst
  lintian appstream desktop-file-utils  # package checks (ctest -L package): lintian, AppStream, desktop entry
  clang libclang-rt-14-dev libfuzzer-14-dev  # the checked build (scripts/check-sanitized.sh): ASan + UBSan, libFuzzer targets
  slurm-wlm munge                     # tests/cluster/slurm_test.sh starts a real one-node Slurm cluster (issue #16)
)

qci_missing_packages() {
  local missing=()
  for p in "${QCI_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

qci_install_deps() {
  local missing
  missing=$(qci_missing_packages)
  [ -z "$missing" ] && return 0
  echo "Installing missing packages: $missing"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then qci_install_deps; fi
