/*
 * demo_util.h - the demo generator's small helpers: a seeded PRNG
 * (xoshiro256** seeded through splitmix64, Blackman & Vigna 2018) and
 * proleptic Gregorian day numbers (days since 1970-01-01, Hinnant's
 * civil-from-days algorithm).
 *
 * Stage: demo data. Private to pipeline/demo; no state outside the
 * structures the caller owns.
 */
#ifndef TLFGEN_DEMO_UTIL_H
#define TLFGEN_DEMO_UTIL_H

#include <stdint.h>

typedef struct demo_rng {
    uint64_t s[4];
} demo_rng;

/* Seed from (seed, stream): the same pair always gives the same sequence,
 * different streams are independent for our purposes. */
void demo_rng_seed(demo_rng *r, uint64_t seed, uint64_t stream);
uint64_t demo_rng_next(demo_rng *r);
double demo_rng_unif(demo_rng *r);                 /* [0, 1) */
int demo_rng_int(demo_rng *r, int lo, int hi);     /* lo..hi inclusive, lo <= hi */
double demo_rng_norm(demo_rng *r, double mean, double sd);  /* Box-Muller */
int demo_rng_chance(demo_rng *r, double p);        /* 1 with probability p */

/* Day number of y-m-d (any m 1..12, d 1..31, not validated). */
long demo_days(int y, int m, int d);
/* Calendar date of a day number. */
void demo_civil(long days, int *y, int *m, int *d);
/* "YYYY-MM-DD" into out; "YYYY-MM" for demo_fmt_month. Both need >= 11 bytes. */
void demo_fmt_date(char *out, long days);
void demo_fmt_month(char *out, long days);
/* Parse a strict YYYY-MM-DD that is a real calendar date; 0 or -1. */
int demo_parse_date(const char *s, long *days);

#endif
