#!/usr/bin/env bash
# The README's first command: install dependencies, build, run `consentry demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
build/consentry demo "$@"
