/*
 * pdf.c - PDF output through libharu 2.3.0 (see pdf.h for the contract).
 *
 * Stage: render. Design notes:
 * - libharu reports errors through a callback; ours records the first
 *   error number in the document (no global state) and every call site
 *   checks it.
 * - libharu gives a UTF-8 TrueType font the encoding CMap as its
 *   /ToUnicode stream (cidrange entries, which is not a ToUnicode map), and
 *   poppler prints "Syntax Warning" lines for it. Its UTF-8 encoder writes
 *   each BMP character as its UTF-16 code unit, so the correct map is the
 *   identity over the BMP. After loading each font we rewrite that same
 *   stream object in place (same object number, no orphan) as a proper
 *   bfrange ToUnicode CMap, using libharu's public dictionary and stream
 *   API; nothing is patched after the file is written. Reaching that
 *   stream (font->attr->cmap_stream, doc->mmgr, attr->fontdef) needs
 *   libharu's private structures, as does the PDF version below: libharu
 *   2.3.0 has no public call for either. CMake accepts only libharu
 *   versions this was tested with (cmake/libharu.cmake; the reasons and
 *   the post-processing alternative weighed: docs/packaging.md).
 * - The PDF version is the document's pdf_version field (libharu 2.3.0 has
 *   no setter and writes 1.3 by default); we set 1.7 before saving.
 */
#include "render/pdf.h"

#include <hpdf.h>
#include <hpdf_utils.h>   /* HPDF_FToA: the number form of libharu's content operators */
#include <math.h>
#include <libdeflate.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/datadir.h"
#include "core/fault.h"
#include "core/mem.h"
#include "core/stop.h"
#include "render/ttcmap.h"

struct tlf_pdf {
    HPDF_Doc doc;
    HPDF_Font latin, cjk;
    HPDF_FontDef latin_def;
    char *font_dir;             /* the Japanese font is loaded on first use */
    HPDF_STATUS error_no;       /* first libharu error, 0 when none */
    HPDF_STATUS detail_no;
    size_t npages;
    HPDF_Page *pages;           /* every page drawn, for outline and links */
    size_t pages_cap;
    HPDF_ExtGState alpha[10];   /* fill opacity 0.1 .. 1.0, made on demand */
    HPDF_Outline *outlines;     /* outline entries; id = index + 1         */
    size_t noutlines, outlines_cap;
    /* Per BMP code point: which font draws it (0 not yet known, 1 Latin,
     * 2 Japanese) and its advance width in 1/1000 em. libharu looks glyphs
     * up by a linear walk of the cmap segments; layout measures the same
     * characters thousands of times, so each is looked up once. A width is
     * libharu's, a whole number (HPDF_TextWidth.width is an HPDF_UINT), so
     * a text's width is summed in integers: the same number as a sum in
     * doubles (every partial sum is below 2^53), without a floating-point
     * add's latency per character (measure was the largest part of a lab
     * listing's CPU, issue 16). */
    unsigned char *font_of;     /* 65536 entries, allocated on first use */
    uint32_t *width_of;         /* 65536 entries                          */
    tlf_buf scratch;            /* a text object's bytes (draw_ascii)     */
    int libharu_text;           /* 1: draw_ascii off (tlf_pdf_direct_text) */
    /* The text object draw_ascii leaves open for the next ASCII cell of
     * the page (end_text closes it), and its text line origin in 1e-5
     * units: the sum of the Td operands written since its BT. */
    int in_text;
    long long tx, ty;
    /* real_units of the numbers seen, by their bits: a listing page puts
     * its cells at a few x positions (the columns) and y positions (the
     * lines), each converted once instead of per cell (HPDF_FToA and the
     * parse of its digits were 6 % of a lab listing's CPU). */
    uint32_t ru_bits[256];
    long long ru_val[256];
    unsigned char ru_set[256];
    /* deflate_stream's compressor, made for the document's first stream
     * and used for every next one, and the stream's bytes gathered */
    struct libdeflate_compressor *deflater;
    tlf_buf page_in;
    /* libharu's own before-write of each font's (Type0) dictionary, which
     * font_before_write calls first (latin, cjk) */
    HPDF_STATUS (*font_bw[2])(HPDF_Dict);
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    tlf_pdf *pdf = user_data;
    if (!pdf->error_no) {
        pdf->error_no = error_no;
        pdf->detail_no = detail_no;
    }
}

static int hpdf_fail(tlf_pdf *pdf, tlf_err *err, const char *what)
{
    int rc = tlf_err_set(err, TLF_EINTERNAL, "libharu error 0x%04X (detail %u) while %s",
                         (unsigned)pdf->error_no, (unsigned)pdf->detail_no, what);
    pdf->error_no = 0;
    return rc;
}

/* Rewrite a font's /ToUnicode stream as the identity map over the BMP
 * (without the surrogate block), bfrange blocks of at most 100 entries. */
static int fix_to_unicode(tlf_pdf *pdf, HPDF_Font font)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Dict cmap = attr ? attr->cmap_stream : NULL;
    if (!cmap || !cmap->stream)
        return -1;
    HPDF_MemStream_FreeData(cmap->stream);
    HPDF_Dict sysinfo = HPDF_Dict_New(pdf->doc->mmgr);
    if (!sysinfo)
        return -1;
    HPDF_STATUS ret = HPDF_Dict_Add(cmap, "CIDSystemInfo", sysinfo);
    ret += HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(pdf->doc->mmgr, "Adobe", NULL));
    ret += HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(pdf->doc->mmgr, "UCS", NULL));
    ret += HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
    ret += HPDF_Dict_AddName(cmap, "CMapName", "Adobe-Identity-UCS");
    ret += HPDF_Dict_AddNumber(cmap, "WMode", 0);

    tlf_buf b = TLF_BUF_INIT;
    tlf_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                     "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned hi[256];
    size_t nhi = 0;
    for (unsigned h = 0; h < 256; h++)
        if (h < 0xD8 || h > 0xDF)
            hi[nhi++] = h;
    for (size_t i = 0; i < nhi; i += 100) {
        size_t n = nhi - i < 100 ? nhi - i : 100;
        tlf_buf_printf(&b, "%zu beginbfrange\n", n);
        for (size_t j = i; j < i + n; j++)
            tlf_buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi[j], hi[j], hi[j]);
        tlf_buf_puts(&b, "endbfrange\n");
    }
    tlf_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    ret += HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    tlf_buf_free(&b);
    return ret == HPDF_OK ? 0 : -1;
}

static int deflate_stream(tlf_pdf *pdf, HPDF_Dict dict);

/*
 * The before-write of a font's dictionary (Type0 over a CIDFontType2):
 * libharu's own (CIDFontType2_BeforeWrite_Func, hpdf_font_cid.c), which
 * makes the font program (FontFile2) and sets the glyph map's and the
 * Unicode map's filters, then those three streams deflated by
 * deflate_stream instead of by zlib when they are written after the
 * font's dictionary. The document is the error handler's user data
 * (HPDF_New in tlf_pdf_new).
 */
static HPDF_STATUS font_before_write(HPDF_Dict obj)
{
    tlf_pdf *pdf = obj->error->user_data;
    HPDF_STATUS (*own)(HPDF_Dict) = obj == (HPDF_Dict)pdf->latin ? pdf->font_bw[0]
                                    : obj == (HPDF_Dict)pdf->cjk  ? pdf->font_bw[1]
                                                                  : NULL;
    HPDF_STATUS ret = own ? own(obj) : HPDF_OK;
    if (ret != HPDF_OK)
        return ret;
    HPDF_FontAttr attr = (HPDF_FontAttr)obj->attr;
    HPDF_Dict descriptor = attr->fontdef ? attr->fontdef->descriptor : NULL;
    HPDF_Dict program = descriptor ? HPDF_Dict_GetItem(descriptor, "FontFile2", HPDF_OCLASS_DICT)
                                   : NULL;
    if (deflate_stream(pdf, program) || deflate_stream(pdf, attr->map_stream) ||
        deflate_stream(pdf, attr->cmap_stream))
        return pdf->error_no ? pdf->error_no : HPDF_FAILD_TO_ALLOC_MEM;
    return HPDF_OK;
}

/* Hook font_before_write on font k (0 latin, 1 cjk). */
static void hook_font(tlf_pdf *pdf, HPDF_Font font, int k)
{
    if (!font->before_write_fn || font->before_write_fn == font_before_write)
        return;
    pdf->font_bw[k] = font->before_write_fn;
    font->before_write_fn = font_before_write;
}

static int load_font(tlf_pdf *pdf, const char *dir, const char *file, HPDF_Font *out,
                     tlf_err *err)
{
    char *path = xasprintf("%s/%s", dir, file);
    int rc = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = tlf_err_set(err, TLF_EINPUT, "font file %s cannot be read", path);
        goto done;
    }
    fclose(f);
    const char *name = HPDF_LoadTTFontFromFile(pdf->doc, path, HPDF_TRUE);
    if (!name) {
        rc = hpdf_fail(pdf, err, "loading a font");
        tlf_err_prefix(err, "%s", path);
        goto done;
    }
    /* before HPDF_GetFont, which looks up the glyph of every code */
    (void)tlf_ttcmap_flatten(HPDF_Doc_FindFontDef(pdf->doc, name));
    *out = HPDF_GetFont(pdf->doc, name, "UTF-8");
    if (!*out) {
        rc = hpdf_fail(pdf, err, "opening a font with UTF-8 encoding");
        goto done;
    }
    if (fix_to_unicode(pdf, *out) != 0)
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s: could not write its ToUnicode map", path);
    else
        hook_font(pdf, *out, out == &pdf->cjk);
done:
    free(path);
    return rc;
}

int tlf_pdf_new(tlf_pdf **out, const char *font_dir, tlf_err *err)
{
    *out = NULL;
    tlf_pdf *pdf = xcalloc(1, sizeof *pdf);
    int rc = 0;
    char *found_fonts = NULL;
    if (!font_dir)
        font_dir = getenv("TLFGEN_FONT_DIR");
    if (!font_dir || !*font_dir) {
        tlf_datadir dd;
        if ((rc = tlf_datadir_find(&dd, NULL, err)) != 0) {
            free(pdf);
            return rc;
        }
        found_fonts = xasprintf("%s/fonts", dd.path);
        tlf_datadir_free(&dd);
        font_dir = found_fonts;
    }
    pdf->doc = HPDF_New(on_error, pdf);
    if (!pdf->doc) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "libharu could not create a document");
        goto done;
    }
    if (HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_ALL) != HPDF_OK ||
        HPDF_UseUTFEncodings(pdf->doc) != HPDF_OK ||
        HPDF_SetCurrentEncoder(pdf->doc, "UTF-8") != HPDF_OK) {
        rc = hpdf_fail(pdf, err, "setting up UTF-8 encoding");
        goto done;
    }
    /* Loading a TrueType font with the UTF-8 encoder costs libharu a glyph
     * look-up per BMP code point, and most outputs have no Japanese text:
     * the Japanese font is loaded when a character first needs it. Its file
     * is checked here, so a missing font is still reported up front. */
    pdf->font_dir = xstrdup(font_dir);
    char *cjk_path = xasprintf("%s/%s", font_dir, TLF_FONT_CJK);
    FILE *cf = fopen(cjk_path, "rb");
    if (!cf)
        rc = tlf_err_set(err, TLF_EINPUT, "font file %s cannot be read", cjk_path);
    else
        fclose(cf);
    free(cjk_path);
    if (rc || (rc = load_font(pdf, font_dir, TLF_FONT_LATIN, &pdf->latin, err)) != 0)
        goto done;
    pdf->latin_def = ((HPDF_FontAttr)pdf->latin->attr)->fontdef;
done:
    free(found_fonts);
    if (rc) {
        tlf_pdf_free(pdf);
        return rc;
    }
    *out = pdf;
    return 0;
}

void tlf_pdf_free(tlf_pdf *pdf)
{
    if (!pdf)
        return;
    if (pdf->doc)
        HPDF_Free(pdf->doc);
    free(pdf->pages);
    free(pdf->outlines);
    free(pdf->font_of);
    free(pdf->width_of);
    libdeflate_free_compressor(pdf->deflater);
    tlf_buf_free(&pdf->page_in);
    tlf_buf_free(&pdf->scratch);
    free(pdf->font_dir);
    free(pdf);
}

/* Decode one UTF-8 character at s (n bytes left); returns its length
 * (1 for an invalid byte, which libharu also skips) and the code point. */
static size_t utf8_next(const char *s, size_t n, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = 1;
    unsigned c = u[0];
    if (c >= 0xF0 && n >= 4) {
        len = 4;
        c = ((c & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
    } else if (c >= 0xE0 && n >= 3) {
        len = 3;
        c = ((c & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    } else if (c >= 0xC0 && n >= 2) {
        len = 2;
        c = ((c & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    }
    *cp = c;
    return len;
}

/* The font that draws code point cp: Latin when it has the glyph, else
 * the Japanese font (loaded now if this is its first character; should
 * that fail, the libharu error is kept for the next drawing call to
 * report, and the Latin font stands in). */
static HPDF_Font font_for(tlf_pdf *pdf, unsigned cp)
{
    if (cp < 0x80)
        return pdf->latin;
    if (cp <= 0xFFFF && HPDF_TTFontDef_GetGlyphid(pdf->latin_def, (HPDF_UINT16)cp) != 0)
        return pdf->latin;
    if (!pdf->cjk) {
        tlf_err ignored;
        if (load_font(pdf, pdf->font_dir, TLF_FONT_CJK, &pdf->cjk, &ignored) != 0 || !pdf->cjk) {
            if (!pdf->error_no)
                pdf->error_no = HPDF_TTF_CANNOT_EMBEDDING_FONT;
            pdf->cjk = NULL;
            return pdf->latin;
        }
    }
    return pdf->cjk;
}

/* Call fn for each run of characters drawn with one font. */
typedef int (*run_fn)(void *ctx, HPDF_Font font, const char *s, size_t len);
static int each_run(tlf_pdf *pdf, const char *s, size_t n, run_fn fn, void *ctx)
{
    size_t start = 0, i = 0;
    HPDF_Font cur = NULL;
    while (i < n) {
        unsigned cp;
        size_t l = utf8_next(s + i, n - i, &cp);
        HPDF_Font f = font_for(pdf, cp);
        if (cur && f != cur) {
            int rc = fn(ctx, cur, s + start, i - start);
            if (rc)
                return rc;
            start = i;
        }
        cur = f;
        i += l;
    }
    if (cur && i > start)
        return fn(ctx, cur, s + start, i - start);
    return 0;
}

/* libharu refuses a string over 65,535 bytes (HPDF_STRING_OUT_OF_RANGE):
 * a run is handed over in pieces of at most this many bytes, cut between
 * UTF-8 characters. Layout keeps lines narrower than the page, so this only
 * matters for text that never fits anyway; it must not fail the run. */
#define RUN_PIECE 16384

/* Bytes of s[0, len) to hand over next: all, or up to RUN_PIECE ending on
 * a character boundary. */
static size_t piece_len(const char *s, size_t len)
{
    if (len <= RUN_PIECE)
        return len;
    size_t n = RUN_PIECE;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n ? n : RUN_PIECE;
}

typedef struct measure_ctx {
    uint64_t units;   /* sum of widths in 1/1000 em */
} measure_ctx;

static int measure_run(void *vctx, HPDF_Font font, const char *s, size_t len)
{
    measure_ctx *m = vctx;
    while (len > 0) {
        size_t n = piece_len(s, len);
        char *tmp = xstrndup(s, n);
        HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)tmp, (HPDF_UINT)n);
        m->units += tw.width;
        free(tmp);
        s += n;
        len -= n;
    }
    return 0;
}

/* Width of one BMP character in 1/1000 em, through the cache. */
static uint32_t char_width(tlf_pdf *pdf, unsigned cp, const char *utf8, size_t len)
{
    if (!pdf->font_of) {
        pdf->font_of = xcalloc(65536, 1);
        pdf->width_of = xcalloc(65536, sizeof *pdf->width_of);
    }
    if (!pdf->font_of[cp]) {
        HPDF_Font f = font_for(pdf, cp);
        measure_ctx m = {0};
        measure_run(&m, f, utf8, len);
        pdf->font_of[cp] = f == pdf->latin ? 1 : 2;
        pdf->width_of[cp] = (uint32_t)m.units;
    }
    return pdf->width_of[cp];
}

static double measure(void *ctx, const char *utf8, size_t len, double size)
{
    tlf_pdf *pdf = ctx;
    const unsigned char *u = (const unsigned char *)utf8;
    uint64_t units = 0;
    for (size_t i = 0; i < len;) {
        /* ASCII seen before: the cache directly */
        if (u[i] < 0x80 && pdf->font_of && pdf->font_of[u[i]]) {
            units += pdf->width_of[u[i]];
            i++;
            continue;
        }
        unsigned cp;
        size_t l = utf8_next(utf8 + i, len - i, &cp);
        if (cp <= 0xFFFF) {
            units += char_width(pdf, cp, utf8 + i, l);
        } else {
            measure_ctx m = {0};
            each_run(pdf, utf8 + i, l, measure_run, &m);
            units += m.units;
        }
        i += l;
    }
    return (double)units * size / 1000.0;
}

void tlf_pdf_direct_text(tlf_pdf *pdf, int on)
{
    pdf->libharu_text = !on;
}

tlf_measurer tlf_pdf_measurer(tlf_pdf *pdf)
{
    tlf_measurer m = {measure, pdf};
    return m;
}

static int set_date(tlf_pdf *pdf, const char *s, tlf_err *err)
{
    HPDF_Date d;
    memset(&d, 0, sizeof d);
    int y, mo, da, h = 0, mi = 0, se = 0;
    char tail = 0;
    int nf = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%c", &y, &mo, &da, &h, &mi, &se, &tail);
    if (!(nf == 3 || nf == 6) || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 ||
        mi > 59 || se > 59 || h < 0 || mi < 0 || se < 0)
        return tlf_err_set(err, TLF_EUSAGE,
                           "document date '%s' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", s);
    d.year = y;
    d.month = mo;
    d.day = da;
    d.hour = h;
    d.minutes = mi;
    d.seconds = se;
    d.ind = 'Z';
    if (HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_CREATION_DATE, d) != HPDF_OK ||
        HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_MOD_DATE, d) != HPDF_OK)
        return hpdf_fail(pdf, err, "setting the document dates");
    return 0;
}

int tlf_pdf_set_info(tlf_pdf *pdf, const tlf_pdf_info *info, tlf_err *err)
{
    struct { HPDF_InfoType type; const char *val; } attrs[] = {
        {HPDF_INFO_TITLE, info->title},   {HPDF_INFO_SUBJECT, info->subject},
        {HPDF_INFO_AUTHOR, info->author}, {HPDF_INFO_CREATOR, info->creator},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (attrs[i].val && HPDF_SetInfoAttr(pdf->doc, attrs[i].type, attrs[i].val) != HPDF_OK)
            return hpdf_fail(pdf, err, "setting document info");
    if (info->date)
        return set_date(pdf, info->date, err);
    return 0;
}

typedef struct draw_ctx {
    HPDF_Page page;
    double size;
    double x, y;
    const tlf_pdf *pdf;
    const char *end;    /* the text's terminating NUL */
} draw_ctx;

static int draw_run(void *vctx, HPDF_Font font, const char *s, size_t len)
{
    draw_ctx *d = vctx;
    HPDF_STATUS ret = HPDF_Page_SetFontAndSize(d->page, font, (HPDF_REAL)d->size);
    while (len > 0 && ret == HPDF_OK) {
        size_t n = piece_len(s, len);
        /* Most cells are one run ending the text: it is NUL-terminated
         * already and nothing follows it, so neither a copy nor its width
         * (for the next piece's position) is needed. */
        if (s + n == d->end) {
            ret += HPDF_Page_TextOut(d->page, (HPDF_REAL)d->x, (HPDF_REAL)d->y, s);
            break;
        }
        char *tmp = xstrndup(s, n);
        ret += HPDF_Page_TextOut(d->page, (HPDF_REAL)d->x, (HPDF_REAL)d->y, tmp);
        HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)tmp, (HPDF_UINT)n);
        d->x += tw.width * d->size / 1000.0;
        free(tmp);
        s += n;
        len -= n;
    }
    return ret == HPDF_OK ? 0 : -1;
}

/* The number libharu writes for v (HPDF_FToA: at most 5 decimals), in
 * 1e-5 units: exact, so that differences and sums of positions are too. */
static long long real_units_of(HPDF_REAL v)
{
    char num[HPDF_REAL_LEN + 4];
    memset(num, 0, sizeof num);
    HPDF_FToA(num, v, num + sizeof num - 2);
    const char *c = num;
    int neg = *c == '-';
    c += neg;
    long long u = 0;
    for (; *c >= '0' && *c <= '9'; c++)
        u = u * 10 + (*c - '0');
    int k = 0;
    if (*c == '.')
        for (c++; *c >= '0' && *c <= '9' && k < 5; c++, k++)
            u = u * 10 + (*c - '0');
    for (; k < 5; k++)
        u *= 10;
    return neg ? -u : u;
}

/* real_units_of(v) through pdf's cache (the same number: a function of
 * v's bits alone). */
static long long real_units(tlf_pdf *pdf, HPDF_REAL v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    size_t h = (size_t)((bits * 2654435761u) >> 24);
    if (!pdf->ru_set[h] || pdf->ru_bits[h] != bits) {
        pdf->ru_val[h] = real_units_of(v);
        pdf->ru_bits[h] = bits;
        pdf->ru_set[h] = 1;
    }
    return pdf->ru_val[h];
}

/* Append u 1e-5 units as a decimal number, as HPDF_FToA writes one
 * (trailing zeros dropped). */
static void put_units(tlf_buf *b, long long u)
{
    char num[32], *e = num + sizeof num, *p = e;
    unsigned long long a = u < 0 ? 0ULL - (unsigned long long)u : (unsigned long long)u;
    unsigned long long frac = a % 100000, whole = a / 100000;
    if (frac) {
        int k = 5;
        while (frac % 10 == 0) {
            frac /= 10;
            k--;
        }
        for (; k > 0; k--, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do
        *--p = (char)('0' + whole % 10);
    while ((whole /= 10) != 0);
    if (u < 0)
        *--p = '-';
    tlf_buf_append(b, p, (size_t)(e - p));
}

/* Close the text object draw_ascii left open: before anything else is
 * drawn (a path, q/Q, libharu's own text objects may not stand inside
 * one, ISO 32000-1 8.2 figure 9) and at the end of the page. */
static int end_text(tlf_pdf *pdf, HPDF_Page page)
{
    if (!pdf->in_text)
        return 0;
    pdf->in_text = 0;
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_STATUS ret = HPDF_Stream_WriteStr(attr->stream, "ET\012");
    if (ret != HPDF_OK && !pdf->error_no)
        pdf->error_no = ret;
    return ret == HPDF_OK ? 0 : -1;
}

/*
 * ASCII text in the Latin font, the common case of every listing cell,
 * written to the page's content stream directly instead of through
 * libharu 2.3.0's BeginText, SetFontAndSize, TextOut and EndText
 * (hpdf_page_operator.c): the same text, positioned by a Td in a text
 * matrix with no rotation or scale as TextOut's, without libharu's work
 * per call (a width sum in ShowText, a malloc'd copy of the encoded text, a
 * 512-byte buffer cleared per number) and in fewer bytes, since a
 * listing's content streams are what the document's deflate spends most
 * of its time on (issue 16: 22 KB a page, deflate 37% of a lab
 * listing's CPU):
 *  - one text object for a page's run of such cells (end_text closes it
 *    before anything else is drawn), each cell placed by a Td relative to
 *    the one before: "17.901 0 Td" for the next cell of a row instead of
 *    "BT 552.80652 412.56509 Td ... ET" (a lab listing's page 15.5 ->
 *    11.6 KB before deflate, 2.6 -> 1.7 KB after); the operands are
 *    exact differences of the numbers TextOut would have written, so the
 *    text lands where it did and no rounding accumulates;
 *  - Tf only when the graphics state's font or size differs (text state
 *    is part of the graphics state, ISO 32000-1 9.3.1, so it outlives
 *    ET; q/Q restore it, as libharu's gstate stack does);
 *  - the two-byte Identity-H codes as a literal string, 2 bytes a
 *    character, instead of libharu's hex string, 4 (7.3.4.2: any byte but
 *    an unbalanced parenthesis or a backslash may stand for itself; CR
 *    and the other controls are escaped, as an end of line inside a
 *    string would be read as LF).
 * ShowText draws nothing for text of zero width, as here. A glyph is
 * marked used for the font subset by its first measurement in this
 * document (char_width goes through libharu), as ShowText's width sum
 * marks it. Returns 1 when the text is not such a case.
 */
static int draw_ascii(tlf_pdf *pdf, HPDF_Page page, double x, double y, double size,
                      const char *text, size_t len)
{
    if (pdf->libharu_text || len > RUN_PIECE)
        return 1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80)
            return 1;
    const char *name = HPDF_Page_GetLocalFontName(page, pdf->latin);
    if (!name)
        return -1;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
            return 1;   /* a name libharu would escape: let it */
    uint64_t units = 0;
    for (size_t i = 0; i < len; i++)
        units += char_width(pdf, (unsigned char)text[i], text + i, 1);
    if (units == 0)
        return 0;
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    tlf_buf *b = &pdf->scratch;
    tlf_buf_reset(b);
    if (!pdf->in_text) {
        tlf_buf_puts(b, "BT\012");
        pdf->in_text = 1;
        pdf->tx = pdf->ty = 0;   /* BT: the identity matrix */
    }
    if (attr->gstate->font != pdf->latin || attr->gstate->font_size != (HPDF_REAL)size) {
        tlf_buf_puts(b, "/");
        tlf_buf_puts(b, name);
        tlf_buf_puts(b, " ");
        put_units(b, real_units(pdf, (HPDF_REAL)size));
        tlf_buf_puts(b, " Tf\012");
    }
    /* at the point libharu's TextOut would have placed it */
    long long ux = real_units(pdf, (HPDF_REAL)x), uy = real_units(pdf, (HPDF_REAL)y);
    put_units(b, ux - pdf->tx);
    tlf_buf_puts(b, " ");
    put_units(b, uy - pdf->ty);
    tlf_buf_puts(b, " Td\012");
    pdf->tx = ux;
    pdf->ty = uy;
    char h[256];
    size_t k = 0;
    tlf_buf_putc(b, '(');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        h[k++] = '\0';
        if (c == '(' || c == ')' || c == '\\') {
            h[k++] = '\\';
            h[k++] = (char)c;
        } else if (c < 0x20 || c == 0x7F) {
            h[k++] = '\\';
            h[k++] = (char)('0' + (c >> 6));
            h[k++] = (char)('0' + ((c >> 3) & 7));
            h[k++] = (char)('0' + (c & 7));
        } else {
            h[k++] = (char)c;
        }
        if (k > sizeof h - 5) {
            tlf_buf_append(b, h, k);
            k = 0;
        }
    }
    tlf_buf_append(b, h, k);
    tlf_buf_puts(b, ") Tj\012");
    HPDF_STATUS ret = HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)b->data, (HPDF_UINT)b->len);
    if (ret != HPDF_OK) {
        if (!pdf->error_no)
            pdf->error_no = ret;
        return -1;
    }
    /* the graphics state libharu keeps after those calls */
    attr->gstate->font = pdf->latin;
    attr->gstate->font_size = (HPDF_REAL)size;
    attr->gstate->writing_mode = HPDF_WMODE_HORIZONTAL;
    return 0;
}

static int draw_text(tlf_pdf *pdf, HPDF_Page page, double x, double y, double size,
                     const char *text)
{
    size_t len = strlen(text);
    int fast = draw_ascii(pdf, page, x, y, size, text, len);
    if (fast <= 0)
        return fast;
    draw_ctx d = {page, size, x, y, pdf, text + len};
    if (end_text(pdf, page) || HPDF_Page_BeginText(page) != HPDF_OK)
        return -1;
    int rc = each_run(pdf, text, len, draw_run, &d);
    if (HPDF_Page_EndText(page) != HPDF_OK)
        rc = -1;
    return rc;
}

/* Text rotated by angle degrees about (x, y): one text matrix, then the
 * runs shown one after another (ShowText advances the position). */
static int show_run(void *vctx, HPDF_Font font, const char *s, size_t len)
{
    draw_ctx *d = vctx;
    HPDF_STATUS ret = HPDF_Page_SetFontAndSize(d->page, font, (HPDF_REAL)d->size);
    while (len > 0 && ret == HPDF_OK) {
        size_t n = piece_len(s, len);
        char *tmp = xstrndup(s, n);
        ret += HPDF_Page_ShowText(d->page, tmp);
        free(tmp);
        s += n;
        len -= n;
    }
    return ret == HPDF_OK ? 0 : -1;
}

static int draw_text_rot(tlf_pdf *pdf, HPDF_Page page, double x, double y, double size,
                         const char *text, double angle)
{
    double a = angle * M_PI / 180.0, c = cos(a), s = sin(a);
    draw_ctx d = {page, size, x, y, pdf, NULL};
    if (HPDF_Page_BeginText(page) != HPDF_OK ||
        HPDF_Page_SetTextMatrix(page, (HPDF_REAL)c, (HPDF_REAL)s, (HPDF_REAL)-s, (HPDF_REAL)c,
                                (HPDF_REAL)x, (HPDF_REAL)y) != HPDF_OK)
        return -1;
    int rc = each_run(pdf, text, strlen(text), show_run, &d);
    if (HPDF_Page_EndText(page) != HPDF_OK)
        rc = -1;
    return rc;
}

static int set_dash(HPDF_Page page, int style)
{
    static const HPDF_UINT16 dashed[] = {6, 3};
    static const HPDF_UINT16 dotted[] = {1, 2};
    if (style == TLF_DASH_DASHED)
        return HPDF_Page_SetDash(page, dashed, 2, 0) != HPDF_OK;
    if (style == TLF_DASH_DOTTED)
        return HPDF_Page_SetDash(page, dotted, 2, 0) != HPDF_OK;
    return HPDF_Page_SetDash(page, NULL, 0, 0) != HPDF_OK;
}

static int path(HPDF_Page page, const tlf_item *it)
{
    int bad = HPDF_Page_MoveTo(page, (HPDF_REAL)it->pts[0], (HPDF_REAL)it->pts[1]) != HPDF_OK;
    for (size_t k = 1; k < it->npts && !bad; k++)
        bad = HPDF_Page_LineTo(page, (HPDF_REAL)it->pts[2 * k], (HPDF_REAL)it->pts[2 * k + 1]) !=
              HPDF_OK;
    return bad;
}

/* Fill opacity through a shared graphics state per tenth (0.1 .. 1.0). */
static int set_opacity(tlf_pdf *pdf, HPDF_Page page, double opacity)
{
    int k = (int)lround(opacity * 10.0);
    k = k < 1 ? 1 : k > 10 ? 10 : k;
    if (!pdf->alpha[k - 1]) {
        pdf->alpha[k - 1] = HPDF_CreateExtGState(pdf->doc);
        if (!pdf->alpha[k - 1] ||
            HPDF_ExtGState_SetAlphaFill(pdf->alpha[k - 1], (HPDF_REAL)(k / 10.0)) != HPDF_OK)
            return -1;
    }
    return HPDF_Page_SetExtGState(page, pdf->alpha[k - 1]) != HPDF_OK;
}

static int draw_mark(HPDF_Page page, const tlf_item *it)
{
    HPDF_REAL x = (HPDF_REAL)it->x, y = (HPDF_REAL)it->y, h = (HPDF_REAL)(it->w / 2);
    int bad = HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->size) != HPDF_OK || set_dash(page, 0);
    switch (it->style) {
    case TLF_MARK_TICK:
        bad = bad || HPDF_Page_MoveTo(page, x, y - h) || HPDF_Page_LineTo(page, x, y + h) ||
              HPDF_Page_Stroke(page);
        break;
    case TLF_MARK_HBAR:
        bad = bad || HPDF_Page_MoveTo(page, x - h, y) || HPDF_Page_LineTo(page, x + h, y) ||
              HPDF_Page_Stroke(page);
        break;
    case TLF_MARK_CIRCLE:
        bad = bad || HPDF_Page_Circle(page, x, y, h) || HPDF_Page_Fill(page);
        break;
    case TLF_MARK_SQUARE:
        bad = bad || HPDF_Page_Rectangle(page, x - h, y - h, 2 * h, 2 * h) ||
              HPDF_Page_Stroke(page);
        break;
    default:
        bad = bad || HPDF_Page_MoveTo(page, x - h, y - h) || HPDF_Page_LineTo(page, x + h, y - h) ||
              HPDF_Page_LineTo(page, x, y + h) || HPDF_Page_ClosePathStroke(page);
        break;
    }
    return bad;
}

static int draw_item(tlf_pdf *pdf, HPDF_Page page, const tlf_item *it, const tlf_pagenum *pn)
{
    /* plain text may go on in draw_ascii's open text object (draw_text
     * closes it when it draws through libharu); anything else closes it */
    int plain = (it->kind == TLF_ITEM_TEXT && !it->color && it->angle == 0) ||
                it->kind == TLF_ITEM_PAGENUM;
    if (!plain && end_text(pdf, page))
        return -1;
    switch (it->kind) {
    case TLF_ITEM_TEXT: {
        if (it->color) {
            if (HPDF_Page_GSave(page) != HPDF_OK ||
                HPDF_Page_SetRGBFill(page, (HPDF_REAL)((it->color >> 16) & 0xFF) / 255.0f,
                                     (HPDF_REAL)((it->color >> 8) & 0xFF) / 255.0f,
                                     (HPDF_REAL)(it->color & 0xFF) / 255.0f) != HPDF_OK)
                return -1;
        }
        int bad = it->angle != 0 ? draw_text_rot(pdf, page, it->x, it->y, it->size, it->text, it->angle)
                                 : draw_text(pdf, page, it->x, it->y, it->size, it->text);
        if (it->color && (end_text(pdf, page) || HPDF_Page_GRestore(page) != HPDF_OK))
            bad = -1;
        return bad;
    }
    case TLF_ITEM_RULE:
        return HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->size) != HPDF_OK ||
               HPDF_Page_MoveTo(page, (HPDF_REAL)it->x, (HPDF_REAL)it->y) != HPDF_OK ||
               HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + it->w), (HPDF_REAL)it->y) != HPDF_OK ||
               HPDF_Page_Stroke(page) != HPDF_OK;
    case TLF_ITEM_PAGENUM: {
        char txt[96];
        if (pn->nvolumes > 1)
            snprintf(txt, sizeof txt, "Volume %zu of %zu   Page %zu of %zu", pn->volume,
                     pn->nvolumes, pn->page, pn->total);
        else
            snprintf(txt, sizeof txt, "Page %zu of %zu", pn->page, pn->total);
        double w = measure(pdf, txt, strlen(txt), it->size);
        return draw_text(pdf, page, it->x - w, it->y, it->size, txt);
    }
    case TLF_ITEM_POLYLINE:
        return it->npts < 2 || HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->size) != HPDF_OK ||
               set_dash(page, it->style) || path(page, it) || HPDF_Page_Stroke(page) != HPDF_OK ||
               set_dash(page, TLF_DASH_SOLID);
    case TLF_ITEM_POLYGON:
        return it->npts < 3 || HPDF_Page_GSave(page) != HPDF_OK ||
               set_opacity(pdf, page, it->w) ||
               HPDF_Page_SetGrayFill(page, (HPDF_REAL)it->gray) != HPDF_OK || path(page, it) ||
               HPDF_Page_Fill(page) != HPDF_OK || HPDF_Page_GRestore(page) != HPDF_OK;
    case TLF_ITEM_MARK:
        return draw_mark(page, it);
    case TLF_ITEM_WATERMARK: {
        double w = measure(pdf, it->text, strlen(it->text), it->size);
        double a = it->angle * M_PI / 180.0;
        /* centre the text box (width w, cap height ~0.7 size) on (x, y) */
        double x0 = it->x - cos(a) * w / 2 + sin(a) * 0.35 * it->size;
        double y0 = it->y - sin(a) * w / 2 - cos(a) * 0.35 * it->size;
        int bad = HPDF_Page_GSave(page) != HPDF_OK ||
                  HPDF_Page_SetGrayFill(page, (HPDF_REAL)it->gray) != HPDF_OK ||
                  draw_text_rot(pdf, page, x0, y0, it->size, it->text, it->angle) ||
                  HPDF_Page_GRestore(page) != HPDF_OK;
        return bad;
    }
    }
    return -1;
}

static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream stream)
{
    (void)obj;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/*
 * A stream deflated here, at level 1, instead of by libharu at zlib's
 * level 6 (Z_DEFAULT_COMPRESSION, hpdf_streams.c) when the document is
 * saved: the stream then holds the compressed bytes, libharu writes them
 * as they are (filter none) and write_flate_filter names the filter,
 * which libharu would drop from the dictionary of a stream it does not
 * filter itself (hpdf_dict.c). A stream libharu would not compress, or
 * has a writer for, is left to it. Used for:
 *  - a finished page's content stream (tlf_pdf_draw_page). A listing's
 *    content streams are most of what is deflated (issue 16: a quarter of
 *    a lab listing's CPU); they are compressed by libdeflate, whole: a
 *    thousand pages of the lab listing's streams (16.5 MB) in 0.046 s
 *    against zlib's 0.085-0.09 s at its level 1 (one stream reset per
 *    page; 0.18 s with a deflateInit per page) and 0.31 s at its level 6,
 *    into 2.32 MB against zlib's 2.56 (level 1) and 1.82 MB (level 6). A
 *    volume no longer holds its pages' text uncompressed until it is
 *    saved;
 *  - each document's embedded font programs and their glyph and Unicode
 *    maps (font_before_write), which zlib deflated at every save: a fifth
 *    of the demo csr run's instructions.
 */
static int deflate_stream(tlf_pdf *pdf, HPDF_Dict dict)
{
    HPDF_Stream s = dict ? dict->stream : NULL;
    if (!s || s->type != HPDF_STREAM_MEMORY || dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE ||
        dict->write_fn)
        return 0;
    if (!pdf->deflater && !(pdf->deflater = libdeflate_alloc_compressor(1)))
        return -1;
    /* libharu keeps the stream in buffers of its own; libdeflate takes
     * the whole input at once */
    tlf_buf *in = &pdf->page_in, *out = &pdf->scratch;
    tlf_buf_reset(in);
    HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(s);
    for (HPDF_UINT i = 0; i < nbuf; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (b && len)
            tlf_buf_append(in, (const char *)b, len);
    }
    size_t bound = libdeflate_zlib_compress_bound(pdf->deflater, in->len);
    tlf_buf_reset(out);
    tlf_buf_reserve(out, bound);
    size_t n = libdeflate_zlib_compress(pdf->deflater, in->data ? in->data : "", in->len, out->data,
                                        bound);
    if (n == 0)
        return -1;   /* cannot happen with the bound's room */
    HPDF_MemStream_FreeData(s);
    HPDF_STATUS ret = HPDF_Stream_Write(s, (const HPDF_BYTE *)out->data, (HPDF_UINT)n);
    if (ret != HPDF_OK) {
        if (!pdf->error_no)
            pdf->error_no = ret;
        return -1;
    }
    dict->filter = HPDF_STREAM_FILTER_NONE;
    dict->write_fn = write_flate_filter;
    return 0;
}

static int deflate_contents(tlf_pdf *pdf, HPDF_Page page)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (!attr->contents || attr->contents->stream != attr->stream)
        return 0;
    return deflate_stream(pdf, attr->contents);
}

int tlf_pdf_draw_page(tlf_pdf *pdf, const tlf_plan *plan, size_t index, const tlf_pagenum *pn,
                      tlf_err *err)
{
    HPDF_Page page = HPDF_AddPage(pdf->doc);
    if (!page || HPDF_Page_SetWidth(page, (HPDF_REAL)plan->page_w) != HPDF_OK ||
        HPDF_Page_SetHeight(page, (HPDF_REAL)plan->page_h) != HPDF_OK)
        return hpdf_fail(pdf, err, "adding a page");
    XGROW(pdf->pages, pdf->pages_cap, pdf->npages + 1);
    pdf->pages[pdf->npages] = page;
    const tlf_page *pg = &plan->pages[index];
    /* watermarks first, so the content is drawn over them */
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < pg->n; j++) {
            const tlf_item *it = &pg->items[j];
            if ((it->kind == TLF_ITEM_WATERMARK) != (pass == 0))
                continue;
            if (draw_item(pdf, page, it, pn) || pdf->error_no)
                return hpdf_fail(pdf, err, "drawing a page");
        }
    if (end_text(pdf, page) || pdf->error_no)
        return hpdf_fail(pdf, err, "drawing a page");
    if (deflate_contents(pdf, page) || pdf->error_no)
        return hpdf_fail(pdf, err, "compressing a page");
    pdf->npages++;
    return 0;
}

int tlf_pdf_draw_plan(tlf_pdf *pdf, const tlf_plan *plan, size_t page_offset,
                      size_t page_total, tlf_err *err)
{
    if (page_total == 0)
        page_total = page_offset + plan->npages;
    for (size_t i = 0; i < plan->npages; i++) {
        tlf_pagenum pn = {page_offset + i + 1, page_total, 1, 1};
        int rc = tlf_stop_check(err);   /* a long document stops at a signal */
        if (rc == TLF_OK)
            rc = tlf_pdf_draw_page(pdf, plan, i, &pn, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* Make d [page /XYZ null top null]: the page's y = top at the window's
 * top, zoom and horizontal position as the reader has them. libharu's
 * HPDF_Destination_SetXYZ takes no null, so the array is rebuilt the way
 * that function does it, with null objects in place of left and zoom. */
static int set_xyz(tlf_pdf *pdf, HPDF_Destination d, double top)
{
    void *target = HPDF_Array_GetItem(d, 0, HPDF_OCLASS_DICT);
    if (!target)
        return -1;
    HPDF_Array_Clear(d);
    HPDF_STATUS ret = HPDF_Array_Add(d, target);
    ret += HPDF_Array_AddName(d, "XYZ");
    ret += HPDF_Array_Add(d, HPDF_Null_New(pdf->doc->mmgr));
    ret += HPDF_Array_AddReal(d, (HPDF_REAL)top);
    ret += HPDF_Array_Add(d, HPDF_Null_New(pdf->doc->mmgr));
    return ret == HPDF_OK ? 0 : -1;
}

int tlf_pdf_outline(tlf_pdf *pdf, size_t parent, size_t page_index, double top,
                    const char *title, int open, size_t *id, tlf_err *err)
{
    if (page_index >= pdf->npages || parent > pdf->noutlines)
        return tlf_err_set(err, TLF_EINTERNAL, "bookmark to page %zu of %zu under entry %zu of %zu",
                           page_index + 1, pdf->npages, parent, pdf->noutlines);
    HPDF_Outline o = HPDF_CreateOutline(pdf->doc, parent ? pdf->outlines[parent - 1] : NULL, title,
                                        HPDF_GetEncoder(pdf->doc, "UTF-8"));
    HPDF_Destination d = o ? HPDF_Page_CreateDestination(pdf->pages[page_index]) : NULL;
    if (!d || set_xyz(pdf, d, top) || HPDF_Outline_SetDestination(o, d) != HPDF_OK ||
        HPDF_Outline_SetOpened(o, open ? HPDF_TRUE : HPDF_FALSE) != HPDF_OK || pdf->error_no)
        return hpdf_fail(pdf, err, "adding a bookmark");
    XGROW(pdf->outlines, pdf->outlines_cap, pdf->noutlines + 1);
    pdf->outlines[pdf->noutlines++] = o;
    if (id)
        *id = pdf->noutlines;
    return 0;
}

int tlf_pdf_bookmark(tlf_pdf *pdf, size_t page_index, const char *title, tlf_err *err)
{
    double top = page_index < pdf->npages ? HPDF_Page_GetHeight(pdf->pages[page_index]) : 0;
    return tlf_pdf_outline(pdf, 0, page_index, top, title, 0, NULL, err);
}

int tlf_pdf_outline_plan(tlf_pdf *pdf, size_t parent, size_t first_page, const tlf_plan *plan,
                         tlf_err *err)
{
    if (plan->npages < TLF_INNER_BOOKMARK_PAGES)
        return 0;
    for (size_t i = 0; i < plan->npages; i++)
        for (size_t k = 0; k < plan->pages[i].nanchors; k++) {
            const tlf_anchor *a = &plan->pages[i].anchors[k];
            /* a little above the row, so it is not flush with the window */
            double top = a->y + 6 < plan->page_h ? a->y + 6 : plan->page_h;
            int rc = tlf_pdf_outline(pdf, parent, first_page + i, top, a->title, 0, NULL, err);
            if (rc)
                return rc;
        }
    return 0;
}

int tlf_pdf_link(tlf_pdf *pdf, size_t from_page, double x0, double y0, double x1, double y1,
                 size_t to_page, tlf_err *err)
{
    if (from_page >= pdf->npages || to_page >= pdf->npages)
        return tlf_err_set(err, TLF_EINTERNAL, "link from page %zu to page %zu of %zu",
                           from_page + 1, to_page + 1, pdf->npages);
    HPDF_Rect r = {(HPDF_REAL)x0, (HPDF_REAL)y0, (HPDF_REAL)x1, (HPDF_REAL)y1};
    HPDF_Destination d = HPDF_Page_CreateDestination(pdf->pages[to_page]);
    HPDF_Annotation a = d ? HPDF_Page_CreateLinkAnnot(pdf->pages[from_page], r, d) : NULL;
    if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK ||
        set_xyz(pdf, d, HPDF_Page_GetHeight(pdf->pages[to_page])) || pdf->error_no)
        return hpdf_fail(pdf, err, "adding a link");
    return 0;
}

size_t tlf_pdf_page_count(const tlf_pdf *pdf)
{
    return pdf->npages;
}

const char *tlf_pdf_font_dir(const tlf_pdf *pdf)
{
    return pdf->font_dir;
}

int tlf_pdf_save(tlf_pdf *pdf, const char *path, tlf_err *err)
{
    pdf->doc->pdf_version = HPDF_VER_17;
    if (pdf->noutlines && HPDF_SetPageMode(pdf->doc, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK)
        return hpdf_fail(pdf, err, "setting the page mode");
    /* The document goes to libharu's memory stream and is written here:
     * HPDF_SaveToFile reports no errno and ignores fclose's result, so a
     * full disk could leave a short file unnoticed. */
    if (HPDF_SaveToStream(pdf->doc) != HPDF_OK)
        return hpdf_fail(pdf, err, "writing the document");
    HPDF_ResetStream(pdf->doc);
    FILE *f = tlf_fault_io() ? NULL : fopen(path, "wb");
    if (!f)
        return tlf_err_set(err, TLF_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    enum { CHUNK = 1 << 16 };
    HPDF_BYTE *buf = xmalloc(CHUNK);
    int werr = 0;
    for (;;) {
        HPDF_UINT32 n = CHUNK;
        HPDF_STATUS st = HPDF_ReadFromStream(pdf->doc, buf, &n);
        if (n && fwrite(buf, 1, n, f) != n) {
            werr = errno ? errno : EIO;
            break;
        }
        if (st == HPDF_STREAM_EOF)
            break;
        if (st != HPDF_OK) {
            pdf->error_no = 0;
            fclose(f);
            free(buf);
            return tlf_err_set(err, TLF_EINTERNAL, "%s: libharu could not read back the "
                               "document (error 0x%04X)", path, (unsigned)st);
        }
    }
    free(buf);
    if (fflush(f) != 0 && !werr)
        werr = errno ? errno : EIO;
    if (fclose(f) != 0 && !werr)
        werr = errno ? errno : EIO;
    if (werr)
        return tlf_err_set(err, TLF_EOUTPUT, "cannot write %s: %s", path, strerror(werr));
    return 0;
}

int tlf_paper_size(const char *paper, int landscape, double *w, double *h, tlf_err *err)
{
    double pw, ph;
    if (strcmp(paper, "A4") == 0) {
        pw = 595.276;
        ph = 841.890;
    } else if (strcmp(paper, "letter") == 0) {
        pw = 612.0;
        ph = 792.0;
    } else {
        return tlf_err_set(err, TLF_EUSAGE, "paper size '%s' is not A4 or letter", paper);
    }
    *w = landscape ? ph : pw;
    *h = landscape ? pw : ph;
    return 0;
}
