/*
 * derive_int.h - what the derivation files share (private to derive/):
 * the per-subject record built from the small SDTM domains, the context
 * passed through every step, and SQLite helpers.
 *
 * Stage: derive. The subject array is the only per-subject memory; large
 * domains (LB, VS, ...) are streamed by USUBJID (bds_open) so that memory holds
 * one subject's records at a time.
 */
#ifndef TLFGEN_DERIVE_INT_H
#define TLFGEN_DERIVE_INT_H

#include <sqlite3.h>

#include "core/err.h"
#include "derive/dates.h"
#include "derive/derive.h"

/* Baseline values ADSL carries: the configured parameters with a
 * `baseline` variable (sap.md section 1 baseline: the ABLFL record's
 * AVAL), in the study configuration's order; derive_ctx.blp lists them
 * and subject.bl/has_bl are indexed like it. */

/* A dated source record: its day and where it came from. */
typedef struct src_day {
    tlf_day day;
    const char *dom;     /* static string: "DM", "DS", ... */
    long seq;            /* --SEQ, -1 when none (DM)        */
    char flag;           /* imputation flag                  */
    const char *desc;    /* static text describing it        */
} src_day;

typedef struct subject {
    char *usubjid, *subjid;
    const char *studyid, *siteid, *armcd, *arm, *actarmcd, *sex, *race, *ageu, *country; /* interned */
    double age;
    int has_age;
    const char **sc;         /* SC values by the study's characteristics (interned) */
    tlf_day day1;
    int enrl, fas, pps, hc, major_dv;
    src_day trtsdt, trtedt;
    double *bl;              /* baseline values (index of ctx blp)  */
    unsigned char *has_bl;   /* 1 when the parameter has a baseline */
    src_day lstalv;          /* latest contact so far              */
    /* death sources as recorded (interned/owned strings) */
    char dthfl_raw;          /* 'Y' when DM.DTHFL = Y              */
    char *dm_dthdtc, *ds_dthdtc, *ae_dthdtc;
    long ds_dth_seq, ae_dth_seq;
    src_day dth;             /* resulting death date (TLF_NODAY alive) */
    int dead;
    /* disposition */
    const char *eos_decod, *eot_decod;
    src_day eos, eot;
    /* TTE ingredients (first dates after day 1, any study day) */
    src_day prog;            /* first IP progression after day 1   */
    src_day last_nonprog;    /* last post-baseline IP assessment without progression before prog */
    src_day cm_is;           /* first additional immunosuppressant on or after day 1 */
    src_day tac_stop;        /* tacrolimus stopped for AE / lack of efficacy */
    src_day tff;             /* first TFF event (any day), computed in adtte.c */
    /* week-52 IP assessment chosen in the window */
    src_day w52;
    const char *w52_res;     /* interned RSSTRESC */
} subject;

typedef struct dx_ins dx_ins;

typedef struct derive_ctx {
    sqlite3 *sdtm, *adam;
    const derive_opts *opts;
    const tlf_study *study;  /* = opts->study                       */
    const tlf_study_param **blp; /* parameters ADSL carries a baseline of */
    int nbl;
    int bl_weight;           /* index in blp of the dosing weight, -1 none */
    /* ADTTE reasons naming the landmark day and the configured events
     * (interned at the start) */
    const char *txt_efree, *txt_efree_after, *txt_alive_after, *txt_cm_started;
    derive_stats *st;
    tlf_err *err;
    tlf_day cutoff;
    subject *subj;           /* sorted by usubjid */
    size_t nsubj;
    char **pool;             /* interned strings */
    size_t npool, cappool;
    struct dx_ins *issue_ins;
    struct dx_ins *listing_ins;  /* DATAISSUES (opts->listing), else NULL */
    /* a domain job's copy (writer.c): where its contacts go (by subject
     * index, joined into lstalv afterwards), NULL on the main context */
    src_day *contact;
    struct dx_stream *rec;       /* a domain job's stream of inserts, else NULL */
    int summary;                 /* dx_issue: a count the checks list already */
    const struct bds_part *bds_plan; /* dx_bds_all: the domain and part of each job */
    const char *cut_dom[16];     /* tables with records after the cut-off */
    long cut_n[16];
    int ncut;
    /* AESI: parallel arrays, PTs upper-cased */
    char **aesi_pt;
    const char **aesi_cat;
    size_t naesi;
} derive_ctx;

/* --- derive.c: shared helpers --- */
/* Intern s (NULL and "" give NULL); the pool owns the copy. */
const char *dx_intern(derive_ctx *c, const char *s);
subject *dx_find(derive_ctx *c, const char *usubjid);
/* The subject of a row (USUBJID u, --SEQ seq) of table dom, or NULL after
 * reporting that it is not in DM (the row is then left out). */
subject *dx_row_subject(derive_ctx *c, const char *u, const char *dom, long seq);
/* Prepare sql on db; on failure set err (naming what) and return the code. */
int dx_prepare(derive_ctx *c, sqlite3 *db, const char *sql, sqlite3_stmt **st, const char *what);
int dx_exec(derive_ctx *c, sqlite3 *db, const char *sql);
/* A step failed inside SQLite: set err and return TLF_EINTERNAL. */
int dx_sqlfail(derive_ctx *c, sqlite3 *db, const char *what);
/* 1 when rows of table dom (or every table) of subject u are left out
 * before derivation (opts->exclude). */
int dx_excluded(const derive_ctx *c, const char *u, const char *dom);
/* Record a data issue in ADISSUE ("ERROR", "WARNING" or "INFO"). */
int dx_issue(derive_ctx *c, const char *sev, const char *dom, const char *usubjid, long seq,
             const char *var, const char *value, const char *msg);
/* Column text ("" never: NULL when missing or empty). */
const char *dx_text(sqlite3_stmt *st, int col);
/* Numeric column: 1 and *v when a number, 0 when missing; text that is not
 * a number is reported (dom/var/subject/seq) and treated as missing. */
int dx_num(derive_ctx *c, sqlite3_stmt *st, int col, double *v, const char *dom,
           const char *usubjid, long seq, const char *var);
/* The same for a value already read: its SQLite type, number and text
 * (NULL when missing or empty). */
int dx_num_value(derive_ctx *c, int type, double num, const char *text, double *v,
                 const char *dom, const char *usubjid, long seq, const char *var);
/* Parse a date column; an invalid date is reported and gives MISSING. */
int dx_date(derive_ctx *c, const char *s, tlf_pdate *p, const char *dom, const char *usubjid,
            long seq, const char *var);
/* Whether a record of table dom (a static string) dated p (earliest
 * possible day) is after the cut-off; counts it (n_after_cutoff and per
 * table, reported as INFO issues at the end) when so. */
int dx_after_cutoff(derive_ctx *c, const tlf_pdate *p, const char *dom);
/* Add n records of table dom to the per-table counts (in order of first appearance). */
void dx_cut_count(derive_ctx *c, const char *dom, long n);
/* Offer a contact date for LSTALVDT (complete dates on or before the cut-off). */
void dx_contact(derive_ctx *c, subject *s, tlf_day d, const char *dom, long seq);
/* 1 when dataset name (ADSL, ADLB, ...) is to be written (opts->datasets). */
int dx_wanted(const derive_ctx *c, const char *name);
/*
 * An insert into a dataset of adam. Direct (st): bound and stepped at once
 * by the thread that owns adam. Recorded (rec): a BDS domain read on
 * another thread (writer.c) appends its calls to the domain's stream, and
 * the thread owning adam replays them on target, stream after stream in
 * the serial order, so adam gets the same statements in the same order
 * (the same file, byte for byte) as a derivation on one thread.
 */
struct dx_ins {
    sqlite3_stmt *st;
    struct dx_stream *rec;
    struct dx_ins *target;
    int owns_target;      /* recorded by dx_create: the writer frees target */
};

/* Bind helpers: NULL/"" and TLF_NODAY bind NULL. A NULL insert (the
 * insert of a dataset not written, dx_create) takes nothing: the step
 * deriving it still runs for what other datasets and the issues need. */
void dx_bind_text(dx_ins *ins, int i, const char *s);
/* The same for text that stays in place until the insert's step
 * (dx_step_insert, which clears the bindings): not copied by a direct
 * insert (the 3.7 million BDS rows of a 30,000-subject study spent a tenth
 * of the derivation in copying and freeing their texts). */
void dx_bind_text_kept(dx_ins *ins, int i, const char *s);
void dx_bind_day(dx_ins *ins, int i, tlf_day d);
void dx_bind_int(dx_ins *ins, int i, int v, int present);
void dx_bind_real(dx_ins *ins, int i, double v, int present);
void dx_bind_int64(dx_ins *ins, int i, long v);
void dx_bind_flag(dx_ins *ins, int i, char f);   /* 0 -> NULL */
/* Run an insert (bound) and reset it; 0 for a NULL insert. */
int dx_step_insert(derive_ctx *c, dx_ins *ins, const char *table);
/* Create table name with the column list cols ("A TEXT, B INTEGER, ...")
 * and prepare *ins as an insert with one placeholder per column; *ins is
 * NULL and no table made when the dataset is not wanted (dx_wanted). */
int dx_create(derive_ctx *c, const char *name, const char *cols, dx_ins **ins);
/* The same insert into table name made by an earlier dx_create (a later
 * part of a domain read in parts, adbds.c). */
int dx_insert_into(derive_ctx *c, const char *name, const char *cols, dx_ins **ins);
/* An insert of SQL text sql into a table that exists (what names it). */
int dx_ins_prepare(derive_ctx *c, const char *sql, dx_ins **ins, const char *what);
void dx_ins_free(dx_ins *ins);   /* accepts NULL */

/* --- writer.c: domains read on threads of their own (the BDS ones, EX for ADEX) --- */
/* Run job(jc, i) for i = 0..n-1, each on a copy jc of c that reads its
 * own connection and records its inserts and issues, on opts->jobs
 * threads while this thread writes what they record in the order of i
 * (opts->jobs < 2 or an input that cannot be read twice in the same
 * state: one after the other on c itself). The copies' contacts, counts
 * and issues join c in the order of i, as one thread would have made
 * them. Returns the first failure in that order, or the writer's. A job
 * may not intern strings (dx_intern) nor change a subject but its own
 * domain's baselines. */
int dx_domain_jobs(derive_ctx *c, size_t n, int (*job)(derive_ctx *jc, size_t i));
/* What a recorded insert does (derive.c's dx_bind_* and dx_step_insert
 * call these for an insert with rec): a binding (type SQLITE_NULL,
 * SQLITE_INTEGER, SQLITE_FLOAT or SQLITE_TEXT, text copied), the step
 * (non-zero when the writer has failed: the job stops), the table made
 * (dx_create), the insert finalized. */
void dxw_bind(dx_ins *ins, int i, int type, sqlite3_int64 iv, double dv, const char *text);
int dxw_step(derive_ctx *c, dx_ins *ins, const char *table);
dx_ins *dxw_create(derive_ctx *c, const char *create_sql, const char *insert_sql, const char *name);
void dxw_free(dx_ins *ins);

/* --- analysis windows (adbds.c), from the study's visit schedule --- */
/* AVISIT of AVISITN: the baseline visit for 0, NULL when not a visit. */
const char *dx_avisit_name(const derive_ctx *c, int avisitn);

/* --- steps, in the order derive.c runs them --- */
int dx_load_dm(derive_ctx *c);
int dx_load_sc_dv_ds(derive_ctx *c);
int dx_load_ex(derive_ctx *c);
int dx_bds_all(derive_ctx *c);          /* ADVS ADLB ADRE ADFT ADPC */
int dx_adrs_visits(derive_ctx *c);      /* ADRS per-visit rows, PFS inputs */
int dx_ae_scan(derive_ctx *c);          /* contacts and fatal AE end dates */
int dx_cm_scan(derive_ctx *c);
int dx_death(derive_ctx *c);            /* death date and TRTEDT cap */
int dx_adsl(derive_ctx *c);
int dx_adtte(derive_ctx *c);
int dx_adrs_w52(derive_ctx *c);
int dx_adae(derive_ctx *c);
int dx_adex(derive_ctx *c);
int dx_addv(derive_ctx *c);            /* ADDV (addv.c) */
int dx_load_aesi(derive_ctx *c, const char *path);

#endif
