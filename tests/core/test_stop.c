/* test_stop.c - the stop request (core/stop.h): once SIGTERM/SIGINT was
 * recorded, a running SQLite statement of any connection opened after
 * tlf_stop_watch_sqlite is interrupted (a long query no longer delays the
 * stop), and tlf_stop_check says TLF_EINTR naming the signal. */
#include "testutil.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "core/err.h"
#include "core/stop.h"

/* A statement that runs for minutes unless interrupted. */
static const char *const LONG_SQL =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000000) "
    "SELECT sum(x) FROM c";

static void test_statement_interrupted(void **state)
{
    (void)state;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_stop_check(&err), TLF_OK);
    tlf_stop_watch_sqlite();
    tlf_stop_watch_sqlite();   /* idempotent */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    /* not stopped: a short statement runs */
    assert_int_equal(sqlite3_exec(db, "SELECT 1", NULL, NULL, NULL), SQLITE_OK);
    tlf_stop_request(SIGTERM);
    int rc = sqlite3_exec(db, LONG_SQL, NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_INTERRUPT);
    sqlite3_close(db);
    assert_int_equal(tlf_stop_signal(), SIGTERM);
    assert_int_equal(tlf_stop_check(&err), TLF_EINTR);
    assert_non_null(strstr(err.msg, "stopped by signal 15"));
    assert_int_equal(tlf_exit_code(err.code), 130);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statement_interrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
