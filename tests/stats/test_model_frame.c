/* test_model_frame.c - design matrices as R builds them: numeric and
 * dummy-coded covariates, reference levels, complete cases, errors. */
#include "testutil.h"
#include "stats/model_frame.h"

#include <string.h>

static tlf_csv *parse(const char *text)
{
    tlf_csv *csv = NULL;
    tlf_err err;
    assert_int_equal(tlf_csv_parse(&csv, text, strlen(text), "d.csv", &err), TLF_OK);
    return csv;
}

static const char *DATA = "arm,age,sex,y\nTAC,50,M,1\nHC,61,F,0\nTAC,,F,1\nPBO,40,M,0\nHC,33,F,\n";

static void test_mf_dummies_and_complete_cases(void **state)
{
    (void)state;
    tlf_csv *csv = parse(DATA);
    mf_table t = mf_table_from_csv(csv, "d.csv");
    const char *cov[] = {"arm", "age"};
    model_frame *mf = NULL;
    tlf_err err;
    assert_int_equal(model_frame_build(&mf, &t, cov, 2, NULL, 0, NULL, 1, &err), TLF_OK);
    assert_int_equal(mf->n, 4);                 /* row 3 has no age */
    assert_int_equal(mf->n_missing, 1);
    assert_int_equal(mf->p, 4);                 /* (Intercept) armPBO armTAC age */
    assert_string_equal(mf->names[0], "(Intercept)");
    assert_string_equal(mf->names[1], "armPBO");
    assert_string_equal(mf->names[2], "armTAC");
    assert_string_equal(mf->names[3], "age");
    assert_string_equal(mf->reference[0], "HC");
    assert_int_equal(mf->row[2], 3);
    const double want[] = {1, 0, 1, 50, 1, 0, 0, 61, 1, 1, 0, 40, 1, 0, 0, 33};
    for (int i = 0; i < 16; i++)
        assert_float_equal(mf->x[i], want[i], 0);
    model_frame_free(mf);

    /* reference chosen; use[] excludes the rows with a missing y */
    unsigned char use[] = {1, 1, 1, 1, 0};
    mf_ref ref = {"arm", "TAC"};
    const char *cov2[] = {"arm"};
    assert_int_equal(model_frame_build(&mf, &t, cov2, 1, &ref, 1, use, 0, &err), TLF_OK);
    assert_int_equal(mf->n, 4);
    assert_int_equal(mf->p, 2);
    assert_string_equal(mf->names[0], "armHC");
    assert_string_equal(mf->names[1], "armPBO");
    model_frame_free(mf);

    /* a reference makes a numeric column categorical */
    mf_ref num = {"age", "50"};
    const char *cov3[] = {"age"};
    assert_int_equal(model_frame_build(&mf, &t, cov3, 1, &num, 1, NULL, 0, &err), TLF_OK);
    assert_int_equal(mf->p, 3);
    assert_string_equal(mf->names[0], "age33");
    model_frame_free(mf);
    tlf_csv_free(csv);
}

static void test_mf_errors(void **state)
{
    (void)state;
    tlf_csv *csv = parse("a,b,c\n1,x,K\n2,y,K\nz,x,K\n");
    mf_table t = mf_table_from_csv(csv, "e.csv");
    model_frame *mf = NULL;
    tlf_err err;
    const char *mixed[] = {"a"};
    assert_int_equal(model_frame_build(&mf, &t, mixed, 1, NULL, 0, NULL, 0, &err), TLF_EDATA);
    assert_null(mf);
    assert_non_null(strstr(err.msg, "column 'a', line 4: value 'z' is not a number"));
    const char *none[] = {"q"};
    assert_int_equal(model_frame_build(&mf, &t, none, 1, NULL, 0, NULL, 0, &err), TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "no column 'q'"));
    const char *single[] = {"c"};
    assert_int_equal(model_frame_build(&mf, &t, single, 1, NULL, 0, NULL, 0, &err), TLF_EDATA);
    assert_non_null(strstr(err.msg, "single level 'K'"));
    const char *b[] = {"b"};
    mf_ref bad = {"b", "w"};
    assert_int_equal(model_frame_build(&mf, &t, b, 1, &bad, 1, NULL, 0, &err), TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "no level 'w'"));
    mf_ref other = {"c", "K"};
    assert_int_equal(model_frame_build(&mf, &t, b, 1, &other, 1, NULL, 0, &err), TLF_EUSAGE);
    tlf_csv_free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mf_dummies_and_complete_cases),
        cmocka_unit_test(test_mf_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
