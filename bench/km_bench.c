/*
 * km_bench.c - benchmark (not a test): Kaplan-Meier per group with a
 * landmark summary and the median, plus the log-rank test, on a CSV of
 * time,status,group. File reading is excluded from the timing; the best
 * of --reps runs is reported. Built only with -DTLFGEN_BENCH=ON;
 * bench/km_logrank.sh runs it side by side with R.
 *
 * Usage: km_bench FILE.csv [reps]
 */
#include "core/csv.h"
#include "core/mem.h"
#include "stats/km.h"
#include "stats/logrank.h"
#include "stats/surv_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: km_bench FILE.csv [reps]\n");
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_csv *csv = NULL;
    surv_input *in = NULL;
    surv_cols cols = {"time", "status", NULL, "group", NULL, NULL};
    if (tlf_csv_read(&csv, argv[1], &err) || surv_input_from_csv(&in, csv, argv[1], &cols, &err)) {
        fprintf(stderr, "km_bench: %s\n", err.msg);
        return 1;
    }
    size_t n = in->n;
    double *t = xmalloc(n * sizeof *t);
    int *e = xmalloc(n * sizeof *e);
    double best = 1e300, checksum = 0, chisq = 0, s365 = 0;
    for (int rep = 0; rep < reps; rep++) {
        double t0 = now();
        checksum = 0;
        for (size_t g = 0; g < in->n_groups; g++) {
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (in->group[i] == (int)g) {
                    t[m] = in->time[i];
                    e[m++] = in->event[i];
                }
            km_curve *c = NULL;
            if (km_fit(&c, t, e, NULL, m, KM_CI_LOGLOG, 0.95, &err)) {
                fprintf(stderr, "km_bench: %s\n", err.msg);
                return 1;
            }
            km_point p;
            km_at(c, 365, &p);
            km_quant q;
            km_quantile(c, 0.5, &q);
            checksum += p.surv + p.lcl + q.est;
            if (g == 0)
                s365 = p.surv;
            km_curve_free(c);
        }
        logrank_result *r = NULL;
        if (logrank_test(&r, in->time, in->event, in->group, in->n_groups, NULL, n, &err)) {
            fprintf(stderr, "km_bench: %s\n", err.msg);
            return 1;
        }
        checksum += r->chisq;
        chisq = r->chisq;
        logrank_result_free(r);
        double dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    printf("n=%zu groups=%zu best_of_%d=%.4f s chisq=%.10g S365_group1=%.10g checksum=%.10g\n", n,
           in->n_groups, reps, best, chisq, s365, checksum);
    free(t);
    free(e);
    surv_input_free(in);
    tlf_csv_free(csv);
    return 0;
}
