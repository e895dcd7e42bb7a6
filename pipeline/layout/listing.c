/*
 * listing.c - rows of a derived dataset (SQLite table in adam.sqlite) ->
 * table model, driven by a listing template.
 *
 * Stage: layout (reads adam.sqlite, so SQLite appears here). The database
 * is opened read-only; the dataset, sort and group_by names must be plain
 * identifiers and are quoted; "where" is one SQL condition that the
 * template author owns (a single statement is enforced). Cell values are
 * the template's "value" with {COLUMN} replaced by the column's text; a
 * [bracketed] part is dropped when a placeholder inside it is NULL or
 * empty (so "{ASTDT}[ ({ASTDY})]" shows no "()" when the day is missing);
 * "\[" and "\]" print brackets. A REAL column whose values in the
 * listing are all whole numbers prints them without ".0" (age 59, day
 * 365); nothing is computed.
 */
#include "layout/table.h"

#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/strmap.h"

static int is_ident(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

static int col_index(sqlite3_stmt *st, const char *name)
{
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++)
        if (strcasecmp(sqlite3_column_name(st, i), name) == 0)
            return i;
    return -1;
}

/* The statement column of each {NAME} of the template's values, resolved
 * once when the listing opens: the rows then cost no name look-ups (a
 * 780,000-row listing spent an eighth of its time comparing names). */
typedef struct placeholders {
    tlf_strmap names;
    int *col;
    size_t cap;
} placeholders;

/* Check every {COLUMN} of fmt names a column of the statement. */
static int check_value(const tlf_template *t, const tlf_tpl_col *c, sqlite3_stmt *st,
                       placeholders *ph, tlf_err *err)
{
    for (const char *p = c->value; (p = strchr(p, '{')) != NULL;) {
        const char *e = strchr(p, '}');
        if (!e)
            return tlf_err_set(err, TLF_EUSAGE, "%s: column '%s': value '%s' has an unclosed '{'",
                               t->path, c->id, c->value);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(e - p - 1), p + 1);
        int ci = col_index(st, name);
        if (ci < 0)
            return tlf_err_set(err, TLF_EINPUT, "%s: column '%s': dataset %s has no column '%s'",
                               t->path, c->id, t->dataset, name);
        size_t k = tlf_strmap_add(&ph->names, name);
        XGROW(ph->col, ph->cap, k + 1);
        ph->col[k] = ci;
        p = e + 1;
    }
    return 0;
}

/* Expand fmt[from, to) into b; returns 1 when a placeholder was empty. */
static int expand(tlf_buf *b, const char *fmt, size_t from, size_t to, sqlite3_stmt *st,
                  const unsigned char *whole, const placeholders *ph)
{
    int empty = 0;
    for (size_t i = from; i < to;) {
        char ch = fmt[i];
        if (ch == '\\' && i + 1 < to) {
            tlf_buf_putc(b, fmt[i + 1]);
            i += 2;
        } else if (ch == '[') {
            size_t depth = 1, j = i + 1;
            for (; j < to && depth; j++) {
                if (fmt[j] == '\\')
                    j++;
                else if (fmt[j] == '[')
                    depth++;
                else if (fmt[j] == ']')
                    depth--;
            }
            tlf_buf inner = TLF_BUF_INIT;
            if (!expand(&inner, fmt, i + 1, j - 1, st, whole, ph))
                tlf_buf_puts(b, tlf_buf_cstr(&inner));
            tlf_buf_free(&inner);
            i = j;
        } else if (ch == '{') {
            const char *e = strchr(fmt + i, '}');
            int ci = ph->col[tlf_strmap_getn(&ph->names, fmt + i + 1, (size_t)(e - fmt - i - 1))];
            /* the type first: text asked for as a number is parsed again */
            int is_real = whole[ci] && sqlite3_column_type(st, ci) == SQLITE_FLOAT;
            double dv = is_real ? sqlite3_column_double(st, ci) : 0;
            const unsigned char *v = sqlite3_column_text(st, ci);
            if (!v || !*v)
                empty = 1;
            else if (is_real && fabs(dv) < 1e15)
                tlf_buf_printf(b, "%.0f", dv == 0 ? 0.0 : dv);   /* 365, not 365.0; no "-0" */
            else
                tlf_buf_puts(b, (const char *)v);
            i = (size_t)(e - fmt) + 1;
        } else {
            tlf_buf_putc(b, ch);
            i++;
        }
    }
    return empty;
}

struct tlf_listing_stream {
    const tlf_template *t;
    sqlite3 *db;
    sqlite3_stmt *st;
    int gidx[16];
    unsigned char *whole;      /* per statement column: every REAL in the
                                  listing's rows is a whole number          */
    char **prev;               /* group values of the last row read          */
    size_t group;              /* group id of the last row read              */
    char **pending;            /* a row read ahead (starts the next chunk)   */
    placeholders ph;
    size_t pending_group;
    int done;
    /* tlf_listing_spool: the rows as shown, written while the query runs,
     * read back after tlf_listing_rewind (replay) */
    FILE *spool;
    int spooling, replay;
    tlf_buf rec;               /* a row's record being written              */
    tlf_buf row;               /* a row's texts, each with its NUL, before
                                  tlf_cells_pack                            */
    unsigned char rbuf[65536]; /* the spool read back: a block ...          */
    size_t rpos, rlen;         /* ... and the next byte, the bytes in it     */
};

void tlf_listing_close(tlf_listing_stream *ls)
{
    if (!ls)
        return;
    if (ls->prev)
        for (size_t g = 0; g < ls->t->ngroup_by; g++)
            free(ls->prev[g]);
    free(ls->prev);
    free(ls->pending);   /* packed */
    free(ls->whole);
    if (ls->spool)
        fclose(ls->spool);
    tlf_buf_free(&ls->rec);
    tlf_buf_free(&ls->row);
    tlf_strmap_free(&ls->ph.names);
    free(ls->ph.col);
    sqlite3_finalize(ls->st);
    sqlite3_close(ls->db);
    free(ls);
}

/* Which columns hold only whole numbers among the listing's rows (one
 * scan): those print 59, not 59.0 (age, study day); a column where any
 * value has a fraction keeps SQLite's text for every value, so 58.0 kg
 * stands beside 60.7 kg. */
static int whole_columns(tlf_listing_stream *ls, tlf_err *err)
{
    const tlf_template *t = ls->t;
    int n = sqlite3_column_count(ls->st);
    ls->whole = xcalloc((size_t)n + 1, 1);
    tlf_buf sql = TLF_BUF_INIT;
    tlf_buf_puts(&sql, "SELECT 0");
    for (int i = 0; i < n; i++) {
        const char *c = sqlite3_column_name(ls->st, i);
        if (strchr(c, '"'))
            return 0;   /* not a name a template can use */
        /* a column declared TEXT (text affinity) stores no REAL: nothing to scan */
        const char *decl = sqlite3_column_decltype(ls->st, i);
        if (decl && strcasecmp(decl, "TEXT") == 0)
            tlf_buf_puts(&sql, ", 0");
        else
            tlf_buf_printf(&sql, ", MAX(typeof(\"%s\") = 'real' AND \"%s\" <> CAST(\"%s\" AS INTEGER))",
                           c, c, c);
    }
    tlf_buf_printf(&sql, " FROM \"%s\"", t->dataset);
    if (t->where)
        tlf_buf_printf(&sql, " WHERE (%s)", t->where);
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(ls->db, sql.data, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = tlf_err_set(err, TLF_EINPUT, "%s: dataset %s: %s", t->path, t->dataset,
                         sqlite3_errmsg(ls->db));
    for (int i = 0; i < n && !rc; i++)
        ls->whole[i] = sqlite3_column_type(st, i + 1) == SQLITE_NULL || sqlite3_column_int(st, i + 1) == 0;
    sqlite3_finalize(st);
    tlf_buf_free(&sql);
    return rc;
}

/* Replace the SELECT * statement by one of the columns the listing shows
 * or groups by (rest: its FROM, WHERE and ORDER BY), in the table's order:
 * the rows, their order and each cell's text stay the same, but the
 * query's sorter holds and the whole-number scan checks only these (the
 * 3.4-million-row laboratory listing of issue 16 spent 4 of its 31 s on
 * the 29 columns of ADLB, for the 11 it shows). */
static int narrow_select(tlf_listing_stream *ls, const char *rest, tlf_err *err)
{
    const tlf_template *t = ls->t;
    int n = sqlite3_column_count(ls->st);
    int *map = xcalloc((size_t)n + 1, sizeof *map);   /* new index + 1; 0: not used */
    for (size_t k = 0; k < ls->ph.names.n; k++)
        map[ls->ph.col[k]] = 1;
    for (size_t g = 0; g < t->ngroup_by; g++)
        map[ls->gidx[g]] = 1;
    tlf_buf sql = TLF_BUF_INIT;
    int used = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        if (!map[i])
            continue;
        const char *name = sqlite3_column_name(ls->st, i);
        if (strchr(name, '"'))
            goto keep;   /* not a name a template can use: SELECT * as it is */
        tlf_buf_printf(&sql, "%s\"%s\"", used ? ", " : "SELECT ", name);
        map[i] = ++used;
    }
    if (!used)
        goto keep;
    tlf_buf_puts(&sql, rest);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ls->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: dataset %s: %s", t->path, t->dataset,
                         sqlite3_errmsg(ls->db));
        goto keep;
    }
    sqlite3_finalize(ls->st);
    ls->st = st;
    for (size_t k = 0; k < ls->ph.names.n; k++)
        ls->ph.col[k] = map[ls->ph.col[k]] - 1;
    for (size_t g = 0; g < t->ngroup_by; g++)
        ls->gidx[g] = map[ls->gidx[g]] - 1;
keep:
    tlf_buf_free(&sql);
    free(map);
    return rc;
}

int tlf_listing_open(tlf_listing_stream **out, const tlf_template *t, const char *adam_path,
                     tlf_err *err)
{
    *out = NULL;
    if (t->kind != TLF_TPL_LISTING)
        return tlf_err_set(err, TLF_EUSAGE, "%s: is not a listing template", t->path);
    if (!is_ident(t->dataset))
        return tlf_err_set(err, TLF_EUSAGE, "%s: dataset: '%s' is not a table name", t->path,
                           t->dataset);
    for (size_t i = 0; i < t->nsort + t->ngroup_by; i++) {
        const char *n = i < t->nsort ? t->sort[i] : t->group_by[i - t->nsort];
        if (!is_ident(n))
            return tlf_err_set(err, TLF_EUSAGE, "%s: %s: '%s' is not a column name", t->path,
                               i < t->nsort ? "sort" : "group_by", n);
    }
    tlf_listing_stream *ls = xcalloc(1, sizeof *ls);
    ls->t = t;
    tlf_buf sql = TLF_BUF_INIT;
    int rc = 0;
    if (sqlite3_open_v2(adam_path, &ls->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot open read-only: %s", adam_path,
                         ls->db ? sqlite3_errmsg(ls->db) : "out of memory");
        goto done;
    }
    tlf_buf_puts(&sql, "SELECT *");
    size_t from = sql.len;
    tlf_buf_printf(&sql, " FROM \"%s\"", t->dataset);
    if (t->where)
        tlf_buf_printf(&sql, " WHERE (%s)", t->where);
    for (size_t i = 0; i < t->nsort; i++)
        tlf_buf_printf(&sql, "%s\"%s\"", i ? ", " : " ORDER BY ", t->sort[i]);
    const char *tail = NULL;
    if (sqlite3_prepare_v2(ls->db, sql.data, -1, &ls->st, &tail) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: dataset %s in %s: %s", t->path, t->dataset,
                         adam_path, sqlite3_errmsg(ls->db));
        goto done;
    }
    if (tail && *tail) {
        rc = tlf_err_set(err, TLF_EUSAGE, "%s: where: must be one SQL condition", t->path);
        goto done;
    }
    for (size_t c = 0; c < t->ncols && !rc; c++)
        rc = check_value(t, &t->cols[c], ls->st, &ls->ph, err);
    for (size_t g = 0; g < t->ngroup_by && !rc; g++) {
        if (g >= 16 || (ls->gidx[g] = col_index(ls->st, t->group_by[g])) < 0)
            rc = tlf_err_set(err, TLF_EINPUT, "%s: group_by: dataset %s has no column '%s'",
                             t->path, t->dataset, t->group_by[g]);
    }
    ls->prev = xcalloc(t->ngroup_by + 1, sizeof *ls->prev);
    if (!rc)
        rc = narrow_select(ls, sql.data + from, err);
    if (!rc)
        rc = whole_columns(ls, err);
done:
    tlf_buf_free(&sql);
    if (rc) {
        tlf_listing_close(ls);
        return rc;
    }
    *out = ls;
    return 0;
}

/* The spool's record of a row: its group id, then each cell as its
 * length and bytes, written with one call (per-field stdio calls were a
 * tenth of a long listing's replay). A failed write ends the spool (the
 * rows then come from the query again). */
static void spool_write(tlf_listing_stream *ls, char **cells, size_t group)
{
    tlf_buf *b = &ls->rec;
    tlf_buf_reset(b);
    uint64_t g = group;
    tlf_buf_append(b, (const char *)&g, sizeof g);
    for (size_t c = 0; c < ls->t->ncols; c++) {
        uint32_t len = (uint32_t)strlen(cells[c]);
        tlf_buf_append(b, (const char *)&len, sizeof len);
        tlf_buf_append(b, cells[c], len);
    }
    if (fwrite(b->data, b->len, 1, ls->spool) != 1) {
        fclose(ls->spool);
        ls->spool = NULL;
        ls->spooling = 0;
    }
}

/* n bytes of the spool into dst, through a block buffer: 1, or 0 at its
 * end (or a short record), -1 on a read error. */
static int spool_get(tlf_listing_stream *ls, void *dst, size_t n)
{
    unsigned char *d = dst;
    while (n > 0) {
        if (ls->rpos == ls->rlen) {
            ls->rlen = fread(ls->rbuf, 1, sizeof ls->rbuf, ls->spool);
            ls->rpos = 0;
            if (ls->rlen == 0)
                return ferror(ls->spool) ? -1 : 0;
        }
        size_t k = ls->rlen - ls->rpos < n ? ls->rlen - ls->rpos : n;
        memcpy(d, ls->rbuf + ls->rpos, k);
        ls->rpos += k;
        d += k;
        n -= k;
    }
    return 1;
}

/* The next row from the spool: 1 and *cells, *group; 0 at its end; -1 on
 * a read error or a record cut short. */
static int spool_read(tlf_listing_stream *ls, char ***cells, size_t *group)
{
    uint64_t g;
    int got = spool_get(ls, &g, sizeof g);
    if (got <= 0)
        return got;
    tlf_buf *b = &ls->row;
    tlf_buf_reset(b);
    for (size_t c = 0; c < ls->t->ncols; c++) {
        uint32_t len;
        if (spool_get(ls, &len, sizeof len) != 1)
            return -1;
        size_t at = b->len;
        tlf_buf_reserve(b, (size_t)len + 1);
        if (len > 0 && spool_get(ls, b->data + at, len) != 1)
            return -1;
        b->len = at + len;
        tlf_buf_putc(b, '\0');
    }
    *cells = tlf_cells_pack(b->data, b->len, ls->t->ncols);
    *group = (size_t)g;
    return 1;
}

/* The next row from the query: SQLITE_ROW and *cells (ls->group is its
 * group id), else sqlite3_step's code. */
static int query_row(tlf_listing_stream *ls, char ***cells)
{
    const tlf_template *t = ls->t;
    int step = sqlite3_step(ls->st);
    if (step != SQLITE_ROW)
        return step;
    int same = ls->group > 0;
    for (size_t g = 0; g < t->ngroup_by; g++) {
        const char *v = (const char *)sqlite3_column_text(ls->st, ls->gidx[g]);
        if (!v)
            v = "";
        if (!ls->prev[g] || strcmp(ls->prev[g], v) != 0) {
            same = 0;
            free(ls->prev[g]);
            ls->prev[g] = xstrdup(v);
        }
    }
    if (!same || t->ngroup_by == 0)
        ls->group++;
    tlf_buf *b = &ls->row;
    tlf_buf_reset(b);
    for (size_t c = 0; c < t->ncols; c++) {
        expand(b, t->cols[c].value, 0, strlen(t->cols[c].value), ls->st, ls->whole, &ls->ph);
        tlf_buf_putc(b, '\0');
    }
    char **v = tlf_cells_pack(b->data, b->len, t->ncols);
    if (ls->spooling)
        spool_write(ls, v, ls->group);
    *cells = v;
    return SQLITE_ROW;
}

int tlf_listing_next(tlf_listing_stream *ls, size_t min_rows, tlf_table **out, tlf_err *err)
{
    *out = NULL;
    const tlf_template *t = ls->t;
    if (ls->done && !ls->pending)
        return 0;
    tlf_table *tab = tlf_table_new(t);
    tab->packed = 1;
    if (ls->pending) {
        tlf_table_add_row(tab, ls->pending, 0, ls->pending_group, 0);
        ls->pending = NULL;
    }
    int step = SQLITE_DONE;
    char **cells = NULL;
    for (;;) {
        if (ls->done)
            break;
        if (ls->replay) {
            int got = spool_read(ls, &cells, &ls->group);
            if (got < 0) {
                tlf_table_free(tab);
                return tlf_err_set(err, TLF_EINTERNAL, "reading the rows of %s back from its "
                                   "spool file failed", t->path);
            }
            step = got ? SQLITE_ROW : SQLITE_DONE;
        } else {
            step = query_row(ls, &cells);
        }
        if (step != SQLITE_ROW)
            break;
        if (tab->nrows > 0 && tab->nrows >= min_rows && tab->rows[tab->nrows - 1].group != ls->group) {
            ls->pending = cells;        /* a new group starts the next chunk */
            ls->pending_group = ls->group;
            break;
        }
        tlf_table_add_row(tab, cells, 0, ls->group, 0);
    }
    if (!ls->pending) {
        ls->done = 1;
        if (step == SQLITE_DONE && ls->spooling) {
            fflush(ls->spool);
            ls->spooling = !ferror(ls->spool);   /* complete: replayable */
        }
        if (step != SQLITE_DONE) {
            tlf_table_free(tab);
            return tlf_err_set(err, TLF_EINPUT, "reading dataset %s of %s: %s", t->dataset,
                               t->path, sqlite3_errmsg(ls->db));
        }
    }
    if (tab->nrows == 0) {
        tlf_table_free(tab);
        return 0;
    }
    *out = tab;
    return 0;
}

void tlf_listing_spool(tlf_listing_stream *ls)
{
    if (ls->group > 0 || ls->spool)
        return;   /* only before the first row */
    ls->spool = tmpfile();
    ls->spooling = ls->spool != NULL;
}

int tlf_listing_rewind(tlf_listing_stream *ls, tlf_err *err)
{
    free(ls->pending);   /* packed */
    ls->pending = NULL;
    int whole = ls->done && ls->spool && ls->spooling;
    if (whole || ls->replay) {
        /* every row is in the spool */
        ls->replay = 1;
        ls->spooling = 0;
        ls->rpos = ls->rlen = 0;
        if (fseek(ls->spool, 0, SEEK_SET) != 0)
            return tlf_err_set(err, TLF_EINTERNAL, "%s: cannot rewind the listing's spool file",
                               ls->t->path);
    } else {
        /* no spool (or it failed): the query again */
        if (ls->spool)
            fclose(ls->spool);
        ls->spool = NULL;
        ls->spooling = 0;
        sqlite3_reset(ls->st);
        for (size_t g = 0; g < ls->t->ngroup_by; g++) {
            free(ls->prev[g]);
            ls->prev[g] = NULL;
        }
    }
    ls->group = 0;
    ls->done = 0;
    return 0;
}

int tlf_table_from_dataset(tlf_table **out, const tlf_template *t, const char *adam_path,
                           tlf_err *err)
{
    *out = NULL;
    if (t->kind != TLF_TPL_LISTING)
        return tlf_err_set(err, TLF_EUSAGE, "%s: is a table template, not a listing", t->path);
    tlf_listing_stream *ls = NULL;
    int rc = tlf_listing_open(&ls, t, adam_path, err);
    if (!rc)
        rc = tlf_listing_next(ls, (size_t)-1, out, err);
    if (!rc && !*out)
        *out = tlf_table_new(t);   /* an empty listing */
    tlf_listing_close(ls);
    return rc;
}

long long tlf_listing_count_rows(sqlite3 *adam, const tlf_template *t)
{
    char *sql = t->where ? sqlite3_mprintf("SELECT COUNT(*) FROM \"%w\" WHERE %s", t->dataset, t->where)
                         : sqlite3_mprintf("SELECT COUNT(*) FROM \"%w\"", t->dataset);
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sql && sqlite3_prepare_v2(adam, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return n;
}
