/* test_align.c - decimal alignment and padding of a table's number
 * columns (issue 18): cells of mixed widths and shapes (n, Mean (SD),
 * Median, Q1, Q3, Min, Max, n (%), an estimate with its CI, negative
 * numbers, NE) in several row groups. The first number of every cell has
 * its decimal point (or its end) on one x per column; the percentages of
 * n (%) cells share one x down the column; no padding inside brackets or
 * after a comma; the pieces drawn give back the cell's text. Measured
 * with proportional widths (digits wider than the point and brackets) on
 * the page plan itself. Also the keep-with rule of a group continued over
 * a page. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/paginate.h"
#include "layout/table.h"

/* Liberation Sans-like advances in 1/1000 em. */
static double adv(char c)
{
    if (c >= '0' && c <= '9')
        return 556;
    switch (c) {
    case '.': case ',': case ' ': return 278;
    case '(': case ')': return 333;
    case '-': return 333;
    case '%': return 889;
    default: return 600;
    }
}

static double width_prop(void *ctx, const char *s, size_t len, double size)
{
    (void)ctx;
    double u = 0;
    for (size_t i = 0; i < len; i++)
        u += adv(s[i]);
    return u * size / 1000.0;
}

static char *dup(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

typedef struct spec {
    const char *label;
    const char *cell;
    int head;           /* group heading (no number) */
} spec;

/* Three parameter blocks and a block of n (%) rows. */
static const spec ROWS[] = {
    {"Age (years)", "", 1},
    {"n", "25", 0},
    {"Mean (SD)", "54.7 (13.80)", 0},
    {"Median", "53.0", 0},
    {"Q1, Q3", "43.0, 68.0", 0},
    {"Min, Max", "33, 76", 0},
    {"KL-6 (U/mL)", "", 1},
    {"n", "9", 0},
    {"Mean (SD)", "1234.5 (987.65)", 0},
    {"Median", "1086.0", 0},
    {"Q1, Q3", "534.0, 1297.0", 0},
    {"Min, Max", "-12, 3305", 0},
    {"Change", "", 1},
    {"Mean (SD)", "-1.52 (0.44)", 0},
    {"Median (Q1, Q3)", "0.95 (0.82, 1.02)", 0},
    {"Estimate (95% CI)", "-0.30 (-1.20, 12.25)", 0},
    {"Ratio (95% CI)", "NE (0.10, NE)", 0},
    {"Sex, n (%)", "", 1},
    {"Female", "22 (88.0)", 0},
    {"Male", "3 (12.0)", 0},
    {"Unknown", "0 (0.0)", 0},
    {"All", "100 (100.0)", 0},
};
#define NROWS (sizeof ROWS / sizeof ROWS[0])

static tlf_table *table(void)
{
    tlf_table *t = calloc(1, sizeof *t);
    t->kind = TLF_TPL_TABLE;
    t->number = dup("Table 99.2");
    t->titles = calloc(1, sizeof *t->titles);
    t->titles[0] = dup("Decimal alignment");
    t->ntitles = 1;
    t->footnotes = calloc(1, sizeof *t->footnotes);
    t->font_size = 9;
    t->ncols = 3;
    t->cols = calloc(3, sizeof *t->cols);
    t->cols[0].header = dup("Parameter");
    t->cols[0].align = TLF_ALIGN_LEFT;
    t->cols[1].header = dup("A (N=25)");
    t->cols[1].align = TLF_ALIGN_DECIMAL;
    t->cols[2].header = dup("B (N=16)");
    t->cols[2].align = TLF_ALIGN_DECIMAL;
    size_t group = 0;
    for (size_t i = 0; i < NROWS; i++) {
        char **cells = calloc(3, sizeof *cells);
        cells[0] = dup(ROWS[i].label);
        cells[1] = dup(ROWS[i].cell);
        /* column B: the same shapes, other magnitudes */
        char b[64];
        if (!*ROWS[i].cell)
            b[0] = '\0';
        else if (strchr(ROWS[i].cell, '%') || strstr(ROWS[i].cell, "NE"))
            snprintf(b, sizeof b, "%s", ROWS[i].cell);
        else if (i % 2)
            snprintf(b, sizeof b, "1%s", ROWS[i].cell[0] == '-' ? ROWS[i].cell + 1 : ROWS[i].cell);
        else
            snprintf(b, sizeof b, "%s", ROWS[i].cell);
        cells[2] = dup(b);
        if (ROWS[i].head)
            group++;
        tlf_table_add_row(t, cells, ROWS[i].head ? 0 : 1, group, ROWS[i].head);
    }
    return t;
}

typedef struct piece {
    double x, w;
    const char *text;
} piece;

static int by_x(const void *a, const void *b)
{
    double d = ((const piece *)a)->x - ((const piece *)b)->x;
    return d < 0 ? -1 : d > 0;
}

/* The pieces drawn for body cell (row, col), in x order. */
static size_t pieces(const tlf_plan *plan, int row, int col, piece *out, size_t cap)
{
    size_t n = 0;
    for (size_t p = 0; p < plan->npages; p++)
        for (size_t i = 0; i < plan->pages[p].n; i++) {
            const tlf_item *it = &plan->pages[p].items[i];
            if (it->kind == TLF_ITEM_TEXT && it->row == row && it->col == col && n < cap)
                out[n++] = (piece){it->x, it->w, it->text};
        }
    qsort(out, n, sizeof *out, by_x);
    return n;
}

/* x of the decimal point (or the end) of the first number in the cell:
 * the right edge of the first piece, which holds its integer part. */
static double first_anchor(const piece *pc)
{
    return pc[0].x + pc[0].w;
}

static void test_decimal_alignment(void **state)
{
    (void)state;
    tlf_table *t = table();
    tlf_page_setup ps = {842, 595, 54, 9};
    tlf_render_ctx ctx = {"S", "P", "r", "s", "c", "HARD LOCK", "tlfgen", 0, NULL};
    tlf_measurer m = {width_prop, NULL};
    tlf_plan *plan = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_paginate(&plan, t, &ps, &ctx, m, &err), 0);
    assert_int_equal(plan->npages, 1);
    for (int col = 1; col <= 2; col++) {
        double anchor = NAN, pct = NAN;
        int ncells = 0, npct = 0;
        for (size_t r = 0; r < NROWS; r++) {
            const char *cell = t->rows[r].cells[col];
            piece pc[16];
            size_t n = pieces(plan, (int)r, col, pc, 16);
            if (!*cell) {
                assert_int_equal(n, 0);
                continue;
            }
            assert_true(n >= 1);
            /* the pieces give back the text; a gap only after a space that
             * does not follow a bracket or a comma */
            char joined[128] = "";
            for (size_t k = 0; k < n; k++) {
                strncat(joined, pc[k].text, sizeof joined - strlen(joined) - 1);
                if (k + 1 < n && pc[k + 1].x - (pc[k].x + pc[k].w) > 0.01) {
                    size_t l = strlen(pc[k].text);
                    assert_true(l >= 1);
                    if (pc[k].text[l - 1] != ' ')
                        fail_msg("'%s': a gap after '%s'", cell, pc[k].text);
                    size_t e = l;
                    while (e > 0 && pc[k].text[e - 1] == ' ')
                        e--;
                    if (e > 0 && (pc[k].text[e - 1] == '(' || pc[k].text[e - 1] == ','))
                        fail_msg("'%s': padding inside a bracket or after a comma", cell);
                    if (pc[k + 1].text[0] == ')' || pc[k + 1].text[0] == ',')
                        fail_msg("'%s': padding before '%s'", cell, pc[k + 1].text);
                }
                if (k + 1 < n && pc[k + 1].x < pc[k].x + pc[k].w - 0.01)
                    fail_msg("'%s': pieces overlap", cell);
            }
            assert_string_equal(joined, cell);
            /* the first number's decimal point (or end): one x per column */
            double a = first_anchor(pc);
            if (isnan(anchor))
                anchor = a;
            if (fabs(a - anchor) > 0.1)
                fail_msg("column %d: '%s' has its first decimal point at %.2f, not %.2f", col, cell,
                         a, anchor);
            ncells++;
            /* n (%): the percentage's point shares one x down the column */
            if (strstr(ROWS[r].label, "n (%)") == NULL && t->rows[r].group == t->rows[NROWS - 1].group) {
                const char *dot = strrchr(cell, '.');
                double x = NAN;
                for (size_t k = 0; k < n; k++)
                    if (pc[k].text[0] == '.' && strstr(cell, pc[k].text) == dot)
                        x = pc[k].x;
                assert_false(isnan(x));
                if (isnan(pct))
                    pct = x;
                if (fabs(x - pct) > 0.1)
                    fail_msg("column %d: '%s' has its percentage's point at %.2f, not %.2f", col,
                             cell, x, pct);
                npct++;
            }
        }
        assert_int_equal(ncells, 18);
        assert_int_equal(npct, 4);
    }
    tlf_plan_free(plan);
    tlf_table_free(t);
}

/* A listing of one subject with n one-line rows. */
static tlf_table *one_subject(size_t n)
{
    tlf_table *t = calloc(1, sizeof *t);
    t->kind = TLF_TPL_LISTING;
    t->number = dup("Listing 99.3");
    t->titles = calloc(1, sizeof *t->titles);
    t->titles[0] = dup("Keep-with");
    t->ntitles = 1;
    t->footnotes = calloc(1, sizeof *t->footnotes);
    t->font_size = 9;
    t->ncols = 2;
    t->cols = calloc(2, sizeof *t->cols);
    t->cols[0].header = dup("Subject");
    t->cols[0].key = 1;
    t->cols[1].header = dup("Event");
    for (size_t i = 0; i < n; i++) {
        char **cells = calloc(2, sizeof *cells);
        cells[0] = dup("SUBJ-001");
        char ev[32];
        snprintf(ev, sizeof ev, "event %zu", i + 1);
        cells[1] = dup(ev);
        tlf_table_add_row(t, cells, 0, 0, 0);
    }
    return t;
}

/* Body rows drawn on each page (rows with an item in column 1). */
static void rows_per_page(size_t n, size_t *count, size_t npages_max, size_t *npages)
{
    tlf_table *t = one_subject(n);
    tlf_page_setup ps = {842, 595, 54, 9};
    tlf_render_ctx ctx = {"S", "P", "r", "s", "c", "HARD LOCK", "tlfgen", 0, NULL};
    tlf_measurer m = {width_prop, NULL};
    tlf_plan *plan = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_paginate(&plan, t, &ps, &ctx, m, &err), 0);
    *npages = plan->npages;
    for (size_t p = 0; p < plan->npages && p < npages_max; p++) {
        count[p] = 0;
        for (size_t i = 0; i < plan->pages[p].n; i++)
            count[p] += plan->pages[p].items[i].col == 1 && plan->pages[p].items[i].row >= 0;
    }
    tlf_plan_free(plan);
    tlf_table_free(t);
}

/* A subject continued over a page never leaves fewer than 3 of its rows
 * alone on the next page: the break comes earlier instead. */
static void test_keep_with(void **state)
{
    (void)state;
    size_t c[8], np;
    rows_per_page(400, c, 8, &np);
    size_t cap = c[0];          /* rows a first page holds */
    assert_true(np >= 2 && cap > 10);
    for (size_t extra = 1; extra <= 4; extra++) {
        rows_per_page(cap + extra, c, 8, &np);
        assert_int_equal(np, 2);
        assert_int_equal(c[0] + c[1], cap + extra);
        assert_true(c[1] >= 3);                          /* no near-empty continuation */
        assert_int_equal(c[1], extra < 3 ? 3 : extra);   /* only as early as needed */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_alignment),
        cmocka_unit_test(test_keep_with),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
