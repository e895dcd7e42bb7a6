/*
 * demo_plan.h - what the demo generator's two halves share: the table
 * ids and the row writer (demo.c, which owns SQLite) and the subject
 * generator (demo_subjects.c, which decides what each subject's records
 * say). Private to pipeline/demo.
 *
 * Stage: demo data.
 */
#ifndef TLFGEN_DEMO_PLAN_H
#define TLFGEN_DEMO_PLAN_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define DEMO_NODATE LONG_MIN    /* a record kept whatever the as-of date */

enum {
    T_DM, T_SC, T_VS, T_DS, T_EX, T_CM, T_AE, T_LB, T_PC, T_RE, T_FT, T_RS, T_DV,
    T_DBSTATUS, T_COUNT
};

enum { DEMO_ARM_TAC, DEMO_ARM_HC, DEMO_ARM_SCRNFAIL };

typedef struct demo_writer demo_writer;

/* The demo's subject characteristics (SC), in the order of the shipped
 * configuration's `characteristics`; demo-db --study renames the k-th
 * with the configuration's k-th (code and values in order) when it has
 * as many values. */
enum { DEMO_SC_MYO, DEMO_SC_ONSET, DEMO_SC_COURSE, DEMO_SC_MDA5, DEMO_SC_ARS, DEMO_SC_SMOKER,
       DEMO_NSC };

typedef struct demo_sc {
    const char *testcd;      /* SCTESTCD                              */
    const char *test;        /* SCTEST                                */
    const char *value[3];    /* SCSTRESC of each level                */
    size_t n;                /* levels                                */
} demo_sc;

/* The names the database is written with: the demo study's own, or a
 * study configuration's (demo-db --study). */
typedef struct demo_names {
    const char *studyid;     /* STUDYID and the USUBJID prefix        */
    const char *armcd[3];    /* treated, control, screen failure      */
    const char *arm[3];
    const char *drug;        /* EXTRT of the study drug               */
    const char *drug_label;  /* its name in free text (DSTERM)        */
    const char *gc_daily;    /* EXTRT of the daily glucocorticoid     */
    const char *gc_pulse;    /* EXTRT of the pulses                   */
    const char *pc_testcd;   /* PCTESTCD of the trough                */
    demo_sc sc[DEMO_NSC];    /* the subject characteristics           */
} demo_names;

typedef struct demo_study {
    const demo_names *names;
    uint64_t seed;
    long n_subjects;   /* TAC */
    long n_controls;   /* HC  */
    long cutoff;       /* day number of the data cut-off of the full study */
} demo_study;

/* Start a subject: later rows get this USUBJID and --SEQ from 1. */
void demo_subject(demo_writer *w, const char *usubjid);

/* Insert one row of table t, unless fday (the day number of the record's
 * start or only date; DEMO_NODATE for none) is after the as-of day. The
 * variadic arguments follow the table's column types: const char * for
 * TEXT (NULL = empty), int for INTEGER, double for REAL (NAN = NULL);
 * USUBJID and --SEQ are filled in. Returns 0 or TLF_EINTERNAL (message in
 * the writer's err; later calls then do nothing). */
int demo_put(demo_writer *w, int t, long fday, ...);

/* 1 once a row failed to be written. */
int demo_failed(const demo_writer *w);

/* 1 when a date (day number) is on or before the as-of day. */
int demo_keep(const demo_writer *w, long day);

/* USUBJID of subject `index` (0-based) of an arm, e.g. TACIP-01-T0001. */
void demo_usubjid(char *out, size_t n, const demo_names *names, int arm, long index);

/* Write every subject's rows (DM first, then each domain). Returns 0 or
 * the first writer error. */
int demo_write_subjects(demo_writer *w, const demo_study *s);

#endif
