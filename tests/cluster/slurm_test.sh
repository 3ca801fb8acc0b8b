#!/usr/bin/env bash
# Issue #16 against a real Slurm: starts a one-node cluster here (slurm_cluster.sh), runs
# `qualiclip slurm --shards 4 -- score ...` over a folder of test images, waits for the merge job
# and checks the merged file against a single-process run (same paths, scores within 1e-6). Then
# the fault: one array task is cancelled part-way, run again (it resumes its shard), and the
# merge must again be complete, with no duplicated and no missing rows.
#
# Usage: slurm_test.sh QUALICLIP ORACLE_DIR. Exit 77 (CTest: skipped, and it says why) when not
# root or Slurm is not installed, except under CI (CI set), where that is a failure.
set -euo pipefail

qualiclip=$1
oracle=$2
here=$(cd "$(dirname "$0")" && pwd)
copies=4         # of each of the oracle's 8 images
large_images=10  # 1600 x 1200, all in the shard of the task that is cancelled

skip() {
  if [ -n "${CI:-}" ]; then echo "FAIL (CI): $1" >&2; exit 1; fi
  echo "SKIP: $1" >&2
  exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root to start slurmd"
for tool in munged mungekey slurmctld slurmd sbatch squeue scancel scontrol sinfo; do
  command -v "$tool" >/dev/null || skip "$tool not installed (scripts/install-deps.sh installs slurm-wlm and munge)"
done
[ -f "$oracle/tiny_qualiclip.pth" ] || skip "oracle model not found in $oracle"

# shellcheck source=tests/cluster/slurm_cluster.sh
source "$here/slurm_cluster.sh"
work=$(mktemp -d /tmp/qci-slurm-test-XXXXXX)
cleanup() {
  local status=$?
  qci_slurm_stop
  if [ "$status" -ne 0 ]; then
    echo "--- logs (kept in $work) ---" >&2
    tail -n 20 "$work"/cluster/*.log "$work"/*/logs/*.log >&2 2>/dev/null || true
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT
qci_slurm_start "$work/cluster"
cd "$work"

mkdir data
for k in $(seq 1 "$copies"); do
  for image in "$oracle"/images/*.png; do cp "$image" "data/$k-$(basename "$image")"; done
done
# The task to cancel gets large images (about a second each), so that it is still running when
# it is cancelled. A name's shard is the first 8 bytes of SHA-256(name), big-endian, modulo 4:
# with 4 dividing 2^64, that is the 16th hex digit modulo 4 (the same rule, computed apart from
# the program).
victim=2
big=0
{ printf 'P6\n1600 1200\n255\n'; head -c $((1600 * 1200 * 3)) /dev/urandom; } >large.ppm
for k in $(seq 1 200); do
  name="large-$k.ppm"
  digest=$(printf '%s' "$name" | sha256sum)
  if [ $((16#${digest:15:1} % 4)) -eq "$victim" ]; then cp large.ppm "data/$name"; big=$((big + 1)); fi
  [ "$big" -lt "$large_images" ] || break
done
total=$((copies * 8 + big))
model="$oracle/tiny_qualiclip.pth"

# Waits until job $1 has left the queue (bounded by $2 seconds), then prints its final state.
job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1; }
wait_gone() {
  qci_wait_for "$2" "job $1 to finish" bash -c "[ -z \"\$(squeue -h -j $1 2>/dev/null)\" ]"
}
# Number of rows in file $1 (0 when absent).
rows() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# Same paths, every score within 1e-6, no path twice: checked with the program's own output
# against a single-process run, in awk so that nothing of the program under test is used.
same_scores() {
  awk -v tol=1e-6 '
    function field(line, name,   m) {
      if (match(line, "\"" name "\":(\"[^\"]*\"|[-0-9.eE+]+|null)")) {
        m = substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 3); gsub(/"/, "", m); return m }
      return "" }
    FNR == 1 { file++ }
    { p = field($0, "path"); s = field($0, "score")
      if (file == 1) { want[p] = s; n++ }
      else { if (p in got) { print "duplicated: " p; bad = 1 } got[p] = s; m++ } }
    END {
      for (p in want) {
        if (!(p in got)) { print "missing: " p; bad = 1; continue }
        d = want[p] - got[p]; if (d < 0) d = -d
        if (want[p] == "null" || got[p] == "null" || d > tol) { print "score differs: " p " " want[p] " " got[p]; bad = 1 }
      }
      for (p in got) if (!(p in want)) { print "unexpected: " p; bad = 1 }
      if (n != m) { print n " rows expected, " m " merged"; bad = 1 }
      exit bad }' "$1" "$2"
}

echo "== single-process run of $total images"
"$qualiclip" score --model "$model" --no-catalog --output single.jsonl data
[ "$(rows single.jsonl)" -eq "$total" ]

echo "== qualiclip slurm --shards 4"
"$qualiclip" slurm --shards 4 --time 00:10:00 -- score --model "$model" --output all.jsonl data | tee submit.txt
array=$(sed -n 's/^score array job \([0-9]*\).*/\1/p' submit.txt)
merge=$(sed -n 's/^merge job \([0-9]*\).*/\1/p' submit.txt)
[ -n "$array" ] && [ -n "$merge" ]
wait_gone "$merge" 240
state=$(job_state "$merge")
[ "$state" = COMPLETED ] || { echo "merge job $merge ended $state" >&2; exit 1; }
same_scores single.jsonl all.jsonl
echo "merged file matches the single-process run"

echo "== fault: cancel one task part-way, run it again with --resume"
"$qualiclip" slurm --shards 4 --job-dir faulty -- score --model "$model" --output faulty.jsonl data | tee submit2.txt
array=$(sed -n 's/^score array job \([0-9]*\).*/\1/p' submit2.txt)
merge=$(sed -n 's/^merge job \([0-9]*\).*/\1/p' submit2.txt)
qci_wait_for 120 "task $victim to write its first rows" bash -c "[ \"\$(wc -l <faulty/shard-$victim.jsonl.part 2>/dev/null || echo 0)\" -ge 2 ]"
scancel "${array}_${victim}"
qci_wait_for 120 "task $victim to stop" bash -c "[ -z \"\$(squeue -h -j ${array}_${victim} 2>/dev/null)\" ]"
wait_gone "$array" 180
partial=$(rows "faulty/shard-$victim.jsonl.part")
echo "task $victim cancelled after $partial rows"
[ ! -f "faulty/shard-$victim.jsonl" ] || { echo "task $victim finished before it was cancelled" >&2; exit 1; }
[ "$partial" -gt 0 ]
# Its merge can never run now (afterok): Slurm keeps it pending until it is cancelled.
scancel "$merge"
[ ! -f faulty.jsonl ]

array2=$(sbatch --parsable --array="$victim" faulty/score-array.sbatch | cut -d';' -f1)
merge2=$(sbatch --parsable --dependency="afterok:$array2" faulty/merge.sbatch | cut -d';' -f1)
wait_gone "$merge2" 180
state=$(job_state "$merge2")
[ "$state" = COMPLETED ] || { echo "merge job $merge2 after the rerun ended $state" >&2; exit 1; }
[ "$(rows "faulty/shard-$victim.jsonl")" -gt "$partial" ]
same_scores single.jsonl faulty.jsonl
echo "after the rerun: complete, no duplicates, no missing rows"
