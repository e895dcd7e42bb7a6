/* arms.c - table columns and SQL conditions per arm role (see arms.h). */
#include "analysis/arms.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

const char *arm_code(const analysis_ctx *ctx, tlf_arm_role role)
{
    return tlf_study_arm_by_role(ctx->study, role)->code;
}

const char *arm_control_set(const analysis_ctx *ctx)
{
    return tlf_study_arm_by_role(ctx->study, TLF_ARM_CONTROL)->analysis_set;
}

int arm_index(const analysis_ctx *ctx, const char *armcd)
{
    const tlf_study_arm *a = tlf_study_arm_by_code(ctx->study, armcd);
    return !a ? -1 : a->role == TLF_ARM_TREATED ? 0 : 1;
}

char *arm_where(const analysis_ctx *ctx, tlf_arm_role role, const char *alias, const char *flag)
{
    return xasprintf("%sARMCD = '%s' AND %s%s = 'Y'", alias, arm_code(ctx, role), alias,
                     role == TLF_ARM_TREATED ? flag : "HCFL");
}

char *arms_where(const analysis_ctx *ctx, const char *alias, const char *flag)
{
    char *t = arm_where(ctx, TLF_ARM_TREATED, alias, flag);
    char *c = arm_where(ctx, TLF_ARM_CONTROL, alias, flag);
    char *w = xasprintf("((%s) OR (%s))", t, c);
    free(t);
    free(c);
    return w;
}

void arm_cols_make(arm_cols *c, const analysis_ctx *ctx, const char *flag, const char *pop)
{
    memset(c, 0, sizeof *c);
    c->owned[0] = arm_where(ctx, TLF_ARM_TREATED, "s.", flag);
    c->owned[1] = arm_where(ctx, TLF_ARM_CONTROL, "s.", flag);
    c->owned[2] = xasprintf("(%s) OR (%s)", c->owned[0], c->owned[1]);
    c->owned[3] = xasprintf("%s;%s", pop, arm_control_set(ctx));
    c->col[0] = (base_col){arm_code(ctx, TLF_ARM_TREATED), pop, c->owned[0]};
    c->col[1] = (base_col){arm_code(ctx, TLF_ARM_CONTROL), arm_control_set(ctx), c->owned[1]};
    c->col[2] = (base_col){"Total", c->owned[3], c->owned[2]};
}

void arm_cols_free(arm_cols *c)
{
    for (int i = 0; i < 4; i++)
        free(c->owned[i]);
    memset(c, 0, sizeof *c);
}
