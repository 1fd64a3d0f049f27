#!/usr/bin/env python3
"""bench.py CONSENTRY INPUT.jsonl — consentry redact vs the Python baseline.

Runs both on the same input in the same run, each as a child process whose
own rusage (os.wait4) gives its peak RSS; prints MB/s, peak RSS and ratios.
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


def main():
    consentry, data = sys.argv[1], sys.argv[2]
    mb = os.path.getsize(data) / (1 << 20)
    c_t, c_rss, c_cpu = run([consentry, "redact"], data)
    p_t, p_rss, p_cpu = run([sys.executable, os.path.join(HERE, "baseline.py")], data)
    # On a shared machine wall time swings with the neighbours' load; the
    # CPU time each process used (user + system) swings much less.
    res = {
        "input_mb": round(mb, 1),
        "consentry": {"seconds": round(c_t, 3), "mb_per_s": round(mb / c_t, 1),
                      "cpu_seconds": round(c_cpu, 3), "cpu_mb_per_s": round(mb / c_cpu, 1),
                      "peak_rss_mb": round(c_rss, 1)},
        "python_re": {"seconds": round(p_t, 3), "mb_per_s": round(mb / p_t, 2),
                      "cpu_seconds": round(p_cpu, 3), "cpu_mb_per_s": round(mb / p_cpu, 2),
                      "peak_rss_mb": round(p_rss, 1)},
        "speedup": round(p_t / c_t, 1),
        "cpu_speedup": round(p_cpu / c_cpu, 1),
    }
    print(f"input {mb:.1f} MB (JSONL in and out, single thread)")
    print(f"consentry redact  {mb / c_t:8.1f} MB/s wall {mb / c_cpu:8.1f} MB/s CPU  peak RSS {c_rss:7.1f} MB")
    print(f"python re         {mb / p_t:8.2f} MB/s wall {mb / p_cpu:8.2f} MB/s CPU  peak RSS {p_rss:7.1f} MB")
    print(f"consentry is {p_t / c_t:.1f}x faster (wall), {p_cpu / c_cpu:.1f}x (CPU time)")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
