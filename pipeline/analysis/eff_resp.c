/*
 * eff_resp.c - IP response at week 52, treated arm vs control (sap.md
 * sections 3-4; output 14.2.4.1).
 *
 * Stage: ARD. Reads ADRS PARAMCD W52RESP (one record per FAS and HC
 * subject; AVAL 1 responder, 0 non-responder; RESPREAS). Per arm (TAC in
 * the FAS, HC): n, n_resp, pct (percentage), lcl, ucl (proportions, 95%
 * Clopper-Pearson, param method=clopper-pearson); non-responders (variable
 * AVALC, level N) and their reasons (variable RESPREAS: Stable, Progressed,
 * Died or failed, Not assessed) as n, pct; then the comparison row
 * fisher_p (group_level empty; two-sided Fisher's exact test, R's rule).
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "core/mem.h"
#include "stats/binom.h"
#include "stats/fisher.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Non-response categories in display order: every configured response
 * value but the responder ("STABLE" -> "Stable"; RESPREAS "<value> AT
 * <visit>"), then "Died or failed" (RESPREAS "TREATMENT FAILURE ...") and
 * "Not assessed" (derivations.md, week-52 IP response). */
typedef struct nonresp {
    size_t n;
    char **label;        /* owned */
    char **prefix;       /* "<value> AT " (owned), NULL for the last two */
} nonresp;

static void nonresp_make(nonresp *nr, const tlf_study *st)
{
    nr->n = 0;
    nr->label = xcalloc(st->n_resp_values + 2, sizeof *nr->label);
    nr->prefix = xcalloc(st->n_resp_values + 2, sizeof *nr->prefix);
    for (size_t i = 0; i < st->n_resp_values; i++) {
        const char *v = st->resp_values[i];
        if (strcmp(v, st->resp_responder) == 0)
            continue;
        char *l = xstrdup(v);
        for (char *p = l + 1; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        nr->label[nr->n] = l;
        nr->prefix[nr->n++] = xasprintf("%s AT ", v);
    }
    nr->label[nr->n++] = xstrdup("Died or failed");
    nr->label[nr->n++] = xstrdup("Not assessed");
}

static void nonresp_free(nonresp *nr)
{
    for (size_t i = 0; i < nr->n; i++) {
        free(nr->label[i]);
        free(nr->prefix[i]);
    }
    free(nr->label);
    free(nr->prefix);
}

static size_t nonresp_category(const nonresp *nr, const char *reason)
{
    if (!reason)
        return nr->n - 1;
    for (size_t i = 0; i + 2 < nr->n; i++)
        if (strncmp(reason, nr->prefix[i], strlen(nr->prefix[i])) == 0)
            return i;
    if (strncmp(reason, "TREATMENT FAILURE", 17) == 0)
        return nr->n - 2;
    return nr->n - 1;
}

int analysis_ipresp(const analysis_ctx *ctx, tlf_err *err)
{
    const char *arms[2] = {arm_code(ctx, TLF_ARM_TREATED), arm_code(ctx, TLF_ARM_CONTROL)};
    long n[2] = {0, 0}, resp[2] = {0, 0};
    nonresp nr;
    nonresp_make(&nr, ctx->study);
    long *cat[2] = {xcalloc(nr.n, sizeof(long)), xcalloc(nr.n, sizeof(long))};
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    char *where = arms_where(ctx, "", "FASFL");
    char *sql = xasprintf("SELECT ARMCD, AVAL, RESPREAS, USUBJID FROM ADRS WHERE "
                          "PARAMCD = 'W52RESP' AND %s", where);
    free(where);
    if (sqlite3_prepare_v2(ctx->adam, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "ADRS W52RESP: %s", sqlite3_errmsg(ctx->adam));
        goto done;
    }
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int a = arm_index(ctx, (const char *)sqlite3_column_text(st, 0)) == 0 ? 0 : 1;
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            rc = tlf_err_set(err, TLF_EDATA, "ADRS W52RESP, USUBJID %s: AVAL is missing",
                             (const char *)sqlite3_column_text(st, 3));
            goto done;
        }
        n[a]++;
        if (sqlite3_column_double(st, 1) == 1)
            resp[a]++;
        else
            cat[a][nonresp_category(&nr, (const char *)sqlite3_column_text(st, 2))]++;
    }
    if (s != SQLITE_DONE) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "ADRS W52RESP: %s", sqlite3_errmsg(ctx->adam));
        goto done;
    }
    tlf_ard_key key = {"14.2.4.1", "ipresp_w52", "FAS", "ARMCD", NULL, "AVALC", NULL};
    for (int a = 0; a < 2; a++) {
        key.group_level = arms[a];
        key.variable = "AVALC";
        key.variable_level = NULL;
        tlf_ard_add_int(ctx->ard, &key, "n", NULL, n[a]);
        key.variable_level = "Y";
        tlf_ard_add_int(ctx->ard, &key, "n_resp", NULL, resp[a]);
        /* an arm without subjects (an early interim) still answers every
         * cell: counts 0, percentages 0 (the base tables' rule for an
         * empty denominator), and its CI not estimable */
        double N = n[a] ? (double)n[a] : 1.0;
        if (n[a] == 0) {
            tlf_ard_add_int(ctx->ard, &key, "estimable", "reason=no subjects", 0);
            tlf_ard_add_real(ctx->ard, &key, "pct", NULL, 0.0);
        } else {
            double lcl, ucl;
            binom_clopper_pearson((double)resp[a], (double)n[a], 0.95, &lcl, &ucl);
            tlf_ard_add_real(ctx->ard, &key, "pct", NULL, 100.0 * (double)resp[a] / N);
            tlf_ard_add_real(ctx->ard, &key, "lcl", "method=clopper-pearson", lcl);
            tlf_ard_add_real(ctx->ard, &key, "ucl", "method=clopper-pearson", ucl);
        }
        key.variable_level = "N";
        tlf_ard_add_int(ctx->ard, &key, "n", NULL, n[a] - resp[a]);
        tlf_ard_add_real(ctx->ard, &key, "pct", NULL, 100.0 * (double)(n[a] - resp[a]) / N);
        key.variable = "RESPREAS";
        for (size_t c = 0; c < nr.n; c++) {
            key.variable_level = nr.label[c];
            tlf_ard_add_int(ctx->ard, &key, "n", NULL, cat[a][c]);
            tlf_ard_add_real(ctx->ard, &key, "pct", NULL, 100.0 * (double)cat[a][c] / N);
        }
    }
    key.group_level = NULL;
    key.variable = "AVALC";
    key.variable_level = NULL;
    double p = fisher_2x2_p(resp[0], n[0] - resp[0], resp[1], n[1] - resp[1]);
    if (n[0] > 0 && n[1] > 0 && isfinite(p))
        tlf_ard_add_real(ctx->ard, &key, "fisher_p", NULL, p);
    else
        tlf_ard_add_int(ctx->ard, &key, "estimable", "reason=an arm has no subjects", 0);
done:
    sqlite3_finalize(st);
    free(sql);
    free(cat[0]);
    free(cat[1]);
    nonresp_free(&nr);
    return rc;
}
