/*
 * disposition.c - subject disposition (output 14.1.1) and analysis sets
 * (output 14.1.2), sap.md sections 2 and 6, shells.md "14.1.1".
 *
 * Stage: ARD. Reads ADSL (ENRLFL, FASFL, PPSFL, SAFFL, HCFL, EOTSTT,
 * DCTREAS, DTHFL, DTHDY). Percentages are of the column N (Enrolled for
 * TAC, HC for the historical controls).
 *
 * disposition (population ENRL, group ARMCD = TAC):
 *   variable empty          n           the column N (Enrolled)
 *   ENRLFL / Y              n, pct      registered
 *   FASFL / N, FASFL / Y    n, pct      never treated, treated (FAS)
 *   EOTSTT / COMPLETED, DISCONTINUED, ONGOING   n, pct (study treatment)
 *   DCTREAS / <reason label> n, pct     DS code-list order (sap: database.md)
 *   DTH52FL / Y             n, pct      died on or before the landmark day
 * analysis_sets (group ARMCD; TAC rows population ENRL, HC rows HC):
 *   variable empty n; ENRLFL, FASFL, PPSFL, SAFFL, HCFL / Y n, pct;
 *   exclusion reasons FASEXCL, PPSEXCL, SAFEXCL / <reason> n, pct.
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "analysis/base_util.h"
#include "core/mem.h"

#include <ctype.h>
#include <stdlib.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Reasons for stopping study treatment: database.md's DS code list, with
 * adverse event and lack of efficacy first as shells.md shows them. */
static const base_code DCT_REASONS[] = {
    {"ADVERSE EVENT", "Adverse event"},
    {"LACK OF EFFICACY", "Lack of efficacy"},
    {"DEATH", "Death"},
    {"WITHDRAWAL BY SUBJECT", "Withdrawal by subject"},
    {"LOST TO FOLLOW-UP", "Lost to follow-up"},
    {"PHYSICIAN DECISION", "Physician decision"},
    {"OTHER", "Other"},
};

static const base_code EOT_STATUS[] = {
    {"COMPLETED", "COMPLETED"},
    {"DISCONTINUED", "DISCONTINUED"},
    {"ONGOING", "ONGOING"},
};

/* One flag count: variable / level over ADSL s where cond, n and pct. */
typedef struct flag_row {
    const char *variable, *level, *cond;
} flag_row;

static int flag_rows(const analysis_ctx *ctx, const tlf_ard_key *key, const base_col *col,
                     long long denom, const flag_row *rows, size_t nrows, tlf_err *err)
{
    for (size_t i = 0; i < nrows; i++) {
        char sql[1024];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ADSL s WHERE (%s) AND (%s)", col->where,
                 rows[i].cond);
        long long n = 0;
        int rc = base_sql_int(ctx->adam, sql, NULL, &n, key->analysis_id, err);
        if (rc)
            return rc;
        tlf_ard_key k = *key;
        k.group_level = col->level;
        k.population = col->population;
        k.variable = rows[i].variable;
        k.variable_level = rows[i].level;
        base_add_n_pct(ctx->ard, &k, NULL, n, denom);
    }
    return TLF_OK;
}

/* The two columns: the treated arm's Enrolled set and the controls. */
typedef struct disp_cols {
    base_col enrolled, controls;
    char *where[2];
} disp_cols;

static void disp_cols_make(disp_cols *d, const analysis_ctx *ctx)
{
    d->where[0] = arm_where(ctx, TLF_ARM_TREATED, "s.", "ENRLFL");
    d->where[1] = arm_where(ctx, TLF_ARM_CONTROL, "s.", NULL);
    d->enrolled = (base_col){arm_code(ctx, TLF_ARM_TREATED), "ENRL", d->where[0]};
    d->controls = (base_col){arm_code(ctx, TLF_ARM_CONTROL), arm_control_set(ctx), d->where[1]};
}

static void disp_cols_free(disp_cols *d)
{
    free(d->where[0]);
    free(d->where[1]);
}

int analysis_disposition(const analysis_ctx *ctx, tlf_err *err)
{
    disp_cols dc;
    disp_cols_make(&dc, ctx);
    const base_col ENROLLED = dc.enrolled;
    tlf_ard_key key = {"14.1.1", "disposition", "ENRL", "ARMCD", ENROLLED.level, NULL, NULL};
    long long denom = 0;
    int rc = base_header_n(ctx, &key, &ENROLLED, 1, &denom, err);
    static const flag_row head[] = {
        {"ENRLFL", "Y", "1"},
        {"FASFL", "N", "COALESCE(s.FASFL, 'N') <> 'Y'"},
        {"FASFL", "Y", "s.FASFL = 'Y'"},
    };
    if (rc == TLF_OK)
        rc = flag_rows(ctx, &key, &ENROLLED, denom, head, NELEM(head), err);
    /* end of study treatment, among the treated; the never treated have no status */
    base_cat eot = {"EOTSTT", "s.EOTSTT", "ADSL s", "s.FASFL = 'Y'", EOT_STATUS, NELEM(EOT_STATUS)};
    if (rc == TLF_OK)
        rc = base_categorical(ctx, &key, &eot, &ENROLLED, 1, &denom, err);
    base_cat why = {"DCTREAS", "s.DCTREAS", "ADSL s", "s.FASFL = 'Y' AND s.EOTSTT = 'DISCONTINUED'",
                    DCT_REASONS, NELEM(DCT_REASONS)};
    if (rc == TLF_OK)
        rc = base_categorical(ctx, &key, &why, &ENROLLED, 1, &denom, err);
    /* died within the analysis period (on or before the landmark day) */
    char *dsql = xasprintf("s.DTHFL = 'Y' AND s.DTHDY IS NOT NULL AND s.DTHDY <= %d",
                           ctx->study->landmark_day);
    const flag_row died[] = {{"DTH52FL", "Y", dsql}};
    if (rc == TLF_OK)
        rc = flag_rows(ctx, &key, &ENROLLED, denom, died, NELEM(died), err);
    free(dsql);
    disp_cols_free(&dc);
    return rc;
}

int analysis_analysis_sets(const analysis_ctx *ctx, tlf_err *err)
{
    tlf_ard_key key = {"14.1.2", "analysis_sets", NULL, "ARMCD", NULL, NULL, NULL};
    disp_cols dc;
    disp_cols_make(&dc, ctx);
    base_col cols[2] = {dc.enrolled, dc.controls};
    long long denom[2] = {0, 0};
    int rc = base_header_n(ctx, &key, cols, 2, denom, err);
    /* "No <study drug> dose", the drug's label in lower case */
    char *nodose = xasprintf("No %s dose", ctx->study->drug_label);
    for (char *p = nodose; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    nodose[0] = 'N';
    const flag_row tac[] = {
        {"ENRLFL", "Y", "1"},
        {"FASFL", "Y", "s.FASFL = 'Y'"},
        {"FASEXCL", nodose, "COALESCE(s.FASFL, 'N') <> 'Y'"},
        {"PPSFL", "Y", "s.PPSFL = 'Y'"},
        {"PPSEXCL", "Not in the FAS", "COALESCE(s.FASFL, 'N') <> 'Y'"},
        {"PPSEXCL", "Major protocol deviation",
         "s.FASFL = 'Y' AND COALESCE(s.PPSFL, 'N') <> 'Y'"},
        {"SAFFL", "Y", "s.SAFFL = 'Y'"},
        {"SAFEXCL", nodose, "COALESCE(s.SAFFL, 'N') <> 'Y'"},
    };
    static const flag_row hc[] = {{"HCFL", "Y", "1"}};
    if (rc == TLF_OK)
        rc = flag_rows(ctx, &key, &cols[0], denom[0], tac, NELEM(tac), err);
    if (rc == TLF_OK)
        rc = flag_rows(ctx, &key, &cols[1], denom[1], hc, NELEM(hc), err);
    free(nodose);
    disp_cols_free(&dc);
    return rc;
}
