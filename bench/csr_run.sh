#!/usr/bin/env bash
# Benchmark (run by hand): the csr run on the default demo database, whole
# pipeline (snapshot, checks, derive, analyses, every PDF, volume, manifest).
# Prints wall time per run (hyperfine when installed) and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/tlfgen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" demo-db --out "$work/demo.sqlite" >/dev/null
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs 5 --prepare "rm -rf $work/out" \
    "$bin run --db $work/demo.sqlite --profile csr --out $work/out --quiet"
else
  for i in 1 2 3; do
    rm -rf "$work/out"
    /usr/bin/time -f "%e s" "$bin" run --db "$work/demo.sqlite" --profile csr --out "$work/out" --quiet
  done
fi
rm -rf "$work/out"
/usr/bin/time -v "$bin" run --db "$work/demo.sqlite" --profile csr --out "$work/out" --quiet 2>&1 |
  grep -E "Elapsed|Maximum resident"
