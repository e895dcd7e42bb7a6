/* test_csv.c - the RFC 4180 reader: quoting, missing values, ragged rows. */
#include "testutil.h"
#include "core/csv.h"

#include <stdlib.h>
#include <string.h>

static tlf_csv *parse(const char *text)
{
    tlf_csv *csv = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_csv_parse(&csv, text, strlen(text), "t.csv", &err), TLF_OK);
    return csv;
}

static void test_csv_quotes_and_missing(void **state)
{
    (void)state;
    tlf_csv *csv = parse("\xEF\xBB\xBF" "a,b,c\r\n1,\"x, \"\"y\"\"\",NA\r\n,\"NA\",\"line\nbreak\"\r\n");
    assert_int_equal(csv->ncol, 3);
    assert_int_equal(csv->nrow, 2);
    assert_string_equal(csv->header[0], "a");
    assert_int_equal(tlf_csv_col(csv, "c"), 2);
    assert_int_equal(tlf_csv_col(csv, "z"), -1);
    assert_string_equal(tlf_csv_cell(csv, 0, 0), "1");
    assert_string_equal(tlf_csv_cell(csv, 0, 1), "x, \"y\"");
    assert_null(tlf_csv_cell(csv, 0, 2));          /* unquoted NA = missing */
    assert_null(tlf_csv_cell(csv, 1, 0));          /* empty = missing */
    assert_string_equal(tlf_csv_cell(csv, 1, 1), "NA"); /* quoted NA is text */
    assert_string_equal(tlf_csv_cell(csv, 1, 2), "line\nbreak");
    tlf_csv_free(csv);
}

static void test_csv_no_trailing_newline(void **state)
{
    (void)state;
    tlf_csv *csv = parse("t,e\n5,1\n7,");
    assert_int_equal(csv->nrow, 2);
    assert_string_equal(tlf_csv_cell(csv, 1, 0), "7");
    assert_null(tlf_csv_cell(csv, 1, 1));
    tlf_csv_free(csv);
}

/* Found by fuzz/fuzz_csv: a header that ends in a comma at the end of the
 * file has an empty last name, not a NULL one. */
static void test_csv_header_trailing_comma_at_eof(void **state)
{
    (void)state;
    tlf_csv *csv = parse("a,b,");
    assert_int_equal(csv->ncol, 3);
    assert_int_equal(csv->nrow, 0);
    assert_string_equal(csv->header[2], "");
    assert_int_equal(tlf_csv_col(csv, "b"), 1);
    assert_int_equal(tlf_csv_col(csv, ""), 2);
    tlf_csv_free(csv);
}

static void test_csv_ragged_row_names_line(void **state)
{
    (void)state;
    tlf_csv *csv = NULL;
    tlf_err err;
    const char *text = "a,b\n1,2\n3\n";
    assert_int_equal(tlf_csv_parse(&csv, text, strlen(text), "r.csv", &err), TLF_EINPUT);
    assert_null(csv);
    assert_non_null(strstr(err.msg, "r.csv: line 3"));
}

static void test_csv_unterminated_quote(void **state)
{
    (void)state;
    tlf_csv *csv = NULL;
    tlf_err err;
    const char *text = "a\n\"open\n";
    assert_int_equal(tlf_csv_parse(&csv, text, strlen(text), "q.csv", &err), TLF_EINPUT);
    assert_non_null(strstr(err.msg, "unterminated"));
}

static void test_csv_missing_file(void **state)
{
    (void)state;
    tlf_csv *csv = NULL;
    tlf_err err;
    assert_int_equal(tlf_csv_read(&csv, "/nonexistent/x.csv", &err), TLF_EINPUT);
    assert_non_null(strstr(err.msg, "/nonexistent/x.csv"));
}

static void test_parse_double_strict(void **state)
{
    (void)state;
    double v;
    assert_int_equal(tlf_parse_double("12.5", &v), 0);
    assert_true(v == 12.5);
    assert_int_equal(tlf_parse_double("-3e2", &v), 0);
    assert_true(v == -300);
    assert_int_not_equal(tlf_parse_double("12a", &v), 0);
    assert_int_not_equal(tlf_parse_double("", &v), 0);
    assert_int_not_equal(tlf_parse_double("inf", &v), 0);
    assert_int_not_equal(tlf_parse_double("nan", &v), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quotes_and_missing),
        cmocka_unit_test(test_csv_no_trailing_newline),
        cmocka_unit_test(test_csv_header_trailing_comma_at_eof),
        cmocka_unit_test(test_csv_ragged_row_names_line),
        cmocka_unit_test(test_csv_unterminated_quote),
        cmocka_unit_test(test_csv_missing_file),
        cmocka_unit_test(test_parse_double_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
