/*
 * csv.h - an RFC 4180 CSV reader and field writer.
 *
 * Stage: core. Shared by every command that takes a CSV (`tlfgen stats`,
 * `tlfgen render --ard`) and by the ARD writer. The reader loads the whole
 * file: one buffer holds every cell, unescaped in place, so a table of n
 * cells costs the file's bytes plus one pointer per cell.
 *
 * Conventions: the first record is the header; a UTF-8 byte-order mark is
 * skipped; CRLF and LF both end records; an empty cell or an unquoted `NA`
 * is missing (tlf_csv_cell returns NULL). Every record must have as many
 * fields as the header.
 */
#ifndef TLFGEN_CSV_H
#define TLFGEN_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

typedef struct tlf_csv {
    size_t ncol;      /* fields per record (header width)             */
    size_t nrow;      /* data records, header excluded                */
    char **header;    /* ncol column names                            */
    char **cells;     /* nrow * ncol, row-major; NULL = missing       */
    char *storage;    /* the file's bytes, cells point into it        */
} tlf_csv;

/* Read path into *out. On error *out is NULL and err says which line. */
int tlf_csv_read(tlf_csv **out, const char *path, tlf_err *err);
/* Parse len bytes of text (copied) into *out; name is used in messages. */
int tlf_csv_parse(tlf_csv **out, const char *text, size_t len,
                  const char *name, tlf_err *err);
void tlf_csv_free(tlf_csv *csv);   /* accepts NULL */

/* Index of the column called name, or -1. */
int tlf_csv_col(const tlf_csv *csv, const char *name);
/* The cell at data row (0-based) and column, NULL when missing. */
static inline const char *tlf_csv_cell(const tlf_csv *csv, size_t row, size_t col)
{
    return csv->cells[row * csv->ncol + col];
}

/* Strict number parsing: the whole string is a finite decimal number. */
int tlf_parse_double(const char *s, double *out);

/* Write one field, quoted when it holds `,` `"` CR or LF (quotes doubled).
 * NULL writes an empty field. */
void tlf_csv_write_field(FILE *f, const char *s);

#endif
