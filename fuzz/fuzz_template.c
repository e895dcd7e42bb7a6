/*
 * fuzz_template.c - libFuzzer target: the template loader and validator on
 * arbitrary JSON (template authors edit these by hand; a bad one must give
 * a message, never a crash). Build: see fuzz/README.md.
 */
#include "layout/template.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/tlfgen-fuzz-%ld.json", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    tlf_template *t = NULL;
    tlf_err err;
    if (tlf_template_load(&t, path, &err) == TLF_OK)
        tlf_template_free(t);
    unlink(path);
    return 0;
}
