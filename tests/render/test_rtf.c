/*
 * test_rtf.c - the RTF back end on its own: text escapes (\uN? with
 * surrogate pairs, the Japanese font for Japanese runs), and a small
 * table written from the paginator's geometry: header rows repeated
 * (\trhdr), cell edges from the layout's column widths, the PDF's rules
 * as borders, decimal cells on the layout's anchors, landscape sections.
 */
#include "testutil.h"

#include "core/mem.h"
#include "layout/paginate.h"
#include "render/pdf.h"
#include "render/raster.h"
#include "render/rtf.h"

#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

static char *esc(const char *s)
{
    tlf_buf b = TLF_BUF_INIT;
    tlf_rtf_text(&b, s, strlen(s));
    char *r = tlf_buf_detach(&b);
    return r ? r : xstrdup("");
}

static void test_text_escapes(void **state)
{
    (void)state;
    char *s = esc("a\\b{c}");
    assert_string_equal(s, "a\\\\b\\{c\\}");
    free(s);
    s = esc("\xC3\xA9 \xE2\x89\xA4 5");          /* e-acute, less-or-equal */
    assert_string_equal(s, "\\u233? \\u8804? 5");
    free(s);
    s = esc("two\nlines\ttab");
    assert_string_equal(s, "two\\line lines\\tab tab");
    free(s);
    /* Japanese in the Japanese font; U+808E = 32910 > 32767 is written signed */
    s = esc("AE \xE8\x82\x8E\xE7\x82\x8E end");
    assert_string_equal(s, "AE {\\f1\\hich\\af1\\dbch\\af1\\loch\\f1 \\u-32626?\\u28814?} end");
    free(s);
    /* beyond the BMP: U+1F600 as the surrogate pair D83D DE00 */
    s = esc("\xF0\x9F\x98\x80");
    assert_string_equal(s, "\\u-10179?\\u-8704?");
    free(s);
}

/* A two-column table with a decimal column, laid out with the PDF's real
 * font metrics, written as RTF. */
static void test_table_from_geometry(void **state)
{
    (void)state;
    tlf_pdf *pdf = NULL;
    tlf_err err;
    assert_int_equal(tlf_pdf_new(&pdf, NULL, &err), 0);
    tlf_table tab;
    memset(&tab, 0, sizeof tab);
    tab.kind = TLF_TPL_TABLE;
    tab.number = "Table 9.9";
    char *titles[] = {"A small table"};
    tab.titles = titles;
    tab.ntitles = 1;
    char *notes[] = {"[a] A footnote."};
    tab.footnotes = notes;
    tab.nfootnotes = 1;
    tlf_tcol cols[2] = {{.header = "Statistic", .align = TLF_ALIGN_LEFT},
                        {.header = "TAC\n(N=25)", .align = TLF_ALIGN_DECIMAL}};
    tab.cols = cols;
    tab.ncols = 2;
    char *r0[] = {"n (%)", "3 (12.0)"}, *r1[] = {"Deaths", "22 (88.0)"}, *r2[] = {"Mean", "NA"};
    tlf_trow rows[3] = {{r0, 0, 0, 1}, {r1, 1, 0, 0}, {r2, 0, 1, 0}};
    tab.rows = rows;
    tab.nrows = 3;
    tlf_page_setup ps = {841.89, 595.276, 20.0 * 72 / 25.4, 9};
    tlf_table_geom *g = NULL;
    assert_int_equal(tlf_table_geometry(&g, &tab, &ps, tlf_pdf_measurer(pdf), &err), 0);
    assert_int_equal(g->npanels, 1);
    const tlf_panel_geom *pg = &g->panels[0];
    assert_int_equal(pg->ncols, 2);
    /* the decimal cells have pieces; "NA" (no number) is drawn whole */
    assert_int_equal(pg->cells[0 * 2 + 1].npieces, 4);
    assert_int_equal(pg->cells[2 * 2 + 1].npieces, 0);
    /* "3" starts further right than "22": both end on one anchor */
    const tlf_piece *a = &pg->cells[1].pieces[0], *b = &pg->cells[3].pieces[0];
    assert_true(a->x > b->x);
    assert_true(fabs((a->x + a->w) - (b->x + b->w)) < 1e-9);

    tlf_render_ctx ctx = {"STUDY", "P-1", "run1", "abcdef0123", "2026-01-01", "SOFT LOCK",
                          "tlfgen 0", 1, NULL};
    tlf_rtf_info info = {"A small table", "Table 9.9", "STUDY", "tlfgen 0", "2026-02-03"};
    tlf_buf out = TLF_BUF_INIT;
    assert_int_equal(tlf_rtf_write(&out, &tab, g, NULL, &ps, &ctx, &info, &err), 0);
    const char *s = tlf_buf_cstr(&out);
    assert_true(strncmp(s, "{\\rtf1\\ansi", 11) == 0);
    assert_non_null(strstr(s, "\\lndscpsxn\\pgwsxn16838\\pghsxn11906"));
    assert_non_null(strstr(s, "Liberation Sans{\\*\\falt Arial}"));
    assert_non_null(strstr(s, "{\\creatim\\yr2026\\mo2\\dy3\\hr0\\min0}"));
    assert_non_null(strstr(s, "{\\field{\\*\\fldinst PAGE }"));
    assert_non_null(strstr(s, "{\\field{\\*\\fldinst NUMPAGES }"));
    assert_non_null(strstr(s, "\\tab DRAFT\\tab"));
    /* header row repeated, top rule 0.75 pt and header rule 0.5 pt */
    assert_non_null(strstr(s, "\\trhdr"));
    assert_non_null(strstr(s, "\\clbrdrt\\brdrs\\brdrw15\\clbrdrb\\brdrs\\brdrw10"));
    /* cell edges: each column's right edge plus half the gap, in twips */
    char edge[64];
    snprintf(edge, sizeof edge, "\\cellx%ld", lround((pg->x[1] + pg->w[1] + g->gap / 2) * 20));
    assert_non_null(strstr(s, edge));
    /* the decimal cell: tab stop at the layout's x of "3", then the text */
    char stop[64];
    snprintf(stop, sizeof stop, "\\tx%ld\\ql\\keepn \\tab 3 (12.0)\\cell", lround(a->x * 20));
    assert_non_null(strstr(s, stop));
    /* indentation of level 1 (Deaths) from the layout */
    char li[32];
    snprintf(li, sizeof li, "\\li%ld Deaths", lround(g->indent * 20));
    assert_non_null(strstr(s, li));
    /* the last body row carries the foot rule (0.75 pt) */
    assert_non_null(strstr(s, "\\clbrdrb\\brdrs\\brdrw15\\clvertalt"));
    assert_non_null(strstr(s, "[a] A footnote.\\par"));
    assert_non_null(strstr(s, "Source: run run1 | database sha256 abcdef01 |"));
    tlf_buf_free(&out);
    tlf_table_geom_free(g);
    tlf_pdf_free(pdf);
}

/* A table too wide for the page: one RTF table per column panel of the
 * layout, the key column in each, later panels on a new page headed
 * "(continued)"; a picture instead of a body for a figure. */
static void test_panels_and_picture(void **state)
{
    (void)state;
    tlf_pdf *pdf = NULL;
    tlf_err err;
    assert_int_equal(tlf_pdf_new(&pdf, NULL, &err), 0);
    tlf_table tab;
    memset(&tab, 0, sizeof tab);
    tab.kind = TLF_TPL_LISTING;
    tab.number = "Listing 9.9";
    enum { NC = 9 };
    tlf_tcol cols[NC];
    char *cells[NC], heads[NC][16];
    for (int c = 0; c < NC; c++) {
        snprintf(heads[c], sizeof heads[c], "Column%d", c);
        cols[c] = (tlf_tcol){.header = heads[c], .align = TLF_ALIGN_LEFT, .key = c == 0};
        cells[c] = c == 0 ? "SUBJ-001" : "Supercalifragilisticexpialidocious-and-more";
    }
    tab.cols = cols;
    tab.ncols = NC;
    tlf_trow row = {cells, 0, 0, 0};
    tab.rows = &row;
    tab.nrows = 1;
    tlf_page_setup ps = {595.276, 841.89, 20.0 * 72 / 25.4, 9};
    tlf_table_geom *g = NULL;
    assert_int_equal(tlf_table_geometry(&g, &tab, &ps, tlf_pdf_measurer(pdf), &err), 0);
    assert_true(g->npanels >= 2);
    tlf_render_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    tlf_buf out = TLF_BUF_INIT;
    assert_int_equal(tlf_rtf_write(&out, &tab, g, NULL, &ps, &ctx, NULL, &err), 0);
    const char *s = tlf_buf_cstr(&out);
    size_t subj = 0, cont = 0;
    for (const char *p = s; (p = strstr(p, "SUBJ-001\\cell")) != NULL; p++)
        subj++;
    for (const char *p = s; (p = strstr(p, "\\pagebb Listing 9.9 (continued)\\par")) != NULL; p++)
        cont++;
    assert_int_equal(subj, g->npanels);
    assert_int_equal(cont, g->npanels - 1);
    assert_null(strstr(s, "\\lndscpsxn"));     /* portrait */
    tlf_buf_free(&out);
    tlf_table_geom_free(g);

    /* a figure: the picture with its size, the title and foot rules */
    unsigned char png[24] = {0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                             0, 0, 0x07, 0xD0, 0, 0, 0x03, 0xE8};   /* 2000 x 1000 */
    tlf_rtf_picture pic = {png, sizeof png, 720, 360};
    tab.kind = TLF_TPL_FIGURE;
    tab.nrows = 0;
    assert_int_equal(tlf_rtf_write(&out, &tab, NULL, &pic, &ps, &ctx, NULL, &err), 0);
    s = tlf_buf_cstr(&out);
    /* shown 4 lines (4 x 1.22 x 9 pt) lower, same aspect ratio */
    double h = 360 - 4 * 1.22 * 9, w = 720 * h / 360;
    char want[96];
    snprintf(want, sizeof want, "{\\pict\\pngblip\\picw2000\\pich1000\\picwgoal%ld\\pichgoal%ld\n",
             lround(w * 20), lround(h * 20));
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "89504e470d0a1a0a"));
    assert_non_null(strstr(s, "\\brdrb\\brdrs\\brdrw15"));
    assert_non_null(strstr(s, "\\brdrt\\brdrs\\brdrw15"));
    assert_null(strstr(s, "\\trowd"));
    tlf_buf_free(&out);
    assert_int_equal(tlf_rtf_write(&out, &tab, NULL, NULL, &ps, &ctx, NULL, &err), TLF_EUSAGE);
    tlf_buf_free(&out);
    tlf_pdf_free(pdf);
}

/* Decode a greyscale PNG (libpng's simplified API) into *px, w x h. */
static void decode_png(const tlf_buf *png, unsigned char **px, unsigned *w, unsigned *h)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&im, png->data, png->len));
    im.format = PNG_FORMAT_GRAY;
    *px = xmalloc(PNG_IMAGE_SIZE(im));
    assert_true(png_image_finish_read(&im, NULL, *px, 0, NULL));
    *w = im.width;
    *h = im.height;
}

/* A plan region rasterised: a black square, a 50% grey band at half
 * opacity, a line, text; pixels where the PDF would put them; the same
 * bytes twice. 72 dpi: one pixel per point. */
static void test_plan_png(void **state)
{
    (void)state;
    tlf_plan *plan = tlf_plan_new(200, 100);
    tlf_page *pg = tlf_plan_add_page(plan);
    double sq[] = {10, 10, 30, 10, 30, 30, 10, 30};
    tlf_page_polygon(pg, sq, 4, 0.0, 1.0);            /* black, opaque */
    double band[] = {40, 10, 60, 10, 60, 30, 40, 30};
    tlf_page_polygon(pg, band, 4, 0.0, 0.5);          /* black at 50%: mid grey */
    tlf_page_line(pg, 70, 20, 120, 20, 2.0, TLF_DASH_SOLID);
    tlf_page_text(pg, 130, 15, 30, 20, "Ab", 2, -1, -1);
    tlf_page_rule(pg, 0, 50, 200, 1.0);               /* frame rule: not drawn */
    tlf_buf a = TLF_BUF_INIT, b = TLF_BUF_INIT;
    tlf_err err;
    assert_int_equal(tlf_plan_png(&a, plan, 0, 0, 0, 200, 100, 72, NULL, &err), 0);
    assert_int_equal(tlf_plan_png(&b, plan, 0, 0, 0, 200, 100, 72, NULL, &err), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    unsigned char *px;
    unsigned w, h;
    decode_png(&a, &px, &w, &h);
    assert_int_equal(w, 200);
    assert_int_equal(h, 100);
#define PX(x, y) px[(size_t)(99 - (y)) * w + (x)]   /* plan y grows upwards */
    assert_int_equal(PX(20, 20), 0);                 /* inside the square   */
    assert_int_equal(PX(5, 20), 255);                /* outside             */
    assert_true(abs(PX(50, 20) - 128) <= 2);         /* half-opaque band    */
    assert_int_equal(PX(95, 19), 0);                 /* the 2 pt line       */
    assert_int_equal(PX(95, 24), 255);
    assert_int_equal(PX(100, 50), 255);              /* no rule             */
    size_t dark = 0;                                 /* "Ab" at 20 pt       */
    for (unsigned y = 15; y < 35; y++)
        for (unsigned x = 130; x < 160; x++)
            dark += PX(x, y) < 128;
    assert_true(dark > 40);
#undef PX
    free(px);
    /* a region off the page content is white; a bad region is an error */
    tlf_buf c = TLF_BUF_INIT;
    assert_int_equal(tlf_plan_png(&c, plan, 0, 10, 10, 10, 20, 72, NULL, &err), TLF_EUSAGE);
    assert_int_equal(tlf_plan_png(&c, plan, 0, 0, 0, 10, 10, 72, "/nonexistent", &err), TLF_EINPUT);
    tlf_buf_free(&a);
    tlf_buf_free(&b);
    tlf_buf_free(&c);
    tlf_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_escapes),
        cmocka_unit_test(test_table_from_geometry),
        cmocka_unit_test(test_panels_and_picture),
        cmocka_unit_test(test_plan_png),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
