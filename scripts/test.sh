#!/usr/bin/env bash
# The README's second command: install dependencies, then build and run the
# whole test suite three times — a normal build, a Release (-O3) build and one
# under AddressSanitizer + UndefinedBehaviorSanitizer — and finally the libFuzzer targets (clang):
# their seed corpora replayed, then a short fuzzing run each.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/lint.sh
jobs=$(nproc)
scripts/build.sh build
(cd build && ctest --output-on-failure -j"$jobs")
# -O3 finds warnings the default -O2 build does not (maybe-uninitialized, use-after-free).
scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release
(cd build-release && ctest --output-on-failure -j"$jobs")
scripts/build.sh build-asan -DCS_SANITIZE=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs")
CC=clang cmake -S . -B build-fuzz -DCS_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_redact fuzz_serve
(cd build-fuzz && ctest --output-on-failure -R '^fuzz/')
