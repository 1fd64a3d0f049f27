#!/usr/bin/env bash
# run.sh FUZZER [SECONDS] [CORPUS] — fuzzes for a while from a copy of the seed corpus,
# so new inputs do not pile up in the repository; a crash fails the run and
# leaves its input in the working directory as crash-*.
set -euo pipefail
fuzzer=$1
secs=${2:-30}
corpus=${3:-redact}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/corpus/"$corpus"/* "$work"/
"$fuzzer" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$work"
