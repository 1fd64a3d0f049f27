#!/usr/bin/env bash
# Keeps unsafe C string functions out of the tree (STYLE.md, point 11).
set -euo pipefail
cd "$(dirname "$0")/.."
if grep -rnE '\b(strcpy|sprintf|strcat|strtok|atoi|gets)\s*\(' src include tests fuzz bench \
     --include='*.c' --include='*.h' | grep -v 'snprintf\|vsnprintf'; then
  echo "lint: banned function used (see STYLE.md point 11)" >&2
  exit 1
fi
