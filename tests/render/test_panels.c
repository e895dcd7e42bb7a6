/* test_panels.c - a table too wide for the page splits into column panels
 * that each repeat the key (row label) column; pages follow panel by panel. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/output.h"

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
    char *ardp = test_source_path("tests/fixtures/layout/ard.csv");
    tlf_template *t = NULL;
    tlf_ard *ard = NULL;
    tlf_pdf *pdf = NULL;
    tlf_plan *plan = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_render_ctx ctx = {"S", "P", "r", "d", "c", "HARD LOCK", "v", 0};
    if (tlf_template_load(&t, path, &err) || tlf_ard_read(&ard, ardp, &err) ||
        tlf_pdf_new(&pdf, NULL, &err) ||
        tlf_output_plan(&plan, pdf, t, ard, NULL, &ctx, NULL, &err))
        fail_msg("%s", err.msg);
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
    tlf_pdf_free(pdf);
    tlf_ard_free(ard);
    tlf_template_free(t);
    free(ardp);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_table_panels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
