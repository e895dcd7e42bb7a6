/*
 * dates.h - ISO 8601 dates for the derivations: parsing (complete and
 * partial), day numbers, study day and the partial-date imputation rules.
 *
 * Stage: derive. Implements sap.md section 1 ("Dates, days and
 * imputation"). Every function here is pure: no I/O, no allocation.
 * A day is an int counting days since 1970-01-01 (proleptic Gregorian);
 * TLF_NODAY means "no date".
 */
#ifndef TLFGEN_DATES_H
#define TLFGEN_DATES_H

#include <limits.h>

typedef int tlf_day;
#define TLF_NODAY INT_MIN

typedef enum {
    TLF_PD_MISSING = 0,  /* empty or NULL                 */
    TLF_PD_YEAR = 1,     /* YYYY                          */
    TLF_PD_MONTH = 2,    /* YYYY-MM                       */
    TLF_PD_DAY = 3       /* YYYY-MM-DD (complete date)    */
} tlf_pd_prec;

typedef struct tlf_pdate {
    int y, m, d;         /* components known by prec, others 0          */
    int minute;          /* minutes after midnight, -1 when no time     */
    tlf_pd_prec prec;
} tlf_pdate;

/* Imputation flags (ADaM --DTF): 0 none, 'D' day, 'M' month and day,
 * 'Y' year, month and day imputed. */

/*
 * Parse s ("", NULL, "YYYY", "YYYY-MM", "YYYY-MM-DD", optionally followed
 * by "Thh", "Thh:mm" or "Thh:mm:ss") into *out. Returns 0, or -1 when s is
 * not such a string or is not a calendar date (2024-02-30, month 13); *out
 * is then TLF_PD_MISSING.
 */
int tlf_pdate_parse(const char *s, tlf_pdate *out);

int tlf_is_leap(int y);
int tlf_days_in_month(int y, int m);
/* Day number of a valid y-m-d (Howard Hinnant's days_from_civil). */
tlf_day tlf_day_from_ymd(int y, int m, int d);
void tlf_ymd_from_day(tlf_day day, int *y, int *m, int *d);
/* "YYYY-MM-DD" into out (11 bytes); "" for TLF_NODAY. Returns out. */
char *tlf_day_format(tlf_day day, char out[11]);
/* Parse a complete date (time part allowed); TLF_NODAY otherwise. */
tlf_day tlf_day_parse_complete(const char *s);

/* Study day: D - day1 + 1 when D >= day1, D - day1 before (no day 0).
 * TLF_NODAY when either is missing. */
int tlf_study_day(tlf_day d, tlf_day day1);
/* The day with study day sd (inverse of tlf_study_day; sd != 0). */
tlf_day tlf_day_of_study_day(int sd, tlf_day day1);

/* Earliest / latest possible day of a partial date; TLF_NODAY if missing. */
tlf_day tlf_pdate_first(const tlf_pdate *p);
tlf_day tlf_pdate_last(const tlf_pdate *p);
/* The day of a complete date, TLF_NODAY when partial or missing. */
tlf_day tlf_pdate_complete(const tlf_pdate *p);

/*
 * Start date (AE, CM, EX) imputation: missing day -> 1st of the month,
 * missing month -> 1 January; if that is before day1 while day1 lies in
 * the known month (year), day1 is used unless end (the record's imputed
 * end, may be TLF_NODAY) is before day1; never later than end. A fully
 * missing start is not imputed (TLF_NODAY). *flag gets 0, 'D' or 'M'.
 */
tlf_day tlf_impute_start(const tlf_pdate *start, tlf_day day1, tlf_day end, char *flag);

/*
 * End date imputation: missing day -> last day of the month, missing
 * month -> 31 December; the result (imputed or not) is never later than
 * death nor cutoff (either may be TLF_NODAY). Missing end -> TLF_NODAY.
 * *flag gets 0, 'D' or 'M' (the flag stays when the date is capped).
 */
tlf_day tlf_impute_end(const tlf_pdate *end, tlf_day death, tlf_day cutoff, char *flag);

/*
 * Death date with a missing day: the later of the 1st of the month (1
 * January for YYYY) and lstalv + 1; when that passes the end of the known
 * month (year) the end of it is used and *issue is set to 1. A complete
 * date is returned as is; a missing one gives TLF_NODAY (the caller
 * applies the DTHFL-without-date rule). *flag gets 0, 'D' or 'M'.
 */
tlf_day tlf_impute_death(const tlf_pdate *dth, tlf_day lstalv, char *flag, int *issue);

/* Whether two partial dates agree on the components both know. */
int tlf_pdate_agree(const tlf_pdate *a, const tlf_pdate *b);

#endif
