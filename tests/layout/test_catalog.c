/* test_catalog.c - the output catalog loads, finds outputs, and a broken
 * one is an error naming the file and the entry. */
#include "testutil.h"
#include "core/mem.h"
#include "layout/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_shipped_catalog(void **state)
{
    (void)state;
    char *dir = test_source_path("templates");
    tlf_catalog c;
    tlf_err err;
    assert_int_equal(tlf_catalog_load(&c, dir, &err), TLF_OK);
    assert_true(c.n > 30);
    const tlf_catalog_item *di = tlf_catalog_find(&c, "DI");
    assert_non_null(di);
    assert_non_null(strstr(di->template_path, "/templates/"));
    assert_true(tlf_catalog_find(&c, "CHG")->explicit_only);
    assert_false(tlf_catalog_find(&c, "14.2.1.1")->explicit_only);
    assert_null(tlf_catalog_find(&c, "14.9.9"));
    tlf_catalog_free(&c);
    assert_int_equal(c.n, 0);
    free(dir);
}

static void test_bad_catalog(void **state)
{
    (void)state;
    char *dir = test_tmpdir("catalog");
    char *path = xasprintf("%s/catalog.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"outputs\": [{\"number\": \"1\", \"template\": \"a.json\"}, {\"number\": 2}]}", f);
    fclose(f);
    tlf_catalog c;
    tlf_err err;
    assert_int_equal(tlf_catalog_load(&c, dir, &err), TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "catalog.json: outputs[1]"));
    tlf_catalog_free(&c);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_catalog),
        cmocka_unit_test(test_bad_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
