/*
 * table.h - the table model: text cells in rows and columns, before layout.
 *
 * Stage: layout. Built from a template and the ARD (tlf_table_from_ard,
 * table.c) or from a derived dataset (tlf_table_from_dataset, listing.c);
 * paginated by paginate.h. Cells hold final display text: every number is
 * already rounded by format.h from an ARD record, never computed here.
 * Rows form groups (a SOC with its PTs, one subject's listing rows) that
 * pagination keeps together.
 */
#ifndef TLFGEN_LAYOUT_TABLE_H
#define TLFGEN_LAYOUT_TABLE_H

#include <stddef.h>

#include "ard/ard.h"
#include "core/err.h"
#include "layout/template.h"

typedef struct tlf_tcol {
    char *header;          /* resolved text; '\n' breaks lines              */
    tlf_align align;
    double width_pct;      /* 0 = fitted to content                         */
    int key;               /* repeated in every panel                       */
    int fit;               /* as wide as its widest value (paginate.c)      */
} tlf_tcol;

typedef struct tlf_hspan {
    char *text;
    size_t first, ncols;
} tlf_hspan;

typedef struct tlf_hrow {
    tlf_hspan *spans;
    size_t n;
} tlf_hrow;

typedef struct tlf_trow {
    char **cells;          /* ncols strings, owned, never NULL              */
    int indent;            /* label indentation level (column 0)            */
    size_t group;          /* rows of one group are contiguous              */
    int group_head;        /* the group's heading row (repeated with
                              "(continued)" on the next page)               */
} tlf_trow;

typedef struct tlf_table {
    tlf_tpl_kind kind;
    char *number;          /* "Table 14.3.1.2" / "Listing 16.2.7.1"         */
    char **titles; size_t ntitles;
    char *population;
    char **footnotes; size_t nfootnotes;
    double font_size;
    int landscape;
    char *paper;           /* NULL: caller's choice                         */
    tlf_tcol *cols; size_t ncols;
    tlf_hrow *hrows; size_t nhrows;
    tlf_trow *rows; size_t nrows, cap;
    int packed;            /* each row's cells and their texts are one
                              allocation (a listing's rows: tlf_cells_pack) */
    int bookmark_groups;   /* each group gets a bookmark anchor inside the
                              output: a listing grouped by subject (its key
                              cells), a table's group headings             */
} tlf_table;

/* A table with the template's titles, columns and header rows but no body
 * rows; header placeholders are resolved by the callers below. */
tlf_table *tlf_table_new(const tlf_template *t);
void tlf_table_free(tlf_table *tab);   /* accepts NULL */

/* n strings in one allocation, freed by one free(): the pointer array,
 * then the texts, copied from texts, where they stand back to back, each
 * with its NUL (len bytes in all). A listing's rows are made so: millions
 * of rows, three passes, a malloc and a free per cell were a tenth of a
 * lab listing's CPU (issue 16). */
char **tlf_cells_pack(const char *texts, size_t len, size_t n);
/* Append a row; cells (ncols strings) are taken over by the table. */
void tlf_table_add_row(tlf_table *tab, char **cells, int indent, size_t group, int group_head);

/*
 * Fill a table from the ARD following a table template. Each value cell
 * is the row's (or column's) format with every {stat[:spec]} replaced by
 * the matching record's value (spec: none = integer, N = N decimals,
 * N% = proportion shown as percent with N decimals, p = p-value). A
 * missing value shows the row's/column's "missing" text, or the
 * not_estimable note when the ARD says the analysis was not estimable;
 * otherwise it is an error (TLF_EDATA) naming template, row, column and
 * the record sought. Never NaN, inf or an unexplained blank.
 */
int tlf_table_from_ard(tlf_table **out, const tlf_template *t, const tlf_ard *ard, tlf_err *err);

/* The same, and when used is not NULL (ard->n bytes, zeroed by the
 * caller) used[i] is set to 1 for every record i the table read: its
 * cells, decimals, not-estimable notes, sort keys and block labels. The
 * run checks with it that every record tagged with an output is on that
 * output (record coverage, docs/ard.md). */
int tlf_table_from_ard_used(tlf_table **out, const tlf_template *t, const tlf_ard *ard,
                            unsigned char *used, tlf_err *err);

/* Expand the {stat[:spec]} placeholders of fmt like a table cell, with
 * the records matching sel overlaid on fallback (either may be NULL);
 * where names the place in messages (e.g. "figure.notes[0]"). *out is
 * owned by the caller. TLF_EDATA for a missing record, TLF_EUSAGE for a
 * bad spec. used: as tlf_table_from_ard_used (may be NULL). */
int tlf_table_format(char **out, const tlf_template *t, const tlf_ard *ard, const char *fmt,
                     const tlf_tpl_select *sel, const tlf_tpl_select *fallback,
                     const char *where, const char *missing, unsigned char *used,
                     tlf_err *err);

/* Fill a listing from table t->dataset of the SQLite file adam_path
 * (opened read-only), filtered by t->where, ordered by t->sort, grouped by
 * t->group_by. TLF_EINPUT for a missing file/table/column. */
int tlf_table_from_dataset(tlf_table **out, const tlf_template *t, const char *adam_path,
                           tlf_err *err);

/* A listing read in chunks (huge listings, render/volume.h): open checks
 * the template against the dataset as tlf_table_from_dataset does; each
 * next gives a table of at least min_rows rows (fewer at the end) that
 * ends at a group boundary (a group is never split between chunks), or
 * *out = NULL when the rows are exhausted. Group ids increase over the
 * whole listing. */
typedef struct tlf_listing_stream tlf_listing_stream;
struct sqlite3;
/* Rows the listing t would show (t->dataset under t->where) in adam; -1
 * when they cannot be counted (the listing's own render then says why). */
long long tlf_listing_count_rows(struct sqlite3 *adam, const tlf_template *t);
int tlf_listing_open(tlf_listing_stream **out, const tlf_template *t, const char *adam_path,
                     tlf_err *err);
int tlf_listing_next(tlf_listing_stream *ls, size_t min_rows, tlf_table **out, tlf_err *err);
/* Before the first next: keep the rows as shown in a temporary file, so
 * that after a rewind they are read back instead of queried, sorted and
 * expanded again (a listing in volumes reads its rows three times). Memory
 * stays bounded; without a temporary file (or when writing it fails) a
 * rewind runs the query again. Same rows, same chunks either way. */
void tlf_listing_spool(tlf_listing_stream *ls);
/* Start again from the first row (group ids from 1 again). */
int tlf_listing_rewind(tlf_listing_stream *ls, tlf_err *err);
void tlf_listing_close(tlf_listing_stream *ls);   /* accepts NULL */

#endif
