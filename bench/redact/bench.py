#!/usr/bin/env python3
"""bench.py CONSENTRY INPUT.jsonl — consentry redact vs the Python baseline.

Runs both on the same input in the same run, alternately for ROUNDS rounds
(environment, default 3), each as a child process whose own rusage
(os.wait4) gives its CPU time and peak RSS; prints every round, then the
medians and the median of the per-round ratios.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(argv, path):
    with open(path, "rb") as fi, open(os.devnull, "wb") as fo:
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdin=fi, stdout=fo, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.monotonic() - t0
    if status != 0:
        sys.exit(f"{argv[0]} failed with status {status}")
    return dt, ru.ru_maxrss / 1024.0, ru.ru_utime + ru.ru_stime  # KiB -> MiB


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def main():
    consentry, data = sys.argv[1], sys.argv[2]
    rounds = int(os.environ.get("ROUNDS", "3"))
    mb = os.path.getsize(data) / (1 << 20)
    c_runs, p_runs = [], []
    # Alternately, so that both see the same load; the median of the
    # per-round ratios is the figure to trust on a shared machine.
    for r in range(rounds):
        c_runs.append(run([consentry, "redact"], data))
        p_runs.append(run([sys.executable, os.path.join(HERE, "baseline.py")], data))
        c_t, c_rss, c_cpu = c_runs[-1]
        p_t, p_rss, p_cpu = p_runs[-1]
        print(f"round {r + 1}: consentry {mb / c_t:6.1f} MB/s wall, python re {mb / p_t:5.2f} MB/s wall:"
              f" {p_t / c_t:5.1f}x ({p_cpu / c_cpu:5.1f}x CPU time)")
    c_t = median([x[0] for x in c_runs])
    c_cpu = median([x[2] for x in c_runs])
    c_rss = max(x[1] for x in c_runs)
    p_t = median([x[0] for x in p_runs])
    p_cpu = median([x[2] for x in p_runs])
    p_rss = max(x[1] for x in p_runs)
    ratio = median([p[0] / c[0] for c, p in zip(c_runs, p_runs)])
    cpu_ratio = median([p[2] / c[2] for c, p in zip(c_runs, p_runs)])
    # On a shared machine wall time swings with the neighbours' load; the
    # CPU time each process used (user + system) swings much less.
    res = {
        "input_mb": round(mb, 1),
        "rounds": rounds,
        "consentry": {"seconds": round(c_t, 3), "mb_per_s": round(mb / c_t, 1),
                      "cpu_seconds": round(c_cpu, 3), "cpu_mb_per_s": round(mb / c_cpu, 1),
                      "peak_rss_mb": round(c_rss, 1)},
        "python_re": {"seconds": round(p_t, 3), "mb_per_s": round(mb / p_t, 2),
                      "cpu_seconds": round(p_cpu, 3), "cpu_mb_per_s": round(mb / p_cpu, 2),
                      "peak_rss_mb": round(p_rss, 1)},
        "speedup": round(ratio, 1),
        "cpu_speedup": round(cpu_ratio, 1),
    }
    print(f"input {mb:.1f} MB (JSONL in and out, single thread), medians of {rounds} rounds")
    print(f"consentry redact  {mb / c_t:8.1f} MB/s wall {mb / c_cpu:8.1f} MB/s CPU  peak RSS {c_rss:7.1f} MB")
    print(f"python re         {mb / p_t:8.2f} MB/s wall {mb / p_cpu:8.2f} MB/s CPU  peak RSS {p_rss:7.1f} MB")
    print(f"consentry is {ratio:.1f}x faster (wall; median of the rounds' ratios), {cpu_ratio:.1f}x (CPU time)")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
