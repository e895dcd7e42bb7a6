/* test_registry.c - the analysis registry: each analysis names the outputs
 * it feeds, they agree with the catalog, and a run of some outputs runs
 * only the analyses they need. */
#include "testutil.h"
#include "analysis/analysis.h"
#include "core/mem.h"
#include "derive/derive.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void test_feeds(void **state)
{
    (void)state;
    const analysis_entry *lab = NULL, *tte = NULL;
    for (size_t i = 0; i < N_ANALYSES; i++) {
        if (strcmp(ANALYSES[i].name, "laboratory") == 0)
            lab = &ANALYSES[i];
        if (strstr(ANALYSES[i].name, "time-to-event"))
            tte = &ANALYSES[i];
    }
    assert_non_null(lab);
    assert_non_null(tte);
    char *nightly[] = {"CHG", "DI", "14.1.1", "14.3.2.2", "16.2.1"};
    assert_false(analysis_feeds(lab, nightly, 5));
    assert_true(analysis_feeds(lab, nightly, 0));   /* no list: everything */
    char *fig[] = {"F14.2.1.1"};
    assert_true(analysis_feeds(tte, fig, 1));
    char *prefix[] = {"14.2.1"};                    /* whole numbers only */
    assert_false(analysis_feeds(tte, prefix, 1));
}

/* The datasets each analysis reads (what a run derives): names the
 * derivation writes, "*" for every one. */
static void test_reads(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ANALYSES; i++) {
        const analysis_entry *e = &ANALYSES[i];
        assert_non_null(e->datasets);
        assert_true(analysis_reads(e, "ADSL"));      /* every analysis counts subjects */
        for (const char *p = e->datasets; strcmp(e->datasets, "*") && *p;) {
            size_t k = strcspn(p, ";");
            int known = 0;
            for (size_t d = 0; d < N_DERIVE_DATASETS; d++)
                known |= strlen(DERIVE_DATASETS[d]) == k && strncmp(DERIVE_DATASETS[d], p, k) == 0;
            if (!known)
                fail_msg("%s reads %.*s, which the derivation does not write", e->name, (int)k, p);
            p += k + (p[k] == ';');
        }
        if (strcmp(e->name, "laboratory") == 0) {
            assert_true(analysis_reads(e, "ADLB"));
            assert_false(analysis_reads(e, "ADAE"));
            assert_false(analysis_reads(e, "ADL"));   /* whole names only */
        }
        if (strcmp(e->name, "demog") == 0)
            assert_true(analysis_reads(e, "ADVS"));   /* "*": the study's parameters */
    }
}

/* Every output an analysis names is in the catalog, and every catalog
 * output whose template reads the ARD is fed by an analysis. */
static void test_registry_agrees_with_catalog(void **state)
{
    (void)state;
    char *dir = test_source_path("templates");
    char *path = xasprintf("%s/catalog.json", dir);
    json_error_t je;
    json_t *cat = json_load_file(path, 0, &je);
    assert_non_null(cat);
    json_t *outs = json_object_get(cat, "outputs");
    for (size_t i = 0; i < N_ANALYSES; i++)
        for (const char *p = ANALYSES[i].outputs; p && *p;) {
            const char *end = strchr(p, ';');
            size_t k = end ? (size_t)(end - p) : strlen(p);
            int found = 0;
            for (size_t j = 0; j < json_array_size(outs); j++) {
                const char *num = json_string_value(json_object_get(json_array_get(outs, j), "number"));
                found |= strlen(num) == k && strncmp(num, p, k) == 0;
            }
            if (!found)
                fail_msg("%s feeds %.*s, which the catalog lacks", ANALYSES[i].name, (int)k, p);
            p = end ? end + 1 : NULL;
        }
    for (size_t j = 0; j < json_array_size(outs); j++) {
        json_t *o = json_array_get(outs, j);
        char *num = (char *)json_string_value(json_object_get(o, "number"));
        char *tpl = xasprintf("%s/%s", dir, json_string_value(json_object_get(o, "template")));
        char *text = test_read_file(tpl, NULL);
        assert_non_null(text);
        if (strstr(text, "\"analysis_id\"")) {
            int fed = 0;
            for (size_t i = 0; i < N_ANALYSES; i++)
                fed |= analysis_feeds(&ANALYSES[i], &num, 1);
            if (!fed)
                fail_msg("output %s reads the ARD but no analysis feeds it", num);
        }
        free(text);
        free(tpl);
    }
    json_decref(cat);
    free(path);
    free(dir);
}

/* analysis/tags.c: an output is removed from the records it does not
 * show, the others keep their tags, values never change. */
static void test_untag_unshown(void **state)
{
    (void)state;
    tlf_ard *ard = tlf_ard_new();
    tlf_ard_key km = {"14.2.2.1;F14.2.2.1", "pfs_km", "FAS", "ARMCD", "TAC", "AVAL", NULL};
    tlf_ard_key lr = {"14.2.2.1", "pfs_logrank", "FAS", NULL, NULL, "AVAL", NULL};
    tlf_ard_key ds = {"14.1.4", "demog", "FAS", "ARMCD", "TAC", "AGE", NULL};
    tlf_ard_add_real(ard, &km, "surv", "t=30", 0.9);          /* 0: curve point: figure */
    tlf_ard_add_real(ard, &km, "surv_at", "t=365", 0.8);      /* 1: landmark: both      */
    tlf_ard_add_real(ard, &km, "median", NULL, 200);          /* 2: median: table       */
    tlf_ard_add_real(ard, &km, "se_at", "t=365", 0.05);       /* 3: no output           */
    tlf_ard_add_real(ard, &lr, "p", NULL, 0.04);              /* 4: kept                */
    tlf_ard_add_real(ard, &lr, "chisq", NULL, 4.2);           /* 5: no output           */
    tlf_ard_add_real(ard, &ds, "se", NULL, 1.5);              /* 6: no output           */
    tlf_ard_add_real(ard, &ds, "mean", NULL, 50);             /* 7: kept                */
    analysis_untag_unshown(ard, 1);                           /* record 0 left alone    */
    assert_string_equal(ard->rows[0].output_id, "14.2.2.1;F14.2.2.1");
    assert_string_equal(ard->rows[1].output_id, "14.2.2.1;F14.2.2.1");
    assert_string_equal(ard->rows[2].output_id, "14.2.2.1");
    assert_string_equal(ard->rows[3].output_id, "");
    assert_string_equal(ard->rows[4].output_id, "14.2.2.1");
    assert_string_equal(ard->rows[5].output_id, "");
    assert_string_equal(ard->rows[6].output_id, "");
    assert_string_equal(ard->rows[7].output_id, "14.1.4");
    assert_true(ard->rows[6].value == 1.5);
    analysis_untag_unshown(ard, 0);
    assert_string_equal(ard->rows[0].output_id, "F14.2.2.1");
    tlf_ard_free(ard);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feeds),
        cmocka_unit_test(test_reads),
        cmocka_unit_test(test_registry_agrees_with_catalog),
        cmocka_unit_test(test_untag_unshown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
