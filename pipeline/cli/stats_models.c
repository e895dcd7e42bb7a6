/*
 * stats_models.c - `tlfgen stats cox|logit|iptw|binom|fisher|paired|describe
 * --input FILE.csv ...`: the methods of sap.md section 4 beyond KM and
 * log-rank, on a CSV table, writing ARD records (ard.md) to stdout or --out.
 *
 * Stage: CLI over pipeline/stats. One options table serves every method;
 * MODEL_METHODS says which options each method takes (its --help lists only
 * those). Input errors (missing column, non-numeric value, bad 0/1 value)
 * are one line naming the file, column and line, exit 2, as for km/logrank.
 * Stat names and design choices: docs/stats-models.md.
 */
#include "cli/stats_models.h"

#include "ard/ard.h"
#include "cli/cli.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/stop.h"
#include "stats/binom.h"
#include "stats/cox.h"
#include "stats/describe.h"
#include "stats/fisher.h"
#include "stats/iptw.h"
#include "stats/logit.h"
#include "stats/model_frame.h"
#include "stats/paired.h"
#include "stats/surv_input.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const cli_opt MODEL_OPTS[] = {
    {"input", "FILE", "CSV table with a header row (empty or NA = missing)", 0},
    {"time", "COL", "time column (a number >= 0)", 0},
    {"event", "COL", "event column: 1 = event, 0 = censored", 0},
    {"cnsr", "COL", "ADaM CNSR column instead: 0 = event, > 0 = censored", 0},
    {"covariates", "A,B,..", "model covariates; numeric, or categorical (dummies <col><level>)", 0},
    {"reference", "COL=LEVEL", "reference level of a categorical covariate (repeatable)", 1},
    {"ties", "METHOD", "cox tie handling: efron (default) or breslow", 0},
    {"strata", "COL", "cox strata column", 0},
    {"min-events", "N", "cox: fewer events is not estimable (default 5)", 0},
    {"response", "COL", "analysed column (binom/fisher/logit: 0/1; paired: the change)", 0},
    {"before", "COL", "paired: baseline column (change = after - before)", 0},
    {"after", "COL", "paired: follow-up column", 0},
    {"group", "COL", "group column; levels in byte order (iptw: the arm)", 0},
    {"treated", "LEVEL", "iptw: the treated arm's level of --group", 0},
    {"landmarks", "T", "iptw: landmark day of the weighted KM (required)", 0},
    {"boot", "B", "iptw: bootstrap resamples (default 2000)", 0},
    {"seed", "S", "iptw: bootstrap seed, an integer (default 20240521)", 0},
    {"method", "NAME", "binom CI: clopper-pearson (default) or wilson", 0},
    {"level", "P", "confidence level (default 0.95)", 0},
    {"analysis-id", "ID", "analysis_id of the records (default: the method)", 0},
    {"out", "FILE", "write the ARD here instead of stdout", 0},
    {"timing", NULL, "print the computing time (file reading excluded) on stderr", 0},
    {NULL, NULL, NULL, 0},
};

typedef struct model_ctx {
    const char *method, *cmd;
    cli_args a;
    const cli_opt *opts;     /* the method's own options table */
    tlf_csv *csv;
    const char *file;
    tlf_ard *ard;
    tlf_ard_key key;
    double level;
    tlf_err err;
} model_ctx;

typedef int (*model_fn)(model_ctx *c);

typedef struct model_method {
    const char *name, *synopsis, *about;
    const char *options;     /* space-separated names of the options it takes */
    model_fn run;
} model_method;

static int run_cox(model_ctx *c);
static int run_logit(model_ctx *c);
static int run_iptw(model_ctx *c);
static int run_binom(model_ctx *c);
static int run_fisher(model_ctx *c);
static int run_paired(model_ctx *c);
static int run_describe(model_ctx *c);

#define COMMON " level analysis-id out timing"
static const model_method MODEL_METHODS[] = {
    {"cox", "--time COL (--event COL | --cnsr COL) --covariates A,B [options]",
     "Cox proportional hazards as R's coxph (Efron or Breslow ties, strata).",
     "input time event cnsr covariates reference ties strata min-events" COMMON, run_cox},
    {"logit", "--response COL --covariates A,B [options]",
     "Logistic regression as R's glm(binomial), with separation detection.",
     "input response covariates reference analysis-id out timing", run_logit},
    {"iptw", "--time COL (--event COL | --cnsr COL) --group COL --treated LEVEL --covariates A,B",
     "Propensity score (ATT) weighting: model, weights, balance, weighted KM at a landmark "
     "with a percentile bootstrap CI.",
     "input time event cnsr group treated covariates reference landmarks boot seed" COMMON, run_iptw},
    {"binom", "--response COL [--group COL] [--method clopper-pearson|wilson]",
     "Proportion of 1s per group with a Clopper-Pearson (or Wilson) CI.",
     "input response group method" COMMON, run_binom},
    {"fisher", "--response COL --group COL",
     "Fisher's exact test (two-sided, R's rule) of a 0/1 response across two groups.",
     "input response group analysis-id out timing", run_fisher},
    {"paired", "(--response CHANGE | --before COL --after COL)",
     "Paired t (mean, CI, p) and Wilcoxon signed-rank (R exact=FALSE, correct=TRUE).",
     "input response before after" COMMON, run_paired},
    {"describe", "--response COL [--group COL]",
     "n, mean, SD, SE, median, Q1, Q3 (R type 2 = SAS QNTLDEF=5), min, max per group.",
     "input response group analysis-id out timing", run_describe},
};
#define NMODEL_METHODS (sizeof MODEL_METHODS / sizeof MODEL_METHODS[0])

/* The value of option name, NULL when absent or not one of the method's. */
static const char *opt(const model_ctx *c, const char *name)
{
    for (size_t i = 0; c->opts[i].name; i++)
        if (strcmp(c->opts[i].name, name) == 0)
            return c->a.val[i];
    return NULL;
}

static int opt_all(const model_ctx *c, const char *name, const char ***vals, size_t *n)
{
    for (size_t i = 0; c->opts[i].name; i++)
        if (strcmp(c->opts[i].name, name) == 0) {
            *vals = c->a.all[i];
            *n = c->a.nall[i];
            return 0;
        }
    *vals = NULL;
    *n = 0;
    return -1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Split "A,B" into a fresh array of fresh strings. */
static char **split_list(const char *s, size_t *n)
{
    char **out = NULL;
    size_t cap = 0;
    *n = 0;
    const char *p = s;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len) {
            XGROW(out, cap, *n + 1);
            out[(*n)++] = xstrndup(p, len);
        }
        p = end ? end + 1 : NULL;
    }
    return out;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

/* Column index of name, or TLF_EDATA naming the file. */
static int need_col(model_ctx *c, const char *name, size_t *col)
{
    int k = tlf_csv_col(c->csv, name);
    if (k < 0)
        return tlf_err_set(&c->err, TLF_EDATA, "%s: no column '%s'", c->file, name);
    *col = (size_t)k;
    return TLF_OK;
}

/* The number in (row, col); TLF_EDATA naming column and line when it is not
 * one (or, when binary, not 0 or 1). A missing cell gives NaN. */
static int cell_number(model_ctx *c, size_t row, size_t col, int binary, double *out)
{
    const char *s = tlf_csv_cell(c->csv, row, col);
    *out = NAN;
    if (!s)
        return TLF_OK;
    if (tlf_parse_double(s, out) != 0)
        return tlf_err_set(&c->err, TLF_EDATA, "%s: column '%s', line %zu: value '%s' is not a number",
                           c->file, c->csv->header[col], row + 2, s);
    if (binary && *out != 0 && *out != 1)
        return tlf_err_set(&c->err, TLF_EDATA, "%s: column '%s', line %zu: value '%s' is not 0 or 1",
                           c->file, c->csv->header[col], row + 2, s);
    return TLF_OK;
}

/* Design matrix of --covariates (with --reference) over the rows in use. */
static int build_frame(model_ctx *c, const unsigned char *use, int intercept, model_frame **mf)
{
    *mf = NULL;
    if (!opt(c, "covariates"))
        return tlf_err_set(&c->err, TLF_EUSAGE, "--covariates is required");
    size_t ncov = 0, nref = 0;
    char **cov = split_list(opt(c, "covariates"), &ncov);
    const char **refv;
    opt_all(c, "reference", &refv, &nref);
    mf_ref *refs = xcalloc(nref + 1, sizeof *refs);
    char **refcopy = xcalloc(nref + 1, sizeof *refcopy);
    int rc = TLF_OK;
    for (size_t i = 0; i < nref; i++) {
        refcopy[i] = xstrdup(refv[i]);
        char *eq = strchr(refcopy[i], '=');
        if (!eq || eq == refcopy[i]) {
            rc = tlf_err_set(&c->err, TLF_EUSAGE, "--reference '%s' is not COL=LEVEL", refv[i]);
            goto done;
        }
        *eq = '\0';
        refs[i].column = refcopy[i];
        refs[i].level = eq + 1;
    }
    if (ncov == 0) {
        rc = tlf_err_set(&c->err, TLF_EUSAGE, "--covariates names no column");
        goto done;
    }
    mf_table t = mf_table_from_csv(c->csv, c->file);
    rc = model_frame_build(mf, &t, (const char *const *)cov, ncov, refs, nref, use, intercept, &c->err);
    if (!rc && (*mf)->n_missing)
        fprintf(stderr, "tlfgen %s: dropped %zu rows with a missing covariate\n", c->cmd,
                (*mf)->n_missing);
done:
    free_list(cov, ncov);
    free_list(refcopy, nref);
    free(refs);
    return rc;
}

/* Survival columns validated by surv_input (group/strata optional), the
 * rows it keeps flagged in use[], and pos[r] = row r's index in *in. */
static int survival_rows(model_ctx *c, const char *group, const char *strata, surv_input **in,
                         unsigned char **use, size_t **pos)
{
    surv_cols cols = {opt(c, "time"), opt(c, "event"), opt(c, "cnsr"), group, strata, NULL};
    *use = NULL;
    *pos = NULL;
    if (!cols.time || !cols.event == !cols.cnsr)
        return tlf_err_set(&c->err, TLF_EUSAGE, "give --time and one of --event or --cnsr");
    int rc = surv_input_from_csv(in, c->csv, c->file, &cols, &c->err);
    if (rc)
        return rc;
    if ((*in)->n_dropped)
        fprintf(stderr, "tlfgen %s: dropped %zu of %zu rows with a missing analysis value\n", c->cmd,
                (*in)->n_dropped, c->csv->nrow);
    const char *names[] = {cols.time, cols.event, cols.cnsr, group, strata};
    *use = xmalloc(c->csv->nrow + 1);
    *pos = xmalloc((c->csv->nrow + 1) * sizeof **pos);
    size_t k = 0;
    for (size_t r = 0; r < c->csv->nrow; r++) {
        (*use)[r] = 1;
        for (size_t q = 0; q < sizeof names / sizeof names[0]; q++)
            if (names[q] && !tlf_csv_cell(c->csv, r, (size_t)tlf_csv_col(c->csv, names[q])))
                (*use)[r] = 0;
        (*pos)[r] = (*use)[r] ? k++ : (size_t)-1;
    }
    return TLF_OK;
}

static int run_cox(model_ctx *c)
{
    cox_options o;
    cox_options_default(&o);
    o.conf_level = c->level;
    const char *ties = opt(c, "ties"), *me = opt(c, "min-events");
    if (ties && strcmp(ties, "efron") && strcmp(ties, "breslow"))
        return tlf_err_set(&c->err, TLF_EUSAGE, "--ties '%s' is not efron or breslow", ties);
    o.ties = ties && !strcmp(ties, "breslow") ? COX_BRESLOW : COX_EFRON;
    if (me) {
        char *end;
        errno = 0;
        long v = strtol(me, &end, 10);
        if (errno || *end || end == me || v < 1 || v > 1000000)
            return tlf_err_set(&c->err, TLF_EUSAGE, "--min-events '%s' is not a whole number >= 1", me);
        o.min_events = (int)v;
    }
    surv_input *in = NULL;
    unsigned char *use = NULL;
    size_t *pos = NULL;
    model_frame *mf = NULL;
    cox_result *r = NULL;
    double *time = NULL;
    int *event = NULL, *strata = NULL;
    int rc = survival_rows(c, NULL, opt(c, "strata"), &in, &use, &pos);
    if (rc || (rc = build_frame(c, use, 0, &mf)))
        goto done;
    time = xmalloc(mf->n * sizeof *time);
    event = xmalloc(mf->n * sizeof *event);
    if (in->strata)
        strata = xmalloc(mf->n * sizeof *strata);
    for (size_t i = 0; i < mf->n; i++) {
        size_t k = pos[mf->row[i]];
        time[i] = in->time[k];
        event[i] = in->event[k];
        if (strata)
            strata[i] = in->strata[k];
    }
    double t0 = now_seconds();
    rc = cox_fit(&r, time, event, mf->x, mf->n, mf->p, strata, (const char *const *)mf->names, &o, &c->err);
    if (rc)
        goto done;
    if (opt(c, "timing"))
        fprintf(stderr, "tlfgen %s: %zu rows, %zu covariates: fitted in %.6f s (%d iterations)\n",
                c->cmd, mf->n, mf->p, now_seconds() - t0, r->iterations);
    c->key.variable = NULL;
    cox_emit_ard(c->ard, &c->key, (const char *const *)mf->names, r);
done:
    cox_result_free(r);
    model_frame_free(mf);
    surv_input_free(in);
    free(use);
    free(pos);
    free(time);
    free(event);
    free(strata);
    return rc;
}

/* The 0/1 response: flags rows where present, values in y (NaN missing). */
static int binary_response(model_ctx *c, double **y, unsigned char **use, size_t *col)
{
    *y = NULL;
    *use = NULL;
    if (!opt(c, "response"))
        return tlf_err_set(&c->err, TLF_EUSAGE, "--response is required");
    int rc = need_col(c, opt(c, "response"), col);
    if (rc)
        return rc;
    *y = xmalloc((c->csv->nrow + 1) * sizeof **y);
    *use = xmalloc(c->csv->nrow + 1);
    for (size_t r = 0; r < c->csv->nrow; r++) {
        if ((rc = cell_number(c, r, *col, 1, &(*y)[r])))
            return rc;
        (*use)[r] = !isnan((*y)[r]);
    }
    return TLF_OK;
}

static int run_logit(model_ctx *c)
{
    double *yall = NULL, *y = NULL;
    unsigned char *use = NULL;
    model_frame *mf = NULL;
    logit_result *r = NULL;
    size_t col = 0;
    int rc = binary_response(c, &yall, &use, &col);
    if (rc || (rc = build_frame(c, use, 1, &mf)))
        goto done;
    y = xmalloc(mf->n * sizeof *y);
    for (size_t i = 0; i < mf->n; i++)
        y[i] = yall[mf->row[i]];
    if ((rc = logit_fit(&r, y, mf->x, mf->n, mf->p, (const char *const *)mf->names, &c->err)))
        goto done;
    tlf_ard_key k = c->key;
    if (r->estimable)
        for (size_t j = 0; j < mf->p; j++) {
            k.variable = mf->names[j];
            tlf_ard_add_real(c->ard, &k, "coef", "", r->coef[j]);
            tlf_ard_add_real(c->ard, &k, "se", "", r->se[j]);
        }
    k.variable = "model";
    tlf_buf reason = {0};
    if (!r->estimable)
        tlf_param_add(&reason, "reason", r->reason);
    tlf_ard_add_int(c->ard, &k, "estimable", tlf_buf_cstr(&reason), r->estimable);
    tlf_ard_add_int(c->ard, &k, "n", "", (long long)mf->n);
    if (r->estimable)
        tlf_ard_add_real(c->ard, &k, "deviance", "", r->deviance);
    tlf_buf_free(&reason);
done:
    logit_result_free(r);
    model_frame_free(mf);
    free(yall);
    free(y);
    free(use);
    return rc;
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    *out = strtoull(s, &end, 10);
    return (errno || *end || *out > max) ? -1 : 0;
}

static int run_iptw(model_ctx *c)
{
    /* no default landmark: the analysis period is a study's, not the tool's */
    if (!opt(c, "landmarks"))
        return tlf_err_set(&c->err, TLF_EUSAGE, "iptw: --landmarks T is required");
    iptw_options o = {0, 2000, 20240521u, c->level};
    unsigned long long v;
    if (opt(c, "boot")) {
        if (parse_uint(opt(c, "boot"), 1000000, &v))
            return tlf_err_set(&c->err, TLF_EUSAGE, "--boot '%s' is not a whole number", opt(c, "boot"));
        o.n_boot = (int)v;
    }
    if (opt(c, "seed")) {
        if (parse_uint(opt(c, "seed"), UINT64_MAX, &v))
            return tlf_err_set(&c->err, TLF_EUSAGE, "--seed '%s' is not a whole number", opt(c, "seed"));
        o.seed = (uint64_t)v;
    }
    if (opt(c, "landmarks") && tlf_parse_double(opt(c, "landmarks"), &o.landmark) != 0)
        return tlf_err_set(&c->err, TLF_EUSAGE, "--landmarks '%s' is not one number", opt(c, "landmarks"));
    if (!opt(c, "group") || !opt(c, "treated"))
        return tlf_err_set(&c->err, TLF_EUSAGE, "--group and --treated are required");
    surv_input *in = NULL;
    unsigned char *use = NULL;
    size_t *pos = NULL;
    model_frame *mf = NULL;
    iptw_result *r = NULL;
    double *time = NULL;
    int *event = NULL, *treated = NULL, tcode = -1;
    int rc = survival_rows(c, opt(c, "group"), NULL, &in, &use, &pos);
    if (rc)
        goto done;
    for (size_t g = 0; g < in->n_groups; g++)
        if (strcmp(in->group_levels[g], opt(c, "treated")) == 0)
            tcode = (int)g;
    if (in->n_groups != 2 || tcode < 0) {
        rc = tlf_err_set(&c->err, TLF_EDATA, "%s: column '%s' must have two levels, one of them '%s' "
                         "(it has %zu)", c->file, opt(c, "group"), opt(c, "treated"), in->n_groups);
        goto done;
    }
    if ((rc = build_frame(c, use, 1, &mf)))
        goto done;
    time = xmalloc(mf->n * sizeof *time);
    event = xmalloc(mf->n * sizeof *event);
    treated = xmalloc(mf->n * sizeof *treated);
    for (size_t i = 0; i < mf->n; i++) {
        size_t k = pos[mf->row[i]];
        time[i] = in->time[k];
        event[i] = in->event[k];
        treated[i] = in->group[k] == tcode;
    }
    double t0 = now_seconds();
    rc = iptw_fit(&r, time, event, treated, mf->x, mf->n, mf->p, (const char *const *)mf->names, &o, &c->err);
    if (rc)
        goto done;
    if (opt(c, "timing"))
        fprintf(stderr, "tlfgen %s: %zu rows, %d resamples: %.6f s\n", c->cmd, mf->n, o.n_boot,
                now_seconds() - t0);
    if (r->boot_failed)
        fprintf(stderr, "tlfgen %s: %d of %d bootstrap resamples left out (propensity model not "
                "estimable)\n", c->cmd, r->boot_failed, o.n_boot);
    const char *levels[2] = {in->group_levels[1 - tcode], in->group_levels[tcode]};
    tlf_ard_key ps = c->key, km = c->key;
    char *km_id = xasprintf("%s_km", c->key.analysis_id);
    km.analysis_id = km_id;
    iptw_emit_ard(c->ard, &ps, &km, opt(c, "group"), levels, (const char *const *)mf->names, &o, r);
    free(km_id);
done:
    iptw_result_free(r);
    model_frame_free(mf);
    surv_input_free(in);
    free(use);
    free(pos);
    free(time);
    free(event);
    free(treated);
    return rc;
}

/* Group levels (byte order) of the rows flagged in use, and each row's code
 * (-1 when not used or the group cell is missing). No --group: one level "". */
static int group_codes(model_ctx *c, const unsigned char *use, char ***levels, size_t *nlev, int **code)
{
    size_t nr = c->csv->nrow, col = 0;
    *levels = NULL;
    *nlev = 0;
    *code = xmalloc((nr + 1) * sizeof **code);
    const char *g = opt(c, "group");
    int rc = g ? need_col(c, g, &col) : TLF_OK;
    if (rc)
        return rc;
    size_t cap = 0;
    for (size_t r = 0; r < nr; r++) {
        const char *v = g ? tlf_csv_cell(c->csv, r, col) : "";
        (*code)[r] = -1;
        if (!use[r] || !v)
            continue;
        size_t k = 0;
        while (k < *nlev && strcmp((*levels)[k], v) != 0)
            k++;
        if (k == *nlev) {
            XGROW(*levels, cap, *nlev + 1);
            size_t at = 0;   /* insert in byte order, shifting codes up */
            while (at < *nlev && strcmp((*levels)[at], v) < 0)
                at++;
            memmove(*levels + at + 1, *levels + at, (*nlev - at) * sizeof **levels);
            (*levels)[at] = xstrdup(v);
            (*nlev)++;
            for (size_t q = 0; q < r; q++)
                if ((*code)[q] >= (int)at)
                    (*code)[q]++;
            k = at;
        }
        (*code)[r] = (int)k;
    }
    return TLF_OK;
}

static int run_binom(model_ctx *c)
{
    const char *m = opt(c, "method") ? opt(c, "method") : "clopper-pearson";
    int wilson = strcmp(m, "wilson") == 0;
    if (!wilson && strcmp(m, "clopper-pearson") != 0)
        return tlf_err_set(&c->err, TLF_EUSAGE, "--method '%s' is not clopper-pearson or wilson", m);
    double *y = NULL;
    unsigned char *use = NULL;
    char **levels = NULL;
    size_t nlev = 0, col = 0;
    int *code = NULL;
    int rc = binary_response(c, &y, &use, &col);
    if (rc || (rc = group_codes(c, use, &levels, &nlev, &code)))
        goto done;
    tlf_buf param = {0};
    tlf_param_add(&param, "method", m);
    if (fabs(c->level - 0.95) > 1e-12)
        tlf_param_addf(&param, "level", "%.15g", c->level);
    tlf_ard_key k = c->key;
    k.group = opt(c, "group");
    k.variable = opt(c, "response");
    for (size_t g = 0; g < nlev; g++) {
        long n = 0, x = 0;
        for (size_t r = 0; r < c->csv->nrow; r++)
            if (code[r] == (int)g) {
                n++;
                x += y[r] == 1;
            }
        double lcl, ucl;
        if (wilson)
            binom_wilson((double)x, (double)n, c->level, &lcl, &ucl);
        else
            binom_clopper_pearson((double)x, (double)n, c->level, &lcl, &ucl);
        k.group_level = levels[g];
        tlf_ard_add_int(c->ard, &k, "n", "", n);
        tlf_ard_add_int(c->ard, &k, "n_resp", "", x);
        tlf_ard_add_real(c->ard, &k, "pct", "", 100.0 * (double)x / (double)n);
        tlf_ard_add_real(c->ard, &k, "lcl", tlf_buf_cstr(&param), lcl);
        tlf_ard_add_real(c->ard, &k, "ucl", tlf_buf_cstr(&param), ucl);
    }
    tlf_buf_free(&param);
done:
    free_list(levels, nlev);
    free(code);
    free(y);
    free(use);
    return rc;
}

static int run_fisher(model_ctx *c)
{
    double *y = NULL;
    unsigned char *use = NULL;
    char **levels = NULL;
    size_t nlev = 0, col = 0;
    int *code = NULL;
    if (!opt(c, "group"))
        return tlf_err_set(&c->err, TLF_EUSAGE, "--group is required");
    int rc = binary_response(c, &y, &use, &col);
    if (rc || (rc = group_codes(c, use, &levels, &nlev, &code)))
        goto done;
    if (nlev != 2) {
        rc = tlf_err_set(&c->err, TLF_EDATA, "%s: column '%s' must have two levels (it has %zu)",
                         c->file, opt(c, "group"), nlev);
        goto done;
    }
    long cell[2][2] = {{0, 0}, {0, 0}};   /* rows: groups; columns: response 1, 0 */
    for (size_t r = 0; r < c->csv->nrow; r++)
        if (code[r] >= 0)
            cell[code[r]][y[r] == 1 ? 0 : 1]++;
    tlf_ard_key k = c->key;
    k.group = opt(c, "group");
    k.variable = opt(c, "response");
    tlf_ard_add_real(c->ard, &k, "fisher_p", "", fisher_2x2_p(cell[0][0], cell[0][1], cell[1][0], cell[1][1]));
done:
    free_list(levels, nlev);
    free(code);
    free(y);
    free(use);
    return rc;
}

/* The numbers of column name on every row (NaN when missing). */
static int numbers(model_ctx *c, const char *name, double **out)
{
    size_t col = 0;
    *out = NULL;
    int rc = need_col(c, name, &col);
    if (rc)
        return rc;
    *out = xmalloc((c->csv->nrow + 1) * sizeof **out);
    for (size_t r = 0; r < c->csv->nrow && !rc; r++)
        rc = cell_number(c, r, col, 0, &(*out)[r]);
    return rc;
}

static int run_paired(model_ctx *c)
{
    const char *resp = opt(c, "response"), *before = opt(c, "before"), *after = opt(c, "after");
    if (resp ? (before || after) : !(before && after))
        return tlf_err_set(&c->err, TLF_EUSAGE, "give --response CHANGE, or --before and --after");
    double *a = NULL, *b = NULL, *d = NULL;
    int rc = numbers(c, resp ? resp : after, &a);
    if (rc || (!resp && (rc = numbers(c, before, &b))))
        goto done;
    size_t n = 0;
    d = xmalloc((c->csv->nrow + 1) * sizeof *d);
    for (size_t r = 0; r < c->csv->nrow; r++) {
        double v = b ? a[r] - b[r] : a[r];      /* change = after - before */
        if (!isnan(v))
            d[n++] = v;
    }
    if (n < c->csv->nrow)
        fprintf(stderr, "tlfgen %s: dropped %zu of %zu rows with a missing value\n", c->cmd,
                c->csv->nrow - n, c->csv->nrow);
    paired_t_result t;
    double v, p;
    paired_t(d, n, c->level, &t);            /* NaN (empty values) when not computable */
    wilcoxon_signed_rank(d, n, &v, &p);
    tlf_buf param = {0};
    if (fabs(c->level - 0.95) > 1e-12)
        tlf_param_addf(&param, "level", "%.15g", c->level);
    tlf_ard_key k = c->key;
    k.variable = resp ? resp : after;
    tlf_ard_add_int(c->ard, &k, "n", "", (long long)n);
    tlf_ard_add_real(c->ard, &k, "t_mean", "", t.mean);
    tlf_ard_add_real(c->ard, &k, "t_lcl", tlf_buf_cstr(&param), t.lcl);
    tlf_ard_add_real(c->ard, &k, "t_ucl", tlf_buf_cstr(&param), t.ucl);
    tlf_ard_add_real(c->ard, &k, "t_p", "", t.p);
    tlf_ard_add_real(c->ard, &k, "wilcoxon_v", "", v);
    tlf_ard_add_real(c->ard, &k, "wilcoxon_p", "", p);
    tlf_buf_free(&param);
done:
    free(a);
    free(b);
    free(d);
    return rc;
}

static int run_describe(model_ctx *c)
{
    double *x = NULL, *g = NULL;
    unsigned char *use = NULL;
    char **levels = NULL;
    size_t nlev = 0;
    int *code = NULL;
    if (!opt(c, "response"))
        return tlf_err_set(&c->err, TLF_EUSAGE, "--response is required");
    int rc = numbers(c, opt(c, "response"), &x);
    if (rc)
        goto done;
    use = xmalloc(c->csv->nrow + 1);
    for (size_t r = 0; r < c->csv->nrow; r++)
        use[r] = !isnan(x[r]);
    if ((rc = group_codes(c, use, &levels, &nlev, &code)))
        goto done;
    g = xmalloc((c->csv->nrow + 1) * sizeof *g);
    tlf_ard_key k = c->key;
    k.group = opt(c, "group");
    k.variable = opt(c, "response");
    for (size_t l = 0; l < nlev; l++) {
        size_t n = 0;
        for (size_t r = 0; r < c->csv->nrow; r++)
            if (code[r] == (int)l)
                g[n++] = x[r];
        describe_result d;
        describe(g, n, &d);
        k.group_level = levels[l];
        tlf_ard_add_int(c->ard, &k, "n", "", (long long)d.n);
        tlf_ard_add_real(c->ard, &k, "mean", "", d.mean);
        tlf_ard_add_real(c->ard, &k, "sd", "", d.sd);
        tlf_ard_add_real(c->ard, &k, "se", "", d.se);
        tlf_ard_add_real(c->ard, &k, "median", "", d.median);
        tlf_ard_add_real(c->ard, &k, "q1", "", d.q1);
        tlf_ard_add_real(c->ard, &k, "q3", "", d.q3);
        tlf_ard_add_real(c->ard, &k, "min", "", d.min);
        tlf_ard_add_real(c->ard, &k, "max", "", d.max);
    }
done:
    free_list(levels, nlev);
    free(code);
    free(x);
    free(g);
    free(use);
    return rc;
}

int stats_write_ard(const tlf_ard *ard, const char *out, tlf_err *err)
{
    int rc = tlf_stop_check(err);
    if (rc == TLF_OK)
        rc = out ? tlf_ard_write_file(ard, out, err) : tlf_ard_write(ard, stdout, err);
    return rc;
}

int stats_run_model(const char *method, int argc, char **argv)
{
    const model_method *m = NULL;
    for (size_t i = 0; i < NMODEL_METHODS; i++)
        if (strcmp(MODEL_METHODS[i].name, method) == 0)
            m = &MODEL_METHODS[i];
    if (!m)
        return cli_usage_error("stats", "unknown method '%s'", method);

    /* the method's own options table, in MODEL_OPTS order */
    cli_opt opts[sizeof MODEL_OPTS / sizeof MODEL_OPTS[0]];
    size_t no = 0;
    for (size_t i = 0; MODEL_OPTS[i].name; i++) {
        const char *p = strstr(m->options, MODEL_OPTS[i].name);
        size_t l = strlen(MODEL_OPTS[i].name);
        while (p && !((p == m->options || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0')))
            p = strstr(p + 1, MODEL_OPTS[i].name);
        if (p)
            opts[no++] = MODEL_OPTS[i];
    }
    opts[no] = (cli_opt){NULL, NULL, NULL, 0};

    model_ctx c = {0};
    char cmd[64], usage[320];
    snprintf(cmd, sizeof cmd, "stats %s", method);
    snprintf(usage, sizeof usage, "tlfgen stats %s --input FILE.csv %s", method, m->synopsis);
    c.method = method;
    c.cmd = cmd;
    c.opts = opts;
    c.level = 0.95;
    tlf_err_clear(&c.err);
    int rc = cli_parse(&c.a, cmd, usage, m->about, opts, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    if (!opt(&c, "input")) {
        rc = cli_usage_error(cmd, "--input is required");
        goto done;
    }
    if (opt(&c, "level") && (tlf_parse_double(opt(&c, "level"), &c.level) != 0 ||
                             !(c.level > 0 && c.level < 1))) {
        rc = cli_usage_error(cmd, "--level '%s' is not a number in (0, 1)", opt(&c, "level"));
        goto done;
    }
    c.file = opt(&c, "input");
    if ((rc = tlf_csv_read(&c.csv, c.file, &c.err)))
        goto fail;
    c.ard = tlf_ard_new();
    c.key.analysis_id = opt(&c, "analysis-id") ? opt(&c, "analysis-id") : method;
    if ((rc = m->run(&c)))
        goto fail;
    if ((rc = stats_write_ard(c.ard, opt(&c, "out"), &c.err)))
        goto fail;
    goto done;
fail:
    rc = cli_fail(cmd, &c.err);
done:
    tlf_ard_free(c.ard);
    tlf_csv_free(c.csv);
    cli_args_free(&c.a);
    return rc;
}
