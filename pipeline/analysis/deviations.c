/*
 * deviations.c - protocol deviations (output 14.1.3; sap.md sections 2
 * and 6): subjects with at least one deviation, by category (DVCAT MAJOR /
 * MINOR) and by coded deviation (DVDECOD) within category.
 *
 * Stage: ARD. Reads ADSL (FASFL) and ADDV. Population FAS, group ARMCD =
 * TAC (historical controls have no DV data). analysis_id `deviations`:
 *   variable empty                      n (FAS N)
 *   ANYDV / Y                           n, pct, n_event
 *   DVCAT / MAJOR, MINOR                n, pct, n_event
 *   DVDECOD / <term> (param DVCAT=...)  n, pct, n_event
 * A subject counts once per row; n_event counts deviations. Terms within
 * a category by descending n, then alphabetically (the display order).
 * A deviation without a category is counted under DVCAT "Missing".
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "analysis/base_util.h"
#include "core/mem.h"

#include <stdlib.h>

/* the treated arm's FAS (%s: its condition on ADSL s) */
#define DV_CTE                                                                              \
    "WITH d AS (SELECT v.USUBJID, COALESCE(NULLIF(v.DVCAT, ''), 'Missing') AS C,           \
     COALESCE(NULLIF(v.DVDECOD, ''), NULLIF(v.DVTERM, ''), 'Missing') AS T FROM ADDV v     \
     JOIN ADSL s ON s.USUBJID = v.USUBJID WHERE %s) "

static int emit_rows(const analysis_ctx *ctx, const tlf_ard_key *key, const char *sql,
                     long long denom, int with_param, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ctx->adam, sql, -1, &st, NULL) != SQLITE_OK)
        return tlf_err_set(err, TLF_EINTERNAL, "ADDV: %s", sqlite3_errmsg(ctx->adam));
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        tlf_ard_key k = *key;
        k.variable = (const char *)sqlite3_column_text(st, 0);
        k.variable_level = (const char *)sqlite3_column_text(st, 1);
        tlf_buf param = TLF_BUF_INIT;
        if (with_param)
            tlf_param_add(&param, "DVCAT", (const char *)sqlite3_column_text(st, 4));
        const char *p = with_param ? tlf_buf_cstr(&param) : NULL;
        base_add_n_pct(ctx->ard, &k, p, sqlite3_column_int64(st, 2), denom);
        tlf_ard_add_int(ctx->ard, &k, "n_event", p, sqlite3_column_int64(st, 3));
        tlf_buf_free(&param);
    }
    int rc = s == SQLITE_DONE ? TLF_OK
                              : tlf_err_set(err, TLF_EINTERNAL, "ADDV: %s", sqlite3_errmsg(ctx->adam));
    sqlite3_finalize(st);
    return rc;
}

int analysis_deviations(const analysis_ctx *ctx, tlf_err *err)
{
    char *where = arm_where(ctx, TLF_ARM_TREATED, "s.", "FASFL");
    const base_col FAS = {arm_code(ctx, TLF_ARM_TREATED), "FAS", where};
    tlf_ard_key key = {"14.1.3", "deviations", "FAS", "ARMCD", FAS.level, NULL, NULL};
    long long denom = 0;
    int rc = base_header_n(ctx, &key, &FAS, 1, &denom, err);
    /* columns: variable, level, subjects, events, DVCAT (for the param) */
    static const char *const SQL[] = {
        DV_CTE "SELECT 'ANYDV', 'Y', COUNT(DISTINCT USUBJID), COUNT(*), '' FROM d",
        DV_CTE "SELECT 'DVCAT', c.C, COUNT(DISTINCT d.USUBJID), COUNT(d.USUBJID), c.C FROM "
               "(SELECT 'MAJOR' AS C, 0 AS o UNION ALL SELECT 'MINOR', 1 UNION ALL "
               "SELECT DISTINCT C, 2 FROM d WHERE C NOT IN ('MAJOR', 'MINOR')) c "
               "LEFT JOIN d ON d.C = c.C GROUP BY c.C, c.o ORDER BY c.o, c.C",
        DV_CTE "SELECT 'DVDECOD', T, COUNT(DISTINCT USUBJID) AS n, COUNT(*), C FROM d "
               "GROUP BY C, T ORDER BY CASE C WHEN 'MAJOR' THEN 0 WHEN 'MINOR' THEN 1 ELSE 2 END, "
               "C, n DESC, T",
    };
    for (int i = 0; i < 3 && rc == TLF_OK; i++) {
        char *sql = xasprintf(SQL[i], where);
        rc = emit_rows(ctx, &key, sql, denom, i == 2, err);
        free(sql);
    }
    free(where);
    return rc;
}
