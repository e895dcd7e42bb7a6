/*
 * csv.c - RFC 4180 reader (in-place unescaping) and field writer (see csv.h).
 */
#include "core/csv.h"
#include "core/mem.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tlf_csv_free(tlf_csv *csv)
{
    if (!csv)
        return;
    free(csv->header);
    free(csv->cells);
    free(csv->storage);
    free(csv);
}

int tlf_csv_read(tlf_csv **out, const char *path, tlf_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return tlf_err_set(err, TLF_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    tlf_csv *csv = NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = TLF_OK;
    for (;;) {
        XGROW(text, cap, len + 65536);
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: read error", path);
        goto done;
    }
    rc = tlf_csv_parse(&csv, text, len, path, err);
done:
    fclose(f);
    free(text);
    *out = csv;
    return rc;
}

/*
 * Parse records into fields. The text is copied into csv->storage with one
 * spare byte; each field is unescaped in place (never longer than its
 * source) and NUL-terminated where its delimiter was.
 */
int tlf_csv_parse(tlf_csv **out, const char *text, size_t len,
                  const char *name, tlf_err *err)
{
    *out = NULL;
    tlf_csv *csv = xcalloc(1, sizeof *csv);
    csv->storage = xmalloc(len + 1);
    memcpy(csv->storage, text, len);
    csv->storage[len] = '\0';

    char *p = csv->storage, *end = csv->storage + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;

    char **fields = NULL;       /* all fields, header first */
    size_t nfields = 0, fcap = 0;
    size_t line = 1, record = 0, in_record = 0;
    int rc = TLF_OK;

    if (p == end) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: empty file, no header row", name);
        goto fail;
    }
    while (p < end) {
        char *w = p, *start = p;
        int quoted = 0, missing = 0;
        if (*p == '"') {
            quoted = 1;
            p++;
            for (;;) {
                if (p >= end) {
                    rc = tlf_err_set(err, TLF_EINPUT,
                                     "%s: line %zu: unterminated quoted field", name, line);
                    goto fail;
                }
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n')
                    line++;
                *w++ = *p++;
            }
            if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
                rc = tlf_err_set(err, TLF_EINPUT,
                                 "%s: line %zu: text after a closing quote", name, line);
                goto fail;
            }
        } else {
            while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
                if (*p == '"') {
                    rc = tlf_err_set(err, TLF_EINPUT,
                                     "%s: line %zu: quote inside an unquoted field", name, line);
                    goto fail;
                }
                p++;
            }
            w = p;
            missing = (w - start == 2 && start[0] == 'N' && start[1] == 'A');
        }
        char delim = p < end ? *p : '\n';
        *w = '\0';
        if (!quoted && w == start)
            missing = 1;
        if (quoted && w == start)
            missing = 1;
        XGROW(fields, fcap, nfields + 1);
        fields[nfields++] = (missing && record > 0) ? NULL : start;
        in_record++;
        if (delim == ',') {
            p++;
            if (p == end) {      /* trailing comma: one more empty field */
                XGROW(fields, fcap, nfields + 1);
                /* a header name is never NULL: `end` is the NUL after the text */
                fields[nfields++] = record > 0 ? NULL : end;
                in_record++;
            } else {
                continue;
            }
        } else if (delim == '\r') {
            p++;
            if (p < end && *p == '\n')
                p++;
        } else if (p < end) {
            p++;
        }
        /* end of a record */
        if (record == 0) {
            csv->ncol = in_record;
        } else if (in_record == 1 && fields[nfields - 1] == NULL && csv->ncol > 1) {
            nfields--;             /* a blank line: skip it */
            in_record = 0;
            line++;
            continue;
        } else if (in_record != csv->ncol) {
            rc = tlf_err_set(err, TLF_EINPUT,
                             "%s: line %zu: %zu fields where the header has %zu",
                             name, line, in_record, csv->ncol);
            goto fail;
        }
        record++;
        in_record = 0;
        line++;
    }
    csv->nrow = record ? record - 1 : 0;
    csv->header = xmalloc(csv->ncol * sizeof *csv->header);
    memcpy(csv->header, fields, csv->ncol * sizeof *csv->header);
    csv->cells = xmalloc((csv->nrow * csv->ncol + 1) * sizeof *csv->cells);
    memcpy(csv->cells, fields + csv->ncol, csv->nrow * csv->ncol * sizeof *csv->cells);
    free(fields);
    *out = csv;
    return TLF_OK;
fail:
    free(fields);
    tlf_csv_free(csv);
    return rc;
}

int tlf_csv_col(const tlf_csv *csv, const char *name)
{
    for (size_t i = 0; i < csv->ncol; i++)
        if (strcmp(csv->header[i], name) == 0)
            return (int)i;
    return -1;
}

int tlf_parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    char *endp;
    errno = 0;
    double v = strtod(s, &endp);
    if (endp == s || *endp != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

void tlf_csv_write_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
