/*
 * stats_ard.c - ARD records of Kaplan-Meier and log-rank (see stats_ard.h).
 * Stage: statistics -> ARD; ard.md "Statistic names".
 */
#include "stats/stats_ard.h"
#include "core/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stats_fmt_num(char *out, size_t outsz, double v)
{
    snprintf(out, outsz, "%.15g", v);
    if (strtod(out, NULL) != v)
        snprintf(out, outsz, "%.17g", v);
}

void stats_ard_add_count(tlf_ard *ard, const tlf_ard_key *key, const char *stat,
                         const char *param, double v)
{
    if (isfinite(v) && v == floor(v) && fabs(v) < 9007199254740992.0)
        tlf_ard_add_int(ard, key, stat, param, (long long)v);
    else
        tlf_ard_add_real(ard, key, stat, param, v);
}

/* "t=DAY" (t may be NAN: no t), then ";ci=...;level=..." when with_ci. */
static void make_param(tlf_buf *b, double t, const km_curve *c, int with_ci)
{
    char num[40];
    tlf_buf_reset(b);
    if (!isnan(t)) {
        stats_fmt_num(num, sizeof num, t);
        tlf_param_add(b, "t", num);
    }
    if (with_ci) {
        tlf_param_add(b, "ci", km_ci_name(c->ci));
        if (c->conf_level != 0.95) {
            stats_fmt_num(num, sizeof num, c->conf_level);
            tlf_param_add(b, "level", num);
        }
    }
}

void km_emit_ard(tlf_ard *ard, const tlf_ard_key *key, const km_curve *c,
                 const double *landmarks, size_t n_landmarks)
{
    tlf_buf prm = TLF_BUF_INIT, prm_ci = TLF_BUF_INIT;
    stats_ard_add_count(ard, key, "n", NULL, c->n);
    stats_ard_add_count(ard, key, "n_event", NULL, c->n_event_total);
    stats_ard_add_count(ard, key, "n_censor", NULL, c->n_censor_total);
    for (size_t k = 0; k < c->n_times; k++) {
        make_param(&prm, c->time[k], c, 0);
        make_param(&prm_ci, c->time[k], c, 1);
        const char *p = tlf_buf_cstr(&prm), *pc = tlf_buf_cstr(&prm_ci);
        stats_ard_add_count(ard, key, "n_risk", p, c->n_risk[k]);
        stats_ard_add_count(ard, key, "n_event", p, c->n_event[k]);
        stats_ard_add_count(ard, key, "n_censor", p, c->n_censor[k]);
        tlf_ard_add_real(ard, key, "surv", p, c->surv[k]);
        tlf_ard_add_real(ard, key, "se_surv", p, c->se_surv[k]);
        tlf_ard_add_real(ard, key, "lcl", pc, c->lcl[k]);
        tlf_ard_add_real(ard, key, "ucl", pc, c->ucl[k]);
    }
    for (size_t l = 0; l < n_landmarks; l++) {
        km_point pt;
        km_at(c, landmarks[l], &pt);
        make_param(&prm, landmarks[l], c, 0);
        make_param(&prm_ci, landmarks[l], c, 1);
        const char *p = tlf_buf_cstr(&prm), *pc = tlf_buf_cstr(&prm_ci);
        /* sap.md section 4: no estimate at a time beyond the arm's last
         * follow-up (an early interim), where R's extend=TRUE carries the
         * last value forward; a curve already at 0 stays 0 */
        int beyond = c->n_times == 0 || (landmarks[l] > c->time[c->n_times - 1] &&
                                         c->surv[c->n_times - 1] > 0);
        if (beyond) {
            char day[40];
            stats_fmt_num(day, sizeof day, landmarks[l]);
            tlf_buf why = TLF_BUF_INIT;
            tlf_buf_puts(&why, p);
            tlf_param_addf(&why, "reason", "no subject followed to day %s", day);
            tlf_ard_add_int(ard, key, "estimable", tlf_buf_cstr(&why), 0);
            tlf_buf_free(&why);
            pt.surv = pt.se = pt.lcl = pt.ucl = NAN;
        } else {
            tlf_ard_add_int(ard, key, "estimable", p, 1);
        }
        tlf_ard_add_real(ard, key, "surv_at", p, pt.surv);
        tlf_ard_add_real(ard, key, "se_at", p, pt.se);
        tlf_ard_add_real(ard, key, "lcl_at", pc, pt.lcl);
        tlf_ard_add_real(ard, key, "ucl_at", pc, pt.ucl);
        stats_ard_add_count(ard, key, "n_risk_at", p, pt.n_risk);
    }
    static const struct { double p; const char *est, *lcl, *ucl; } quants[] = {
        {0.25, "q25", "q25_lcl", "q25_ucl"},
        {0.50, "median", "median_lcl", "median_ucl"},
        {0.75, "q75", "q75_lcl", "q75_ucl"},
    };
    make_param(&prm_ci, NAN, c, 1);
    for (size_t j = 0; j < sizeof quants / sizeof quants[0]; j++) {
        km_quant q;
        km_quantile(c, quants[j].p, &q);
        tlf_ard_add_real(ard, key, quants[j].est, NULL, q.est);
        tlf_ard_add_real(ard, key, quants[j].lcl, tlf_buf_cstr(&prm_ci), q.lcl);
        tlf_ard_add_real(ard, key, quants[j].ucl, tlf_buf_cstr(&prm_ci), q.ucl);
    }
    tlf_buf_free(&prm);
    tlf_buf_free(&prm_ci);
}

void km_emit_ard_empty(tlf_ard *ard, const tlf_ard_key *key, km_ci_type ci, double conf_level,
                       const double *landmarks, size_t n_landmarks)
{
    /* a curve of nobody: its counts are 0 and every estimate is missing
     * (R's survfit refuses an empty group; S=1 would claim a survival) */
    km_curve c;
    memset(&c, 0, sizeof c);
    c.ci = ci;
    c.conf_level = conf_level;
    tlf_buf prm = TLF_BUF_INIT, prm_ci = TLF_BUF_INIT;
    stats_ard_add_count(ard, key, "n", NULL, 0);
    stats_ard_add_count(ard, key, "n_event", NULL, 0);
    stats_ard_add_count(ard, key, "n_censor", NULL, 0);
    for (size_t l = 0; l < n_landmarks; l++) {
        make_param(&prm, landmarks[l], &c, 0);
        make_param(&prm_ci, landmarks[l], &c, 1);
        const char *p = tlf_buf_cstr(&prm), *pc = tlf_buf_cstr(&prm_ci);
        tlf_buf why = TLF_BUF_INIT;
        tlf_buf_puts(&why, p);
        tlf_param_add(&why, "reason", "no subjects");
        tlf_ard_add_int(ard, key, "estimable", tlf_buf_cstr(&why), 0);
        tlf_buf_free(&why);
        tlf_ard_add_real(ard, key, "surv_at", p, NAN);
        tlf_ard_add_real(ard, key, "se_at", p, NAN);
        tlf_ard_add_real(ard, key, "lcl_at", pc, NAN);
        tlf_ard_add_real(ard, key, "ucl_at", pc, NAN);
        stats_ard_add_count(ard, key, "n_risk_at", p, 0);
    }
    static const char *const quants[] = {"q25", "q25_lcl", "q25_ucl", "median", "median_lcl",
                                         "median_ucl", "q75", "q75_lcl", "q75_ucl"};
    make_param(&prm_ci, NAN, &c, 1);
    for (size_t j = 0; j < sizeof quants / sizeof quants[0]; j++)
        tlf_ard_add_real(ard, key, quants[j], j % 3 ? tlf_buf_cstr(&prm_ci) : NULL, NAN);
    tlf_buf_free(&prm);
    tlf_buf_free(&prm_ci);
}

void logrank_emit_ard(tlf_ard *ard, const tlf_ard_key *test_key, const char *const *levels,
                      const logrank_result *r)
{
    tlf_ard_add_real(ard, test_key, "chisq", NULL, r->chisq);
    tlf_ard_add_int(ard, test_key, "df", NULL, r->df);
    tlf_ard_add_real(ard, test_key, "p", NULL, r->p);
    tlf_ard_key gk = *test_key;
    for (size_t g = 0; g < r->k; g++) {
        gk.group_level = levels[g];
        stats_ard_add_count(ard, &gk, "observed", NULL, r->observed[g]);
        tlf_ard_add_real(ard, &gk, "expected", NULL, r->expected[g]);
    }
}
