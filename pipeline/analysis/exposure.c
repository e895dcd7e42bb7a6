/*
 * exposure.c - study drug exposure, drug concentration (trough) by visit
 * and glucocorticoid dose (output 14.1.5; sap.md sections 3 "GC dose" and
 * 6). Arms, the PC parameters and the visits come from the study
 * configuration.
 *
 * Stage: ARD. Reads ADSL (SAFFL, HCFL), ADEX (TRTDURD, TACTOT, TACMDD,
 * CUMPRED, CUMPRDKG, PREDDOSE and PREDDKG at BASELINE) and ADPC
 * (TACTROUGH, ANL01FL records by AVISIT). Columns: TAC = safety set
 * (population SAF), HC = historical controls (population HC; GC rows only,
 * HC received no tacrolimus). Descriptive statistics (n mean sd se median
 * q1 q3 min max) per parameter:
 *   exposure / TRTDURD, TACTOT, TACMDD           TAC only
 *   exposure / CUMPRED, CUMPRDKG                 both columns (to the landmark day)
 *   exposure / PREDDOSE, PREDDKG (param visit=BASELINE)  both (day 1 dose)
 *   trough / TACTROUGH (param visit=WEEK n)      TAC, one per analysis visit
 * and the column N as `n` with variable empty (exposure).
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "analysis/base_util.h"
#include "core/mem.h"

#include <stdlib.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *paramcd;
    int at_baseline;     /* the baseline visit's record, else per subject */
    size_t ncols;        /* 1: the treated arm only */
} PARAMS[] = {
    {"TRTDURD", 0, 1}, {"TACTOT", 0, 1},   {"TACMDD", 0, 1},  {"CUMPRED", 0, 2},
    {"CUMPRDKG", 0, 2}, {"PREDDOSE", 1, 2}, {"PREDDKG", 1, 2},
};

#define EX_FROM "ADEX x JOIN ADSL s ON s.USUBJID = x.USUBJID"
#define PC_FROM "ADPC x JOIN ADSL s ON s.USUBJID = x.USUBJID"

/* Each configured drug-concentration (PC) parameter at every scheduled
 * post-baseline visit of the study configuration (sap.md section 1), with
 * n = 0 when no record falls in a window. */
static int trough(const analysis_ctx *ctx, const base_col *cols, tlf_err *err)
{
    tlf_ard_key key = {"14.1.5", "trough", "SAF", "ARMCD", NULL, NULL, NULL};
    int rc = TLF_OK;
    size_t np;
    const tlf_study_param *pc = tlf_study_domain_params(ctx->study, "PC", &np);
    for (size_t k = 0; k < np; k++)
        for (size_t i = 0; i < ctx->study->n_visits && rc == TLF_OK; i++) {
            const char *visit = ctx->study->visits[i].name;
            tlf_buf param = TLF_BUF_INIT;
            tlf_param_add(&param, "visit", visit);
            char *filter = sqlite3_mprintf("x.PARAMCD = %Q AND x.ANL01FL = 'Y' AND "
                                           "x.AVISIT = %Q", pc[k].code, visit);
            rc = base_continuous(ctx, &key, pc[k].code, "x.AVAL", PC_FROM, filter,
                                 tlf_buf_cstr(&param), cols, 1, 0, err);
            sqlite3_free(filter);
            tlf_buf_free(&param);
        }
    return rc;
}

int analysis_exposure(const analysis_ctx *ctx, tlf_err *err)
{
    tlf_ard_key key = {"14.1.5", "exposure", NULL, "ARMCD", NULL, NULL, NULL};
    arm_cols ac;
    arm_cols_make(&ac, ctx, "SAFFL", "SAF");
    const base_col *COLS = ac.col;   /* treated (SAF), control; not the total */
    long long denom[2];
    const char *bl = ctx->study->baseline_visit;
    int rc = base_header_n(ctx, &key, COLS, 2, denom, err);
    for (size_t i = 0; i < NELEM(PARAMS) && rc == TLF_OK; i++) {
        char *filter = PARAMS[i].at_baseline
                           ? sqlite3_mprintf("x.PARAMCD = %Q AND x.AVISIT = %Q", PARAMS[i].paramcd, bl)
                           : sqlite3_mprintf("x.PARAMCD = %Q AND 1", PARAMS[i].paramcd);
        char *param = PARAMS[i].at_baseline ? xasprintf("visit=%s", bl) : NULL;
        rc = base_continuous(ctx, &key, PARAMS[i].paramcd, "x.AVAL", EX_FROM, filter, param, COLS,
                             PARAMS[i].ncols, 0, err);
        free(param);
        sqlite3_free(filter);
    }
    if (rc == TLF_OK)
        rc = trough(ctx, COLS, err);
    arm_cols_free(&ac);
    return rc;
}
