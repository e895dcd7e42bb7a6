#!/usr/bin/env bash
# Install the Debian packages tlfgen needs to build, run and test, only
# those missing. Run as root on Debian 12 (bookworm).
set -euo pipefail
PACKAGES=(
  gcc make cmake pkg-config git ca-certificates
  libsqlite3-dev libgsl-dev libjansson-dev libhpdf-dev libcmocka-dev libssl-dev
  libfreetype-dev libpng-dev libdeflate-dev
  sqlite3 poppler-utils qpdf unrtf
  # programs the tests call (CMake checks each by name): util-linux (flock),
  # diffutils (cmp), coreutils (sha256sum)
  util-linux diffutils coreutils
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "tlfgen: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
