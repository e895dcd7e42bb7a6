/*
 * test_params_data.c - rows from the data (issue 15): a locked demo
 * database with a laboratory test the study configuration does not name
 * (PLT, platelets, added by SQL as a protocol amendment would) and without
 * one it names (no %FVC), a test one site skipped (CK) and a subject
 * without a baseline value, runs csr with exit 0; 14.3.4.1, 14.3.4.2 and
 * 16.2.8 show platelets after the configured tests, 14.2.5.1 keeps its
 * %FVC block with n = 0, and the unconfigured test is a WARNING (DB020),
 * not an error.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text of one output PDF of the run (pdftotext -layout). Caller frees. */
static char *output_text(const char *runs, const char *id)
{
    run_result r = run_sh("pdftotext -layout \"$(ls -d '%s'/TACIP/csr/*/ | head -1)%s.pdf\" -",
                          runs, id);
    if (r.status != 0)
        fail_msg("pdftotext %s: %s", id, r.err);
    char *out = r.out;
    r.out = NULL;
    run_result_free(&r);
    return out;
}

static void test_plt_added_fvc_removed(void **state)
{
    (void)state;
    char *dir = test_tmpdir("params-data");
    run_result r = run_tlfgen("demo-db --out '%s/db.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    /* PLT: every subject's WBC records again under another test code and
     * label (their ranges give some LOW/HIGH values for 16.2.8); no %FVC;
     * site 02 never measured CK; T0001 has no baseline ALT */
    r = run_sh("sqlite3 '%s/db.sqlite' \""
               "INSERT INTO LB SELECT USUBJID, LBSEQ + 1000, 'PLT', 'Platelets', LBCAT, LBORRES, "
               "LBORRESU, LBSTRESN * 30, LBSTRESU, LBSTNRLO * 30, LBSTNRHI * 30, LBNRIND, LBBLFL, "
               "VISITNUM, VISIT, LBDTC FROM LB WHERE LBTESTCD = 'WBC';"
               "DELETE FROM RE WHERE RETESTCD = 'FVCPP';"
               "DELETE FROM LB WHERE LBTESTCD = 'CK' AND USUBJID IN "
               "(SELECT USUBJID FROM DM WHERE SITEID = '02');"
               "DELETE FROM LB WHERE LBTESTCD = 'ALT' AND USUBJID = 'T0001' AND LBBLFL = 'Y';\"",
               dir);
    if (r.status != 0)
        fail_msg("sqlite3: %s", r.err);
    run_result_free(&r);

    r = run_tlfgen("check --db '%s/db.sqlite'", dir);
    /* the new test is a warning naming it, never an error */
    /* the summary goes to stderr */
    if (!strstr(r.err, "DB020 WARNING 1 finding(s)") ||
        !strstr(r.err, "laboratory test PLT is not in the study configuration") ||
        strstr(r.err, "DB009"))
        fail_msg("check does not report PLT once as DB020: %s %s", r.out, r.err);
    run_result_free(&r);

    r = run_tlfgen("run --db '%s/db.sqlite' --profile csr --out '%s/out' --quiet", dir, dir);
    if (r.status != 0)
        fail_msg("csr run: exit %d: %s", r.status, r.err);
    run_result_free(&r);
    char runs[600];
    snprintf(runs, sizeof runs, "%s/out", dir);

    /* platelets after the configured tests, with the data's label and unit */
    char *t = output_text(runs, "14.3.4.1");
    const char *plt = strstr(t, "Platelets (10^9/L)");
    const char *ferritin = strstr(t, "Ferritin (ng/mL)");
    if (!plt || !ferritin || plt < ferritin)
        fail_msg("14.3.4.1: Platelets missing or not after Ferritin");
    assert_non_null(strstr(t, "Creatine Kinase (U/L)"));
    free(t);
    t = output_text(runs, "14.3.4.2");
    assert_non_null(strstr(t, "Platelets (10^9/L)"));
    free(t);
    t = output_text(runs, "16.2.8");
    assert_non_null(strstr(t, "Platelets"));
    free(t);

    /* %FVC keeps its block: n 0 at baseline and at every visit */
    t = output_text(runs, "14.2.5.1");
    const char *fvc = strstr(t, "%FVC (% predicted)");
    if (!fvc)
        fail_msg("14.2.5.1 has no %%FVC block");
    const char *line = strstr(fvc, "Baseline");
    assert_non_null(line);
    char first[32] = "";
    if (sscanf(line, "Baseline %31s", first) != 1 || strcmp(first, "0") != 0)
        fail_msg("14.2.5.1 %%FVC baseline: want n 0, got '%s'", first);
    line = strstr(fvc, "Week 52");
    assert_non_null(line);
    if (sscanf(line, "Week 52 %31s", first) != 1 || strcmp(first, "0") != 0)
        fail_msg("14.2.5.1 %%FVC week 52: want n 0, got '%s'", first);
    free(t);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plt_added_fvc_removed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
