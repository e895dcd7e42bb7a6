/*
 * study.h - the study configuration (config/study.json): everything the
 * program knows about one study. Arms and their roles, the comparison,
 * the study drug and the glucocorticoids that define day 1, the landmark
 * day, the visit schedule with its analysis windows, the week-52 response
 * assessment, the events that define treatment failure, the parameters
 * per domain (display label, unit, order, role), the subject
 * characteristics (SC) with their levels, and the models: the stratum of
 * the stratified log-rank test and the covariates of the adjusted Cox and
 * propensity-score models.
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

/* Where a model reads a subject's value: an ADSL variable that comes from
 * DM (AGE, SEX, RACE, COUNTRY), from SC (a configured characteristic's
 * code) or from a parameter's baseline (its `baseline` variable). */
typedef enum tlf_model_from {
    TLF_FROM_DM = 0,
    TLF_FROM_SC = 1,
    TLF_FROM_BASELINE = 2
} tlf_model_from;

/* The stratification factor of the stratified log-rank test: subject
 * value -> stratum. A value in no stratum (or missing) is unknown: the
 * subject is left out of the stratified test and counted (n_excluded,
 * "reason=<name> missing"). */
typedef struct tlf_study_strata {
    char *name;              /* in the n_excluded reason ("onset")           */
    char *label;             /* in footnotes ("onset"; default the name)      */
    char **strata_labels;    /* n_strata display labels ("new"), or NULL      */
    tlf_model_from from;
    char *variable;          /* ADSL variable                                */
    size_t n_strata;
    size_t n_values;
    char **values;           /* every value placed in a stratum              */
    int *stratum;            /* its stratum, 0 .. n_strata-1 (configured order) */
} tlf_study_strata;

/* A model covariate: numeric (the value itself: AGE, a baseline) or a 0/1
 * indicator of a text variable (ones -> 1, zeros -> 0). A missing value,
 * or a text value in neither list, is missing: the subject is left out of
 * the model (complete cases) and counted (n_excluded). */
typedef struct tlf_study_covariate {
    char *name;              /* ARD term name (variable of the model rows)   */
    char *label;             /* the model row's label ("Age (years)")        */
    char *footnote_label;    /* in a footnote's list ("age"; default label)  */
    tlf_model_from from;
    char *variable;          /* ADSL variable                                */
    int numeric;             /* 1: numeric; 0: indicator                     */
    char **ones, **zeros;    /* indicator: the values coded 1 and 0          */
    size_t n_ones, n_zeros;
} tlf_study_covariate;

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
    tlf_study_strata strata;             /* of the stratified log-rank test   */
    tlf_study_covariate *covs;           /* every model covariate             */
    size_t n_covs;
    size_t *cox_adj, n_cox_adj;          /* adjusted Cox: indices into covs,
                                            in model order                    */
    size_t *ps, n_ps;                    /* propensity-score model: likewise  */
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
