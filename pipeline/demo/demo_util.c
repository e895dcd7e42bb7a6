/*
 * demo_util.c - seeded PRNG and calendar day numbers for the demo
 * database generator (see demo_util.h). xoshiro256** and splitmix64 follow
 * Blackman & Vigna, "Scrambled linear pseudorandom number generators"
 * (2018); the day-number conversions follow H. Hinnant's
 * days_from_civil / civil_from_days.
 */
#include "demo/demo_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void demo_rng_seed(demo_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t demo_rng_next(demo_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double demo_rng_unif(demo_rng *r)
{
    return (double)(demo_rng_next(r) >> 11) * 0x1.0p-53;
}

int demo_rng_int(demo_rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
    return lo + (int)(demo_rng_next(r) % span);
}

double demo_rng_norm(demo_rng *r, double mean, double sd)
{
    double u1 = 1.0 - demo_rng_unif(r);    /* (0, 1]: log is finite */
    double u2 = demo_rng_unif(r);
    return mean + sd * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

int demo_rng_chance(demo_rng *r, double p)
{
    return demo_rng_unif(r) < p;
}

long demo_days(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void demo_civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Digits by hand: called for every row, and snprintf's range checks
 * cannot see that y, m, d are in range. */
static void put_digits(char *out, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

void demo_fmt_date(char *out, long days)
{
    int y, m, d;
    demo_civil(days, &y, &m, &d);
    put_digits(out, (unsigned)y % 10000, 4);
    out[4] = '-';
    put_digits(out + 5, (unsigned)m, 2);
    out[7] = '-';
    put_digits(out + 8, (unsigned)d, 2);
    out[10] = '\0';
}

void demo_fmt_month(char *out, long days)
{
    demo_fmt_date(out, days);
    out[7] = '\0';
}

int demo_parse_date(const char *s, long *days)
{
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    long z = demo_days(y, m, d);
    int y2, m2, d2;
    demo_civil(z, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d)
        return -1;                         /* 2014-02-30 rolls over: not a date */
    *days = z;
    return 0;
}
