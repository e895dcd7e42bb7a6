/*
 * fuzz_ard.c - libFuzzer target: the ARD round trip. Any file is read as
 * ard.csv (the renderer and `render --ard` read it back); when it reads,
 * writing it and reading that again must give the very same bytes: the
 * ARD is the one place the numbers live, so a round trip may not change
 * one. Build and run: see fuzz/README.md.
 */
#include "ard/ard.h"
#include "core/mem.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = xmalloc(*len + 1);
    if (fread(s, 1, *len, f) != *len)
        abort();
    fclose(f);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char in[64], a[64], b[64];
    snprintf(in, sizeof in, "/tmp/tlfgen-fuzzard-%ld.csv", (long)getpid());
    snprintf(a, sizeof a, "/tmp/tlfgen-fuzzard-%ld-a.csv", (long)getpid());
    snprintf(b, sizeof b, "/tmp/tlfgen-fuzzard-%ld-b.csv", (long)getpid());
    FILE *f = fopen(in, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    tlf_ard *ard = NULL, *again = NULL;
    tlf_err err;
    if (tlf_ard_read(&ard, in, &err) == TLF_OK) {
        if (tlf_ard_write_file(ard, a, &err) != TLF_OK)
            abort();
        if (tlf_ard_read(&again, a, &err) != TLF_OK) {
            fprintf(stderr, "written ARD does not read back: %s\n", err.msg);
            abort();
        }
        if (tlf_ard_write_file(again, b, &err) != TLF_OK)
            abort();
        size_t la, lb;
        char *sa = slurp(a, &la), *sb = slurp(b, &lb);
        if (la != lb || memcmp(sa, sb, la) != 0) {
            fprintf(stderr, "ARD round trip changed the file\n");
            abort();
        }
        free(sa);
        free(sb);
        unlink(a);
        unlink(b);
    }
    tlf_ard_free(ard);
    tlf_ard_free(again);
    unlink(in);
    return 0;
}
