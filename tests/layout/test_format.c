/* test_format.c - display rounding (sap.md section 5) and p-values. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "layout/format.h"

static void check(double v, int d, int scale, const char *want)
{
    char out[TLF_FMT_MAX];
    assert_int_equal(tlf_fmt_fixed(out, sizeof out, v, d, scale), 0);
    if (strcmp(out, want) != 0)
        fail_msg("tlf_fmt_fixed(%.17g, %d, %d) = '%s', want '%s'", v, d, scale, out, want);
}

static void test_half_away_from_zero(void **state)
{
    (void)state;
    check(0.125, 2, 0, "0.13");
    check(1.005, 2, 0, "1.01");
    check(2.675, 2, 0, "2.68");
    check(-0.5, 0, 0, "-1");
    check(0.5, 0, 0, "1");
    check(1.5, 0, 0, "2");
    check(2.5, 0, 0, "3");
    check(-2.5, 0, 0, "-3");
    check(-0.125, 2, 0, "-0.13");
    check(0.0449999999, 1, 0, "0.0");
    check(0.05, 1, 0, "0.1");
    check(-0.04, 1, 0, "0.0");          /* no "-0.0" */
    check(9.995, 2, 0, "10.00");
    check(99.95, 1, 0, "100.0");
    check(0.0, 2, 0, "0.00");
    check(12.0, 1, 0, "12.0");
    check(123456.789, 0, 0, "123457");
    check(0.000123, 3, 0, "0.000");
    check(0.0005, 3, 0, "0.001");
    check(0.00049, 3, 0, "0.000");
    check(3.0, 0, 0, "3");
    check(1e-20, 2, 0, "0.00");
}

static void test_percent_scale(void **state)
{
    (void)state;
    check(0.88, 1, 2, "88.0");
    check(0.12345, 1, 2, "12.3");
    check(0.12355, 1, 2, "12.4");     /* 12.355 half away */
    check(1.0, 1, 2, "100.0");
    check(0.038461538461538464, 1, 2, "3.8");
}

static void test_pvalue(void **state)
{
    (void)state;
    char out[TLF_FMT_MAX];
    assert_int_equal(tlf_fmt_pvalue(out, sizeof out, 0.0004), 0);
    assert_string_equal(out, "<0.001");
    assert_int_equal(tlf_fmt_pvalue(out, sizeof out, 0.001), 0);
    assert_string_equal(out, "0.001");
    assert_int_equal(tlf_fmt_pvalue(out, sizeof out, 0.0425), 0);
    assert_string_equal(out, "0.043");
    assert_int_equal(tlf_fmt_pvalue(out, sizeof out, 0.9995), 0);
    assert_string_equal(out, ">0.999");
    assert_int_equal(tlf_fmt_pvalue(out, sizeof out, 0.999), 0);
    assert_string_equal(out, "0.999");
    assert_int_equal(tlf_fmt_pvalue(out, sizeof out, 1.0), 0);
    assert_string_equal(out, ">0.999");
    assert_int_equal(tlf_fmt_pvalue(out, sizeof out, -0.1), TLF_EDATA);
    assert_int_equal(tlf_fmt_pvalue(out, sizeof out, NAN), TLF_EDATA);
}

static void test_rejects(void **state)
{
    (void)state;
    char out[TLF_FMT_MAX];
    assert_int_equal(tlf_fmt_fixed(out, sizeof out, INFINITY, 1, 0), TLF_EDATA);
    assert_string_equal(out, "");
    assert_int_equal(tlf_fmt_fixed(out, sizeof out, NAN, 1, 0), TLF_EDATA);
    assert_int_equal(tlf_fmt_fixed(out, sizeof out, 1.0, -1, 0), TLF_EDATA);
    assert_int_equal(tlf_fmt_fixed(out, 8, 1.0, 1, 0), TLF_EDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_half_away_from_zero),
        cmocka_unit_test(test_percent_scale),
        cmocka_unit_test(test_pvalue),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
