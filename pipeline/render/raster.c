/*
 * raster.c - page-plan items rasterised with FreeType, written as PNG with
 * libpng (see raster.h).
 *
 * Stage: render. Everything is an outline rendered through one span
 * callback onto a white 8-bit grey canvas: polygons as they are, lines
 * and marks through FreeType's stroker (butt caps, round joins, the PDF's
 * dash patterns cut here), glyphs as unhinted outlines (the advance
 * widths the layout measured with) rotated and placed on the baseline.
 * A span blends ink over the pixel by coverage x opacity.
 */
#include "render/raster.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_STROKER_H
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "core/datadir.h"
#include "core/mem.h"
#include "render/pdf.h"

typedef struct canvas {
    unsigned char *px;
    int w, h;
    double scale;               /* pixels per point                        */
    double x0, y0;              /* the region's bottom-left, points        */
    double ink;                 /* grey level being drawn, 0-255           */
    double alpha;               /* opacity being drawn, 0-1                */
    FT_Library lib;
    FT_Face latin, cjk;
} canvas;

static void spans(int y, int count, const FT_Span *sp, void *user)
{
    canvas *c = user;
    int row = c->h - 1 - y;     /* outline y grows upwards, rows downwards */
    if (row < 0 || row >= c->h)
        return;
    unsigned char *line = c->px + (size_t)row * (size_t)c->w;
    for (int i = 0; i < count; i++) {
        double a = sp[i].coverage / 255.0 * c->alpha;
        for (int x = sp[i].x; x < sp[i].x + sp[i].len; x++) {
            if (x < 0 || x >= c->w)
                continue;
            double v = line[x] + (c->ink - line[x]) * a;
            line[x] = (unsigned char)lround(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

static int render_outline(canvas *c, FT_Outline *o)
{
    FT_Raster_Params rp;
    memset(&rp, 0, sizeof rp);
    rp.source = o;
    rp.flags = FT_RASTER_FLAG_AA | FT_RASTER_FLAG_DIRECT | FT_RASTER_FLAG_CLIP;
    rp.gray_spans = spans;
    rp.user = c;
    rp.clip_box.xMin = 0;
    rp.clip_box.yMin = 0;
    rp.clip_box.xMax = c->w;
    rp.clip_box.yMax = c->h;
    return FT_Outline_Render(c->lib, o, &rp) ? -1 : 0;
}

/* A point of the plan in 26.6 pixel coordinates. */
static FT_Vector to_px(const canvas *c, double x, double y)
{
    FT_Vector v;
    v.x = (FT_Pos)lround((x - c->x0) * c->scale * 64.0);
    v.y = (FT_Pos)lround((y - c->y0) * c->scale * 64.0);
    return v;
}

static int fill_polygon(canvas *c, const double *xy, size_t n)
{
    if (n < 3)
        return 0;
    FT_Outline o;
    if (FT_Outline_New(c->lib, (FT_UInt)n, 1, &o))
        return -1;
    for (size_t i = 0; i < n; i++) {
        o.points[i] = to_px(c, xy[2 * i], xy[2 * i + 1]);
        o.tags[i] = FT_CURVE_TAG_ON;
    }
    o.contours[0] = (short)(n - 1);
    int rc = render_outline(c, &o);
    FT_Outline_Done(c->lib, &o);
    return rc;
}

/* Stroke paths already given to st, then clear it. */
static int stroke_flush(canvas *c, FT_Stroker st)
{
    FT_UInt np = 0, nc = 0;
    if (FT_Stroker_GetCounts(st, &np, &nc))
        return -1;
    int rc = 0;
    if (np > 0 && nc > 0) {
        FT_Outline o;
        if (FT_Outline_New(c->lib, np, (FT_Int)nc, &o))
            return -1;
        o.n_points = 0;
        o.n_contours = 0;
        FT_Stroker_Export(st, &o);
        rc = render_outline(c, &o);
        FT_Outline_Done(c->lib, &o);
    }
    FT_Stroker_Rewind(st);
    return rc;
}

/* One sub-path through n points (closed when closed), skipping repeated points. */
static void sub_path(canvas *c, FT_Stroker st, const double *xy, size_t n, int closed)
{
    FT_Vector p = to_px(c, xy[0], xy[1]), last = p;
    size_t drawn = 0;
    for (size_t i = 1; i < n; i++) {
        FT_Vector q = to_px(c, xy[2 * i], xy[2 * i + 1]);
        if (q.x == last.x && q.y == last.y)
            continue;
        if (drawn == 0)
            FT_Stroker_BeginSubPath(st, &p, closed ? 0 : 1);
        FT_Stroker_LineTo(st, &q);
        last = q;
        drawn++;
    }
    if (drawn)
        FT_Stroker_EndSubPath(st);
}

/* A polyline of width lw points with the PDF's dash pattern (pdf.c set_dash:
 * dashed 6 on 3 off, dotted 1 on 2 off, in points along the path). */
static int stroke_polyline(canvas *c, const double *xy, size_t n, double lw, int dash, int closed)
{
    if (n < 2)
        return 0;
    FT_Stroker st;
    if (FT_Stroker_New(c->lib, &st))
        return -1;
    FT_Fixed radius = (FT_Fixed)lround(lw / 2 * c->scale * 64.0);
    FT_Stroker_Set(st, radius < 16 ? 16 : radius, FT_STROKER_LINECAP_BUTT,
                   FT_STROKER_LINEJOIN_ROUND, 0);
    if (dash == TLF_DASH_SOLID) {
        sub_path(c, st, xy, n, closed);
    } else {
        double on = dash == TLF_DASH_DASHED ? 6 : 1, off = dash == TLF_DASH_DASHED ? 3 : 2;
        double phase = 0;       /* distance into the current on+off period */
        double seg[4];
        for (size_t i = 0; i + 1 < n; i++) {
            double ax = xy[2 * i], ay = xy[2 * i + 1], bx = xy[2 * i + 2], by = xy[2 * i + 3];
            double len = hypot(bx - ax, by - ay), t = 0;
            while (len > 0 && t < len) {
                double step = phase < on ? on - phase : on + off - phase;
                double t1 = t + step < len ? t + step : len;
                if (phase < on) {
                    seg[0] = ax + (bx - ax) * t / len;
                    seg[1] = ay + (by - ay) * t / len;
                    seg[2] = ax + (bx - ax) * t1 / len;
                    seg[3] = ay + (by - ay) * t1 / len;
                    sub_path(c, st, seg, 2, 0);
                }
                phase = fmod(phase + (t1 - t), on + off);
                t = t1;
            }
        }
    }
    int rc = stroke_flush(c, st);
    FT_Stroker_Done(st);
    return rc;
}

static int draw_mark(canvas *c, const tlf_item *it)
{
    double x = it->x, y = it->y, h = it->w / 2;
    switch (it->style) {
    case TLF_MARK_TICK: {
        double p[4] = {x, y - h, x, y + h};
        return stroke_polyline(c, p, 2, it->size, TLF_DASH_SOLID, 0);
    }
    case TLF_MARK_HBAR: {
        double p[4] = {x - h, y, x + h, y};
        return stroke_polyline(c, p, 2, it->size, TLF_DASH_SOLID, 0);
    }
    case TLF_MARK_CIRCLE: {
        double p[2 * 32];
        for (int k = 0; k < 32; k++) {
            p[2 * k] = x + h * cos(2 * M_PI * k / 32);
            p[2 * k + 1] = y + h * sin(2 * M_PI * k / 32);
        }
        return fill_polygon(c, p, 32);
    }
    case TLF_MARK_SQUARE: {
        double p[10] = {x - h, y - h, x + h, y - h, x + h, y + h, x - h, y + h, x - h, y - h};
        return stroke_polyline(c, p, 5, it->size, TLF_DASH_SOLID, 1);
    }
    default: {
        double p[8] = {x - h, y - h, x + h, y - h, x, y + h, x - h, y - h};
        return stroke_polyline(c, p, 4, it->size, TLF_DASH_SOLID, 1);
    }
    }
}

static size_t utf8_next(const unsigned char *u, size_t n, unsigned *cp)
{
    unsigned b = u[0];
    if (b >= 0xF0 && n >= 4) {
        *cp = ((b & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
        return 4;
    }
    if (b >= 0xE0 && n >= 3) {
        *cp = ((b & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
        return 3;
    }
    if (b >= 0xC0 && n >= 2) {
        *cp = ((b & 0x1Fu) << 6) | (u[1] & 0x3Fu);
        return 2;
    }
    *cp = b;
    return 1;
}

/* Text from its baseline start (x, y), rotated angle degrees about it;
 * each character in the Latin font when it has the glyph, else in the
 * Japanese one (as the PDF chooses). */
static int draw_text(canvas *c, const tlf_item *it)
{
    double a = it->angle * M_PI / 180.0, ca = cos(a), sa = sin(a);
    FT_Matrix rot = {(FT_Fixed)lround(ca * 65536), (FT_Fixed)lround(-sa * 65536),
                     (FT_Fixed)lround(sa * 65536), (FT_Fixed)lround(ca * 65536)};
    FT_F26Dot6 px = (FT_F26Dot6)lround(it->size * c->scale * 64.0);
    double pen = 0;             /* pixels along the baseline */
    const unsigned char *s = (const unsigned char *)it->text;
    size_t n = strlen(it->text);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += utf8_next(s + i, n - i, &cp);
        FT_Face f = c->latin;
        FT_UInt gi = FT_Get_Char_Index(f, cp);
        if (!gi && c->cjk) {
            f = c->cjk;
            gi = FT_Get_Char_Index(f, cp);
        }
        if (FT_Set_Char_Size(f, 0, px, 72, 72) ||
            FT_Load_Glyph(f, gi, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP))
            return -1;
        FT_GlyphSlot g = f->glyph;
        if (g->format == FT_GLYPH_FORMAT_OUTLINE && g->outline.n_points > 0) {
            FT_Outline o;
            if (FT_Outline_New(c->lib, (FT_UInt)g->outline.n_points, g->outline.n_contours, &o))
                return -1;
            FT_Outline_Copy(&g->outline, &o);
            FT_Outline_Transform(&o, &rot);
            FT_Vector origin = to_px(c, it->x, it->y);
            FT_Outline_Translate(&o, origin.x + (FT_Pos)lround(pen * ca * 64.0),
                                 origin.y + (FT_Pos)lround(pen * sa * 64.0));
            int rc = render_outline(c, &o);
            FT_Outline_Done(c->lib, &o);
            if (rc)
                return rc;
        }
        pen += g->linearHoriAdvance / 65536.0;
    }
    return 0;
}

static int draw_item(canvas *c, const tlf_item *it)
{
    c->ink = 0;
    c->alpha = 1;
    switch (it->kind) {
    case TLF_ITEM_TEXT:
        return it->text ? draw_text(c, it) : 0;
    case TLF_ITEM_POLYLINE:
        return stroke_polyline(c, it->pts, it->npts, it->size, it->style, 0);
    case TLF_ITEM_POLYGON:
        c->ink = it->gray * 255.0;
        c->alpha = it->w;
        return fill_polygon(c, it->pts, it->npts);
    case TLF_ITEM_MARK:
        return draw_mark(c, it);
    default:
        return 0;               /* rules, page numbers, watermarks: see raster.h */
    }
}

typedef struct png_sink {
    tlf_buf *out;
} png_sink;

static void png_write(png_structp png, png_bytep data, size_t len)
{
    png_sink *s = png_get_io_ptr(png);
    tlf_buf_append(s->out, (const char *)data, len);
}

static void png_flush(png_structp png)
{
    (void)png;
}

static int write_png(tlf_buf *out, const canvas *c, double dpi, tlf_err *err)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return tlf_err_set(err, TLF_EINTERNAL, "libpng could not start a picture");
    }
    png_sink sink = {out};
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return tlf_err_set(err, TLF_EINTERNAL, "libpng failed writing a picture");
    }
    png_set_write_fn(png, &sink, png_write, png_flush);
    png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int r = 0; r < c->h; r++)
        png_write_row(png, c->px + (size_t)r * (size_t)c->w);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return TLF_OK;
}

static int load_face(canvas *c, const char *dir, const char *file, FT_Face *out, tlf_err *err)
{
    char *path = xasprintf("%s/%s", dir, file);
    int rc = FT_New_Face(c->lib, path, 0, out)
                 ? tlf_err_set(err, TLF_EINPUT, "font file %s cannot be read", path)
                 : TLF_OK;
    free(path);
    return rc;
}

int tlf_plan_png(tlf_buf *out, const tlf_plan *plan, size_t index, double x0, double y0,
                 double x1, double y1, double dpi, const char *font_dir, tlf_err *err)
{
    if (index >= plan->npages || !(x1 > x0) || !(y1 > y0) || !(dpi > 0))
        return tlf_err_set(err, TLF_EUSAGE, "no picture region (page %zu, %.1f x %.1f pt)",
                           index + 1, x1 - x0, y1 - y0);
    canvas c;
    memset(&c, 0, sizeof c);
    c.scale = dpi / 72.0;
    c.x0 = x0;
    c.y0 = y0;
    c.w = (int)ceil((x1 - x0) * c.scale);
    c.h = (int)ceil((y1 - y0) * c.scale);
    if ((double)c.w * c.h > 40e6)
        return tlf_err_set(err, TLF_EUSAGE, "picture of %d x %d pixels is too large", c.w, c.h);
    char *found_fonts = NULL;   /* the same search as tlf_pdf_new */
    if (!font_dir)
        font_dir = getenv("TLFGEN_FONT_DIR");
    if (!font_dir || !*font_dir) {
        tlf_datadir dd;
        int drc = tlf_datadir_find(&dd, NULL, err);
        if (drc)
            return drc;
        found_fonts = xasprintf("%s/fonts", dd.path);
        tlf_datadir_free(&dd);
        font_dir = found_fonts;
    }
    if (FT_Init_FreeType(&c.lib)) {
        free(found_fonts);
        return tlf_err_set(err, TLF_EINTERNAL, "FreeType could not start");
    }
    int rc = load_face(&c, font_dir, TLF_FONT_LATIN, &c.latin, err);
    if (rc == TLF_OK)
        rc = load_face(&c, font_dir, TLF_FONT_CJK, &c.cjk, err);
    free(found_fonts);
    if (rc == TLF_OK) {
        c.px = xmalloc((size_t)c.w * (size_t)c.h);
        memset(c.px, 255, (size_t)c.w * (size_t)c.h);
        const tlf_page *pg = &plan->pages[index];
        for (size_t i = 0; i < pg->n && rc == TLF_OK; i++)
            if (draw_item(&c, &pg->items[i]))
                rc = tlf_err_set(err, TLF_EINTERNAL, "FreeType failed drawing item %zu", i + 1);
    }
    if (rc == TLF_OK)
        rc = write_png(out, &c, dpi, err);
    free(c.px);
    if (c.latin)
        FT_Done_Face(c.latin);
    if (c.cjk)
        FT_Done_Face(c.cjk);
    FT_Done_FreeType(c.lib);
    return rc;
}
