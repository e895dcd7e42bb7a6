/*
 * findings.c - the data-issues list: add, sort, write (CSV and the DATAISSUES
 * table of the derived SQLite file) and summarise.
 *
 * Stage: db. Issue 6 part 2: each finding is one record (severity, table,
 * USUBJID, row key, column, value, rule id, message).
 */
#include "db/db_internal.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/tmpfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *di_severity_name(di_severity s)
{
    switch (s) {
    case DI_ERROR:   return "ERROR";
    case DI_WARNING: return "WARNING";
    default:         return "INFO";
    }
}

/* Copy of n bytes with every byte that is not part of valid UTF-8 (and
 * every control character but tab) shown as \xNN, so a value can be
 * printed and stored whatever it holds. */
char *db_printable(const unsigned char *s, size_t n)
{
    tlf_buf b = TLF_BUF_INIT;
    size_t i = 0;
    tlf_buf_puts(&b, "");
    while (i < n) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (k == 1 && (c >= 0x20 || c == '\t') && c != 0x7f) {
            tlf_buf_putc(&b, (char)c);
            i++;
        } else if (k > 1 && i + k <= n && db_utf8_valid(s + i, k)) {
            tlf_buf_append(&b, (const char *)s + i, k);
            i += k;
        } else {
            tlf_buf_printf(&b, "\\x%02X", c);
            i++;
        }
    }
    return tlf_buf_detach(&b);
}

void db_findings_add(db_findings *f, di_severity sev, const char *rule, const char *table,
                     const char *usubjid, const char *rowkey, const char *column,
                     const char *value, const char *message)
{
    XGROW(f->items, f->cap, f->n + 1);
    db_finding *x = &f->items[f->n++];
    x->severity = sev;
    x->rule = xstrdup(rule);
    x->table = xstrdup(table ? table : "");
    x->usubjid = db_printable((const unsigned char *)(usubjid ? usubjid : ""),
                              usubjid ? strlen(usubjid) : 0);
    x->rowkey = xstrdup(rowkey ? rowkey : "");
    x->column = xstrdup(column ? column : "");
    x->value = value ? db_printable((const unsigned char *)value, strlen(value)) : xstrdup("");
    x->message = xstrdup(message ? message : "");
}

void db_finding_free(db_finding *x)
{
    free(x->table);
    free(x->usubjid);
    free(x->rowkey);
    free(x->column);
    free(x->value);
    free(x->rule);
    free(x->message);
}

void db_findings_free(db_findings *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        db_finding_free(&f->items[i]);
    free(f->items);
    f->items = NULL;
    f->n = f->cap = 0;
}

void db_findings_count(const db_findings *f, size_t *nerror, size_t *nwarning, size_t *ninfo)
{
    size_t c[3] = {0, 0, 0};
    for (size_t i = 0; i < f->n; i++)
        c[f->items[i].severity]++;
    if (nerror)
        *nerror = c[DI_ERROR];
    if (nwarning)
        *nwarning = c[DI_WARNING];
    if (ninfo)
        *ninfo = c[DI_INFO];
}

/* strcmp in which runs of digits compare as numbers ("AESEQ=2" < "AESEQ=10"). */
int db_natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t la = 0, lb = 0;
            while (isdigit((unsigned char)a[la]))
                la++;
            while (isdigit((unsigned char)b[lb]))
                lb++;
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = memcmp(a, b, la);
            if (c)
                return c;
            a += la;
            b += lb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

static int cmp_finding(const void *pa, const void *pb)
{
    const db_finding *a = pa, *b = pb;
    int c;
    if (a->severity != b->severity)
        return a->severity < b->severity ? -1 : 1;
    if ((c = strcmp(a->table, b->table)) != 0)
        return c;
    if ((c = db_natural_cmp(a->usubjid, b->usubjid)) != 0)
        return c;
    if ((c = db_natural_cmp(a->rowkey, b->rowkey)) != 0)
        return c;
    if ((c = strcmp(a->rule, b->rule)) != 0)
        return c;
    if ((c = strcmp(a->column, b->column)) != 0)
        return c;
    if ((c = strcmp(a->value, b->value)) != 0)
        return c;
    return strcmp(a->message, b->message);
}

void db_findings_sort(db_findings *f, size_t from)
{
    if (f->n > from)
        qsort(f->items + from, f->n - from, sizeof *f->items, cmp_finding);
}

static int write_csv(FILE *fp, void *user, tlf_err *err)
{
    const db_findings *f = user;
    (void)err;
    fputs("severity,table,usubjid,rowkey,column,value,rule,message\n", fp);
    for (size_t i = 0; i < f->n; i++) {
        const db_finding *x = &f->items[i];
        const char *cells[8] = {di_severity_name(x->severity), x->table, x->usubjid, x->rowkey,
                                x->column, x->value, x->rule, x->message};
        for (int k = 0; k < 8; k++) {
            if (k)
                fputc(',', fp);
            tlf_csv_write_field(fp, cells[k]);
        }
        fputc('\n', fp);
    }
    return TLF_OK;
}

int db_findings_write_csv(const db_findings *f, const char *path, tlf_err *err)
{
    /* under a temporary name, renamed when whole (check --out) */
    return tlf_tmpfile_write_stream(path, write_csv, (void *)f, err);
}

int db_findings_write_sqlite(const db_findings *f, sqlite3 *out_db, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK, began = 0;
    if (sqlite3_exec(out_db,
                     "BEGIN; DROP TABLE IF EXISTS DATAISSUES; "
                     "CREATE TABLE DATAISSUES (SEQ INTEGER PRIMARY KEY, SEVERITY TEXT, "
                     "TABLENAME TEXT, USUBJID TEXT, ROWKEY TEXT, COLNAME TEXT, VALUE TEXT, "
                     "RULE TEXT, MESSAGE TEXT)",
                     NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    began = 1;
    if (sqlite3_prepare_v2(out_db, "INSERT INTO DATAISSUES VALUES (?,?,?,?,?,?,?,?,?)", -1, &st,
                           NULL) != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < f->n; i++) {
        const db_finding *x = &f->items[i];
        const char *cells[8] = {di_severity_name(x->severity), x->table, x->usubjid, x->rowkey,
                                x->column, x->value, x->rule, x->message};
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
        for (int k = 0; k < 8; k++)
            sqlite3_bind_text(st, k + 2, cells[k], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_exec(out_db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    return TLF_OK;
fail:
    rc = tlf_err_set(err, TLF_EOUTPUT, "DATAISSUES: cannot write: %s", sqlite3_errmsg(out_db));
    sqlite3_finalize(st);
    if (began)
        sqlite3_exec(out_db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The value as " 'value'" on one line: database.md wants the value named
 * on stderr too. Control characters are shown as \xNN and a long value is
 * cut after 80 bytes (at a character boundary); the CSV has it whole. */
static void print_value(FILE *stream, const char *v)
{
    size_t n = strlen(v), show = n > 80 ? 80 : n;
    while (show < n && show > 0 && ((unsigned char)v[show] & 0xC0) == 0x80)
        show--;
    fputs(" '", stream);
    for (size_t i = 0; i < show; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x20 || c == 0x7f)
            fprintf(stream, "\\x%02x", c);
        else
            fputc(c, stream);
    }
    fprintf(stream, "'%s", show < n ? "..." : "");
}

void db_findings_summary(const db_findings *f, FILE *stream, size_t first_n)
{
    size_t ne, nw, ni;
    db_findings_count(f, &ne, &nw, &ni);
    fprintf(stream, "data checks: %zu error(s), %zu warning(s), %zu information\n", ne, nw, ni);
    /* distinct rules, in rule-id order */
    const char **rules = xcalloc(f->n + 1, sizeof *rules);
    size_t nr = 0;
    for (size_t i = 0; i < f->n; i++)
        rules[nr++] = f->items[i].rule;
    qsort(rules, nr, sizeof *rules, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < nr; i++)
        if (u == 0 || strcmp(rules[u - 1], rules[i]) != 0)
            rules[u++] = rules[i];
    for (size_t r = 0; r < u; r++) {
        size_t count = 0, shown = 0;
        const db_finding *first = NULL;
        for (size_t i = 0; i < f->n; i++)
            if (strcmp(f->items[i].rule, rules[r]) == 0) {
                count++;
                if (!first)
                    first = &f->items[i];
            }
        fprintf(stream, "  %s %-7s %zu finding(s)\n", rules[r], di_severity_name(first->severity),
                count);
        for (size_t i = 0; i < f->n && shown < first_n; i++) {
            const db_finding *x = &f->items[i];
            if (strcmp(x->rule, rules[r]) != 0)
                continue;
            shown++;
            fprintf(stream, "    %s%s%s%s%s%s%s", x->table, x->usubjid[0] ? " " : "",
                    x->usubjid, x->rowkey[0] ? " " : "", x->rowkey, x->column[0] ? " " : "",
                    x->column);
            if (x->value && x->value[0])
                print_value(stream, x->value);
            fprintf(stream, ": %s\n", x->message);
        }
        if (count > shown)
            fprintf(stream, "    ... and %zu more\n", count - shown);
    }
    free(rules);
}

int db_findings_structural(const db_findings *f, const char *name, tlf_err *err)
{
    size_t n = 0;
    const db_finding *first = NULL;
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->items[i].rule, "DB001") == 0 || strcmp(f->items[i].rule, "DB002") == 0) {
            if (!first)
                first = &f->items[i];
            n++;
        }
    if (!first)
        return TLF_OK;
    return tlf_err_set(err, TLF_EINPUT, "%s: not the study database's shape: %s (%s); %zu table(s) "
                       "or column(s) missing in all", name, first->message, first->rule, n);
}
