#!/usr/bin/env bash
# Times `tlfgen demo-db` at scale (not run by ctest): 100,000 TAC subjects
# and 20,000 controls by default, then prints rows per table and the size.
# Usage: bench/demo_db.sh [SUBJECTS] [CONTROLS] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
m=${2:-20000}
out=${3:-/tmp/tlfgen-demo-bench.sqlite}
[ -x build/tlfgen ] || { echo "build/tlfgen missing: build first" >&2; exit 1; }
start=$(date +%s.%N)
build/tlfgen demo-db --subjects "$n" --controls "$m" --out "$out" >/dev/null
end=$(date +%s.%N)
printf 'subjects %s controls %s: %.1f s, %s bytes\n' "$n" "$m" "$(echo "$end - $start" | bc)" "$(stat -c %s "$out")"
for t in DM AE LB RE VS EX RS PC FT DS CM SC DV; do
  printf '%-3s %s\n' "$t" "$(sqlite3 "$out" "SELECT count(*) FROM $t")"
done
rm -f "$out"
