/* test_paginate.c - pagination of hostile cell texts (issue 17, defect 1):
 * wrapping is linear in the text length (counted in bytes measured, not
 * timed), a word far wider than its column breaks between characters,
 * and a row taller than a page continues over pages instead of running
 * over the footer: nothing cut, nothing below the footnote rule, the
 * listing's key repeated with "(continued)". Also invalid UTF-8 (a lead
 * byte at the end of the text) is laid out without reading past it.
 * And the "width": "fit" rule of listing columns (issue 18) on columns of
 * mixed widths: fit columns as wide as their widest value, the free text
 * sharing the rest, the cap, and giving way when the free text would get
 * less than its longest word. Footnotes that leave a page no room for the
 * body are an error naming the output, in both paginators, not pages of
 * footnotes drawn off the page. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/paginate.h"
#include "layout/table.h"

/* A measurer with fixed-width characters that counts the bytes it was
 * asked to measure. */
typedef struct counter {
    size_t bytes, calls;
} counter;

static double width_fixed(void *ctx, const char *s, size_t len, double size)
{
    counter *c = ctx;
    (void)s;
    c->bytes += len;
    c->calls++;
    return 0.5 * size * (double)len;
}

static char *dup(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

/* A listing with these column headers and no rows; the first column is
 * the key. */
static tlf_table *listing_new(const char *const *headers, size_t ncols)
{
    tlf_table *t = calloc(1, sizeof *t);
    t->kind = TLF_TPL_LISTING;
    t->number = dup("Listing 99.1");
    t->titles = calloc(1, sizeof *t->titles);
    t->titles[0] = dup("Hostile texts, exactly as entered");
    t->ntitles = 1;
    t->footnotes = calloc(1, sizeof *t->footnotes);
    t->footnotes[0] = dup("Footnote under the body.");
    t->nfootnotes = 1;
    t->font_size = 9;
    t->ncols = ncols;
    t->cols = calloc(ncols, sizeof *t->cols);
    for (size_t c = 0; c < ncols; c++) {
        t->cols[c].header = dup(headers[c]);
        t->cols[c].align = TLF_ALIGN_LEFT;
    }
    t->cols[0].key = 1;
    return t;
}

/* A two-column listing: a key column (subject) and a text column; one row
 * per text, each its own group. */
static tlf_table *listing_of(const char *const *texts, size_t n)
{
    static const char *const heads[] = {"Subject", "Verbatim term"};
    tlf_table *t = listing_new(heads, 2);
    t->cols[1].width_pct = 60;
    for (size_t i = 0; i < n; i++) {
        char **cells = calloc(2, sizeof *cells);
        char id[32];
        snprintf(id, sizeof id, "SUBJ-%03zu", i + 1);
        cells[0] = dup(id);
        cells[1] = dup(texts[i]);
        tlf_table_add_row(t, cells, 0, i, 0);
    }
    return t;
}

static const tlf_page_setup A4L = {842, 595, 54, 9};

static tlf_plan *paginate(const tlf_table *t, counter *c)
{
    tlf_render_ctx ctx = {"S", "P", "r", "s", "c", "HARD LOCK", "tlfgen", 0, NULL};
    tlf_measurer m = {width_fixed, c};
    tlf_plan *plan = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_paginate(&plan, t, &A4L, &ctx, m, &err))
        fail_msg("%s", err.msg);
    return plan;
}

static char *repeat(const char *unit, size_t times)
{
    size_t u = strlen(unit);
    char *s = malloc(u * times + 1);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    s[u * times] = '\0';
    return s;
}

/* Bytes measured to lay out one word of n bytes (no space). */
static size_t bytes_for_word(size_t n)
{
    char *w = repeat("ab", n / 2);
    const char *texts[] = {w};
    tlf_table *t = listing_of(texts, 1);
    counter c = {0, 0};
    tlf_plan *plan = paginate(t, &c);
    tlf_plan_free(plan);
    tlf_table_free(t);
    free(w);
    return c.bytes;
}

/* Wrapping measures each byte a bounded number of times: doubling the
 * word doubles the work (a quadratic or cubic wrap multiplies it by 4 or 8
 * and measured over 10^9 bytes for 4,000 characters). */
static void test_wrap_linear(void **state)
{
    (void)state;
    size_t a = bytes_for_word(4000), b = bytes_for_word(8000);
    if (a > 40 * 4000)
        fail_msg("a 4,000-byte word needed %zu bytes measured (more than 40 per byte)", a);
    if ((double)b > 2.3 * (double)a)
        fail_msg("doubling the word took %zu bytes measured after %zu (not linear)", b, a);
}

/* Every body text of the plan (row >= 0) joined per row, spaces dropped. */
static char *joined_body(const tlf_plan *plan, int row, int col)
{
    size_t cap = 1024, n = 0;
    char *s = malloc(cap);
    for (size_t p = 0; p < plan->npages; p++)
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->kind != TLF_ITEM_TEXT || it->row != row || it->col != col)
                continue;
            for (const char *q = it->text; *q; q++) {
                if (*q == ' ')
                    continue;
                if (n + 2 > cap)
                    s = realloc(s, cap *= 2);
                s[n++] = *q;
            }
        }
    s[n] = '\0';
    return s;
}

static char *without_spaces(const char *t)
{
    char *s = malloc(strlen(t) + 1);
    size_t n = 0;
    for (; *t; t++)
        if (*t != ' ')
            s[n++] = *t;
    s[n] = '\0';
    return s;
}

/* On every page: each body text is on the page and above the footnote
 * rule (the last rule drawn on the page, under the body), and above the
 * source line. */
static void check_body_inside(const tlf_plan *plan)
{
    for (size_t p = 0; p < plan->npages; p++) {
        const tlf_page *pg = &plan->pages[p];
        double src_y = -1, rule_y = -1;
        for (size_t i = 0; i < pg->n; i++) {
            const tlf_item *it = &pg->items[i];
            if (it->kind == TLF_ITEM_TEXT && it->row < 0 && strncmp(it->text, "Source:", 7) == 0)
                src_y = it->y;
            if (it->kind == TLF_ITEM_RULE)
                rule_y = it->y;   /* the last one: under the body */
        }
        assert_true(src_y > 0);
        for (size_t i = 0; i < pg->n; i++) {
            const tlf_item *it = &pg->items[i];
            if (it->kind != TLF_ITEM_TEXT || it->row < 0)
                continue;
            if (it->y <= rule_y || it->y <= src_y)
                fail_msg("page %zu: body text at y %.1f is under the footnote rule (%.1f) or "
                         "the source line (%.1f)", p + 1, it->y, rule_y, src_y);
        }
    }
}

/* A 200,000-byte text with spaces, a 20,000-byte word and a short row:
 * the long rows continue over pages, nothing is lost or cut. */
static void test_tall_rows_split(void **state)
{
    (void)state;
    char *spaced = repeat("word ", 40000), *word = repeat("xy", 10000);
    const char *texts[] = {"short term", spaced, word, "after the long ones"};
    tlf_table *t = listing_of(texts, 4);
    counter c = {0, 0};
    tlf_plan *plan = paginate(t, &c);
    assert_true(plan->npages > 20);
    check_body_inside(plan);
    for (int r = 0; r < 4; r++) {
        char *got = joined_body(plan, r, 1), *want = without_spaces(texts[r]);
        if (strcmp(got, want) != 0)
            fail_msg("row %d: %zu of %zu characters shown", r, strlen(got), strlen(want));
        free(got);
        free(want);
    }
    /* the continuation pages of row 1 (SUBJ-002) show its key with
     * "(continued)" */
    int continued = 0, seen = 0;
    for (size_t p = 0; p < plan->npages; p++)
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->kind == TLF_ITEM_TEXT && it->row == 1 && it->col == 0) {
                assert_string_equal(it->text, seen ? "SUBJ-002 (continued)" : "SUBJ-002");
                continued += seen;
                seen = 1;
            }
        }
    assert_true(continued > 10);
    /* the last row follows on the last page */
    int last = 0;
    for (size_t i = 0; i < plan->pages[plan->npages - 1].n; i++)
        if (plan->pages[plan->npages - 1].items[i].row == 3)
            last = 1;
    assert_true(last);
    tlf_plan_free(plan);
    tlf_table_free(t);
    free(spaced);
    free(word);
}

/* A 100,000-byte word in a column without a set width (the verbatim
 * term of listing 16.2.7.1): the word does not set the column's width, it
 * breaks between characters and every line stays on the page. It made a
 * column 500,000 pt wide, one line of 100,000 bytes that libharu refuses
 * (over 65,535 bytes: exit 1, issue 17). */
static void test_long_word_auto_width(void **state)
{
    (void)state;
    char *word = repeat("ab", 50000);
    const char *texts[] = {"short term", word};
    tlf_table *t = listing_of(texts, 2);
    t->cols[1].width_pct = 0;
    counter c = {0, 0};
    tlf_plan *plan = paginate(t, &c);
    for (size_t p = 0; p < plan->npages; p++)
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->kind != TLF_ITEM_TEXT || !it->text)
                continue;
            if (it->x + it->w > A4L.page_w - A4L.margin + 0.01 || strlen(it->text) > 1000)
                fail_msg("page %zu: a text of %zu bytes from x %.1f to %.1f (page width %.0f)",
                         p + 1, strlen(it->text), it->x, it->x + it->w, A4L.page_w);
        }
    check_body_inside(plan);
    char *got = joined_body(plan, 1, 1);
    assert_string_equal(got, word);
    free(got);
    tlf_plan_free(plan);
    tlf_table_free(t);
    free(word);
}

/* Invalid UTF-8: a 4-byte lead byte as the last byte of a cell, and one
 * followed by ASCII, are laid out one byte each (ASan catches a read past
 * the end). */
static void test_invalid_utf8_end(void **state)
{
    (void)state;
    const char *texts[] = {"abc\xF0", "\xE3z \xC3", "\xF0\x9F"};
    tlf_table *t = listing_of(texts, 3);
    counter c = {0, 0};
    tlf_plan *plan = paginate(t, &c);
    assert_int_equal(plan->npages, 1);
    tlf_plan_free(plan);
    tlf_table_free(t);
}

/* ---- "width": "fit" (issue 18: listing columns) ---- */

static const tlf_page_setup A4P = {595, 842, 54, 9};   /* body 487 pt wide */

/* Column widths of t's first panel on ps (4.5 pt per byte at 9 pt). */
static double *widths_of(const tlf_table *t, const tlf_page_setup *ps)
{
    counter c = {0, 0};
    tlf_measurer m = {width_fixed, &c};
    tlf_table_geom *g = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_table_geometry(&g, t, ps, m, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(g->npanels, 1);
    assert_int_equal(g->panels[0].ncols, t->ncols);
    double *w = calloc(t->ncols, sizeof *w);
    for (size_t i = 0; i < t->ncols; i++)
        w[i] = g->panels[0].w[i];
    /* the columns and their gaps fill the body exactly */
    double right = g->panels[0].x[t->ncols - 1] + w[t->ncols - 1];
    if (right < g->body_w - 0.01 || right > g->body_w + 0.01)
        fail_msg("the columns end at %.2f of a %.2f pt body", right, g->body_w);
    tlf_table_geom_free(g);
    return w;
}

static void add_row(tlf_table *t, const char *const *cells, size_t group)
{
    char **c = calloc(t->ncols, sizeof *c);
    for (size_t i = 0; i < t->ncols; i++)
        c[i] = dup(cells[i]);
    tlf_table_add_row(t, c, 0, group, 0);
}

/* An AE listing on a narrow page: categorical columns of mixed widths
 * ("fit") and free text. Each fit column is exactly as wide as its widest
 * value, or as its header's longest word when that is wider (the header
 * wraps, the values do not); the free-text columns share the rest,
 * narrowed to a common cap and never below their longest word. Without
 * "fit" the same table narrows the outcome column until
 * "NOT RECOVERED/NOT RESOLVED" wraps. */
static void test_fit_columns(void **state)
{
    (void)state;
    static const char *const heads[] = {
        "Subject", "Sequence\nnumber", "Verbatim term", "Outcome",
        "Action taken with study drug", "Preferred term /\nSystem organ class", "Comment"};
    tlf_table *t = listing_new(heads, 7);
    char *comment = repeat("word ", 60);
    const char *r0[] = {"SUBJ-001", "1", "Bacterial pneumonia after a switch from the study drug to cyclosporine",
                        "NOT RECOVERED/NOT RESOLVED", "DOSE NOT CHANGED",
                        "Musculoskeletal and connective tissue disorders", comment};
    const char *r1[] = {"SUBJ-002", "12", "Rash", "FATAL", "DRUG WITHDRAWN", "Rash", ""};
    add_row(t, r0, 0);
    add_row(t, r1, 1);
    static const int fit[] = {1, 1, 0, 1, 1, 0, 0};
    for (size_t c = 0; c < 7; c++)
        t->cols[c].fit = fit[c];
    double *w = widths_of(t, &A4P);
    /* 4.5 pt per byte: the key column holds "(continued)" (11 bytes, wider
     * than "SUBJ-001"), "Sequence" for the 1- and 2-digit sequence numbers,
     * 26 and 16 bytes of outcome and action */
    const double want_fit[] = {11 * 4.5, 8 * 4.5, 0, 26 * 4.5, 16 * 4.5};
    for (size_t c = 0; c < 5; c++)
        if (fit[c] && (w[c] < want_fit[c] - 1e-6 || w[c] > want_fit[c] + 1e-6))
            fail_msg("fit column %zu: %.2f pt wide, want %.2f", c, w[c], want_fit[c]);
    /* the rest, 487 - 6 gaps of 5.4 - 274.5 = 180.1 pt: the preferred term
     * keeps its longest word ("Musculoskeletal", 67.5 pt), the verbatim term
     * and the comment share the remaining 112.6 pt evenly */
    assert_float_equal(w[5], 15 * 4.5, 1e-6);
    assert_float_equal(w[2], 56.3, 1e-6);
    assert_float_equal(w[6], 56.3, 1e-6);
    free(w);

    /* laid out: the categorical values stand on one line, the long header
     * and the free text wrap */
    counter cnt = {0, 0};
    tlf_render_ctx ctx = {"S", "P", "r", "s", "c", "HARD LOCK", "tlfgen", 0, NULL};
    tlf_measurer m = {width_fixed, &cnt};
    tlf_plan *plan = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_paginate(&plan, t, &A4P, &ctx, m, &err))
        fail_msg("%s", err.msg);
    int whole_outcome = 0, whole_action = 0, term_lines = 0;
    for (size_t i = 0; i < plan->pages[0].n; i++) {
        const tlf_item *it = &plan->pages[0].items[i];
        if (it->kind != TLF_ITEM_TEXT || it->row != 0)
            continue;
        whole_outcome += it->col == 3 && strcmp(it->text, r0[3]) == 0;
        whole_action += it->col == 4 && strcmp(it->text, r0[4]) == 0;
        term_lines += it->col == 2;
    }
    assert_int_equal(whole_outcome, 1);
    assert_int_equal(whole_action, 1);
    assert_true(term_lines > 1);
    tlf_plan_free(plan);

    /* the same table without "fit": the widest columns share one cap */
    for (size_t c = 0; c < 7; c++)
        t->cols[c].fit = 0;
    w = widths_of(t, &A4P);
    if (w[3] >= 26 * 4.5)
        fail_msg("without fit the outcome column is %.2f pt: the test does not exercise the rule", w[3]);
    free(w);
    tlf_table_free(t);
    free(comment);
}

/* A fit column is capped at 30% of the body width (a long value wraps);
 * fit columns that would leave a free-text column less than its longest
 * word give way: all columns then share the body as without "fit". */
static void test_fit_cap_and_give_way(void **state)
{
    (void)state;
    static const char *const heads[] = {"Subject", "Long category", "Term"};
    tlf_table *t = listing_new(heads, 3);
    char *longval = repeat("category ", 40);   /* 360 bytes: 1,620 pt */
    const char *r0[] = {"SUBJ-001", longval, "Some verbatim text of a few words"};
    add_row(t, r0, 0);
    t->cols[0].fit = t->cols[1].fit = 1;
    double *w = widths_of(t, &A4P);
    assert_float_equal(w[1], 0.3 * (595 - 2 * 54), 1e-6);
    assert_float_equal(w[0], 11 * 4.5, 1e-6);   /* "(continued)" */
    free(w);
    tlf_table_free(t);
    free(longval);

    /* five fit columns of 27 bytes (121.5 pt each, two words) leave the
     * term (longest word 20 bytes, 90 pt) too little: shared
     * water-filling, the term keeps its longest word, the others wrap */
    static const char *const heads2[] = {"A", "B", "C", "D", "E", "Term"};
    t = listing_new(heads2, 6);
    char *word = repeat("w", 20);
    char *text = malloc(3 * 21 + 1);
    snprintf(text, 3 * 21 + 1, "%s %s %s", word, word, word);
    const char *r1[] = {"ABCDEFGHIJKLM NOPQRSTUVWXY0", "ABCDEFGHIJKLM NOPQRSTUVWXY1",
                        "ABCDEFGHIJKLM NOPQRSTUVWXY2", "ABCDEFGHIJKLM NOPQRSTUVWXY3",
                        "ABCDEFGHIJKLM NOPQRSTUVWXY4", text};
    add_row(t, r1, 0);
    for (size_t c = 0; c < 5; c++)
        t->cols[c].fit = 1;
    w = widths_of(t, &A4P);
    assert_float_equal(w[5], 20 * 4.5, 1e-6);
    for (size_t c = 0; c < 5; c++)
        assert_float_equal(w[c], (487 - 5 * 5.4 - 90) / 5, 1e-6);
    free(w);
    tlf_table_free(t);
    free(word);
    free(text);
}

/* A subject continued on a new page: "SUBJ-001 (continued)" on one line
 * when the key column has spare width, else "(continued)" whole on the
 * line under the subject (a fit column is as wide as the subject), never
 * "(conti" "nued)". */
static void test_continued_key(void **state)
{
    (void)state;
    for (int fit = 0; fit <= 1; fit++) {
        static const char *const heads[] = {"Subject", "Term"};
        tlf_table *t = listing_new(heads, 2);
        t->cols[0].fit = fit;
        for (size_t i = 0; i < 80; i++) {   /* one group longer than a page */
            const char *row[] = {"SUBJ-001", "term"};
            add_row(t, row, 0);
        }
        counter c = {0, 0};
        tlf_plan *plan = paginate(t, &c);
        assert_true(plan->npages > 1);
        int whole = 0, under = 0;
        for (size_t i = 0; i < plan->pages[1].n; i++) {
            const tlf_item *it = &plan->pages[1].items[i];
            if (it->kind != TLF_ITEM_TEXT || it->col != 0 || it->row < 0)
                continue;
            whole += strcmp(it->text, "SUBJ-001 (continued)") == 0;
            under += strcmp(it->text, "(continued)") == 0;
            if (strstr(it->text, "(conti") && !strstr(it->text, "(continued)"))
                fail_msg("fit %d: '%s'", fit, it->text);
        }
        assert_int_equal(whole, !fit);
        assert_int_equal(under, fit);
        tlf_plan_free(plan);
        tlf_table_free(t);
    }
}

/* Footnotes (or the run's note) as tall as the page: an error naming the
 * output, from tlf_paginate and from the streaming paginator, instead of
 * a page per row with the footnotes drawn over the source line and off
 * the page. Two lines of footnote still paginate. */
static void test_footnotes_leave_no_room(void **state)
{
    (void)state;
    const char *texts[] = {"a", "b", "c"};
    tlf_table *t = listing_of(texts, 3);
    tlf_render_ctx ctx = {"S", "P", "r", "s", "c", "HARD LOCK", "tlfgen", 0, NULL};
    counter c = {0, 0};
    tlf_measurer m = {width_fixed, &c};
    tlf_plan *plan = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    ctx.note = "Two lines of note at the most: the body keeps its room.";
    assert_int_equal(tlf_paginate(&plan, t, &A4L, &ctx, m, &err), TLF_OK);
    assert_int_equal(plan->npages, 1);
    tlf_plan_free(plan);
    plan = NULL;
    char *note = repeat("TACIP-01-T0001 (AE); ", 1500);
    ctx.note = note;
    assert_int_equal(tlf_paginate(&plan, t, &A4L, &ctx, m, &err), TLF_EUSAGE);
    assert_null(plan);
    assert_non_null(strstr(err.msg, "Listing 99.1: the titles, column headers and footnotes "
                                    "leave no room for the body"));
    /* the same from the template's own footnotes, streamed */
    ctx.note = NULL;
    free(t->footnotes[0]);
    t->footnotes[0] = note;
    tlf_paginator *pg = NULL;
    tlf_err_clear(&err);
    assert_int_equal(tlf_paginator_new(&pg, t, &A4L, &ctx, m, &err), TLF_OK);
    tlf_paginator_measure(pg, t);
    plan = tlf_plan_new(A4L.page_w, A4L.page_h);
    assert_int_equal(tlf_paginator_start(pg, plan, &err), TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "leave no room for the body"));
    tlf_plan_free(plan);
    tlf_paginator_free(pg);
    tlf_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_linear),
        cmocka_unit_test(test_tall_rows_split),
        cmocka_unit_test(test_long_word_auto_width),
        cmocka_unit_test(test_invalid_utf8_end),
        cmocka_unit_test(test_fit_columns),
        cmocka_unit_test(test_fit_cap_and_give_way),
        cmocka_unit_test(test_continued_key),
        cmocka_unit_test(test_footnotes_leave_no_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
