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
#include "render/rtf.h"

#include <math.h>
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
    tlf_tcol cols[2] = {{"Statistic", TLF_ALIGN_LEFT, 0, 0}, {"TAC\n(N=25)", TLF_ALIGN_DECIMAL, 0, 0}};
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_escapes),
        cmocka_unit_test(test_table_from_geometry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
