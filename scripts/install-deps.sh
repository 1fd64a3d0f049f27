#!/usr/bin/env bash
# Installs what consentry needs on Debian 12 (as root, or with sudo). Idempotent:
# packages already present are not fetched again.
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev libomp-dev
      libsqlite3-dev sqlite3 libjson-c-dev libinih-dev libsodium-dev libxxhash-dev
      libzstd-dev libhyperscan-dev libopenblas-openmp-dev libroaring-dev libmicrohttpd-dev
      python3 time curl wrk chromium)
# The browser tests need Node.js; a machine that already has one keeps it.
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
