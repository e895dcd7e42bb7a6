#!/usr/bin/env bash
# First README command: install what is missing, build, write the demo
# study database and run the main job (the csr profile) on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
mkdir -p output
./build/tlfgen demo-db --out output/demo.sqlite
./build/tlfgen run --db output/demo.sqlite --profile csr --out output
