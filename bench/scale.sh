#!/usr/bin/env bash
# scale.sh - benchmark (run by hand, never by tests): the csr run at growing
# study sizes; each stage's wall time (from the run's manifest.json), peak
# RSS, and per stage the fitted exponent b of time ~ n^b (least squares of
# log time on log subjects over the sizes given; 1 is linear, n log n shows
# as a little over 1).
#
# Usage: bench/scale.sh [SUBJECTS...]     (default: 1000 3000 10000 30000 100000)
# A size of N subjects is `demo-db --subjects 2N/3 --controls N/3` (30000 is
# the issue's 20,000 + 10,000). Databases are made once and kept in
# $TLFGEN_BENCH_DIR (default /tmp/tlfgen-bench); JOBS=N passes --jobs N.
# Needs GNU time (/usr/bin/time). Timings on a shared machine are noisy:
# the script also prints user+sys CPU seconds, which load disturbs less.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${TLFGEN_BIN:-$here/build/tlfgen}
work=${TLFGEN_BENCH_DIR:-/tmp/tlfgen-bench}
sizes=${*:-1000 3000 10000 30000 100000}
jobs=${JOBS:+--jobs $JOBS}
mkdir -p "$work"
stages="snapshot checks derive analyses render total"
results="$work/results.txt"
: > "$results"
printf '%-8s %9s %9s %9s %9s %9s %9s %9s %8s\n' subjects $stages cpu_s rss_MB
for n in $sizes; do
    tac=$((n * 2 / 3)); hc=$((n - tac))
    db="$work/study_$n.sqlite"
    [ -s "$db" ] || "$bin" demo-db --out "$db" --subjects "$tac" --controls "$hc" >/dev/null
    rm -rf "$work/out_$n"
    /usr/bin/time -f '%e %U %S %M' -o "$work/time_$n" \
        "$bin" run --db "$db" --profile csr --out "$work/out_$n" --quiet $jobs
    man=$(ls "$work/out_$n"/*/csr/latest/manifest.json)
    read -r wall user sys rss < "$work/time_$n"
    line="$n"
    for s in $stages; do
        v=$(sed -n '/"timings_seconds"/,/}/p' "$man" | sed -n "s/^ *\"$s\": *\([0-9.eE+-]*\).*/\1/p")
        line="$line ${v:-0}"
    done
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
    echo "$line $cpu $rss" >> "$results"
    echo "$line $cpu $rss" | awk '{ printf "%-8s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.1f %8.0f\n",
        $1, $2, $3, $4, $5, $6, $7, $8, $9 / 1024 }'
    rm -rf "$work/out_$n"
done
# fitted exponents: slope of log(time) on log(n) per column (stages, cpu)
awk -v names="$stages cpu_s" '
    { for (c = 2; c <= 8; c++) if ($c > 0) { x[c] += log($1); y[c] += log($c);
        xx[c] += log($1) ^ 2; xy[c] += log($1) * log($c); k[c]++ } }
    END { split(names, nm, " "); printf "%-8s", "exponent";
          for (c = 2; c <= 8; c++) {
              d = k[c] * xx[c] - x[c] ^ 2
              if (k[c] > 1 && d > 0) printf " %9.2f", (k[c] * xy[c] - x[c] * y[c]) / d
              else printf " %9s", "-" }
          printf "\n" }' "$results"
