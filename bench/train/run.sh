#!/usr/bin/env bash
# bench/train — training speed of consentry's GPT-2 against PyTorch's, in one
# run, on the same machine, both on OMP_NUM_THREADS=2 (torch.set_num_threads(2)).
#
# usage: bench/train/run.sh [ROUNDS] [STEPS]        (defaults 5 rounds of 5 steps)
# env:   BUILD   the CMake build folder holding libconsentry.a (default build/)
#        PYTHON  a Python with torch (default /usr/bin/python3, Debian's python3-torch)
#        BASE    0 skips the `base` GFLOP/s rounds (default 1)
#
# Each round times `small` (4 layers, 4 heads, 128 wide, context 128, vocab
# 256, batch 16: the architecture, batch and optimizer of bench_torch.py) in
# consentry, then in PyTorch, one after the other, so that both see the same
# load; then `base` in consentry for GFLOP/s. Prints every round, the medians,
# the ratio of the medians and the median of the per-round ratios (the figure
# to trust on a shared machine). Goals: ratio >= 1.5, base >= 150 GFLOP/s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$root/build}
py=${PYTHON:-/usr/bin/python3}
rounds=${1:-5}; steps=${2:-5}; base=${BASE:-1}
export OMP_NUM_THREADS=2

"$py" -c 'import torch' 2>/dev/null || { echo "run.sh: $py has no torch (set PYTHON)" >&2; exit 1; }
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" >/dev/null
make -s -C "$build" -j2 consentry_lib >/dev/null
bench=$build/bench_model
if [ ! -x "$bench" ] || [ "$bench" -ot "$build/libconsentry.a" ] ||
   [ "$bench" -ot "$root/bench/train/bench_model.c" ]; then
  # shellcheck disable=SC2046  # pkg-config's flags are words
  cc -O2 -std=c17 -D_GNU_SOURCE -fopenmp -I"$root/include" "$root/bench/train/bench_model.c" \
    "$build/libconsentry.a" $(pkg-config --libs json-c openblas) -lm -o "$bench"
fi

# field NAME LINE -> the word before NAME in LINE
field() { awk -v k="$1" '{ for (i = 2; i <= NF; i++) if ($i == k) { print $(i - 1); exit } }' <<<"$2"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cs_tps=(); th_tps=(); ratios=(); gflops=()
echo "bench/train: $rounds rounds of $steps steps, OMP_NUM_THREADS=$OMP_NUM_THREADS, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  c=$("$bench" small "$steps")
  t=$("$py" "$root/bench/train/bench_torch.py" "$steps")
  ct=$(field tokens/s "$c"); tt=$(field tokens/s "$t")
  ratio=$(awk -v a="$ct" -v b="$tt" 'BEGIN { printf "%.2f", a / b }')
  cs_tps+=("$ct"); th_tps+=("$tt"); ratios+=("$ratio")
  line="round $r: small consentry $ct tok/s, torch $tt tok/s, ratio $ratio"
  if [ "$base" != 0 ]; then
    b=$("$bench" base "$steps")
    g=$(field GFLOP/s "$b"); gflops+=("$g")
    line="$line; base $g GFLOP/s"
  fi
  echo "$line"
done

mc=$(printf '%s\n' "${cs_tps[@]}" | median)
mt=$(printf '%s\n' "${th_tps[@]}" | median)
mr=$(printf '%s\n' "${ratios[@]}" | median)
echo "median small: consentry $mc tok/s, torch $mt tok/s," \
  "ratio of medians $(awk -v a="$mc" -v b="$mt" 'BEGIN { printf "%.2f", a / b }')," \
  "median ratio $mr (goal 1.5)"
if [ "$base" != 0 ]; then
  echo "median base: $(printf '%s\n' "${gflops[@]}" | median) GFLOP/s (goal 150)"
fi
