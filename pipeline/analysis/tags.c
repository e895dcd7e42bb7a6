/*
 * tags.c - which of an analysis's records each output does not show.
 *
 * Stage: analysis (ARD). An analysis tags all its records with the outputs
 * it feeds (output_id); several statistics are computed for the record
 * (a standard error, quartiles, the log-rank observed and expected, the
 * whole KM curve) but only some are printed, and a table and its figure
 * show different parts of one KM analysis. docs/ard.md says output_id
 * names the outputs showing the number, so after the analyses ran the
 * rules below remove each output from the records it does not show (an
 * empty output_id: a number no output shows). The run checks the result:
 * every record tagged with an output is read by that output (run/pipeline.c
 * coverage_check, tests/e2e/test_interims.c). Values never change.
 *
 * A rule names outputs and analyses by pattern, not by study: "F*" every
 * figure, "1*" every table, "*_km" every KM analysis (os_km, pfs_km; not
 * os_km_iptw), so a study whose parameters or endpoints differ is covered.
 */
#include "analysis/analysis.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* Which records of the analysis a rule covers: any; those whose param is
 * empty, starts "t=" or has one key=value; COVARIATE: a model's terms
 * other than the arm's (variable neither "model" nor ARMCD<level>). */
typedef enum param_cond { ANY = 0, EMPTY, TIME, ONE_KEY, COVARIATE } param_cond;

typedef struct tag_rule {
    const char *output;      /* exact id, or a prefix ending in '*'          */
    const char *analysis;    /* exact id, or '*' + a suffix                  */
    param_cond cond;         /* see param_cond                               */
    const char *stats;       /* space-separated; "*" every statistic         */
    const char *variable;    /* only records of this variable; NULL any      */
} tag_rule;

static const tag_rule RULES[] = {
    /* descriptive statistics: tables show n, mean (SD), median, min, max */
    {"1*", "demog", ANY, "se", NULL},
    {"1*", "exposure", ANY, "se", NULL},
    {"1*", "trough", ANY, "se", NULL},
    {"1*", "gcdose", ANY, "se", NULL},
    {"1*", "*_aval", ANY, "q1 q3 se", NULL},
    {"1*", "*_chg", ANY, "q1 q3 se wilcoxon_v", NULL},
    {"1*", "lab", ANY, "q1 q3 se", NULL},
    /* 14.2.5.1 takes N from its column headers; the figure's legend shows it */
    {"1*", "*_aval", EMPTY, "n", NULL},
    /* the visits' target days place them on the figure's time axis */
    {"1*", "*_aval", ANY, "target_day", NULL},
    /* the visit figure shows the mean +/- SE and n of the values, not change */
    {"F*", "*_aval", ANY, "dp order max median min q1 q3 sd", NULL},
    {"F*", "*_chg", ANY, "*", NULL},
    /* KM tables: landmark, median and events; the curve is the figure's */
    {"1*", "*_km", TIME, "n_risk n_event n_censor surv lcl ucl se_surv", NULL},
    {"1*", "*_km", EMPTY, "n_event n_censor", NULL},
    {"1*", "*_km", ANY, "q25 q25_lcl q25_ucl q75 q75_lcl q75_ucl se_at", NULL},
    /* KM figures: the curve, censor marks, numbers at risk (from n_risk) */
    {"F*", "*_km", ANY, "n_event n_risk_at median median_lcl median_ucl q25 q25_lcl q25_ucl "
                        "q75 q75_lcl q75_ucl se_at se_surv", NULL},
    {"F*", "*_km", EMPTY, "n_censor", NULL},
    /* the figure footnote prints the landmark values ("NE" when empty);
     * the reason is the table's note */
    {"F*", "*_km", ANY, "estimable", NULL},
    /* log-rank tests: the tables show the p-value */
    {"*", "*_logrank", ANY, "chisq df expected observed n_excluded", NULL},
    {"*", "*_logrank_strat", ANY, "chisq df expected observed n_excluded", NULL},
    /* Cox models: the hazard ratio and its CI (the adjusted model's with
     * its p-value, for the arm only); the coefficients, the covariates and
     * the model tests are in the ARD for QC. A model behind a table that
     * shows no HR (PFS, TFF: sap.md) tags nothing it shows. */
    {"*", "*_cox", EMPTY, "n n_event", NULL},
    {"*", "*_cox", ANY, "coef se loglik lr_chisq p_wald score_chisq wald_chisq", NULL},
    {"*", "*_cox_adj", ANY, "n_excluded coef se loglik lr_chisq score_chisq wald_chisq", NULL},
    {"*", "*_cox_adj", COVARIATE, "*", NULL},
    /* the grade table shows subjects, not events */
    {"*", "ae_grade", ANY, "n_event", NULL},
    /* the shift table shows its columns' n, not the parameter's total */
    {"*", "lab_shift", ONE_KEY, "n", NULL},
    /* every enrolled subject is enrolled: the row shows n without (100%) */
    {"*", "disposition", ANY, "pct", "ENRLFL"},
};

static int match_prefix(const char *pat, const char *s)
{
    size_t n = strlen(pat);
    if (n && pat[n - 1] == '*')
        return strncmp(pat, s, n - 1) == 0;
    return strcmp(pat, s) == 0;
}

static int match_suffix(const char *pat, const char *s)
{
    if (pat[0] != '*')
        return strcmp(pat, s) == 0;
    size_t np = strlen(pat + 1), ns = strlen(s);
    return ns >= np && strcmp(s + ns - np, pat + 1) == 0;
}

static int has_word(const char *list, const char *w)
{
    if (strcmp(list, "*") == 0)
        return 1;
    size_t n = strlen(w);
    for (const char *p = list; (p = strstr(p, w)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

static int cond_holds(param_cond c, const tlf_ard_row *r)
{
    const char *param = r->param;
    switch (c) {
    case EMPTY: return *param == '\0';
    case TIME: return strncmp(param, "t=", 2) == 0;
    case ONE_KEY: return *param && !strchr(param, ';');
    case COVARIATE:
        return strcmp(r->variable, "model") != 0 && strncmp(r->variable, "ARMCD", 5) != 0;
    default: return 1;
    }
}

/* Does some rule say output `out` does not show record r? */
static int hidden(const tlf_ard_row *r, const char *out)
{
    for (size_t k = 0; k < sizeof RULES / sizeof RULES[0]; k++) {
        const tag_rule *u = &RULES[k];
        if (match_suffix(u->analysis, r->analysis_id) && match_prefix(u->output, out) &&
            cond_holds(u->cond, r) && has_word(u->stats, r->stat_name) &&
            (!u->variable || strcmp(u->variable, r->variable) == 0))
            return 1;
    }
    return 0;
}

void analysis_untag_unshown(tlf_ard *ard, size_t from)
{
    for (size_t i = from; i < ard->n; i++) {
        tlf_ard_row *r = &ard->rows[i];
        if (!*r->output_id)
            continue;
        /* rebuild output_id from the outputs that show the record */
        char *ids = xstrdup(r->output_id), *save = NULL;
        size_t len = 0;
        int changed = 0;
        for (char *tok = strtok_r(ids, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
            if (hidden(r, tok)) {
                changed = 1;
                continue;
            }
            if (len)
                r->output_id[len++] = ';';
            memmove(r->output_id + len, tok, strlen(tok));
            len += strlen(tok);
        }
        if (changed)
            r->output_id[len] = '\0';
        free(ids);
    }
}
