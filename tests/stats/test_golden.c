/*
 * test_golden.c - every row of tests/reference/golden.csv (R 4.2.2,
 * survival 3.5-3, stats; made by tests/reference/golden.R from the data
 * sets beside it) recomputed and compared: relative error <= 1e-6
 * (absolute 1e-9 near 0), and empty exactly where R gives NA/NaN.
 *
 * Table-driven: HANDLERS maps an analysis name to a function that runs the
 * analysis on the data set and returns ARD records whose group_level is the
 * golden `group` column (Cox and logistic rows: the covariate, or "model").
 * The binomial and Fisher cases have no data file: their inputs (x, n and
 * the 2x2 cells) are the golden rows' params.
 */
#include "testutil.h"
#include "ard/ard.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/mem.h"
#include "stats/binom.h"
#include "stats/cox.h"
#include "stats/describe.h"
#include "stats/fisher.h"
#include "stats/km.h"
#include "stats/logit.h"
#include "stats/model_frame.h"
#include "stats/paired.h"
#include "stats/stats_ard.h"
#include "stats/surv_input.h"

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
    {"paired", NULL, NULL, NULL, NULL, NULL},
    {"binomial", NULL, NULL, NULL, NULL, NULL},   /* no data file */
    {"fisher", NULL, NULL, NULL, NULL, NULL},     /* no data file */
};

typedef struct golden_case {
    const dataset_info *ds;
    const tlf_csv *data;         /* the data set (NULL: binomial, fisher) */
    const tlf_csv *gold;         /* golden.csv, for parameter-driven cases */
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

/* Design matrix of the named covariates (complete cases) as R builds it. */
static int frame(model_frame **mf, const golden_case *gc, const char *const *cov, size_t ncov,
                 const mf_ref *ref, size_t nref, int intercept, tlf_err *err)
{
    mf_table t = mf_table_from_csv(gc->data, gc->ds->name);
    return model_frame_build(mf, &t, cov, ncov, ref, nref, NULL, intercept, err);
}

static double cell_num(const tlf_csv *d, size_t row, const char *col)
{
    double v = NAN;
    tlf_parse_double(tlf_csv_cell(d, row, (size_t)tlf_csv_col(d, col)), &v);
    return v;
}

/* veteran's glm(t01 ~ karno + age + prior, binomial), t01 = trt - 1; *out
 * gets the fit, rows follow the data (no missing values in veteran). */
static int veteran_logit(logit_result **out, model_frame **mf, const golden_case *gc, tlf_err *err)
{
    static const char *const cov[] = {"karno", "age", "prior"};
    int rc = frame(mf, gc, cov, 3, NULL, 0, 1, err);
    if (rc)
        return rc;
    double *y = xmalloc((*mf)->n * sizeof *y);
    for (size_t i = 0; i < (*mf)->n; i++)
        y[i] = cell_num(gc->data, (*mf)->row[i], "trt") - 1.0;
    rc = logit_fit(out, y, (*mf)->x, (*mf)->n, (*mf)->p, (const char *const *)(*mf)->names, err);
    free(y);
    if (!rc && !(*out)->estimable)
        rc = tlf_err_set(err, TLF_EINTERNAL, "veteran logit: %s", (*out)->reason);
    return rc;
}

/* km_iptw: weights 1/ps for trt 2 and 1/(1-ps) for trt 1 (ATE, as R ran). */
static int iptw_weights(const golden_case *gc, double *w, tlf_err *err)
{
    logit_result *ps = NULL;
    model_frame *mf = NULL;
    int rc = veteran_logit(&ps, &mf, gc, err);
    for (size_t i = 0; !rc && i < mf->n; i++) {
        double trt = cell_num(gc->data, mf->row[i], "trt");
        w[mf->row[i]] = trt == 2 ? 1 / ps->fitted[i] : 1 / (1 - ps->fitted[i]);
    }
    logit_result_free(ps);
    model_frame_free(mf);
    return rc;
}

/* Rows whose variable names the covariate: move it to group_level. */
static void variable_to_group(tlf_ard *out, size_t first, const char *from, const char *to)
{
    for (size_t i = first; i < out->n; i++) {
        tlf_ard_row *r = &out->rows[i];
        free(r->group_level);
        r->group_level = xstrdup(from && strcmp(r->variable, from) == 0 ? to : r->variable);
    }
}

/* cox_<model>_<ties>: the models reference/README.md lists. */
static int run_cox(tlf_ard *out, const golden_case *gc, tlf_err *err)
{
    static const char *const lung_sex[] = {"sex"}, *const lung_multi[] = {"sex", "age", "ph.ecog"};
    static const char *const vet[] = {"trt", "karno", "age"}, *const ova[] = {"rx", "age"};
    static const char *const aml[] = {"x"};
    const char *ds = gc->ds->name, *a = gc->analysis;
    const char *const *cov = NULL;
    size_t ncov = 0;
    mf_ref ref = {"x", "Nonmaintained"};   /* aml: grp = 1 when Maintained */
    size_t nref = 0;
    if (!strcmp(ds, "lung") && !strncmp(a, "cox_sex_", 8))
        cov = lung_sex, ncov = 1;
    else if (!strcmp(ds, "lung") && !strncmp(a, "cox_multi_", 10))
        cov = lung_multi, ncov = 3;
    else if (!strcmp(ds, "veteran") && !strncmp(a, "cox_multi_", 10))
        cov = vet, ncov = 3;
    else if (!strcmp(ds, "ovarian") && !strncmp(a, "cox_multi_", 10))
        cov = ova, ncov = 2;
    else if (!strcmp(ds, "aml") && !strncmp(a, "cox_maintained_", 15))
        cov = aml, ncov = 1, nref = 1;
    else
        return tlf_err_set(err, TLF_EUSAGE, "unknown Cox model %s/%s", ds, a);
    cox_options opt;
    cox_options_default(&opt);
    size_t al = strlen(a);
    opt.ties = al > 8 && !strcmp(a + al - 8, "_breslow") ? COX_BRESLOW : COX_EFRON;
    model_frame *mf = NULL;
    int rc = frame(&mf, gc, cov, ncov, &ref, nref, 0, err);
    if (rc)
        return rc;
    double *time = xmalloc(mf->n * sizeof *time);
    int *event = xmalloc(mf->n * sizeof *event);
    for (size_t i = 0; i < mf->n; i++) {
        time[i] = cell_num(gc->data, mf->row[i], gc->ds->time);
        event[i] = (int)cell_num(gc->data, mf->row[i], gc->ds->status);
    }
    cox_result *r = NULL;
    rc = cox_fit(&r, time, event, mf->x, mf->n, mf->p, NULL, (const char *const *)mf->names, &opt, err);
    if (!rc && !r->estimable)
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s/%s not estimable: %s", ds, a, r->reason);
    if (!rc) {
        tlf_ard_key key = {.analysis_id = a};
        size_t first = out->n;
        cox_emit_ard(out, &key, (const char *const *)mf->names, r);
        variable_to_group(out, first, "xMaintained", "grp");
    }
    cox_result_free(r);
    free(time);
    free(event);
    model_frame_free(mf);
    return rc;
}

static int run_logit(tlf_ard *out, const golden_case *gc, tlf_err *err)
{
    logit_result *r = NULL;
    model_frame *mf = NULL;
    int rc = veteran_logit(&r, &mf, gc, err);
    if (!rc) {
        size_t first = out->n;
        for (size_t j = 0; j < r->p; j++) {
            tlf_ard_key key = {.analysis_id = gc->analysis, .variable = mf->names[j]};
            tlf_ard_add_real(out, &key, "coef", "", r->coef[j]);
            tlf_ard_add_real(out, &key, "se", "", r->se[j]);
        }
        variable_to_group(out, first, NULL, NULL);
    }
    logit_result_free(r);
    model_frame_free(mf);
    return rc;
}

/* clopper_pearson, wilson, fisher_2x2: one result per golden param. */
static int run_by_param(tlf_ard *out, const golden_case *gc, tlf_err *err)
{
    const tlf_csv *g = gc->gold;
    tlf_ard_key key = {.analysis_id = gc->analysis, .group_level = ""};
    for (size_t q = 0; q < g->nrow; q++) {
        if (strcmp(tlf_csv_cell(g, q, 1), gc->analysis) != 0)
            continue;
        const char *param = tlf_csv_cell(g, q, 4), *stat = tlf_csv_cell(g, q, 3);
        char v[4][32];
        if (!strcmp(gc->analysis, "fisher_2x2")) {
            const char *k[] = {"a", "b", "c", "d"};
            for (int i = 0; i < 4; i++)
                if (tlf_param_get(param, k[i], v[i], sizeof v[i]))
                    return tlf_err_set(err, TLF_EUSAGE, "fisher param %s", param);
            tlf_ard_add_real(out, &key, "p", param,
                             fisher_2x2_p(atol(v[0]), atol(v[1]), atol(v[2]), atol(v[3])));
            continue;
        }
        if (tlf_param_get(param, "x", v[0], sizeof v[0]) || tlf_param_get(param, "n", v[1], sizeof v[1]))
            return tlf_err_set(err, TLF_EUSAGE, "binomial param %s", param);
        double lcl, ucl;
        int bad = !strcmp(gc->analysis, "wilson") ? binom_wilson(atof(v[0]), atof(v[1]), 0.95, &lcl, &ucl)
                                                  : binom_clopper_pearson(atof(v[0]), atof(v[1]), 0.95, &lcl, &ucl);
        if (bad)
            return tlf_err_set(err, TLF_EUSAGE, "binomial param %s", param);
        tlf_ard_add_real(out, &key, stat, param, !strcmp(stat, "lcl") ? lcl : ucl);
    }
    return TLF_OK;
}

/* paired_t, wilcoxon_signed_rank_normal_cc, describe_change: wk52 - base. */
static int run_paired(tlf_ard *out, const golden_case *gc, tlf_err *err)
{
    const tlf_csv *d = gc->data;
    double *diff = xmalloc(d->nrow * sizeof *diff);
    for (size_t i = 0; i < d->nrow; i++)
        diff[i] = cell_num(d, i, "wk52") - cell_num(d, i, "base");
    tlf_ard_key key = {.analysis_id = gc->analysis, .group_level = ""};
    int rc = TLF_OK;
    if (!strcmp(gc->analysis, "paired_t")) {
        paired_t_result t;
        if (paired_t(diff, d->nrow, 0.95, &t))
            rc = tlf_err_set(err, TLF_EINTERNAL, "paired t failed");
        tlf_ard_add_real(out, &key, "t_mean", "", t.mean);
        tlf_ard_add_real(out, &key, "t_lcl", "", t.lcl);
        tlf_ard_add_real(out, &key, "t_ucl", "", t.ucl);
        tlf_ard_add_real(out, &key, "t_p", "", t.p);
    } else if (!strcmp(gc->analysis, "wilcoxon_signed_rank_normal_cc")) {
        double v, p;
        if (wilcoxon_signed_rank(diff, d->nrow, &v, &p))
            rc = tlf_err_set(err, TLF_EINTERNAL, "Wilcoxon failed");
        tlf_ard_add_real(out, &key, "wilcoxon_v", "", v);
        tlf_ard_add_real(out, &key, "wilcoxon_p", "", p);
    } else {
        describe_result r;
        if (describe(diff, d->nrow, &r))
            rc = tlf_err_set(err, TLF_EINTERNAL, "describe failed");
        tlf_ard_add_int(out, &key, "n", "", (long long)r.n);
        tlf_ard_add_real(out, &key, "mean", "", r.mean);
        tlf_ard_add_real(out, &key, "sd", "", r.sd);
        tlf_ard_add_real(out, &key, "se", "", r.se);
        tlf_ard_add_real(out, &key, "median", "", r.median);
        tlf_ard_add_real(out, &key, "q1", "", r.q1);
        tlf_ard_add_real(out, &key, "q3", "", r.q3);
        tlf_ard_add_real(out, &key, "min", "", r.min);
        tlf_ard_add_real(out, &key, "max", "", r.max);
    }
    free(diff);
    return rc;
}

static int run_km_iptw(tlf_ard *out, const golden_case *gc, tlf_err *err)
{
    const tlf_csv *d = gc->data;
    /* a copy of the table with a weight column appended, via CSV text */
    double *w = xmalloc(d->nrow * sizeof *w);
    int rc = iptw_weights(gc, w, err);
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
    {"cox_", run_cox},
    {"logit_trt", run_logit},
    {"clopper_pearson", run_by_param},
    {"wilson", run_by_param},
    {"fisher_2x2", run_by_param},
    {"paired_t", run_paired},
    {"wilcoxon_signed_rank_normal_cc", run_paired},
    {"describe_change", run_paired},
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

/* param without its ci= and level= pairs (golden params never carry them) */
static void strip_ci(const char *param, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = param; *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (strncmp(p, "ci=", 3) != 0 && strncmp(p, "level=", 6) != 0 && o + len + 2 < outsz) {
            if (o)
                out[o++] = ';';
            memcpy(out + o, p, len);
            out[o += len] = '\0';
        }
        p += len + (end ? 1 : 0);
    }
}

static const tlf_ard_row *find_row(const tlf_ard *ard, const char *group, const char *stat,
                                   const char *param)
{
    char p[128];
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

static void test_golden_every_row(void **state)
{
    (void)state;
    tlf_err err;
    tlf_err_clear(&err);
    char *path = test_source_path("tests/reference/golden.csv");
    tlf_csv *gold = NULL;
    assert_int_equal(tlf_csv_read(&gold, path, &err), TLF_OK);
    free(path);
    size_t expect_rows = 0, checked = 0, failures = 0;
    expect_rows = gold->nrow;

    char *done_flags = xcalloc(gold->nrow, 1);
    for (size_t r = 0; r < gold->nrow; r++) {
        const char *dsname = tlf_csv_cell(gold, r, 0), *analysis = tlf_csv_cell(gold, r, 1);
        if (done_flags[r])
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
        tlf_csv *data = NULL;
        if (strcmp(dsname, "binomial") != 0 && strcmp(dsname, "fisher") != 0) {
            char *rel = xasprintf("tests/reference/datasets/%s.csv", dsname);
            char *dpath = test_source_path(rel);
            free(rel);
            assert_int_equal(tlf_csv_read(&data, dpath, &err), TLF_OK);
            free(dpath);
        }
        golden_case gc = {ds, data, gold, analysis, lm, nlm};
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
    printf("golden: checked %zu of %zu golden.csv values, %zu failures\n", checked, expect_rows,
           failures);
    assert_int_equal(checked, expect_rows);
    assert_int_equal(expect_rows, 6194);   /* every row of golden.csv */
    assert_int_equal(failures, 0);
    free(done_flags);
    tlf_csv_free(gold);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_every_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
