/*
 * study.h - the study configuration (config/study.json): everything the
 * program knows about one study. Arms and their roles, the comparison,
 * the study drug and the glucocorticoids that define day 1, the landmark
 * day, the visit schedule with its analysis windows, the week-52 response
 * assessment, the events that define treatment failure, the parameters
 * per domain (display label, unit, order, role) and the subject
 * characteristics (SC) with their levels.
 *
 * Stage: configuration, read once by the CLI and passed down through the
 * stage contexts (derive_opts, analysis_ctx, ...); no stage keeps a copy
 * of its own and no C file outside pipeline/demo/ names a study's arms,
 * drugs, parameters, visits or day numbers. Loading validates every key
 * like the run profiles do: an unknown key, a wrong type, a value outside
 * its set or a reference to something not defined is TLF_EUSAGE with a
 * message naming the file and the key path ("arms[1].role").
 * docs/study-config.md documents the file.
 */
#ifndef TLFGEN_STUDY_H
#define TLFGEN_STUDY_H

#include <stddef.h>

#include "core/err.h"

typedef enum tlf_arm_role {
    TLF_ARM_TREATED = 0,     /* receives the study drug: Enrolled/FAS/PPS/SAF */
    TLF_ARM_CONTROL = 1      /* historical control: its own analysis set      */
} tlf_arm_role;

typedef struct tlf_study_arm {
    char *code;              /* DM.ARMCD                                      */
    char *label;             /* DM.ARM, long display label                    */
    char *short_label;       /* column and legend label; = code when not set  */
    int order;               /* display order (arms[] is sorted by it)        */
    tlf_arm_role role;
    char *analysis_set;      /* control arm: name of its analysis set (ARD
                                population, e.g. HC); NULL for treated       */
} tlf_study_arm;

typedef struct tlf_study_gc {
    char *extrt;             /* EX.EXTRT                                      */
    char *label;
    double factor;           /* x dose = reference-glucocorticoid equivalent  */
} tlf_study_gc;

typedef struct tlf_study_visit {
    char *name;              /* AVISIT, e.g. WEEK 52                          */
    char *label;             /* display label ("Week 52"); the name when unset */
    int number;              /* AVISITN                                       */
    int target_day;          /* study day of the target                       */
    int lo, hi;              /* analysis window, study days, inclusive        */
} tlf_study_visit;

typedef struct tlf_study_param {
    char *domain;            /* "LB", "RE", "FT", "VS", "PC"                  */
    char *code;              /* --TESTCD = PARAMCD                            */
    char *label;             /* display label                                 */
    char *short_label;       /* titles and row heads (an abbreviation); default the label */
    char *unit;              /* display unit                                  */
    int order;               /* 1-based position within its domain            */
    int efficacy;            /* change from baseline by visit (14.2.5.1)      */
    int figure;              /* mean +/- SE by visit figure (F14.2.5.1)       */
    int dosing_weight;       /* VS: baseline value gives the mg/kg doses      */
    int characteristic;      /* baseline shown in 14.1.4 (needs baseline)     */
    char *baseline;          /* ADSL variable holding the baseline, or NULL   */
} tlf_study_param;

typedef struct tlf_study_char {
    char *code;              /* SC.SCTESTCD = ADSL variable                   */
    char *label;
    size_t n;                /* levels, in display order                      */
    char **codes;            /* SCSTRESC values                               */
    char **labels;           /* their display labels                          */
} tlf_study_char;

typedef struct tlf_study {
    char *path;                          /* the file it was read from         */
    char *id;                            /* STUDYID                           */
    char *name;                          /* short name on every page          */
    char *protocol;                      /* protocol number                   */
    char **titles;                       /* the study's full title (lines)    */
    size_t n_titles;
    tlf_study_arm *arms;                 /* sorted by order                   */
    size_t n_arms;
    char *drug_extrt, *drug_label, *drug_unit;   /* the study drug            */
    tlf_study_gc *gcs;                   /* glucocorticoids defining day 1    */
    size_t n_gcs;
    char *gc_equivalent;                 /* name of the reference GC          */
    int landmark_day;                    /* the analysis period ends here     */
    char *baseline_visit;                /* AVISIT of baseline (AVISITN 0)    */
    char *baseline_label;                /* its display label ("Baseline")    */
    tlf_study_visit *visits;             /* post-baseline, by target day      */
    size_t n_visits;
    char *resp_testcd;                   /* RS.RSTESTCD of the response       */
    const tlf_study_visit *resp_visit;   /* the response window (in visits)   */
    char *resp_responder;                /* RSSTRESC of a response            */
    char *resp_progression;              /* RSSTRESC of a progression         */
    char **resp_values;                  /* every allowed RSSTRESC            */
    size_t n_resp_values;
    char *ev_addl_immuno;                /* CM.CMCAT starting treatment failure */
    char **ev_failure_reasons;           /* DS DSDECOD stopping the drug = TFF  */
    size_t n_ev_failure_reasons;
    tlf_study_param *params;             /* grouped by domain (RE, LB, FT, VS,
                                            PC), configured order within it */
    size_t n_params;
    tlf_study_char *chars;               /* SC characteristics                */
    size_t n_chars;
    char *aesi_path;                     /* resolved next to the study file   */
} tlf_study;

/* Load and validate path. On failure *out is NULL and err names the file
 * and the key path. */
int tlf_study_load(tlf_study **out, const char *path, tlf_err *err);
void tlf_study_free(tlf_study *st);      /* accepts NULL */

/* The default file: <config_dir>/study.json (caller frees). */
char *tlf_study_default_path(const char *config_dir);

/* The (single) arm of a role; the loader guarantees one of each. */
const tlf_study_arm *tlf_study_arm_by_role(const tlf_study *st, tlf_arm_role role);
/* The arm with that ARMCD, or NULL. */
const tlf_study_arm *tlf_study_arm_by_code(const tlf_study *st, const char *code);

/* The configured parameters of a domain: *n of them from the returned
 * pointer (NULL and 0 when none), in configured order. */
const tlf_study_param *tlf_study_domain_params(const tlf_study *st, const char *domain, size_t *n);
/* One parameter, or NULL when not configured. */
const tlf_study_param *tlf_study_param_find(const tlf_study *st, const char *domain,
                                            const char *code);
/* The VS parameter whose baseline gives mg/kg doses, or NULL. */
const tlf_study_param *tlf_study_dosing_weight(const tlf_study *st);

/* The visit named name, or NULL. */
const tlf_study_visit *tlf_study_visit_by_name(const tlf_study *st, const char *name);
/* The visit with that AVISITN, or NULL. */
const tlf_study_visit *tlf_study_visit_by_number(const tlf_study *st, int number);
/* The visit whose window holds study day ady, or NULL. */
const tlf_study_visit *tlf_study_visit_for_day(const tlf_study *st, int ady);
/* Last day of the last window (the latest day any visit reads). */
int tlf_study_last_window_day(const tlf_study *st);

/* The glucocorticoid with that EXTRT (its factor), or NULL. */
const tlf_study_gc *tlf_study_gc_find(const tlf_study *st, const char *extrt);
/* The SC characteristic with that code, or NULL. */
const tlf_study_char *tlf_study_char_find(const tlf_study *st, const char *code);

#endif
