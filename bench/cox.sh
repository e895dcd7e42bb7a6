#!/bin/sh
# bench/cox.sh - a 1-covariate Cox model on 1,000,000 subjects, tlfgen vs
# R's survival::coxph, side by side in one run (a benchmark, not a test).
#
# Usage: bench/cox.sh [BUILD_DIR] [N]   (default build, 1000000)
# Needs R with the survival package (apt-get install r-base-core r-cran-survival).
# Both sides are timed without reading the file: R around coxph() (which
# includes its model frame), tlfgen by --timing around cox_fit (the model
# frame is built before); the whole tlfgen command's wall time, CSV reading
# included, is printed as well. Times are the best of 3 runs.
set -eu
BUILD=${1:-build}
N=${2:-1000000}
TLFGEN=$BUILD/tlfgen
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

Rscript -e "
set.seed(20240521); n <- $N
x <- rbinom(n, 1, 0.5)
t <- ceiling(rexp(n, 0.002 * exp(-0.4 * x)))       # whole days: many ties
c <- ceiling(runif(n, 1, 730))
d <- data.frame(time = pmin(t, c), status = as.integer(t <= c), x = x)
write.csv(d, '$WORK/cox.csv', row.names = FALSE)
"

for ties in efron breslow; do
  R_OUT=$(Rscript -e "
suppressMessages(library(survival))
d <- read.csv('$WORK/cox.csv')
best <- Inf
for (i in 1:3) { s <- system.time(f <- coxph(Surv(time, status) ~ x, data = d, ties = '$ties'))[['elapsed']]; best <- min(best, s) }
cat(sprintf('%.4f %.15g %.15g\n', best, coef(f)[[1]], f\$loglik[2]))
")
  R_TIME=${R_OUT%% *}
  C_BEST=
  for i in 1 2 3; do
    START=$(date +%s.%N)
    "$TLFGEN" stats cox --input "$WORK/cox.csv" --time time --event status --covariates x \
      --ties $ties --timing > "$WORK/ard.csv" 2> "$WORK/err.txt"
    END=$(date +%s.%N)
    FIT=$(sed -n 's/.*fitted in \([0-9.]*\) s.*/\1/p' "$WORK/err.txt")
    WALL=$(echo "$END - $START" | bc)
    if [ -z "$C_BEST" ] || [ "$(echo "$FIT < $C_BEST" | bc)" = 1 ]; then C_BEST=$FIT; C_WALL=$WALL; fi
  done
  C_COEF=$(grep ',x,,coef,' "$WORK/ard.csv" | cut -d, -f10)
  C_LL=$(grep ',model,,loglik,' "$WORK/ard.csv" | cut -d, -f10)
  echo "ties=$ties n=$N"
  printf '  R coxph          %8.4f s   coef %s  loglik %s\n' "$R_TIME" "$(echo "$R_OUT" | cut -d' ' -f2)" "$(echo "$R_OUT" | cut -d' ' -f3)"
  printf '  tlfgen cox_fit   %8.4f s   coef %s  loglik %s\n' "$C_BEST" "$C_COEF" "$C_LL"
  printf '  tlfgen command   %8.4f s   (CSV reading and model frame included)\n' "$C_WALL"
  printf '  speed-up (fit)   %8.1f x\n' "$(echo "$R_TIME / $C_BEST" | bc -l)"
done
