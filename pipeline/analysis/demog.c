/*
 * demog.c - demographics and baseline characteristics, treated arm vs
 * historical control vs Total (output 14.1.4; sap.md section 6,
 * shells.md "14.1.4"); arms and the baseline parameters (`characteristic`)
 * come from the study configuration.
 *
 * Stage: ARD. Reads ADSL (AGE, SEX, the configured characteristics) and
 * the baseline records (ABLFL = Y) of the configured `characteristic`
 * parameters (the demo: ADRE VCPP and DLCOPP, ADLB KL6 and CK, ADFT
 * MMT8). Columns: TAC = FAS, HC = the historical controls, Total = both;
 * population FAS, HC and "FAS;HC" (both sets) respectively. analysis_id `demog`:
 *   variable empty                  n (column N)
 *   AGE, VCPP, DLCOPP, KL6, CK, MMT8  n mean sd se median q1 q3 min max,
 *                                   and dp (integer): the decimal places of
 *                                   the collected values (max over all
 *                                   columns of the digits after the point
 *                                   in the %.15g text, capped at 3); the
 *                                   template shows mean/median/quartiles
 *                                   with dp+1, SD dp+2, min/max dp
 *   SEX, each characteristic (its SC code) / <label>  n, pct
 * Categories in code-list order; "Missing" only when a subject lacks the
 * value. No test between the arms (a historical comparison; the
 * propensity balance table shows standardised differences).
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "analysis/base_util.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const base_code SEX[] = {{"F", "Female"}, {"M", "Male"}};
/* A subject characteristic of the study configuration as a categorical
 * row block: ADSL variable = its SC code, levels and labels in its order. */
static int sc_rows(const analysis_ctx *ctx, const tlf_ard_key *key, const tlf_study_char *ch,
                   const base_col *cols, const long long *denom, tlf_err *err)
{
    base_code *codes = xcalloc(ch->n + 1, sizeof *codes);
    for (size_t k = 0; k < ch->n; k++)
        codes[k] = (base_code){ch->codes[k], ch->labels[k]};
    char *expr = xasprintf("s.%s", ch->code);
    base_cat cat = {ch->code, expr, "ADSL s", NULL, codes, ch->n};
    int rc = base_categorical(ctx, key, &cat, cols, 3, denom, err);
    free(expr);
    free(codes);
    return rc;
}

int analysis_demog(const analysis_ctx *ctx, tlf_err *err)
{
    tlf_ard_key key = {"14.1.4", "demog", "FAS", "ARMCD", NULL, NULL, NULL};
    arm_cols ac;
    arm_cols_make(&ac, ctx, "FASFL", "FAS");
    const base_col *COLS = ac.col;
    long long denom[3];
    int rc = base_header_n(ctx, &key, COLS, 3, denom, err);
    if (rc == TLF_OK)
        rc = base_continuous(ctx, &key, "AGE", "s.AGE", "ADSL s", NULL, NULL, COLS, 3, 1, err);
    static const base_cat SEXCAT = {"SEX", "s.SEX", "ADSL s", NULL, SEX, NELEM(SEX)};
    if (rc == TLF_OK)
        rc = base_categorical(ctx, &key, &SEXCAT, COLS, 3, denom, err);
    /* the subject characteristics of the study configuration, in its order */
    for (size_t i = 0; i < ctx->study->n_chars && rc == TLF_OK; i++)
        rc = sc_rows(ctx, &key, &ctx->study->chars[i], COLS, denom, err);
    /* the baseline characteristics of the study configuration, in its order */
    for (size_t i = 0; i < ctx->study->n_params && rc == TLF_OK; i++) {
        const tlf_study_param *p = &ctx->study->params[i];
        if (!p->characteristic)
            continue;
        char *from = xasprintf("AD%s b JOIN ADSL s ON s.USUBJID = b.USUBJID", p->domain);
        char *filter = sqlite3_mprintf("b.PARAMCD = %Q AND b.ABLFL = 'Y'", p->code);
        rc = base_continuous(ctx, &key, p->code, "b.AVAL", from, filter, NULL, COLS, 3, 1, err);
        free(from);
        sqlite3_free(filter);
    }
    arm_cols_free(&ac);
    return rc;
}
