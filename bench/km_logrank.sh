#!/usr/bin/env bash
# Benchmark (not a test): Kaplan-Meier per group + landmark summary (day 365)
# + median + log-rank on N subjects in 2 groups, C (bench/km_bench.c) side
# by side with R survival (survfit + summary(times=365, extend=TRUE) +
# quantile + survdiff). The same CSV feeds both; reading it is excluded
# from both timings; each side reports its best of REPS runs.
# Needs: apt-get install -y r-base-core r-cran-survival
# Usage: bench/km_logrank.sh [N=1000000] [REPS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
REPS=${2:-3}
build=build-bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTLFGEN_BENCH=ON -DTLFGEN_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target km_bench >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
csv="$tmp/surv.csv"
# Exponential times (rate 1/700 and 1/900 days) rounded to whole days,
# uniform censoring up to 3 years, fixed seed.
Rscript -e "set.seed(1); n <- $N; g <- rep(1:2, length.out=n);
  t <- ceiling(rexp(n, ifelse(g==1, 1/700, 1/900))); c <- ceiling(runif(n, 0, 1095));
  d <- data.frame(time=pmin(t,c), status=as.integer(t<=c), group=g);
  write.csv(d, '$csv', row.names=FALSE)"
c_out=$("$build/km_bench" "$csv" "$REPS")
c_rss=$( { /usr/bin/time -f '%M' "$build/km_bench" "$csv" 1 >/dev/null; } 2>&1 | tail -1)
r_out=$(Rscript -e "suppressMessages(library(survival)); d <- read.csv('$csv');
  best <- Inf; for (i in 1:$REPS) { tm <- system.time({
    f <- survfit(Surv(time, status) ~ group, data=d, conf.type='log-log');
    s <- summary(f, times=365, extend=TRUE); q <- quantile(f, 0.5);
    l <- survdiff(Surv(time, status) ~ group, data=d) })[['elapsed']];
    best <- min(best, tm) };
  cat(sprintf('%.4f %.10g %.10g', best, l\$chisq, s\$surv[1]))")
c_s=$(sed -E 's/.*best_of_[0-9]+=([0-9.]+) s.*/\1/' <<<"$c_out")
r_s=$(cut -d' ' -f1 <<<"$r_out")
echo "N=$N subjects, 2 groups, best of $REPS runs, reading excluded"
echo "C   : $c_out (peak RSS incl. CSV read: ${c_rss} kB)"
echo "R   : ${r_s} s (log-rank chisq $(cut -d' ' -f2 <<<"$r_out"), S(365) group 1 $(cut -d' ' -f3 <<<"$r_out"))"
awk -v c="$c_s" -v r="$r_s" 'BEGIN { printf "speed-up R/C: %.1fx\n", r / c }'
