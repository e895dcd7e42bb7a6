/*
 * cmd_stats.c - `tlfgen stats METHOD --input FILE.csv ...`: one statistical
 * method on a CSV table, writing ARD records (ard.md) to stdout or --out.
 *
 * Stage: CLI over pipeline/stats. METHODS is the sub-table of methods
 * (name, runner, summary); a new method adds one line and its runner.
 */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/stats_models.h"
#include "ard/ard.h"
#include "core/csv.h"
#include "core/mem.h"
#include "stats/km.h"
#include "stats/surv_input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct stats_method {
    const char *name;
    int (*run)(const char *method, int argc, char **argv);
    const char *summary;
} stats_method;

static int run_survival(const char *method, int argc, char **argv);

static const stats_method METHODS[] = {
    {"km", run_survival, "Kaplan-Meier curves, landmarks and quartiles per group"},
    {"logrank", run_survival, "log-rank test across groups, optionally stratified"},
    {"cox", stats_run_model, "Cox proportional hazards (Efron/Breslow, strata, categorical covariates)"},
    {"logit", stats_run_model, "logistic regression (IRLS) with separation detection"},
    {"iptw", stats_run_model, "propensity (ATT) weights, balance, weighted KM with bootstrap CI"},
    {"binom", stats_run_model, "proportion with Clopper-Pearson or Wilson CI per group"},
    {"fisher", stats_run_model, "Fisher's exact test of a 0/1 response across two groups"},
    {"paired", stats_run_model, "paired t and Wilcoxon signed-rank of a change"},
    {"describe", stats_run_model, "n, mean, SD, SE, median, quartiles, range per group"},
};
#define NMETHODS (sizeof METHODS / sizeof METHODS[0])

static const cli_opt SURV_OPTS[] = {
    {"input", "FILE", "CSV table with a header row (empty or NA = missing)", 0},
    {"time", "COL", "time column (a number >= 0)", 0},
    {"event", "COL", "event column: 1 = event, 0 = censored", 0},
    {"cnsr", "COL", "ADaM CNSR column instead: 0 = event, > 0 = censored", 0},
    {"group", "COL", "group column; levels in byte order", 0},
    {"strata", "COL", "strata column (logrank)", 0},
    {"ci", "TYPE", "km CI transform: loglog (default), log or plain", 0},
    {"level", "P", "km confidence level (default 0.95)", 0},
    {"landmarks", "T,T,..", "km landmark times, e.g. 90,180", 0},
    {"weights", "COL", "km case weights (>= 0)", 0},
    {"analysis-id", "ID", "analysis_id of the records (default: the method)", 0},
    {"out", "FILE", "write the ARD here instead of stdout", 0},
    {"timing", NULL, "print the computing time (file reading excluded) on stderr", 0},
    {NULL, NULL, NULL, 0},
};

#define OPT(name) cli_get(&a, SURV_OPTS, name)

/* "90,180" into a fresh array; -1 on a bad number. */
static int parse_landmarks(const char *s, double **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!s)
        return 0;
    char *copy = xstrdup(s), *save = NULL;
    size_t cap = 0;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        double v;
        if (tlf_parse_double(tok, &v) != 0) {
            rc = -1;
            break;
        }
        XGROW(*out, cap, *n + 1);
        (*out)[(*n)++] = v;
    }
    if (rc == 0 && *n == 0)
        rc = -1;
    free(copy);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_survival(const char *method, int argc, char **argv)
{
    char cmd[64], usage[256];
    snprintf(cmd, sizeof cmd, "stats %s", method);
    snprintf(usage, sizeof usage,
             "tlfgen stats %s --input FILE.csv --time COL (--event COL | --cnsr COL) [options]",
             method);
    int is_km = strcmp(method, "km") == 0;
    cli_args a;
    int rc = cli_parse(&a, cmd, usage,
                       is_km ? "Kaplan-Meier per group as R's survfit/summary/quantile.survfit; "
                               "ARD records on stdout (docs/stats.md)."
                             : "Log-rank test as R's survdiff; ARD records on stdout (docs/stats.md).",
                       SURV_OPTS, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;

    tlf_err err;
    tlf_err_clear(&err);
    tlf_csv *csv = NULL;
    surv_input *in = NULL;
    tlf_ard *ard = NULL;
    double *landmarks = NULL;
    size_t n_landmarks = 0;
    km_ci_type ci = KM_CI_LOGLOG;
    double level = 0.95;

    if (!OPT("input") || !OPT("time")) {
        rc = cli_usage_error(cmd, "--input and --time are required");
        goto done;
    }
    if (!OPT("event") == !OPT("cnsr")) {
        rc = cli_usage_error(cmd, "give one of --event or --cnsr");
        goto done;
    }
    if (is_km && OPT("strata")) {
        rc = cli_usage_error(cmd, "--strata applies to logrank");
        goto done;
    }
    if (!is_km && (OPT("ci") || OPT("level") || OPT("landmarks") || OPT("weights"))) {
        rc = cli_usage_error(cmd, "--ci, --level, --landmarks and --weights apply to km");
        goto done;
    }
    if (OPT("ci") && km_ci_parse(OPT("ci"), &ci) != 0) {
        rc = cli_usage_error(cmd, "--ci '%s' is not log, loglog or plain", OPT("ci"));
        goto done;
    }
    if (OPT("level") && (tlf_parse_double(OPT("level"), &level) != 0 || !(level > 0 && level < 1))) {
        rc = cli_usage_error(cmd, "--level '%s' is not a number in (0, 1)", OPT("level"));
        goto done;
    }
    if (parse_landmarks(OPT("landmarks"), &landmarks, &n_landmarks) != 0) {
        rc = cli_usage_error(cmd, "--landmarks '%s' is not a list of numbers", OPT("landmarks"));
        goto done;
    }

    if ((rc = tlf_csv_read(&csv, OPT("input"), &err)))
        goto fail;
    surv_cols cols = {OPT("time"), OPT("event"), OPT("cnsr"), OPT("group"), OPT("strata"),
                      OPT("weights")};
    if ((rc = surv_input_from_csv(&in, csv, OPT("input"), &cols, &err)))
        goto fail;
    if (in->n_dropped)
        fprintf(stderr, "tlfgen %s: dropped %zu of %zu rows with a missing analysis value\n", cmd,
                in->n_dropped, csv->nrow);

    ard = tlf_ard_new();
    tlf_ard_key key = {0};
    key.analysis_id = OPT("analysis-id") ? OPT("analysis-id") : method;
    key.group = OPT("group");
    key.variable = OPT("time");
    double t0 = now_seconds();
    rc = is_km ? surv_run_km(ard, &key, in, ci, level, landmarks, n_landmarks, &err)
               : surv_run_logrank(ard, &key, in, &err);
    if (rc)
        goto fail;
    if (OPT("timing"))
        fprintf(stderr, "tlfgen %s: %zu rows, %zu groups: computed in %.6f s\n", cmd, in->n,
                in->n_groups, now_seconds() - t0);
    if ((rc = stats_write_ard(ard, OPT("out"), &err)))
        goto fail;
    goto done;
fail:
    rc = cli_fail(cmd, &err);
done:
    free(landmarks);
    tlf_ard_free(ard);
    surv_input_free(in);
    tlf_csv_free(csv);
    cli_args_free(&a);
    return rc;
}

int cmd_stats(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "Usage: tlfgen stats METHOD --input FILE.csv [options]\n\n"
                   "Runs one statistical method on a CSV table and writes ARD records.\n"
                   "'tlfgen stats METHOD --help' lists its options.\n\nMethods:\n");
        for (size_t i = 0; i < NMETHODS; i++)
            fprintf(f, "  %-10s %s\n", METHODS[i].name, METHODS[i].summary);
        fprintf(f, "\n%s", CLI_EXIT_HELP);
        return argc < 2 ? TLF_EXIT_USAGE : 0;
    }
    for (size_t i = 0; i < NMETHODS; i++)
        if (strcmp(METHODS[i].name, argv[1]) == 0)
            return METHODS[i].run(METHODS[i].name, argc - 1, argv + 1);
    return cli_usage_error("stats", "unknown method '%s'", argv[1]);
}
