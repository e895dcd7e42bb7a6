/* test_render.c - tables and listings rendered to PDF and checked with
 * poppler (pdftotext, pdffonts, pdfinfo) and qpdf: text order, Japanese
 * extracted back, page counts, "(continued)" and repeated headers, fonts
 * embedded, a clean file, decimal alignment (from the page plan), no
 * truncation of wrapped listing text, byte-identical renders, column
 * panels for a too-wide table. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/table.h"
#include "render/output.h"
#include "render/volume.h"

#define FX "tests/fixtures/layout/"
#define CTX "--study IMPPACT --protocol IMP-TAC-01 --run-id 3f9a1c2b7d10 " \
            "--db-sha256 9b1e02c4d00d --cutoff 2014-12-31 --db-status 'HARD LOCK'"

static char *src(const char *rel)
{
    return test_source_path(rel);
}

/* Build the listing fixture database in dir; returns its path. */
static char *make_adam(const char *dir)
{
    char *sql = src(FX "adae.sql");
    char *db = malloc(strlen(dir) + 20);
    sprintf(db, "%s/adam.sqlite", dir);
    run_result r = run_sh("rm -f '%s' && sqlite3 '%s' < '%s'", db, db, sql);
    if (r.status)
        fail_msg("sqlite3: %s", r.err);
    run_result_free(&r);
    free(sql);
    return db;
}

static run_result render(const char *args, const char *out)
{
    return run_tlfgen("render %s " CTX " --out '%s'", args, out);
}

static void must(run_result *r, const char *what)
{
    if (r->status)
        fail_msg("%s failed (%d): %s", what, r->status, r->err);
}


/* qpdf --check is clean, every font embedded, poppler prints no warning,
 * PDF 1.7, not encrypted. */

/* pos of each needle in order inside hay; fails when one is out of order. */
static void in_order(const char *hay, const char *const *needles, size_t n)
{
    const char *p = hay;
    for (size_t i = 0; i < n; i++) {
        const char *q = strstr(p, needles[i]);
        if (!q)
            fail_msg("'%s' missing or out of order in:\n%s", needles[i], hay);
        p = q + strlen(needles[i]);
    }
}

/* Render fixture template tpl_name with the fixture ARD into dir/out_name
 * (extra: more options), check the file, return its path (caller frees). */
static char *render_fixture(const char *dir, const char *tpl_name, const char *out_name,
                            const char *extra)
{
    char rel[256];
    snprintf(rel, sizeof rel, FX "%s", tpl_name);
    char *tpl = src(rel), *ard = src(FX "ard.csv");
    char *out = malloc(strlen(dir) + strlen(out_name) + 2);
    sprintf(out, "%s/%s", dir, out_name);
    char args[2048];
    snprintf(args, sizeof args, "--template '%s' --ard '%s' %s", tpl, ard, extra);
    run_result r = render(args, out);
    must(&r, "render");
    run_result_free(&r);
    test_check_pdf(out);
    free(tpl);
    free(ard);
    return out;
}

/* The first of needle's bytes in hay[0..n), NULL when none (a PDF holds
 * binary streams: not a C string). */
static const char *find_bytes(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static void test_summary_table(void **state)
{
    (void)state;
    char *dir = test_tmpdir("render_summary");
    char *out = render_fixture(dir, "t_summary.json", "summary.pdf", "--date 2014-12-31");
    assert_int_equal(test_pdf_pages(out), 1);
    run_result t = run_sh("pdftotext -layout '%s' -", out);
    must(&t, "pdftotext");
    const char *order[] = {"IMPPACT", "Protocol IMP-TAC-01", "Page 1 of 1", "Table 14.2.1.1",
                           "Overall survival up to week 52", "Full Analysis Set", "TAC", "HC",
                           "(N=25)", "(N=16)", "Age (years)", "n", "25", "16", "Mean (SD)",
                           "1.01 (0.13)", "10.25 (3.05)", "Median", "2.68", "9.50", "Min, Max",
                           "-1, 12.0", "1, 101.8", "88.0 (67.3, 96.0)", "56.3 (29.4, 76.0)",
                           "NE", "301", "<0.001", "0.043",
                           "Not estimable: no events in the HC arm",
                           "( ) \\ and 日本語 (Japanese)",
                           "Source: run 3f9a1c2b7d10 | database sha256 9b1e02c4 | cut-off 2014-12-31 | HARD LOCK | tlfgen"};
    in_order(t.out, order, sizeof order / sizeof order[0]);
    assert_null(strstr(t.out, "nan"));
    assert_null(strstr(t.out, "inf"));
    run_result_free(&t);
    run_result d = run_sh("pdfinfo '%s'", out);
    assert_non_null(strstr(d.out, "CreationDate:    Wed Dec 31 00:00:00 2014"));
    run_result_free(&d);
    /* both embedded font programs (Latin and, for the Japanese, IPAex)
     * deflated by tlfgen (pdf.c deflate_stream, which names the filter
     * itself) rather than by libharu at save (`/Filter [ /FlateDecode ]`);
     * qpdf --check above decoded them */
    size_t n = 0;
    char *bytes = test_read_file(out, &n);
    assert_non_null(bytes);
    int fonts = 0;
    for (const char *p = bytes; (p = find_bytes(p, n - (size_t)(p - bytes), "/Length1 ")) != NULL;
         p += 9) {
        const char *end = find_bytes(p, n - (size_t)(p - bytes), ">>");
        assert_non_null(end);
        assert_non_null(find_bytes(p, (size_t)(end - p), "/Filter /FlateDecode\n"));
        fonts++;
    }
    assert_int_equal(fonts, 2);
    free(bytes);
    free(out);
    free(dir);
}

/* Plan an output through the library, with the document's metrics. */
static tlf_plan *plan_of(const char *tpl_rel, const char *adam, tlf_table **tab_out)
{
    char *tpl = tpl_rel[0] == '/' ? strdup(tpl_rel) : src(tpl_rel), *ardp = src(FX "ard.csv");
    tlf_template *t = NULL;
    tlf_ard *ard = NULL;
    tlf_pdf *pdf = NULL;
    tlf_plan *plan = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_render_ctx ctx = {"IMPPACT", "IMP-TAC-01", "r", "s", "c", "HARD LOCK", "tlfgen", 0, NULL};
    if (tlf_template_load(&t, tpl, &err) || tlf_ard_read(&ard, ardp, &err) ||
        tlf_pdf_new(&pdf, NULL, &err) ||
        tlf_output_plan(&plan, pdf, t, ard, adam, &ctx, NULL, &err))
        fail_msg("%s", err.msg);
    if (tab_out && ((t->kind == TLF_TPL_TABLE && tlf_table_from_ard(tab_out, t, ard, &err)) ||
                    (t->kind == TLF_TPL_LISTING && tlf_table_from_dataset(tab_out, t, adam, &err))))
        fail_msg("%s", err.msg);
    tlf_pdf_free(pdf);
    tlf_ard_free(ard);
    tlf_template_free(t);
    free(tpl);
    free(ardp);
    return plan;
}

/* In decimal column col, the first '.'-led piece of each row starts at one
 * x, and integer-only cells end at one x. */
static void check_decimal_column(const tlf_plan *plan, int col, int integers)
{
    double x_ref = NAN;
    size_t checked = 0;
    for (size_t p = 0; p < plan->npages; p++) {
        int last_row = -1;
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->kind != TLF_ITEM_TEXT || it->col != col || it->row == last_row)
                continue;
            double x;
            if (integers) {
                x = it->x + it->w;     /* right edge of the count */
            } else if (it->text[0] == '.') {
                x = it->x;             /* the decimal point */
            } else {
                continue;
            }
            last_row = it->row;
            if (isnan(x_ref))
                x_ref = x;
            if (fabs(x - x_ref) > 0.01)
                fail_msg("column %d row %d ('%s'): x %.3f, others %.3f", col, it->row, it->text,
                         x, x_ref);
            checked++;
        }
    }
    assert_true(checked > 20);
}

static void test_ae_table_pages(void **state)
{
    (void)state;
    tlf_table *tab = NULL;
    tlf_plan *plan = plan_of(FX "t_ae_soc_pt.json", NULL, &tab);
    assert_true(plan->npages >= 2);
    check_decimal_column(plan, 1, 0);   /* n (%) on the percentage's point */
    check_decimal_column(plan, 3, 0);
    check_decimal_column(plan, 2, 1);   /* events: integers right-aligned */
    /* no page ends with a SOC heading alone; a SOC that continues repeats
     * its name with "(continued)"; every page repeats the column headers */
    for (size_t p = 0; p < plan->npages; p++) {
        int last = -1, first = -1, headers = 0;
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->kind == TLF_ITEM_TEXT && it->row >= 0) {
                if (first < 0)
                    first = it->row;
                last = it->row;
            }
            if (it->kind == TLF_ITEM_TEXT && it->row < 0 &&
                (strcmp(it->text, "Events") == 0 || strcmp(it->text, "TAC (N=25)") == 0))
                headers++;
        }
        assert_int_equal(headers, 3);
        assert_true(last >= 0);
        if (tab->rows[last].group_head && p + 1 < plan->npages)
            fail_msg("page %zu ends with the group heading '%s'", p + 1, tab->rows[last].cells[0]);
        if (p > 0 && tab->rows[first].group == tab->rows[first - 1].group) {
            int seen = 0;
            for (size_t i = 0; i < plan->pages[p].n; i++)
                if (plan->pages[p].items[i].text && strstr(plan->pages[p].items[i].text, "(continued)") &&
                    plan->pages[p].items[i].row >= 0)
                    seen = 1;
            assert_true(seen);
        }
    }
    tlf_table_free(tab);
    tlf_plan_free(plan);

    char *dir = test_tmpdir("render_ae");
    char *out = render_fixture(dir, "t_ae_soc_pt.json", "ae.pdf", "");
    int n = test_pdf_pages(out);
    assert_true(n >= 2);
    for (int p = 1; p <= n; p++) {
        run_result t = run_sh("pdftotext -layout -f %d -l %d '%s' -", p, p, out);
        char want[64];
        snprintf(want, sizeof want, "Page %d of %d", p, n);
        const char *order[] = {want, p > 1 ? "Table 14.3.1.2 (continued)" : "Table 14.3.1.2",
                               "TAC (N=25)", "HC (N=16)", "System organ class",
                               "Preferred term", "n (%)", "Events"};
        in_order(t.out, order, sizeof order / sizeof order[0]);
        run_result_free(&t);
    }
    free(out);
    free(dir);
}

static void test_ae_listing(void **state)
{
    (void)state;
    char *dir = test_tmpdir("render_listing");
    char *adam = make_adam(dir);
    tlf_table *tab = NULL;
    tlf_plan *plan = plan_of(FX "t_ae_listing.json", adam, &tab);
    assert_int_equal(tab->nrows, 500);
    /* wrapped, never truncated: the pieces of each verbatim term put
     * together give the whole term (spaces at line breaks dropped) */
    char **joined = calloc(tab->nrows, sizeof *joined);
    for (size_t p = 0; p < plan->npages; p++)
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->col != 2 || it->row < 0)
                continue;
            char *old = joined[it->row];
            joined[it->row] = malloc((old ? strlen(old) : 0) + strlen(it->text) + 1);
            sprintf(joined[it->row], "%s%s", old ? old : "", it->text);
            free(old);
        }
    for (size_t r = 0; r < tab->nrows; r++) {
        char want[1024];
        size_t k = 0;
        for (const char *s = tab->rows[r].cells[2]; *s; s++)
            if (*s != ' ')
                want[k++] = *s;
        want[k] = '\0';
        char got[1024];
        k = 0;
        for (const char *s = joined[r] ? joined[r] : ""; *s; s++)
            if (*s != ' ')
                got[k++] = *s;
        got[k] = '\0';
        assert_string_equal(got, want);
        free(joined[r]);
    }
    free(joined);
    /* the 45-event subject continues over pages: the first row of each
     * continuation page shows the subject again with "(continued)" */
    int continued = 0;
    for (size_t p = 1; p < plan->npages; p++) {
        int first_row = -1;
        char cell[256] = "";
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->row < 0 || it->col != 0)
                continue;
            if (first_row < 0)
                first_row = it->row;
            if (it->row == first_row)
                snprintf(cell + strlen(cell), sizeof cell - strlen(cell), "%s%s", *cell ? " " : "", it->text);
        }
        assert_true(first_row >= 0);
        assert_non_null(strstr(cell, tab->rows[first_row].cells[0]));   /* key repeated */
        if (first_row > 0 && tab->rows[first_row - 1].group == tab->rows[first_row].group) {
            char want[128];
            snprintf(want, sizeof want, "%s (continued)", tab->rows[first_row].cells[0]);
            assert_string_equal(cell, want);
            continued++;
        }
    }
    assert_true(continued >= 1);
    tlf_table_free(tab);
    size_t npages = plan->npages;
    tlf_plan_free(plan);

    char *tpl = src(FX "t_ae_listing.json");
    char out[512], out2[512], args[2048];
    snprintf(out, sizeof out, "%s/listing.pdf", dir);
    snprintf(out2, sizeof out2, "%s/listing2.pdf", dir);
    snprintf(args, sizeof args, "--template '%s' --adam '%s'", tpl, adam);
    run_result r = run_tlfgen("render %s " CTX " --out '%s'", args, out);
    must(&r, "render");
    run_result_free(&r);
    test_check_pdf(out);
    assert_int_equal(test_pdf_pages(out), (int)npages);
    run_result t = run_sh("pdftotext -layout '%s' -", out);
    must(&t, "pdftotext");
    assert_non_null(strstr(t.out, "サイトメガロウイルス感染"));
    assert_non_null(strstr(t.out, "帯状疱疹 (Herpes zoster) mixed 日本語 and"));
    assert_non_null(strstr(t.out, "insulin \\ sliding scale"));
    assert_non_null(strstr(t.out, "2013-"));
    assert_non_null(strstr(t.out, "[D]"));
    /* every page repeats headers and shows a subject id */
    int pages_with_header = 0;
    for (const char *p = t.out; (p = strstr(p, "Verbatim term (as reported)")); p++)
        pages_with_header++;
    assert_int_equal(pages_with_header, (int)npages);
    run_result_free(&t);
    for (size_t p = 1; p <= npages; p++) {
        run_result pg = run_sh("pdftotext -layout -f %zu -l %zu '%s' - | grep -c 'IMP-TAC-0'", p, p, out);
        if (atoi(pg.out) < 1)
            fail_msg("page %zu shows no subject id", p);
        run_result_free(&pg);
    }
    /* byte-identical second render (dates from SOURCE_DATE_EPOCH) */
    run_result a = run_sh("SOURCE_DATE_EPOCH=1419984000 %s render %s " CTX " --out '%s' && "
                          "SOURCE_DATE_EPOCH=1419984000 %s render %s " CTX " --out '%s' && cmp '%s' '%s'",
                          TLFGEN_BIN, args, out, TLFGEN_BIN, args, out2, out, out2);
    must(&a, "two renders byte-identical");
    run_result_free(&a);
    free(tpl);
    free(adam);
    free(dir);
}

/* A table too wide for the page splits into column panels that each
 * repeat the key (row label) column; pages follow panel by panel. */
static void test_wide_table_panels(void **state)
{
    (void)state;
    char *dir = test_tmpdir("panels");
    char path[512];
    snprintf(path, sizeof path, "%s/wide.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"type\":\"table\",\"number\":\"14.9\",\"titles\":[\"Wide\"],\"columns\":["
          "{\"id\":\"label\",\"header\":\"Statistic\"}", f);
    const int ncols = 24;
    for (int i = 0; i < ncols; i++)
        fprintf(f, ",{\"id\":\"c%d\",\"header\":\"Visit %d %s\",\"align\":\"decimal\","
                   "\"select\":{\"group_level\":\"%s\"}}",
                i, i + 1, i % 2 ? "HC" : "TAC", i % 2 ? "HC" : "TAC");
    fputs("],\"rows\":[{\"label\":\"n\",\"select\":{\"analysis_id\":\"age_summary\"},\"format\":\"{n}\"},"
          "{\"label\":\"Mean (SD)\",\"select\":{\"analysis_id\":\"age_summary\"},"
          "\"format\":\"{mean:2} ({sd:2})\"}]}", f);
    fclose(f);
    tlf_plan *plan = plan_of(path, NULL, NULL);
    assert_true(plan->npages >= 2);
    int seen[32] = {0};
    for (size_t p = 0; p < plan->npages; p++) {
        int label = 0, cols = 0, pseen[32] = {0};
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->kind == TLF_ITEM_TEXT && it->col == 0 && strcmp(it->text, "Mean (SD)") == 0)
                label = 1;
            if (it->kind == TLF_ITEM_TEXT && it->col > 0 && !pseen[it->col]) {
                pseen[it->col] = 1;
                cols++;
                seen[it->col]++;
            }
            /* nothing is drawn beyond the right margin */
            if (it->kind == TLF_ITEM_TEXT)
                assert_true(it->x + it->w <= plan->page_w - 19.0 * 72 / 25.4 + 0.01);
        }
        assert_true(label);          /* the key column repeats in every panel */
        assert_true(cols >= 1 && cols < ncols);
    }
    for (int c = 1; c <= ncols; c++)
        assert_int_equal(seen[c], 1);   /* each value column in exactly one panel */
    tlf_plan_free(plan);
    free(dir);
}

/* 1 when files a and b hold the same bytes. */
static int same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *da = test_read_file(a, &na), *db = test_read_file(b, &nb);
    int same = da && db && na == nb && memcmp(da, db, na) == 0;
    free(da);
    free(db);
    return same;
}

/* Draw plan into path, the ASCII text written by tlfgen (direct 1) or all
 * text through libharu's operators (0). */
static void draw_to(const tlf_plan *plan, const char *path, int direct)
{
    tlf_pdf *pdf = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_pdf_info info = {"t", "s", "a", "tlfgen", "2014-12-31"};
    if (tlf_pdf_new(&pdf, NULL, &err))
        fail_msg("%s", err.msg);
    tlf_pdf_direct_text(pdf, direct);
    if (tlf_pdf_set_info(pdf, &info, &err) || tlf_pdf_draw_plan(pdf, plan, 0, 0, &err) ||
        tlf_pdf_save(pdf, path, &err))
        fail_msg("%s", err.msg);
    tlf_pdf_free(pdf);
}

/* 1 when cmd (its "%s": the PDF, then an output file or prefix) makes
 * the same files, all pages, for PDFs a and b; tag names its outputs in
 * dir. */
static int same_output(const char *cmd, const char *tag, const char *a, const char *b,
                       const char *dir)
{
    char out[2][512], all[2][600];
    const char *pdf[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        snprintf(out[i], sizeof out[i], "%s/%s_%d", dir, tag, i);
        snprintf(all[i], sizeof all[i], "%s/%s_%d.all", dir, tag, i);
        run_result r = run_sh(cmd, pdf[i], out[i]);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
        r = run_sh("cat '%s'* > '%s'", out[i], all[i]);
        assert_int_equal(r.status, 0);
        run_result_free(&r);
    }
    size_t n = 0;
    free(test_read_file(all[0], &n));
    return n > 0 && same_file(all[0], all[1]);
}

/* The ASCII text tlfgen writes to the content stream draws what libharu's
 * operators draw, in fewer bytes and text objects: the same text back
 * (in content-stream order, -raw; poppler's reading order and -layout
 * spacing heuristics look at text object bounds) and the same pixels
 * for a listing's pages (drawn with another document's metrics, as
 * listing volumes are) and the edge cases: empty, spaces only, a control
 * character, parentheses and a backslash, coloured (q/Q around its Tf),
 * non-ASCII and over 16 KB (these two through libharu in both), a draft
 * watermark. */
static void test_direct_text_same_drawing(void **state)
{
    (void)state;
    char *dir = test_tmpdir("render_direct");
    char *adam = make_adam(dir);
    tlf_plan *plan = plan_of(FX "t_ae_listing.json", adam, NULL);
    tlf_page *pg = tlf_plan_add_page(plan);
    static const char *texts[] = {"", "   ", "Plain ASCII 1.5 (34)", "a\tb\rc", "(x) \\ y)",
                                  "Grade \xe2\x89\xa5" "3", "x", "after colour"};
    double y = 500;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++, y -= 12)
        tlf_page_text(pg, 60.5, y, 100, 9, texts[i], strlen(texts[i]), 0, (int)i);
    pg->items[pg->n - 2].color = 0x0645ADu;
    char *big = malloc(20001);
    memset(big, 'W', 20000);
    big[20000] = '\0';
    tlf_page_text(pg, 10, 40, 100, 9, big, 20000, 0, 9);
    free(big);
    tlf_page_pagenum(pg, 700, 20, 8);
    tlf_plan_watermark(plan, "DRAFT");
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/libharu.pdf", dir);
    snprintf(b, sizeof b, "%s/direct.pdf", dir);
    draw_to(plan, a, 0);
    draw_to(plan, b, 1);
    test_check_pdf(b);
    assert_true(same_output("pdftotext -raw '%s' '%s'", "text", a, b, dir));
    assert_true(same_output("pdftoppm -r 100 -gray '%s' '%s'", "pixels", a, b, dir));
    size_t na = 0, nb = 0;
    free(test_read_file(a, &na));
    free(test_read_file(b, &nb));
    assert_true(nb < na);
    /* a run of ASCII cells shares one text object, each cell placed by a
     * relative Td: far fewer BT than Tj (libharu: one BT a cell or more) */
    int bt[2], tj[2];
    const char *pdfs[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        run_result r = run_sh("qpdf --qdf --object-streams=disable '%s' - | tr -d '\r' | "
                              "awk '/^BT$/ {b++} / Tj$/ {t++} END {print b + 0, t + 0}'",
                              pdfs[i]);
        assert_int_equal(r.status, 0);
        assert_int_equal(sscanf(r.out, "%d %d", &bt[i], &tj[i]), 2);
        run_result_free(&r);
    }
    assert_true(tj[1] > 20);
    assert_true(bt[1] * 4 < tj[1] && bt[1] * 4 < bt[0]);
    tlf_plan_free(plan);
    free(adam);
    free(dir);
}

/* A combined volume drawn from plans made beforehand (as the run hands
 * it its outputs' plans) is the same file as one that lays them out. */
static void test_volume_given_plans(void **state)
{
    (void)state;
    char *dir = test_tmpdir("render_volume_plans");
    char *adam = make_adam(dir);
    const char *names[] = {FX "t_summary.json", FX "t_ae_listing.json"};
    tlf_template *tpls[2] = {NULL, NULL};
    tlf_plan *plans[2] = {NULL, NULL};
    tlf_ard *ard = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    char *ardp = src(FX "ard.csv");
    if (tlf_ard_read(&ard, ardp, &err))
        fail_msg("%s", err.msg);
    tlf_render_ctx ctx = {"IMPPACT", "IMP-TAC-01", "r", "s", "c", "HARD LOCK", "tlfgen", 0, NULL};
    for (size_t i = 0; i < 2; i++) {
        char *tpl = src(names[i]);
        if (tlf_template_load(&tpls[i], tpl, &err))
            fail_msg("%s", err.msg);
        free(tpl);
        plans[i] = plan_of(names[i], adam, NULL);
    }
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/laid_out.pdf", dir);
    snprintf(b, sizeof b, "%s/given.pdf", dir);
    tlf_volume_opts vo = {"Volume", "csr", "2014-12-31", NULL, NULL, NULL, NULL, NULL};
    if (tlf_volume_write(a, tpls, 2, ard, adam, &ctx, &vo, &err))
        fail_msg("%s", err.msg);
    const tlf_plan *given[2] = {plans[0], plans[1]};
    vo.plans = given;
    if (tlf_volume_write(b, tpls, 2, ard, adam, &ctx, &vo, &err))
        fail_msg("%s", err.msg);
    test_check_pdf(b);
    assert_true(same_file(a, b));
    for (size_t i = 0; i < 2; i++) {
        tlf_plan_free(plans[i]);
        tlf_template_free(tpls[i]);
    }
    tlf_ard_free(ard);
    free(ardp);
    free(adam);
    free(dir);
}

static void test_render_errors(void **state)
{
    (void)state;
    char *dir = test_tmpdir("render_errors");
    char *tpl = src(FX "t_ae_listing.json");
    char out[512];
    snprintf(out, sizeof out, "%s/x.pdf", dir);
    run_result r = run_tlfgen("render --template '%s' --out '%s'", tpl, out);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "needs the derived datasets (--adam)"));
    run_result_free(&r);
    r = run_tlfgen("render --template '%s/none.json' --out '%s'", dir, out);
    assert_int_equal(r.status, 3);
    run_result_free(&r);
    r = run_tlfgen("render --out '%s'", out);
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    /* the render context file: validated, and its values reach the page */
    char ctx[512], tbl[512];
    snprintf(ctx, sizeof ctx, "%s/ctx.json", dir);
    snprintf(tbl, sizeof tbl, "%s/ctx.pdf", dir);
    FILE *f = fopen(ctx, "w");
    fputs("{\"study\": \"CTXSTUDY\", \"protocol\": \"CTX-01\", \"db_status\": \"SOFT LOCK\","
          " \"draft\": true, \"date\": \"2015-01-02\"}", f);
    fclose(f);
    char *sum = src(FX "t_summary.json"), *ard = src(FX "ard.csv");
    r = run_tlfgen("render --template '%s' --ard '%s' --context '%s' --out '%s'", sum, ard, ctx, tbl);
    must(&r, "render with --context");
    run_result_free(&r);
    r = run_sh("pdftotext -layout '%s' - && pdfinfo '%s'", tbl, tbl);
    const char *hdr[] = {"CTXSTUDY", "Protocol CTX-01", "DRAFT", "Page 1 of 1"};
    in_order(r.out, hdr, 4);
    assert_non_null(strstr(r.out, "DRAFT"));
    assert_non_null(strstr(r.out, "| SOFT LOCK |"));
    assert_non_null(strstr(r.out, "Fri Jan  2 00:00:00 2015"));
    run_result_free(&r);
    f = fopen(ctx, "w");
    fputs("{\"studdy\": \"X\"}", f);
    fclose(f);
    r = run_tlfgen("render --template '%s' --ard '%s' --context '%s' --out '%s'", sum, ard, ctx, tbl);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "studdy: unknown key"));
    run_result_free(&r);
    free(sum);
    free(ard);
    free(tpl);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_table),
        cmocka_unit_test(test_ae_table_pages),
        cmocka_unit_test(test_ae_listing),
        cmocka_unit_test(test_wide_table_panels),
        cmocka_unit_test(test_render_errors),
        cmocka_unit_test(test_direct_text_same_drawing),
        cmocka_unit_test(test_volume_given_plans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
