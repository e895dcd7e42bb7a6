#!/usr/bin/env bash
# scale.sh - benchmark (run by hand, never by tests): the csr run (or the
# profile PROFILE names: PROFILE=nightly) at growing study sizes; each
# stage's wall and CPU seconds (run.log's "stage" lines), the whole run's
# wall, CPU (user + sys) and peak RSS, and per column the fitted exponent
# b of time ~ n^b (least squares of log time on log subjects over the
# sizes given; 1 is linear, n log n shows as a little over 1).
#
# Usage: bench/scale.sh [SUBJECTS...]     (default: 1000 3000 10000 30000 100000)
# A size of N subjects is `demo-db --subjects 2N/3 --controls N/3` (30000 is
# the issue's 20,000 + 10,000). Databases are made once and kept in
# $TLFGEN_BENCH_DIR (default /tmp/tlfgen-bench); JOBS=N passes --jobs N;
# PROFILE=P runs profile P instead of csr.
# Needs GNU time (/usr/bin/time). On a shared machine the wall clock
# measures the other users as much as the run: read the CPU columns (the
# stages' CPU is every thread's, so the listings drawn beside the analyses
# count in "analyses"), and note the load average printed with each size.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${TLFGEN_BIN:-$here/build/tlfgen}
work=${TLFGEN_BENCH_DIR:-/tmp/tlfgen-bench}
sizes=${*:-1000 3000 10000 30000 100000}
jobs=${JOBS:+--jobs $JOBS}
profile=${PROFILE:-csr}
mkdir -p "$work"
stages="snapshot checks derive analyses render"
results="$work/results.txt"
: > "$results"
# columns: subjects, per stage wall then CPU, run wall, run CPU, RSS MB
header() {
    printf '%-8s' "$1"
    for s in $stages; do printf ' %9s %9s' "${s:0:6}_w" "${s:0:6}_c"; done
    printf ' %9s %9s %8s\n' wall_s cpu_s rss_MB
}
header subjects
for n in $sizes; do
    tac=$((n * 2 / 3)); hc=$((n - tac))
    db="$work/study_$n.sqlite"
    [ -s "$db" ] || "$bin" demo-db --out "$db" --subjects "$tac" --controls "$hc" >/dev/null
    rm -rf "$work/out_$n"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time_$n" \
        "$bin" run --db "$db" --profile "$profile" --out "$work/out_$n" --quiet $jobs; then
        echo "$n: the run failed ($(head -1 "$work/time_$n")); left out of the fit"
        rm -rf "$work/out_$n"
        continue
    fi
    log=$(ls "$work/out_$n"/*/"$profile"/latest/run.log)
    read -r wall user sys rss < "$work/time_$n"
    line="$n"
    for s in $stages; do
        wc=$(sed -n "s/.*\] stage $s: \([0-9.]*\) s wall, \([0-9.]*\) s CPU$/\1 \2/p" "$log")
        line="$line ${wc:-0 0}"
    done
    line="$line $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $((rss / 1024))"
    echo "$line" >> "$results"
    echo "$line" | awk '{ printf "%-8s", $1; for (c = 2; c < NF; c++) printf " %9.2f", $c;
                          printf " %8d\n", $NF }'
    echo "         (load average before the run: $load)"
    rm -rf "$work/out_$n"
done
# fitted exponents: slope of log(time) on log(n) per time column
awk '
    { nc = NF - 1
      for (c = 2; c <= nc; c++) if ($c > 0) { x[c] += log($1); y[c] += log($c);
        xx[c] += log($1) ^ 2; xy[c] += log($1) * log($c); k[c]++ } }
    END { printf "%-8s", "exponent"
          for (c = 2; c <= nc; c++) {
              d = k[c] * xx[c] - x[c] ^ 2
              if (k[c] > 1 && d > 0) printf " %9.2f", (k[c] * xy[c] - x[c] * y[c]) / d
              else printf " %9s", "-" }
          printf "\n" }' "$results"
