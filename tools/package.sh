#!/usr/bin/env bash
# Build the Debian package (tlfgen_<version>_<arch>.deb) with CPack from a
# Release build configured for prefix /usr: /usr/bin/tlfgen, the data in
# /usr/share/tlfgen, the man page, the docs and the nightly systemd units
# in /usr/lib/systemd/system. Prints the package's path.
#   bash tools/package.sh [BUILD_DIR]      (default build-deb)
# Install it with: apt-get install ./build-deb/tlfgen_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-deb}
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DTLFGEN_TESTS=OFF -DTLFGEN_INSTALL_SYSTEMD_UNITS=ON >/dev/null
cmake --build "$dir" -j"$(nproc)"
(cd "$dir" && cpack -G DEB >/dev/null)
ls "$PWD/$dir"/tlfgen_*.deb
