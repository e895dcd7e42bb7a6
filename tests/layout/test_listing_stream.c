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

static tlf_template *template_ok(const char *path)
{
    tlf_template *t = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_template_load(&t, path, &err))
        fail_msg("%s", err.msg);
    return t;
}

/* The listing of t over adam, its rows spooled when spool is set. */
static tlf_listing_stream *open_ok(const tlf_template *t, const char *adam, int spool)
{
    tlf_listing_stream *ls = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_listing_open(&ls, t, adam, &err))
        fail_msg("open: %s", err.msg);
    if (spool)
        tlf_listing_spool(ls);
    return ls;
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
    tlf_template *t = template_ok(tpl);
    tlf_err err;
    tlf_err_clear(&err);

    for (int spool = 0; spool < 2; spool++) {
        tlf_listing_stream *ls = open_ok(t, adam, spool);
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

/* A listing shows some columns of a wider dataset, filtered and sorted by
 * columns it does not show (the query selects only the shown ones,
 * layout/listing.c narrow_select): the cells are the dataset's values,
 * whole REALs without ".0" and a TEXT column's "12.0" as it is; and the
 * rows read back from a spool many times the read-back buffer (3,000 rows,
 * values from empty to 300 bytes) equal the rows queried again. */
static void test_shown_columns_and_a_long_spool(void **state)
{
    (void)state;
    char *dir = test_tmpdir("listing_narrow");
    run_result r = run_sh(
        "cd '%s' && sqlite3 adam.sqlite \"CREATE TABLE wide (A TEXT, HIDDEN TEXT, DAY REAL, "
        "TXT TEXT, X REAL, NOTE TEXT, KEYN INTEGER);"
        " WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000)"
        " INSERT INTO wide SELECT printf('S%%03d', i %% 97), CASE WHEN i %% 5 = 0 THEN 'N' ELSE 'Y' END,"
        " i, '12.0', i + 0.25, substr(replace(hex(zeroblob(150)), '0', 'ab'), 1, (i * 7) %% 301),"
        " 3000 - i FROM k;\" && cat > t.json <<'JSON'\n"
        "{\"type\": \"listing\", \"number\": \"9.9\", \"titles\": [\"Narrow\"],"
        " \"population\": \"All\", \"dataset\": \"wide\", \"where\": \"HIDDEN = 'Y'\","
        " \"sort\": [\"A\", \"KEYN\"], \"group_by\": [\"A\"],"
        " \"columns\": [{\"id\": \"a\", \"header\": \"A\", \"value\": \"{A}\", \"key\": true},"
        " {\"id\": \"d\", \"header\": \"Day\", \"value\": \"{DAY}|{TXT}\"},"
        " {\"id\": \"n\", \"header\": \"Note\", \"value\": \"[{NOTE}]\"}]}\n"
        "JSON\n",
        dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char adam[512], tpl[512];
    snprintf(adam, sizeof adam, "%s/adam.sqlite", dir);
    snprintf(tpl, sizeof tpl, "%s/t.json", dir);
    tlf_template *t = template_ok(tpl);
    char *got[2];
    for (int spool = 0; spool < 2; spool++) {
        tlf_listing_stream *ls = open_ok(t, adam, spool);
        size_t n1, n2;
        char *first = read_all(ls, 100, &n1);
        rewind_ok(ls);
        got[spool] = read_all(ls, 100, &n2);
        assert_int_equal(n1, n2);
        assert_string_equal(first, got[spool]);
        free(first);
        tlf_listing_close(ls);
    }
    assert_string_equal(got[0], got[1]);
    /* 2,400 rows (HIDDEN = 'Y': i not a multiple of 5), in A then KEYN
     * order: S000 holds i = 97 k, the largest shown (i = 2813) first;
     * whole days without ".0" */
    size_t rows = 0;
    for (const char *p = got[1]; *p; p = strchr(p, '\n') + 1)
        rows += strncmp(p, "--chunk--", 9) != 0;
    assert_int_equal(rows, 2400);
    assert_non_null(strstr(got[1], "--chunk--\n1|S000|2813|12.0|"));
    assert_null(strstr(got[1], "2813.0"));
    free(got[0]);
    free(got[1]);
    tlf_template_free(t);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewind_gives_the_same_chunks),
        cmocka_unit_test(test_shown_columns_and_a_long_spool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
