/*
 * dates.c - ISO 8601 partial dates, day numbers, study day and the
 * imputation rules of sap.md section 1. Pure functions (see dates.h).
 */
#include "derive/dates.h"

#include <string.h>

int tlf_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tlf_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && tlf_is_leap(y) ? 29 : dm[m - 1];
}

/* days_from_civil / civil_from_days: H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms" (era of 400 years, March-based year). The 365
 * here is the calendar's days per year (with 1460, 36524, 146096/146097
 * for the leap-year cycles), not a study day: tests/lint's study-literal
 * check allows this file for it. */
tlf_day tlf_day_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tlf_ymd_from_day(tlf_day day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

char *tlf_day_format(tlf_day day, char out[11])
{
    if (day == TLF_NODAY) {
        out[0] = '\0';
        return out;
    }
    int y, m, d;
    tlf_ymd_from_day(day, &y, &m, &d);
    /* years are written modulo 10000: clinical dates stay within 0..9999 */
    unsigned uy = (unsigned)((y % 10000 + 10000) % 10000);
    out[0] = (char)('0' + uy / 1000);
    out[1] = (char)('0' + uy / 100 % 10);
    out[2] = (char)('0' + uy / 10 % 10);
    out[3] = (char)('0' + uy % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return out;
}

/* Read exactly n digits at s into *v; 0 when they are not digits. */
static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

/* Parse "hh", "hh:mm" or "hh:mm:ss" (end of string after); minutes or -1. */
static int parse_time(const char *t)
{
    int hh, mi = 0, ss = 0;
    size_t n = strlen(t);
    if (n != 2 && n != 5 && n != 8)
        return -1;
    if (!digits(t, 2, &hh) || hh > 23)
        return -1;
    if (n >= 5 && (t[2] != ':' || !digits(t + 3, 2, &mi) || mi > 59))
        return -1;
    if (n == 8 && (t[5] != ':' || !digits(t + 6, 2, &ss) || ss > 59))
        return -1;
    return hh * 60 + mi;
}

int tlf_pdate_parse(const char *s, tlf_pdate *out)
{
    memset(out, 0, sizeof *out);
    out->minute = -1;
    if (!s || !*s)
        return 0;
    tlf_pdate p = {0, 0, 0, -1, TLF_PD_MISSING};
    size_t n = strlen(s);
    const char *tpart = strchr(s, 'T');
    size_t dlen = tpart ? (size_t)(tpart - s) : n;
    if (dlen == 4 && digits(s, 4, &p.y)) {
        p.prec = TLF_PD_YEAR;
    } else if (dlen == 7 && digits(s, 4, &p.y) && s[4] == '-' && digits(s + 5, 2, &p.m)) {
        p.prec = TLF_PD_MONTH;
    } else if (dlen == 10 && digits(s, 4, &p.y) && s[4] == '-' && digits(s + 5, 2, &p.m) &&
               s[7] == '-' && digits(s + 8, 2, &p.d)) {
        p.prec = TLF_PD_DAY;
    } else {
        return -1;
    }
    if (p.prec >= TLF_PD_MONTH && (p.m < 1 || p.m > 12))
        return -1;
    if (p.prec == TLF_PD_DAY && (p.d < 1 || p.d > tlf_days_in_month(p.y, p.m)))
        return -1;
    if (tpart) {
        /* a time only makes sense on a complete date */
        if (p.prec != TLF_PD_DAY)
            return -1;
        p.minute = parse_time(tpart + 1);
        if (p.minute < 0)
            return -1;
    }
    *out = p;
    return 0;
}

tlf_day tlf_day_parse_complete(const char *s)
{
    tlf_pdate p;
    if (tlf_pdate_parse(s, &p) != 0)
        return TLF_NODAY;
    return tlf_pdate_complete(&p);
}

int tlf_study_day(tlf_day d, tlf_day day1)
{
    if (d == TLF_NODAY || day1 == TLF_NODAY)
        return TLF_NODAY;
    return d >= day1 ? d - day1 + 1 : d - day1;
}

tlf_day tlf_day_of_study_day(int sd, tlf_day day1)
{
    return sd > 0 ? day1 + sd - 1 : day1 + sd;
}

tlf_day tlf_pdate_first(const tlf_pdate *p)
{
    switch (p->prec) {
    case TLF_PD_YEAR: return tlf_day_from_ymd(p->y, 1, 1);
    case TLF_PD_MONTH: return tlf_day_from_ymd(p->y, p->m, 1);
    case TLF_PD_DAY: return tlf_day_from_ymd(p->y, p->m, p->d);
    default: return TLF_NODAY;
    }
}

tlf_day tlf_pdate_last(const tlf_pdate *p)
{
    switch (p->prec) {
    case TLF_PD_YEAR: return tlf_day_from_ymd(p->y, 12, 31);
    case TLF_PD_MONTH: return tlf_day_from_ymd(p->y, p->m, tlf_days_in_month(p->y, p->m));
    case TLF_PD_DAY: return tlf_day_from_ymd(p->y, p->m, p->d);
    default: return TLF_NODAY;
    }
}

tlf_day tlf_pdate_complete(const tlf_pdate *p)
{
    return p->prec == TLF_PD_DAY ? tlf_pdate_first(p) : TLF_NODAY;
}

static char partial_flag(const tlf_pdate *p)
{
    return p->prec == TLF_PD_MONTH ? 'D' : p->prec == TLF_PD_YEAR ? 'M' : 0;
}

tlf_day tlf_impute_start(const tlf_pdate *start, tlf_day day1, tlf_day end, char *flag)
{
    *flag = 0;
    if (start->prec == TLF_PD_MISSING)
        return TLF_NODAY;
    tlf_day d = tlf_pdate_first(start);
    if (start->prec != TLF_PD_DAY) {
        *flag = partial_flag(start);
        /* day 1 inside the known month (year) and the record not over
         * before day 1: the record cannot be shown to start before day 1 */
        if (day1 != TLF_NODAY && d < day1 && day1 <= tlf_pdate_last(start) &&
            !(end != TLF_NODAY && end < day1))
            d = day1;
        if (end != TLF_NODAY && d > end)
            d = end;
    }
    return d;
}

tlf_day tlf_impute_end(const tlf_pdate *end, tlf_day death, tlf_day cutoff, char *flag)
{
    *flag = 0;
    if (end->prec == TLF_PD_MISSING)
        return TLF_NODAY;
    tlf_day d = tlf_pdate_last(end);
    *flag = partial_flag(end);
    if (death != TLF_NODAY && d > death)
        d = death;
    if (cutoff != TLF_NODAY && d > cutoff)
        d = cutoff;
    return d;
}

tlf_day tlf_impute_death(const tlf_pdate *dth, tlf_day lstalv, char *flag, int *issue)
{
    *flag = 0;
    *issue = 0;
    if (dth->prec == TLF_PD_MISSING)
        return TLF_NODAY;
    if (dth->prec == TLF_PD_DAY)
        return tlf_pdate_first(dth);
    *flag = partial_flag(dth);
    tlf_day d = tlf_pdate_first(dth);
    if (lstalv != TLF_NODAY && lstalv + 1 > d)
        d = lstalv + 1;
    tlf_day last = tlf_pdate_last(dth);
    if (d > last) {
        d = last;
        *issue = 1;
    }
    return d;
}

int tlf_pdate_agree(const tlf_pdate *a, const tlf_pdate *b)
{
    if (a->prec == TLF_PD_MISSING || b->prec == TLF_PD_MISSING)
        return 1;
    if (a->y != b->y)
        return 0;
    if (a->prec >= TLF_PD_MONTH && b->prec >= TLF_PD_MONTH && a->m != b->m)
        return 0;
    if (a->prec == TLF_PD_DAY && b->prec == TLF_PD_DAY && a->d != b->d)
        return 0;
    return 1;
}
