/*
 * fuzz_profile.c - libFuzzer target: the run profile loader and validator
 * on arbitrary JSON (a site writes its own profile by hand; a bad one must
 * give a message naming the file and key, never a crash). Build and run:
 * see fuzz/README.md.
 */
#include "run/profile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/tlfgen-fuzzprof-%ld.json", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    run_profile *p = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    int rc = run_profile_load(&p, TLFGEN_SOURCE_DIR "/config", path, &err);
    if (rc != TLF_OK && (err.msg[0] == '\0' || strchr(err.msg, '\n')))
        abort();                 /* a refusal always says why, on one line */
    run_profile_free(p);
    unlink(path);
    return 0;
}
