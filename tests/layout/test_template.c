/* test_template.c - template loading and validation (layout/template.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/template.h"

static char *write_tmp(const char *tag, const char *json)
{
    char *dir = test_tmpdir(tag);
    char *path = malloc(strlen(dir) + 32);
    sprintf(path, "%s/t.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    free(dir);
    return path;
}

/* Load json and expect failure whose message contains each of want[]. */
static void expect_error(const char *tag, const char *json, int code, const char *w1,
                         const char *w2)
{
    char *path = write_tmp(tag, json);
    tlf_template *t = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_template_load(&t, path, &err), code);
    assert_null(t);
    if (!strstr(err.msg, path) || !strstr(err.msg, w1) || (w2 && !strstr(err.msg, w2)))
        fail_msg("message '%s' lacks '%s' / '%s' / the file name", err.msg, w1, w2 ? w2 : "");
    free(path);
}

#define HEAD "{\"type\":\"table\",\"number\":\"14.1\","

static void test_fixtures_load(void **state)
{
    (void)state;
    const char *names[] = {"t_ae_soc_pt.json", "t_summary.json", "t_ae_listing.json"};
    for (size_t i = 0; i < 3; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "tests/fixtures/layout/%s", names[i]);
        char *path = test_source_path(rel);
        tlf_template *t = NULL;
        tlf_err err;
        tlf_err_clear(&err);
        if (tlf_template_load(&t, path, &err) != 0)
            fail_msg("%s", err.msg);
        assert_true(t->ncols >= 3);
        tlf_template_free(t);
        free(path);
    }
    char *path = test_source_path("tests/fixtures/layout/t_ae_soc_pt.json");
    tlf_template *t = NULL;
    tlf_err err;
    assert_int_equal(tlf_template_load(&t, path, &err), 0);
    assert_int_equal(t->kind, TLF_TPL_TABLE);
    assert_string_equal(t->cols[1].format, "{n_subj} ({pct:1})");
    assert_int_equal(t->cols[1].align, TLF_ALIGN_DECIMAL);
    assert_int_equal(t->nhrows, 1);
    assert_int_equal(t->hrows[0].spans[2].first, 3);
    assert_int_equal(t->hrows[0].spans[2].ncols, 2);
    assert_true(t->rows[1].expand);
    assert_non_null(t->rows[1].children);
    assert_string_equal(t->rows[1].children->parent_param, "AEBODSYS");
    assert_true(t->landscape);
    assert_true(t->font_size == 9.0);
    tlf_template_free(t);
    free(path);
}

static void test_unknown_key(void **state)
{
    (void)state;
    expect_error("tpl_unknown_top", HEAD "\"colums\":[]}", TLF_EUSAGE, "colums", "unknown key");
    expect_error("tpl_unknown_nested",
                 HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":\"x\"},"
                      "{\"label\":\"y\",\"select\":{\"analysis\":\"ae\"}}]}",
                 TLF_EUSAGE, "rows[1].select.analysis", "expected one of");
}

static void test_wrong_type(void **state)
{
    (void)state;
    expect_error("tpl_type_num", HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":3}]}",
                 TLF_EUSAGE, "rows[0].label: expected a string, got an integer", NULL);
    expect_error("tpl_type_titles", HEAD "\"titles\":\"x\",\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "titles: expected an array of strings, got a string", NULL);
    expect_error("tpl_align", HEAD "\"columns\":[{\"id\":\"a\",\"align\":\"middle\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "columns[0].align", "\"decimal\", got \"middle\"");
    expect_error("tpl_font", HEAD "\"page\":{\"font_size\":8},\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "page.font_size", "9 to 12");
    expect_error("tpl_labels", HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"expand\":true,"
                 "\"select\":{\"analysis_id\":\"x\"},\"labels\":{\"DEATH\":1}}]}",
                 TLF_EUSAGE, "rows[0].labels.DEATH: expected a string, got an integer", NULL);
    expect_error("tpl_labels_obj", HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"expand\":true,"
                 "\"select\":{\"analysis_id\":\"x\"},\"labels\":[\"x\"]}]}",
                 TLF_EUSAGE, "rows[0].labels: expected an object", NULL);
    expect_error("tpl_missing_id", HEAD "\"columns\":[{\"header\":\"a\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "columns[0].id: expected a string, got nothing", NULL);
    expect_error("tpl_type", "{\"type\":\"graph\",\"number\":\"1\"}", TLF_EUSAGE,
                 "type: expected \"table\", \"listing\" or \"figure\"", NULL);
    expect_error("tpl_fig_missing", "{\"type\":\"figure\",\"number\":\"1\"}", TLF_EUSAGE,
                 "figure: expected an object", NULL);
    expect_error("tpl_fig_kind", "{\"type\":\"figure\",\"number\":\"1\",\"figure\":"
                 "{\"kind\":\"pie\",\"select\":{\"analysis_id\":\"os_km\"}}}", TLF_EUSAGE,
                 "figure.kind: expected \"km\" or \"line\", got \"pie\"", NULL);
    expect_error("tpl_fig_arm", "{\"type\":\"figure\",\"number\":\"1\",\"figure\":"
                 "{\"kind\":\"km\",\"select\":{\"analysis_id\":\"os_km\"},"
                 "\"arms\":[{\"level\":\"TAC\",\"line\":\"wavy\"}]}}", TLF_EUSAGE,
                 "figure.arms[0].line: expected \"solid\", \"dashed\" or \"dotted\"", NULL);
    expect_error("tpl_fig_cols", "{\"type\":\"figure\",\"number\":\"1\",\"columns\":[]}",
                 TLF_EUSAGE, "columns: figures do not have this key", NULL);
    expect_error("tpl_span", HEAD "\"columns\":[{\"id\":\"a\"}],\"header_rows\":[[{\"text\":\"x\",\"span\":2}]],"
                                  "\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "header_rows[0][0].span", "cover 2 columns");
    expect_error("tpl_listing_rows", "{\"type\":\"listing\",\"number\":\"16\",\"dataset\":\"adae\","
                                     "\"columns\":[{\"id\":\"a\",\"value\":\"{X}\"}],\"rows\":[]}",
                 TLF_EUSAGE, "rows", "dataset");
    expect_error("tpl_listing_value", "{\"type\":\"listing\",\"number\":\"16\",\"dataset\":\"adae\","
                                      "\"columns\":[{\"id\":\"a\",\"format\":\"{X}\"}]}",
                 TLF_EUSAGE, "columns[0].format", "unknown key");
    expect_error("tpl_children", HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"expand\":true,"
                                      "\"select\":{\"variable\":\"AEBODSYS\"},\"children\":{\"select\":{}}}]}",
                 TLF_EUSAGE, "rows[0].children.parent_param", NULL);
}

static void test_not_json(void **state)
{
    (void)state;
    expect_error("tpl_syntax", "{\"type\": \"table\",,}", TLF_EINPUT, "line 1", NULL);
    expect_error("tpl_dup", "{\"type\":\"table\",\"type\":\"table\"}", TLF_EINPUT, "duplicate", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_load),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_not_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
