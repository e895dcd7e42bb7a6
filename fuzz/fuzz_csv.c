/*
 * fuzz_csv.c - libFuzzer target: the RFC 4180 reader and the strict number
 * parser on arbitrary bytes (the CSV inputs of `tlfgen stats` and the ARD
 * reader come from users). Build: see fuzz/README.md.
 */
#include "core/csv.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tlf_csv *csv = NULL;
    tlf_err err;
    if (tlf_csv_parse(&csv, (const char *)data, size, "fuzz.csv", &err) == TLF_OK) {
        for (size_t r = 0; r < csv->nrow; r++)
            for (size_t c = 0; c < csv->ncol; c++) {
                double v;
                const char *cell = tlf_csv_cell(csv, r, c);
                if (cell)
                    (void)tlf_parse_double(cell, &v);
            }
        for (size_t c = 0; c < csv->ncol; c++)
            (void)tlf_csv_col(csv, csv->header[c]);
    }
    tlf_csv_free(csv);
    return 0;
}
