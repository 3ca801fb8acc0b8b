#!/usr/bin/env bash
# The Debian package as a user's machine sees it; one step per CTest test (ctest -L package).
#   check_package.sh STEP BUILD_DIR SOURCE_DIR ORACLE_DIR
# build: cpack -G DEB into BUILD_DIR/package (the fixture the other steps need)
# lintian: no error and no warning (remaining ones must be overridden with a reason)
# appstream, desktop: the metadata in the package validates (no network)
# run: the extracted qualiclip prints its versions and scores an oracle image as the reference
# apt: apt-get --simulate resolves the package's dependencies on this Debian
set -euo pipefail
step=$1 build=$2 source=$3 oracle=$4
package_dir=$build/package

fail() { echo "FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 is missing (Debian: $2; scripts/install-deps.sh installs it)"; }
the_deb() {
  local debs=("$package_dir"/qualiclip-inspector_*.deb)
  [ -f "${debs[0]}" ] || fail "no package in $package_dir (the package.build test makes it)"
  echo "${debs[0]}"
}
extracted_root() {  # the package's files under a fresh folder, removed when the step ends
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  dpkg-deb -x "$(the_deb)" "$root"
}

case $step in
build)
  need cpack cmake; need dpkg-shlibdeps dpkg-dev
  rm -rf "$package_dir"
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$package_dir"
  deb=$(the_deb)
  dpkg-deb --info "$deb"
  dpkg-deb --contents "$deb"
  ;;
lintian)
  need lintian lintian
  # --fail-on: an error or a warning fails; overrides in the package say why each is accepted.
  lintian --fail-on error,warning --display-info --show-overrides "$(the_deb)"
  ;;
appstream)
  need appstreamcli appstream
  extracted_root
  shopt -s nullglob
  files=("$root"/usr/share/metainfo/*.metainfo.xml)
  [ ${#files[@]} -eq 1 ] || fail "expected one metainfo file in the package, found ${#files[@]}"
  appstreamcli validate --no-net --explain "${files[0]}"
  ;;
desktop)
  need desktop-file-validate desktop-file-utils
  extracted_root
  file=$root/usr/share/applications/qualiclip-inspector.desktop
  [ -f "$file" ] || fail "the package has no usr/share/applications/qualiclip-inspector.desktop"
  out=$(desktop-file-validate "$file" 2>&1) || fail "desktop-file-validate: $out"
  [ -z "$out" ] || fail "desktop-file-validate reports: $out"
  icon=$(sed -n 's/^Icon=//p' "$file")
  [ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "Icon=$icon is not in the package"
  ;;
run)
  extracted_root
  model=$oracle/tiny_qualiclip.pth
  [ -f "$model" ] || fail "the conformance model $model is missing (QCI_ORACLE_DIR)"
  version=$(QUALICLIP_MODEL=$model XDG_DATA_HOME=$root/data "$root/usr/bin/qualiclip" --version)
  echo "$version"
  grep -q "^Model: $model, sha256 $(sha256sum "$model" | cut -d' ' -f1)\$" <<<"$version" ||
    fail "qualiclip --version does not name the model and its SHA-256"
  image=$oracle/images/scene_512x384.png
  row=$("$root/usr/bin/qualiclip" score --no-catalog --model "$model" "$image")
  echo "$row"
  # The official code's score of this image, to the 1e-5 the conformance tests allow.
  python3 - "$oracle/expected.json" "$row" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))["images"]["scene_512x384"]["score"]
got = json.loads(sys.argv[2])["score"]
print(f"packaged qualiclip: {got:.6f}, reference: {expected:.6f}")
sys.exit(0 if abs(got - expected) < 1e-5 else 1)
PY
  ;;
apt)
  need apt-get apt
  # A path with ./ makes apt read the file; --simulate needs no root and installs nothing.
  deb=$(the_deb)
  (cd "$(dirname "$deb")" && apt-get install --simulate -q "./$(basename "$deb")")
  ;;
*)
  fail "unknown step '$step'"
  ;;
esac
