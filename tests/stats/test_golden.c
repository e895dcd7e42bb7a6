/*
 * test_golden.c - every km* and logrank* row of shared/reference/golden.csv
 * (R survival 3.5-3) recomputed and compared: relative error <= 1e-6
 * (absolute 1e-9 near 0), and empty exactly where R gives NA/NaN.
 *
 * Table-driven: HANDLERS maps an analysis name to a function that runs the
 * analysis on the data set and returns ARD records whose group_level is the
 * golden `group` column; add a line (e.g. cox_) to check more analyses.
 */
#include "testutil.h"
#include "ard/ard.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/mem.h"
#include "stats/km.h"
#include "stats/stats_ard.h"
#include "stats/surv_input.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How each data set is analysed (reference/README.md). */
typedef struct dataset_info {
    const char *name, *time, *status, *group;
    const char *strata_alias, *strata_col;   /* logrank_..._strat_<alias> */
} dataset_info;

static const dataset_info DATASETS[] = {
    {"lung", "time", "status", "sex", "ecog", "ph.ecog"},
    {"veteran", "time", "status", "trt", "celltype", "celltype"},
    {"aml", "time", "status", "x", NULL, NULL},
    {"ovarian", "futime", "fustat", "rx", NULL, NULL},
};

typedef struct golden_case {
    const dataset_info *ds;
    const tlf_csv *data;         /* the data set                          */
    const char *analysis;
    const double *landmarks;     /* t values of the *_at rows             */
    size_t n_landmarks;
} golden_case;

typedef int (*golden_fn)(tlf_ard *out, const golden_case *gc, tlf_err *err);

static int load_input(surv_input **in, const golden_case *gc, const char *group,
                      const char *strata, const char *weight_col, tlf_err *err)
{
    surv_cols cols = {gc->ds->time, gc->ds->status, NULL, group, strata, weight_col};
    return surv_input_from_csv(in, gc->data, gc->ds->name, &cols, err);
}

/* km, km_log, km_loglog, km_plain: per group and, for lung, "all". */
static int run_km(tlf_ard *out, const golden_case *gc, tlf_err *err)
{
    km_ci_type ci = KM_CI_LOG;
    const char *suffix = gc->analysis + 2;
    if (*suffix == '_' && km_ci_parse(suffix + 1, &ci) != 0)
        return tlf_err_set(err, TLF_EUSAGE, "unknown analysis %s", gc->analysis);
    surv_input *in = NULL;
    tlf_ard_key key = {0};
    int rc = load_input(&in, gc, gc->ds->group, NULL, NULL, err);
    if (!rc)
        rc = surv_run_km(out, &key, in, ci, 0.95, gc->landmarks, gc->n_landmarks, err);
    surv_input_free(in);
    if (rc)
        return rc;
    rc = load_input(&in, gc, NULL, NULL, NULL, err);   /* the "all" curve */
    if (!rc) {
        key.group_level = "all";
        size_t first = out->n;
        rc = surv_run_km(out, &key, in, ci, 0.95, gc->landmarks, gc->n_landmarks, err);
        for (size_t i = first; i < out->n; i++) {
            free(out->rows[i].group_level);
            out->rows[i].group_level = xstrdup("all");
        }
    }
    surv_input_free(in);
    return rc;
}

/* logrank_<group>[_strat_<alias>]: group levels as "<group>=<level>". */
static int run_logrank(tlf_ard *out, const golden_case *gc, tlf_err *err)
{
    const char *strata = NULL;
    const char *st = strstr(gc->analysis, "_strat_");
    if (st) {
        if (!gc->ds->strata_alias || strcmp(st + 7, gc->ds->strata_alias) != 0)
            return tlf_err_set(err, TLF_EUSAGE, "unknown strata in %s", gc->analysis);
        strata = gc->ds->strata_col;
    }
    surv_input *in = NULL;
    int rc = load_input(&in, gc, gc->ds->group, strata, NULL, err);
    if (rc)
        return rc;
    tlf_ard_key key = {0};
    size_t first = out->n;
    rc = surv_run_logrank(out, &key, in, err);
    for (size_t i = first; i < out->n && !rc; i++) {
        tlf_ard_row *r = &out->rows[i];
        char *lv = r->group_level[0] ? xasprintf("%s=%s", gc->ds->group, r->group_level)
                                     : xstrdup("test");
        free(r->group_level);
        r->group_level = lv;
    }
    surv_input_free(in);
    return rc;
}

/*
 * km_iptw: veteran, weights from glm(t01 ~ karno + age + prior, binomial)
 * with t01 = trt - 1: 1/ps for trt 2, 1/(1-ps) for trt 1. The logistic
 * model is fitted here by iteratively reweighted least squares (Newton on
 * the log-likelihood, to |delta loglik| < 1e-10 relative, as glm's 1e-8
 * deviance rule reaches the same optimum).
 */
static int iptw_weights(const tlf_csv *d, double *w, tlf_err *err)
{
    const char *names[] = {"karno", "age", "prior", "trt"};
    int col[4];
    for (int j = 0; j < 4; j++)
        if ((col[j] = tlf_csv_col(d, names[j])) < 0)
            return tlf_err_set(err, TLF_EDATA, "veteran: no column %s", names[j]);
    size_t n = d->nrow, p = 4;
    double *x = xmalloc(n * p * sizeof *x), *y = xmalloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i * p] = 1;
        for (int j = 0; j < 3; j++)
            tlf_parse_double(tlf_csv_cell(d, i, (size_t)col[j]), &x[i * p + 1 + (size_t)j]);
        double trt;
        tlf_parse_double(tlf_csv_cell(d, i, (size_t)col[3]), &trt);
        y[i] = trt - 1;
    }
    gsl_matrix *h = gsl_matrix_alloc(p, p);
    gsl_vector *g = gsl_vector_alloc(p), *delta = gsl_vector_alloc(p), *beta = gsl_vector_calloc(p);
    int rc = TLF_OK, converged = 0;
    for (int it = 0; it < 50 && !converged; it++) {
        gsl_matrix_set_zero(h);
        gsl_vector_set_zero(g);
        for (size_t i = 0; i < n; i++) {
            double eta = 0;
            for (size_t j = 0; j < p; j++)
                eta += x[i * p + j] * gsl_vector_get(beta, j);
            double mu = 1 / (1 + exp(-eta)), v = mu * (1 - mu);
            for (size_t j = 0; j < p; j++) {
                gsl_vector_set(g, j, gsl_vector_get(g, j) + x[i * p + j] * (y[i] - mu));
                for (size_t l = 0; l < p; l++)
                    gsl_matrix_set(h, j, l, gsl_matrix_get(h, j, l) + v * x[i * p + j] * x[i * p + l]);
            }
        }
        gsl_linalg_cholesky_decomp1(h);
        gsl_linalg_cholesky_solve(h, g, delta);
        double step = 0;
        for (size_t j = 0; j < p; j++) {
            step = fmax(step, fabs(gsl_vector_get(delta, j)) / (fabs(gsl_vector_get(beta, j)) + 1e-3));
            gsl_vector_set(beta, j, gsl_vector_get(beta, j) + gsl_vector_get(delta, j));
        }
        converged = step < 1e-12;
    }
    if (!converged)
        rc = tlf_err_set(err, TLF_EINTERNAL, "IPTW logistic model did not converge");
    for (size_t i = 0; i < n && !rc; i++) {
        double eta = 0;
        for (size_t j = 0; j < p; j++)
            eta += x[i * p + j] * gsl_vector_get(beta, j);
        double ps = 1 / (1 + exp(-eta));
        w[i] = y[i] == 1 ? 1 / ps : 1 / (1 - ps);
    }
    gsl_matrix_free(h);
    gsl_vector_free(g);
    gsl_vector_free(delta);
    gsl_vector_free(beta);
    free(x);
    free(y);
    return rc;
}

static int run_km_iptw(tlf_ard *out, const golden_case *gc, tlf_err *err)
{
    const tlf_csv *d = gc->data;
    /* a copy of the table with a weight column appended, via CSV text */
    double *w = xmalloc(d->nrow * sizeof *w);
    int rc = iptw_weights(d, w, err);
    surv_input *in = NULL;
    tlf_buf text = TLF_BUF_INIT;
    tlf_csv *wd = NULL;
    if (rc)
        goto done;
    int ct = tlf_csv_col(d, gc->ds->time), cs = tlf_csv_col(d, gc->ds->status),
        cg = tlf_csv_col(d, gc->ds->group);
    tlf_buf_puts(&text, "time,status,trt,w\n");
    for (size_t i = 0; i < d->nrow; i++)
        tlf_buf_printf(&text, "%s,%s,%s,%.17g\n", tlf_csv_cell(d, i, (size_t)ct),
                       tlf_csv_cell(d, i, (size_t)cs), tlf_csv_cell(d, i, (size_t)cg), w[i]);
    if ((rc = tlf_csv_parse(&wd, text.data, text.len, "veteran+w", err)))
        goto done;
    surv_cols cols = {"time", "status", NULL, "trt", NULL, "w"};
    if ((rc = surv_input_from_csv(&in, wd, "veteran+w", &cols, err)))
        goto done;
    tlf_ard_key key = {0};
    rc = surv_run_km(out, &key, in, KM_CI_LOG, 0.95, gc->landmarks, gc->n_landmarks, err);
done:
    surv_input_free(in);
    tlf_csv_free(wd);
    tlf_buf_free(&text);
    free(w);
    return rc;
}

typedef struct golden_handler {
    const char *analysis;   /* exact name, or prefix when it ends with '_' */
    golden_fn run;
} golden_handler;

static const golden_handler HANDLERS[] = {
    {"km", run_km},
    {"km_log", run_km},
    {"km_loglog", run_km},
    {"km_plain", run_km},
    {"km_iptw", run_km_iptw},
    {"logrank_", run_logrank},
};

static const golden_handler *find_handler(const char *analysis)
{
    for (size_t i = 0; i < sizeof HANDLERS / sizeof HANDLERS[0]; i++) {
        const char *a = HANDLERS[i].analysis;
        size_t l = strlen(a);
        if (a[l - 1] == '_' ? strncmp(analysis, a, l) == 0 : strcmp(analysis, a) == 0)
            return &HANDLERS[i];
    }
    return NULL;
}

static int is_checked(const char *analysis)
{
    return strncmp(analysis, "km", 2) == 0 || strncmp(analysis, "logrank", 7) == 0;
}

/* param without its ci= and level= pairs (golden params carry only t=) */
static void strip_ci(const char *param, char *out, size_t outsz)
{
    char t[64];
    if (tlf_param_get(param, "t", t, sizeof t) == 0)
        snprintf(out, outsz, "t=%s", t);
    else
        out[0] = '\0';
}

static const tlf_ard_row *find_row(const tlf_ard *ard, const char *group, const char *stat,
                                   const char *param)
{
    char p[80];
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        if (strcmp(r->group_level, group) || strcmp(r->stat_name, stat))
            continue;
        strip_ci(r->param, p, sizeof p);
        if (strcmp(p, param) == 0)
            return r;
    }
    return NULL;
}

static void test_golden_km_logrank(void **state)
{
    (void)state;
    tlf_err err;
    tlf_err_clear(&err);
    char *path = test_shared_path("reference/golden.csv");
    tlf_csv *gold = NULL;
    assert_int_equal(tlf_csv_read(&gold, path, &err), TLF_OK);
    free(path);
    size_t expect_rows = 0, checked = 0, failures = 0;
    for (size_t r = 0; r < gold->nrow; r++)
        if (is_checked(tlf_csv_cell(gold, r, 1)))
            expect_rows++;

    char *done_flags = xcalloc(gold->nrow, 1);
    for (size_t r = 0; r < gold->nrow; r++) {
        const char *dsname = tlf_csv_cell(gold, r, 0), *analysis = tlf_csv_cell(gold, r, 1);
        if (done_flags[r] || !is_checked(analysis))
            continue;
        const dataset_info *ds = NULL;
        for (size_t i = 0; i < sizeof DATASETS / sizeof DATASETS[0]; i++)
            if (strcmp(DATASETS[i].name, dsname) == 0)
                ds = &DATASETS[i];
        const golden_handler *h = find_handler(analysis);
        if (!ds || !h)
            fail_msg("no handler for %s / %s", dsname, analysis);
        /* landmarks: every t of this case's *_at rows */
        double lm[64];
        size_t nlm = 0;
        for (size_t q = r; q < gold->nrow; q++) {
            const char *stat = tlf_csv_cell(gold, q, 3), *param = tlf_csv_cell(gold, q, 4);
            if (strcmp(tlf_csv_cell(gold, q, 0), dsname) || strcmp(tlf_csv_cell(gold, q, 1), analysis))
                continue;
            size_t sl = strlen(stat);
            char tv[64];
            if (sl > 3 && strcmp(stat + sl - 3, "_at") == 0 && param &&
                tlf_param_get(param, "t", tv, sizeof tv) == 0) {
                double t = strtod(tv, NULL);
                size_t j = 0;
                while (j < nlm && lm[j] != t)
                    j++;
                if (j == nlm && nlm < 64)
                    lm[nlm++] = t;
            }
        }
        char *dpath = xasprintf("%s/reference/datasets/%s.csv", TLFGEN_SHARED_DIR, dsname);
        tlf_csv *data = NULL;
        assert_int_equal(tlf_csv_read(&data, dpath, &err), TLF_OK);
        free(dpath);
        golden_case gc = {ds, data, analysis, lm, nlm};
        tlf_ard *ard = tlf_ard_new();
        if (h->run(ard, &gc, &err) != TLF_OK)
            fail_msg("%s/%s: %s", dsname, analysis, err.msg);

        for (size_t q = r; q < gold->nrow; q++) {
            if (strcmp(tlf_csv_cell(gold, q, 0), dsname) || strcmp(tlf_csv_cell(gold, q, 1), analysis))
                continue;
            done_flags[q] = 1;
            const char *group = tlf_csv_cell(gold, q, 2), *stat = tlf_csv_cell(gold, q, 3);
            const char *param = tlf_csv_cell(gold, q, 4), *value = tlf_csv_cell(gold, q, 5);
            const tlf_ard_row *got = find_row(ard, group ? group : "", stat, param ? param : "");
            checked++;
            if (!got) {
                fprintf(stderr, "MISSING %s %s %s %s %s\n", dsname, analysis, group, stat, param);
                failures++;
                continue;
            }
            int want_missing = !value || strcmp(value, "NA") == 0 || strcmp(value, "NaN") == 0;
            if (want_missing != (got->kind == TLF_VAL_MISSING)) {
                fprintf(stderr, "NA MISMATCH %s %s %s %s %s: R %s, got %s%.17g\n", dsname, analysis,
                        group, stat, param ? param : "", value ? value : "NA",
                        got->kind == TLF_VAL_MISSING ? "missing " : "", got->value);
                failures++;
                continue;
            }
            if (want_missing)
                continue;
            double want = strtod(value, NULL);
            double tol = fmax(1e-6 * fabs(want), 1e-9);
            if (!(fabs(got->value - want) <= tol)) {
                fprintf(stderr, "VALUE %s %s %s %s %s: R %s, got %.17g\n", dsname, analysis, group,
                        stat, param ? param : "", value, got->value);
                failures++;
            }
        }
        tlf_ard_free(ard);
        tlf_csv_free(data);
    }
    printf("golden: checked %zu km*/logrank* rows of %zu, %zu failures\n", checked, expect_rows,
           failures);
    assert_int_equal(checked, expect_rows);
    assert_true(expect_rows >= 5900);   /* golden.csv holds 5902 such rows */
    assert_int_equal(failures, 0);
    free(done_flags);
    tlf_csv_free(gold);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_km_logrank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
