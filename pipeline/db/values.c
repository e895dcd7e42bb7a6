/*
 * values.c - value-level validators shared by the checks: ISO 8601 dates
 * as database.md allows them (full and partial), UTF-8, and the SQL
 * functions that expose the date logic to set-based rules.
 *
 * Stage: db. database.md "Dates"; sap.md section 1 (a partial date's
 * earliest possible day decides whether it is before the cut-off).
 */
#include "db/db_internal.h"

#include <stdint.h>
#include <string.h>

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int db_iso_date_valid(const char *s, size_t len)
{
    if (len != 4 && len != 7 && len != 10 && len != 16 && len != 19)
        return 0;
    if (!digits(s, 4))
        return 0;
    int y = num(s, 4);
    if (y < 1)
        return 0;
    if (len == 4)
        return 1;
    if (s[4] != '-' || !digits(s + 5, 2))
        return 0;
    int m = num(s + 5, 2);
    if (m < 1 || m > 12)
        return 0;
    if (len == 7)
        return 1;
    if (s[7] != '-' || !digits(s + 8, 2))
        return 0;
    int d = num(s + 8, 2);
    if (d < 1 || d > days_in_month(y, m))
        return 0;
    if (len == 10)
        return 1;
    if (s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2))
        return 0;
    if (num(s + 11, 2) > 23 || num(s + 14, 2) > 59)
        return 0;
    if (len == 16)
        return 1;
    return s[16] == ':' && digits(s + 17, 2) && num(s + 17, 2) <= 59;
}

int db_utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* eight ASCII bytes at a time: nearly every value is ASCII */
        uint64_t w;
        if (i + 8 <= n && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ULL) == 0)) {
            i += 8;
            continue;
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            k = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k;
    }
    return 1;
}

static void fn_date_ok(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    sqlite3_result_int(ctx, s ? db_iso_date_valid(s, (size_t)sqlite3_value_bytes(argv[0])) : 0);
}

/* earliest (which=0) or latest (which=1) day a valid date can mean */
static void day_bound(sqlite3_context *ctx, sqlite3_value *v, int which)
{
    const char *s = (const char *)sqlite3_value_text(v);
    size_t n = s ? (size_t)sqlite3_value_bytes(v) : 0;
    if (!s || !db_iso_date_valid(s, n)) {
        sqlite3_result_null(ctx);
        return;
    }
    char out[11];
    if (n >= 10) {
        memcpy(out, s, 10);
    } else if (n == 7) {
        memcpy(out, s, 7);
        int d = which ? days_in_month(num(s, 4), num(s + 5, 2)) : 1;
        out[7] = '-';
        out[8] = (char)('0' + d / 10);
        out[9] = (char)('0' + d % 10);
    } else {
        memcpy(out, s, 4);
        memcpy(out + 4, which ? "-12-31" : "-01-01", 6);
    }
    out[10] = '\0';
    sqlite3_result_text(ctx, out, 10, SQLITE_TRANSIENT);
}

static void fn_earliest(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    day_bound(ctx, argv[0], 0);
}

static void fn_latest(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    day_bound(ctx, argv[0], 1);
}

int db_register_functions(sqlite3 *db, tlf_err *err)
{
    const int fl = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (sqlite3_create_function(db, "tlf_date_ok", 1, fl, NULL, fn_date_ok, NULL, NULL) ||
        sqlite3_create_function(db, "tlf_earliest", 1, fl, NULL, fn_earliest, NULL, NULL) ||
        sqlite3_create_function(db, "tlf_latest", 1, fl, NULL, fn_latest, NULL, NULL))
        return tlf_err_set(err, TLF_EINTERNAL, "cannot register SQL functions: %s",
                           sqlite3_errmsg(db));
    return TLF_OK;
}
