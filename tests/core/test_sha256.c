/* test_sha256.c - SHA-256 digests agree with FIPS 180-2 vectors and sha256sum. */
#include "testutil.h"
#include "core/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_sha256_known_vectors(void **state)
{
    (void)state;
    char hex[TLF_SHA256_HEX];
    tlf_sha256_mem("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    tlf_sha256_mem("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_sha256_file_matches_sha256sum(void **state)
{
    (void)state;
    char *dir = test_tmpdir("sha");
    char path[512];
    snprintf(path, sizeof path, "%s/f.bin", dir);
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 200000; i++)
        fputc(i * 7 % 251, f);
    fclose(f);
    char hex[TLF_SHA256_HEX];
    tlf_err err;
    assert_int_equal(tlf_sha256_file(path, hex, &err), TLF_OK);
    run_result r = run_sh("sha256sum '%s' | cut -c1-64", path);
    assert_int_equal(r.status, 0);
    r.out[64] = '\0';
    assert_string_equal(hex, r.out);
    run_result_free(&r);
    assert_int_equal(tlf_sha256_file("/nonexistent", hex, &err), TLF_EINPUT);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_known_vectors),
        cmocka_unit_test(test_sha256_file_matches_sha256sum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
