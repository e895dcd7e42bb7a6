/*
 * test_err.c - the error context: a message is one line (err.h), even
 * when the text it quotes (SQLite's quick_check report, a key or value
 * from an input file) holds line breaks (found by the bad-input corpus and
 * fuzz/fuzz_profile.c: such messages printed over several lines).
 */
#include "testutil.h"
#include "core/err.h"

#include <string.h>

static void test_message_is_one_line(void **state)
{
    (void)state;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_err_set(&err, TLF_EINPUT, "x.sqlite: corrupt (quick_check: %s)",
                                 "*** in database main ***\nOn tree page 46\r\ncell 29"),
                     TLF_EINPUT);
    assert_string_equal(err.msg, "x.sqlite: corrupt (quick_check: *** in database main *** On tree "
                                 "page 46  cell 29)");
    tlf_err_prefix(&err, "run\n%s", "two");
    assert_null(strchr(err.msg, '\n'));
    assert_null(strchr(err.msg, '\r'));
    assert_int_equal(strncmp(err.msg, "run two: x.sqlite", 17), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_is_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
