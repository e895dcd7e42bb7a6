/*
 * ard_diff.c - record-by-record comparison of two ARD files (see ard_diff.h).
 *
 * Stage: ARD. Matching: every BASE record goes into an open-addressing hash
 * table on its key fields (FNV-1a); each COMPARE record takes the first
 * not yet matched BASE record with equal keys, so duplicate keys pair up
 * in file order. Values: empty, NA, NaN, `.` and SAS special missing
 * (`.A`-`.Z`, `._`) are all "no value" (the ARD itself writes a non-finite
 * number as an empty field); numbers in R/SAS spellings (`1e-05`, `Inf`,
 * `-Inf`, `.5`) compare with the tolerance; anything else is text and
 * compares exactly.
 */
#include "ard/ard_diff.h"
#include "core/buf.h"
#include "core/mem.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The ARD's key columns in ard.md order: the default matching keys. */
static const char *const ARD_KEYS[] = {
    "output_id", "analysis_id", "population", "group", "group_level",
    "variable", "variable_level", "stat_name", "param"};
#define NARD_KEYS (sizeof ARD_KEYS / sizeof ARD_KEYS[0])

enum vclass { V_NONE, V_NUM, V_TEXT };

/* Trimmed view of a cell: SAS pads character values with blanks. */
static void trim(const char *s, const char **b, size_t *n)
{
    if (!s) {
        *b = "";
        *n = 0;
        return;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    *b = s;
    *n = len;
}

/* Classify a value cell; numbers (including +-Inf) go to *num. */
static enum vclass classify(const char *cell, double *num)
{
    const char *s;
    size_t n;
    trim(cell, &s, &n);
    *num = NAN;
    if (n == 0 || (n == 2 && memcmp(s, "NA", 2) == 0) || (n == 1 && s[0] == '.'))
        return V_NONE;
    if (n == 2 && s[0] == '.' && (s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z')))
        return V_NONE;               /* SAS special missing .A-.Z, ._ */
    if (n == 3 && strncasecmp(s, "nan", 3) == 0)
        return V_NONE;
    size_t i = 0;
    int neg = 0;
    if (s[i] == '+' || s[i] == '-')
        neg = s[i++] == '-';
    if ((n - i == 3 && strncasecmp(s + i, "inf", 3) == 0) ||
        (n - i == 8 && strncasecmp(s + i, "infinity", 8) == 0)) {
        *num = neg ? -INFINITY : INFINITY;
        return V_NUM;
    }
    /* [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)? - no hex, no spaces */
    size_t d0 = i;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    size_t int_digits = i - d0, frac_digits = 0;
    if (i < n && s[i] == '.') {
        i++;
        size_t f0 = i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        frac_digits = i - f0;
    }
    if (int_digits + frac_digits == 0)
        return V_TEXT;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e0 = i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i == e0)
            return V_TEXT;
    }
    if (i != n)
        return V_TEXT;
    char tmp[128];
    if (n >= sizeof tmp)
        return V_TEXT;               /* no number is written that long */
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    *num = strtod(tmp, NULL);        /* overflow gives +-HUGE_VAL = +-Inf */
    return V_NUM;
}

/* Compare two value cells; fills abs/rel difference when both are numbers.
 * Returns 1 when equal under the rules in the file comment. */
static int values_equal(const char *a, const char *b, double tol, double *absd, double *reld)
{
    double x, y;
    enum vclass ca = classify(a, &x), cb = classify(b, &y);
    *absd = *reld = NAN;
    if (ca == V_NUM && cb == V_NUM) {
        if (isinf(x) || isinf(y)) {
            if (x == y) {
                *absd = *reld = 0;
                return 1;
            }
            *absd = *reld = INFINITY;
            return 0;
        }
        double d = fabs(x - y), m = fmax(fabs(x), fabs(y));
        *absd = d;
        *reld = m > 0 ? d / m : 0;
        return d <= tol || d <= tol * m;
    }
    if (ca != cb)
        return 0;
    if (ca == V_NONE)
        return 1;
    const char *sa, *sb;
    size_t na, nb;
    trim(a, &sa, &na);
    trim(b, &sb, &nb);
    return na == nb && memcmp(sa, sb, na) == 0;
}

static const char *cell(const tlf_csv *csv, size_t row, int col)
{
    if (col < 0 || row == ARD_DIFF_NOROW)
        return NULL;
    return tlf_csv_cell(csv, row, (size_t)col);
}

/* Column by name, ignoring case (SAS writes OUTPUT_ID); -1 when absent. */
static int find_col(const tlf_csv *csv, const char *name)
{
    for (size_t i = 0; i < csv->ncol; i++) {
        const char *h;
        size_t n;
        trim(csv->header[i], &h, &n);
        if (n == strlen(name) && strncasecmp(h, name, n) == 0)
            return (int)i;
    }
    return -1;
}

/* Key fields compare exactly; an empty cell and an NA are the same. */
static int key_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static uint64_t key_hash(const tlf_csv *csv, size_t row, const int *cols, size_t nkeys)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t k = 0; k < nkeys; k++) {
        const char *s = tlf_csv_cell(csv, row, (size_t)cols[k]);
        for (; s && *s; s++) {
            h ^= (unsigned char)*s;
            h *= 1099511628211ULL;
        }
        h ^= 0x1f;                   /* field separator: ("ab","") != ("a","b") */
        h *= 1099511628211ULL;
    }
    /* FNV's low bits mix poorly and the table is indexed by them: fold the
     * high bits in (MurmurHash3's 64-bit finaliser) */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static int rows_match(const ard_diff *d, size_t brow, size_t crow)
{
    for (size_t k = 0; k < d->nkeys; k++)
        if (!key_eq(tlf_csv_cell(d->base, brow, (size_t)d->kcol_base[k]),
                    tlf_csv_cell(d->compare, crow, (size_t)d->kcol_cmp[k])))
            return 0;
    return 1;
}

static int base_rows_match(const ard_diff *d, size_t r1, size_t r2)
{
    for (size_t k = 0; k < d->nkeys; k++)
        if (!key_eq(tlf_csv_cell(d->base, r1, (size_t)d->kcol_base[k]),
                    tlf_csv_cell(d->base, r2, (size_t)d->kcol_base[k])))
            return 0;
    return 1;
}

/* One slot per distinct BASE key: first row with it, and a cursor to the
 * next unmatched one along next[] (rows with equal keys, file order). */
typedef struct slot {
    size_t head, cursor;
    uint64_t hash;
    int used;
} slot;

static int id_in_list(const char *id, size_t len, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], id, len) == 0)
            return 1;
    return 0;
}

/* Whether an output_id cell ("14.2.1.1;F14.2.1.1") names an output of --only. */
static int in_scope(const char *ids, const ard_diff_opts *opts)
{
    if (!opts->only)
        return 1;
    const char *p = ids ? ids : "";
    for (;;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (id_in_list(p, len, opts->only, opts->nonly))
            return 1;
        if (!e)
            return 0;
        p = e + 1;
    }
}

static ard_diff_count *count_for(ard_diff *d, const char *id, size_t len)
{
    for (size_t i = 0; i < d->noutputs; i++)
        if (strlen(d->outputs[i].output_id) == len &&
            memcmp(d->outputs[i].output_id, id, len) == 0)
            return &d->outputs[i];
    d->outputs = xreallocarray(d->outputs, d->noutputs + 1, sizeof *d->outputs);
    ard_diff_count *c = &d->outputs[d->noutputs++];
    memset(c, 0, sizeof *c);
    c->output_id = xstrndup(id, len);
    return c;
}

enum { C_BASE, C_COMPARE, C_EQUAL, C_DIFFER, C_ONLY_BASE, C_ONLY_COMPARE };

static void bump(ard_diff_count *c, int what)
{
    switch (what) {
    case C_BASE: c->base++; break;
    case C_COMPARE: c->compare++; break;
    case C_EQUAL: c->equal++; break;
    case C_DIFFER: c->differ++; break;
    case C_ONLY_BASE: c->only_base++; break;
    default: c->only_compare++; break;
    }
}

/* Count under the total and under each output id of ids that is in scope. */
static void tally(ard_diff *d, const char *ids, const ard_diff_opts *opts, int what)
{
    bump(&d->total, what);
    const char *p = ids ? ids : "";
    for (;;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        /* a record of unknown output is in scope: count it under "(none)" */
        if (!opts->only || len == 0 || id_in_list(p, len, opts->only, opts->nonly))
            bump(count_for(d, p, len), what);
        if (!e)
            break;
        p = e + 1;
    }
}

/* Resolve the key and value columns; the messages name the file lacking one. */
static int setup_columns(ard_diff *d, const char *base_name, const char *compare_name,
                         const ard_diff_opts *opts, tlf_err *err)
{
    d->vcol_base = find_col(d->base, "value");
    d->vcol_cmp = find_col(d->compare, "value");
    if (d->vcol_base < 0)
        return tlf_err_set(err, TLF_EDATA, "%s: no 'value' column", base_name);
    if (d->vcol_cmp < 0)
        return tlf_err_set(err, TLF_EDATA, "%s: no 'value' column", compare_name);
    d->ocol_base = find_col(d->base, "output_id");
    d->ocol_cmp = find_col(d->compare, "output_id");
    if (opts->only && d->ocol_base < 0 && d->ocol_cmp < 0)
        return tlf_err_set(err, TLF_EDATA,
                           "--only needs an 'output_id' column and neither %s nor %s has one",
                           base_name, compare_name);

    size_t want = opts->keys ? opts->nkeys : NARD_KEYS;
    d->keys = xcalloc(want ? want : 1, sizeof *d->keys);
    d->kcol_base = xcalloc(want ? want : 1, sizeof *d->kcol_base);
    d->kcol_cmp = xcalloc(want ? want : 1, sizeof *d->kcol_cmp);
    tlf_buf unused = TLF_BUF_INIT;
    for (size_t k = 0; k < want; k++) {
        const char *name = opts->keys ? opts->keys[k] : ARD_KEYS[k];
        int cb = find_col(d->base, name), cc = find_col(d->compare, name);
        if (opts->keys && (cb < 0 || cc < 0)) {
            tlf_buf_free(&unused);
            return tlf_err_set(err, TLF_EDATA, "%s: no key column '%s' (--keys)",
                               cb < 0 ? base_name : compare_name, name);
        }
        if (cb < 0 || cc < 0) {
            if (cb >= 0 || cc >= 0) {       /* one file has it: say it is not a key */
                tlf_buf_printf(&unused, "%s%s (not in %s)", unused.len ? ", " : "",
                               name, cb < 0 ? base_name : compare_name);
            }
            continue;
        }
        if (cb == d->vcol_base || cc == d->vcol_cmp) {
            tlf_buf_free(&unused);
            return tlf_err_set(err, TLF_EUSAGE, "'value' cannot be a key column");
        }
        d->keys[d->nkeys] = xstrdup(d->base->header[cb]);
        d->kcol_base[d->nkeys] = cb;
        d->kcol_cmp[d->nkeys] = cc;
        d->nkeys++;
    }
    d->unused_keys = xstrdup(tlf_buf_cstr(&unused));
    tlf_buf_free(&unused);
    if (d->nkeys == 0)
        return tlf_err_set(err, TLF_EDATA,
                           "%s and %s share no key column (analysis_id, stat_name, ...)",
                           base_name, compare_name);
    return TLF_OK;
}

int ard_diff_csv(ard_diff **out, const tlf_csv *base, const char *base_name,
                 const tlf_csv *compare, const char *compare_name,
                 const ard_diff_opts *opts, tlf_err *err)
{
    *out = NULL;
    if (!(opts->tol >= 0) || !isfinite(opts->tol))
        return tlf_err_set(err, TLF_EUSAGE, "tolerance must be a finite number >= 0");
    ard_diff *d = xcalloc(1, sizeof *d);
    d->base = base;
    d->compare = compare;
    d->tol = opts->tol;
    size_t *next = NULL, *partner = NULL;
    char *cmp_matched = NULL;
    slot *tab = NULL;
    int rc = setup_columns(d, base_name, compare_name, opts, err);
    if (rc != TLF_OK)
        goto fail;

    /* Hash BASE keys; table at most half full. */
    size_t nb = base->nrow, nc = compare->nrow, cap = 16;
    while (cap < 2 * nb)
        cap *= 2;
    tab = xcalloc(cap, sizeof *tab);
    next = xmalloc((nb + 1) * sizeof *next);
    partner = xmalloc((nb + 1) * sizeof *partner);
    size_t *tail = xmalloc((nb + 1) * sizeof *tail);   /* per slot: last row, indexed by head */
    for (size_t r = 0; r < nb; r++) {
        next[r] = ARD_DIFF_NOROW;
        partner[r] = ARD_DIFF_NOROW;
        uint64_t h = key_hash(base, r, d->kcol_base, d->nkeys);
        size_t i = (size_t)h & (cap - 1);
        while (tab[i].used && !(tab[i].hash == h && base_rows_match(d, tab[i].head, r)))
            i = (i + 1) & (cap - 1);
        if (!tab[i].used) {
            tab[i] = (slot){r, r, h, 1};
            tail[r] = r;
        } else {
            next[tail[tab[i].head]] = r;
            tail[tab[i].head] = r;
            d->dup_base++;
        }
    }
    free(tail);

    /* Each COMPARE row takes the next unmatched BASE row with its keys. */
    cmp_matched = xcalloc(nc + 1, 1);
    for (size_t r = 0; r < nc; r++) {
        uint64_t h = key_hash(compare, r, d->kcol_cmp, d->nkeys);
        size_t i = (size_t)h & (cap - 1);
        while (tab[i].used && !(tab[i].hash == h && rows_match(d, tab[i].head, r)))
            i = (i + 1) & (cap - 1);
        if (!tab[i].used)
            continue;
        if (tab[i].cursor != tab[i].head || partner[tab[i].head] != ARD_DIFF_NOROW)
            d->dup_compare++;
        if (tab[i].cursor == ARD_DIFF_NOROW)
            continue;                /* more COMPARE duplicates than BASE ones */
        partner[tab[i].cursor] = r;
        cmp_matched[r] = 1;
        tab[i].cursor = next[tab[i].cursor];
    }

    /* Walk BASE in order, then unmatched COMPARE rows in order. A pair's
     * output is BASE's when BASE has the column, else COMPARE's; a record
     * whose output cannot be known is in scope. */
    for (size_t r = 0; r < nb; r++) {
        size_t c = partner[r];
        const char *ids = d->ocol_base >= 0 ? cell(base, r, d->ocol_base)
                                            : cell(compare, c, d->ocol_cmp);
        int known = d->ocol_base >= 0 || (c != ARD_DIFF_NOROW && d->ocol_cmp >= 0);
        if (known && !in_scope(ids, opts))
            continue;
        tally(d, ids, opts, C_BASE);
        if (c == ARD_DIFF_NOROW) {
            tally(d, ids, opts, C_ONLY_BASE);
            d->recs = xreallocarray(d->recs, d->nrecs + 1, sizeof *d->recs);
            d->recs[d->nrecs++] = (ard_diff_rec){ARD_DIFF_ONLY_BASE, r, ARD_DIFF_NOROW, NAN, NAN};
            continue;
        }
        tally(d, ids, opts, C_COMPARE);
        double ad, rd;
        if (values_equal(cell(base, r, d->vcol_base), cell(compare, c, d->vcol_cmp),
                         d->tol, &ad, &rd)) {
            tally(d, ids, opts, C_EQUAL);
        } else {
            tally(d, ids, opts, C_DIFFER);
            d->recs = xreallocarray(d->recs, d->nrecs + 1, sizeof *d->recs);
            d->recs[d->nrecs++] = (ard_diff_rec){ARD_DIFF_VALUE, r, c, ad, rd};
        }
    }
    for (size_t r = 0; r < nc; r++) {
        if (cmp_matched[r])
            continue;
        const char *ids = cell(compare, r, d->ocol_cmp);
        if (d->ocol_cmp >= 0 && !in_scope(ids, opts))
            continue;
        tally(d, ids, opts, C_COMPARE);
        tally(d, ids, opts, C_ONLY_COMPARE);
        d->recs = xreallocarray(d->recs, d->nrecs + 1, sizeof *d->recs);
        d->recs[d->nrecs++] = (ard_diff_rec){ARD_DIFF_ONLY_COMPARE, ARD_DIFF_NOROW, r, NAN, NAN};
    }
    free(tab);
    free(next);
    free(partner);
    free(cmp_matched);
    *out = d;
    return TLF_OK;
fail:
    free(tab);
    free(next);
    free(partner);
    free(cmp_matched);
    ard_diff_free(d);
    return rc;
}

int ard_diff_files(ard_diff **out, const char *base_path, const char *compare_path,
                   const ard_diff_opts *opts, tlf_err *err)
{
    *out = NULL;
    tlf_csv *base = NULL, *compare = NULL;
    int rc = tlf_csv_read(&base, base_path, err);
    if (rc == TLF_OK)
        rc = tlf_csv_read(&compare, compare_path, err);
    if (rc == TLF_OK)
        rc = ard_diff_csv(out, base, base_path, compare, compare_path, opts, err);
    if (rc != TLF_OK) {
        tlf_csv_free(base);
        tlf_csv_free(compare);
        return rc;
    }
    (*out)->owns_csv = 1;
    return TLF_OK;
}

void ard_diff_free(ard_diff *d)
{
    if (!d)
        return;
    if (d->owns_csv) {
        tlf_csv_free((tlf_csv *)d->base);
        tlf_csv_free((tlf_csv *)d->compare);
    }
    for (size_t k = 0; k < d->nkeys; k++)
        free(d->keys[k]);
    free(d->keys);
    free(d->kcol_base);
    free(d->kcol_cmp);
    free(d->unused_keys);
    free(d->recs);
    for (size_t i = 0; i < d->noutputs; i++)
        free(d->outputs[i].output_id);
    free(d->outputs);
    free(d);
}

size_t ard_diff_ndiff(const ard_diff *d)
{
    return d->total.differ + d->total.only_base + d->total.only_compare;
}

static const char *kind_name(ard_diff_kind k)
{
    return k == ARD_DIFF_VALUE ? "value" : k == ARD_DIFF_ONLY_BASE ? "only_base" : "only_compare";
}

/* The record's output ids: BASE's cell when it has the column, else COMPARE's. */
static const char *rec_output(const ard_diff *d, const ard_diff_rec *r)
{
    const char *ids = NULL;
    if (r->base_row != ARD_DIFF_NOROW && d->ocol_base >= 0)
        ids = cell(d->base, r->base_row, d->ocol_base);
    else if (r->compare_row != ARD_DIFF_NOROW && d->ocol_cmp >= 0)
        ids = cell(d->compare, r->compare_row, d->ocol_cmp);
    return ids;
}

/* The record's key field k from whichever file has the row. */
static const char *rec_key(const ard_diff *d, const ard_diff_rec *r, size_t k)
{
    if (r->base_row != ARD_DIFF_NOROW)
        return cell(d->base, r->base_row, d->kcol_base[k]);
    return cell(d->compare, r->compare_row, d->kcol_cmp[k]);
}

static void put_num(FILE *f, double v)
{
    if (isnan(v))
        return;
    if (isinf(v))
        fputs(v > 0 ? "Inf" : "-Inf", f);
    else
        fprintf(f, "%.17g", v);
}

static void put_row(FILE *f, size_t row)
{
    if (row != ARD_DIFF_NOROW)
        fprintf(f, "%zu", row + 1);
}

int ard_diff_write_csv(const ard_diff *d, FILE *f, tlf_err *err)
{
    int key_has_output = 0;
    for (size_t k = 0; k < d->nkeys; k++)
        key_has_output |= strcasecmp(d->keys[k], "output_id") == 0;
    fputs("kind", f);
    if (!key_has_output)
        fputs(",output_id", f);
    for (size_t k = 0; k < d->nkeys; k++) {
        fputc(',', f);
        tlf_csv_write_field(f, d->keys[k]);
    }
    fputs(",base_row,compare_row,base_value,compare_value,abs_diff,rel_diff\r\n", f);
    for (size_t i = 0; i < d->nrecs; i++) {
        const ard_diff_rec *r = &d->recs[i];
        fputs(kind_name(r->kind), f);
        if (!key_has_output) {
            fputc(',', f);
            tlf_csv_write_field(f, rec_output(d, r));
        }
        for (size_t k = 0; k < d->nkeys; k++) {
            fputc(',', f);
            tlf_csv_write_field(f, rec_key(d, r, k));
        }
        fputc(',', f);
        put_row(f, r->base_row);
        fputc(',', f);
        put_row(f, r->compare_row);
        fputc(',', f);
        tlf_csv_write_field(f, cell(d->base, r->base_row, d->vcol_base));
        fputc(',', f);
        tlf_csv_write_field(f, cell(d->compare, r->compare_row, d->vcol_cmp));
        fputc(',', f);
        put_num(f, r->abs_diff);
        fputc(',', f);
        put_num(f, r->rel_diff);
        fputs("\r\n", f);
    }
    if (ferror(f))
        return tlf_err_set(err, TLF_EOUTPUT, "writing the difference report: %s",
                           strerror(errno));
    return TLF_OK;
}

static void summary_line(FILE *f, const char *name, const ard_diff_count *c)
{
    fprintf(f, "  %-22s %8zu %8zu %8zu %8zu %10zu %13zu\n", name, c->base, c->compare,
            c->equal, c->differ, c->only_base, c->only_compare);
}

void ard_diff_write_summary(const ard_diff *d, const char *base_name,
                            const char *compare_name, size_t max_list, FILE *f)
{
    fprintf(f, "BASE:    %s (%zu records)\nCOMPARE: %s (%zu records)\n", base_name,
            d->base->nrow, compare_name, d->compare->nrow);
    fprintf(f, "keys:    ");
    for (size_t k = 0; k < d->nkeys; k++)
        fprintf(f, "%s%s", k ? ", " : "", d->keys[k]);
    fputc('\n', f);
    if (d->unused_keys[0])
        fprintf(f, "not keys: %s\n", d->unused_keys);
    fprintf(f, "tolerance: %g (absolute or relative)\n", d->tol);
    if (d->dup_base || d->dup_compare)
        fprintf(f, "duplicate keys: %zu in BASE, %zu in COMPARE (paired in file order)\n",
                d->dup_base, d->dup_compare);
    fprintf(f, "\n  %-22s %8s %8s %8s %8s %10s %13s\n", "output", "base", "compare", "equal",
            "differ", "only base", "only compare");
    for (size_t i = 0; i < d->noutputs; i++)
        summary_line(f, d->outputs[i].output_id[0] ? d->outputs[i].output_id : "(none)",
                     &d->outputs[i]);
    summary_line(f, "total", &d->total);
    size_t n = ard_diff_ndiff(d);
    if (n == 0) {
        fprintf(f, "\nEqual: every record matches within the tolerance.\n");
        return;
    }
    fprintf(f, "\nDifferent: %zu values differ, %zu records only in BASE, %zu only in COMPARE.\n",
            d->total.differ, d->total.only_base, d->total.only_compare);
    for (size_t i = 0; i < d->nrecs && i < max_list; i++) {
        const ard_diff_rec *r = &d->recs[i];
        fprintf(f, "  %-12s", kind_name(r->kind));
        for (size_t k = 0; k < d->nkeys; k++) {
            const char *v = rec_key(d, r, k);
            if (v && *v)
                fprintf(f, " %s=%s", d->keys[k], v);
        }
        if (r->kind == ARD_DIFF_VALUE) {
            const char *bv = cell(d->base, r->base_row, d->vcol_base);
            const char *cv = cell(d->compare, r->compare_row, d->vcol_cmp);
            fprintf(f, ": %s vs %s", bv ? bv : "(missing)", cv ? cv : "(missing)");
        }
        fputc('\n', f);
    }
    if (d->nrecs > max_list)
        fprintf(f, "  ... %zu more (see the csv report, --out)\n", d->nrecs - max_list);
}
