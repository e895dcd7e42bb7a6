/*
 * test_pdf_standards.c - every PDF of the demo csr run and of a dsmb run
 * (open and closed packets, drafts) read back as a regulatory reviewer
 * would (issue 18): no text under 9 pt (the FDA PDF specification's
 * 9-12 pt), every word inside 0.75 in margins (poppler's word boxes), no
 * text naming a file (".md", ".json"), and the combined volume's
 * bookmarks nested at least two levels with /PageMode /UseOutlines, every
 * destination keeping the reader's zoom (/XYZ with null zoom).
 *
 * Listings (issue 18, point 5): no value of a short categorical column
 * (outcome, action taken, relationship, a date with its study day, the
 * antibody results of 16.2.4) wraps: each value of the run's datasets
 * stands whole on one line of pdftotext -layout.
 *
 * Type sizes are read from the content streams (qpdf --qdf writes them
 * uncompressed, one operator per line: "/F1 9 Tf"); word boxes from
 * pdftotext -bbox; outlines from qpdf --json.
 */
#include "testutil.h"
#include "core/mem.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN_PT 54.0     /* 0.75 in */
#define MIN_PT 9.0

typedef struct runs {
    char *dir;
    char *csr;             /* csr run folder */
    char *dsmb;            /* dsmb run folder */
} runs;

static int setup(void **state)
{
    runs *r = xcalloc(1, sizeof *r);
    r->dir = test_tmpdir("pdf-standards");
    run_result x = run_tlfgen("demo-db --out '%s/hard.sqlite'", r->dir);
    assert_int_equal(x.status, 0);
    run_result_free(&x);
    x = run_tlfgen("demo-db --status 'SOFT LOCK' --out '%s/soft.sqlite'", r->dir);
    assert_int_equal(x.status, 0);
    run_result_free(&x);
    x = run_tlfgen("run --db '%s/hard.sqlite' --profile csr --out '%s/out' --quiet", r->dir, r->dir);
    if (x.status)
        fail_msg("csr run: %s", x.err);
    run_result_free(&x);
    x = run_tlfgen("run --db '%s/soft.sqlite' --profile dsmb --out '%s/out' --quiet", r->dir, r->dir);
    if (x.status)
        fail_msg("dsmb run: %s", x.err);
    run_result_free(&x);
    r->csr = xasprintf("%s/out/TACIP/csr/latest", r->dir);
    r->dsmb = xasprintf("%s/out/TACIP/dsmb/latest", r->dir);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    runs *r = *state;
    free(r->dir);
    free(r->csr);
    free(r->dsmb);
    free(r);
    return 0;
}

/* Every PDF under both run folders, one path per line (sorted). */
static char *all_pdfs(const runs *r)
{
    run_result x = run_sh("find -L '%s' '%s' -name '*.pdf' | sort", r->csr, r->dsmb);
    assert_int_equal(x.status, 0);
    char *s = xstrdup(x.out);
    run_result_free(&x);
    return s;
}

/* Smallest type size set in pdf's content streams (and how many). */
static double smallest_size(const char *dir, const char *pdf, int *nsizes)
{
    run_result q = run_sh("qpdf --qdf --object-streams=disable '%s' '%s/q.pdf' && "
                          "grep -a -E '^/[A-Za-z0-9+_-]+ [0-9.]+ Tf$' '%s/q.pdf' | "
                          "awk '{print $2}' | sort -n | uniq",
                          pdf, dir, dir);
    if (q.status)
        fail_msg("qpdf --qdf %s: %s", pdf, q.err);
    double min = 1e9;
    *nsizes = 0;
    for (char *line = strtok(q.out, "\n"); line; line = strtok(NULL, "\n")) {
        double v = atof(line);
        (*nsizes)++;
        if (v < min)
            min = v;
    }
    run_result_free(&q);
    return min;
}

static double attr(const char *s, const char *name)
{
    const char *p = strstr(s, name);
    assert_non_null(p);
    return atof(p + strlen(name));
}

/* Words outside the margins; *nwords receives the number of words. */
static int words_outside(const char *pdf, int *nwords, char *first_bad, size_t bad_sz)
{
    run_result t = run_sh("pdftotext -bbox '%s' -", pdf);
    if (t.status)
        fail_msg("pdftotext -bbox %s: %s", pdf, t.err);
    double pw = 0, ph = 0;
    int bad = 0, page = 0;
    *nwords = 0;
    for (char *line = strtok(t.out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strstr(line, "<page ")) {
            pw = attr(line, "width=\"");
            ph = attr(line, "height=\"");
            page++;
            continue;
        }
        if (!strstr(line, "<word "))
            continue;
        (*nwords)++;
        double x0 = attr(line, "xMin=\""), y0 = attr(line, "yMin=\"");
        double x1 = attr(line, "xMax=\""), y1 = attr(line, "yMax=\"");
        const double tol = 0.01;
        if (x0 < MARGIN_PT - tol || y0 < MARGIN_PT - tol || x1 > pw - MARGIN_PT + tol ||
            y1 > ph - MARGIN_PT + tol) {
            if (!bad)
                snprintf(first_bad, bad_sz, "page %d: %s", page, strchr(line, '>') + 1);
            bad++;
        }
    }
    run_result_free(&t);
    return bad;
}

/* A file name (".md", ".json" after a letter or digit, then not a letter). */
static const char *file_name_in(const char *text)
{
    static const char *const ext[] = {".md", ".json"};
    for (size_t e = 0; e < 2; e++)
        for (const char *p = text; (p = strstr(p, ext[e])) != NULL; p++) {
            char before = p > text ? p[-1] : ' ';
            char after = p[strlen(ext[e])];
            int alnum_before = (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
                               (before >= '0' && before <= '9') || before == '_';
            int alpha_after = (after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z');
            if (alnum_before && !alpha_after)
                return p;
        }
    return NULL;
}

static void test_type_size_margins_wording(void **state)
{
    runs *r = *state;
    char *list = all_pdfs(r);
    int npdf = 0;
    char *save = NULL;
    for (char *pdf = strtok_r(list, "\n", &save); pdf; pdf = strtok_r(NULL, "\n", &save)) {
        npdf++;
        int nsizes = 0;
        double min = smallest_size(r->dir, pdf, &nsizes);
        if (nsizes == 0)
            fail_msg("%s: no type size found in its content streams", pdf);
        if (min < MIN_PT)
            fail_msg("%s: text at %.2f pt (floor %.0f pt)", pdf, min, MIN_PT);
        int nwords = 0;
        char first[512] = "";
        int bad = words_outside(pdf, &nwords, first, sizeof first);
        if (nwords == 0)
            fail_msg("%s: no words", pdf);
        if (bad)
            fail_msg("%s: %d words outside the 0.75 in margins, first %s", pdf, bad, first);
        run_result t = run_sh("pdftotext -layout '%s' -", pdf);
        assert_int_equal(t.status, 0);
        const char *f = file_name_in(t.out);
        if (f) {
            const char *s = f;
            while (s > t.out && s[-1] != '\n')
                s--;
            const char *e = strchr(f, '\n');
            fail_msg("%s names a file: %.*s", pdf, (int)(e ? e - s : 80), s);
        }
        run_result_free(&t);
    }
    /* csr: every output and the volume; dsmb: open packet and closed outputs */
    assert_true(npdf >= 60);
    free(list);
}

/* Depth of the deepest outline entry under items (1 = items themselves);
 * every destination must be /XYZ with a null zoom. */
static int outline_depth(json_t *items, const char *pdf)
{
    int deepest = 0;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) {
        json_t *dest = json_object_get(o, "dest");
        if (!json_is_array(dest) || json_array_size(dest) != 5 ||
            strcmp(json_string_value(json_array_get(dest, 1)) ? json_string_value(json_array_get(dest, 1)) : "",
                   "/XYZ") != 0 ||
            !json_is_null(json_array_get(dest, 4)))
            fail_msg("%s: bookmark '%s' is not an /XYZ destination with null zoom", pdf,
                     json_string_value(json_object_get(o, "title")));
        int d = 1 + outline_depth(json_object_get(o, "kids"), pdf);
        if (d > deepest)
            deepest = d;
    }
    return deepest;
}

static void check_outlines(const char *dir, const char *pdf, int min_depth)
{
    run_result q = run_sh("qpdf --json --json-key=outlines '%s'", pdf);
    assert_int_equal(q.status, 0);
    json_error_t je;
    json_t *root = json_loads(q.out, 0, &je);
    if (!root)
        fail_msg("%s: qpdf json: %s", pdf, je.text);
    int depth = outline_depth(json_object_get(root, "outlines"), pdf);
    if (depth < min_depth)
        fail_msg("%s: bookmarks %d level(s) deep, want at least %d", pdf, depth, min_depth);
    json_decref(root);
    run_result_free(&q);
    run_result m = run_sh("qpdf --qdf --object-streams=disable '%s' '%s/q.pdf' && "
                          "grep -a -c '/PageMode /UseOutlines' '%s/q.pdf'", pdf, dir, dir);
    if (atoi(m.out) != 1)
        fail_msg("%s: does not open with the bookmarks panel (/PageMode /UseOutlines)", pdf);
    run_result_free(&m);
}

static void test_navigation(void **state)
{
    runs *r = *state;
    /* the combined volume: section -> output -> subjects/parameters */
    char *vol = xasprintf("%s/volume.pdf", r->csr);
    check_outlines(r->dir, vol, 3);
    free(vol);
    /* each output PDF opens with its own bookmarks; a long listing has
     * its subjects under its own entry */
    char *l = xasprintf("%s/16.2.7.1.pdf", r->csr);
    check_outlines(r->dir, l, 2);
    free(l);
    char *t = xasprintf("%s/14.1.1.pdf", r->csr);
    check_outlines(r->dir, t, 1);
    free(t);
}

/* The "where" of a listing template in the source tree's templates/. */
static char *template_where(const char *name)
{
    char *path = xasprintf("%s/templates/%s.json", TLFGEN_SOURCE_DIR, name);
    json_error_t je;
    json_t *t = json_load_file(path, 0, &je);
    if (!t)
        fail_msg("%s: %s", path, je.text);
    const char *w = json_string_value(json_object_get(t, "where"));
    char *out = xstrdup(w ? w : "1");
    json_decref(t);
    free(path);
    return out;
}

/* A listing cell "DATE [F] (DAY)" as listing.c prints it, in SQL. */
#define DATE_CELL(D, F, DY)                                                          \
    D " || COALESCE(' [' || NULLIF(" F ", '') || ']', '') || "                       \
      "COALESCE(' (' || CAST(" DY " AS INTEGER) || ')', '')"

/* In text, the continuation marks of listing number's groups (a subject
 * "(continued)", not the page's "Listing <number> (continued)"); fails on a
 * mark broken inside the word. */
static int key_continuations(const char *text, const char *pdf, const char *number)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, "(conti")) != NULL; p++) {
        if (strncmp(p, "(continued)", 11) != 0)
            fail_msg("%s: '(continued)' broken inside the word: %.30s", pdf, p);
        const char *t = p;
        while (t > text && t[-1] == ' ')
            t--;
        const char *w = t;
        while (w > text && w[-1] != ' ' && w[-1] != '\n')
            w--;
        n += !(t - w == (long)strlen(number) && strncmp(w, number, strlen(number)) == 0);
    }
    return n;
}

static void test_listing_values_one_line(void **state)
{
    runs *r = *state;
    /* template, dataset, the displayed values of its categorical columns,
     * and one value among them that wrapped before the columns were fitted
     * (so the data does exercise the rule) */
    static const struct {
        const char *tpl, *pdf, *dataset, *values, *witness;
    } L[] = {
        {"l16_2_7_1", "16.2.7.1.pdf", "ADAE",
         "AEREL, AEACN, AEOUT, " DATE_CELL("ASTDT", "ASTDTF", "ASTDY") ", "
         DATE_CELL("AENDT", "AENDTF", "AENDY"), "NOT RECOVERED/NOT RESOLVED"},
        {"l16_2_7_2", "16.2.7.2.pdf", "ADAE",
         "AEREL, AEACN, AEOUT, " DATE_CELL("ASTDT", "ASTDTF", "ASTDY") ", "
         DATE_CELL("AENDT", "AENDTF", "AENDY"), "DRUG INTERRUPTED"},
        {"l16_2_4", "16.2.4.pdf", "ADSL", "MYOTYPE, ONSET, IPCOURSE, MDA5AB, ARSAB, SMOKER",
         "NOT DONE"},
    };
    char *adam = xasprintf("%s/adam.sqlite", r->csr);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(adam, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t k = 0; k < sizeof L / sizeof L[0]; k++) {
        run_result t = run_sh("pdftotext -layout '%s/%s' -", r->csr, L[k].pdf);
        assert_int_equal(t.status, 0);
        char *where = template_where(L[k].tpl);
        char *sql = xasprintf("SELECT %s FROM %s WHERE %s", L[k].values, L[k].dataset, where);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            fail_msg("%s: %s", sql, sqlite3_errmsg(db));
        int witness = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *v = (const char *)sqlite3_column_text(st, c);
                if (!v || !*v)
                    continue;
                witness |= strcmp(v, L[k].witness) == 0;
                if (!strstr(t.out, v))
                    fail_msg("%s: '%s' is not on one line (wrapped in its column)", L[k].pdf, v);
            }
        }
        if (!witness)
            fail_msg("%s: the data has no '%s'", L[k].pdf, L[k].witness);
        sqlite3_finalize(st);
        free(sql);
        free(where);
        run_result_free(&t);
    }
    sqlite3_close(db);
    free(adam);
    /* issue 18: a subject's "(continued)" on one line with it; 16.2.8 has
     * subjects continued on the next page (it broke "(conti" "nued)") */
    static const char *const listings[][2] = {{"16.2.1", "0"}, {"16.2.2", "0"}, {"16.2.4", "0"},
                                              {"16.2.6", "0"}, {"16.2.7.1", "0"},
                                              {"16.2.7.2", "0"}, {"16.2.8", "1"}};
    for (size_t k = 0; k < sizeof listings / sizeof listings[0]; k++) {
        run_result t = run_sh("pdftotext -layout '%s/%s.pdf' -", r->csr, listings[k][0]);
        assert_int_equal(t.status, 0);
        int n = key_continuations(t.out, listings[k][0], listings[k][0]);
        if (listings[k][1][0] == '1' && n == 0)
            fail_msg("%s: no subject continued on a page", listings[k][0]);
        run_result_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_size_margins_wording),
        cmocka_unit_test(test_navigation),
        cmocka_unit_test(test_listing_values_one_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
