/* test_listing_stream.c - a listing read in chunks (layout/table.h):
 * after tlf_listing_rewind the rows come again, the same rows in the same
 * chunks with the same group ids, whether they are read back from the
 * spool file (tlf_listing_spool) or queried again without one. A listing
 * in volumes reads its rows three times this way (render/listing_volumes.c). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "layout/table.h"
#include "layout/template.h"

/* Every chunk of the stream as text: a chunk mark, then per row its group
 * id and cells. */
static char *read_all(tlf_listing_stream *ls, size_t min_rows, size_t *nchunks)
{
    tlf_buf b = TLF_BUF_INIT;
    tlf_table *chunk = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    *nchunks = 0;
    for (;;) {
        if (tlf_listing_next(ls, min_rows, &chunk, &err))
            fail_msg("next: %s", err.msg);
        if (!chunk)
            break;
        (*nchunks)++;
        tlf_buf_puts(&b, "--chunk--\n");
        for (size_t r = 0; r < chunk->nrows; r++) {
            tlf_buf_printf(&b, "%zu", chunk->rows[r].group);
            for (size_t c = 0; c < chunk->ncols; c++)
                tlf_buf_printf(&b, "|%s", chunk->rows[r].cells[c]);
            tlf_buf_putc(&b, '\n');
        }
        tlf_table_free(chunk);
    }
    return tlf_buf_detach(&b);
}

static void rewind_ok(tlf_listing_stream *ls)
{
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_listing_rewind(ls, &err))
        fail_msg("rewind: %s", err.msg);
}

static void test_rewind_gives_the_same_chunks(void **state)
{
    (void)state;
    char *dir = test_tmpdir("listing_stream");
    char *sql = test_source_path("tests/fixtures/layout/adae.sql");
    char *tpl = test_source_path("tests/fixtures/layout/t_ae_listing.json");
    run_result r = run_sh("sqlite3 '%s/adam.sqlite' < '%s'", dir, sql);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char adam[512];
    snprintf(adam, sizeof adam, "%s/adam.sqlite", dir);
    tlf_template *t = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_template_load(&t, tpl, &err))
        fail_msg("%s", err.msg);

    for (int spool = 0; spool < 2; spool++) {
        tlf_listing_stream *ls = NULL;
        if (tlf_listing_open(&ls, t, adam, &err))
            fail_msg("open: %s", err.msg);
        if (spool)
            tlf_listing_spool(ls);
        size_t n1, n2, n3;
        char *first = read_all(ls, 50, &n1);
        rewind_ok(ls);
        char *second = read_all(ls, 50, &n2);
        rewind_ok(ls);
        char *third = read_all(ls, 50, &n3);
        /* 500 events of 36 subjects in chunks of at least 50 rows ending
         * at a subject: several chunks, every row once */
        assert_true(n1 >= 3);
        assert_int_equal(n1, n2);
        assert_int_equal(n1, n3);
        assert_string_equal(first, second);
        assert_string_equal(first, third);
        assert_non_null(strstr(first, "--chunk--\n1|IMP-TAC-001|"));   /* group ids 1..36 */
        assert_non_null(strstr(first, "\n36|IMP-TAC-036|"));
        /* a rewind in the middle of the rows starts from the first again */
        rewind_ok(ls);
        tlf_table *chunk = NULL;
        if (tlf_listing_next(ls, 50, &chunk, &err) || !chunk)
            fail_msg("next after rewind: %s", err.msg);
        tlf_table_free(chunk);
        rewind_ok(ls);
        size_t n4;
        char *fourth = read_all(ls, 50, &n4);
        assert_string_equal(first, fourth);
        free(first);
        free(second);
        free(third);
        free(fourth);
        tlf_listing_close(ls);
    }
    tlf_template_free(t);
    free(sql);
    free(tpl);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewind_gives_the_same_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
