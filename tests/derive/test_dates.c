/* test_dates.c - dates.c: ISO parsing, calendar checks, study day (no day
 * 0) and every partial-date imputation case of sap.md section 1. */
#include "testutil.h"
#include "derive/dates.h"

#include <string.h>

static tlf_day D(const char *s)
{
    tlf_day d = tlf_day_parse_complete(s);
    assert_int_not_equal(d, TLF_NODAY);
    return d;
}

static tlf_pdate P(const char *s)
{
    tlf_pdate p;
    assert_int_equal(tlf_pdate_parse(s, &p), 0);
    return p;
}

static void assert_day(tlf_day d, const char *iso)
{
    char buf[11];
    assert_string_equal(tlf_day_format(d, buf), iso);
}

static void test_parse_precisions(void **state)
{
    (void)state;
    tlf_pdate p = P("2024");
    assert_int_equal(p.prec, TLF_PD_YEAR);
    p = P("2024-03");
    assert_int_equal(p.prec, TLF_PD_MONTH);
    assert_int_equal(p.m, 3);
    p = P("2024-03-09T14:30");
    assert_int_equal(p.prec, TLF_PD_DAY);
    assert_int_equal(p.minute, 14 * 60 + 30);
    p = P("2024-03-09T08:05:59");
    assert_int_equal(p.minute, 8 * 60 + 5);
    p = P("");
    assert_int_equal(p.prec, TLF_PD_MISSING);
    assert_int_equal(tlf_pdate_parse(NULL, &p), 0);
    assert_int_equal(p.prec, TLF_PD_MISSING);
}

static void test_parse_rejects_invalid(void **state)
{
    (void)state;
    tlf_pdate p;
    const char *bad[] = {"2024-02-30", "2023-02-29", "2024-13", "2024-00-10", "2024-04-31",
                         "24-01-01", "2024/01/01", "2024-1-1", "2024-01-01T25:00",
                         "2024-01T10:00", "2024-01-01 ", "abcd", "2024-01-00", "2024-01-01T10:60"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tlf_pdate_parse(bad[i], &p), -1);
        assert_int_equal(p.prec, TLF_PD_MISSING);
    }
    assert_int_equal(tlf_pdate_parse("2024-02-29", &p), 0); /* leap year */
    assert_int_equal(tlf_pdate_parse("2000-02-29", &p), 0);
    assert_int_equal(tlf_pdate_parse("1900-02-29", &p), -1);
    assert_int_equal(tlf_day_parse_complete("2024-05"), TLF_NODAY);
}

static void test_day_numbers_round_trip(void **state)
{
    (void)state;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("1970-01-02"), 1);
    assert_int_equal(D("1969-12-31"), -1);
    assert_int_equal(D("2024-03-01") - D("2024-02-28"), 2);
    assert_int_equal(D("2023-03-01") - D("2023-02-28"), 1);
    for (tlf_day d = D("1899-12-25"); d < D("2101-01-10"); d += 17) {
        int y, m, dd;
        tlf_ymd_from_day(d, &y, &m, &dd);
        assert_int_equal(tlf_day_from_ymd(y, m, dd), d);
    }
    assert_day(D("2024-12-31"), "2024-12-31");
    assert_day(TLF_NODAY, "");
}

static void test_study_day_no_day_zero(void **state)
{
    (void)state;
    tlf_day day1 = D("2024-01-10");
    assert_int_equal(tlf_study_day(day1, day1), 1);
    assert_int_equal(tlf_study_day(D("2024-01-11"), day1), 2);
    assert_int_equal(tlf_study_day(D("2024-01-09"), day1), -1);
    assert_int_equal(tlf_study_day(D("2024-01-08"), day1), -2);
    assert_int_equal(tlf_study_day(D("2025-01-08"), day1), 365);
    assert_int_equal(tlf_study_day(TLF_NODAY, day1), TLF_NODAY);
    assert_int_equal(tlf_study_day(day1, TLF_NODAY), TLF_NODAY);
    assert_int_equal(tlf_day_of_study_day(1, day1), day1);
    assert_int_equal(tlf_day_of_study_day(-1, day1), day1 - 1);
    assert_int_equal(tlf_day_of_study_day(365, day1), D("2025-01-08"));
}

static void test_impute_start(void **state)
{
    (void)state;
    tlf_day day1 = D("2024-05-10");
    char f;
    tlf_pdate p;
    /* complete date: kept, no flag */
    p = P("2024-05-03");
    assert_day(tlf_impute_start(&p, day1, TLF_NODAY, &f), "2024-05-03");
    assert_int_equal(f, 0);
    /* missing day, month other than day 1's: 1st of month */
    p = P("2024-06");
    assert_day(tlf_impute_start(&p, day1, TLF_NODAY, &f), "2024-06-01");
    assert_int_equal(f, 'D');
    p = P("2024-04");
    assert_day(tlf_impute_start(&p, day1, TLF_NODAY, &f), "2024-04-01");
    /* missing day in day 1's month: day 1 */
    p = P("2024-05");
    assert_day(tlf_impute_start(&p, day1, TLF_NODAY, &f), "2024-05-10");
    assert_int_equal(f, 'D');
    /* ... unless the record ended before day 1 */
    assert_day(tlf_impute_start(&p, day1, D("2024-05-05"), &f), "2024-05-01");
    /* ... and never later than the end date */
    assert_day(tlf_impute_start(&p, day1, D("2024-05-10"), &f), "2024-05-10");
    /* missing month: 1 January, or day 1 in day 1's year */
    p = P("2025");
    assert_day(tlf_impute_start(&p, day1, TLF_NODAY, &f), "2025-01-01");
    assert_int_equal(f, 'M');
    p = P("2024");
    assert_day(tlf_impute_start(&p, day1, TLF_NODAY, &f), "2024-05-10");
    assert_int_equal(f, 'M');
    assert_day(tlf_impute_start(&p, day1, D("2024-03-31"), &f), "2024-01-01");
    /* never later than the end: 2024-05 imputed to day 1 would pass an end
     * on 2024-05-20? no: day 1 is earlier; a 2024-06 start with a
     * (data-error) end 2024-05-20 is brought back to the end */
    p = P("2024-06");
    assert_day(tlf_impute_start(&p, day1, D("2024-05-20"), &f), "2024-05-20");
    /* no day 1 known: plain 1st of month */
    p = P("2024-05");
    assert_day(tlf_impute_start(&p, TLF_NODAY, TLF_NODAY, &f), "2024-05-01");
    /* fully missing: not imputed */
    p = P("");
    assert_int_equal(tlf_impute_start(&p, day1, TLF_NODAY, &f), TLF_NODAY);
    assert_int_equal(f, 0);
}

static void test_impute_end(void **state)
{
    (void)state;
    char f;
    tlf_pdate p = P("2024-02");
    assert_day(tlf_impute_end(&p, TLF_NODAY, TLF_NODAY, &f), "2024-02-29");
    assert_int_equal(f, 'D');
    p = P("2023");
    assert_day(tlf_impute_end(&p, TLF_NODAY, TLF_NODAY, &f), "2023-12-31");
    assert_int_equal(f, 'M');
    /* capped at death, then at the cut-off */
    assert_day(tlf_impute_end(&p, D("2023-07-04"), TLF_NODAY, &f), "2023-07-04");
    assert_int_equal(f, 'M');
    assert_day(tlf_impute_end(&p, D("2023-07-04"), D("2023-06-30"), &f), "2023-06-30");
    p = P("2023-08-15");
    assert_day(tlf_impute_end(&p, TLF_NODAY, D("2023-06-30"), &f), "2023-06-30");
    assert_int_equal(f, 0);
    p = P("2023-05-15");
    assert_day(tlf_impute_end(&p, D("2023-07-04"), D("2023-06-30"), &f), "2023-05-15");
    p = P("");
    assert_int_equal(tlf_impute_end(&p, TLF_NODAY, D("2023-06-30"), &f), TLF_NODAY);
}

static void test_impute_death(void **state)
{
    (void)state;
    char f;
    int issue;
    tlf_pdate p = P("2024-07");
    /* last contact before the month: the 1st */
    assert_day(tlf_impute_death(&p, D("2024-06-20"), &f, &issue), "2024-07-01");
    assert_int_equal(f, 'D');
    assert_int_equal(issue, 0);
    /* last contact inside the month: the day after */
    assert_day(tlf_impute_death(&p, D("2024-07-12"), &f, &issue), "2024-07-13");
    assert_int_equal(issue, 0);
    /* last contact on the month's last day: end of month, reported */
    assert_day(tlf_impute_death(&p, D("2024-07-31"), &f, &issue), "2024-07-31");
    assert_int_equal(issue, 1);
    /* year only */
    p = P("2024");
    assert_day(tlf_impute_death(&p, D("2023-11-02"), &f, &issue), "2024-01-01");
    assert_int_equal(f, 'M');
    assert_day(tlf_impute_death(&p, D("2024-03-02"), &f, &issue), "2024-03-03");
    assert_day(tlf_impute_death(&p, D("2025-01-05"), &f, &issue), "2024-12-31");
    assert_int_equal(issue, 1);
    /* complete date kept */
    p = P("2024-07-05");
    assert_day(tlf_impute_death(&p, D("2024-07-20"), &f, &issue), "2024-07-05");
    assert_int_equal(f, 0);
    assert_int_equal(issue, 0);
}

static void test_pdate_agree(void **state)
{
    (void)state;
    tlf_pdate a = P("2024-07"), b = P("2024-07-05"), c = P("2024-08-05"), e = P("");
    assert_true(tlf_pdate_agree(&a, &b));
    assert_false(tlf_pdate_agree(&a, &c));
    assert_false(tlf_pdate_agree(&b, &c));
    assert_true(tlf_pdate_agree(&e, &c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_precisions),
        cmocka_unit_test(test_parse_rejects_invalid),
        cmocka_unit_test(test_day_numbers_round_trip),
        cmocka_unit_test(test_study_day_no_day_zero),
        cmocka_unit_test(test_impute_start),
        cmocka_unit_test(test_impute_end),
        cmocka_unit_test(test_impute_death),
        cmocka_unit_test(test_pdate_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
