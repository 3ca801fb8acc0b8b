#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets: make_seeds.sh SEEDS_PROGRAM QUALICLIP ORACLE OUT.
# Images, sidecars, MOS tables and prompt files come from the project's own writers
# (qci_fuzz_seeds); checkpoints from the oracle's files (whole archives and their pickles);
# a shard output from a real `qualiclip score` run.
set -euo pipefail
seeds_program=$1 qualiclip=$2 oracle=$3 out=$4
rm -rf "$out"
mkdir -p "$out/checkpoint" "$out/shard_output"
"$seeds_program" "$out"

cp "$oracle/qualiclip_plus_params.pth" "$out/checkpoint/qualiclip_plus_params.pth"
python3 - "$oracle" "$out/checkpoint" <<'PY'
import sys, zipfile, pathlib
oracle, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for name in ("tiny_qualiclip.pth", "qualiclip_plus_params.pth", "text_multihead_qualiclip.pth"):
    with zipfile.ZipFile(oracle / name) as z:
        pickle = next(n for n in z.namelist() if n.endswith("/data.pkl"))
        (out / (name + ".pkl")).write_bytes(z.read(pickle))
PY

"$qualiclip" score --model "$oracle/tiny_qualiclip.pth" --format jsonl --output "$out/shard_output/real.jsonl" \
  "$(ls "$oracle"/images/* | head -1)" /nonexistent/missing.jpg >/dev/null 2>&1 || true
test -s "$out/shard_output/real.jsonl"
echo "seeds: $(find "$out" -type f | wc -l) files in $out"
