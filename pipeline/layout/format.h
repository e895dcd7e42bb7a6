/*
 * format.h - display rounding and number formatting for tables.
 *
 * Stage: layout. Implements sap.md section 5: rounding half away from zero,
 * at display only, applied to the decimal string of the value (%.15g), so
 * 1.005 shows as 1.01 at two decimals; p-values with 3 decimals, "<0.001"
 * below and ">0.999" above. Pure functions, no allocation.
 */
#ifndef TLFGEN_LAYOUT_FORMAT_H
#define TLFGEN_LAYOUT_FORMAT_H

#include <stddef.h>

#include "core/err.h"

/* Smallest output buffer every function here accepts. */
#define TLF_FMT_MAX 64

/*
 * Write v rounded to `decimals` (0..15) places into out (outsz >=
 * TLF_FMT_MAX), after scaling by 10^scale_pow10 (0, or 2 to show a
 * proportion as a percentage; the shift is done on the decimal string, so
 * it adds no binary error). Rounding is half away from zero on the 15
 * significant digits of %.15g; a result that rounds to zero never carries
 * a minus sign. Returns 0, or TLF_EDATA for a non-finite v or a bad
 * decimals/outsz (out then holds "").
 */
int tlf_fmt_fixed(char *out, size_t outsz, double v, int decimals, int scale_pow10);

/* A p-value: "<0.001" when p < 0.001, ">0.999" when p > 0.999, else 3
 * decimals (rounded as tlf_fmt_fixed). TLF_EDATA for non-finite p or p
 * outside [0, 1]. */
int tlf_fmt_pvalue(char *out, size_t outsz, double p);

#endif
