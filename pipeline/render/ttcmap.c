/*
 * ttcmap.c - see ttcmap.h.
 *
 * Why: libharu makes a CIDToGIDMap and a width array for each TrueType
 * font of each document by looking up the glyph of all 65,536 codes
 * (CIDFontType2_New in hpdf_font_cid.c), and each look-up
 * (HPDF_TTFontDef_GetGlyphid, hpdf_fontdef_tt.c) searches the cmap's
 * segments one by one: 126 of them in Liberation Sans, 4,996 in
 * IPAexGothic. That was a third of the demo csr run's CPU (issue 16) and
 * about a tenth of a second per document with Japanese text. Every later
 * look-up (which font draws a character, its width) gets faster too.
 */
#include "render/ttcmap.h"

#include <stdlib.h>

/* The glyph of code u as HPDF_TTFontDef_GetGlyphid (libharu 2.3.0) gives
 * it from format 4 cmap c, with seg the first segment whose end is at or
 * after u; -1 where libharu would read past its arrays. Its arithmetic,
 * unsigned wrap-around and the 16-bit result included. */
static long glyph_of(const HPDF_TTF_CmapRange *c, HPDF_UINT seg, HPDF_UINT16 u)
{
    HPDF_UINT n = c->seg_count_x2 / 2;
    if (c->start_count[seg] > u)
        return 0;
    if (c->id_range_offset[seg] == 0)
        return (HPDF_UINT16)(u + c->id_delta[seg]);
    HPDF_UINT idx = c->id_range_offset[seg] / 2 + (u - c->start_count[seg]) - (n - seg);
    if (idx > c->glyph_id_array_count)
        return 0;
    if (idx == c->glyph_id_array_count)
        return -1;   /* libharu reads one past the end: not ours to copy */
    return (HPDF_UINT16)(c->glyph_id_array[idx] + c->id_delta[seg]);
}

int tlf_ttcmap_flatten(HPDF_FontDef def)
{
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr)
        return -1;
    HPDF_TTFontDefAttr a = def->attr;
    HPDF_TTF_CmapRange *c = &a->cmap;
    HPDF_UINT n = c->seg_count_x2 / 2;
    if (c->format != 4 || n == 0 || !c->end_count || !c->start_count || !c->id_delta ||
        !c->id_range_offset)
        return -1;
    /* first[u]: the segment libharu's search stops at for u, the first
     * whose end is at or after u; codes past every end have none */
    HPDF_UINT *first = malloc(65536 * sizeof *first);
    HPDF_UINT16 *glyph = HPDF_GetMem(def->mmgr, 65536 * sizeof *glyph);
    if (!first || !glyph) {
        free(first);
        if (glyph)
            HPDF_FreeMem(def->mmgr, glyph);
        return -1;
    }
    long covered = -1;   /* codes 0..covered have their segment */
    for (HPDF_UINT i = 0; i < n; i++)
        for (; covered < (long)c->end_count[i]; covered++)
            first[covered + 1] = i;
    int ok = covered == 0xFFFF;
    for (long u = 0; ok && u <= 0xFFFF; u++) {
        long g = glyph_of(c, first[u], (HPDF_UINT16)u);
        ok = g >= 0;
        glyph[u] = (HPDF_UINT16)g;
    }
    free(first);
    HPDF_UINT16 *end = ok ? HPDF_GetMem(def->mmgr, sizeof *end) : NULL;
    HPDF_UINT16 *start = end ? HPDF_GetMem(def->mmgr, sizeof *start) : NULL;
    HPDF_INT16 *delta = start ? HPDF_GetMem(def->mmgr, sizeof *delta) : NULL;
    HPDF_UINT16 *offset = delta ? HPDF_GetMem(def->mmgr, sizeof *offset) : NULL;
    if (!offset) {
        HPDF_UINT16 *mine[] = {glyph, end, start, (HPDF_UINT16 *)delta};
        for (size_t k = 0; k < sizeof mine / sizeof mine[0]; k++)
            if (mine[k])
                HPDF_FreeMem(def->mmgr, mine[k]);
        return -1;
    }
    /* One segment 0..0xFFFF through the glyph array: with seg 0 of 1 and
     * offset 2, GetGlyphid's index is 2/2 + (u - 0) - (1 - 0) = u. */
    *end = 0xFFFF;
    *start = 0;
    *delta = 0;
    *offset = 2;
    HPDF_FreeMem(def->mmgr, c->end_count);
    HPDF_FreeMem(def->mmgr, c->start_count);
    HPDF_FreeMem(def->mmgr, c->id_delta);
    HPDF_FreeMem(def->mmgr, c->id_range_offset);
    if (c->glyph_id_array)
        HPDF_FreeMem(def->mmgr, c->glyph_id_array);
    c->seg_count_x2 = 2;
    c->end_count = end;
    c->start_count = start;
    c->id_delta = delta;
    c->id_range_offset = offset;
    c->glyph_id_array = glyph;
    c->glyph_id_array_count = 65536;
    return 0;
}
