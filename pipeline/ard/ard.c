/*
 * ard.c - the analysis results data set and its CSV form (see ard.h and
 * docs/ard.md for the format).
 */
#include "ard/ard.h"
#include "core/fault.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/strmap.h"
#include "core/tmpfile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const COLUMNS[] = {
    "output_id", "analysis_id", "population", "group", "group_level",
    "variable", "variable_level", "stat_name", "param", "value"
};
#define NCOLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])

tlf_ard *tlf_ard_new(void)
{
    return xcalloc(1, sizeof(tlf_ard));
}

static void row_free(tlf_ard_row *r)
{
    free(r->output_id);
    free(r->analysis_id);
    free(r->population);
    free(r->group);
    free(r->group_level);
    free(r->variable);
    free(r->variable_level);
    free(r->stat_name);
    free(r->param);
}

/* Row numbers of the records sharing a key, in ARD order. */
typedef struct ard_bucket {
    size_t *rows;
    size_t n, cap;
} ard_bucket;

/*
 * The hashes, one per shape of query: the fields a shape needs (a bit per
 * tlf_ard_query field, below) are joined by the unit separator 0x1F, which
 * no ARD field holds, into a key; a query uses the first shape whose
 * fields it all names, most selective first. The shapes are those the
 * templates ask: a cell by analysis, statistic, parameter and level; a
 * table's decimals ({x:dp}) by statistic, level and parameter, no
 * analysis (issue 16: scanned, a tenth of the demo csr run's CPU); and the
 * wider ones behind them.
 */
enum { F_AID = 1, F_VLEVEL = 2, F_STAT = 4, F_PARAM = 8 };

static const unsigned SHAPES[] = {
    F_AID | F_STAT | F_PARAM | F_VLEVEL,
    F_STAT | F_PARAM | F_VLEVEL,
    F_AID | F_STAT | F_PARAM,
    F_AID | F_STAT,
    F_STAT | F_VLEVEL,
};
#define NSHAPES (sizeof SHAPES / sizeof SHAPES[0])

typedef struct ard_hash {
    tlf_strmap keys;
    ard_bucket *b;             /* per key */
    size_t cap;
} ard_hash;

struct tlf_ard_index {
    size_t covers;             /* ard->n when built */
    ard_hash h[NSHAPES];
};

static void index_free(struct tlf_ard_index *ix)
{
    if (!ix)
        return;
    for (size_t s = 0; s < NSHAPES; s++) {
        for (size_t i = 0; i < ix->h[s].keys.n; i++)
            free(ix->h[s].b[i].rows);
        free(ix->h[s].b);
        tlf_strmap_free(&ix->h[s].keys);
    }
    free(ix);
}

void tlf_ard_free(tlf_ard *ard)
{
    if (!ard)
        return;
    index_free(ard->index);
    for (size_t i = 0; i < ard->n; i++)
        row_free(&ard->rows[i]);
    free(ard->rows);
    free(ard);
}

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

void tlf_ard_add(tlf_ard *ard, const tlf_ard_key *key, const char *stat_name,
                 const char *param, tlf_val_kind kind, double value)
{
    XGROW(ard->rows, ard->cap, ard->n + 1);
    tlf_ard_row *r = &ard->rows[ard->n++];
    r->output_id = dup_or_empty(key->output_id);
    r->analysis_id = dup_or_empty(key->analysis_id);
    r->population = dup_or_empty(key->population);
    r->group = dup_or_empty(key->group);
    r->group_level = dup_or_empty(key->group_level);
    r->variable = dup_or_empty(key->variable);
    r->variable_level = dup_or_empty(key->variable_level);
    r->stat_name = dup_or_empty(stat_name);
    r->param = dup_or_empty(param);
    if (kind != TLF_VAL_MISSING && !isfinite(value))
        kind = TLF_VAL_MISSING;
    r->kind = kind;
    r->value = kind == TLF_VAL_MISSING ? 0.0 : value;
}

void tlf_ard_add_int(tlf_ard *ard, const tlf_ard_key *key, const char *stat_name,
                     const char *param, long long value)
{
    tlf_ard_add(ard, key, stat_name, param, TLF_VAL_INT, (double)value);
}

void tlf_ard_add_real(tlf_ard *ard, const tlf_ard_key *key, const char *stat_name,
                      const char *param, double value)
{
    tlf_ard_add(ard, key, stat_name, param, TLF_VAL_REAL, value);
}

void tlf_param_add(tlf_buf *param, const char *key, const char *value)
{
    if (param->len)
        tlf_buf_putc(param, ';');
    tlf_buf_puts(param, key);
    tlf_buf_putc(param, '=');
    for (const char *s = value ? value : ""; *s; s++) {
        switch (*s) {
        case '%': tlf_buf_puts(param, "%25"); break;
        case ';': tlf_buf_puts(param, "%3B"); break;
        case '=': tlf_buf_puts(param, "%3D"); break;
        default:  tlf_buf_putc(param, *s);
        }
    }
}

void tlf_param_addf(tlf_buf *param, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    tlf_param_add(param, key, tmp);
}

int tlf_param_get(const char *param, const char *key, char *out, size_t outsz)
{
    size_t klen = strlen(key);
    const char *p = param;
    while (p && *p) {
        const char *end = strchr(p, ';');
        if (!end)
            end = p + strlen(p);
        if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t o = 0;
            for (const char *s = p + klen + 1; s < end && o + 1 < outsz; s++) {
                if (*s == '%' && end - s >= 3) {
                    char hex[3] = {s[1], s[2], 0};
                    out[o++] = (char)strtol(hex, NULL, 16);
                    s += 2;
                } else {
                    out[o++] = *s;
                }
            }
            out[o] = '\0';
            return 0;
        }
        p = *end ? end + 1 : end;
    }
    return -1;
}

void tlf_ard_format_value(char *out, size_t outsz, tlf_val_kind kind, double value)
{
    switch (kind) {
    case TLF_VAL_INT:
        if (fabs(value) <= 9007199254740992.0) {   /* else not a count: see parse_value */
            snprintf(out, outsz, "%lld", (long long)value);
            break;
        }
        /* fall through */
    case TLF_VAL_REAL: snprintf(out, outsz, "%.17g", value); break;
    default:           out[0] = '\0';
    }
}

int tlf_ard_write(const tlf_ard *ard, FILE *f, tlf_err *err)
{
    for (size_t c = 0; c < NCOLUMNS; c++) {
        fputs(COLUMNS[c], f);
        fputs(c + 1 < NCOLUMNS ? "," : "\r\n", f);
    }
    char val[64];
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        const char *fields[] = {r->output_id, r->analysis_id, r->population, r->group,
                                r->group_level, r->variable, r->variable_level,
                                r->stat_name, r->param};
        for (size_t c = 0; c < NCOLUMNS - 1; c++) {
            tlf_csv_write_field(f, fields[c]);
            fputc(',', f);
        }
        tlf_ard_format_value(val, sizeof val, r->kind, r->value);
        fputs(val, f);
        fputs("\r\n", f);
    }
    if (ferror(f))
        return tlf_err_set(err, TLF_EOUTPUT, "writing the ARD: %s", strerror(errno));
    return TLF_OK;
}

static int write_ard(FILE *f, void *ard, tlf_err *err)
{
    return tlf_ard_write(ard, f, err);
}

int tlf_ard_write_file(const tlf_ard *ard, const char *path, tlf_err *err)
{
    /* under a temporary name, renamed when whole: a signal or a full disk
     * never leaves half an ard.csv (`analyze --out`) */
    int rc = tlf_tmpfile_write_stream(path, write_ard, (void *)ard, err);
    if (rc != TLF_OK && rc != TLF_EINTR && !strstr(err->msg, path))
        tlf_err_prefix(err, "%s", path);
    return rc;
}

/* An integer in the file is a count (TLF_VAL_INT); anything else numeric is real. */
static int parse_value(const char *s, tlf_val_kind *kind, double *value)
{
    if (!s) {
        *kind = TLF_VAL_MISSING;
        *value = 0;
        return 0;
    }
    if (tlf_parse_double(s, value) != 0)
        return -1;
    /* a count is exact in a double up to 2^53; a longer run of digits is
     * a real number (casting it to long long would be undefined: found by
     * fuzz/fuzz_ard.c) */
    *kind = strpbrk(s, ".eEnN") || fabs(*value) > 9007199254740992.0 ? TLF_VAL_REAL : TLF_VAL_INT;
    return 0;
}

int tlf_ard_read(tlf_ard **out, const char *path, tlf_err *err)
{
    *out = NULL;
    tlf_csv *csv = NULL;
    int rc = tlf_csv_read(&csv, path, err);
    if (rc)
        return rc;
    int idx[NCOLUMNS];
    for (size_t c = 0; c < NCOLUMNS; c++) {
        idx[c] = tlf_csv_col(csv, COLUMNS[c]);
        if (idx[c] < 0) {
            rc = tlf_err_set(err, TLF_EINPUT, "%s: no column '%s' (not an ARD file?)",
                             path, COLUMNS[c]);
            tlf_csv_free(csv);
            return rc;
        }
    }
    tlf_ard *ard = tlf_ard_new();
    for (size_t i = 0; i < csv->nrow; i++) {
        const char *f[NCOLUMNS];
        for (size_t c = 0; c < NCOLUMNS; c++)
            f[c] = tlf_csv_cell(csv, i, (size_t)idx[c]);
        tlf_val_kind kind;
        double value;
        if (parse_value(f[9], &kind, &value) != 0) {
            rc = tlf_err_set(err, TLF_EDATA, "%s: row %zu, column value: '%s' is not a number",
                             path, i + 2, f[9]);
            tlf_ard_free(ard);
            tlf_csv_free(csv);
            return rc;
        }
        tlf_ard_key key = {f[0], f[1], f[2], f[3], f[4], f[5], f[6]};
        tlf_ard_add(ard, &key, f[7], f[8], kind, value);
    }
    tlf_csv_free(csv);
    tlf_ard_build_index(ard);
    *out = ard;
    return TLF_OK;
}

static int match(const char *want, const char *have)
{
    return !want || strcmp(want, have) == 0;
}


/* The fields of shape from a query (NULL: not named) into k; 0 when the
 * query does not name them all. */
static int key_of(tlf_buf *k, unsigned shape, const char *aid, const char *vlevel,
                  const char *stat, const char *param)
{
    const char *f[] = {aid, vlevel, stat, param};
    tlf_buf_reset(k);
    for (unsigned i = 0; i < 4; i++) {
        if (!(shape & (1u << i)))
            continue;
        if (!f[i])
            return 0;
        tlf_buf_puts(k, f[i]);
        tlf_buf_putc(k, '\x1f');
    }
    return 1;
}

static void bucket_add(ard_hash *h, const char *key, size_t row)
{
    size_t before = h->keys.n;
    size_t k = tlf_strmap_add(&h->keys, key);
    if (h->keys.n != before) {
        XGROW(h->b, h->cap, h->keys.n);
        memset(&h->b[k], 0, sizeof h->b[k]);
    }
    XGROW(h->b[k].rows, h->b[k].cap, h->b[k].n + 1);
    h->b[k].rows[h->b[k].n++] = row;
}

void tlf_ard_build_index(tlf_ard *ard)
{
    index_free(ard->index);
    struct tlf_ard_index *ix = xcalloc(1, sizeof *ix);
    tlf_buf k = TLF_BUF_INIT;
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        for (size_t s = 0; s < NSHAPES; s++) {
            key_of(&k, SHAPES[s], r->analysis_id, r->variable_level, r->stat_name, r->param);
            bucket_add(&ix->h[s], tlf_buf_cstr(&k), i);
        }
    }
    tlf_buf_free(&k);
    ix->covers = ard->n;
    ard->index = ix;
}

static int row_matches(const tlf_ard_row *r, const tlf_ard_query *q)
{
    return match(q->analysis_id, r->analysis_id) && match(q->population, r->population) &&
           match(q->group, r->group) && match(q->group_level, r->group_level) &&
           match(q->variable, r->variable) && match(q->variable_level, r->variable_level) &&
           match(q->stat_name, r->stat_name) && match(q->param, r->param);
}

const tlf_ard_row *tlf_ard_find(const tlf_ard *ard, const tlf_ard_query *q)
{
    const struct tlf_ard_index *ix = ard->index;
    tlf_buf k = TLF_BUF_INIT;
    for (size_t s = 0; ix && ix->covers == ard->n && s < NSHAPES; s++) {
        if (!key_of(&k, SHAPES[s], q->analysis_id, q->variable_level, q->stat_name, q->param))
            continue;
        size_t at = tlf_strmap_get(&ix->h[s].keys, tlf_buf_cstr(&k));
        tlf_buf_free(&k);
        const ard_bucket *b = at == (size_t)-1 ? NULL : &ix->h[s].b[at];
        for (size_t i = 0; b && i < b->n; i++)
            if (row_matches(&ard->rows[b->rows[i]], q))
                return &ard->rows[b->rows[i]];
        return NULL;
    }
    tlf_buf_free(&k);
    for (size_t i = 0; i < ard->n; i++)
        if (row_matches(&ard->rows[i], q))
            return &ard->rows[i];
    return NULL;
}
