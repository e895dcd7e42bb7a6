/*
 * rtf.h - RTF 1.9 documents for medical writers: the same laid-out tables,
 * listings and figures as the PDFs, as Word/LibreOffice tables.
 *
 * Stage: render. The second back end of one layout: a table is written
 * from the table model and the measurements tlf_paginate uses
 * (tlf_table_geometry: column panels, widths, indentation, decimal-anchor
 * positions, rule widths), never from a layout of its own. The word
 * processor paginates: header rows repeat on each page (\trhdr), rows of a
 * group are kept with the next (\keepn), "Page x of y" is a PAGE/NUMPAGES
 * field pair in the page header. A figure is its plot as a PNG picture
 * (\pngblip) between the titles and footnotes. Choices: docs/rtf.md.
 *
 * Reproducible: no clock, no random ids; the document date is the one
 * given (the database status date), so reruns give the same bytes.
 */
#ifndef TLFGEN_RENDER_RTF_H
#define TLFGEN_RENDER_RTF_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "layout/paginate.h"
#include "layout/table.h"

typedef struct tlf_rtf_info {
    const char *title;        /* \info fields; NULL omits each                */
    const char *subject;
    const char *author;
    const char *creator;
    const char *date;         /* "YYYY-MM-DD[...]": \creatim and \revtim      */
} tlf_rtf_info;

/* Resolution of a figure's picture: enough for print at the size shown
 * (a landscape A4 plot area is about 2,200 x 1,100 pixels). */
#define TLF_RTF_PICTURE_DPI 200.0

/* A picture for a figure: PNG bytes shown w x h points. */
typedef struct tlf_rtf_picture {
    const unsigned char *png;
    size_t len;
    double w, h;
} tlf_rtf_picture;

/*
 * Write one output as RTF into out (appended). tab gives the number,
 * titles, population, columns, header rows, body rows and footnotes; g
 * its layout (NULL for a figure, whose pic is then shown instead of a
 * table body); ps the page (landscape when wider than high) and ctx the
 * header line, DRAFT and the source line. TLF_EUSAGE when neither g nor
 * pic is given.
 */
int tlf_rtf_write(tlf_buf *out, const tlf_table *tab, const tlf_table_geom *g,
                  const tlf_rtf_picture *pic, const tlf_page_setup *ps,
                  const tlf_render_ctx *ctx, const tlf_rtf_info *info, tlf_err *err);

/* Write the document in doc to path (TLF_EOUTPUT when it cannot). */
int tlf_rtf_save(const tlf_buf *doc, const char *path, tlf_err *err);

/* Append UTF-8 text as RTF: \uN? escapes (surrogate pairs beyond the BMP),
 * Japanese characters in the Japanese font, '\n' as \line. */
void tlf_rtf_text(tlf_buf *out, const char *utf8, size_t len);

#endif
