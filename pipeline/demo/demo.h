/*
 * demo.h - the synthetic study database behind `tlfgen demo-db`.
 *
 * Stage: demo data (feeds the pipeline's input stage). Writes one SQLite
 * file that follows docs/database.md: every table and listed
 * column, its code lists and flags, numeric columns REAL/INTEGER and the
 * rest TEXT. The default study is shaped on Takada et al., Rheumatology
 * 2020 (NCT00504348) so that later tables can be checked against the
 * published numbers (docs/demo-db.md lists what is planted where).
 *
 * Deterministic: the file depends only on the options (own seeded PRNG,
 * no clock, fixed insertion order, one transaction), so the same options
 * give byte-identical files.
 */
#ifndef TLFGEN_DEMO_H
#define TLFGEN_DEMO_H

#include <stdint.h>

#include "core/err.h"
#include "study/study.h"

#define DEMO_DEFAULT_SEED 20130401u
#define DEMO_DEFAULT_SUBJECTS 26   /* registered in arm TAC (one never dosed) */
#define DEMO_DEFAULT_CONTROLS 16   /* historical controls, arm HC */
#define DEMO_DEFAULT_CUTOFF "2015-06-30"
#define DEMO_MAX_SUBJECTS 10000000L

typedef struct demo_opts {
    uint64_t seed;       /* PRNG seed; DEMO_DEFAULT_SEED for the published shape      */
    const char *status;  /* "OPEN", "SOFT LOCK", "HARD LOCK"; NULL = HARD LOCK, or
                            OPEN when as_of is set                                    */
    const char *as_of;   /* YYYY-MM-DD: the study as it stood that day; NULL = all   */
    long n_subjects;     /* subjects registered in TAC, >= 1                          */
    long n_controls;     /* historical controls, >= 0                                 */
    int with_issues;     /* plant one instance of each reportable data problem       */
    const tlf_study *study; /* names to write (STUDYID, arms, study drug, the two
                            glucocorticoids, the trough test); NULL = the demo's own */
} demo_opts;

/* Fill opts with the defaults (the published-trial shape, HARD LOCK). */
void demo_opts_init(demo_opts *opts);

/*
 * Check opts: status in the DBSTATUS code list, as_of a valid calendar
 * date, n_subjects in 1..DEMO_MAX_SUBJECTS, n_controls in
 * 0..DEMO_MAX_SUBJECTS. Returns 0 or TLF_EUSAGE with a one-line message.
 */
int demo_opts_check(const demo_opts *opts, tlf_err *err);

/*
 * Write the study database to path. The file is built under a temporary
 * name in the same folder and renamed over path at the end (an existing
 * file is replaced atomically); on failure nothing is left behind and
 * path is untouched. Returns 0, TLF_EUSAGE (bad options), TLF_EOUTPUT
 * (folder not writable, rename failed) or TLF_EINTERNAL (SQLite error),
 * with the message in err.
 */
int demo_db_write(const char *path, const demo_opts *opts, tlf_err *err);

#endif
