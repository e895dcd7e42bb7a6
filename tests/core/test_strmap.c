/* test_strmap.c - the string map gives dense indices in first-added order,
 * finds every key after growing, and says when a key is absent. */
#include "testutil.h"
#include "core/strmap.h"

#include <stdio.h>
#include <string.h>

static void test_strmap_indices_in_insertion_order(void **state)
{
    (void)state;
    tlf_strmap m = TLF_STRMAP_INIT;
    assert_true(tlf_strmap_get(&m, "a") == (size_t)-1);
    assert_int_equal(tlf_strmap_add(&m, "ALT"), 0);
    assert_int_equal(tlf_strmap_add(&m, "AST"), 1);
    assert_int_equal(tlf_strmap_add(&m, "ALT"), 0);
    assert_int_equal(tlf_strmap_add(&m, ""), 2);
    assert_int_equal(m.n, 3);
    assert_int_equal(tlf_strmap_get(&m, "AST"), 1);
    assert_int_equal(tlf_strmap_get(&m, ""), 2);
    assert_int_equal(tlf_strmap_getn(&m, "ASTX", 3), 1);   /* a prefix by length */
    assert_true(tlf_strmap_getn(&m, "AS", 2) == (size_t)-1);
    assert_true(tlf_strmap_get(&m, "ALTX") == (size_t)-1);
    tlf_strmap_free(&m);
    assert_int_equal(m.n, 0);
    tlf_strmap_free(NULL);
}

static void test_strmap_many_keys_survive_growth(void **state)
{
    (void)state;
    tlf_strmap m = TLF_STRMAP_INIT;
    char key[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "SUBJ-%05d", i);
        assert_int_equal(tlf_strmap_add(&m, key), (size_t)i);
    }
    for (int i = 19999; i >= 0; i--) {
        snprintf(key, sizeof key, "SUBJ-%05d", i);
        assert_int_equal(tlf_strmap_get(&m, key), (size_t)i);
        assert_string_equal(m.keys[i], key);
    }
    assert_true(tlf_strmap_get(&m, "SUBJ-20000") == (size_t)-1);
    tlf_strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strmap_indices_in_insertion_order),
        cmocka_unit_test(test_strmap_many_keys_survive_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
