/* test_ttcmap.c - a flattened cmap gives every code the glyph libharu's
 * own search gives, for both bundled fonts, and the font libharu then
 * makes from it (widths, CIDToGIDMap, the embedded file) is the same,
 * byte for byte, in a saved document. */
#include "testutil.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/ttcmap.h"

static void on_error(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
    (void)d;
    (void)u;
    fail_msg("libharu error 0x%04X", (unsigned)e);
}

/* A document with the font file loaded; its definition in *def. */
static HPDF_Doc load(const char *file, HPDF_FontDef *def, const char **name)
{
    char *path = test_source_path(file);
    HPDF_Doc doc = HPDF_New(on_error, NULL);
    assert_non_null(doc);
    assert_int_equal(HPDF_UseUTFEncodings(doc), HPDF_OK);
    *name = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);
    assert_non_null(*name);
    *def = HPDF_Doc_FindFontDef(doc, *name);
    assert_non_null(*def);
    free(path);
    return doc;
}

static void same_glyphs(const char *file)
{
    const char *name_a, *name_b;
    HPDF_FontDef a, b;
    HPDF_Doc da = load(file, &a, &name_a), db = load(file, &b, &name_b);
    HPDF_UINT before = ((HPDF_TTFontDefAttr)b->attr)->cmap.seg_count_x2 / 2;
    assert_true(before > 1);
    assert_int_equal(tlf_ttcmap_flatten(b), 0);
    assert_int_equal(((HPDF_TTFontDefAttr)b->attr)->cmap.seg_count_x2 / 2, 1);
    size_t nonzero = 0;
    for (unsigned u = 0; u <= 0xFFFF; u++) {
        HPDF_UINT16 ga = HPDF_TTFontDef_GetGlyphid(a, (HPDF_UINT16)u);
        HPDF_UINT16 gb = HPDF_TTFontDef_GetGlyphid(b, (HPDF_UINT16)u);
        if (ga != gb)
            fail_msg("%s: U+%04X has glyph %u, %u after flattening", file, u, ga, gb);
        nonzero += ga != 0;
    }
    assert_true(nonzero > 200);   /* the font was read: it has glyphs */

    /* the fonts libharu makes from each, drawn and saved: the same file */
    char *dir = test_tmpdir("ttcmap");
    HPDF_Doc docs[2] = {da, db};
    const char *names[2] = {name_a, name_b};
    char *out[2];
    for (int k = 0; k < 2; k++) {
        HPDF_Font f = HPDF_GetFont(docs[k], names[k], "UTF-8");
        assert_non_null(f);
        HPDF_Page p = HPDF_AddPage(docs[k]);
        assert_int_equal(HPDF_Page_SetFontAndSize(p, f, 10), HPDF_OK);
        HPDF_Page_BeginText(p);
        HPDF_Page_TextOut(p, 50, 700, "Tacrolimus 52 \xe9\x80\xb1 \xc2\xb1 0.5 mg/kg");
        HPDF_Page_EndText(p);
        HPDF_SetCompressionMode(docs[k], HPDF_COMP_ALL);
        out[k] = malloc(strlen(dir) + 16);
        sprintf(out[k], "%s/%d.pdf", dir, k);
        assert_int_equal(HPDF_SaveToFile(docs[k], out[k]), HPDF_OK);
        HPDF_Free(docs[k]);
    }
    size_t n0, n1;
    char *b0 = test_read_file(out[0], &n0), *b1 = test_read_file(out[1], &n1);
    assert_true(n0 > 1000);
    assert_int_equal(n0, n1);
    assert_memory_equal(b0, b1, n0);
    free(b0);
    free(b1);
    free(out[0]);
    free(out[1]);
    free(dir);
}

static void test_latin_font(void **state)
{
    (void)state;
    same_glyphs("fonts/LiberationSans-Regular.ttf");
}

static void test_japanese_font(void **state)
{
    (void)state;
    same_glyphs("fonts/ipaexg.ttf");
}

static void test_not_truetype_left_alone(void **state)
{
    (void)state;
    assert_int_equal(tlf_ttcmap_flatten(NULL), -1);
    HPDF_Doc doc = HPDF_New(on_error, NULL);
    HPDF_Font helv = HPDF_GetFont(doc, "Helvetica", NULL);
    assert_non_null(helv);
    HPDF_FontDef def = HPDF_GetFontDef(doc, "Helvetica");
    assert_int_equal(tlf_ttcmap_flatten(def), -1);
    HPDF_Free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin_font),
        cmocka_unit_test(test_japanese_font),
        cmocka_unit_test(test_not_truetype_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
