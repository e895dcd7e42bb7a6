/* test_ae.c - TEAE incidence: denominators, once-per-subject counting,
 * SOC/PT order, worst grade with Missing, overview flags. */
#include "testutil.h"
#include "sdtm_builder.h"
#include "study/study.h"
#include "analysis/analysis.h"

#include <math.h>
#include <string.h>

static sqlite3 *fixture(void)
{
    const char *sql =
        "CREATE TABLE ADSL(USUBJID TEXT, ARMCD TEXT, SAFFL TEXT);"
        "INSERT INTO ADSL VALUES('S1','TAC','Y'),('S2','TAC','Y'),('S3','TAC','Y'),('S4','TAC','Y'),"
        "('N1','TAC','N'),('H1','HC','N');"
        "CREATE TABLE ADAE(USUBJID TEXT, AEBODSYS TEXT, AEDECOD TEXT, AETOXGR TEXT, ATOXGRN INTEGER, TRTEMFL TEXT,"
        " AERELFL TEXT, AESERFL TEXT, AEWDFL TEXT, AEFATFL TEXT, AESICAT TEXT);"
        /* S1: two pneumonias (grade 2 and 3) and a CMV infection (grade missing) */
        "INSERT INTO ADAE VALUES('S1','Infections and infestations','Pneumonia','2',2,'Y','N','N','','',''),"
        "('S1','Infections and infestations','Pneumonia','3',3,'Y','Y','Y','','',''),"
        "('S1','Infections and infestations','Cytomegalovirus infection','',NULL,'Y','Y','Y','','','Opportunistic infection'),"
        /* S2: pneumonia grade 1, tremor grade 1 */
        "('S2','Infections and infestations','Pneumonia','1',1,'Y','N','N','','',''),"
        "('S2','Nervous system disorders','Tremor','1',1,'Y','Y','N','','','Tremor'),"
        /* S3: tremor grade 5, fatal, withdrawn */
        "('S3','Nervous system disorders','Tremor','5',5,'Y','Y','Y','Y','Y','Tremor'),"
        /* not counted: not treatment-emergent, not in SAF */
        "('S4','Cardiac disorders','Palpitations','1',1,'','N','N','','',''),"
        "('N1','Cardiac disorders','Palpitations','1',1,'Y','N','N','','','');";
    return db_with(sql);
}

static double get(const tlf_ard *ard, const char *aid, const char *var, const char *level,
                  const char *stat, const char *param)
{
    tlf_ard_query q = {.analysis_id = aid, .variable = var, .variable_level = level,
                       .stat_name = stat, .param = param};
    const tlf_ard_row *r = tlf_ard_find(ard, &q);
    if (!r)
        fail_msg("no ARD row %s/%s/%s/%s/%s", aid, var, level, stat, param);
    return r->value;
}

/* The labelled n_subj rows of analysis aid are exactly order[0..n), in order. */
static void assert_order(const tlf_ard *ard, const char *aid, const char *const *order, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < ard->n; i++) {
        const tlf_ard_row *r = &ard->rows[i];
        if (strcmp(r->analysis_id, aid) == 0 && strcmp(r->stat_name, "n_subj") == 0 &&
            r->variable_level[0]) {
            assert_true(k < n);
            assert_string_equal(r->variable_level, order[k]);
            k++;
        }
    }
    assert_int_equal(k, n);
}

static void test_ae_incidence(void **state)
{
    (void)state;
    sqlite3 *db = fixture();
    tlf_ard *ard = tlf_ard_new();
    tlf_study *study = test_study();
    analysis_ctx ctx = {.adam = db, .ard = ard, .study = study};
    tlf_err err;
    assert_int_equal(analysis_ae(&ctx, &err), TLF_OK);

    assert_true(get(ard, "ae_teae", "", "", "n", "") == 4);
    assert_true(get(ard, "ae_teae", "", "", "n_subj", "") == 3);
    assert_true(fabs(get(ard, "ae_teae", "", "", "pct", "") - 75.0) < 1e-12);
    assert_true(get(ard, "ae_teae", "", "", "n_event", "") == 6);
    assert_true(get(ard, "ae_teae", "AEBODSYS", "Infections and infestations", "n_subj", "") == 2);
    assert_true(get(ard, "ae_teae", "AEBODSYS", "Infections and infestations", "n_event", "") == 4);
    assert_true(get(ard, "ae_teae", "AEDECOD", "Pneumonia", "n_subj",
                    "AEBODSYS=Infections and infestations") == 2);
    assert_true(get(ard, "ae_teae", "AEDECOD", "Pneumonia", "n_event",
                    "AEBODSYS=Infections and infestations") == 3);

    /* display order: SOCs by descending subjects then alphabetically (2 vs 2:
     * Infections before Nervous), PTs within SOC likewise (Pneumonia 2 > CMV 1) */
    const char *order[] = {"Infections and infestations", "Pneumonia", "Cytomegalovirus infection",
                           "Nervous system disorders", "Tremor"};
    assert_order(ard, "ae_teae", order, 5);

    /* worst grade: S1 pneumonia at 3 (not 2), S2 at 1; CMV all missing -> Missing */
    const char *pn = "AEBODSYS=Infections and infestations;AETOXGR=";
    char p[128];
    snprintf(p, sizeof p, "%s3", pn);
    assert_true(get(ard, "ae_grade", "AEDECOD", "Pneumonia", "n_subj", p) == 1);
    snprintf(p, sizeof p, "%s2", pn);
    assert_true(get(ard, "ae_grade", "AEDECOD", "Pneumonia", "n_subj", p) == 0);
    assert_true(get(ard, "ae_grade", "AEDECOD", "Pneumonia", "n_event", p) == 1);
    snprintf(p, sizeof p, "%s1", pn);
    assert_true(get(ard, "ae_grade", "AEDECOD", "Pneumonia", "n_subj", p) == 1);
    snprintf(p, sizeof p, "%sMissing", pn);
    assert_true(get(ard, "ae_grade", "AEDECOD", "Cytomegalovirus infection", "n_subj", p) == 1);
    /* at SOC level S1's worst is 3, so Missing is empty there */
    assert_true(get(ard, "ae_grade", "AEBODSYS", "Infections and infestations", "n_subj",
                    "AETOXGR=Missing") == 0);
    assert_true(get(ard, "ae_grade", "", "", "n_subj", "AETOXGR=5") == 1);

    assert_true(get(ard, "ae_ser", "", "", "n_subj", "") == 2);
    assert_true(get(ard, "ae_rel", "AEDECOD", "Tremor", "n_subj",
                    "AEBODSYS=Nervous system disorders") == 2);
    assert_true(get(ard, "ae_aesi", "AESICAT", "Tremor", "n_subj", "") == 2);
    assert_true(get(ard, "ae_aesi", "AESICAT", "Opportunistic infection", "n_subj", "") == 1);

    assert_true(get(ard, "ae_overview", "TRTEMFL", "", "n_subj", "") == 3);
    assert_true(get(ard, "ae_overview", "AESERFL", "", "n_subj", "") == 2);
    assert_true(get(ard, "ae_overview", "AEGR3FL", "", "n_subj", "") == 2);
    assert_true(get(ard, "ae_overview", "AEWDFL", "", "n_subj", "") == 1);
    assert_true(get(ard, "ae_overview", "AEFATFL", "", "n_event", "") == 1);
    tlf_study_free(study);
    tlf_ard_free(ard);
    sqlite3_close(db);
}

/* Labels and order as SQLite's BINARY collation and TRIM give them: an
 * upper-case label sorts before a lower-case one at equal counts, padded
 * terms count with their trimmed label, an empty PT or SOC is "Uncoded",
 * and an AESI category of blanks is counted as "Uncoded" too. */
static void test_ae_labels_and_byte_order(void **state)
{
    (void)state;
    const char *sql =
        "CREATE TABLE ADSL(USUBJID TEXT, ARMCD TEXT, SAFFL TEXT);"
        "INSERT INTO ADSL VALUES('S1','TAC','Y'),('S2','TAC','Y');"
        "CREATE TABLE ADAE(USUBJID TEXT, AEBODSYS TEXT, AEDECOD TEXT, AETOXGR TEXT, ATOXGRN INTEGER,"
        " TRTEMFL TEXT, AERELFL TEXT, AESERFL TEXT, AEWDFL TEXT, AEFATFL TEXT, AESICAT TEXT);"
        "INSERT INTO ADAE VALUES('S1','eye disorders','Dry eye','1',1,'Y','N','N','','',' '),"
        "('S2','Vascular disorders',' Hypertension ','2',2,'Y','N','N','','',''),"
        "('S1','Vascular disorders','Hypertension','',NULL,'Y','N','N','','',''),"
        "('S2',NULL,'',NULL,NULL,'Y','N','N','','','');";
    sqlite3 *db = db_with(sql);
    tlf_ard *ard = tlf_ard_new();
    tlf_study *study = test_study();
    analysis_ctx ctx = {.adam = db, .ard = ard, .study = study};
    tlf_err err;
    assert_int_equal(analysis_ae(&ctx, &err), TLF_OK);

    /* Vascular 2 subjects first; then 1 each: "Uncoded" < "eye disorders" in bytes */
    const char *order[] = {"Vascular disorders", "Hypertension", "Uncoded", "Uncoded",
                           "eye disorders", "Dry eye"};
    assert_order(ard, "ae_teae", order, 6);
    assert_true(get(ard, "ae_teae", "AEDECOD", "Hypertension", "n_subj",
                    "AEBODSYS=Vascular disorders") == 2);
    /* worst grade per subject: S2 at 2, S1 missing */
    assert_true(get(ard, "ae_grade", "AEDECOD", "Hypertension", "n_subj",
                    "AEBODSYS=Vascular disorders;AETOXGR=2") == 1);
    assert_true(get(ard, "ae_grade", "AEDECOD", "Hypertension", "n_subj",
                    "AEBODSYS=Vascular disorders;AETOXGR=Missing") == 1);
    assert_true(get(ard, "ae_grade", "AEDECOD", "Hypertension", "n_event",
                    "AEBODSYS=Vascular disorders;AETOXGR=Missing") == 1);
    assert_true(get(ard, "ae_aesi", "AESICAT", "Uncoded", "n_subj", "") == 1);
    assert_true(get(ard, "ae_aesi", "", "", "n_event", "") == 1);
    tlf_study_free(study);
    tlf_ard_free(ard);
    sqlite3_close(db);
}

static void test_ae_missing_table_is_an_error(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    tlf_ard *ard = tlf_ard_new();
    tlf_study *study = test_study();
    analysis_ctx ctx = {.adam = db, .ard = ard, .study = study};
    tlf_err err;
    assert_int_equal(analysis_ae(&ctx, &err), TLF_EINTERNAL);
    assert_non_null(strstr(err.msg, "ADSL"));
    tlf_study_free(study);
    tlf_ard_free(ard);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ae_incidence),
        cmocka_unit_test(test_ae_labels_and_byte_order),
        cmocka_unit_test(test_ae_missing_table_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
