/*
 * template.h - output templates (JSON): what a table or listing shows.
 *
 * Stage: layout. Loaded with jansson and validated strictly: an unknown key
 * or a value of the wrong type is an error naming the file, the key path
 * (e.g. rows[3].select.analysis_id) and what was expected. Every key is
 * documented in docs/templates.md. A template only binds cells to ARD
 * records (tables) or dataset columns (listings); it never computes.
 */
#ifndef TLFGEN_LAYOUT_TEMPLATE_H
#define TLFGEN_LAYOUT_TEMPLATE_H

#include <stddef.h>

#include "core/err.h"
#include "study/study.h"
#include "layout/plan.h"

typedef enum tlf_tpl_kind { TLF_TPL_TABLE = 0, TLF_TPL_LISTING, TLF_TPL_FIGURE } tlf_tpl_kind;
typedef enum tlf_align {
    TLF_ALIGN_LEFT = 0, TLF_ALIGN_CENTRE, TLF_ALIGN_RIGHT, TLF_ALIGN_DECIMAL
} tlf_align;

/* ARD record selector; a NULL field matches anything ("" matches empty). */
typedef struct tlf_tpl_select {
    char *analysis_id, *population, *group, *group_level;
    char *variable, *variable_level, *param;
} tlf_tpl_select;

typedef struct tlf_tpl_col {
    char *id;
    char *header;          /* may hold {stat} placeholders (header_select)  */
    tlf_align align;
    double width_pct;      /* share of the body width in %, 0 = fitted      */
    int fit;               /* "width": "fit": as wide as its widest value
                              (header: its longest word), capped; the
                              other fitted columns share the rest          */
    int key;               /* repeated in every column panel (listings: and
                              shown again on each page of a group)          */
    tlf_tpl_select select; /* tables: merged into each row's selector       */
    tlf_tpl_select header_select; int has_header_select;
    char *format;          /* tables: default cell format                   */
    char *missing;         /* tables: text for a missing value              */
    char *value;           /* listings: "{COL} ({COL2})", [..] optional     */
} tlf_tpl_col;

typedef struct tlf_tpl_span {
    char *text;            /* may hold {stat} placeholders (select)         */
    size_t first, ncols;   /* columns covered                               */
    tlf_tpl_select select; int has_select;
} tlf_tpl_span;

typedef struct tlf_tpl_hrow {
    tlf_tpl_span *spans;
    size_t n;
} tlf_tpl_hrow;

typedef struct tlf_tpl_sort {
    char *stat;            /* NULL: ARD order; else by this stat's value    */
    char *group_level;     /* the column (group level) whose value sorts    */
    int descending;        /* ties: label ascending                         */
} tlf_tpl_sort;

typedef struct tlf_tpl_note {
    tlf_tpl_select select; /* merged over the cell's selector               */
    char *stat;            /* the record saying estimable 1/0 ("estimable") */
    char *text;            /* shown instead; {reason} = param reason=...    */
    int present;
} tlf_tpl_note;

/* "levels" of an expand_param row, a block or a listing column: what the
 * values are, when the study configuration knows them. */
typedef enum tlf_levels_kind {
    TLF_LEVELS_DATA = 0,        /* the data's values, in ARD order, as they are */
    TLF_LEVELS_VISITS,          /* analysis visits: the schedule's order and
                                   labels, an unscheduled value after them   */
    TLF_LEVELS_CHARACTERISTICS, /* the parameters with the characteristic
                                   role, in their order (short label, unit,
                                   baseline column); other values are not of
                                   the kind and make no row                  */
    TLF_LEVELS_COX_ADJUSTED,    /* the terms of a model (models.cox_adjusted,
                                   models.propensity_score): the covariates  */
    TLF_LEVELS_PROPENSITY,      /* in model order with their labels, each a
                                   row even without a record (not fitted)    */
    TLF_LEVELS_N
} tlf_levels_kind;

/* Values the study configuration names, copied at template load: name (the
 * ARD's value), display label, unit ("" when none) and the dataset column
 * holding the value (characteristics: the ADSL baseline; "" otherwise). */
typedef struct tlf_tpl_levels {
    char **name, **label, **unit, **column;
    size_t n;
} tlf_tpl_levels;

typedef struct tlf_tpl_row tlf_tpl_row;
struct tlf_tpl_row {
    char *label;           /* plain rows; expanded rows use variable_level  */
    int indent;            /* levels of indentation of the label            */
    int group_head;        /* starts a group kept together on a page        */
    tlf_tpl_select select; int has_select;
    char *format;          /* overrides the columns' format                 */
    char *missing;
    char **only_cols; size_t nonly_cols;  /* value columns shown (ids); NULL = all */
    tlf_tpl_note not_estimable;
    /* expand: one row per distinct variable_level among matching records */
    int expand;
    char **label_from, **label_to; size_t nlabels;  /* expand: display label of a level */
    tlf_tpl_sort sort;
    char **last; size_t nlast;  /* expand: these levels after all others, in
                                   this order ("No fatal AE recorded")      */
    char *parent_param;    /* children: param key equal to the parent level */
    tlf_tpl_row *children; /* at most one child spec (PTs under a SOC)      */
    /* expand_param: one row per distinct value of this param key (e.g.
     * "visit"), or of the ARD column variable / variable_level, among the
     * block's records, in ARD order, minus exclude */
    char *expand_param;
    char **exclude; size_t nexclude;
    /* "levels": "visits": the expanded values are analysis visits, shown
     * in the study configuration's schedule order with its labels
     * (tlf_template.visits); a value not in the schedule follows, under
     * its own name. `labels` still overrides a label. */
    tlf_levels_kind levels;
    /* blank_if_zero: a cell whose format does not show this stat is empty
     * when the stat's record under the cell's selector is 0 ("n": no
     * statistics of nothing, only n = 0) */
    char *blank_if_zero;
    struct tlf_tpl_block *block;   /* a block of rows per parameter, or NULL */
};

/* A block of rows repeated for every distinct value of `by` (variable_level
 * or a param key such as PARAMCD) among the records matching select, in
 * ARD order (the analysis writes parameters in the configured order): a
 * head row labelled from the label record, then the rows, each selecting
 * the block's value (docs/templates.md, "Blocks"). */
typedef struct tlf_tpl_block {
    tlf_tpl_select select;
    char *by;
    char *label;           /* head label: {value}, {label}, {unit}          */
    char *label_stat;      /* stat of the record whose param has label=, unit= */
    tlf_levels_kind levels;  /* visits or characteristics: as tlf_tpl_row's */
    tlf_tpl_row *rows; size_t nrows;
} tlf_tpl_block;

/* Figures (docs/figures.md). */
typedef enum tlf_fig_kind { TLF_FIG_KM = 0, TLF_FIG_LINE } tlf_fig_kind;

typedef struct tlf_tpl_arm {
    char *level;           /* group_level in the ARD                        */
    char *label;           /* legend and at-risk row label (default level)  */
    tlf_dash line;         /* default: solid, dashed, dotted by position    */
    tlf_mark_shape mark;   /* line plots: circle, square, triangle          */
} tlf_tpl_arm;

typedef struct tlf_tpl_fnote {
    char *text;            /* {stat[:spec]} placeholders as in table cells  */
    tlf_tpl_select select; /* merged over the figure's select               */
    char *missing;         /* text for a missing value (e.g. "NE"), or NULL */
} tlf_tpl_fnote;

typedef struct tlf_tpl_figure {
    tlf_fig_kind kind;
    tlf_tpl_select select;        /* the curves' records (analysis_id, group) */
    tlf_tpl_arm *arms; size_t narms;   /* NULL: every group level, ARD order */
    char *x_label, *y_label;
    /* km */
    int days;                     /* x axis in days (default: weeks = t / 7) */
    double x_max, x_tick;         /* in the axis unit (default: landmark week/4, day/30) */
    int ci_band;                  /* shade lcl..ucl                          */
    char *ci;                     /* CI param ("loglog")                     */
    int censor_marks, at_risk;    /* default true                            */
    /* line */
    char *visit_key;              /* param key of the visit ("visit")        */
    char **visits; size_t nvisits;/* order on the x axis (default ARD order) */
    char *mean_stat, *se_stat;    /* "mean", "se"                            */
    tlf_tpl_select n_select; int has_n_select;   /* legend N: stat n of the
                                     record matching it and the arm's level  */
    double y_min, y_max, y_tick;  /* fixed y axis when y_tick > 0            */
    tlf_tpl_fnote *notes; size_t nnotes;   /* footnotes with ARD values      */
} tlf_tpl_figure;

typedef struct tlf_template {
    char *path;            /* the file it came from (for messages)          */
    tlf_tpl_kind kind;
    char *number;          /* "14.3.1.2"                                    */
    char **titles; size_t ntitles;
    char *population;
    char **footnotes; size_t nfootnotes;
    char *paper;           /* "A4" | "letter"; NULL: caller's choice        */
    int landscape;         /* default 1                                     */
    double font_size;      /* 8-10 pt, default 8                            */
    tlf_tpl_col *cols; size_t ncols;
    tlf_tpl_hrow *hrows; size_t nhrows;
    tlf_tpl_row *rows; size_t nrows;      /* tables                         */
    char *dataset;         /* listings: table in adam.sqlite                */
    char *where;           /* listings: SQL condition (read-only database)  */
    char **sort; size_t nsort;            /* listings: ORDER BY columns     */
    char **group_by; size_t ngroup_by;    /* listings: rows kept together   */
    tlf_tpl_figure *figure;               /* figures                        */
    /* copied from the study configuration at load (tlf_template_load_study;
     * empty without one), by kind: the visit schedule (the baseline visit,
     * then visits[] in their order: AVISIT and display label), the
     * parameters with the characteristic role (code, short label, unit,
     * baseline column) and each model's covariates (term name, label) */
    tlf_tpl_levels levels[TLF_LEVELS_N];
} tlf_template;

/* Load and validate path. *out is owned by the caller (tlf_template_free).
 * Errors: TLF_EINPUT (unreadable or not JSON, with line and column),
 * TLF_EUSAGE (a key or value breaks the schema; message names
 * "<file>: <key path>: <what was expected>"). */
int tlf_template_load(tlf_template **out, const char *path, tlf_err *err);
/* The same with the study variables ({{arm.treated}}, {{landmark.day}}, ...,
 * layout/studyvars.h) replaced from st in every string value before the
 * schema is checked; a figure's default axis ends at st's landmark day
 * (week). tlf_template_load is this with st NULL: a study variable is then
 * an error and a figure must give x_max. */
int tlf_template_load_study(tlf_template **out, const char *path, const tlf_study *st,
                            tlf_err *err);
void tlf_template_free(tlf_template *t);   /* accepts NULL */



/* The render context file of `tlfgen render --context FILE` (JSON object,
 * every key optional, all strings except "draft": study, protocol, run_id,
 * db_sha256, cutoff, db_status, program_version, date, paper, profile,
 * draft).
 * Validated like templates. */
typedef struct tlf_context_file {
    char *study, *protocol, *run_id, *db_sha256, *cutoff, *db_status, *program_version;
    char *date;            /* document date YYYY-MM-DD                      */
    char *paper;           /* "A4" | "letter"                               */
    char *profile;         /* run profile (a volume's cover)                */
    int draft;
} tlf_context_file;

int tlf_context_load(tlf_context_file **out, const char *path, tlf_err *err);
void tlf_context_free(tlf_context_file *c);   /* accepts NULL */
#endif
