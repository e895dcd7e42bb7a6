/*
 * raster.h - a region of a page plan drawn as a greyscale PNG picture.
 *
 * Stage: render. The RTF back end shows a figure's plot as a picture
 * (\pngblip): the same plan items the PDF draws (polylines with their
 * dashes, filled polygons with their opacity, markers, text in the
 * embedded fonts, rotated text) are rasterised with FreeType's
 * anti-aliasing rasteriser and stroker and written with libpng. Only
 * FreeType's integer rasteriser and libpng touch the pixels, so the same
 * plan gives the same bytes. Rule, watermark and page-number items are
 * not drawn: they belong to the page frame, which the RTF writes itself
 * (borders, a page header with DRAFT and page fields).
 */
#ifndef TLFGEN_RENDER_RASTER_H
#define TLFGEN_RENDER_RASTER_H

#include "core/buf.h"
#include "core/err.h"
#include "layout/plan.h"

/* The rectangle (x0, y0)-(x1, y1) in points of page index of plan at dpi
 * dots per inch, as PNG bytes appended to out. Fonts from font_dir (NULL:
 * TLFGEN_FONT_DIR, else the data folder's fonts/, as tlf_pdf_new). TLF_EINPUT for a
 * missing font, TLF_EUSAGE for an empty rectangle or a picture over
 * 40 megapixels, TLF_EINTERNAL when FreeType or libpng fails. */
int tlf_plan_png(tlf_buf *out, const tlf_plan *plan, size_t index, double x0, double y0,
                 double x1, double y1, double dpi, const char *font_dir, tlf_err *err);

#endif
