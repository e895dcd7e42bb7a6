/*
 * fuzz_study.c - libFuzzer target: the study configuration loader and
 * validator (pipeline/study) on arbitrary JSON. A statistician edits
 * study.json by hand for each study; a bad one must be refused with a
 * one-line message, never a crash. Build and run: see fuzz/README.md.
 */
#include "study/study.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/tlfgen-fuzzstudy-%ld.json", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    tlf_study *st = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    int rc = tlf_study_load(&st, path, &err);
    if (rc != TLF_OK && (err.msg[0] == '\0' || strchr(err.msg, '\n')))
        abort();                 /* a refusal always says why, on one line */
    tlf_study_free(st);
    unlink(path);
    return 0;
}
