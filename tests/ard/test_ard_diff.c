/*
 * test_ard_diff.c - `tlfgen ard-diff` against hand-made pairs: reordered
 * rows, values just inside and just outside the tolerance, a missing row,
 * NaN vs a number, R/SAS spellings, a QC file with a subset of the key
 * columns, duplicate keys, --only, CRLF vs LF files, the csv report and
 * the exit statuses.
 */
#include "testutil.h"

#include "ard/ard_diff.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR "output_id,analysis_id,population,group,group_level,variable,variable_level,stat_name,param,value\n"

/* Compare two CSV texts; the result must be freed with free_pair. */
typedef struct pair {
    tlf_csv *base, *compare;
    ard_diff *d;
    int rc;
    tlf_err err;
} pair;

static pair diff_texts(const char *base, const char *compare, const ard_diff_opts *o)
{
    pair p;
    memset(&p, 0, sizeof p);
    ard_diff_opts dflt = {1e-8, NULL, 0, NULL, 0};
    assert_int_equal(tlf_csv_parse(&p.base, base, strlen(base), "BASE", &p.err), 0);
    assert_int_equal(tlf_csv_parse(&p.compare, compare, strlen(compare), "COMPARE", &p.err), 0);
    p.rc = ard_diff_csv(&p.d, p.base, "BASE", p.compare, "COMPARE", o ? o : &dflt, &p.err);
    return p;
}

static void free_pair(pair *p)
{
    ard_diff_free(p->d);
    tlf_csv_free(p->base);
    tlf_csv_free(p->compare);
}

static void test_reordered_rows_are_equal(void **state)
{
    (void)state;
    pair p = diff_texts(HDR "14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,n,,25\n"
                            "14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365;ci=loglog,0.88\n"
                            "14.2.1.1,os_km,FAS,ARMCD,HC,AVAL,,n,,53\n",
                        HDR "14.2.1.1,os_km,FAS,ARMCD,HC,AVAL,,n,,53\n"
                            "14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365;ci=loglog,0.88\n"
                            "14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,n,,25\n",
                        NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(ard_diff_ndiff(p.d), 0);
    assert_int_equal(p.d->total.equal, 3);
    assert_int_equal(p.d->nkeys, 9);
    free_pair(&p);
}

/* --tol 1e-8 is absolute or relative: 0.5 +- 4e-9 is inside both, 0.5 + 3e-8
 * is outside both; 1e6 + 5e-3 is outside the absolute tolerance but inside
 * the relative one (5e-9). */
static void test_tolerance_edges(void **state)
{
    (void)state;
    pair p = diff_texts(HDR ",a,,,,x,,inside,,0.5\n"
                            ",a,,,,x,,outside,,0.5\n"
                            ",a,,,,x,,relative,,1000000\n"
                            ",a,,,,x,,relative_out,,1000000\n",
                        HDR ",a,,,,x,,inside,,0.500000004\n"
                            ",a,,,,x,,outside,,0.50000003\n"
                            ",a,,,,x,,relative,,1000000.005\n"
                            ",a,,,,x,,relative_out,,1000000.02\n",
                        NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.d->total.equal, 2);
    assert_int_equal(p.d->total.differ, 2);
    assert_int_equal(p.d->nrecs, 2);
    assert_int_equal(p.d->recs[0].kind, ARD_DIFF_VALUE);
    assert_int_equal(p.d->recs[0].base_row, 1);
    assert_true(fabs(p.d->recs[0].abs_diff - 3e-8) < 1e-15);
    assert_int_equal(p.d->recs[1].base_row, 3);
    assert_true(fabs(p.d->recs[1].rel_diff - 2e-8) < 1e-12);
    free_pair(&p);

    /* a looser tolerance makes them all equal */
    ard_diff_opts o = {1e-6, NULL, 0, NULL, 0};
    p = diff_texts(HDR ",a,,,,x,,outside,,0.5\n", HDR ",a,,,,x,,outside,,0.50000003\n", &o);
    assert_int_equal(ard_diff_ndiff(p.d), 0);
    free_pair(&p);
}

static void test_missing_row_each_side(void **state)
{
    (void)state;
    pair p = diff_texts(HDR "t1,a,FAS,,,x,,n,,1\nt1,a,FAS,,,x,,mean,,2\nt2,b,FAS,,,y,,n,,3\n",
                        HDR "t1,a,FAS,,,x,,n,,1\nt2,b,FAS,,,y,,n,,3\nt2,b,FAS,,,y,,sd,,4\n", NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.d->total.only_base, 1);
    assert_int_equal(p.d->total.only_compare, 1);
    assert_int_equal(p.d->nrecs, 2);
    assert_int_equal(p.d->recs[0].kind, ARD_DIFF_ONLY_BASE);
    assert_int_equal(p.d->recs[0].base_row, 1);
    assert_int_equal(p.d->recs[0].compare_row, ARD_DIFF_NOROW);
    assert_int_equal(p.d->recs[1].kind, ARD_DIFF_ONLY_COMPARE);
    assert_int_equal(p.d->recs[1].compare_row, 2);
    /* counts per output, in first-seen order */
    assert_int_equal(p.d->noutputs, 2);
    assert_string_equal(p.d->outputs[0].output_id, "t1");
    assert_int_equal(p.d->outputs[0].only_base, 1);
    assert_int_equal(p.d->outputs[0].equal, 1);
    assert_string_equal(p.d->outputs[1].output_id, "t2");
    assert_int_equal(p.d->outputs[1].only_compare, 1);
    free_pair(&p);
}

/* R and SAS spellings: NA, '.', NaN and empty are all missing; Inf and
 * 1e-05 are numbers; NaN against a number is a difference; texts exact. */
static void test_missing_and_number_spellings(void **state)
{
    (void)state;
    pair p = diff_texts(HDR ",a,,,,x,,s1,,\n"
                            ",a,,,,x,,s2,,0.00001\n"
                            ",a,,,,x,,s3,,\n"
                            ",a,,,,x,,s4,,Inf\n"
                            ",a,,,,x,,s5,,0.25\n"
                            ",a,,,,x,,s6,,3\n"
                            ",a,,,,x,,s7,,not estimable\n"
                            ",a,,,,x,,s8,,-inf\n"
                            ",a,,,,x,,s9,,.A\n"
                            ",a,,,,x,,s10,,0.5\n",
                        HDR ",a,,,,x,,s1,,NA\n"
                            ",a,,,,x,,s2,,1e-05\n"
                            ",a,,,,x,,s3,,.\n"
                            ",a,,,,x,,s4,,inf\n"
                            ",a,,,,x,,s5,,NaN\n"
                            ",a,,,,x,,s6,,\n"
                            ",a,,,,x,,s7,,Not estimable\n"
                            ",a,,,,x,,s8,,Inf\n"
                            ",a,,,,x,,s9,,NaN\n"
                            ",a,,,,x,,s10,,\" .5 \"\n",
                        NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.d->total.equal, 6);     /* s1 s2 s3 s4 s9 s10 */
    assert_int_equal(p.d->total.differ, 4);    /* s5 s6 s7 s8 */
    size_t want[] = {4, 5, 6, 7};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(p.d->recs[i].kind, ARD_DIFF_VALUE);
        assert_int_equal(p.d->recs[i].base_row, want[i]);
    }
    assert_true(isnan(p.d->recs[0].abs_diff));   /* NaN vs 0.25: no difference to show */
    assert_true(isinf(p.d->recs[3].abs_diff));   /* -Inf vs Inf */
    free_pair(&p);
}

/* A SAS QC file: upper-case names, only some key columns, NA keys as R
 * writes them; records still pair up and the lacking keys are named. */
static void test_qc_file_with_subset_of_columns(void **state)
{
    (void)state;
    pair p = diff_texts(HDR "14.2.1.1;F14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365;ci=loglog,0.88\n"
                            "14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,n,,25\n",
                        "ANALYSIS_ID,STAT_NAME,GROUP_LEVEL,PARAM,VALUE\n"
                        "os_km,n,TAC,NA,25\n"
                        "os_km,surv_at,TAC,t=365;ci=loglog,0.8800000000001\n",
                        NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(ard_diff_ndiff(p.d), 0);
    assert_int_equal(p.d->nkeys, 4);
    assert_non_null(strstr(p.d->unused_keys, "output_id (not in COMPARE)"));
    assert_non_null(strstr(p.d->unused_keys, "variable (not in COMPARE)"));
    /* the outputs come from BASE: both ids of the KM row are counted */
    assert_int_equal(p.d->noutputs, 2);
    assert_int_equal(p.d->outputs[0].equal, 2);
    assert_string_equal(p.d->outputs[1].output_id, "F14.2.1.1");
    assert_int_equal(p.d->outputs[1].equal, 1);
    free_pair(&p);
}

static void test_duplicate_keys_pair_in_order(void **state)
{
    (void)state;
    /* --keys stat_name makes every row of a stat a duplicate */
    const char *keys[] = {"stat_name"};
    ard_diff_opts o = {1e-8, keys, 1, NULL, 0};
    pair p = diff_texts(HDR ",a,,,,x,,n,,1\n,a,,,,y,,n,,2\n,a,,,,z,,n,,3\n",
                        HDR ",a,,,,x,,n,,1\n,a,,,,y,,n,,5\n", &o);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.d->dup_base, 2);
    assert_int_equal(p.d->dup_compare, 1);
    assert_int_equal(p.d->total.equal, 1);
    assert_int_equal(p.d->total.differ, 1);     /* 2 vs 5 */
    assert_int_equal(p.d->total.only_base, 1);  /* the third */
    assert_int_equal(p.d->recs[0].base_row, 1);
    assert_int_equal(p.d->recs[0].compare_row, 1);
    assert_int_equal(p.d->recs[1].base_row, 2);
    free_pair(&p);
}

static void test_only_selects_outputs(void **state)
{
    (void)state;
    const char *only[] = {"F14.2.1.1"};
    ard_diff_opts o = {1e-8, NULL, 0, only, 1};
    pair p = diff_texts(HDR "14.2.1.1;F14.2.1.1,os_km,FAS,,,AVAL,,surv,t=1,0.9\n"
                            "14.1.1,demog,SAF,,,AGE,,mean,,50\n",
                        HDR "14.2.1.1;F14.2.1.1,os_km,FAS,,,AVAL,,surv,t=1,0.8\n"
                            "14.1.1,demog,SAF,,,AGE,,mean,,51\n",
                        &o);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.d->total.base, 1);
    assert_int_equal(p.d->total.differ, 1);
    assert_int_equal(p.d->noutputs, 1);
    assert_string_equal(p.d->outputs[0].output_id, "F14.2.1.1");
    free_pair(&p);
}

static void test_bad_columns_are_data_errors(void **state)
{
    (void)state;
    pair p = diff_texts(HDR ",a,,,,x,,n,,1\n", "analysis_id,stat_name,result\na,n,1\n", NULL);
    assert_int_equal(p.rc, TLF_EDATA);
    assert_non_null(strstr(p.err.msg, "COMPARE: no 'value' column"));
    assert_null(p.d);
    free_pair(&p);
    const char *keys[] = {"stat_name", "visit"};
    ard_diff_opts o = {1e-8, keys, 2, NULL, 0};
    p = diff_texts(HDR ",a,,,,x,,n,,1\n", HDR ",a,,,,x,,n,,1\n", &o);
    assert_int_equal(p.rc, TLF_EDATA);
    assert_non_null(strstr(p.err.msg, "BASE: no key column 'visit'"));
    free_pair(&p);
    p = diff_texts(HDR ",a,,,,x,,n,,1\n", "value\n1\n", NULL);
    assert_int_equal(p.rc, TLF_EDATA);
    assert_non_null(strstr(p.err.msg, "share no key column"));
    free_pair(&p);
    const char *only[] = {"14.1.1"};
    ard_diff_opts o2 = {1e-8, NULL, 0, only, 1};
    p = diff_texts("stat_name,value\nn,1\n", "stat_name,value\nn,1\n", &o2);
    assert_int_equal(p.rc, TLF_EDATA);
    assert_non_null(strstr(p.err.msg, "--only needs an 'output_id' column"));
    free_pair(&p);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The command: CRLF against LF files, the csv report, the exit statuses. */
static void test_cli_crlf_report_and_exit_status(void **state)
{
    (void)state;
    char *dir = test_tmpdir("ard_diff");
    char base[512], lf[512], changed[512], report[512];
    snprintf(base, sizeof base, "%s/base.csv", dir);
    snprintf(lf, sizeof lf, "%s/lf.csv", dir);
    snprintf(changed, sizeof changed, "%s/changed.csv", dir);
    snprintf(report, sizeof report, "%s/diff.csv", dir);
    write_text(base, "output_id,analysis_id,population,group,group_level,variable,variable_level,"
                     "stat_name,param,value\r\n"
                     "14.2.1.1;F14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365;ci=loglog,0.88\r\n"
                     "14.3.2.1,ae_ser,SAF,ARMCD,TAC,,,pct,,44\r\n"
                     "14.3.2.1,ae_ser,SAF,ARMCD,TAC,AEDECOD,\"Pneumonia, bacterial\",n_subj,"
                     "\"AEBODSYS=Infections, infestations\",2\r\n");
    write_text(lf, HDR "14.3.2.1,ae_ser,SAF,ARMCD,TAC,AEDECOD,\"Pneumonia, bacterial\",n_subj,"
                       "\"AEBODSYS=Infections, infestations\",2\n"
                       "14.2.1.1;F14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365;ci=loglog,0.88\n"
                       "14.3.2.1,ae_ser,SAF,ARMCD,TAC,,,pct,,44\n");
    write_text(changed, HDR "14.2.1.1;F14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365;ci=loglog,"
                            "0.87\n"
                            "14.3.2.1,ae_ser,SAF,ARMCD,TAC,,,pct,,44\n");

    run_result r = run_tlfgen("ard-diff '%s' '%s'", base, lf);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Equal: every record matches"));
    assert_non_null(strstr(r.out, "  14.3.2.1                      2        2        2"));
    run_result_free(&r);

    /* options after the files, as the synopsis reads */
    r = run_tlfgen("ard-diff '%s' '%s' --out '%s' --tol 1e-3", base, changed, report);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "Different: 1 values differ, 1 records only in BASE"));
    assert_non_null(strstr(r.out, "0.88 vs 0.87"));
    run_result_free(&r);
    char *csv = test_read_file(report, NULL);
    assert_non_null(csv);
    assert_string_equal(csv,
        "kind,output_id,analysis_id,population,group,group_level,variable,variable_level,"
        "stat_name,param,base_row,compare_row,base_value,compare_value,abs_diff,rel_diff\r\n"
        "value,14.2.1.1;F14.2.1.1,os_km,FAS,ARMCD,TAC,AVAL,,surv_at,t=365;ci=loglog,1,1,0.88,"
        "0.87,0.010000000000000009,0.011363636363636374\r\n"
        "only_base,14.3.2.1,ae_ser,SAF,ARMCD,TAC,AEDECOD,\"Pneumonia, bacterial\",n_subj,"
        "\"AEBODSYS=Infections, infestations\",3,,2,,,\r\n");
    free(csv);

    /* --only keeps the run to one output: equal there */
    r = run_tlfgen("ard-diff --quiet --only 14.3.2.1 '%s' '%s'", lf, changed);
    assert_int_equal(r.status, 1);      /* the Pneumonia row is only in BASE */
    assert_string_equal(r.out, "");
    run_result_free(&r);
    r = run_tlfgen("ard-diff --quiet --only 14.9 '%s' '%s'", lf, changed);
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    /* errors keep the program's table: 2 usage/bad column, 3 unreadable, 6 not writable */
    r = run_tlfgen("ard-diff '%s' --tol -1 '%s'", base, lf);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--tol '-1'"));
    run_result_free(&r);
    r = run_tlfgen("ard-diff '%s'", base);
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_tlfgen("ard-diff '%s' '%s' --keys stat_name,visit", base, lf);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "no key column 'visit'"));
    run_result_free(&r);
    r = run_tlfgen("ard-diff '%s' '%s/absent.csv'", base, dir);
    assert_int_equal(r.status, 3);
    run_result_free(&r);
    r = run_tlfgen("ard-diff '%s' '%s' --out '%s/no/such/dir/d.csv'", base, changed, dir);
    assert_int_equal(r.status, 6);
    run_result_free(&r);
    free(dir);
}

/* The demo run's ARD against itself with its rows reversed: the hash
 * pairs all 6,365 records. */
static void test_real_ard_reversed(void **state)
{
    (void)state;
    char *fixture = test_source_path("tests/fixtures/ard/demo_csr_baseline.csv");
    char *dir = test_tmpdir("ard_diff_rev");
    run_result r = run_sh("(head -n 1 '%s'; tail -n +2 '%s' | tac) > '%s/rev.csv'",
                          fixture, fixture, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("ard-diff '%s' '%s/rev.csv'", fixture, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "  total                      6365     6365     6365        0"));
    run_result_free(&r);
    free(fixture);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reordered_rows_are_equal),
        cmocka_unit_test(test_tolerance_edges),
        cmocka_unit_test(test_missing_row_each_side),
        cmocka_unit_test(test_missing_and_number_spellings),
        cmocka_unit_test(test_qc_file_with_subset_of_columns),
        cmocka_unit_test(test_duplicate_keys_pair_in_order),
        cmocka_unit_test(test_only_selects_outputs),
        cmocka_unit_test(test_bad_columns_are_data_errors),
        cmocka_unit_test(test_cli_crlf_report_and_exit_status),
        cmocka_unit_test(test_real_ard_reversed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
