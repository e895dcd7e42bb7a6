/*
 * base_util.c - shared building blocks of outputs 14.1.1-14.1.5 (see
 * base_util.h): column headers N, n (%) in code-list order, descriptive
 * statistics per column.
 *
 * Stage: ARD. Descriptive statistics: stats/describe.h (sap.md section 4).
 */
#include "analysis/base_util.h"
#include "core/mem.h"
#include "stats/describe.h"

#include <stdlib.h>
#include <string.h>

int base_sql_int(sqlite3 *db, const char *sql, const char *bind1, long long *out,
                 const char *what, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s: %s", what, sqlite3_errmsg(db));
        goto done;
    }
    if (bind1)
        sqlite3_bind_text(st, 1, bind1, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s: %s", what, sqlite3_errmsg(db));
        goto done;
    }
    *out = sqlite3_column_int64(st, 0);
done:
    sqlite3_finalize(st);
    return rc;
}

void base_add_n_pct(tlf_ard *ard, const tlf_ard_key *key, const char *param, long long n,
                    long long denom)
{
    tlf_ard_add_int(ard, key, "n", param, n);
    tlf_ard_add_real(ard, key, "pct", param,
                     denom > 0 ? 100.0 * (double)n / (double)denom : 0.0);
}

int base_header_n(const analysis_ctx *ctx, const tlf_ard_key *key, const base_col *cols,
                  size_t ncols, long long *denoms, tlf_err *err)
{
    for (size_t c = 0; c < ncols; c++) {
        char *sql = xasprintf("SELECT COUNT(*) FROM ADSL s WHERE %s", cols[c].where);
        int rc = base_sql_int(ctx->adam, sql, NULL, &denoms[c], key->analysis_id, err);
        free(sql);
        if (rc)
            return rc;
        tlf_ard_key k = *key;
        k.group_level = cols[c].level;
        k.population = cols[c].population;
        k.variable = NULL;
        k.variable_level = NULL;
        tlf_ard_add_int(ctx->ard, &k, "n", NULL, denoms[c]);
    }
    return TLF_OK;
}

/* Values of cat outside its code list, over all columns, sorted. */
static int unlisted_values(const analysis_ctx *ctx, const base_cat *cat, const base_col *cols,
                           size_t ncols, char ***out, size_t *nout, tlf_err *err)
{
    tlf_buf any = TLF_BUF_INIT;
    for (size_t c = 0; c < ncols; c++)
        tlf_buf_printf(&any, "%s(%s)", c ? " OR " : "", cols[c].where);
    char *sql = xasprintf("SELECT DISTINCT NULLIF(%s, '') v FROM %s WHERE (%s) AND (%s) "
                          "AND v IS NOT NULL ORDER BY v",
                          cat->expr, cat->from, tlf_buf_cstr(&any),
                          cat->filter ? cat->filter : "1");
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = TLF_OK;
    *out = NULL;
    *nout = 0;
    if (sqlite3_prepare_v2(ctx->adam, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s %s: %s", cat->from, cat->variable,
                         sqlite3_errmsg(ctx->adam));
        goto done;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        int listed = 0;
        for (size_t i = 0; i < cat->ncodes && !listed; i++)
            listed = strcmp(cat->codes[i].code, v) == 0;
        if (listed)
            continue;
        XGROW(*out, cap, *nout + 1);
        (*out)[(*nout)++] = xstrdup(v);
    }
done:
    sqlite3_finalize(st);
    free(sql);
    tlf_buf_free(&any);
    return rc;
}

int base_categorical(const analysis_ctx *ctx, const tlf_ard_key *key, const base_cat *cat,
                     const base_col *cols, size_t ncols, const long long *denoms, tlf_err *err)
{
    char **extra = NULL;
    size_t nextra = 0;
    long long *miss = xcalloc(ncols ? ncols : 1, sizeof *miss);
    char **count_sql = xcalloc(ncols ? ncols : 1, sizeof *count_sql);
    int rc = unlisted_values(ctx, cat, cols, ncols, &extra, &nextra, err);
    /* ?1 = the value, NULL for missing */
    for (size_t c = 0; c < ncols; c++)
        count_sql[c] = xasprintf("SELECT COUNT(*) FROM %s WHERE (%s) AND (%s) AND "
                                 "NULLIF(%s, '') IS ?1",
                                 cat->from, cols[c].where, cat->filter ? cat->filter : "1",
                                 cat->expr);
    int any_missing = 0;
    for (size_t c = 0; c < ncols && rc == TLF_OK; c++) {
        rc = base_sql_int(ctx->adam, count_sql[c], NULL, &miss[c], cat->variable, err);
        any_missing = any_missing || miss[c] > 0;
    }
    size_t nlev = cat->ncodes + nextra + (size_t)any_missing;
    for (size_t l = 0; l < nlev && rc == TLF_OK; l++) {
        const char *code, *label;
        if (l < cat->ncodes) {
            code = cat->codes[l].code;
            label = cat->codes[l].label;
        } else if (l < cat->ncodes + nextra) {
            code = label = extra[l - cat->ncodes];
        } else {
            code = NULL;
            label = "Missing";
        }
        for (size_t c = 0; c < ncols && rc == TLF_OK; c++) {
            long long n = 0;
            if (code)
                rc = base_sql_int(ctx->adam, count_sql[c], code, &n, cat->variable, err);
            else
                n = miss[c];
            tlf_ard_key k = *key;
            k.group_level = cols[c].level;
            k.population = cols[c].population;
            k.variable = cat->variable;
            k.variable_level = label;
            if (rc == TLF_OK)
                base_add_n_pct(ctx->ard, &k, NULL, n, denoms[c]);
        }
    }
    for (size_t c = 0; c < ncols; c++)
        free(count_sql[c]);
    free(count_sql);
    for (size_t i = 0; i < nextra; i++)
        free(extra[i]);
    free(extra);
    free(miss);
    return rc;
}

/* The records of one describe_result under key (param may be NULL). */
static void emit_describe(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                          const describe_result *d)
{
    tlf_ard_add_int(ard, key, "n", param, (long long)d->n);
    const struct { const char *name; double v; } s[] = {
        {"mean", d->mean}, {"sd", d->sd},       {"se", d->se},   {"median", d->median},
        {"q1", d->q1},     {"q3", d->q3},       {"min", d->min}, {"max", d->max},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        tlf_ard_add_real(ard, key, s[i].name, param, s[i].v);   /* NaN -> missing */
}

int base_continuous(const analysis_ctx *ctx, const tlf_ard_key *key, const char *variable,
                    const char *expr, const char *from, const char *filter, const char *param,
                    const base_col *cols, size_t ncols, int with_dp, tlf_err *err)
{
    /* One scan for every column: the value and, per column, whether the
     * row belongs to it (three scans of ADLB's baseline rows were most of
     * the demographics' time). Each column's values come in the order of
     * the scan, the order its own query gave them. */
    tlf_buf sql = TLF_BUF_INIT, any = TLF_BUF_INIT;
    tlf_buf_printf(&sql, "SELECT %s", expr);
    for (size_t c = 0; c < ncols; c++) {
        tlf_buf_printf(&sql, ", (%s)", cols[c].where);
        tlf_buf_printf(&any, "%s(%s)", c ? " OR " : "", cols[c].where);
    }
    tlf_buf_printf(&sql, " FROM %s WHERE (%s) AND (%s) AND %s IS NOT NULL", from,
                   ncols ? tlf_buf_cstr(&any) : "0", filter ? filter : "1", expr);
    double **x = xcalloc(ncols + 1, sizeof *x);
    size_t *n = xcalloc(ncols + 1, sizeof *n), *cap = xcalloc(ncols + 1, sizeof *cap);
    char **text = xcalloc(ncols + 1, sizeof *text);   /* a column's first text value */
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK, dp = 0;
    if (sqlite3_prepare_v2(ctx->adam, tlf_buf_cstr(&sql), -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s %s: %s", from, variable,
                         sqlite3_errmsg(ctx->adam));
    } else {
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            int is_text = sqlite3_column_type(st, 0) == SQLITE_TEXT;
            double v = is_text ? 0 : sqlite3_column_double(st, 0);
            for (size_t c = 0; c < ncols; c++) {
                if (!sqlite3_column_int(st, (int)c + 1) || text[c])
                    continue;
                if (is_text) {
                    text[c] = xstrdup((const char *)sqlite3_column_text(st, 0));
                    continue;
                }
                XGROW(x[c], cap[c], n[c] + 1);
                x[c][n[c]++] = v;
            }
        }
        if (s != SQLITE_DONE)
            rc = tlf_err_set(err, TLF_EINTERNAL, "%s %s: %s", from, variable,
                             sqlite3_errmsg(ctx->adam));
    }
    for (size_t c = 0; c < ncols && rc == TLF_OK; c++) {
        describe_result d;
        if (text[c])
            rc = tlf_err_set(err, TLF_EDATA, "%s %s: value '%s' is not a number", from, variable,
                             text[c]);
        else if (describe(x[c], n[c], &d) != 0)
            rc = tlf_err_set(err, TLF_EDATA, "%s %s: a value is not finite", from, variable);
        if (rc == TLF_OK) {
            tlf_ard_key k = *key;
            k.group_level = cols[c].level;
            k.population = cols[c].population;
            k.variable = variable;
            k.variable_level = NULL;
            emit_describe(ctx->ard, &k, param, &d);
            int dc = describe_max_decimals(x[c], n[c], 3);
            dp = dc > dp ? dc : dp;
        }
    }
    /* dp: one value for every column (the maximum over all of them) */
    for (size_t c = 0; c < ncols && rc == TLF_OK && with_dp; c++) {
        tlf_ard_key k = *key;
        k.group_level = cols[c].level;
        k.population = cols[c].population;
        k.variable = variable;
        k.variable_level = NULL;
        tlf_ard_add_int(ctx->ard, &k, "dp", param, dp);
    }
    sqlite3_finalize(st);
    for (size_t c = 0; c < ncols; c++) {
        free(x[c]);
        free(text[c]);
    }
    free(x);
    free(n);
    free(cap);
    free(text);
    tlf_buf_free(&sql);
    tlf_buf_free(&any);
    return rc;
}
