/*
 * arms.h - the columns of the SAP's tables from the study configuration:
 * the treated arm (restricted to an analysis-set flag) and the historical
 * control arm (its own analysis set, flag HCFL), as ARD keys and as SQL
 * conditions on ADSL-like tables (columns ARMCD and the flags).
 *
 * Stage: ARD. Arm codes are validated by the study loader as A-Z, 0-9, _
 * so they can be written into SQL text between quotes.
 */
#ifndef TLFGEN_ANALYSIS_ARMS_H
#define TLFGEN_ANALYSIS_ARMS_H

#include "analysis/base_util.h"

/* ARMCD of the arm of that role. */
const char *arm_code(const analysis_ctx *ctx, tlf_arm_role role);
/* The control arm's analysis set (ARD population; HC in the demo). */
const char *arm_control_set(const analysis_ctx *ctx);
/* 0 for the treated arm's ARMCD, 1 for the control's, -1 otherwise. */
int arm_index(const analysis_ctx *ctx, const char *armcd);

/* SQL condition: "<a>ARMCD = '<treated>' AND <a><flag> = 'Y'" for the
 * treated arm, "<a>ARMCD = '<control>' AND <a>HCFL = 'Y'" for the
 * control; alias is "" or e.g. "s.". Caller frees. */
char *arm_where(const analysis_ctx *ctx, tlf_arm_role role, const char *alias, const char *flag);
/* "((treated) OR (control))". Caller frees. */
char *arms_where(const analysis_ctx *ctx, const char *alias, const char *flag);

/* The three columns treated (population pop, subjects with flag), control
 * and "Total" (population "pop;<control set>") on ADSL alias s. */
typedef struct arm_cols {
    base_col col[3];
    char *owned[4];
} arm_cols;
void arm_cols_make(arm_cols *c, const analysis_ctx *ctx, const char *flag, const char *pop);
void arm_cols_free(arm_cols *c);

#endif
