#!/usr/bin/env bash
# bench/train — training speed of consentry's GPT-2 against PyTorch's, in one
# run, on the same machine, both on OMP_NUM_THREADS=2 (torch.set_num_threads(2)).
#
# usage: bench/train/run.sh [ROUNDS] [STEPS]        (defaults 5 rounds of 5 steps)
# env:   BUILD   the CMake build folder holding libconsentry.a (default build/)
#        PYTHON  a Python with torch (default /usr/bin/python3, Debian's python3-torch)
#        BASE    0 skips the `base` GFLOP/s rounds (default 1)
#        CMP_STEPS  steps of the same-init comparison (default 200; 0 skips it)
#        SAMPLE  tokens of the sampling comparison (default 500)
#
# Each round times `small` (4 layers, 4 heads, 128 wide, context 128, vocab
# 256, batch 16: the architecture, batch and optimizer of bench_torch.py) in
# consentry, then in PyTorch, one after the other, so that both see the same
# load; then `base` in consentry for GFLOP/s, then OpenBLAS sgemm alone on the
# same threads (`bench_model sgemm`: 2048x1536x384 and 4096x4096x1024) for the
# peak that base is held to, since the machine's speed swings between minutes.
# Prints every round, the medians, the ratio of the medians and the median of
# the per-round ratios (the figure to trust on a shared machine). Goals: ratio
# >= 1.5; base >= 150 GFLOP/s, i.e. 80% of the sgemm peak.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$root/build}
py=${PYTHON:-/usr/bin/python3}
rounds=${1:-5}; steps=${2:-5}; base=${BASE:-1}
export OMP_NUM_THREADS=2

"$py" -c 'import torch' 2>/dev/null || { echo "run.sh: $py has no torch (set PYTHON)" >&2; exit 1; }
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" >/dev/null
make -s -C "$build" -j2 consentry_lib >/dev/null
for prog in bench_model bench_lm; do
  if [ ! -x "$build/$prog" ] || [ "$build/$prog" -ot "$build/libconsentry.a" ] ||
     [ "$build/$prog" -ot "$root/bench/train/$prog.c" ]; then
    # shellcheck disable=SC2046  # pkg-config's flags are words
    cc -O2 -std=c17 -D_GNU_SOURCE -fopenmp $(pkg-config --cflags openblas) -I"$root/include" \
      "$root/bench/train/$prog.c" \
      "$build/libconsentry.a" $(pkg-config --libs json-c openblas) -lm -o "$build/$prog"
  fi
done
bench=$build/bench_model

# field NAME LINE -> the word before NAME in LINE
field() { awk -v k="$1" '{ for (i = 2; i <= NF; i++) if ($i == k) { print $(i - 1); exit } }' <<<"$2"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cs_tps=(); th_tps=(); ratios=(); gflops=(); peaks=(); shares=()
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
    pk=$(field GFLOP/s "$("$bench" sgemm | sed 's/.*peak//')"); peaks+=("$pk")
    sh=$(awk -v a="$g" -v b="$pk" 'BEGIN { printf "%.1f", 100 * a / b }'); shares+=("$sh")
    line="$line; base $g GFLOP/s, sgemm peak $pk, base $sh% of it"
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
  echo "median base: $(printf '%s\n' "${gflops[@]}" | median) GFLOP/s (goal 150)," \
    "sgemm peak $(printf '%s\n' "${peaks[@]}" | median) GFLOP/s," \
    "median share of the same round's peak $(printf '%s\n' "${shares[@]}" | median)% (goal 80%)"
fi

# Peak memory of the `small` training step against what it must hold.
mem=$( { /usr/bin/time -v "$bench" small 3; } 2>&1)
rss=$(awk '/Maximum resident set size/ { printf "%.1f", $NF / 1000 }' <<<"$mem")
ana=$(field MB "$mem")
echo "peak memory small: RSS $rss MB, analytic $ana MB (params, grads, AdamW, split grads," \
  "activations and their gradients): $(awk -v a="$rss" -v b="$ana" 'BEGIN { printf "%.2f", a / b }')x (goal <= 1.5)"

# Same init, same batches, same steps: validation loss of both, then the
# sampling speed of the trained models (batch 1, KV cache), on the LinkedIn
# posts with the `small` architecture and batch.
cmp_steps=${CMP_STEPS:-200}; sample=${SAMPLE:-500}
corpus=${CORPUS:-$root/../shared/bench-data/corpus/linkedin_influencer_posts_content.txt}
if [ "$cmp_steps" != 0 ] && [ -f "$corpus" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  args=(--text "$corpus" --split posts --layers 4 --heads 4 --embd 128 --context 128 --batch 16
        --steps "$cmp_steps" --warmup $((cmp_steps / 10 + 1)) --eval-every "$cmp_steps"
        --sample "$sample")
  c=$("$build/bench_lm" "${args[@]}" --save-init "$tmp/init")
  t=$("$py" "$root/bench/train/lm_torch.py" "${args[@]}" --init "$tmp/init")
  cv=$(grep '^step' <<<"$c" | tail -1 | awk '{ print $8 }')
  tv=$(grep '^step' <<<"$t" | tail -1 | awk '{ print $8 }')
  echo "same init, same $cmp_steps steps of batch 16 x 128 on the LinkedIn posts:" \
    "validation loss consentry $cv, torch $tv," \
    "difference $(awk -v a="$cv" -v b="$tv" 'BEGIN { printf "%+.2f%%", 100 * (a - b) / b }') (goal within 2%)"
  echo "  training tok/s in that run: consentry $(grep '^step' <<<"$c" | tail -1 | awk '{ print $NF }')," \
    "torch $(grep '^step' <<<"$t" | tail -1 | awk '{ print $NF }')"
  cs=$(field tokens/s "$(grep '^sample' <<<"$c")"); ts=$(field tokens/s "$(grep '^sample' <<<"$t")")
  echo "sampling $sample tokens (batch 1, KV cache, context 128): consentry $cs tok/s, torch $ts tok/s," \
    "ratio $(awk -v a="$cs" -v b="$ts" 'BEGIN { printf "%.2f", a / b }')"
fi
