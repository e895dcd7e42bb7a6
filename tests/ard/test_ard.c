/* test_ard.c - ARD records: param escaping, value format, CSV round trip. */
#include "testutil.h"
#include "ard/ard.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_param_escape_and_get(void **state)
{
    (void)state;
    tlf_buf p = TLF_BUF_INIT;
    tlf_param_add(&p, "t", "365");
    tlf_param_add(&p, "AEBODSYS", "a;b=c%d");
    assert_string_equal(tlf_buf_cstr(&p), "t=365;AEBODSYS=a%3Bb%3Dc%25d");
    char v[64];
    assert_int_equal(tlf_param_get(tlf_buf_cstr(&p), "AEBODSYS", v, sizeof v), 0);
    assert_string_equal(v, "a;b=c%d");
    assert_int_equal(tlf_param_get(tlf_buf_cstr(&p), "t", v, sizeof v), 0);
    assert_string_equal(v, "365");
    assert_int_not_equal(tlf_param_get(tlf_buf_cstr(&p), "x", v, sizeof v), 0);
    tlf_buf_free(&p);
}

static void test_value_format(void **state)
{
    (void)state;
    char v[64];
    tlf_ard_format_value(v, sizeof v, TLF_VAL_INT, 25);
    assert_string_equal(v, "25");
    tlf_ard_format_value(v, sizeof v, TLF_VAL_REAL, 22.0 / 25.0);
    assert_string_equal(v, "0.88");
    tlf_ard_format_value(v, sizeof v, TLF_VAL_REAL, 1.0 / 3.0);
    assert_string_equal(v, "0.33333333333333331");
    tlf_ard_format_value(v, sizeof v, TLF_VAL_MISSING, 0);
    assert_string_equal(v, "");
}

static void test_write_read_round_trip(void **state)
{
    (void)state;
    tlf_ard *ard = tlf_ard_new();
    tlf_ard_key k = {"14.2.1.1;F14.2.1.1", "os_km", "FAS", "ARMCD", "TAC", "AVAL", NULL};
    tlf_ard_add_int(ard, &k, "n", NULL, 25);
    tlf_ard_add_real(ard, &k, "surv_at", "t=365;ci=loglog", 0.88);
    tlf_ard_add_real(ard, &k, "median", NULL, 0.0 / 0.0);   /* not reached */
    tlf_ard_key k2 = {NULL, "ae_teae", "SAF", "ARMCD", "TAC", "AEDECOD", "Pneumonia, \"viral\""};
    tlf_ard_add_int(ard, &k2, "n_subj", "AEBODSYS=Infections", 2);

    char *dir = test_tmpdir("ard");
    char path[512];
    snprintf(path, sizeof path, "%s/ard.csv", dir);
    tlf_err err;
    assert_int_equal(tlf_ard_write_file(ard, path, &err), TLF_OK);
    char *text = test_read_file(path, NULL);
    assert_non_null(text);
    const char *expect =
        "output_id,analysis_id,population,group,group_level,variable,variable_level,stat_name,param,value\r\n"
        "14.2.1.1;F14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,n,,25\r\n"
        "14.2.1.1;F14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365;ci=loglog,0.88\r\n"
        "14.2.1.1;F14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,median,,\r\n"
        ",ae_teae,SAF,ARMCD,TAC,AEDECOD,\"Pneumonia, \"\"viral\"\"\",n_subj,AEBODSYS=Infections,2\r\n";
    assert_string_equal(text, expect);

    tlf_ard *back = NULL;
    assert_int_equal(tlf_ard_read(&back, path, &err), TLF_OK);
    assert_int_equal(back->n, 4);
    tlf_ard_query q = {.analysis_id = "os_km", .group_level = "TAC", .stat_name = "surv_at",
                       .param = "t=365;ci=loglog"};
    const tlf_ard_row *r = tlf_ard_find(back, &q);
    assert_non_null(r);
    assert_int_equal(r->kind, TLF_VAL_REAL);
    assert_true(r->value == 0.88);
    q = (tlf_ard_query){.stat_name = "median"};
    r = tlf_ard_find(back, &q);
    assert_non_null(r);
    assert_int_equal(r->kind, TLF_VAL_MISSING);
    q = (tlf_ard_query){.variable_level = "Pneumonia, \"viral\""};
    r = tlf_ard_find(back, &q);
    assert_non_null(r);
    assert_int_equal(r->kind, TLF_VAL_INT);
    assert_true(r->value == 2);
    q = (tlf_ard_query){.stat_name = "nope"};
    assert_null(tlf_ard_find(back, &q));

    free(text);
    free(dir);
    tlf_ard_free(ard);
    tlf_ard_free(back);
}

static void test_read_rejects_non_number(void **state)
{
    (void)state;
    char *dir = test_tmpdir("ard-bad");
    char path[512];
    snprintf(path, sizeof path, "%s/bad.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("output_id,analysis_id,population,group,group_level,variable,variable_level,stat_name,param,value\n"
          ",a,,,,,,n,,12x\n", f);
    fclose(f);
    tlf_ard *ard = NULL;
    tlf_err err;
    assert_int_equal(tlf_ard_read(&ard, path, &err), TLF_EDATA);
    assert_null(ard);
    assert_non_null(strstr(err.msg, "row 2"));
    assert_non_null(strstr(err.msg, "12x"));
    free(dir);
}

/* A run of digits too long for a count (found by fuzz/fuzz_ard.c: it was
 * cast to long long, undefined behaviour) reads as a real number, and the
 * file survives a write-read-write round trip unchanged. */
static void test_read_huge_integer(void **state)
{
    (void)state;
    char *dir = test_tmpdir("ard-huge");
    char *path = xasprintf("%s/in.csv", dir), *a = xasprintf("%s/a.csv", dir),
         *b = xasprintf("%s/b.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("output_id,analysis_id,population,group,group_level,variable,variable_level,stat_name,param,value\n"
          ",a,,,,,,n,,24444400000000000000000\n,a,,,,,,m,,-9007199254740993\n"
          ",a,,,,,,k,,9007199254740992\n", f);
    fclose(f);
    tlf_ard *ard = NULL, *again = NULL;
    tlf_err err;
    assert_int_equal(tlf_ard_read(&ard, path, &err), TLF_OK);
    assert_int_equal(tlf_ard_write_file(ard, a, &err), TLF_OK);
    assert_int_equal(tlf_ard_read(&again, a, &err), TLF_OK);
    assert_int_equal(tlf_ard_write_file(again, b, &err), TLF_OK);
    char *sa = test_read_file(a, NULL), *sb = test_read_file(b, NULL);
    assert_string_equal(sa, sb);
    assert_non_null(strstr(sa, ",n,,2.4444399999999998e+22\r\n"));
    assert_non_null(strstr(sa, ",k,,9007199254740992\r\n"));    /* 2^53: still a count */
    free(sa);
    free(sb);
    tlf_ard_free(ard);
    tlf_ard_free(again);
    free(b);
    free(a);
    free(path);
    free(dir);
}

/* With the index, every query finds the same first record as a scan:
 * queries naming all keys, wildcards (NULL fields), misses, and records
 * added after the index was built. */
static void test_find_indexed_same_as_scan(void **state)
{
    (void)state;
    tlf_ard *ard = tlf_ard_new();
    const char *aids[] = {"ae_teae", "lab", "demog"};
    const char *stats[] = {"n", "pct"};
    char pt[32], lvl[32];
    for (int a = 0; a < 3; a++)
        for (int i = 0; i < 60; i++)
            for (int s = 0; s < 2; s++) {
                snprintf(pt, sizeof pt, "PT=%d", i % 20);
                snprintf(lvl, sizeof lvl, "L%d", i % 7);
                tlf_ard_key key = {"14.3", aids[a], i % 2 ? "SAF" : "HC", "ARMCD",
                                   i % 3 ? "TAC" : "HC", "V", lvl};
                tlf_ard_add_int(ard, &key, stats[s], pt, a * 1000 + i * 10 + s);
            }
    tlf_ard *plain = tlf_ard_new();   /* the same records, never indexed */
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        tlf_ard_key key = {r->output_id, r->analysis_id, r->population, r->group,
                           r->group_level, r->variable, r->variable_level};
        tlf_ard_add(plain, &key, r->stat_name, r->param, r->kind, r->value);
    }
    tlf_ard_build_index(ard);
    assert_non_null(ard->index);
    for (int round = 0; round < 2; round++) {
        for (int a = 0; a < 4; a++)
            for (int i = 0; i < 25; i++)
                for (int mask = 0; mask < 16; mask++) {
                    snprintf(pt, sizeof pt, "PT=%d", i);
                    snprintf(lvl, sizeof lvl, "L%d", i % 9);
                    tlf_ard_query q = {mask & 1 ? (a < 3 ? aids[a] : "none") : NULL,
                                       mask & 2 ? "SAF" : NULL, NULL,
                                       mask & 4 ? (i % 2 ? "TAC" : "HC") : NULL, NULL,
                                       mask & 8 ? lvl : NULL, i % 3 ? "n" : "pct",
                                       i % 4 ? pt : NULL};
                    const tlf_ard_row *x = tlf_ard_find(ard, &q), *y = tlf_ard_find(plain, &q);
                    assert_true((x == NULL) == (y == NULL));
                    if (x)
                        assert_true(x - ard->rows == y - plain->rows);
                }
        /* a record added after the index: found by the scan until rebuilt */
        tlf_ard_key key = {"14.9", "late", "SAF", "", "", "", ""};
        tlf_ard_add_int(ard, &key, "n", "", 7);
        tlf_ard_add_int(plain, &key, "n", "", 7);
        tlf_ard_query late = {"late", NULL, NULL, NULL, NULL, NULL, "n", NULL};
        assert_non_null(tlf_ard_find(ard, &late));
        tlf_ard_build_index(ard);
        assert_non_null(tlf_ard_find(ard, &late));
    }
    tlf_ard_free(plain);
    tlf_ard_free(ard);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_param_escape_and_get),
        cmocka_unit_test(test_value_format),
        cmocka_unit_test(test_write_read_round_trip),
        cmocka_unit_test(test_read_rejects_non_number),
        cmocka_unit_test(test_read_huge_integer),
        cmocka_unit_test(test_find_indexed_same_as_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
