/*
 * exposure.c - study drug exposure, tacrolimus trough by visit and
 * glucocorticoid dose (output 14.1.5; sap.md sections 3 "GC dose" and 6).
 *
 * Stage: ARD. Reads ADSL (SAFFL, HCFL), ADEX (TRTDURD, TACTOT, TACMDD,
 * CUMPRED, CUMPRDKG, PREDDOSE and PREDDKG at BASELINE) and ADPC
 * (TACTROUGH, ANL01FL records by AVISIT). Columns: TAC = safety set
 * (population SAF), HC = historical controls (population HC; GC rows only,
 * HC received no tacrolimus). Descriptive statistics (n mean sd se median
 * q1 q3 min max) per parameter:
 *   exposure / TRTDURD, TACTOT, TACMDD           TAC only
 *   exposure / CUMPRED, CUMPRDKG                 both columns (to day 365)
 *   exposure / PREDDOSE, PREDDKG (param visit=BASELINE)  both (day 1 dose)
 *   trough / TACTROUGH (param visit=WEEK n)      TAC, one per analysis visit
 * and the column N as `n` with variable empty (exposure).
 */
#include "analysis/analysis.h"
#include "analysis/base_util.h"
#include "core/mem.h"

#include <stdlib.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const base_col COLS[] = {
    {"TAC", "SAF", "s.ARMCD = 'TAC' AND s.SAFFL = 'Y'"},
    {"HC", "HC", "s.ARMCD = 'HC' AND s.HCFL = 'Y'"},
};

static const struct {
    const char *paramcd;
    const char *visit;   /* AVISIT, NULL for a per-subject parameter */
    size_t ncols;        /* 1: TAC only */
} PARAMS[] = {
    {"TRTDURD", NULL, 1},  {"TACTOT", NULL, 1},         {"TACMDD", NULL, 1},
    {"CUMPRED", NULL, 2},  {"CUMPRDKG", NULL, 2},       {"PREDDOSE", "BASELINE", 2},
    {"PREDDKG", "BASELINE", 2},
};

#define EX_FROM "ADEX x JOIN ADSL s ON s.USUBJID = x.USUBJID"
#define PC_FROM "ADPC x JOIN ADSL s ON s.USUBJID = x.USUBJID"

/* The scheduled post-baseline analysis visits (sap.md section 1); every
 * one is written, with n = 0 when no trough falls in its window. */
static const char *const VISITS[] = {"WEEK 2",  "WEEK 4",  "WEEK 8",  "WEEK 12",
                                     "WEEK 16", "WEEK 26", "WEEK 39", "WEEK 52"};

static int trough(const analysis_ctx *ctx, tlf_err *err)
{
    tlf_ard_key key = {"14.1.5", "trough", "SAF", "ARMCD", NULL, NULL, NULL};
    int rc = TLF_OK;
    for (size_t i = 0; i < NELEM(VISITS) && rc == TLF_OK; i++) {
        tlf_buf param = TLF_BUF_INIT;
        tlf_param_add(&param, "visit", VISITS[i]);
        char *filter = sqlite3_mprintf("x.PARAMCD = 'TACTROUGH' AND x.ANL01FL = 'Y' AND "
                                       "x.AVISIT = %Q", VISITS[i]);
        rc = base_continuous(ctx, &key, "TACTROUGH", "x.AVAL", PC_FROM, filter,
                             tlf_buf_cstr(&param), COLS, 1, 0, err);
        sqlite3_free(filter);
        tlf_buf_free(&param);
    }
    return rc;
}

int analysis_exposure(const analysis_ctx *ctx, tlf_err *err)
{
    tlf_ard_key key = {"14.1.5", "exposure", NULL, "ARMCD", NULL, NULL, NULL};
    long long denom[NELEM(COLS)];
    int rc = base_header_n(ctx, &key, COLS, NELEM(COLS), denom, err);
    for (size_t i = 0; i < NELEM(PARAMS) && rc == TLF_OK; i++) {
        char *filter = sqlite3_mprintf("x.PARAMCD = %Q AND %s", PARAMS[i].paramcd,
                                       PARAMS[i].visit ? "x.AVISIT = 'BASELINE'" : "1");
        char *param = PARAMS[i].visit ? xasprintf("visit=%s", PARAMS[i].visit) : NULL;
        rc = base_continuous(ctx, &key, PARAMS[i].paramcd, "x.AVAL", EX_FROM, filter, param, COLS,
                             PARAMS[i].ncols, 0, err);
        free(param);
        sqlite3_free(filter);
    }
    if (rc == TLF_OK)
        rc = trough(ctx, err);
    return rc;
}
