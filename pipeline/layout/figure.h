/*
 * figure.h - figures from the ARD: Kaplan-Meier curves and mean +/- SE by
 * visit, laid out as vector graphics in a page plan.
 *
 * Stage: layout. Shells: the Figure 14.2.1.1 shell (templates/f14_2_1_1.json) (KM) and
 * sap.md section 6 (Figure 14.2.5.1, mean +/- SE by visit). Everything
 * drawn is an ARD record (ard.md: os_km per-time rows n_risk, n_event,
 * n_censor, surv, lcl/ucl; <paramcd>_aval per visit mean, se, n) or a
 * lookup of one: the number at risk at an axis tick is the n_risk of the
 * first ARD time at or after the tick (0 when no time is), which is the
 * count of subjects whose time is >= the tick. Nothing is estimated here.
 * Design notes and every template key: docs/figures.md.
 */
#ifndef TLFGEN_LAYOUT_FIGURE_H
#define TLFGEN_LAYOUT_FIGURE_H

#include "ard/ard.h"
#include "core/err.h"
#include "layout/paginate.h"
#include "layout/template.h"

/* Lay figure template t out on one page of a new plan (*out, caller frees
 * with tlf_plan_free), page size and font size from ps, header and source
 * line from ctx. Errors: TLF_EDATA naming the template and the ARD record
 * sought when a needed record is missing or the per-time rows are not in
 * increasing time order; TLF_EUSAGE for a template that is not a figure
 * or a page too small for the plot. */
int tlf_figure_plan(tlf_plan **out, const tlf_template *t, const tlf_ard *ard,
                    const tlf_page_setup *ps, const tlf_render_ctx *ctx, tlf_measurer m,
                    tlf_err *err);

/* The same, also giving the frame's table model (*frame: number, titles,
 * population and the footnotes with their ARD values resolved; caller
 * frees) and the plot's body area on the page (*body), so another back
 * end (RTF) can set the titles as text and show the body as a picture.
 * Either may be NULL. used: when not NULL (ard->n bytes, zeroed by the
 * caller), used[i] is set for every record i the figure read (curves,
 * counts, legend N, footnotes), as tlf_table_from_ard_used. */
int tlf_figure_plan_framed(tlf_plan **out, tlf_table **frame, tlf_frame *body,
                           const tlf_template *t, const tlf_ard *ard, unsigned char *used,
                           const tlf_page_setup *ps, const tlf_render_ctx *ctx, tlf_measurer m,
                           tlf_err *err);

/* The number at risk at time t (ARD time unit) from a curve's per-time
 * rows (times ascending, n_risk at each): n_risk of the first time >= t,
 * 0 when there is none. */
double tlf_km_at_risk(const double *times, const double *n_risk, size_t n, double t);

/* The study day of an x-axis tick at v (axis units): v itself when the
 * axis is in days, else day 7v + 1 (week w = day 7w + 1, sap.md), so the
 * number at risk under week 52 is the tables' n_risk_at at t=365. */
double tlf_km_tick_day(double v, int days);

#endif
